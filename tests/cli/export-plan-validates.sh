#!/usr/bin/env bash
# Export: stressors added through tend and activities stored the way the planner stores
# them come out as RFC 5545 text that is checked line by line, then read by two other
# parsers (Debian's python3-icalendar and ical.js, which Thunderbird uses) that must
# agree on every event. Also: stdout with -, stable bytes, --from/--to, --discreet,
# --no-alarms, and errors that change nothing.
source "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
JS="$HERE/../js"
if [ ! -f "$JS/node_modules/ical.js/package.json" ]; then
    echo "FAIL: ical.js is not installed for this test; run 'npm ci --prefix tests/js' first" >&2
    exit 1
fi
command -v node >/dev/null || { echo "FAIL: node is needed to run ical.js" >&2; exit 1; }
PY=/usr/bin/python3
$PY -c 'import icalendar' || { echo "FAIL: install python3-icalendar" >&2; exit 1; }

# The same instants whichever zone the checkers run in.
check_js() { TZ=Pacific/Auckland node "$JS/check-ics.mjs" "$1"; }
check_py() { TZ=Pacific/Auckland "$PY" "$HERE/check-ics.py" "$1"; }
# Logical lines without CRs, VTIMEZONE bodies left out (they come from the system's zone data).
unfolded() {
    perl -0pe 's/\r\n[ \t]//g; s/\r\n/\n/g' "$1" |
        awk '/^BEGIN:VTIMEZONE$/ { print; zone = 1; next }
             zone && /^TZID:/ { print }
             /^END:VTIMEZONE$/ { zone = 0 }
             !zone { print }'
}

run 0 tend stressor add "Christmas dinner at Mum's" --start 2026-12-25T14:00 --end 2026-12-25T19:30 \
    --kind family --intensity 4 --location "Mum's house, 12 Oak St"
run 0 tend stressor add "The whole season" --start 2026-12-20 --end 2027-01-02 --kind holiday --intensity 2
# Entered while in New York: its times stay in New York's zone.
TZ=America/New_York run 0 tend stressor add "Call with Dad" --start 2026-12-27T10:00 \
    --end 2026-12-27T11:00 --kind family --intensity 3
