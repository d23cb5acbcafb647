#!/usr/bin/env bash
# tend season: adds the chosen holidays in the window and the holiday season as
# stressors, exactly once; a second run adds nothing and says so; --dry-run writes
# nothing; "today" is the person's local day; bad input exits 2 and stores nothing.
source "$(dirname "$0")/lib.sh"

# Mid-October in New York: the coming season, up to 5 January.
export TZ=America/New_York TEND_NOW=2026-10-15T12:00:00Z

run 0 tend season --holidays us,hebrew --to 2027-01-05 --dry-run
expect_eq "dry run" "$OUT" "Would add Wed 11 Nov 2026  Veterans Day (US)
Would add Fri 20 Nov 2026 to Sat 02 Jan 2027  Holiday season
Would add Thu 26 Nov 2026  Thanksgiving (US)
Would add Sat 05 Dec 2026  Hanukkah (first day)
Would add Fri 25 Dec 2026  Christmas Day (US)
Would add Fri 01 Jan 2027  New Year's Day (US)
Nothing was added yet; run it without --dry-run to add these."
[ ! -e "$TEND_DB" ] || fail "a dry run created the database"

run 0 tend season --holidays us,hebrew --to 2027-01-05
expect_eq "first run" "$OUT" "Added Wed 11 Nov 2026  Veterans Day (US)  [stressor 1]
Added Fri 20 Nov 2026 to Sat 02 Jan 2027  Holiday season  [stressor 2]
Added Thu 26 Nov 2026  Thanksgiving (US)  [stressor 3]
Added Sat 05 Dec 2026  Hanukkah (first day)  [stressor 4]
Added Fri 25 Dec 2026  Christmas Day (US)  [stressor 5]
Added Fri 01 Jan 2027  New Year's Day (US)  [stressor 6]
Keep what fits and drop the rest with 'tend stressor remove ID'."

run 0 tend stressor list
expect_eq "stored as holiday stressors" "$OUT" "   1  Veterans Day (US)  [holiday, intensity 2]  Wed 11 Nov 2026, all day
   2  Holiday season  [holiday, intensity 2]  Fri 20 Nov 2026 to Sat 02 Jan 2027, all day
   3  Thanksgiving (US)  [holiday, intensity 3]  Thu 26 Nov 2026, all day
   4  Hanukkah (first day)  [holiday, intensity 2]  Sat 05 Dec 2026, all day
   5  Christmas Day (US)  [holiday, intensity 3]  Fri 25 Dec 2026, all day
   6  New Year's Day (US)  [holiday, intensity 2]  Fri 01 Jan 2027, all day"

# The same again: nothing new, and it says so.
run 0 tend season --holidays us,hebrew --to 2027-01-05
expect_eq "second run" "$OUT" "Already there: Wed 11 Nov 2026  Veterans Day (US)  [stressor 1]
Already there: Fri 20 Nov 2026 to Sat 02 Jan 2027  Holiday season  [stressor 2]
Already there: Thu 26 Nov 2026  Thanksgiving (US)  [stressor 3]
Already there: Sat 05 Dec 2026  Hanukkah (first day)  [stressor 4]
Already there: Fri 25 Dec 2026  Christmas Day (US)  [stressor 5]
Already there: Fri 01 Jan 2027  New Year's Day (US)  [stressor 6]
Nothing new to add: these are already among your stressors."

# Dropping one works as for any stressor; a wider window adds only the new days.
run 0 tend stressor remove 1
run 0 tend season --holidays us,hebrew,mothers-day-us --from 2026-11-20 --to 2027-01-20 --days-only
expect_eq "wider window" "$OUT" "Already there: Thu 26 Nov 2026  Thanksgiving (US)  [stressor 3]
Already there: Sat 05 Dec 2026  Hanukkah (first day)  [stressor 4]
Already there: Fri 25 Dec 2026  Christmas Day (US)  [stressor 5]
Already there: Fri 01 Jan 2027  New Year's Day (US)  [stressor 6]
Added Mon 18 Jan 2027  Martin Luther King Jr. Day (US)  [stressor 7]
Keep what fits and drop the rest with 'tend stressor remove ID'."
run 0 tend stressor list --json
expect_eq "seven minus one" "$(jq -c '[.[].id]' <<<"$OUT")" "[2,3,4,5,6,7]"

