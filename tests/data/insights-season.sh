# insights-season.sh: a fixture season for the insights and export tests, sourced after
# lib.sh. Four hard days (three family, one work) planned on 10 December, with what was
# done or skipped set as a person would (activity status, or an answer to a reminder in
# reminder_log), two ratings and notes before, during and after each day.
# Activity ids come from the plan itself, never assumed.
T() { TEND_NOW="$1" tend "${@:2}" >/dev/null; }
export TEND_NOW=2026-12-10T09:00:00Z
tend stressor add "Christmas dinner at Mum's" --start 2026-12-25T14:00 --end 2026-12-25T19:30 --kind family --intensity 4 >/dev/null
tend stressor add "Boxing Day at Dad's" --start 2026-12-26T12:00 --end 2026-12-26T16:00 --kind family --intensity 3 >/dev/null
tend stressor add "New Year's call with Gran" --start 2026-12-31T18:00 --end 2026-12-31T19:00 --kind family --intensity 2 >/dev/null
tend stressor add "Year-end review" --start 2026-12-18T10:00 --end 2026-12-18T11:00 --kind work --intensity 3 >/dev/null
tend plan --from 2026-12-10 --to 2027-01-05 >/dev/null 2>&1
PLAN=$(tend plan --from 2026-12-10 --to 2027-01-05 --json 2>/dev/null)
act() { jq -r --argjson s "$1" --arg k "$2" '[.[] | select(.stressor_id == $s and .kind == $k)][0].id' <<<"$PLAN"; }
set_status() { sqlite3 "$TEND_DB" "UPDATE activities SET status = '$2' WHERE id = $1"; }
answer() { sqlite3 "$TEND_DB" "INSERT INTO reminder_log (item_type, item_id, fire_at, claimed_at, outcome, outcome_at) SELECT 'activity', id, start_utc, start_utc, '$2', start_utc + 600 FROM activities WHERE id = $1"; }
set_status "$(act 1 ground)" done
answer "$(act 1 decompress)" done
set_status "$(jq -r '[.[] | select(.stressor_id == 1 and .kind == "rehearse")] | max_by(.start).id' <<<"$PLAN")" skipped
set_status "$(act 2 ground)" done
answer "$(act 2 decompress)" skipped
answer "$(act 3 ground)" shown
set_status "$(act 3 ground)" skipped
set_status "$(act 4 ground)" done
tend strategy rate feet-on-floor 5 >/dev/null
tend strategy rate decompress-at-home 2 >/dev/null
T 2026-12-17T20:00:00Z note add "Dreading the review a little." --stressor 4 --mood 6 --stress 5
T 2026-12-18T12:00:00Z note add "Review done. Lighter." --stressor 4 --mood 7
T 2026-12-24T20:00:00Z note add "Tight chest thinking about tomorrow." --stressor 1 --mood 4 --stress 7 --tag body
T 2026-12-25T09:00:00Z note add "Feet on the floor, then coffee." --stressor 1 --mood 5 --stress 8
T 2026-12-25T16:00:00Z note add "Stepped out to the garden." --stressor 1 --mood 2 --stress 9
T 2026-12-25T21:00:00Z note add "Home. I left when I said I would." --stressor 1 --mood 6 --stress 4
T 2026-12-26T10:00:00Z note add "Tired but okay." --stressor 2 --mood 5 --stress 6
T 2026-12-26T18:00:00Z note add "Dad asked about work; I changed the subject." --stressor 2 --mood 6 --stress 5
T 2026-12-28T11:00:00Z note add "A quiet walk by the river." --mood 7 --stress 2 --tag walk
T 2026-12-31T12:00:00Z note add "Calm morning." --stressor 3 --mood 5 --stress 4
T 2026-12-31T20:00:00Z note add "Gran cried on the call. Heavy evening." --stressor 3 --mood 4 --stress 6
export TEND_NOW=2027-01-10T09:00:00Z
