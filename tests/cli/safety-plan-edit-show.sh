#!/usr/bin/env bash
# safety-plan: parts set and cleared with --section/--text, shown as text and JSON;
# guided questions only at a terminal (driven here through a pseudo-terminal), where
# a blank answer keeps a part, '-' clears it, and end of input keeps what was said.
source "$(dirname "$0")/lib.sh"

run 0 tend safety-plan show
expect_eq "empty" "$OUT" "Your safety plan is empty for now. When you feel ready, 'tend safety-plan edit'
walks you through it, one small part at a time."
[ ! -e "$TEND_DB" ] || fail "show created the database"

run 0 tend safety-plan edit --section warning-signs --text "  I stop answering messages. "
expect_eq "set" "$OUT" "Saved 'Warning signs' in your safety plan."
run 0 tend safety-plan edit --section professionals --text "Dr Okafor, Tuesdays: 01632 960123"
run 0 tend safety-plan edit --section safer-place --text "Give the car keys to Jo when I'm low. Keep only a week of tablets at home, and ask the pharmacist about the rest."
run 0 tend safety-plan show
expect_eq "show" "$OUT" "Your safety plan

Warning signs
  I stop answering messages.

Things that help me cope
  (not written yet)

People and places that help
  (not written yet)

People I can ask for help
  (not written yet)

Professionals and services
  Dr Okafor, Tuesdays: 01632 960123

Making my place safer
  Give the car keys to Jo when I'm low. Keep only a week of tablets at home,
  and ask the pharmacist about the rest.

If you are in crisis now, 'tend help-now' shows who you can call or text."

run 0 tend safety-plan edit --section professionals --text ""
expect_eq "clear" "$OUT" "Cleared 'Professionals and services' in your safety plan."
run 0 tend safety-plan show --json
expect_eq "json" "$(jq -c '[.[] | [.id, .text]]' <<<"$OUT")" \
    '[["warning-signs","I stop answering messages."],["coping",""],["people-places",""],["ask-for-help",""],["professionals",""],["safer-place","Give the car keys to Jo when I'"'"'m low. Keep only a week of tablets at home, and ask the pharmacist about the rest."]]'

# Not at a terminal and no flags: a clear usage error, nothing asked.
run 2 tend safety-plan edit </dev/null
expect_eq "no tty" "$ERR" "tend: error: safety-plan edit asks its questions in a terminal; otherwise give --section NAME --text TEXT
see 'tend help safety-plan'"
run 2 tend safety-plan edit --section hobbies --text "Knitting"
expect_eq "bad section" "$ERR" "tend: error: 'hobbies' is not a part of the safety plan; use warning-signs, coping, people-places, ask-for-help, professionals or safer-place
see 'tend help safety-plan'"
run 2 tend safety-plan edit --section coping
expect_contains "text missing" "$ERR" "safety-plan edit needs both --section and --text"
long=$(printf 'a%.0s' $(seq 2001))
run 2 tend safety-plan edit --section coping --text "$long"
expect_contains "too long" "$ERR" "the text for 'coping' must be readable text of at most 2000 characters"

# Guided, at a pseudo-terminal: keep (blank), answer, clear ('-'), answer, then end of input.
if command -v script >/dev/null; then
    printf '\nWalk the dog, a bath\n-\nSam: 07700 900123\n' |
        script -qec "'$TEND_BIN' safety-plan edit" /dev/null >"$SCRATCH/guided" 2>&1 || fail "guided run failed"
    guided=$(tr -d '\r' <"$SCRATCH/guided")
    expect_contains "guided intro" "$guided" "Let's write your safety plan, one part at a time."
    expect_contains "guided prompt" "$guided" "1 of 6. Warning signs
What tells you a crisis may be building? Thoughts, feelings, situations
  now: I stop answering messages."
    expect_contains "guided saved" "$guided" "Saved. 'tend safety-plan show' shows your plan"
    run 0 tend safety-plan show --json
    expect_eq "guided result" "$(jq -c '[.[] | [.id, .text]]' <<<"$OUT")" \
        '[["warning-signs","I stop answering messages."],["coping","Walk the dog, a bath"],["people-places",""],["ask-for-help","Sam: 07700 900123"],["professionals",""],["safer-place","Give the car keys to Jo when I'"'"'m low. Keep only a week of tablets at home, and ask the pharmacist about the rest."]]'
else
    echo "script(1) not found: guided run not checked"
fi
finish
