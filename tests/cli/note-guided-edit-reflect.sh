#!/usr/bin/env bash
# note add as a guided reflection at a terminal (driven through a pseudo-terminal): the
# questions, the day's rotating prompt, what is stored, stopping early and skipping all;
# tend reflect ID for a stressor; note add --edit through $VISUAL/$EDITOR in a private
# folder that is removed afterwards; --activity links. Not at a terminal: clear errors.
source "$(dirname "$0")/lib.sh"

# guided INPUT ARGS...: runs tend ARGS at a pseudo-terminal fed INPUT; output in $GUIDED.
guided() {
    local input=$1
    shift
    local args
    printf -v args " %q" "$@"
    printf '%s' "$input" | script -qec "'$TEND_BIN'$args" /dev/null >"$SCRATCH/guided" 2>&1 ||
        fail "guided '$*' failed: $(cat "$SCRATCH/guided")"
    GUIDED=$(tr -d '\r' <"$SCRATCH/guided")
}
last_note() { tend note list --json | jq -c 'max_by(.id) | [.id, .text, .mood, .stress, .stressor_id, .activity_id]'; }

run 2 tend note add </dev/null
expect_eq "no tty, no text" "$ERR" "tend: error: note add needs the TEXT of the note (quote it if you like), or --edit; in a terminal it asks a few gentle questions
see 'tend help note'"
run 2 tend reflect 1 </dev/null
expect_eq "reflect, no tty" "$ERR" "tend: error: reflect asks its questions in a terminal; otherwise use 'tend note add TEXT --stressor ID'
see 'tend help reflect'"
run 2 tend reflect
run 2 tend reflect abc
[ ! -e "$TEND_DB" ] || fail "refusing to ask created the database"

if ! command -v script >/dev/null; then
    echo "script(1) not found: guided questions not checked"
else
    # 22 Dec: the day's prompt is about repair. An answer out of range is asked again.
    export TEND_NOW=2026-12-22T20:00:00Z
    guided $'3\n8\nThe phone call with Dad.\nWalking after.\nI said sorry for snapping.\n11\n6\n4\nI did my best.\n' note add
    expect_contains "intro and first questions" "$GUIDED" "A few gentle questions. Press Enter to skip any of them; Ctrl-D stops and keeps
what you have said.

Mood before, 0 (very low) to 10 (very good): Stress before, 0 (calm) to 10 (overwhelmed): 
What happened?
> 
What helped, even a little?
> 
Was there a moment of repair, with someone else or with yourself, even a small one?
> 
Mood now, 0 to 10: A whole number from 0 to 10 please, or Enter to skip.
Mood now, 0 to 10: Stress now, 0 to 10: 
One kind sentence to yourself, as you would say it to a friend:
> 
Saved note 1. Thank you for writing it down."
    expect_eq "guided note" "$(last_note)" \
        '[1,"What happened: The phone call with Dad.\nWhat helped: Walking after.\nRepair: I said sorry for snapping.\nKind words: I did my best.\nBefore: mood 3, stress 8.",6,4,null,null]'

    # The prompt changes from day to day and comes back after six days.
    TEND_NOW=2026-12-23T20:00:00Z guided $'\n\n\n\n' note add
    expect_contains "next day's prompt" "$GUIDED" "When did you feel even a little steady inside?"
    TEND_NOW=2026-12-28T20:00:00Z guided $'\n\n\n\n' note add
    expect_contains "six days on" "$GUIDED" "Was there a moment of repair, with someone else or with yourself, even a small one?"

    # Everything skipped: nothing stored. Stopping early keeps what was said.
    guided $'\n\n\n\n\n\n\n\n' note add
    expect_contains "all skipped" "$GUIDED" "Nothing saved, and that's okay. You can come back to this any time."
    guided $'5\n\nOnly this.\n' note add --tag evening
    expect_contains "stopped early" "$GUIDED" "Saved note 2."
    expect_eq "early note" "$(last_note)" '[2,"What happened: Only this.\nBefore: mood 5.",null,null,null,null]'
    run 0 tend note list --json
    expect_eq "early note's tag" "$(jq -c '.[0].tags' <<<"$OUT")" '["evening"]'

    # tend reflect ID: the same questions about a stressor, saved as a note linked to it.
    TEND_NOW=2026-12-10T09:00:00Z run 0 tend stressor add "Christmas dinner at Mum's" --start 2026-12-25T14:00 --end 2026-12-25T19:30
    TEND_NOW=2026-12-26T10:00:00Z guided $'4\n9\nToo many questions about work.\nThe garden.\n\n6\n3\nI left on time, well done.\n' reflect 1
    expect_contains "reflect intro" "$GUIDED" "Looking back at 'Christmas dinner at Mum's' (Fri 25 Dec 2026 14:00).
