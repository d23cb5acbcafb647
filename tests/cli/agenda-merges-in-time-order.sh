#!/usr/bin/env bash
# `tend agenda` merges imported events, stressors and planned activities in time order,
# day by day in the person's zone, from today to 14 days ahead by default; --json gives
# UTC instants for timed items and dates (end exclusive) for all-day ones.
source "$(dirname "$0")/lib.sh"
export TEND_NOW=2026-12-14T12:00:00Z TZ=America/New_York

run 0 tend agenda
expect_eq "empty" "$OUT" "Nothing planned in this stretch. A quiet few days can be a gift."

run 0 tend import "$TEND_DATA_DIR/calendars/example-family.ics"
run 0 tend stressor add "Carols with the neighbours" --start 2026-12-16T19:00 --end 2026-12-16T21:00 --kind other --intensity 2
run 0 tend stressor add "Mum's anniversary" --start 2026-12-17 --end 2026-12-17 --kind grief --intensity 4
run 0 tend plan

run 0 tend agenda
expect_eq "default fortnight" "$OUT" "$(cat <<'TEXT'
Tue 15 Dec 2026
  14:00-14:20  Rehearse your boundary words for Carols with the neighbours  (care)
  17:00-17:50  Therapy with Dr. Okafor  (Family)

Wed 16 Dec 2026
  08:00-08:15  Ground yourself before Carols with the neighbours: feet on the floor, slow breaths  (care)
  19:00-21:00  Carols with the neighbours  (hard day)
  20:30-20:35  A quiet check-in: how are you doing?  (care)
  21:00-21:45  Decompress after Carols with the neighbours: somewhere quiet, nothing to prove  (care)

Thu 17 Dec 2026
  all day      Kids' winter school concert  (Family)
  all day      Mum's anniversary  (hard day)
  09:00-09:10  A gentle check-in during Mum's anniversary: how are you today?  (care)
  10:00-10:20  Reflect on Carols with the neighbours: what helped, what you needed  (care)
  15:00-15:20  Something restoring during Mum's anniversary: a walk, music, a warm drink  (care)

Sat 19 Dec 2026
  10:00-11:30  Grocery run  (Family)

Tue 22 Dec 2026
  17:00-17:50  Therapy with Dr. Okafor  (Family)

Thu 24 Dec 2026
  17:00-21:00  Christmas Eve dinner at Dad's  (Family)

Sat 26 Dec 2026
  10:00-11:30  Grocery run  (Family)
TEXT
)"

run 0 tend agenda --from 2026-12-17 --to 2026-12-17 --json
expect_eq "one day as json" "$(jq -c '.[] | [.type, .id, .title, .start, .end, .all_day, .calendar]' <<<"$OUT")" \
'["event",7,"Kids'"'"' winter school concert","2026-12-17","2026-12-18",true,"Family"]
["stressor",2,"Mum'"'"'s anniversary","2026-12-17","2026-12-18",true,null]
["activity",6,"A gentle check-in during Mum'"'"'s anniversary: how are you today?","2026-12-17T14:00:00Z","2026-12-17T14:10:00Z",false,null]
["activity",5,"Reflect on Carols with the neighbours: what helped, what you needed","2026-12-17T15:00:00Z","2026-12-17T15:20:00Z",false,null]
["activity",7,"Something restoring during Mum'"'"'s anniversary: a walk, music, a warm drink","2026-12-17T20:00:00Z","2026-12-17T20:20:00Z",false,null]'

# The weekly therapy series skips its EXDATE (29 Dec) and keeps 17:00 local time.
run 0 tend agenda --from 2026-12-28 --to 2027-01-06 --json
expect_eq "therapy dates" "$(jq -c '[.[] | select(.title | startswith("Therapy")) | .start]' <<<"$OUT")" \
    '["2027-01-05T22:00:00Z"]'

# A time zone changes where the days fall, not the instants.
run 0 env TZ=Europe/London "$TEND_BIN" agenda --from 2026-12-16 --to 2026-12-16
expect_eq "London day" "$OUT" "Wed 16 Dec 2026
  13:00-13:15  Ground yourself before Carols with the neighbours: feet on the floor, slow breaths  (care)"

run 2 tend agenda --from 2026-12-20 --to 2026-12-19
expect_eq "backwards" "$ERR" "tend: error: --to must come after --from
see 'tend help agenda'"
run 2 tend agenda --from yesterday
expect_contains "bad from" "$ERR" "tend: error: --from: 'yesterday' is not a time tend understands"
finish
