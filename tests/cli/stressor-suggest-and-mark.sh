#!/usr/bin/env bash
# tend stressor suggest: imported events that look hard (family words, holidays, the
# person's own keywords, capitals, long evenings with named relatives), each with its
# reason, never promoting anything itself; tend stressor mark: by ID or UID, kind
# guessed or given, once only, with clear errors.
source "$(dirname "$0")/lib.sh"
export TZ=America/New_York
export TEND_NOW=2026-11-20T09:00:00Z

run 0 tend stressor suggest
expect_eq "nothing imported" "$OUT" "No coming events look hard from here. You know best, though: 'tend stressor
mark ID' works for any imported event ('tend agenda --json' shows the ids)."

run 0 tend import "$DATA/suggest-family.ics"
# Not suggested: the standup, 'Moment of calm' (no 'mom' inside a word), a lunch with
# Linda (not a long evening, and Linda is not listed yet), the review (no keywords
# yet), a lunch with Grandma that is past. The weekly call appears once.
run 0 tend stressor suggest
expect_eq "suggest" "$OUT" "These coming events might be hard. Nothing changes unless you mark one.
   9  Sun 22 Nov 2026 16:00  Sunday call with Mum  (family: 'mum')
   2  Thu 26 Nov 2026  Thanksgiving  (a holiday: 'thanksgiving')
   5  Wed 02 Dec 2026 11:00  DO NOT BE LATE  (written in capitals)
   1  Sat 05 Dec 2026 18:00  Dinner at Mom's  (family: 'mom')
'tend stressor mark ID' makes one a stressor, so tend can plan care around it."
expect_eq "nothing promoted" "$(sqlite3 "$TEND_DB" "SELECT count(*) FROM stressors")" "0"

# The person's own words and relatives, from tend.conf.
mkdir -p "$XDG_CONFIG_HOME/tend"
printf '[safety]\nregion=us\n[suggest]\nkeywords=performance review;dentist\nrelatives=Linda;Aunt Jo\n' >"$XDG_CONFIG_HOME/tend/tend.conf"
run 0 tend stressor suggest --json
expect_eq "suggest json" "$(jq -c '.[] | [.id, .uid, .title, .calendar, .start, .end, .all_day, .kind, .reasons]' <<<"$OUT")" \
'[9,"call-mum@test","Sunday call with Mum","Home","2026-11-22T21:00:00Z","2026-11-22T21:30:00Z",false,"family",["family: '"'"'mum'"'"'"]]
[2,"thanksgiving@test","Thanksgiving","Home","2026-11-26","2026-11-27",true,"holiday",["a holiday: '"'"'thanksgiving'"'"'"]]
[5,"caps@test","DO NOT BE LATE","Home","2026-12-02T16:00:00Z","2026-12-02T17:00:00Z",false,"other",["written in capitals"]]
[6,"drinks-linda@test","Drinks with Linda","Home","2026-12-04T00:00:00Z","2026-12-04T03:00:00Z",false,"family",["a long evening with Linda"]]
[1,"dinner-mom@test","Dinner at Mom'"'"'s","Home","2026-12-05T23:00:00Z","2026-12-06T02:00:00Z",false,"family",["family: '"'"'mom'"'"'"]]
[8,"review@test","Performance review","Home","2026-12-07T19:00:00Z","2026-12-07T20:00:00Z",false,"other",["your word '"'"'performance review'"'"'"]]'

# Mark by ID (kind guessed from the event), by UID with kind and intensity.
run 0 tend stressor mark 1
expect_eq "mark by id" "$OUT" "Marked 'Dinner at Mom's' (Sat 05 Dec 2026 18:00 to Sat 05 Dec 2026 21:00) as a hard day: stressor 1, family, intensity 3.
'tend prepare 1' helps you make a plan for it, and 'tend plan' places care around it."
run 0 tend stressor mark call-mum@test --kind family --intensity 2
expect_contains "mark by uid" "$OUT" "Marked 'Sunday call with Mum' (Sun 22 Nov 2026 16:00 to Sun 22 Nov 2026 16:30) as a hard day: stressor 2, family, intensity 2."
run 0 tend stressor mark 2
expect_contains "holiday guessed" "$OUT" "stressor 3, holiday, intensity 3."
run 0 tend stressor mark dinner-mom@test
expect_eq "again" "$OUT" "'Dinner at Mom's' (Sat 05 Dec 2026 18:00 to Sat 05 Dec 2026 21:00) is already stressor 1; nothing changed."
run 0 tend stressor list --json
expect_eq "stressors" "$(jq -c '.[] | [.id, .title, .kind, .intensity, .start]' <<<"$OUT")" \
'[2,"Sunday call with Mum","family",2,"2026-11-22T21:00:00Z"]
[3,"Thanksgiving","holiday",3,"2026-11-26"]
[1,"Dinner at Mom'"'"'s","family",3,"2026-12-05T23:00:00Z"]'

# Marked occurrences are no longer suggested; the weekly call's next one is.
run 0 tend stressor suggest --json
expect_eq "after marking" "$(jq -c '[.[] | [.id, .start]]' <<<"$OUT")" \
    '[[9,"2026-11-29T21:00:00Z"],[5,"2026-12-02T16:00:00Z"],[6,"2026-12-04T00:00:00Z"],[8,"2026-12-07T19:00:00Z"]]'

before=$(sqlite3 "$TEND_DB" "SELECT * FROM stressors ORDER BY id")
run 1 tend stressor mark nobody@test
expect_eq "unknown uid" "$ERR" "tend: error: no upcoming event with uid 'nobody@test'; import its calendar first"
run 1 tend stressor mark past-grandma@test
expect_contains "past event" "$ERR" "no upcoming event with uid 'past-grandma@test'"
run 2 tend stressor mark 1 --kind cousins
expect_contains "bad kind" "$ERR" "--kind 'cousins' is not a kind tend knows"
run 2 tend stressor mark 1 --intensity 9
expect_contains "bad intensity" "$ERR" "--intensity must be a whole number from 1 to 5, not '9'"
run 2 tend stressor mark
expect_contains "no argument" "$ERR" "stressor mark takes one event UID or ID"
expect_eq "nothing changed" "$(sqlite3 "$TEND_DB" "SELECT * FROM stressors ORDER BY id")" "$before"

printf '[suggest\nkeywords=x\n' >"$XDG_CONFIG_HOME/tend/tend.conf"
run 1 tend stressor suggest
expect_contains "bad config" "$ERR" "tend: error: cannot read '$XDG_CONFIG_HOME/tend/tend.conf': "
finish
