#!/usr/bin/env bash
# Importing the bundled example family calendar: exact summary line, the rows and
# occurrence instants it stores, and a second import that changes nothing.
source "$(dirname "$0")/lib.sh"
export TZ=America/New_York # TEND_NOW is 2026-12-20T09:00:00Z: the window is 19 Nov 2026 to 24 Jan 2028
EXAMPLE="${TEND_DATA_DIR:-$(dirname "$0")/../..}/calendars/example-family.ics"

sql() { sqlite3 "$TEND_DB" "$1"; }
utc() { echo "strftime('%Y-%m-%dT%H:%M:%SZ', $1, 'unixepoch')"; }

run 0 tend import "$EXAMPLE"
expect_eq "summary" "$OUT" "Imported 'Family' from example-family.ics: added 7, updated 0, removed 0, unchanged 0"
expect_eq "no warnings" "$ERR" ""

expect_eq "calendar row" "$(sql "SELECT id, name FROM calendars")" "1|Family"
expect_eq "events" "$(sql "SELECT uid, summary, all_day, transparent, tzid FROM events ORDER BY id")" \
"thanksgiving-at-moms@example.tend|Thanksgiving at Mom's|0|0|America/New_York
christmas-eve-at-dads@example.tend|Christmas Eve dinner at Dad's|0|0|America/New_York
office-holiday-party@example.tend|Office holiday party|0|0|America/New_York
new-year-brunch@example.tend|New Year's Day brunch with the in-laws|0|0|America/New_York
therapy-tuesdays@example.tend|Therapy with Dr. Okafor|0|0|America/New_York
saturday-groceries@example.tend|Grocery run|0|1|America/New_York
kids-winter-concert@example.tend|Kids' winter school concert|1|1|"
expect_eq "location" "$(sql "SELECT location FROM events WHERE uid = 'thanksgiving-at-moms@example.tend'")" \
    "Mom's house, 42 Maple Street, Hartford, CT"

expect_eq "occurrences per event" "$(sql "SELECT e.uid, count(*) FROM occurrences o JOIN events e ON e.id = o.event_id GROUP BY e.id ORDER BY e.id")" \
"thanksgiving-at-moms@example.tend|2
christmas-eve-at-dads@example.tend|2
office-holiday-party@example.tend|2
new-year-brunch@example.tend|2
therapy-tuesdays@example.tend|60
saturday-groceries@example.tend|62
kids-winter-concert@example.tend|2"

# The hard days, at their New York wall times in UTC (standard time, UTC-5).
expect_eq "stressful instants" "$(sql "SELECT e.uid, $(utc o.start_utc), $(utc o.end_utc) FROM occurrences o JOIN events e ON e.id = o.event_id WHERE e.id <= 4 ORDER BY o.start_utc")" \
"thanksgiving-at-moms@example.tend|2026-11-26T19:00:00Z|2026-11-27T00:00:00Z
office-holiday-party@example.tend|2026-12-11T23:00:00Z|2026-12-12T03:00:00Z
christmas-eve-at-dads@example.tend|2026-12-24T22:00:00Z|2026-12-25T02:00:00Z
new-year-brunch@example.tend|2027-01-01T16:00:00Z|2027-01-01T19:00:00Z
thanksgiving-at-moms@example.tend|2027-11-25T19:00:00Z|2027-11-26T00:00:00Z
office-holiday-party@example.tend|2027-12-10T23:00:00Z|2027-12-11T03:00:00Z
christmas-eve-at-dads@example.tend|2027-12-24T22:00:00Z|2027-12-25T02:00:00Z
new-year-brunch@example.tend|2028-01-01T16:00:00Z|2028-01-01T19:00:00Z"

# Therapy: 17:00 New York stays 17:00 across the March change; 29 Dec 2026 is left out.
expect_eq "therapy around the holidays" "$(sql "SELECT $(utc o.start_utc), $(utc o.end_utc) FROM occurrences o JOIN events e ON e.id = o.event_id WHERE e.uid = 'therapy-tuesdays@example.tend' AND o.start_utc BETWEEN strftime('%s', '2026-12-20') AND strftime('%s', '2027-01-06') ORDER BY 1")" \
"2026-12-22T22:00:00Z|2026-12-22T22:50:00Z
2027-01-05T22:00:00Z|2027-01-05T22:50:00Z"
expect_eq "therapy in summer time" "$(sql "SELECT $(utc o.start_utc) FROM occurrences o JOIN events e ON e.id = o.event_id WHERE e.uid = 'therapy-tuesdays@example.tend' AND o.start_utc BETWEEN strftime('%s', '2027-03-08') AND strftime('%s', '2027-03-17') ORDER BY 1")" \
"2027-03-09T22:00:00Z
2027-03-16T21:00:00Z"

# The concert is a whole day held as a date: exactly one day, end exclusive.
expect_eq "all-day concert" "$(sql "SELECT strftime('%Y-%m-%d', o.start_utc, 'unixepoch'), o.end_utc - o.start_utc FROM occurrences o JOIN events e ON e.id = o.event_id WHERE e.all_day = 1 ORDER BY 1")" \
"2026-12-17|86400
2027-12-16|86400"

before=$(sqlite3 "$TEND_DB" "SELECT * FROM events ORDER BY id; SELECT * FROM occurrences ORDER BY event_id, start_utc")
run 0 tend import "$EXAMPLE"
expect_eq "second import" "$OUT" "Imported 'Family' from example-family.ics: added 0, updated 0, removed 0, unchanged 7"
after=$(sqlite3 "$TEND_DB" "SELECT * FROM events ORDER BY id; SELECT * FROM occurrences ORDER BY event_id, start_utc")
expect_eq "second import changed nothing" "$after" "$before"

run 0 tend import "$EXAMPLE" --calendar "Family (copy)" --json
expect_eq "json" "$(jq -c '[.[] | [.id, .calendar, .added, .updated, .removed, .unchanged, .skipped, (.warnings | length)]]' <<<"$OUT")" \
    '[[2,"Family (copy)",7,0,0,0,0,0]]'
expect_eq "two calendars" "$(sql "SELECT c.name, count(e.id) FROM calendars c JOIN events e ON e.calendar_id = c.id GROUP BY c.id ORDER BY c.id")" \
"Family|7
Family (copy)|7"
finish
