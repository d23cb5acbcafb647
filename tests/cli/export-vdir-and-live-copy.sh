#!/usr/bin/env bash
# export-vdir-and-live-copy.sh: every change to the plan rewrites plan.ics next to the
# database (mode 0600, the same events as `tend export`); `tend export --vdir DIR` writes
# one file per item named after its UID, rewrites only what changed, removes files of
# items that are gone and leaves other files alone; a changed activity comes back with
# a higher SEQUENCE, and so does a stressor whose coping plan changed, and re-importing the
# export into tend updates instead of duplicating.
# Exports are private (0600) when new; a --from/--to window removes no file of the plan;
# changes to the strategy library reach the live copy's cards.
. "$(dirname "$0")/lib.sh"
export TZ=Europe/Berlin
LIVE="$(dirname "$TEND_DB")/plan.ics"
PY=/usr/bin/python3

# events FILE: "UID|SUMMARY|SEQUENCE" per VEVENT, as python3-icalendar reads them
events() {
    "$PY" - "$1" <<'PY'
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
rows = [f"{e['UID']}|{e['SUMMARY']}|{e.get('SEQUENCE', 0)}" for e in cal.walk('VEVENT')]
print("\n".join(sorted(rows)))
PY
}
no_stamps() { grep -v '^DTSTAMP' "$1" | tr -d '\r'; }

run 0 tend stressor add "Christmas dinner" --start 2026-12-25T14:00 --end 2026-12-25T19:00 \
    --kind family --intensity 4
[ -f "$LIVE" ] || fail "no live copy at $LIVE after adding a stressor"
expect_eq "live copy mode" "$(stat -c %a "$LIVE")" "600"
DINNER=$(sqlite3 "$TEND_DB" "SELECT uid FROM stressors WHERE title = 'Christmas dinner'")
expect_eq "live copy after one stressor" "$(events "$LIVE")" "$DINNER|Christmas dinner|0"

run 0 tend stressor add "Boxing Day visit" --start 2026-12-26T11:00 --end 2026-12-26T15:00 \
    --kind family --intensity 2
run 0 tend plan --to 2026-12-31
activities=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM activities")
[ "$activities" -gt 4 ] || fail "the plan placed only $activities activities"
# the live copy is what `tend export` writes, DTSTAMP aside
tend export "$SCRATCH/full.ics" >/dev/null
expect_eq "live copy equals the export" "$(no_stamps "$LIVE")" "$(no_stamps "$SCRATCH/full.ics")"
expect_eq "live copy holds the plan" "$(events "$LIVE" | wc -l)" "$((activities + 2))"

