#!/usr/bin/env bash
# remind-daemon-quiet-degraded-idle.sh: the reminder service keeps quiet hours (a reminder
# inside them waits until they end, unless its item is urgent); with no notification server,
# or a hung one, the loop never blocks: the reminder stays due, the failure is written once,
# and it is shown once a server answers; and an idle service does not wake at all.
set -euo pipefail
source "$(dirname "$0")/daemon-lib.sh"
outer "$@"

export TZ=Europe/Berlin
export TEND_NOW=2026-12-24T21:29:58Z # 22:29:58 in Berlin
# shellcheck source=tests/cli/lib.sh
source "$(dirname "$0")/../cli/lib.sh"
daemon_setup
mkdir -p "$XDG_CONFIG_HOME/tend"
cat >"$XDG_CONFIG_HOME/tend/tend.conf" <<'CONF'
[reminders]
stressor_before = 1h
quiet_hours = 22:00-07:30
CONF

run 0 tend stressor add "Late call with Dad" --start 2026-12-24T23:30 --end 2026-12-25T00:00
run 0 tend stressor add "Night shift handover" --start 2026-12-24T23:31 --end 2026-12-25T00:00

# No server at all: the service starts, and waits for 07:30 (end of quiet hours).
start_daemon
expect_eq "quiet hours: waits" "$(grep '^Next' "$SCRATCH/daemon.out")" "Next reminder: Fri 25 Dec 07:30"
# Marking the handover urgent wakes it through the database watch: 22:31 now.
run 0 tend remind --urgent stressor:2
expect_eq "urgent" "$OUT" "Marked stressor 2 urgent: its reminders come even in quiet hours."
wait_for "urgent noticed" "^Next reminder: Thu 24 Dec 22:31"
run 2 tend remind --urgent stressor:x
expect_eq "urgent: bad id" "$ERR" "tend: error: --urgent must be a whole number from 1 to 2147483647, not 'x'
see 'tend help remind'"
run 1 tend remind --urgent activity:9
expect_eq "urgent: no such item" "$ERR" "tend: error: --urgent: there is no activity with id 9"

# 22:31: due, but there is no server. The loop is not blocked (it answers the next jump at
# once), the failure is written once, and nothing stays claimed.
jump_to 2026-12-24T21:31:00Z
jump_to 2026-12-24T21:31:40Z # past the first retry (30 s): fails again, quietly
expect_eq "failure written once" "$(cat "$SCRATCH/daemon.err")" \
    "tend: warning: could not show a reminder: no notification server is running in your desktop session; it stays due and will be tried again (first in 30 seconds)"
expect_eq "nothing claimed" "$(log_rows_settled "")" ""
expect_eq "nothing shown" "$(grep -c '^Shown' "$SCRATCH/daemon.out" || true)" 0

# A hung server: the call is bounded, the loop keeps answering meanwhile.
start_mock
kill -STOP "$MOCK_PID"
jump_to 2026-12-24T21:33:00Z
expect_eq "hung server: loop answers" "$(grep -c '^Looked again' "$SCRATCH/daemon.out")" 3
sleep 3.5 # the bounded call gives up after 3 s
kill -CONT "$MOCK_PID"
expect_eq "hung server: still unclaimed" "$(log_rows_settled "")" ""
# The server answers now: after the next retry the urgent reminder is shown, once; the other
# still waits for the end of quiet hours.
jump_to 2026-12-24T21:45:00Z
wait_for "shown when the server answers" "^Shown:"
expect_eq "urgent shown" "$(grep '^Shown' "$SCRATCH/daemon.out")" \
    "Shown: In an hour: Night shift handover (due 22:31)"
expect_contains "working again" "$(cat "$SCRATCH/daemon.out")" "Notifications work again."
expect_eq "log" "$(log_rows_settled "stressor|2|2026-12-24 21:31:00|shown|-|0")" "stressor|2|2026-12-24 21:31:00|shown|-|0"
# 07:30: the quiet-hours reminder comes then, titled for that moment.
jump_to 2026-12-25T06:30:00Z
wait_for "after quiet hours" "^Shown:" 2
expect_eq "after quiet hours" "$(grep '^Shown' "$SCRATCH/daemon.out" | tail -n 1)" \
    "Shown: Now: Late call with Dad (due 07:30)"
expect_eq "nothing left" "$(grep '^Nothing more' "$SCRATCH/daemon.out" | tail -n 1)" \
    "Nothing more to remind you of for now."

# Idle cost: with nothing due, the service's threads do not run at all for 20 seconds (no
# timer, no polling): the context switches of each thread stay the same. (A few seconds first
# let GLib's file monitor finish with the service's own last writes, and idle worker threads
# end.)
switches() { # one line per thread: "TID SWITCHES"
    for task in /proc/"$TEND_PID"/task/*; do
        echo "${task##*/} $(awk '/ctxt_switches/ {n += $2} END {print n}' "$task/status" 2>/dev/null)"
    done
}
sleep 5
switches >"$SCRATCH/idle-before"
sleep 20
switches >"$SCRATCH/idle-after"
expect_eq "idle: the main thread never woke" "$(grep "^$TEND_PID " "$SCRATCH/idle-after")" \
    "$(grep "^$TEND_PID " "$SCRATCH/idle-before")"
expect_eq "idle: no thread woke" "$(join "$SCRATCH/idle-before" "$SCRATCH/idle-after" |
    awk '$2 != $3')" ""
stop_daemon
finish
