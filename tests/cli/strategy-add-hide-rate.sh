#!/usr/bin/env bash
# strategy: the shipped library listed and shown; the person's own added, edited,
# hidden, rated; shipped ones edited as the person's version; boundary scripts with
# the person's own beside them. Bad input exits 2 and stores nothing.
source "$(dirname "$0")/lib.sh"

run 0 tend strategy list --category rest
expect_eq "list rest" "$OUT" "Rest and restoration
  warm-bath               A warm shower or bath (20 min, after)
  early-night             An early night (60 min, after)
  decompress-at-home      Land gently when you get home (30 min, after)
  lie-down                Lie down for twenty minutes (20 min, after)
  phone-down              Put the phone down for a while (15 min, after)
  five-minutes-alone      Take five minutes alone (5 min, during)

'tend strategy show ID' gives the steps. 'tend now' picks a few for a hard moment."
[ ! -e "$TEND_DB" ] || fail "listing created the database"

run 0 tend strategy list --json
expect_eq "library size" "$(jq length <<<"$OUT")" "54"
expect_eq "categories" "$(jq -r '[.[].category] | unique | join(" ")' <<<"$OUT")" \
    "boundaries connection joy movement repair rest self-compassion settling"

run 0 tend strategy show breath-4-6
expect_eq "show" "$OUT" "Breathe in for 4, out for 6 (2 min, any time)
  id:       breath-4-6
  category: settling the body
Steps:
  1. Let your shoulders drop and rest a hand on your belly.
  2. Breathe in through your nose for a count of four.
  3. Breathe out slowly through your mouth for a count of six, as if cooling a
     hot drink.
  4. Repeat for about ten breaths. If counting feels like work, just let each
     out-breath be a little longer.
Why it helps:
  A long out-breath is one of the quickest ways to tell your body the danger
  has passed. The heart slows a little with every exhale, and the mind tends
  to follow the body."

# The person's own strategy.
run 0 tend strategy add "Call Sam, then tea" --category connection --minutes 15 --fits after \
    --steps "Ring Sam." --steps "Talk about anything but family." --why "Sam makes me laugh."
expect_eq "add" "$OUT" "Added your strategy 'call-sam-then-tea': Call Sam, then tea"
run 0 tend strategy show call-sam-then-tea --json
expect_eq "add json" "$(jq -c '.[0] | [.id, .title, .category, .minutes, .fits, .steps, .why, .custom, .rating]' <<<"$OUT")" \
    '["call-sam-then-tea","Call Sam, then tea","connection",15,"after",["Ring Sam.","Talk about anything but family."],"Sam makes me laugh.",true,null]'
run 0 tend strategy edit call-sam-then-tea --minutes 20 --fits any
expect_eq "edit own" "$OUT" "Saved your strategy 'call-sam-then-tea'."

# Editing one of tend's strategies keeps the id and marks it as the person's version.
run 0 tend strategy edit hand-on-heart --title "Both hands on my heart" --steps "Both hands." --steps "Breathe."
expect_eq "edit shipped" "$OUT" "Saved your version of 'hand-on-heart'. tend's original stays in its library."
run 0 tend strategy show hand-on-heart
expect_eq "edited shipped" "$(head -4 <<<"$OUT")" "Both hands on my heart (1 min, any time, your version)
  id:       hand-on-heart
  category: settling the body
Steps:"

# Hide and unhide, rate.
run 0 tend strategy hide cool-water
expect_eq "hide" "$OUT" "Hid 'cool-water'; tend won't offer it. 'tend strategy unhide cool-water' brings it back."
run 0 tend strategy rate call-sam-then-tea 5
expect_eq "rate" "$OUT" "Rated 'call-sam-then-tea' 5 of 5. Thank you: 'tend now' offers what helps you first."
run 0 tend strategy rate feet-on-floor 2
run 0 tend strategy list --category connection
expect_contains "own in list" "$OUT" \
    "  call-sam-then-tea       Call Sam, then tea (20 min, any time, rated 5 of 5, yours)"
