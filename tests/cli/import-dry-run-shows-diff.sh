#!/usr/bin/env bash
# import-dry-run-shows-diff.sh: `tend import --dry-run` prints the counts and every
# event that would be added, updated or removed, and writes nothing: no database is
# created, and an existing one keeps every byte of its content.
. "$(dirname "$0")/lib.sh"
export TZ=America/New_York

run 0 tend import --dry-run "$DATA/import-mirror-v1.ics"
expect_eq "first dry run" "$OUT" "Importing 'Work' from import-mirror-v1.ics: added 3, updated 0, removed 0, unchanged 0
  added    Mon 07 Dec 2026 10:00  Standup
  added    Wed 09 Dec 2026 14:00  Year-end review
  added    Fri 11 Dec 2026 12:00  Team lunch
This was a dry run: nothing was saved. Run it without --dry-run to import."
[ ! -e "$TEND_DB" ] || fail "a dry run created $TEND_DB"

run 0 tend import "$DATA/import-mirror-v1.ics"
dump() { sqlite3 "$TEND_DB" "SELECT * FROM calendars; SELECT * FROM events; SELECT * FROM occurrences;"; }
before=$(dump)

run 0 tend import --dry-run "$DATA/import-mirror-v2.ics"
expect_eq "dry run of a newer export" "$OUT" "Importing 'Work' from import-mirror-v2.ics: added 1, updated 1, removed 1, unchanged 1
  added    Fri 18 Dec 2026 18:00  Holiday party
  updated  Thu 10 Dec 2026 11:00  Year-end review (moved)
  removed  Fri 11 Dec 2026 12:00  Team lunch
This was a dry run: nothing was saved. Run it without --dry-run to import."
expect_eq "the dry run wrote nothing" "$(dump)" "$before"

run 0 tend import --dry-run --json "$DATA/import-mirror-v2.ics"
expect_eq "json changes" "$(jq -c '.[0] | [.dry_run, .added, .updated, .removed, .unchanged, [.changes[] | [.change, .uid, .start]]]' <<<"$OUT")" \
    '[true,1,1,1,1,[["added","party@example.tend","2026-12-18T23:00:00Z"],["updated","review@example.tend","2026-12-10T16:00:00Z"],["removed","lunch@example.tend","2026-12-11T17:00:00Z"]]]'
expect_eq "the json dry run wrote nothing" "$(dump)" "$before"

# the real import does what the dry run said
run 0 tend import "$DATA/import-mirror-v2.ics"
expect_eq "real import" "$OUT" "Imported 'Work' from import-mirror-v2.ics: added 1, updated 1, removed 1, unchanged 1"
run 0 tend import --dry-run "$DATA/import-mirror-v2.ics"
expect_eq "nothing left to do" "$OUT" "Importing 'Work' from import-mirror-v2.ics: added 0, updated 0, removed 0, unchanged 3
This was a dry run: nothing was saved. Run it without --dry-run to import."

# a file that is not iCalendar fails the dry run the same way, exit 1
run 1 tend import --dry-run "$DATA/import-not-calendar.ics"
expect_contains "bad file" "$ERR" "is not an iCalendar file"

finish
