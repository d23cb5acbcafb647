#!/usr/bin/env bash
# note export: a summary of a date range for a therapist, from the fixture season
# (tests/data/insights-season.sh): hard days with their plans and what was done or
# skipped, their notes and before/after means, other notes, and ratings; exactly, as
# Markdown and JSON. Bad input exits 2.
source "$(dirname "$0")/lib.sh"

run 0 tend note export --from 2026-12-20 --to 2026-12-28
expect_eq "empty" "$OUT" "# Notes and plans, Sun 20 Dec 2026 to Mon 28 Dec 2026

Written by tend from your own notes and plans. Share as much or as little of it
as you like.

Nothing was written or planned in these days."
[ ! -e "$TEND_DB" ] || fail "export created the database"

source "$DATA/insights-season.sh"

run 0 tend note export --from 2026-12-20 --to 2026-12-28
expected=$(cat <<'TEXT'
# Notes and plans, Sun 20 Dec 2026 to Mon 28 Dec 2026

Written by tend from your own notes and plans. Share as much or as little of it
as you like.

## Christmas dinner at Mum's

Fri 25 Dec 2026 14:00 to 19:30 · family · how hard: 4 of 5

Plan:
- Wed 23 Dec 2026 14:00 · Rehearse your boundary words for Christmas dinner at Mum's · not marked
- Thu 24 Dec 2026 14:00 · Rehearse your boundary words for Christmas dinner at Mum's · skipped, and that's okay
- Fri 25 Dec 2026 08:00 · Ground yourself before Christmas dinner at Mum's: feet on the floor, slow breaths · done
- Fri 25 Dec 2026 15:30 · A quiet check-in: how are you doing? · not marked
- Fri 25 Dec 2026 17:00 · A quiet check-in: how are you doing? · not marked
- Fri 25 Dec 2026 18:30 · A quiet check-in: how are you doing? · not marked
- Fri 25 Dec 2026 19:30 · Decompress after Christmas dinner at Mum's: somewhere quiet, nothing to prove · done
- Sat 26 Dec 2026 10:00 · Reflect on Christmas dinner at Mum's: what helped, what you needed · not marked

Notes:
- Thu 24 Dec 2026 20:00 · mood 4 · stress 7 · #body
  Tight chest thinking about tomorrow.
- Fri 25 Dec 2026 09:00 · mood 5 · stress 8
  Feet on the floor, then coffee.
- Fri 25 Dec 2026 16:00 · mood 2 · stress 9
  Stepped out to the garden.
- Fri 25 Dec 2026 21:00 · mood 6 · stress 4
  Home. I left when I said I would.

Mood before 4.5 (2 notes), after 6.0 (1 note).
Stress before 7.5 (2 notes), after 4.0 (1 note).

## Boxing Day at Dad's

Sat 26 Dec 2026 12:00 to 16:00 · family · how hard: 3 of 5

Plan:
- Fri 25 Dec 2026 13:30 · Rehearse your boundary words for Boxing Day at Dad's · not marked
- Sat 26 Dec 2026 08:00 · Ground yourself before Boxing Day at Dad's: feet on the floor, slow breaths · done
- Sat 26 Dec 2026 13:30 · A quiet check-in: how are you doing? · not marked
- Sat 26 Dec 2026 15:00 · A quiet check-in: how are you doing? · not marked
- Sat 26 Dec 2026 16:00 · Decompress after Boxing Day at Dad's: somewhere quiet, nothing to prove · skipped, and that's okay
- Sun 27 Dec 2026 10:00 · Reflect on Boxing Day at Dad's: what helped, what you needed · not marked

Notes:
- Sat 26 Dec 2026 10:00 · mood 5 · stress 6
  Tired but okay.
- Sat 26 Dec 2026 18:00 · mood 6 · stress 5
  Dad asked about work; I changed the subject.

Mood before 5.0 (1 note), after 6.0 (1 note).
Stress before 6.0 (1 note), after 5.0 (1 note).

## Other notes

- Mon 28 Dec 2026 11:00 · mood 7 · stress 2 · #walk
  A quiet walk by the river.

## Strategies rated

- Feel your feet on the floor: 5 of 5
- Land gently when you get home: 2 of 5
TEXT
)
expect_eq "markdown" "$OUT" "$expected"
run 0 tend note export --from 2026-12-20 --to 2026-12-28 --format md
expect_eq "--format md is the default" "$OUT" "$expected"

run 0 tend note export --from 2026-12-20 --to 2026-12-28 --format json
expect_eq "json entries" "$(jq -c '[.[] | [.id, .type]]' <<<"$OUT")" \
    '[[1,"stressor"],[2,"stressor"],[9,"note"],["feet-on-floor","strategy"],["decompress-at-home","strategy"]]'
expect_eq "json christmas" "$(jq -c '.[0] | [.title, .kind, .intensity, .start, .end, .all_day, .mood_before, .mood_after, .stress_before, .stress_after]' <<<"$OUT")" \
    '["Christmas dinner at Mum'"'"'s","family",4,"2026-12-25T14:00:00Z","2026-12-25T19:30:00Z",false,{"mean":4.5,"notes":2},{"mean":6,"notes":1},{"mean":7.5,"notes":2},{"mean":4,"notes":1}]'
expect_eq "json christmas plan" "$(jq -c '[.[0].activities[] | [.kind, .start, .outcome, .past]]' <<<"$OUT")" \
    '[["rehearse","2026-12-23T14:00:00Z","planned",true],["rehearse","2026-12-24T14:00:00Z","skipped",true],["ground","2026-12-25T08:00:00Z","done",true],["checkin","2026-12-25T15:30:00Z","planned",true],["checkin","2026-12-25T17:00:00Z","planned",true],["checkin","2026-12-25T18:30:00Z","planned",true],["decompress","2026-12-25T19:30:00Z","done",true],["reflect","2026-12-26T10:00:00Z","planned",true]]'
expect_eq "json christmas notes" "$(jq -c '[.[0].notes[] | [.id, .created, .mood, .stress, .tags, .text]]' <<<"$OUT")" \
    '[[3,"2026-12-24T20:00:00Z",4,7,["body"],"Tight chest thinking about tomorrow."],[4,"2026-12-25T09:00:00Z",5,8,[],"Feet on the floor, then coffee."],[5,"2026-12-25T16:00:00Z",2,9,[],"Stepped out to the garden."],[6,"2026-12-25T21:00:00Z",6,4,[],"Home. I left when I said I would."]]'
expect_eq "json other note and ratings" "$(jq -c '[.[2] | .text, .tags], [.[3:][] | .rating]' <<<"$OUT")" \
    '["A quiet walk by the river.",["walk"]]
[5,2]'

# Before it was all marked: the days ahead are "planned", not "not marked".
TEND_NOW=2026-12-24T20:30:00Z run 0 tend note export --from 2026-12-26 --to 2026-12-26
expect_contains "future is planned" "$OUT" "- Sat 26 Dec 2026 15:00 · A quiet check-in: how are you doing? · planned"

run 2 tend note export --from 2026-12-20
expect_eq "needs both dates" "$ERR" "tend: error: note export needs --from DATE and --to DATE, such as --from 2026-12-01 --to 2026-12-31
see 'tend help note'"
run 2 tend note export --from 2026-12-20 --to 2026-12-28 --format pdf
expect_eq "bad format" "$ERR" "tend: error: --format is md or json, not 'pdf'
see 'tend help note'"
run 2 tend note export --from 2026-12-28 --to 2026-12-20
expect_eq "backwards" "$ERR" "tend: error: --to must come after --from
see 'tend help note'"
finish
