#!/usr/bin/env bash
# remind-daemon-answer-settles.sh: with a reminder 15 minutes before an activity and one at
# its start, Done on the early one ("Soon: ...") is kept as an answer but leaves the activity
# planned, so the one at the start still comes; Skip on that last one skips the activity, as
# `tend activity skip` does, and it leaves the live copy.
set -euo pipefail
source "$(dirname "$0")/daemon-lib.sh"
outer "$@"

export TZ=Europe/Berlin
export TEND_NOW=2026-12-24T12:44:58Z
# shellcheck source=tests/cli/lib.sh
source "$(dirname "$0")/../cli/lib.sh"
daemon_setup
start_mock
run 0 tend stressor add "Dinner" --start 2026-12-24T20:00 --end 2026-12-24T22:00
add_activity r@tend rehearse 0 "Rehearse" 2026-12-24T13:00:00Z
mkdir -p "$XDG_CONFIG_HOME/tend"
printf '[reminders]\nstressor_before = 1d\nactivity_before = 15m, 0\n' \
    >"$XDG_CONFIG_HOME/tend/tend.conf"
start_daemon
wait_for "the early one" "^Shown: Soon: Rehearse"
press 1 done
wait_for "done" "^Done\."
expect_eq "an early Done leaves it planned" "$(sqlite3 "$TEND_DB" "SELECT status FROM activities")" \
    "planned"
jump_to 2026-12-24T13:00:01Z
wait_for "the one at the start still comes" "^Shown: Rehearse (due 14:00)$"
press 2 skip
wait_for "skipped" "^Skipped"
expect_eq "the last Skip skips it" "$(sqlite3 "$TEND_DB" "SELECT status FROM activities")" "skipped"
expect_eq "and it left the live copy" \
    "$(grep -c 'SUMMARY:Rehearse' "$(dirname "$TEND_DB")/plan.ics" || true)" 0
expect_eq "both answers kept" "$(log_rows | grep '^activity')" \
    "activity|1|2026-12-24 12:45:00|done|-|0
activity|1|2026-12-24 13:00:00|skipped|-|0"
stop_daemon
expect_eq "no warnings" "$(cat "$SCRATCH/daemon.err")" ""
finish
