#!/usr/bin/env bash
# The command answers --help, --version and help COMMAND, and reports usage errors
# with exit 2 and a `tend: error:` line, changing nothing.
source "$(dirname "$0")/lib.sh"

run 0 tend --help
expect_contains "help" "$OUT" "usage: tend COMMAND"
for command in agenda demo export help-now import note now plan remind safety-plan strategy stressor; do
    expect_contains "help lists $command" "$OUT" "  $command "
done
expect_contains "help mentions crisis help" "$OUT" "crisis"

run 0 tend --version
expect_eq "version" "$OUT" "tend 0.1.0"

run 0 tend help stressor
expect_contains "help stressor" "$OUT" "usage: tend stressor add TITLE --start TIME --end TIME"

run 2 tend help frobnicate
expect_eq "help unknown" "$ERR" "tend: error: 'frobnicate' is not a tend command"

run 2 tend frobnicate
expect_eq "unknown command" "$ERR" "tend: error: 'frobnicate' is not a tend command; 'tend --help' lists them"

run 2 tend
expect_contains "no command prints usage" "$ERR" "usage: tend COMMAND"

run 2 tend stressor list --bogus
expect_eq "unknown option" "$ERR" "tend: error: stressor list: unknown option --bogus
see 'tend help stressor'"

# Commands with actions name them all, in one shape.
run 2 tend note
expect_eq "missing action" "$ERR" "tend: error: note needs an action: add, list, search, remove or export
see 'tend help note'"
run 2 tend safety-plan juggle
expect_eq "unknown action" "$ERR" "tend: error: 'juggle' is not a safety-plan action; use edit or show
see 'tend help safety-plan'"

[ ! -e "$TEND_DB" ] || fail "usage errors created the database"

# A full stdout is reported, not ignored.
if [ -w /dev/full ]; then
    status=0
    "$TEND_BIN" --help >/dev/full 2>"$SCRATCH/full" || status=$?
    expect_eq "full disk status" "$status" "1"
    expect_contains "full disk message" "$(cat "$SCRATCH/full")" "tend: error: cannot write the output"
fi
finish
