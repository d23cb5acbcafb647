#!/usr/bin/env bash
# The shipped holiday calendars are valid iCalendar that two other parsers read the same
# way: Debian's python3-icalendar (with python3-dateutil expanding the RRULEs) and
# ical.js (Thunderbird's parser) give the same dates from 2026 to 2036, and `tend
# season` gives those dates too. The generated ones are exactly what
# tools/gen-holidays writes, and Easter matches python3-dateutil's easter().
source "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
CALENDARS="$TEND_DATA_DIR/calendars"
PY=/usr/bin/python3
: "${TEND_GEN_HOLIDAYS:?run through meson test, which sets TEND_GEN_HOLIDAYS}"

if [ ! -f "$HERE/../js/node_modules/ical.js/package.json" ]; then
    echo "FAIL: ical.js is not installed for this test; run 'npm ci --prefix tests/js' first" >&2
    exit 1
fi
command -v node >/dev/null || { echo "FAIL: node is needed to run ical.js" >&2; exit 1; }

files=("$CALENDARS"/holidays-*.ics "$CALENDARS/mothers-fathers-day.ics" "$CALENDARS/mothering-sunday.ics")
expect_eq "calendar count" "${#files[@]}" "14"

# Both parsers accept every file and expand it to the same dates.
run 0 "$PY" "$HERE/check-holidays.py" "${files[@]}"
PY_DATES=$OUT
run 0 node "$HERE/check-holidays.mjs" "${files[@]}"
JS_DATES=$OUT
expect_eq "python3-icalendar and ical.js agree" "$JS_DATES" "$PY_DATES"
expect_eq "occurrences 2026-2036" "$(wc -l <<<"$PY_DATES")" "771"
expect_contains "Thanksgiving 2027" "$PY_DATES" "2027-11-25 thanksgiving-us@holidays.tend Thanksgiving"
expect_contains "Memorial Day 2027" "$PY_DATES" "2027-05-31 memorial-day-us@holidays.tend Memorial Day"
expect_contains "Victoria Day 2027" "$PY_DATES" "2027-05-24 victoria-day-ca@holidays.tend Victoria Day"
expect_contains "Orthodox Easter 2027" "$PY_DATES" "2027-05-02 easter-orthodox-2027@holidays.tend Orthodox Easter Sunday"

