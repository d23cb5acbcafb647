#!/usr/bin/env bash
# The coping card's "in the moment" options come first from what the person rated as
# helpful, so a plan leans on what has worked for them before; a strategy they hid is
# never offered.
source "$(dirname "$0")/lib.sh"

run 0 tend stressor add "Boxing Day at Gran's" --start 2026-12-26T12:00 --end 2026-12-26T17:00 --kind family --intensity 3
moment() { tend plan show 1 --json | jq -r '.[0].in_the_moment[].id' | paste -sd' '; }
before=$(moment)
expect_eq "shipped order" "$before" "double-breath-sigh not-too-much text-a-safe-person"

run 0 tend strategy rate look-at-the-sky 5
run 0 tend strategy hide not-too-much
expect_eq "rated first, hidden gone" "$(moment)" "look-at-the-sky double-breath-sigh text-a-safe-person"

run 0 tend strategy rate look-at-the-sky 1
expect_eq "a low rating drops it" "$(moment)" "double-breath-sigh text-a-safe-person five-minutes-alone"
finish