A few gentle questions."
    expect_contains "reflect asks about before it" "$GUIDED" "Mood before it, 0 (very low) to 10 (very good): Stress before it, 0 (calm) to 10 (overwhelmed):"
    expect_eq "reflection note" "$(last_note)" \
        '[3,"What happened: Too many questions about work.\nWhat helped: The garden.\nKind words: I left on time, well done.\nBefore: mood 4, stress 9.",6,3,1,null]'
    script -qec "'$TEND_BIN' reflect 9" /dev/null </dev/null >"$SCRATCH/missing" 2>&1 && fail "reflect 9 should fail"
    expect_contains "reflect missing stressor" "$(tr -d '\r' <"$SCRATCH/missing")" "tend: error: no stressor with id 9; 'tend stressor list' shows them"
fi
unset TEND_NOW
export TEND_NOW=2026-12-20T09:00:00Z

# --edit: the editor gets a file in a new 0700 folder, holding any words given; both go.
cat >"$SCRATCH/editor" <<'SH'
#!/bin/sh
# A stand-in editor: notes where it was asked to write and how private that was, then writes.
printf '%s\n' "$1" >"$TEND_TEST_SEEN"
printf '%s %s\n' "$(stat -c %a "$(dirname "$1")")" "$(stat -c %a "$1")" >>"$TEND_TEST_SEEN"
cat "$1" >>"$TEND_TEST_SEEN"
printf 'A long note.\n\nWith a second paragraph.\n' >>"$1"
SH
chmod +x "$SCRATCH/editor"
export TEND_TEST_SEEN="$SCRATCH/seen"
before=$(tend note list --json | jq length)
EDITOR="$SCRATCH/editor" run 0 tend note add --edit Started here. --tag long
expect_eq "edit saved" "$OUT" "Saved note $((before + 1)). Thank you for writing it down."
expect_eq "edit text" "$(tend note list --json | jq -r 'max_by(.id).text')" "Started here.
A long note.

With a second paragraph."
seen_path=$(head -1 "$SCRATCH/seen")
expect_eq "private folder and file" "$(sed -n 2p "$SCRATCH/seen")" "700 600"
expect_eq "prefilled" "$(sed -n 3p "$SCRATCH/seen")" "Started here."
[ ! -e "$seen_path" ] || fail "the editor's file was left behind"
[ ! -e "$(dirname "$seen_path")" ] || fail "the editor's folder was left behind"

# VISUAL comes first; an editor that fails or leaves the note empty stores nothing.
printf '#!/bin/sh\nexit 3\n' >"$SCRATCH/failing"
chmod +x "$SCRATCH/failing"
VISUAL="$SCRATCH/failing" EDITOR="$SCRATCH/editor" run 1 tend note add --edit
expect_eq "failing editor" "$ERR" "tend: error: the editor '$SCRATCH/failing' did not finish, so nothing was saved: Child process exited with code 3"
EDITOR=true run 0 tend note add --edit
expect_eq "empty note" "$OUT" "Nothing saved: the note was empty."
env -u EDITOR -u VISUAL "$TEND_BIN" note add --edit >/dev/null 2>"$SCRATCH/err" && fail "no editor should fail"
expect_eq "no editor" "$(cat "$SCRATCH/err")" "tend: error: note add --edit needs an editor: set EDITOR, for example EDITOR=nano, or give the text instead"
expect_eq "nothing stored" "$(tend note list --json | jq length)" "$((before + 1))"

# --activity links a note to a planned activity and so to its stressor.
run 0 tend stressor add "Office party" --start 2026-12-23T18:00 --end 2026-12-23T21:00 --kind work
party=$(tend stressor list --json | jq '.[] | select(.title == "Office party") | .id')
run 0 tend plan --from 2026-12-20 --to 2026-12-24 --json
ground=$(jq --argjson s "$party" '.[] | select(.stressor_id == $s and .kind == "ground") | .id' <<<"$OUT")
run 0 tend note add "Grounding in the car park helped." --activity "$ground" --mood 6
expect_eq "activity link" "$(last_note)" "[$((before + 2)),\"Grounding in the car park helped.\",6,null,$party,$ground]"
run 0 tend note list
expect_contains "activity shown" "$OUT" "about: Office party  activity $ground"
run 2 tend note add "Wrong one" --activity "$ground" --stressor 1
expect_eq "activity of another stressor" "$ERR" "tend: error: activity $ground belongs to stressor $party, not 1; give just --activity
see 'tend help note'"
run 1 tend note add "Nowhere" --activity 999
expect_eq "missing activity" "$ERR" "tend: error: no activity with id 999; 'tend plan --json' shows them"
run 2 tend note add "Sneaky" --tag activity:3
expect_eq "reserved tag" "$ERR" "tend: error: tag 'activity:3' is kept for links to activities; use --activity ID for those
see 'tend help note'"
expect_eq "nothing stored by bad links" "$(tend note list --json | jq length)" "$((before + 2))"
finish
