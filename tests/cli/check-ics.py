#!/usr/bin/python3
"""check-ics.py FILE: checks a tend export octet by octet, then reads it with Debian's
python3-icalendar and prints one normalised line per event, in file order:
    UID | SUMMARY | START | END | TRANSP | CLASS | ALARM TRIGGERS
Timed values are printed in UTC. Exits 1, naming the line, on any problem."""
import datetime
import sys

import icalendar


def fail(message):
    sys.stderr.write(f"check-ics.py: {message}\n")
    sys.exit(1)


def wire_format(data):
    """RFC 5545 3.1: CRLF after every line, at most 75 octets, folds between characters."""
    if not data.endswith(b"\r\n"):
        fail("the file does not end with CRLF")
    for number, line in enumerate(data[:-2].split(b"\r\n"), 1):
        if b"\r" in line or b"\n" in line:
            fail(f"line {number}: a bare CR or LF")
        if len(line) > 75:
            fail(f"line {number}: {len(line)} octets, more than 75")
        if not line:
            fail(f"line {number}: empty")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            fail(f"line {number}: a fold splits a UTF-8 sequence, or it is not UTF-8")


def when(event, name):
    value = event.decoded(name)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            fail(f"{event['UID']}: {name} is a floating time")
        return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def main():
    if len(sys.argv) != 2:
        fail("usage: check-ics.py FILE")
    with open(sys.argv[1], "rb") as handle:
        data = handle.read()
    wire_format(data)
    calendar = icalendar.Calendar.from_ical(data)
    for component in calendar.walk():
        if component.errors:
            fail(f"{component.name}: {component.errors}")
    print(" | ".join(f"{name.lower()}={calendar.get(name)}" for name in
                     ("VERSION", "PRODID", "CALSCALE", "METHOD", "X-WR-CALNAME", "X-WR-TIMEZONE")))
    zones = {str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")}
    for event in calendar.walk("VEVENT"):
        for name in ("UID", "DTSTAMP", "SEQUENCE", "DTSTART", "DTEND"):
            if name not in event:
                fail(f"event {event.get('UID')}: no {name}")
        for name in ("DTSTART", "DTEND"):
            tzid = event[name].params.get("TZID")
            if tzid and tzid not in zones:
                fail(f"event {event['UID']}: TZID {tzid} has no VTIMEZONE")
        triggers = [alarm["TRIGGER"].to_ical().decode() for alarm in event.walk("VALARM")]
        print(" | ".join([
            str(event["UID"]),
            str(event["SUMMARY"]),
            when(event, "DTSTART"),
            when(event, "DTEND"),
            str(event["TRANSP"]),
            str(event.get("CLASS", "-")),
            ",".join(triggers) or "-",
        ]))


main()