# ...and `tend season` reads the same dates, set by set (its window is at most ten years).
tend_dates() { # tend_dates SETS: "DATE TITLE" lines for 2026-2035
    tend season --holidays "$1" --from 2026-01-01 --to 2035-12-31 --days-only --dry-run --json |
        jq -r '.[] | "\(.start) \(.title)"' | LC_ALL=C sort
}
file_dates() { # file_dates SUFFIX FILE...: the same lines from check-holidays.py
    local suffix=$1
    shift
    "$PY" "$HERE/check-holidays.py" "$@" | awk -v suffix="$suffix" '$1 < "2036" {
        date = $1; $1 = ""; $2 = ""; title = substr($0, 3)
        if (suffix != "" && index(title, substr(suffix, 3, length(suffix) - 3)) == 0) title = title suffix
        print date " " title }' | LC_ALL=C sort
}
for pair in "us| (US)" "ca| (Canada)" "uk| (UK)" "ie| (Ireland)" "au| (Australia)"; do
    set=${pair%%|*}
    suffix=${pair#*|}
    easter=()
    [ "$set" = us ] || easter=("$CALENDARS/holidays-$set-easter.ics")
    expect_eq "tend season --holidays $set" "$(tend_dates "$set")" \
        "$(file_dates "$suffix" "$CALENDARS/holidays-$set.ics" "${easter[@]}")"
done
family=mothers-day-us,mothers-day-ca,mothers-day-uk,mothers-day-ie,mothers-day-au,mothers-day-nz
family+=,fathers-day-us,fathers-day-ca,fathers-day-uk,fathers-day-ie,fathers-day-au,fathers-day-nz
expect_eq "tend season, Mother's and Father's Days" "$(tend_dates "$family")" \
    "$(file_dates "" "$CALENDARS/mothers-fathers-day.ics" "$CALENDARS/mothering-sunday.ics")"
expect_eq "tend season, Easter" "$(tend_dates easter,orthodox)" \
    "$(file_dates "" "$CALENDARS/holidays-easter.ics")"
expect_eq "tend season, Hebrew calendar" "$(tend_dates hebrew)" \
    "$(file_dates "" "$CALENDARS/holidays-hebrew.ics")"
expect_eq "tend season, lunar tables" "$(tend_dates lunar-new-year,diwali,eid)" \
    "$(file_dates "" "$CALENDARS/holidays-lunar.ics")"

# Easter against python3-dateutil, for every year the files cover.
expected=$("$PY" -c '
from dateutil.easter import easter, EASTER_ORTHODOX
for year in range(2026, 2037):
    print(f"{easter(year)} easter-western-{year}@holidays.tend Easter Sunday")
    print(f"{easter(year, EASTER_ORTHODOX)} easter-orthodox-{year}@holidays.tend Orthodox Easter Sunday")
' | LC_ALL=C sort)
run 0 "$PY" "$HERE/check-holidays.py" "$CALENDARS/holidays-easter.ics"
expect_eq "Easter matches dateutil" "$(LC_ALL=C sort <<<"$OUT")" "$expected"

# The generated files are exactly what gen-holidays writes, byte for byte.
mkdir "$SCRATCH/generated"
run 0 "$TEND_GEN_HOLIDAYS" "$SCRATCH/generated"
expect_eq "generated files" "$(cd "$SCRATCH/generated" && ls)" "holidays-au-easter.ics
holidays-ca-easter.ics
holidays-easter.ics
holidays-hebrew.ics
holidays-ie-easter.ics
holidays-lunar.ics
holidays-uk-easter.ics
mothering-sunday.ics"
for generated in "$SCRATCH"/generated/*.ics; do
    cmp -s "$generated" "$CALENDARS/${generated##*/}" ||
        fail "calendars/${generated##*/} differs from what tools/gen-holidays writes; run 'meson compile -C build update-holidays'"
done
run 2 "$TEND_GEN_HOLIDAYS"

# `tend import` takes every file whole: no event skipped, and the Thanksgiving rule lands
# on 26 Nov 2026 (within import's window around TEND_NOW).
for file in "${files[@]}"; do
    run 0 tend import "$file"
    case "$ERR" in *warning*) fail "import of $(basename "$file") warned: $ERR" ;; esac
done
expect_eq "imported calendars" "$(sqlite3 "$TEND_DB" "SELECT count(*) FROM calendars")" "14"
expect_eq "Thanksgiving imported" "$(sqlite3 "$TEND_DB" "SELECT o.start_utc FROM occurrences o JOIN events e ON e.id = o.event_id WHERE e.uid = 'thanksgiving-us@holidays.tend' ORDER BY o.start_utc LIMIT 1")" \
    "$(date -u -d 2026-11-26 +%s)"

# A broken file is caught: a line over 75 octets, an LF ending, a DTSTART off its rule.
sed 's/^SUMMARY:Thanksgiving\r$/SUMMARY:Thanksgiving with a title long enough to need folding at seventy-five octets\r/' \
    "$CALENDARS/holidays-us.ics" >"$SCRATCH/long.ics"
run 1 "$PY" "$HERE/check-holidays.py" "$SCRATCH/long.ics"
expect_contains "long line" "$ERR" "long.ics: line "
tr -d '\r' <"$CALENDARS/holidays-uk.ics" >"$SCRATCH/lf.ics"
run 1 "$PY" "$HERE/check-holidays.py" "$SCRATCH/lf.ics"
expect_contains "LF" "$ERR" "lf.ics: does not end with CRLF"
sed 's/^DTSTART;VALUE=DATE:20261126\r$/DTSTART;VALUE=DATE:20261125\r/
    s/^DTEND;VALUE=DATE:20261127\r$/DTEND;VALUE=DATE:20261126\r/' \
    "$CALENDARS/holidays-us.ics" >"$SCRATCH/off.ics"
run 1 "$PY" "$HERE/check-holidays.py" "$SCRATCH/off.ics"
expect_contains "DTSTART off its rule" "$ERR" \
    "off.ics: event 'thanksgiving-us@holidays.tend': DTSTART 2026-11-25 is not the first date of FREQ=YEARLY;BYDAY=4TH;BYMONTH=11"
finish
