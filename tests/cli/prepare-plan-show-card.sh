#!/usr/bin/env bash
# tend prepare and tend plan show: a coping plan set with flags (lists repeat, empty
# clears, grounding checked against the library, exit-by on the event's day), shown as
# a card and as JSON, the same card in the export's DESCRIPTION, an exit-by reminder
# from tend plan, bad input refused with nothing changed, and the guided questions at
# a pseudo-terminal accepting blank answers and numbered examples.
source "$(dirname "$0")/lib.sh"

run 0 tend stressor add "Christmas dinner at Mum's" --start 2026-12-25T14:00 --end 2026-12-25T19:30 \
    --kind family --intensity 4 --location "Mum's house"

run 0 tend plan show 1
expect_contains "no plan yet" "$OUT" "Christmas dinner at Mum's
Fri 25 Dec 2026, 14:00 to 19:30, Mum's house
Family, how hard it may feel: 4 of 5.

In the moment, try one of these
- Two breaths in, one long sigh out (1 minute)"
expect_contains "no plan hint" "$OUT" "There is no plan for this one yet. 'tend prepare 1' helps you make one:
a few questions, and any of them can be skipped."

run 0 tend prepare 1 --trigger "Questions about work" --trigger "Comments on my weight" \
    --boundary "I leave the table when voices rise" \
    --script "I'm not going to talk about that today." --exit-by 17:30 \
    --exit-plan "Train at 17:45" --support Sam --grounding feet-on-floor --aftercare "Bath, early night"
expect_eq "saved" "$OUT" "Saved your plan for 'Christmas dinner at Mum's'. 'tend plan show 1' shows it as a card.
'tend plan' adds a reminder at your time to leave."

card="Christmas dinner at Mum's
Fri 25 Dec 2026, 14:00 to 19:30, Mum's house
Family, how hard it may feel: 4 of 5.

What may be hard
- Questions about work
- Comments on my weight

My boundaries
- I leave the table when voices rise

Words I can use
- \"I'm not going to talk about that today.\"

My way out
Leave by 17:30. Train at 17:45

Who I can text
- Sam

In the moment, try one of these
- Feel your feet on the floor (1 minute)
  1. Press both feet into the floor and notice the weight under your heels and toes.
  2. Notice what is holding you up: the chair, the floor, the ground beneath the house.
  3. Say to yourself: I am here, in this room, and it is today.
- Two breaths in, one long sigh out (1 minute)
  1. Breathe in through your nose, then take one more small sip of air on top.
  2. Let it all go in a long, slow sigh through your mouth.
  3. Do this two or three times, then breathe as you normally would.
- You are not too much (1 minute)
  1. When you feel too much, or not enough, notice the thought.
  2. Say to yourself: This is an old feeling. My needs are allowed.
  3. Take one slow breath and let your shoulders soften.

Afterwards
Bath, early night

If it gets too much: tend help-now"

run 0 tend plan show 1 --json
expect_eq "json card" "$(jq -r '.[0].card' <<<"$OUT")" "$card"
expect_eq "json fields" "$(jq -c '.[0] | [.id, .triggers, .boundaries, .scripts, .exit_by, .exit_plan, .support, .grounding, [.in_the_moment[].id], .aftercare]' <<<"$OUT")" \
    '[1,["Questions about work","Comments on my weight"],["I leave the table when voices rise"],["I'"'"'m not going to talk about that today."],"2026-12-25T17:30:00Z","Train at 17:45",["Sam"],["feet-on-floor"],["feet-on-floor","double-breath-sigh","not-too-much"],"Bath, early night"]'

# The terminal card is the same text, wrapped at 78 columns under each bullet.
run 0 tend plan show 1
expect_contains "wrapped step" "$OUT" "  1. Press both feet into the floor and notice the weight under your heels and
     toes."
expect_eq "same words" "$(tr -s ' \n' ' ' <<<"$OUT")" "$(tr -s ' \n' ' ' <<<"$card")"

