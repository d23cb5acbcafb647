#!/usr/bin/python3
# check-holidays.py FILE...: reads tend's shipped holiday calendars with Debian's
# python3-icalendar and checks what every calendar app relies on: CRLF line ends, no
# line over 75 octets, UID, DTSTAMP, DTSTART and DTEND as dates on every VEVENT, unique
# UIDs, a DTSTART that is itself an occurrence of its RRULE, approximate dates marked.
# Then prints every occurrence from 2026 to 2036, expanded with python3-dateutil, one
# "DATE UID SUMMARY" line each, sorted, for comparison with ical.js and tend.
# Exits 1 with one message per problem.
import datetime
import sys

import icalendar
from dateutil.rrule import rrulestr

FIRST = datetime.datetime(2026, 1, 1)
LAST = datetime.datetime(2036, 12, 31)

problems = []
lines = []
uids = {}


def problem(path, message):
    problems.append(f"{path}: {message}")


for path in sys.argv[1:]:
    name = path.rsplit("/", 1)[-1]
    data = open(path, "rb").read()
    if not data.endswith(b"\r\n"):
        problem(name, "does not end with CRLF")
    for number, line in enumerate(data.split(b"\r\n")[:-1], 1):
        if b"\n" in line or b"\r" in line:
            problem(name, f"line {number}: a bare LF or CR")
        if len(line) > 75:
            problem(name, f"line {number}: {len(line)} octets, more than 75")
    calendar = icalendar.Calendar.from_ical(data)
    for required in ("VERSION", "PRODID", "X-WR-CALNAME"):
        if required not in calendar:
            problem(name, f"no {required}")
    events = calendar.walk("VEVENT")
    if not events:
        problem(name, "no events")
    for event in events:
        uid = str(event.get("UID", ""))
        where = f"event '{uid}'"
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"):
            if required not in event:
                problem(name, f"{where}: no {required}")
        if uid in uids:
            problem(name, f"{where}: UID also in {uids[uid]}")
        uids[uid] = name
        start = event.decoded("DTSTART")
        end = event.decoded("DTEND")
        if isinstance(start, datetime.datetime) or isinstance(end, datetime.datetime):
            problem(name, f"{where}: not an all-day date")
            continue
        if end - start != datetime.timedelta(days=1):
            problem(name, f"{where}: DTEND is not the day after DTSTART")
        if str(event.get("TRANSP")) != "TRANSPARENT":
            problem(name, f"{where}: not TRANSP:TRANSPARENT")
        approximate = str(event.get("X-TEND-APPROXIMATE", "")) == "TRUE"
        says_so = str(event.get("DESCRIPTION", "")).startswith("Approximate date")
        if approximate != (name == "holidays-lunar.ics") or approximate != says_so:
            problem(name, f"{where}: approximate dates must be marked, and only those")
        summary = str(event.get("SUMMARY"))
        start_time = datetime.datetime.combine(start, datetime.time())
        if "RRULE" in event:
            rule = event["RRULE"].to_ical().decode()
            dates = list(rrulestr(rule, dtstart=start_time).between(FIRST, LAST, inc=True))
            if not dates or dates[0] != start_time:
                problem(name, f"{where}: DTSTART {start} is not the first date of {rule}")
        else:
            dates = [start_time] if FIRST <= start_time <= LAST else []
        for date in dates:
            lines.append(f"{date:%Y-%m-%d} {uid} {summary}")

for line in sorted(lines):
    print(line)
for message in problems:
    print(f"check-holidays.py: {message}", file=sys.stderr)
sys.exit(1 if problems else 0)
