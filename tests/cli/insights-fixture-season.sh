#!/usr/bin/env bash
# insights: on a fixture season (tests/data/insights-season.sh), the exact means and counts
# per kind of hard day, in words and JSON; the timelines and month map, plain here and
# coloured at a terminal unless NO_COLOR; the SVG chart's structure; and bad input.
source "$(dirname "$0")/lib.sh"

run 0 tend insights --from 2026-12-01 --to 2026-12-31
expect_eq "empty store" "$(head -4 <<<"$OUT")" "What helped, Tue 01 Dec 2026 to Thu 31 Dec 2026

No hard days were named in these days. When you add some with 'tend stressor
add' and write a note before and after, tend counts what went with the"
[ ! -e "$TEND_DB" ] || fail "insights created the database"

source "$DATA/insights-season.sh"

# Family: before = notes written before each start (Christmas: 4,7 and 5,8; Boxing Day:
# 5,6; New Year: 5,4), after = at or after each end (6,4; 6,5; 4,6). The garden note
# during Christmas dinner (2,9) counts for neither. Stress fell on Christmas and Boxing
# Day (grounding done on both) and rose on New Year's Eve (grounding skipped).
run 0 tend insights --from 2026-12-01 --to 2026-12-31
expected=$(cat <<'TEXT'
What helped, Tue 01 Dec 2026 to Thu 31 Dec 2026

These are counts from your own notes, not proof of what works: a few days
can hint at what to keep, and you know your days best.

Family: 3 hard days
  Mood    before 4.8 (4 notes), after 5.3 (3 notes)
  Stress  before 6.3 (4 notes), after 5.0 (3 notes)
  Rehearsal (Rehearse a boundary out loud): done 0, skipped 1, not marked 3
  Grounding (Feel your feet on the floor): done 2, skipped 1; you rated it 5
    of 5
    Stress was lower afterwards on 2 of the 2 times you did it, and on 0 of
    the 1 time you did not.
  Check-ins (Take five minutes alone): done 0, skipped 0, not marked 5
  Decompressing (Land gently when you get home): done 1, skipped 1, not marked
    1; you rated it 2 of 5
    Stress was lower afterwards on 1 of the 1 time you did it, and on 1 of the
    2 times you did not.
  Reflecting (Notice what helped): done 0, skipped 0, not marked 3

Work: 1 hard day
  Mood    before 6.0 (1 note), after 7.0 (1 note)
  Stress  before 5.0 (1 note), after no notes
  Rehearsal (Rehearse a boundary out loud): done 0, skipped 0, not marked 1
  Grounding (Feel your feet on the floor): done 1, skipped 0; you rated it 5
    of 5
  Decompressing (Land gently when you get home): done 0, skipped 0, not marked
    1; you rated it 2 of 5
  Reflecting (Notice what helped): done 0, skipped 0, not marked 1

You rated these as helpful: Feel your feet on the floor (5 of 5).

Around Year-end review (Fri 18 Dec 2026 10:00)
           Tue Wed Thu Fri Sat Sun Mon
            15  16  17  18  19  20  21
  mood       ·   ·   ▅   ▆   ·   ·   ·
  stress     ·   ·   ▅   ·   ·   ·   ·
                       ━━━

Around Christmas dinner at Mum's (Fri 25 Dec 2026 14:00)
           Tue Wed Thu Fri Sat Sun Mon
            22  23  24  25  26  27  28
  mood       ·   ·   ▄   ▄   ▅   ·   ▆
  stress     ·   ·   ▆   ▆   ▅   ·   ▂
                       ━━━

Around Boxing Day at Dad's (Sat 26 Dec 2026 12:00)
           Wed Thu Fri Sat Sun Mon Tue
            23  24  25  26  27  28  29
  mood       ·   ▄   ▄   ▅   ·   ▆   ·
  stress     ·   ▆   ▆   ▅   ·   ▂   ·
                       ━━━

Around New Year's call with Gran (Thu 31 Dec 2026 18:00)
           Mon Tue Wed Thu Fri Sat Sun
            28  29  30  31   1   2   3
  mood       ▆   ·   ·   ▄   ·   ·   ·
  stress     ▂   ·   ·   ▅   ·   ·   ·
                       ━━━

Stress by day (░ 0-2, ▒ 3-4, ▓ 5-7, █ 8-10, · no note)

December 2026
          Mo Tu We Th Fr Sa Su
   1 Dec     ·  ·  ·  ·  ·  ·
   7 Dec  ·  ·  ·  ·  ·  ·  ·
  14 Dec  ·  ·  ·  ▓  ·  ·  ·
  21 Dec  ·  ·  ·  ▓  ▓  ▓  ·
  28 Dec  ░  ·  ·  ▓
TEXT
)
expect_eq "words and pictures" "$OUT" "$expected"

