#!/usr/bin/env bash
# now: with no setup, two or three fitting options with their steps; what the person
# rated highly comes first; --minutes and --where narrow the choice; the same data
# always gives the same answer, even when the database cannot be read.
source "$(dirname "$0")/lib.sh"

ids() { jq -r '[.[].id] | join(" ")' <<<"$OUT"; }

run 0 tend now --where there
expect_eq "first time, there" "$OUT" "One small thing at a time. Pick whichever feels possible:

1. Two breaths in, one long sigh out (about 1 min)
   - Breathe in through your nose, then take one more small sip of air on top.
   - Let it all go in a long, slow sigh through your mouth.
   - Do this two or three times, then breathe as you normally would.

2. You are not too much (about 1 min)
   - When you feel too much, or not enough, notice the thought.
   - Say to yourself: This is an old feeling. My needs are allowed.
   - Take one slow breath and let your shoulders soften.

3. Text a safe person (about 2 min)
   - Think of someone who feels steady and kind.
   - Send a short message, such as: At the family thing. Could use a friendly
     word.
   - You do not need to explain. Their reply is a reminder that you are not
     alone.

If you are not safe, 'tend help-now' shows who you can call or text."
[ ! -e "$TEND_DB" ] || fail "now created the database"

run 0 tend now --json
expect_eq "home by default" "$(ids)" "hand-on-heart kind-self-talk kind-voice"
run 0 tend now --where there --minutes 1 --json
expect_eq "one minute, there" "$(ids)" "double-breath-sigh not-too-much decline-a-topic"
expect_eq "all quick and discreet" "$(jq -r '[.[] | select(.minutes > 1 or .fits == "before" or .fits == "after")] | length' <<<"$OUT")" "0"

# What helped comes first, even when it takes longer; a low rating sinks.
run 0 tend strategy rate walk-around-the-block 5
run 0 tend strategy rate double-breath-sigh 1
run 0 tend now --where there
expect_contains "helped first" "$OUT" "One small thing at a time. Pick whichever feels possible:

1. Walk around the block (about 10 min, it helped you before)"
run 0 tend now --where there --json
expect_eq "ranked" "$(ids)" "walk-around-the-block feet-on-floor not-too-much"
# The person's own strategy, rated, is offered too; two that helped may share a kind.
run 0 tend strategy add "Step outside with the dog" --category movement --minutes 5 --fits during \
    --steps "Find the lead." --steps "Go round the garden." --why "The dog is always glad to see me."
run 0 tend strategy rate step-outside-with-the-dog 4
run 0 tend now --where there --json
expect_eq "own strategy" "$(ids)" "walk-around-the-block step-outside-with-the-dog feet-on-floor"
# Not enough time for the walk: it is left out.
run 0 tend now --where there --minutes 5 --json
expect_eq "minutes" "$(ids)" "step-outside-with-the-dog feet-on-floor not-too-much"
# Hidden ones are never offered.
run 0 tend strategy hide walk-around-the-block
run 0 tend now --where there --json
expect_eq "hidden" "$(ids)" "step-outside-with-the-dog feet-on-floor not-too-much"
first=$OUT
run 0 tend now --where there --json
expect_eq "deterministic" "$OUT" "$first"

# A database that cannot be read: tend's usual choices, and a note.
printf 'not a database at all, only some words typed by hand' >"$SCRATCH/broken.db"
TEND_DB="$SCRATCH/broken.db" run 0 tend now --where there --json
expect_eq "broken db" "$(ids)" "double-breath-sigh not-too-much text-a-safe-person"
expect_eq "broken db note" "$ERR" \
    "tend: warning: cannot read '$SCRATCH/broken.db': file is not a database; showing tend's usual choices"

run 2 tend now --minutes 0
expect_eq "bad minutes" "$ERR" "tend: error: --minutes must be a whole number from 1 to 120, not '0'
see 'tend help now'"
run 2 tend now --where pub
expect_eq "bad where" "$ERR" "tend: error: --where is home or there, not 'pub'
see 'tend help now'"
finish
