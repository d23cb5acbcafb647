#!/usr/bin/env bash
# `tend demo` runs the whole loop on the bundled example in its own folder: import,
# name the hard days, plan, export a valid plan.ics, and print the agenda. A second
# run changes nothing, and the person's own database is never created.
source "$(dirname "$0")/lib.sh"
export TEND_NOW=2026-11-28T09:00:00Z TZ=America/New_York
HERE=$(cd "$(dirname "$0")" && pwd)
dir="$SCRATCH/demo"

run 0 tend demo --dir "$dir"
expect_eq "first run" "$OUT" "$(sed "s|@DIR@|$dir|g" "$DATA/demo-2026-11-28-new-york.txt")"
[ ! -e "$TEND_DB" ] || fail "the demo created the person's own database"
expect_eq "demo folder is private" "$(stat -c %a "$dir/tend.db")" "600"

# The export is valid iCalendar with one event per stressor and activity.
checked=$(/usr/bin/python3 "$HERE/check-ics.py" "$dir/plan.ics") || fail "plan.ics is not valid"
expect_eq "events in plan.ics" "$(tail -n +2 <<<"$checked" | wc -l)" "21"
expect_eq "the hard days in plan.ics" "$(grep -v '@tend | \(Rehearse\|Ground\|A quiet\|Decompress\|Reflect\)' <<<"$checked" | tail -n +2 | cut -d'|' -f2-6 | sed 's/ $//')" \
" Office holiday party | 2026-12-11T23:00:00Z | 2026-12-12T03:00:00Z | OPAQUE | -
 Christmas Eve dinner at Dad's | 2026-12-24T22:00:00Z | 2026-12-25T02:00:00Z | OPAQUE | -
 New Year's Day brunch with the in-laws | 2027-01-01T16:00:00Z | 2027-01-01T19:00:00Z | OPAQUE | -"
expect_eq "check-ins are free time" "$(grep -c 'A quiet check-in.*| TRANSPARENT |' <<<"$checked")" "5"

# Running it again in the same folder changes nothing.
before=$(sqlite3 "$dir/tend.db" "SELECT id, uid, start_utc, end_utc, sequence FROM activities ORDER BY id")
run 0 tend demo --dir "$dir"
expect_contains "second run import" "$OUT" "1. Read the example family calendar: 7 events (added 0, updated 0, removed 0, unchanged 7)."
expect_contains "second run plan" "$OUT" "3. Planned care around them: 0 new, 18 kept, 0 moved."
expect_eq "activities unchanged" "$(sqlite3 "$dir/tend.db" "SELECT id, uid, start_utc, end_utc, sequence FROM activities ORDER BY id")" "$before"
expect_eq "stressors not doubled" "$(sqlite3 "$dir/tend.db" "SELECT count(*) FROM stressors")" "3"

# The exported plan imports back into a calendar as updates, never duplicates.
run 0 tend import "$dir/plan.ics" --calendar "tend plan"
expect_eq "plan.ics imports" "$OUT" "Imported 'tend plan' from plan.ics: added 21, updated 0, removed 0, unchanged 0"
run 0 tend import "$dir/plan.ics" --calendar "tend plan"
expect_eq "plan.ics re-imports" "$OUT" "Imported 'tend plan' from plan.ics: added 0, updated 0, removed 0, unchanged 21"

# A folder that cannot be made is a clear runtime error.
run 1 tend demo --dir /proc/tend-demo
expect_contains "bad dir" "$ERR" "tend: error: cannot create the folder '/proc/tend-demo'"
finish