run 0 tend insights --from 2026-12-01 --to 2026-12-31 --json
expect_eq "json kinds" "$(jq -c '[.[] | [.id, .stressors, .mood_before, .mood_after, .stress_before, .stress_after]]' <<<"$OUT")" \
    '[["family",3,{"mean":4.8,"notes":4},{"mean":5.3,"notes":3},{"mean":6.3,"notes":4},{"mean":5,"notes":3}],["work",1,{"mean":6,"notes":1},{"mean":7,"notes":1},{"mean":5,"notes":1},{"mean":null,"notes":0}]]'
expect_eq "json family practices" "$(jq -c '.[0].practices[] | [.id, .strategy, .rating, .done, .skipped, .not_marked, .stress_lower_when_done.lower, .stress_lower_when_done.of, .stress_lower_when_not_done.lower, .stress_lower_when_not_done.of]' <<<"$OUT")" \
    '["rehearse","rehearse-a-script",null,0,1,3,0,0,2,3]
["ground","feet-on-floor",5,2,1,0,2,2,0,1]
["checkin","five-minutes-alone",null,0,0,5,0,0,2,3]
["decompress","decompress-at-home",2,1,1,1,1,1,1,2]
["reflect","notice-what-helped",null,0,0,3,0,0,2,3]'
# Only Christmas and Boxing Day: stress fell on both.
run 0 tend insights --from 2026-12-24 --to 2026-12-27 --json
expect_eq "narrower range" "$(jq -c '[.[] | [.id, .stressors, .stress_before.mean, .stress_after.mean, (.practices[] | select(.id == "ground") | .stress_lower_when_done)]]' <<<"$OUT")" \
    '[["family",2,7,4.5,{"lower":2,"of":2}]]'

# The default stretch is the eight weeks up to today (10 Jan 2027).
run 0 tend insights
expect_eq "default range" "$(head -1 <<<"$OUT")" "What helped, Mon 16 Nov 2026 to Sun 10 Jan 2027"

# Colour only at a terminal, and never with NO_COLOR.
if command -v script >/dev/null; then
    env -u NO_COLOR script -qec "'$TEND_BIN' insights --from 2026-12-24 --to 2026-12-27" /dev/null >"$SCRATCH/tty" 2>&1 || fail "insights at a terminal failed"
    grep -q $'\033\[31m▆\033\[0m' "$SCRATCH/tty" || fail "expected a red high-stress bar at a terminal"
    NO_COLOR=1 script -qec "'$TEND_BIN' insights --from 2026-12-24 --to 2026-12-27" /dev/null >"$SCRATCH/tty-plain" 2>&1 || fail "insights at a terminal failed"
    if grep -q $'\033\[' "$SCRATCH/tty-plain"; then fail "NO_COLOR still coloured"; fi
else
    echo "script(1) not found: colour not checked"
fi

# The SVG: valid XML, one polyline per measure with a point per day that has notes.
run 0 tend insights --from 2026-12-01 --to 2026-12-31 --svg "$SCRATCH/chart.svg"
expect_eq "svg message" "$OUT" "Wrote '$SCRATCH/chart.svg': mood and stress on 7 of 31 days. Open it in a browser to view or print it."
svg=$(python3 - "$SCRATCH/chart.svg" <<'PY'
import sys
import xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2000/svg}"
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == ns + "svg", root.tag
groups = {g.get("id"): g for g in root.iter(ns + "g")}
for measure in ("mood", "stress"):
    lines = groups[measure].findall(ns + "polyline")
    points = [tuple(map(float, p.split(","))) for p in lines[0].get("points").split()]
    assert all(40 <= y <= 280 for _, y in points), points
    print(measure, len(lines), len(points), len(groups[measure].findall(ns + "circle")))
print("polylines", len(list(root.iter(ns + "polyline"))))
print("hard days", [r.find(ns + "title").text for r in groups["stressors"].findall(ns + "rect")])
PY
)
expect_eq "svg structure" "$svg" "mood 1 7 7
stress 1 6 6
polylines 2
hard days ['Year-end review', \"Christmas dinner at Mum's\", \"Boxing Day at Dad's\", \"New Year's call with Gran\"]"
[ "$(stat -c %a "$SCRATCH/chart.svg")" = 600 ] || fail "the chart should be private (0600)"

run 2 tend insights --from 2026-12-31 --to 2026-12-01
expect_eq "backwards" "$ERR" "tend: error: --to must not come before --from
see 'tend help insights'"
run 2 tend insights --from yesterday
expect_contains "bad date" "$ERR" "tend: error: --from: "
run 2 tend insights --json --svg "$SCRATCH/x.svg"
expect_eq "json and svg" "$ERR" "tend: error: choose --json or --svg FILE, not both
see 'tend help insights'"
run 1 tend insights --from 2026-12-01 --to 2026-12-31 --svg "$SCRATCH/no/such/folder/chart.svg"
expect_contains "unwritable svg" "$ERR" "tend: error: "
finish
