#!/usr/bin/env bash
# import-sources-exact-times.sh: real-world-shaped exports from Google, Outlook/Exchange
# (Windows zone names, with and without their VTIMEZONE), Apple, Thunderbird
# (/mozilla.org/ zone prefixes) and GNOME Evolution (/freeassociation.sourceforge.net/)
# import with the exact UTC start and end of every occurrence, under two TZ settings,
# in the weeks around the import and in windows years before and after it (repeats are
# worked out on demand there).
. "$(dirname "$0")/lib.sh"
SRC="$DATA/sources"

# occurrences SOURCE FROM TO: "start|end|title|busy" per agenda item, by start
occurrences() {
    tend agenda --from "$2" --to "$3" --json |
        jq -r '.[] | "\(.start)|\(.end)|\(.title)|\(.busy)"' | sort
}

near=(2026-12-14T00:00:00Z 2027-01-04T00:00:00Z)
far=(2029-12-10T00:00:00Z 2029-12-24T00:00:00Z)
past=(2024-12-09T00:00:00Z 2024-12-23T00:00:00Z)

declare -A want_near want_far want_past count
count[google]=4
want_near[google]="2026-12-15T18:00:00Z|2026-12-15T19:00:00Z|Choir|true
2026-12-24|2026-12-25|Christmas Eve at Grandma's|false
2026-12-27T15:00:00Z|2026-12-27T16:30:00Z|Video call with Anna|true
2026-12-30T17:00:00Z|2026-12-30T18:30:00Z|Choir (moved)|true"
want_far[google]="2029-12-11T18:00:00Z|2029-12-11T19:00:00Z|Choir|true
2029-12-18T18:00:00Z|2029-12-18T19:00:00Z|Choir|true"
want_past[google]=""

count[outlook]=4
want_near[outlook]="2026-12-14T08:00:00Z|2026-12-14T08:15:00Z|Standup|true
2026-12-15T08:00:00Z|2026-12-15T08:15:00Z|Standup|true
2026-12-16T13:00:00Z|2026-12-16T13:30:00Z|1:1 with Priya|true
2026-12-17T08:00:00Z|2026-12-17T08:15:00Z|Standup|true
2026-12-17T18:00:00Z|2026-12-17T19:00:00Z|Call with Seattle|true
2026-12-18T08:00:00Z|2026-12-18T08:15:00Z|Standup|true
2026-12-28|2027-01-02|Out of office|false
2026-12-30T13:00:00Z|2026-12-30T13:30:00Z|1:1 with Priya|true"
want_far[outlook]="2029-12-12T13:00:00Z|2029-12-12T13:30:00Z|1:1 with Priya|true"
want_past[outlook]=""

count[apple]=5
# the floating "Boxing Day walk" is 10:00 wherever the person is: filled in per zone
want_near[apple]="2026-12-18|2026-12-19|Mum's birthday|false
2026-12-20T00:00:00Z|2026-12-20T02:00:00Z|Dinner with Sam|true
@WALK@
2026-12-31T00:00:00Z|2026-12-31T01:15:00Z|Yoga (Wednesday this week)|true"
want_far[apple]="2029-12-18|2029-12-19|Mum's birthday|false"
want_past[apple]="2024-12-18|2024-12-19|Mum's birthday|false"

count[thunderbird]=2
want_near[thunderbird]="2026-12-17T19:30:00Z|2026-12-17T21:30:00Z|Book club|true
2026-12-26T08:00:00Z|2026-12-26T08:30:00Z|Walk the dog|true
2026-12-27T08:00:00Z|2026-12-27T08:30:00Z|Walk the dog|true
2026-12-29T08:00:00Z|2026-12-29T08:30:00Z|Walk the dog|true
2026-12-30T08:00:00Z|2026-12-30T08:30:00Z|Walk the dog|true"
want_far[thunderbird]="2029-12-20T19:30:00Z|2029-12-20T21:30:00Z|Book club|true"
want_past[thunderbird]=""

count[evolution]=3
want_near[evolution]="2026-12-19T22:00:00Z|2026-12-19T22:30:00Z|Call Dad|true
2026-12-31|2027-01-01|New Year's Eve party|true
2027-01-02T22:00:00Z|2027-01-02T22:30:00Z|Call Dad|true"
want_far[evolution]="2029-12-15T22:00:00Z|2029-12-15T22:30:00Z|Call Dad|true
2029-12-22T22:00:00Z|2029-12-22T22:30:00Z|Call Dad|true"
want_past[evolution]=""

declare -A walk=(
    [America/New_York]="2026-12-26T15:00:00Z|2026-12-26T16:00:00Z|Boxing Day walk|true"
    [Asia/Tokyo]="2026-12-26T01:00:00Z|2026-12-26T02:00:00Z|Boxing Day walk|true"
)

for zone in America/New_York Asia/Tokyo; do
    export TZ=$zone
    for source in google outlook apple thunderbird evolution; do
        export TEND_DB="$SCRATCH/$source-${zone//\//-}.db"
        run 0 tend import "$SRC/$source.ics"
        expect_contains "$source in $zone: counts" "$OUT" "added ${count[$source]}, updated 0, removed 0, unchanged 0"
        expect_eq "$source in $zone: no warnings" "$ERR" ""
        run 0 occurrences "$source" "${near[@]}"
        expect_eq "$source in $zone: weeks around now" "$OUT" "${want_near[$source]//@WALK@/${walk[$zone]}}"
        run 0 occurrences "$source" "${far[@]}"
        expect_eq "$source in $zone: three years on" "$OUT" "${want_far[$source]}"
        run 0 occurrences "$source" "${past[@]}"
        expect_eq "$source in $zone: two years back" "$OUT" "${want_past[$source]}"
        # importing the same export again changes nothing
        run 0 tend import "$SRC/$source.ics"
        expect_contains "$source in $zone: again" "$OUT" "added 0, updated 0, removed 0, unchanged ${count[$source]}"
    done
done

finish