run 0 tend strategy list --json
expect_eq "hidden not listed" "$(jq '[.[] | select(.id == "cool-water")] | length' <<<"$OUT")" "0"
expect_eq "count" "$(jq length <<<"$OUT")" "54"
run 0 tend strategy list --all --category settling
expect_contains "hidden with --all" "$OUT" "  cool-water              Cool water on your wrists (2 min, during, hidden)"
expect_contains "rated shipped" "$OUT" "  feet-on-floor           Feel your feet on the floor (1 min, during, rated 2 of 5)"
run 0 tend strategy unhide cool-water
expect_eq "unhide" "$OUT" "'cool-water' is back in your library."
run 0 tend strategy list --json
expect_eq "back" "$(jq length <<<"$OUT")" "55"

# Scripts: shipped, filtered, and the person's own beside them.
run 0 tend strategy scripts --situation politics
expect_eq "scripts" "$OUT" "politics
  politics-argument
    softer: I can see we see this differently. Let's not let it spoil the
            meal.
    firmer: I'm not going to discuss politics today.
  politics-bait
    softer: I'm going to pass on that one.
    firmer: I won't be drawn into this. If it carries on, I'll step out for a
            while.

Say it once, calmly. If someone pushes, say the same words again."
run 0 tend strategy script-add politics --softer "Let's talk about the food instead." \
    --firmer "I'm done talking politics."
expect_eq "script-add" "$OUT" "Added your script my-1 for politics."
run 0 tend strategy scripts --situation politics --json
expect_eq "scripts json" "$(jq -c '[.[] | [.id, .custom]]' <<<"$OUT")" \
    '[["politics-argument",false],["politics-bait",false],["my-1",true]]'
run 0 tend strategy scripts --json
expect_eq "all scripts" "$(jq length <<<"$OUT")" "32"
run 0 tend strategy scripts --situation faith
expect_eq "no scripts" "$OUT" "No scripts for 'faith' yet. 'tend strategy script-add faith --softer TEXT --firmer TEXT'
adds your own."

# Bad input: exit 2 (or 1 for an unknown id), a clear message, nothing stored.
before=$(sqlite3 "$TEND_DB" "SELECT count(*) FROM strategies; SELECT count(*) FROM boundary_scripts")
run 2 tend strategy add "Stretch" --category breathing --minutes 3 --steps x --why y
expect_eq "bad category" "$ERR" "tend: error: --category 'breathing' is not a category; use settling, self-compassion, boundaries, connection, rest, movement, joy or repair
see 'tend help strategy'"
run 2 tend strategy add "Stretch" --category rest --minutes 0 --steps x --why y
expect_eq "bad minutes" "$ERR" "tend: error: --minutes must be a whole number from 1 to 120, not '0'
see 'tend help strategy'"
run 2 tend strategy add "Stretch" --category rest --minutes 3 --why y
expect_eq "missing steps" "$ERR" "tend: error: strategy add needs --category, --minutes, --steps and --why
see 'tend help strategy'"
run 2 tend strategy add "Stretch" --category rest --minutes 3 --steps x --why y --fits sometimes
expect_contains "bad fits" "$ERR" "--fits 'sometimes' is not a time tend knows"
run 2 tend strategy add "Stretch" --category rest --minutes 3 --steps "   " --why y
expect_eq "empty steps" "$ERR" "tend: error: a strategy needs 1 to 12 steps
see 'tend help strategy'"
run 2 tend strategy rate breath-4-6 9
expect_eq "bad rating" "$ERR" "tend: error: the rating must be a whole number from 1 to 5, not '9'
see 'tend help strategy'"
run 1 tend strategy rate no-such-thing 3
expect_eq "unknown id" "$ERR" "tend: error: no strategy with id 'no-such-thing'; 'tend strategy list' shows them"
run 2 tend strategy edit breath-4-6
expect_contains "edit nothing" "$ERR" "strategy edit needs something to change"
run 2 tend strategy script-add "Food And Body" --softer a --firmer b
expect_contains "bad situation" "$ERR" "'Food And Body' is not a situation name"
run 2 tend strategy script-add drinking --softer "No thanks."
expect_contains "missing firmer" "$ERR" "strategy script-add needs --softer and --firmer"
run 2 tend strategy juggle
expect_contains "bad action" "$ERR" "'juggle' is not a strategy action"
expect_eq "nothing stored by bad input" \
    "$(sqlite3 "$TEND_DB" "SELECT count(*) FROM strategies; SELECT count(*) FROM boundary_scripts")" "$before"
finish