run 0 tend stressor list --json
read -r DINNER SEASON CALL < <(jq -r '[.[] | {key: .title, value: .uid}] | from_entries |
    [."Christmas dinner at Mum'"'"'s", ."The whole season", ."Call with Dad"] | @tsv' <<<"$OUT")

sqlite3 "$TEND_DB" <<'SQL'
INSERT INTO plans (stressor_id, triggers, boundaries, scripts, exit_by, exit_plan, support,
                   grounding, aftercare, updated)
VALUES (1, 'Questions about work', 'I leave the table when voices rise',
        '"I''m not going to talk about that today."', 1798219800, 'Train at 17:45',
        'Sam, by text', NULL, 'Bath; early night', 1797757200);
INSERT INTO activities (uid, stressor_id, kind, slot, title, start_utc, end_utc, busy, sequence, status)
VALUES ('a1b2c3d4-0001@tend', 1, 'rehearse', 0, 'Rehearse your words', 1798135200, 1798137000, 1, 0, 'planned'),
       ('a1b2c3d4-0002@tend', 1, 'ground', 0, 'Ground yourself', 1798189200, 1798190100, 1, 1, 'planned'),
       ('a1b2c3d4-0003@tend', 1, 'checkin', 0, 'Quick check-in', 1798214400, 1798215000, 0, 0, 'planned'),
       ('a1b2c3d4-0004@tend', 1, 'decompress', 0, 'Come down gently', 1798228800, 1798232400, 1, 0, 'done'),
       ('a1b2c3d4-0005@tend', 1, 'reflect', 0, 'What helped?', 1798279200, 1798281000, 1, 0, 'skipped');
SQL

PLAN="$SCRATCH/plan.ics"
run 0 tend export "$PLAN"
expect_eq "export message" "$OUT" "Wrote 3 stressors and 4 activities to $PLAN."

# Octets: CRLF on every line and nowhere else, at most 75 octets a line.
lines=$(wc -l <"$PLAN")
expect_eq "every line ends in CRLF" "$(grep -c $'\r$' "$PLAN")" "$lines"
expect_eq "no CR inside a line" "$(grep -c $'\r.' "$PLAN" || true)" "0"
expect_eq "no line over 75 octets" "$(LC_ALL=C awk 'length($0) > 76' "$PLAN" | wc -l)" "0"

expect_eq "the document, line by line" "$(unfolded "$PLAN")" "BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//tend//tend 0.1.0//EN
CALSCALE:GREGORIAN
METHOD:PUBLISH
X-WR-CALNAME:tend plan
X-WR-TIMEZONE:Europe/London
BEGIN:VTIMEZONE
TZID:America/New_York
END:VTIMEZONE
BEGIN:VTIMEZONE
TZID:Europe/London
END:VTIMEZONE
BEGIN:VEVENT
UID:$SEASON
DTSTAMP:20261220T090000Z
SEQUENCE:0
DTSTART;VALUE=DATE:20261220
DTEND;VALUE=DATE:20270103
SUMMARY:The whole season
DESCRIPTION:Holiday\\, how hard it may feel: 2 of 5.\\nGo gently with yourself. Small kindnesses count.
CATEGORIES:tend,holiday
TRANSP:TRANSPARENT
STATUS:CONFIRMED
BEGIN:VALARM
ACTION:DISPLAY
DESCRIPTION:Tomorrow: The whole season
TRIGGER:-PT15H
END:VALARM
END:VEVENT
BEGIN:VEVENT
UID:$DINNER
DTSTAMP:20261220T090000Z
SEQUENCE:0
DTSTART;TZID=Europe/London:20261225T140000
DTEND;TZID=Europe/London:20261225T193000
SUMMARY:Christmas dinner at Mum's
DESCRIPTION:Christmas dinner at Mum's\\nFri 25 Dec 2026\\, 14:00 to 19:30\\, Mum's house\\, 12 Oak St\\nFamily\\, how hard it may feel: 4 of 5.\\n\\nWhat may be hard\\n- Questions about work\\n\\nMy boundaries\\n- I leave the table when voices rise\\n\\nWords I can use\\n- \"I'm not going to talk about that today.\"\\n\\nMy way out\\nLeave by 17:30. Train at 17:45\\n\\nWho I can text\\n- Sam\\, by text\\n\\nIn the moment\\, try one of these\\n- Two breaths in\\, one long sigh out (1 minute)\\n  1. Breathe in through your nose\\, then take one more small sip of air on top.\\n  2. Let it all go in a long\\, slow sigh through your mouth.\\n  3. Do this two or three times\\, then breathe as you normally would.\\n- You are not too much (1 minute)\\n  1. When you feel too much\\, or not enough\\, notice the thought.\\n  2. Say to yourself: This is an old feeling. My needs are allowed.\\n  3. Take one slow breath and let your shoulders soften.\\n- Text a safe person (2 minutes)\\n  1. Think of someone who feels steady and kind.\\n  2. Send a short message\\, such as: At the family thing. Could use a friendly word.\\n  3. You do not need to explain. Their reply is a reminder that you are not alone.\\n\\nAfterwards\\nBath\\; early night\\n\\nIf it gets too much: tend help-now
LOCATION:Mum's house\\, 12 Oak St
CATEGORIES:tend,family
TRANSP:OPAQUE
STATUS:CONFIRMED
BEGIN:VALARM
ACTION:DISPLAY
DESCRIPTION:In an hour: Christmas dinner at Mum's
TRIGGER:-PT1H
END:VALARM
BEGIN:VALARM
ACTION:DISPLAY
DESCRIPTION:Tomorrow: Christmas dinner at Mum's
TRIGGER:-P1D
END:VALARM
END:VEVENT
BEGIN:VEVENT
UID:$CALL
DTSTAMP:20261220T090000Z
SEQUENCE:0
DTSTART;TZID=America/New_York:20261227T100000
DTEND;TZID=America/New_York:20261227T110000
SUMMARY:Call with Dad
DESCRIPTION:Family\\, how hard it may feel: 3 of 5.\\nGo gently with yourself. Small kindnesses count.
CATEGORIES:tend,family
TRANSP:OPAQUE
STATUS:CONFIRMED
BEGIN:VALARM
ACTION:DISPLAY
DESCRIPTION:In an hour: Call with Dad
TRIGGER:-PT1H
END:VALARM
BEGIN:VALARM
ACTION:DISPLAY
DESCRIPTION:Tomorrow: Call with Dad
TRIGGER:-P1D
END:VALARM
END:VEVENT
BEGIN:VEVENT
UID:a1b2c3d4-0001@tend
DTSTAMP:20261220T090000Z
SEQUENCE:0
DTSTART;TZID=Europe/London:20261224T180000
DTEND;TZID=Europe/London:20261224T183000
SUMMARY:Rehearse your words
DESCRIPTION:Before \"Christmas dinner at Mum's\": go over your plan and say your words out loud once.
CATEGORIES:tend,rehearse
TRANSP:OPAQUE
STATUS:CONFIRMED
BEGIN:VALARM
ACTION:DISPLAY
DESCRIPTION:Rehearse your words
TRIGGER:-PT15M
END:VALARM
END:VEVENT
BEGIN:VEVENT
UID:a1b2c3d4-0002@tend
DTSTAMP:20261220T090000Z
SEQUENCE:1
DTSTART;TZID=Europe/London:20261225T090000
DTEND;TZID=Europe/London:20261225T091500
SUMMARY:Ground yourself
DESCRIPTION:The day of \"Christmas dinner at Mum's\": a few slow breaths\\, feet on the floor\\, before it starts.
CATEGORIES:tend,ground
TRANSP:OPAQUE
STATUS:CONFIRMED
BEGIN:VALARM
ACTION:DISPLAY
DESCRIPTION:Ground yourself
TRIGGER:-PT15M
END:VALARM
END:VEVENT
BEGIN:VEVENT
UID:a1b2c3d4-0003@tend
DTSTAMP:20261220T090000Z
SEQUENCE:0
DTSTART;TZID=Europe/London:20261225T160000
DTEND;TZID=Europe/London:20261225T161000
SUMMARY:Quick check-in
DESCRIPTION:During \"Christmas dinner at Mum's\": a quiet moment to notice how you are. Stepping out is allowed.
CATEGORIES:tend,checkin
TRANSP:TRANSPARENT
STATUS:CONFIRMED
BEGIN:VALARM
ACTION:DISPLAY
DESCRIPTION:Quick check-in
TRIGGER:-PT15M
END:VALARM
END:VEVENT
BEGIN:VEVENT
UID:a1b2c3d4-0004@tend
DTSTAMP:20261220T090000Z
SEQUENCE:0
DTSTART;TZID=Europe/London:20261225T200000
DTEND;TZID=Europe/London:20261225T210000
SUMMARY:Come down gently
DESCRIPTION:After \"Christmas dinner at Mum's\": time to come down. Nothing else is asked of you.
CATEGORIES:tend,decompress
TRANSP:OPAQUE
STATUS:CONFIRMED
BEGIN:VALARM
ACTION:DISPLAY
DESCRIPTION:Come down gently
TRIGGER:-PT15M
END:VALARM
END:VEVENT
END:VCALENDAR"

# Two other parsers read the same events, at the same instants.
EXPECTED_EVENTS="version=2.0 | prodid=-//tend//tend 0.1.0//EN | calscale=GREGORIAN | method=PUBLISH | x-wr-calname=tend plan | x-wr-timezone=Europe/London
$SEASON | The whole season | 2026-12-20 | 2027-01-03 | TRANSPARENT | - | -PT15H
$DINNER | Christmas dinner at Mum's | 2026-12-25T14:00:00Z | 2026-12-25T19:30:00Z | OPAQUE | - | -PT1H,-P1D
$CALL | Call with Dad | 2026-12-27T15:00:00Z | 2026-12-27T16:00:00Z | OPAQUE | - | -PT1H,-P1D
a1b2c3d4-0001@tend | Rehearse your words | 2026-12-24T18:00:00Z | 2026-12-24T18:30:00Z | OPAQUE | - | -PT15M
a1b2c3d4-0002@tend | Ground yourself | 2026-12-25T09:00:00Z | 2026-12-25T09:15:00Z | OPAQUE | - | -PT15M
a1b2c3d4-0003@tend | Quick check-in | 2026-12-25T16:00:00Z | 2026-12-25T16:10:00Z | TRANSPARENT | - | -PT15M
a1b2c3d4-0004@tend | Come down gently | 2026-12-25T20:00:00Z | 2026-12-25T21:00:00Z | OPAQUE | - | -PT15M"
run 0 check_py "$PLAN"
expect_eq "python3-icalendar reads" "$OUT" "$EXPECTED_EVENTS"
run 0 check_js "$PLAN"
expect_eq "ical.js reads" "$OUT" "$EXPECTED_EVENTS"

# "-" writes the same document to stdout and nothing else; exporting again with the
# same clock gives the same bytes.
tend export - >"$SCRATCH/stdout.ics" 2>"$SCRATCH/stderr"
expect_eq "stdout export" "$(cmp "$SCRATCH/stdout.ics" "$PLAN" && echo same)" "same"
expect_eq "stdout export is quiet" "$(cat "$SCRATCH/stderr")" ""
cp "$PLAN" "$SCRATCH/before.ics"
run 0 tend export "$PLAN"
expect_eq "stable bytes" "$(cmp "$SCRATCH/before.ics" "$PLAN" && echo same)" "same"

# A name without a folder lands in the current one.
(cd "$SCRATCH" && tend export relative.ics >"$SCRATCH/stdout")
expect_eq "relative path" "$(cat "$SCRATCH/stdout")" "Wrote 3 stressors and 4 activities to relative.ics."
expect_eq "relative path, same bytes" "$(cmp "$SCRATCH/relative.ics" "$PLAN" && echo same)" "same"

# --from and --to (inclusive of its day): only what overlaps 25 December.
run 0 tend export "$SCRATCH/day.ics" --from 2026-12-25 --to 2026-12-25
expect_eq "window message" "$OUT" "Wrote 2 stressors and 3 activities to $SCRATCH/day.ics."
run 0 check_js "$SCRATCH/day.ics"
expect_eq "window events" "$(cut -d'|' -f2 <<<"$OUT" | tail -n +2)" " The whole season 
 Christmas dinner at Mum's 
 Ground yourself 
 Quick check-in 
 Come down gently "

# --discreet: neutral words only, private, and the checkers still agree.
run 0 tend export "$SCRATCH/discreet.ics" --discreet
expect_eq "discreet message" "$OUT" "Wrote 3 stressors and 4 activities to $SCRATCH/discreet.ics.
Titles say \"Personal time\"; the details stay here with you."
# (UID lines are left out: random hex can spell "dad".)
expect_eq "no private words" "$(grep -v '^UID:' "$SCRATCH/discreet.ics" | grep -ciE "christmas|mum|oak|season|dad|rehearse|ground|check-?in|decompress|family|holiday|plan\\\\n|sam" || true)" "0"
run 0 check_py "$SCRATCH/discreet.ics"
discreet_py=$OUT
run 0 check_js "$SCRATCH/discreet.ics"
expect_eq "discreet, both parsers agree" "$OUT" "$discreet_py"
expect_eq "discreet events" "$(tail -n +2 <<<"$OUT" | cut -d'|' -f2,6 | sort | uniq -c | sed 's/^ *//')" \
    "7  Personal time | PRIVATE "

# --no-alarms
run 0 tend export "$SCRATCH/quiet.ics" --no-alarms
expect_eq "no alarms" "$(grep -c VALARM "$SCRATCH/quiet.ics" || true)" "0"
run 0 check_py "$SCRATCH/quiet.ics"
expect_eq "no alarms, all events" "$(tail -n +2 <<<"$OUT" | cut -d'|' -f7 | sort -u)" " -"

# Errors: usage is exit 2, a failed write is exit 1 and leaves the old file alone.
run 2 tend export
expect_eq "no file" "$ERR" "tend: error: export takes one FILE.ics, or - for standard output
see 'tend help export'"
run 2 tend export "$PLAN" --from 2026-12-26 --to 2026-12-25
expect_eq "backwards window" "$ERR" "tend: error: --to must come after --from
see 'tend help export'"
run 2 tend export "$PLAN" --from 2026-13-01
expect_contains "bad date" "$ERR" "tend: error: --from: '2026-13-01' is not a time tend understands"
run 1 tend export "$SCRATCH/no-such-folder/plan.ics"
expect_eq "missing folder" "$ERR" "tend: error: cannot write '$SCRATCH/no-such-folder/plan.ics': No such file or directory"
mkdir "$SCRATCH/taken.ics"
run 1 tend export "$SCRATCH/taken.ics"
expect_eq "folder in the way" "$ERR" "tend: error: cannot write '$SCRATCH/taken.ics': Is a directory"
expect_eq "old file untouched" "$(cmp "$SCRATCH/before.ics" "$PLAN" && echo same)" "same"
expect_eq "no temporary files left" "$(find "$SCRATCH" -maxdepth 1 -name '.*.ics.*' | wc -l)" "0"

# Nothing yet: still a valid calendar, and a kind word.
TEND_DB="$SCRATCH/empty.db" run 0 tend export "$SCRATCH/empty.ics"
expect_eq "empty message" "$OUT" "Wrote 0 stressors and 0 activities to $SCRATCH/empty.ics.
There is nothing in it yet; 'tend stressor add' names a hard day when you are ready."
run 0 check_js "$SCRATCH/empty.ics"
expect_eq "empty, ical.js" "$OUT" "version=2.0 | prodid=-//tend//tend 0.1.0//EN | calscale=GREGORIAN | method=PUBLISH | x-wr-calname=tend plan | x-wr-timezone=Europe/London"
run 0 check_py "$SCRATCH/empty.ics"

# An autumn overlap: 01:30 happens twice in New York on 1 November 2026, and the party ends
# at the first (05:30Z). Both parsers must read it so; they read a repeated wall time with
# a TZID as the second, so tend writes it in UTC.
export TEND_DB="$SCRATCH/autumn.db"
TZ=America/New_York run 0 tend stressor add "Halloween party" --start 2026-10-31T21:00 \
    --end 2026-11-01T01:30 --kind other --intensity 2
TZ=America/New_York run 0 tend export "$SCRATCH/autumn.ics" --no-alarms
run 0 check_js "$SCRATCH/autumn.ics"
expect_contains "overlap, ical.js" "$OUT" "| Halloween party | 2026-11-01T01:00:00Z | 2026-11-01T05:30:00Z |"
run 0 check_py "$SCRATCH/autumn.ics"
expect_contains "overlap, python3-icalendar" "$OUT" "| Halloween party | 2026-11-01T01:00:00Z | 2026-11-01T05:30:00Z |"
finish
