#!/usr/bin/env bash
# Stressors: added with local times, dates or offsets, listed in time order as text and
# JSON, shown, removed; bad input exits 2 and stores nothing.
source "$(dirname "$0")/lib.sh"
export TZ=America/New_York

run 0 tend stressor add "Christmas dinner at Mom's" --start 2026-12-25T14:00 --end 2026-12-25T19:30 \
    --kind family --intensity 4 --location "Mom's house"
expect_eq "add" "$OUT" "Added stressor 1: Christmas dinner at Mom's (Fri 25 Dec 2026 14:00 to Fri 25 Dec 2026 19:30)
When you are ready, 'tend plan' will place some care around it."
run 0 tend stressor add "The whole season" --start 2026-12-20 --end 2027-01-02 --kind holiday --intensity 2
run 0 tend stressor add "Office party" --start 2026-12-18T18:00-05:00 --end 2026-12-19T02:00Z --kind work

run 0 tend stressor list
expect_eq "list" "$OUT" "   3  Office party  [work, intensity 3]  Fri 18 Dec 2026 18:00 to Fri 18 Dec 2026 21:00
   2  The whole season  [holiday, intensity 2]  Sun 20 Dec 2026 to Sat 02 Jan 2027, all day
   1  Christmas dinner at Mom's  [family, intensity 4]  Fri 25 Dec 2026 14:00 to Fri 25 Dec 2026 19:30"

run 0 tend stressor list --json
expect_eq "json ids" "$(jq -c '[.[] | [.id, .start, .end, .all_day, .kind]]' <<<"$OUT")" \
    '[[3,"2026-12-18T23:00:00Z","2026-12-19T02:00:00Z",false,"work"],[2,"2026-12-20","2027-01-03",true,"holiday"],[1,"2026-12-25T19:00:00Z","2026-12-26T00:30:00Z",false,"family"]]'

run 0 tend stressor show 1
expect_eq "show" "$OUT" "Christmas dinner at Mom's
  when:      Fri 25 Dec 2026 14:00 to Fri 25 Dec 2026 19:30
  kind:      family
  intensity: 4 of 5
  where:     Mom's house"

run 0 tend stressor remove 2
expect_eq "remove" "$OUT" "Removed stressor 2 and the care planned around it."
run 1 tend stressor remove 2
expect_eq "remove twice" "$ERR" "tend: error: no stressor with id 2; 'tend stressor list' shows them"
run 1 tend stressor show 99
run 0 tend stressor list --json
expect_eq "after remove" "$(jq -c '[.[].id]' <<<"$OUT")" "[3,1]"

# Bad input: exit 2, a message naming the problem, nothing stored.
run 2 tend stressor add "Party" --start 2026-12-31T20:00 --end 2026-12-31T19:00
expect_eq "end before start" "$ERR" "tend: error: the end must come after the start
see 'tend help stressor'"
run 2 tend stressor add "Party" --start 2026-12-31T20:00 --end 2026-12-31T23:00 --intensity 6
expect_eq "intensity" "$ERR" "tend: error: --intensity must be a whole number from 1 to 5, not '6'
see 'tend help stressor'"
run 2 tend stressor add "Party" --start 2026-13-31T20:00 --end 2026-12-31T23:00
expect_contains "bad date" "$ERR" "'2026-13-31T20:00' is not a time tend understands"
run 2 tend stressor add "Party" --start 2026-12-31T20:00 --end 2026-12-31T23:00 --kind party
expect_contains "bad kind" "$ERR" "--kind 'party' is not a kind tend knows"
run 2 tend stressor add --start 2026-12-31T20:00 --end 2026-12-31T23:00
run 2 tend stressor show abc
run 2 tend stressor explode
run 0 tend stressor list --json
expect_eq "nothing stored by bad input" "$(jq length <<<"$OUT")" "2"
finish
