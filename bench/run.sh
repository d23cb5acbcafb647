#!/usr/bin/env bash
# bench/run.sh [SIZES...]: times tend on generated calendars and prints a table.
#
# For each size (default 1000 10000 100000 events) it generates a realistic export
# (bench/gen-calendar.py) and two slightly newer ones (0.1% and 1% of events changed:
# each moved by an hour and retitled), then in the same run measures, RUNS times each (the
# agenda five times a round), and prints medians in milliseconds:
#   parse      libical's streaming parser alone (build/bench/bench-parse), the baseline
#   import     a first `tend import` into an empty database
#   again      re-importing the same file (nothing changed)
#   touched    importing the export with 0.1% changed, on the database as again left it
#   changed    importing the export with 1% changed, on that database too
#   plan       `tend plan` (60 days, three hard days) on that database
#   agenda     `tend agenda` for two weeks, to a tenth of a millisecond, on a settled
#              database (after sync: not while the kernel still writes back the plan)
#              and after three runs that are not timed
#   export     `tend export` of the plan
# and the peak memory (max RSS) of the first import. Not a test: nothing fails.
# Needs a build in build/ (meson setup build && meson compile -C build).
set -euo pipefail
cd "$(dirname "$0")/.."
TEND=${TEND_BIN:-build/src/cli/tend}
PARSE=build/bench/bench-parse
[ -x "$TEND" ] && [ -x "$PARSE" ] || { echo "build first: meson compile -C build" >&2; exit 1; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TEND_NOW=2026-12-20T09:00:00Z TZ=Europe/Berlin XDG_DATA_HOME="$work/xdg"

ms() { # ms CMD...: runs CMD, prints its wall time in milliseconds (bash's own clock,
    # so no process but CMD's is timed)
    local start end
    start=${EPOCHREALTIME/./}
    "$@" >/dev/null 2>&1
    end=${EPOCHREALTIME/./}
    echo $(((end - start) / 1000))
}
tenths() { # tenths CMD...: as ms, to a tenth of a millisecond (the agenda is short)
    local start end
    start=${EPOCHREALTIME/./}
    "$@" >/dev/null 2>&1
    end=${EPOCHREALTIME/./}
    local d=$(((end - start) / 100))
    echo "$((d / 10)).$((d % 10))"
}
median() { tr ' ' '\n' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '%8s %8s %8s %8s %8s %8s %8s %8s %8s %8s %9s %9s %9s %9s %9s\n' events file_MB parse_ms \
    import again touched changed plan agenda export peak_MB import/p again/p touched/p changed/p
for n in "${sizes[@]}"; do
    file="$work/cal-$n.ics"
    newer="$work/cal-$n-newer.ics"
    python3 bench/gen-calendar.py "$n" "$file"
    python3 bench/gen-calendar.py "$n" "$newer" --change 1
    touched_file="$work/cal-$n-touched.ics"
    python3 bench/gen-calendar.py "$n" "$touched_file" --change 0.1
    runs=5
    [ "$n" -ge 100000 ] && runs=3
    parse=() import=() again=() touched=() changed=() plan=() agenda=() export=() peak=()
    for ((r = 0; r < runs; r++)); do
        export TEND_DB="$work/db-$n/tend.db"
        rm -rf "$work/db-$n"
        parse+=("$(ms "$PARSE" "$file")")
        import+=("$(ms "$TEND" import "$file")")
        again+=("$(ms "$TEND" import "$file")")
        cp "$TEND_DB" "$work/as-again.db" # each import leaves no WAL behind
        touched+=("$(ms "$TEND" import "$touched_file")")
        cp "$work/as-again.db" "$TEND_DB"
        changed+=("$(ms "$TEND" import "$newer")")
        "$TEND" stressor add "Christmas dinner" --start 2026-12-25T14:00 --end 2026-12-25T19:00 \
            --kind family --intensity 4 >/dev/null
        "$TEND" stressor add "New Year at the in-laws" --start 2026-12-31T18:00 \
            --end 2027-01-01T01:00 --kind family --intensity 3 >/dev/null
        "$TEND" stressor add "Work restarts" --start 2027-01-04T09:00 --end 2027-01-04T17:00 \
            --kind work --intensity 2 >/dev/null
        plan+=("$(ms "$TEND" plan)")
        sync # the agenda on a settled database, not in the writeback the plan left
        for ((k = 0; k < 3; k++)); do # and warmed up, as hyperfine's --warmup does: the first
            "$TEND" agenda >/dev/null # runs after the imports and the sync come 2-6 ms slower
        done
        for ((k = 0; k < 5; k++)); do # short and noisy: five samples a round
            agenda+=("$(tenths "$TEND" agenda)")
        done
        export+=("$(ms "$TEND" export "$work/plan.ics")")
        rm -rf "$work/db-$n"
        /usr/bin/time -f %M -o "$work/rss" "$TEND" import "$file" >/dev/null 2>&1
        peak+=("$(tail -1 "$work/rss")")
    done
    p=$(echo "${parse[@]}" | median)
    i=$(echo "${import[@]}" | median)
    a=$(echo "${again[@]}" | median)
    t=$(echo "${touched[@]}" | median)
    c=$(echo "${changed[@]}" | median)
    printf '%8s %8.1f %8s %8s %8s %8s %8s %8s %8s %8s %9.1f %9.2f %9.2f %9.2f %9.2f\n' "$n" \
        "$(echo "$(stat -c %s "$file") / 1048576" | bc -l)" "$p" "$i" "$a" "$t" "$c" \
        "$(echo "${plan[@]}" | median)" "$(echo "${agenda[@]}" | median)" \
        "$(echo "${export[@]}" | median)" \
        "$(echo "$(echo "${peak[@]}" | median) / 1024" | bc -l)" \
        "$(echo "$i / ($p + 0.001)" | bc -l)" "$(echo "$a / ($p + 0.001)" | bc -l)" \
        "$(echo "$t / ($p + 0.001)" | bc -l)" "$(echo "$c / ($p + 0.001)" | bc -l)"
done
start=()
for ((r = 0; r < 5; r++)); do start+=("$(ms "$TEND" --help)"); done
echo "process start alone (tend --help, loading its libraries): $(echo "${start[@]}" | median) ms of every command's time"
echo "times are medians in ms of $runs+ runs; the ratios (/p) are tend import (first, unchanged, 0.1% and 1% changed) over the bare libical parse"
