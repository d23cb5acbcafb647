#!/usr/bin/env bash
# tend plan: places care around a hard day and a short visit in free time, says so
# warmly, changes nothing the second time, moves (never duplicates) an activity a
# new event covers, previews with --dry-run, and refuses bad windows with exit 2.
source "$(dirname "$0")/lib.sh"
export TZ=America/New_York

run 0 tend plan
expect_eq "nothing yet" "$OUT" "No hard days between Sun 20 Dec 2026 and Wed 17 Feb 2027, so there is nothing to plan.
'tend stressor add' names one whenever you are ready."

run 0 tend stressor add "Christmas dinner" --start 2026-12-25T14:00 --end 2026-12-25T19:30 \
    --kind family --intensity 4
run 0 tend stressor add "Cousins visiting" --start 2026-12-28 --end 2026-12-29 --intensity 2

# Busy time as the importer stores it: a dentist visit, a transparent (free) church
# service over the morning, and an all-day shift on Boxing Day.
utc() { date -u -d "$1" +%s; }
sqlite3 "$TEND_DB" "
INSERT INTO calendars (name, imported_at) VALUES ('Family', 0);
INSERT INTO events (id, calendar_id, uid, summary, start_utc, end_utc, all_day, transparent, raw, raw_hash)
VALUES (1, 1, 'dentist@test', 'Dentist', $(utc 2026-12-24T18:30:00Z), $(utc 2026-12-24T20:00:00Z), 0, 0, '', ''),
       (2, 1, 'church@test', 'Church', $(utc 2026-12-25T12:00:00Z), $(utc 2026-12-25T15:00:00Z), 0, 1, '', ''),
       (3, 1, 'shift@test', 'Boxing Day shift', $(utc 2026-12-26T00:00:00Z), $(utc 2026-12-27T00:00:00Z), 1, 0, '', '');
INSERT INTO occurrences SELECT id, start_utc, end_utc FROM events;"

plan_list="Wed 23 Dec 2026 14:00-14:20  Rehearse your boundary words for Christmas dinner
Thu 24 Dec 2026 15:00-15:20  Rehearse your boundary words for Christmas dinner
Fri 25 Dec 2026 08:00-08:15  Ground yourself before Christmas dinner: feet on the floor, slow breaths
Fri 25 Dec 2026 15:30-15:35  A quiet check-in: how are you doing?  (a reminder only)
Fri 25 Dec 2026 17:00-17:05  A quiet check-in: how are you doing?  (a reminder only)
Fri 25 Dec 2026 18:30-18:35  A quiet check-in: how are you doing?  (a reminder only)
Fri 25 Dec 2026 19:30-20:15  Decompress after Christmas dinner: somewhere quiet, nothing to prove
Mon 28 Dec 2026 09:00-09:10  A gentle check-in during Cousins visiting: how are you today?
Mon 28 Dec 2026 15:00-15:20  Something restoring during Cousins visiting: a walk, music, a warm drink
Tue 29 Dec 2026 09:00-09:10  A gentle check-in during Cousins visiting: how are you today?
Tue 29 Dec 2026 15:00-15:20  Something restoring during Cousins visiting: a walk, music, a warm drink
No free 20 minutes the day after 'Christmas dinner' to reflect; the nearest free time is Fri 25 Dec 21:30."

run 0 tend plan
expect_eq "first plan" "$OUT" "Planned 11 new activities around 2 stressors (kept 0, moved 0).
$plan_list"
rows_before=$(sqlite3 "$TEND_DB" "SELECT * FROM activities ORDER BY id")

run 0 tend plan
expect_eq "second plan" "$OUT" "Your plan is up to date: all 11 activities kept as they were.
$plan_list"
expect_eq "rows unchanged" "$(sqlite3 "$TEND_DB" "SELECT * FROM activities ORDER BY id")" "$rows_before"