# The export carries the very same card.
run 0 tend export "$SCRATCH/plan.ics"
expect_eq "export description" "$(/usr/bin/python3 -c '
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
print([str(e["DESCRIPTION"]) for e in cal.walk("VEVENT") if str(e["SUMMARY"]) == "Christmas dinner at Mum'"'"'s"][0])
' "$SCRATCH/plan.ics")" "$card"

# tend plan adds a reminder at the time to leave.
run 0 tend plan --json
expect_eq "exit reminder" "$(jq -c '.[] | select(.kind == "exit") | [.title, .start, .busy]' <<<"$OUT")" \
    '["Time to leave Christmas dinner at Mum'"'"'s, as you planned. You can go now.","2026-12-25T17:30:00Z",false]'

run 0 tend export "$SCRATCH/plan2.ics"
expect_eq "exit reminder exported" "$(/usr/bin/python3 -c '
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
print([str(e["DESCRIPTION"]) for e in cal.walk("VEVENT") if "CATEGORIES" in e and "exit" in e["CATEGORIES"].to_ical().decode()][0])
' "$SCRATCH/plan2.ics")" "Your time to leave \"Christmas dinner at Mum's\", as you planned. Going now is allowed."

# Changing one part keeps the rest; an empty value clears a part.
run 0 tend prepare 1 --support Sam --support "Priya (text)" --aftercare ""
run 0 tend plan show 1 --json
expect_eq "changed" "$(jq -c '.[0] | [.support, .aftercare, .exit_plan]' <<<"$OUT")" '[["Sam","Priya (text)"],"","Train at 17:45"]'

# Bad input: exit 2, nothing changed.
before=$(sqlite3 "$TEND_DB" "SELECT * FROM plans")
run 2 tend prepare 1 --grounding walk-on-water
expect_eq "unknown strategy" "$ERR" "tend: error: --grounding: no strategy with id 'walk-on-water'; 'tend strategy list' shows them
see 'tend help prepare'"
run 2 tend prepare 1 --exit-by 12:00
expect_eq "exit before start" "$ERR" "tend: error: --exit-by: '12:00' is before 'Christmas dinner at Mum's' starts (Fri 25 Dec 2026 14:00); please pick a later time
see 'tend help prepare'"
run 2 tend prepare 1 --exit-by soon
expect_contains "exit not a time" "$ERR" "tend: error: --exit-by: 'soon' is not a time tend understands; use a time like 17:30 or 2026-12-25T17:30"
long=$(printf 'a%.0s' $(seq 501))
run 2 tend prepare 1 --trigger "$long"
expect_contains "too long" "$ERR" "tend: error: --trigger must be one line of readable text of at most 500 characters"
run 1 tend prepare 9 --trigger "x"
expect_contains "no such stressor" "$ERR" "tend: error: no stressor with id 9"
run 2 tend prepare 1 </dev/null
expect_contains "no tty" "$ERR" "tend: error: prepare asks its questions in a terminal"
run 2 tend prepare
expect_contains "no id" "$ERR" "prepare takes one stressor ID"
expect_eq "nothing changed" "$(sqlite3 "$TEND_DB" "SELECT * FROM plans")" "$before"

# Guided, at a pseudo-terminal: triggers (two), keep boundaries (blank), script by
# number, exit time, clear the exit plan ('-'), support, grounding by number, after-care.
if command -v script >/dev/null; then
    printf 'Dad; the seating\n\n2\n19:00\n-\nSam; Priya\n1 2\nA walk\n' |
        script -qec "'$TEND_BIN' prepare 1" /dev/null >"$SCRATCH/guided" 2>&1 || fail "guided run failed"
    guided=$(tr -d '\r' <"$SCRATCH/guided")
    expect_contains "guided intro" "$guided" "Let's make a plan for 'Christmas dinner at Mum's' (Fri 25 Dec 2026 14:00)."
    expect_contains "guided examples" "$guided" "3 of 8. Words you can say
What could you say, word for word, when a boundary is tested? Type your own
words, or a number to use one of these:
  1. I'd rather we didn't talk about my body today. How was your journey?
  2. I've had a lovely time, and I'm heading off now, as planned."
    expect_contains "guided now" "$guided" "  now: Questions about work; Comments on my weight"
    expect_contains "guided saved" "$guided" "Saved. 'tend plan show 1' shows your plan as a card"
    run 0 tend plan show 1 --json
    expect_eq "guided result" "$(jq -c '.[0] | [.triggers, .boundaries, .scripts, .exit_by, .exit_plan, .support, .grounding, .aftercare]' <<<"$OUT")" \
        '[["Dad","the seating"],["I leave the table when voices rise"],["I'"'"'ve had a lovely time, and I'"'"'m heading off now, as planned."],"2026-12-25T19:00:00Z","",["Sam","Priya"],["double-breath-sigh","not-too-much"],"A walk"]'
    # End of input part-way keeps what was said.
    printf 'Only this\n' | script -qec "'$TEND_BIN' prepare 1" /dev/null >/dev/null 2>&1 || fail "short guided run failed"
    run 0 tend plan show 1 --json
    expect_eq "kept on end of input" "$(jq -c '.[0] | [.triggers, .aftercare]' <<<"$OUT")" '[["Only this"],"A walk"]'
else
    echo "script(1) not found: guided run not checked"
fi
finish
