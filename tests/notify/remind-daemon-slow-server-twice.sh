#!/usr/bin/env bash
# remind-daemon-slow-server-twice.sh: a busy notification server (a desktop shell right after a
# resume, say) still shows a reminder it answers late, so the service must never send it a
# second time. A server busy for 4 s answers within the service's 25 s wait: the reminder is
# shown once, with working buttons. A server busy for longer than 25 s is sent it once as
# well: the reminder counts as shown (it is in the server's queue) and is not sent again.
set -euo pipefail
source "$(dirname "$0")/daemon-lib.sh"
outer "$@"

export TZ=Europe/Berlin
export TEND_NOW=2026-12-24T12:59:58Z
# shellcheck source=tests/cli/lib.sh
source "$(dirname "$0")/../cli/lib.sh"
daemon_setup
start_mock
run 0 tend stressor add "Dinner" --start 2026-12-24T20:00 --end 2026-12-24T22:00
add_activity "First@tend" ground 0 "First" 2026-12-24T13:00:00Z
add_activity "Second@tend" ground 1 "Second" 2026-12-24T13:05:00Z
add_activity "Third@tend" ground 2 "Third" 2026-12-24T13:10:00Z
start_daemon
wait_for "first shown" "^Shown: First"

# Busy for 4 s.
kill -STOP "$MOCK_PID"
jump_to 2026-12-24T13:05:01Z # Second is due; Notify waits in the server's queue
sleep 4
kill -CONT "$MOCK_PID" # the server catches up and shows it
wait_for "second shown" "^Shown: Second (due 14:05)$"
jump_to 2026-12-24T13:06:00Z # where a retry would have been (30 s later)
sleep 1
expect_eq "Second reached the server once" "$(notify_calls | grep -c '|Second|')" 1
press 2 done
wait_for "its buttons work" "^Done\."
expect_eq "Second answered" "$(log_rows | grep '^activity|2|')" \
    "activity|2|2026-12-24 13:05:00|done|-|0"

# Busy for longer than the service waits (25 s).
kill -STOP "$MOCK_PID"
jump_to 2026-12-24T13:10:01Z # Third is due
for _ in $(seq 600); do # the service waits 25 s; a loaded machine may take longer
    grep -q "did not confirm" "$SCRATCH/daemon.err" && break
    sleep 0.1
done
kill -CONT "$MOCK_PID"
expect_eq "told once" "$(cat "$SCRATCH/daemon.err")" \
    "tend: warning: the notification server did not confirm it within 25 seconds; the reminder counts as shown, so it never comes twice"
log="activity|1|2026-12-24 13:00:00|shown|-|0
activity|2|2026-12-24 13:05:00|done|-|0
activity|3|2026-12-24 13:10:00|shown|-|0"
expect_eq "Third counts as shown" "$(log_rows_settled "$log")" "$log"
jump_to 2026-12-24T13:11:00Z # past any retry
jump_to 2026-12-24T13:20:00Z
sleep 1
expect_eq "Third reached the server once" "$(notify_calls | grep -c '|Third|')" 1
expect_eq "each shown once" "$(grep '^Shown:' "$SCRATCH/daemon.out")" \
    "Shown: First (due 14:00)
Shown: Second (due 14:05)
Shown: Third (due 14:10)"
stop_daemon
finish