run 0 tend plan --json
expect_eq "json" "$(jq -c '.[] | [.id, .stressor_id, .kind, .start, .end, .busy, .status]' <<<"$OUT")" \
'[2,1,"rehearse","2026-12-23T19:00:00Z","2026-12-23T19:20:00Z",true,"planned"]
[1,1,"rehearse","2026-12-24T20:00:00Z","2026-12-24T20:20:00Z",true,"planned"]
[3,1,"ground","2026-12-25T13:00:00Z","2026-12-25T13:15:00Z",true,"planned"]
[4,1,"checkin","2026-12-25T20:30:00Z","2026-12-25T20:35:00Z",false,"planned"]
[5,1,"checkin","2026-12-25T22:00:00Z","2026-12-25T22:05:00Z",false,"planned"]
[6,1,"checkin","2026-12-25T23:30:00Z","2026-12-25T23:35:00Z",false,"planned"]
[7,1,"decompress","2026-12-26T00:30:00Z","2026-12-26T01:15:00Z",true,"planned"]
[8,2,"checkin","2026-12-28T14:00:00Z","2026-12-28T14:10:00Z",true,"planned"]
[10,2,"restore","2026-12-28T20:00:00Z","2026-12-28T20:20:00Z",true,"planned"]
[9,2,"checkin","2026-12-29T14:00:00Z","2026-12-29T14:10:00Z",true,"planned"]
[11,2,"restore","2026-12-29T20:00:00Z","2026-12-29T20:20:00Z",true,"planned"]'
expect_eq "json title" "$(jq -r '.[0].title' <<<"$OUT")" "Rehearse your boundary words for Christmas dinner"
expect_eq "json notes on stderr" "$ERR" "No free 20 minutes the day after 'Christmas dinner' to reflect; the nearest free time is Fri 25 Dec 21:30."

# A call lands on the first rehearsal: --dry-run shows the move and keeps nothing.
sqlite3 "$TEND_DB" "
INSERT INTO events (id, calendar_id, uid, summary, start_utc, end_utc, all_day, transparent, raw, raw_hash)
VALUES (4, 1, 'call@test', 'Call', $(utc 2026-12-23T19:00:00Z), $(utc 2026-12-23T19:30:00Z), 0, 0, '', '');
INSERT INTO occurrences VALUES (4, $(utc 2026-12-23T19:00:00Z), $(utc 2026-12-23T19:30:00Z));"
moved_list="${plan_list/Wed 23 Dec 2026 14:00-14:20/Wed 23 Dec 2026 14:30-14:50}"
run 0 tend plan --dry-run
expect_eq "dry run" "$OUT" "Would plan 0 new activities around 2 stressors (kept 10, moved 1).
$moved_list
Nothing was changed; run 'tend plan' without --dry-run to keep this plan."
expect_eq "dry run stores nothing" "$(sqlite3 "$TEND_DB" "SELECT * FROM activities ORDER BY id")" "$rows_before"

run 0 tend plan
expect_eq "moved" "$OUT" "Planned 0 new activities around 2 stressors (kept 10, moved 1).
$moved_list"
expect_eq "same id, next sequence" "$(sqlite3 "$TEND_DB" "SELECT id, slot, start_utc, sequence FROM activities WHERE kind = 'rehearse' ORDER BY slot")" \
"1|0|$(utc 2026-12-24T20:00:00Z)|0
2|1|$(utc 2026-12-23T19:30:00Z)|1"
expect_eq "no duplicates" "$(sqlite3 "$TEND_DB" "SELECT count(*) FROM activities")" "11"

# A window is a pair of days; --to counts in full.
run 0 tend plan --from 2026-12-28 --to 2026-12-28
expect_eq "narrow window" "$OUT" "Your plan is up to date: all 4 activities kept as they were.
Mon 28 Dec 2026 09:00-09:10  A gentle check-in during Cousins visiting: how are you today?
Mon 28 Dec 2026 15:00-15:20  Something restoring during Cousins visiting: a walk, music, a warm drink
Tue 29 Dec 2026 09:00-09:10  A gentle check-in during Cousins visiting: how are you today?
Tue 29 Dec 2026 15:00-15:20  Something restoring during Cousins visiting: a walk, music, a warm drink"

# Bad input: exit 2, a message naming the problem, nothing changed.
run 2 tend plan --from 2026-12-32
expect_contains "bad from" "$ERR" "tend: error: --from: '2026-12-32' is not a time tend understands"
run 2 tend plan --from 2026-12-28 --to 2026-12-27
expect_eq "to before from" "$ERR" "tend: error: --to '2026-12-27' comes before --from; please pick a later day
see 'tend help plan'"
run 2 tend plan --from 2026-01-01 --to 2027-12-31
expect_contains "too long" "$ERR" "tend plans at most 400 days at a time"
run 2 tend plan tomorrow
expect_eq "argument" "$ERR" "tend: error: plan takes no arguments, only --from, --to, --json and --dry-run (or 'plan show ID')
see 'tend help plan'"
run 2 tend plan --soon
expect_contains "unknown option" "$ERR" "tend: error: plan: unknown option --soon"
expect_eq "nothing changed by bad input" "$(sqlite3 "$TEND_DB" "SELECT count(*), sum(sequence) FROM activities")" "11|1"
finish
