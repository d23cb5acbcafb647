#!/usr/bin/env bash
# remind-daemon-server-restart-ids.sh: only the notification server answers for tend's
# notifications. Another program sending a look-alike "done" signal changes nothing. When the
# server restarts, it numbers notifications from 1 again: pressing "done" on another app's
# new notification 1 must not answer tend's old reminder 1. Reminders shown by the new server
# are answered as usual.
set -euo pipefail
source "$(dirname "$0")/daemon-lib.sh"
outer "$@"

export TZ=Europe/Berlin
export TEND_NOW=2026-12-24T12:59:58Z
# shellcheck source=tests/cli/lib.sh
source "$(dirname "$0")/../cli/lib.sh"
daemon_setup
start_mock
run 0 tend stressor add "Dinner" --start 2026-12-24T15:00 --end 2026-12-24T20:00
add_activity ground-0@tend ground 0 "Slow breaths" 2026-12-24T13:30:00Z
start_daemon
wait_for "shown" "^Shown:"
shown="stressor|1|2026-12-24 13:00:00|shown|-|0"

# Another program on the bus sends ActionInvoked for id 1.
gdbus emit --session --object-path /org/freedesktop/Notifications \
    --signal org.freedesktop.Notifications.ActionInvoked "uint32 1" "'done'"
sleep 1
expect_eq "a look-alike signal changes nothing" "$(log_rows)" "$shown"

# The server restarts; another app's notification gets id 1, and its "done" is pressed.
stop_mock
start_mock
gdbus call --session --dest org.freedesktop.Notifications \
    --object-path /org/freedesktop/Notifications \
    --method org.freedesktop.Notifications.Notify "'other'" "uint32 0" "''" "'Laundry'" \
    "'finished'" "['done', 'OK']" "@a{sv} {}" "int32 -1" >/dev/null
press 1 done
sleep 1
expect_eq "tend's reminder unanswered" "$(log_rows)" "$shown"
expect_eq "no answer confirmed" "$(grep -c '^Done' "$SCRATCH/daemon.out" || true)" 0

# The next reminder goes to the new server (its id 2) and its buttons work.
jump_to 2026-12-24T13:30:01Z
wait_for "shown on the new server" "^Shown: Slow breaths (due 14:30)$"
press 2 done
wait_for "answered" "^Done\."
expect_eq "only the new one answered" "$(log_rows_settled "$shown
activity|1|2026-12-24 13:30:00|done|-|0")" "$shown
activity|1|2026-12-24 13:30:00|done|-|0"
stop_daemon
expect_eq "no warnings" "$(cat "$SCRATCH/daemon.err")" ""
finish
