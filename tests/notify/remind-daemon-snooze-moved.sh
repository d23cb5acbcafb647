#!/usr/bin/env bash
# remind-daemon-snooze-moved.sh: the person snoozes an activity's reminder, then moves the
# activity to the evening. The snooze was for the old time: at the snooze's end nothing
# comes; the reminder comes at the new time, once.
set -euo pipefail
source "$(dirname "$0")/daemon-lib.sh"
outer "$@"

export TZ=Europe/Berlin
export TEND_NOW=2026-12-24T12:59:58Z
# shellcheck source=tests/cli/lib.sh
source "$(dirname "$0")/../cli/lib.sh"
daemon_setup
start_mock
run 0 tend stressor add "Dinner" --start 2026-12-24T22:00 --end 2026-12-24T23:00
add_activity r@tend rehearse 0 "Rehearse" 2026-12-24T13:00:00Z
start_daemon
wait_for "shown" "^Shown: Rehearse" 1
press 1 snooze
wait_for "snoozed" "^Snoozed"
TEND_NOW=2026-12-24T13:01:00Z run 0 tend activity move 1 --to 2026-12-24T18:00
# The service notices the move: the next reminder is the new time, not the snooze's end.
wait_for "moved noticed" "^Next reminder: Thu 24 Dec 18:00"
jump_to 2026-12-24T13:11:00Z # the old snooze's end
sleep 1
expect_eq "nothing at the old snooze's end" "$(grep -c '^Shown: Rehearse' "$SCRATCH/daemon.out")" 1
jump_to 2026-12-24T17:00:01Z # 18:00 in Berlin, the new time
wait_for "shown at the new time" "^Shown: Rehearse" 2
sleep 1
expect_eq "shown once more, at 18:00" "$(grep '^Shown: Rehearse' "$SCRATCH/daemon.out")" \
    "Shown: Rehearse (due 14:00)
Shown: Rehearse (due 18:00)"
stop_daemon
finish