# The default window is the next 120 days, from the local today.
run 0 tend season --holidays easter,orthodox,eid,lunar-new-year --dry-run --days-only
expect_eq "default window" "$OUT" "Would add Sat 06 Feb 2027  Lunar New Year
Nothing was added yet; run it without --dry-run to add these."
export TZ=Pacific/Auckland TEND_NOW=2026-12-25T12:00:00Z # already 26 December there
run 0 tend season --holidays uk,au --to 2027-01-31 --json --dry-run
expect_eq "local today, json" "$(jq -c '[.[] | [.id, .status, .start, .end, .title, .intensity]]' <<<"$OUT")" \
    '[[2,"existing","2026-11-20","2027-01-03","Holiday season",2],[null,"would-add","2026-12-26","2026-12-27","Boxing Day (Australia)",2],[null,"would-add","2026-12-26","2026-12-27","Boxing Day (UK)",2],[null,"would-add","2027-01-01","2027-01-02","New Year'"'"'s Day (Australia)",2],[null,"would-add","2027-01-01","2027-01-02","New Year'"'"'s Day (UK)",2],[null,"would-add","2027-01-26","2027-01-27","Australia Day",2]]'
run 0 tend season --holidays diwali --from 2027-03-01 --to 2027-06-30
expect_eq "nothing in the window" "$OUT" "No holidays from those sets between Mon 01 Mar 2027 and Wed 30 Jun 2027."

run 0 tend season --list
expect_contains "list" "$OUT" "  hebrew           Rosh Hashanah, Yom Kippur, Hanukkah and Passover"
expect_contains "list" "$OUT" "  mothers-day-uk   Mothering Sunday in the UK"
expect_eq "list length" "$(wc -l <<<"$OUT")" "24"

# Past the lunar tables: a gentle warning, and nothing made up.
run 0 tend season --holidays eid --from 2036-11-01 --to 2037-12-31 --days-only --dry-run
expect_eq "past the tables" "$OUT" "Would add Wed 19 Nov 2036  Eid al-Fitr
Nothing was added yet; run it without --dry-run to add these."
expect_eq "past the tables warns" "$ERR" "tend: warning: tend knows the dates of Lunar New Year, Diwali and Eid only for 2026 to 2036"

# Bad input: exit 2, a message naming the problem, nothing stored.
run 2 tend season --holidays us,narnia
expect_eq "unknown set" "$ERR" "tend: error: 'narnia' is not a holiday set tend knows; 'tend season --list' shows them
see 'tend help season'"
run 2 tend season
expect_eq "no sets" "$ERR" "tend: error: season needs --holidays, such as --holidays us or --holidays uk,hebrew; 'tend season --list' shows the sets
see 'tend help season'"
run 2 tend season --holidays ' , '
expect_contains "empty sets" "$ERR" "--holidays needs at least one set"
run 2 tend season --holidays us --from 2027-01-10 --to 2026-12-01
expect_contains "backwards" "$ERR" "--to must come after --from"
run 2 tend season --holidays us --from 2026-01-01 --to 2037-01-01
expect_contains "too long" "$ERR" "--from and --to can be at most ten years apart"
run 2 tend season --holidays us --from 2026-02-30
expect_contains "bad date" "$ERR" "'2026-02-30' is not a time tend understands"
run 2 tend season --holidays us thanksgiving
run 2 tend season --list --holidays us
run 0 tend stressor list --json
expect_eq "nothing stored by bad input" "$(jq length <<<"$OUT")" "6"

# A missing calendar folder is a runtime error that says what to do.
TEND_DATA_DIR="$SCRATCH/nowhere" run 1 tend season --holidays us
expect_eq "missing calendars" "$ERR" "tend: error: cannot read the holiday calendar '$SCRATCH/nowhere/calendars/holidays-us.ics'; is tend installed completely?"
finish