# one file per item, named after its UID
VDIR="$SCRATCH/calendars/tend"
mkdir -p "$VDIR"
printf 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' >"$VDIR/someone-elses.ics"
run 0 tend export --vdir "$VDIR"
expect_eq "vdir message" "$OUT" "Wrote 2 stressors and $activities activities to $VDIR, one file each: $((activities + 2)) new or changed, 0 as they were, 0 removed."
expect_eq "vdir files" "$(cd "$VDIR" && ls | sort)" "$( (sqlite3 "$TEND_DB" "SELECT uid || '.ics' FROM stressors UNION ALL SELECT uid || '.ics' FROM activities"; echo someone-elses.ics) | sort)"
for file in "$VDIR"/*@tend.ics; do
    uid=$(basename "$file" .ics)
    expect_eq "$uid: one event, its own" "$(events "$file" | cut -d'|' -f1)" "$uid"
    expect_eq "$uid: its zone" "$(grep -c '^BEGIN:VTIMEZONE' "$file")" "1"
    expect_eq "$uid: no METHOD in a vdir item" "$(grep -c '^METHOD' "$file" || true)" "0"
done
expect_eq "dinner file" "$(events "$VDIR/$DINNER.ics")" "$DINNER|Christmas dinner|0"

run 0 tend export --vdir "$VDIR"
expect_eq "vdir again" "$OUT" "Wrote 2 stressors and $activities activities to $VDIR, one file each: 0 new or changed, $((activities + 2)) as they were, 0 removed."
expect_eq "vdir items are private" "$(stat -c %a "$VDIR/$DINNER.ics")" "600"

# a window writes what is in it and removes nothing of the rest of the plan: vdirsyncer
# would delete a removed file's event from the server
boxing_day=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM stressors WHERE start_utc < $(date -u -d 2026-12-26T23:00 +%s) AND end_utc > $(date -u -d 2026-12-25T23:00 +%s)")
run 0 tend export --vdir "$VDIR" --from 2026-12-26 --to 2026-12-26
expect_contains "a window removes nothing" "$OUT" ", 0 removed."
expect_eq "every file is still there" "$(ls "$VDIR" | grep -c '@tend.ics$')" "$((activities + 2))"
[ "$boxing_day" -eq 1 ] || fail "expected one stressor on 26 December, found $boxing_day"

# a new export is private whatever the umask: it holds the coping plans
(umask 022 && tend export "$SCRATCH/private.ics" >/dev/null)
expect_eq "export mode" "$(stat -c %a "$SCRATCH/private.ics")" "600"

# re-importing the export into tend: a moved activity (the planner moves one with
# sequence + 1) updates its event instead of adding another
run 0 tend import "$LIVE" --calendar "Plan mirror"
expect_contains "first import of the plan" "$OUT" "added $((activities + 2)), updated 0, removed 0, unchanged 0"
MOVED=$(sqlite3 "$TEND_DB" "SELECT uid FROM activities ORDER BY start_utc LIMIT 1")
sqlite3 "$TEND_DB" "UPDATE activities SET start_utc = start_utc - 3600, end_utc = end_utc - 3600, sequence = sequence + 1 WHERE uid = '$MOVED'"
run 0 tend export "$SCRATCH/moved.ics"
expect_contains "higher sequence" "$(events "$SCRATCH/moved.ics" | grep "^$MOVED|")" "|1"
run 0 tend import "$SCRATCH/moved.ics" --calendar "Plan mirror"
expect_contains "re-import updates" "$OUT" "added 0, updated 1, removed 0, unchanged $((activities + 1))"
expect_eq "one event per item" "$(sqlite3 "$TEND_DB" "SELECT count(*), count(DISTINCT uid) FROM events e JOIN calendars c ON c.id = e.calendar_id WHERE c.name = 'Plan mirror'")" "$((activities + 2))|$((activities + 2))"

# removing a stressor removes it and its care from the live copy and, on the next
# export, their files from the vdir; the other file stays
DINNER_ID=$(sqlite3 "$TEND_DB" "SELECT id FROM stressors WHERE uid = '$DINNER'")
gone=$(sqlite3 "$TEND_DB" "SELECT 1 + count(*) FROM activities WHERE stressor_id = $DINNER_ID")
run 0 tend stressor remove "$DINNER_ID"
expect_eq "live copy lost the dinner" "$(events "$LIVE" | grep -c "Christmas dinner" || true)" "0"
left=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM activities")
run 0 tend export --vdir "$VDIR"
expect_eq "vdir after removal" "$OUT" "Wrote 1 stressor and $left activities to $VDIR, one file each: 0 new or changed, $((left + 1)) as they were, $gone removed."
[ ! -e "$VDIR/$DINNER.ics" ] || fail "the dinner's file is still there"
[ -f "$VDIR/someone-elses.ics" ] || fail "a file tend did not write was removed"

run 2 tend export --vdir "$VDIR" extra.ics
expect_contains "vdir usage" "$ERR" "--vdir takes a folder"

# a coping plan and a hand-moved or skipped activity reach the live copy too
BOXING=$(sqlite3 "$TEND_DB" "SELECT id FROM stressors WHERE title = 'Boxing Day visit'")
run 0 tend prepare "$BOXING" --support "Sam"
card=$("$PY" -c 'import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
print("".join(str(e.get("DESCRIPTION", "")) for e in cal.walk("VEVENT") if e["SUMMARY"] == "Boxing Day visit"))' "$LIVE")
expect_contains "prepare updates the live card" "$card" "Sam"
# a changed plan changes the event's DESCRIPTION, so the stressor comes with a higher
# SEQUENCE; the same plan saved again changes nothing
BOXING_UID=$(sqlite3 "$TEND_DB" "SELECT uid FROM stressors WHERE id = $BOXING")
expect_eq "a new plan, a higher sequence" "$(events "$LIVE" | grep "^$BOXING_UID|")" "$BOXING_UID|Boxing Day visit|1"
run 0 tend prepare "$BOXING" --support "Sam"
expect_eq "the same plan, the same sequence" "$(events "$LIVE" | grep "^$BOXING_UID|")" "$BOXING_UID|Boxing Day visit|1"
run 0 tend prepare "$BOXING" --support "Sam" --support "Alex"
expect_eq "a changed plan, a higher sequence" "$(events "$LIVE" | grep "^$BOXING_UID|")" "$BOXING_UID|Boxing Day visit|2"
first=$(sqlite3 "$TEND_DB" "SELECT id FROM activities WHERE kind = 'reflect' AND stressor_id = $BOXING")
activities=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM activities")
stressors=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM stressors")
run 0 tend activity move "$first" --to 2026-12-27T16:00
expect_contains "a moved activity" "$(tr -d '\r' <"$LIVE")" "DTSTART;TZID=Europe/Berlin:20261227T160000"
run 0 tend activity skip "$first"
expect_eq "a skipped activity leaves the live copy" "$(events "$LIVE" | wc -l)" "$((activities + stressors - 1))"
run 0 tend plan --to 2026-12-31
expect_eq "the plan keeps it skipped" "$(events "$LIVE" | wc -l)" "$((activities + stressors - 1))"

# the cards offer strategies from the library: hiding one takes it out of the live copy
live_card() {
    "$PY" -c 'import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
print("".join(str(e.get("DESCRIPTION", "")) for e in cal.walk("VEVENT") if e["SUMMARY"] == "Boxing Day visit"))' "$LIVE"
}
expect_contains "the card offers a breath" "$(live_card)" "Two breaths in, one long sigh out"
run 0 tend strategy hide double-breath-sigh
case "$(live_card)" in
*"Two breaths in"*) fail "the live copy still offers a strategy the person hid" ;;
esac
run 0 tend strategy unhide double-breath-sigh
expect_contains "and back again" "$(live_card)" "Two breaths in, one long sigh out"

finish
