#!/usr/bin/env bash
# `tend remind` needs one of its modes; with nothing due --once says so kindly, needs no
# session bus and creates no database.
source "$(dirname "$0")/lib.sh"

run 2 tend remind
expect_eq "no mode" "$ERR" "tend: error: remind needs --once (show what is due and exit), --daemon (keep running), --install or --uninstall
see 'tend help remind'"
run 2 tend remind --daemon --once
expect_eq "two modes" "$ERR" "tend: error: use one of --once, --daemon, --install, --uninstall, --urgent and --not-urgent at a time
see 'tend help remind'"
run 2 tend remind --daemon --json
expect_eq "json without once" "$ERR" "tend: error: --json goes with --once
see 'tend help remind'"
run 2 tend remind --once --exit-after 2
expect_eq "exit-after without daemon" "$ERR" "tend: error: --exit-after goes with --daemon
see 'tend help remind'"
run 2 tend remind --daemon --exit-after 0
expect_contains "exit-after bounded" "$ERR" "--exit-after"
run 2 tend remind --once now
expect_eq "extra argument" "$ERR" "tend: error: remind takes no arguments, only options such as --once
see 'tend help remind'"
run 2 tend remind --once --loud
expect_eq "unknown option" "$ERR" "tend: error: remind: unknown option --loud
see 'tend help remind'"

run 0 env -u DBUS_SESSION_BUS_ADDRESS -u DISPLAY "$TEND_BIN" remind --once
expect_eq "nothing due" "$OUT" "Nothing due right now."
expect_eq "nothing due, quietly" "$ERR" ""
run 0 tend remind --once --json
expect_eq "nothing due as JSON" "$OUT" "[]"
[ ! -e "$TEND_DB" ] || fail "remind --once created the database with nothing to remind"

# A stressor far from now is not due either, and looking does not claim anything.
run 0 tend stressor add "Christmas dinner" --start 2026-12-24T15:00 --end 2026-12-24T20:00
run 0 tend remind --once
expect_eq "not due yet" "$OUT" "Nothing due right now."
expect_eq "nothing claimed" "$(sqlite3 "$TEND_DB" 'SELECT count(*) FROM reminder_log')" 0

run 0 tend help remind
expect_contains "help remind" "$OUT" "usage: tend remind --once [--json]"

finish
