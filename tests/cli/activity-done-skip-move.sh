#!/usr/bin/env bash
# tend activity: list what is planned with ids, mark done or skipped, move by hand;
# tend plan then never moves any of them, even when a new event covers them; bad
# input is refused with exit 2 and changes nothing.
source "$(dirname "$0")/lib.sh"
export TZ=America/New_York

run 0 tend activity list
expect_eq "empty" "$OUT" "Nothing is planned from today on. 'tend plan' places care around your hard days."
run 0 tend stressor add "Call with Dad" --start 2026-12-22T17:00 --end 2026-12-22T18:30 --kind family --intensity 3
run 0 tend plan
run 0 tend activity list
expect_eq "list" "$OUT" "   1  Mon 21 Dec 2026 14:00-14:20  Rehearse your boundary words for Call with Dad
   2  Tue 22 Dec 2026 08:00-08:15  Ground yourself before Call with Dad: feet on the floor, slow breaths
   3  Tue 22 Dec 2026 18:30-19:15  Decompress after Call with Dad: somewhere quiet, nothing to prove
   4  Wed 23 Dec 2026 10:00-10:20  Reflect on Call with Dad: what helped, what you needed"

run 0 tend activity move 1 --to 2026-12-21T11:00
expect_eq "moved" "$OUT" "Moved 'Rehearse your boundary words for Call with Dad' to Mon 21 Dec 2026 11:00. tend plan will leave it where you put it."
run 0 tend activity done 2
expect_eq "done" "$OUT" "Done: 'Ground yourself before Call with Dad: feet on the floor, slow breaths'. That was care for yourself."
run 0 tend activity skip 4
expect_eq "skipped" "$OUT" "Skipped 'Reflect on Call with Dad: what helped, what you needed', and that's okay."
run 0 tend activity list --json
expect_eq "json" "$(jq -c '.[] | [.id, .start, .end, .status, .pinned]' <<<"$OUT")" \
'[1,"2026-12-21T16:00:00Z","2026-12-21T16:20:00Z","planned",true]
[2,"2026-12-22T13:00:00Z","2026-12-22T13:15:00Z","done",false]
[3,"2026-12-22T23:30:00Z","2026-12-23T00:15:00Z","planned",false]
[4,"2026-12-23T15:00:00Z","2026-12-23T15:20:00Z","skipped",false]'

# New busy events over all four: only the decompression (untouched by hand) moves,
# to right after the dinner ends (20:00).
utc() { date -u -d "$1" +%s; }
sqlite3 "$TEND_DB" "
INSERT INTO calendars (name, imported_at) VALUES ('Family', 0);
INSERT INTO events (id, calendar_id, uid, summary, start_utc, end_utc, all_day, transparent, raw, raw_hash)
VALUES (1, 1, 'a@test', 'Errands', $(utc 2026-12-21T15:30:00Z), $(utc 2026-12-21T17:00:00Z), 0, 0, '', ''),
       (2, 1, 'b@test', 'Breakfast', $(utc 2026-12-22T12:30:00Z), $(utc 2026-12-22T14:00:00Z), 0, 0, '', ''),
       (3, 1, 'c@test', 'Dinner', $(utc 2026-12-22T23:30:00Z), $(utc 2026-12-23T01:00:00Z), 0, 0, '', ''),
       (4, 1, 'd@test', 'Coffee', $(utc 2026-12-23T14:30:00Z), $(utc 2026-12-23T16:00:00Z), 0, 0, '', '');
INSERT INTO occurrences SELECT id, start_utc, end_utc FROM events;"
run 0 tend plan
expect_contains "one moved" "$OUT" "(kept 3, moved 1)"
run 0 tend activity list --all --json
expect_eq "after plan" "$(jq -c '.[] | [.id, .start, .status, .pinned]' <<<"$OUT")" \
'[1,"2026-12-21T16:00:00Z","planned",true]
[2,"2026-12-22T13:00:00Z","done",false]
[3,"2026-12-23T01:00:00Z","planned",false]
[4,"2026-12-23T15:00:00Z","skipped",false]'

# A skipped activity leaves the exported calendar; done and moved ones stay.
run 0 tend export -
expect_eq "exported activities" "$(grep -c '^SUMMARY:' <<<"$OUT")" "4"
expect_contains "moved exported" "$OUT" "DTSTART;TZID=America/New_York:20261221T110000"

before=$(sqlite3 "$TEND_DB" "SELECT * FROM activities ORDER BY id")
run 2 tend activity move 1
expect_eq "move needs --to" "$ERR" "tend: error: activity move needs --to TIME, such as 2026-12-24T11:00
see 'tend help activity'"
run 2 tend activity move 1 --to tomorrow
expect_contains "bad time" "$ERR" "tend: error: --to: 'tomorrow' is not a time tend understands"
run 2 tend activity done
expect_contains "needs id" "$ERR" "activity done takes one ID"
run 2 tend activity finish 1
expect_contains "bad action" "$ERR" "'finish' is not an activity action; use list, done, skip or move"
run 1 tend activity skip 99
expect_eq "unknown id" "$ERR" "tend: error: no activity with id 99; 'tend activity list' shows them"
expect_eq "nothing changed" "$(sqlite3 "$TEND_DB" "SELECT * FROM activities ORDER BY id")" "$before"
finish
