#!/usr/bin/env bash
# Notes: added with mood, stress, tags and a linked stressor, listed newest first as text
# and JSON, searched (accents, prefixes, apostrophes, a bad query), removed so the words
# leave the database file; bad input exits 2 (or 1 for a missing stressor) and stores nothing.
source "$(dirname "$0")/lib.sh"

# Reading an empty journal is kind and creates no database.
run 0 tend note list
expect_eq "empty list" "$OUT" "No notes yet. 'tend note add' keeps a few words about how a day went, just for you."
[ ! -e "$TEND_DB" ] || fail "note list created $TEND_DB"
run 0 tend note list --json
expect_eq "empty json" "$OUT" "[]"

run 0 tend stressor add "Christmas dinner at Mum's" --start 2026-12-25T14:00 --end 2026-12-25T19:30
TEND_NOW=2026-12-18T21:30:00Z run 0 tend note add "Made crêpes, Mum's recipe." --tag Food
expect_eq "add" "$OUT" "Saved note 1. Thank you for writing it down."
TEND_NOW=2026-12-19T08:00:00Z run 0 tend note add "  Left the kitchen early.
It was okay.  " --mood 6 --stress 4 --tag kitchen --tag '#Exit' --tag exit --stressor 1
expect_eq "add 2" "$OUT" "Saved note 2. Thank you for writing it down."
# 20 characters, then 40 words of 7: the list shows the first 200 characters, ending on
# the last whole word (25 of them).
long=$(printf 'crepes %.0s' {1..40})
run 0 tend note add I "don't" want to go, $long
expect_eq "add 3 (words joined)" "$OUT" "Saved note 3. Thank you for writing it down."

run 0 tend note list
expect_eq "list" "$OUT" "   3  Sun 20 Dec 2026 09:00
      I don't want to go, crepes crepes crepes crepes crepes crepes crepes crepes crepes crepes crepes crepes crepes crepes crepes crepes crepes crepes crepes crepes crepes crepes crepes crepes crepes…

   2  Sat 19 Dec 2026 08:00  mood 6  stress 4  #exit #kitchen  about: Christmas dinner at Mum's
      Left the kitchen early.
      It was okay.

   1  Fri 18 Dec 2026 21:30  #food
      Made crêpes, Mum's recipe."

run 0 tend note list --json
expect_eq "json" "$(jq -c '[.[] | [.id, .created, .mood, .stress, .stressor_id, .tags]]' <<<"$OUT")" \
    '[[3,"2026-12-20T09:00:00Z",null,null,null,[]],[2,"2026-12-19T08:00:00Z",6,4,1,["exit","kitchen"]],[1,"2026-12-18T21:30:00Z",null,null,null,["food"]]]'
expect_eq "json text" "$(jq -r '.[1].text' <<<"$OUT")" "Left the kitchen early.
It was okay."
expect_eq "json full text" "$(jq -r '.[0].text | length' <<<"$OUT")" "$((20 + 40 * 7 - 1))"

# Search: accents both ways, prefixes, apostrophes; best match first.
run 0 tend note search 'crêpe*' --json
expect_eq "crêpe* finds crêpes and crepes" "$(jq -c '[.[].id]' <<<"$OUT")" "[3,1]"
run 0 tend note search mum\'s
expect_eq "mum's" "$OUT" "   1  Fri 18 Dec 2026 21:30  #food
      Made crêpes, Mum's recipe."
run 0 tend note search kitch --json
expect_eq "whole words" "$OUT" "[]"
run 0 tend note search kitch
expect_eq "nothing found" "$OUT" "No notes match 'kitch'. Search finds whole words; add * to find the start of one, like kitch*."
run 0 tend note search "don't" OR kitch\* --json
expect_eq "OR and prefix" "$(jq -c '[.[].id]' <<<"$OUT")" "[2,3]"
run 2 tend note search '"mum'
expect_eq "bad query" "$ERR" "tend: error: cannot search for '\"mum': unterminated string; put words in plain text or quote a phrase
see 'tend help note'"
run 2 tend note search

# Bad input: exit 2 (1 for a stressor that is not there), a clear message, nothing stored.
run 2 tend note add "Too much" --mood 11
expect_eq "mood 11" "$ERR" "tend: error: --mood must be a whole number from 0 to 10, not '11'
see 'tend help note'"
run 2 tend note add "Too much" --stress -1
expect_eq "stress -1" "$ERR" "tend: error: --stress must be a whole number from 0 to 10, not '-1'
see 'tend help note'"
run 1 tend note add "After dinner" --stressor 99
expect_eq "missing stressor" "$ERR" "tend: error: no stressor with id 99; 'tend stressor list' shows them"
run 2 tend note add "Tagged" --tag "mum dad"
expect_eq "tag with space" "$ERR" "tend: error: tag 'mum dad' has a space or comma; a tag is one word, such as 'mum-dad' (give --tag again for each tag)
see 'tend help note'"
run 2 tend note add "   "
expect_eq "empty text" "$ERR" "tend: error: a note needs a few words, such as \"Left early and that was okay\"
see 'tend help note'"
run 2 tend note add
run 2 tend note list extra
run 2 tend note remove abc
run 2 tend note forget
run 0 tend note list --json
expect_eq "nothing stored by bad input" "$(jq length <<<"$OUT")" "3"

# Removing a note scrubs its words from the database file and WAL.
run 0 tend note add "The zanzibarquokka dream again" --tag quokkatag
expect_eq "add 4" "$OUT" "Saved note 4. Thank you for writing it down."
in_store() { cat "$TEND_DB" "$TEND_DB-wal" 2>/dev/null | grep -a -c "$1" || true; }
[ "$(in_store zanzibarquokka)" != 0 ] || fail "control: the word should be in the file before removal"
[ "$(in_store quokkatag)" != 0 ] || fail "control: the tag should be in the file before removal"
run 0 tend note remove 4
expect_eq "remove" "$OUT" "Removed note 4. Its words are gone from the database file too."
expect_eq "word scrubbed" "$(in_store zanzibarquokka)" "0"
expect_eq "tag scrubbed" "$(in_store quokkatag)" "0"
[ "$(in_store recipe)" != 0 ] || fail "the other notes should still be in the file"
run 1 tend note remove 4
expect_eq "remove twice" "$ERR" "tend: error: no note with id 4; 'tend note list' shows them"
run 0 tend note search 'zanzibar*' --json
expect_eq "gone from search" "$OUT" "[]"
run 0 tend note list --json
expect_eq "after remove" "$(jq -c '[.[].id]' <<<"$OUT")" "[3,2,1]"
finish
