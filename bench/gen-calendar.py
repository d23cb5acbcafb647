#!/usr/bin/env python3
"""gen-calendar.py N OUT.ics [--change PERCENT]: a realistic calendar export of N events.

Shaped like a large Google or Outlook export: several time zones with their VTIMEZONE
blocks, about 20% of events recurring (weekly, daily on weekdays, monthly, yearly)
with EXDATEs and RECURRENCE-ID overrides, VALARMs, long UTF-8 descriptions folded at
75 octets (folds may fall inside a UTF-8 sequence), CRLF line ends, a fresh DTSTAMP.
Seeded, so the same N gives the same file; --change P edits P% of the events (new
title and time, SEQUENCE + 1) to stand for a slightly newer export.
"""
import datetime
import random
import sys

ZONES = {
    "Europe/Berlin": ("+0100", "+0200", "CET", "CEST", "-1SU", 3, "-1SU", 10, "020000", "030000"),
    "America/New_York": ("-0500", "-0400", "EST", "EDT", "2SU", 3, "1SU", 11, "020000", "020000"),
    "Europe/London": ("+0000", "+0100", "GMT", "BST", "-1SU", 3, "-1SU", 10, "010000", "020000"),
    "Australia/Sydney": ("+1000", "+1100", "AEST", "AEDT", "1SU", 10, "1SU", 4, "020000", "030000"),
}
WORDS = ("Termin Besprechung Familie Geburtstag Café Müller Straße Grüße Ärzte Übergabe "
         "rendez-vous déjeuner réunion été naïve café crème "
         "meeting lunch planning review dinner dentist school pickup choir football "
         "会議 家族 誕生日 お茶 встреча семья праздник 🎄 🎁 ☕").split()


def fold(line):
    data = line.encode("utf-8")
    out = []
    first = True
    while data:
        n = 75 if first else 74
        out.append((b"" if first else b" ") + data[:n])
        data = data[n:]
        first = False
    return b"\r\n".join(out) + b"\r\n"


def vtimezone(tzid):
    std, dst, sname, dname, dbyday, dmonth, sbyday, smonth, dtime, stime = ZONES[tzid]
    return "\r\n".join([
        "BEGIN:VTIMEZONE", f"TZID:{tzid}", f"X-LIC-LOCATION:{tzid}",
        "BEGIN:DAYLIGHT", f"TZOFFSETFROM:{std}", f"TZOFFSETTO:{dst}", f"TZNAME:{dname}",
        f"DTSTART:1970{dmonth:02d}01T{dtime}",
        f"RRULE:FREQ=YEARLY;BYMONTH={dmonth};BYDAY={dbyday}", "END:DAYLIGHT",
        "BEGIN:STANDARD", f"TZOFFSETFROM:{dst}", f"TZOFFSETTO:{std}", f"TZNAME:{sname}",
        f"DTSTART:1970{smonth:02d}01T{stime}",
        f"RRULE:FREQ=YEARLY;BYMONTH={smonth};BYDAY={sbyday}", "END:STANDARD",
        "END:VTIMEZONE"]) + "\r\n"


def text(rng, words):
    return " ".join(rng.choice(WORDS) for _ in range(words))


def stamp(year, month, day, hour, minute):
    return f"{year:04d}{month:02d}{day:02d}T{hour:02d}{minute:02d}00"


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    change = float(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--change" else 0.0
    rng = random.Random(20261225)
    changer = random.Random(42)
    zones = list(ZONES)
    parts = [b"BEGIN:VCALENDAR\r\nPRODID:-//tend bench//gen-calendar//EN\r\nVERSION:2.0\r\n"
             b"CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Bench\r\n"
             b"X-WR-TIMEZONE:Europe/Berlin\r\n"]
    parts += [vtimezone(z).encode() for z in zones]
    written = 0
    i = 0
    while written < n:
        i += 1
        uid = f"{i:08d}-{rng.getrandbits(64):016x}@bench.example"
        tzid = rng.choice(zones)
        year = rng.choice((2024, 2025, 2026, 2026, 2026, 2027))
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        hour, minute = rng.randint(7, 20), rng.choice((0, 15, 30, 45))
        length = rng.choice((15, 30, 45, 60, 90, 120))
        all_day = rng.random() < 0.08
        recurring = rng.random() < 0.20
        summary = text(rng, rng.randint(2, 6))
        description = text(rng, rng.randint(10, 80))
        seq = 0
        if change and changer.random() * 100 < change:
            summary += " (moved)"
            hour = (hour + 1) % 24
            seq = 1
        lines = ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261219T080000Z", f"SEQUENCE:{seq}",
                 f"SUMMARY:{summary}", f"DESCRIPTION:{description}",
                 f"LOCATION:{text(rng, 3)}"]
        start = stamp(year, month, day, hour, minute)
        if all_day:
            lines += [f"DTSTART;VALUE=DATE:{start[:8]}", "TRANSP:TRANSPARENT"]
        else:
            lines += [f"DTSTART;TZID={tzid}:{start}", f"DURATION:PT{length}M"]
        overrides = []
        if recurring:
            rule = rng.choice(("FREQ=WEEKLY", "FREQ=WEEKLY;INTERVAL=2",
                               "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=200",
                               "FREQ=MONTHLY;COUNT=24", "FREQ=YEARLY"))
            lines.append(f"RRULE:{rule}")
            if not all_day and rule.startswith("FREQ=WEEKLY"):
                step = 7 if "INTERVAL" not in rule else 14
                # EXDATE two instances, override a third (same wall time, a week on)
                first = datetime.datetime(year, month, day, hour, minute)
                ex = [first + datetime.timedelta(days=step * k) for k in (3, 5)]
                lines.append(f"EXDATE;TZID={tzid}:" + ",".join(d.strftime("%Y%m%dT%H%M%S") for d in ex))
                moved = first + datetime.timedelta(days=step * 4)
                overrides.append([
                    "BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261219T080000Z", f"SEQUENCE:{seq + 1}",
                    f"RECURRENCE-ID;TZID={tzid}:{moved.strftime('%Y%m%dT%H%M%S')}",
                    f"SUMMARY:{summary} (this week later)",
                    f"DTSTART;TZID={tzid}:{(moved + datetime.timedelta(hours=2)).strftime('%Y%m%dT%H%M%S')}",
                    f"DURATION:PT{length}M", "END:VEVENT"])
        if rng.random() < 0.5:
            lines += ["BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Reminder",
                      f"TRIGGER:-PT{rng.choice((5, 10, 15, 30, 60))}M", "END:VALARM"]
        lines.append("END:VEVENT")
        parts.append(b"".join(fold(line) for line in lines))
        written += 1
        for override in overrides:
            if written < n:
                parts.append(b"".join(fold(line) for line in override))
                written += 1
    parts.append(b"END:VCALENDAR\r\n")
    with open(out, "wb") as f:
        f.write(b"".join(parts))


if __name__ == "__main__":
    main()
