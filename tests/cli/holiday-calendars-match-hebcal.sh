#!/usr/bin/env bash
# The Hebrew-calendar holidays tend computes match Debian's hebcal for every year the
# shipped calendar covers, and `tend season` says so too. hebcal lists the first
# Hanukkah candle, lit on the evening before the first day (25 Kislev); tend gives the
# day itself. Skipped (exit 77) when hebcal is not installed: tools/deps.sh --test
# installs it.
source "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
if ! command -v hebcal >/dev/null; then
    echo "hebcal is not installed; skipping the cross-check (tools/deps.sh --test installs it)"
    exit 77
fi

expected=""
for year in $(seq 2026 2036); do
    while read -r date name; do
        iso=$(date -u -d "$date" +%F)
        case "$name" in
        "Rosh Hashana 5"*) expected+="$iso rosh-hashanah-$year@holidays.tend Rosh Hashanah"$'\n' ;;
        "Yom Kippur") expected+="$iso yom-kippur-$year@holidays.tend Yom Kippur"$'\n' ;;
        "Pesach I") expected+="$iso passover-$year@holidays.tend Passover (first day)"$'\n' ;;
        "Chanukah: 1 Candle")
            iso=$(date -u -d "$date + 1 day" +%F)
            expected+="$iso hanukkah-$year@holidays.tend Hanukkah (first day)"$'\n'
            ;;
        esac
    done < <(hebcal "$year")
done
expected=$(LC_ALL=C sort <<<"${expected%$'\n'}")
expect_eq "hebcal holidays 2026-2036" "$(wc -l <<<"$expected")" "44"

run 0 /usr/bin/python3 "$HERE/check-holidays.py" "$TEND_DATA_DIR/calendars/holidays-hebrew.ics"
expect_eq "holidays-hebrew.ics matches hebcal" "$(LC_ALL=C sort <<<"$OUT")" "$expected"

run 0 tend season --holidays hebrew --from 2026-01-01 --to 2035-12-31 --days-only --dry-run --json
expect_eq "tend season matches hebcal" "$(jq -r '.[] | "\(.start) \(.title)"' <<<"$OUT")" \
    "$(grep -v ' [^ ]*-2036@' <<<"$expected" | sed 's/ [^ ]*@holidays.tend / /')"
finish
