#!/usr/bin/env bash
# remind-daemon-once-and-resume.sh: the reminder service shows each reminder exactly once
# across a restart, beside `tend remind --once` and with a second service refused; after a
# resume (the program's clock jumps forward) it shows what is within the grace period once and
# sums up the older ones in one gentle notification; after the clock is set back, what was
# summed up comes at its time after all, and nothing shown comes twice. Also: the machine was
# off (the service starts late), and the database watch (a new item wakes it, no timer needed).
set -euo pipefail
source "$(dirname "$0")/daemon-lib.sh"
outer "$@"

export TZ=Europe/Berlin
export TEND_NOW=2026-12-24T08:00:00Z # 09:00 in Berlin
# shellcheck source=tests/cli/lib.sh
source "$(dirname "$0")/../cli/lib.sh"
daemon_setup
start_mock

run 0 tend stressor add "Christmas dinner" --start 2026-12-24T19:00 --end 2026-12-24T22:00
add_activity ground-0@tend ground 0 "Breathe at ten" 2026-12-24T09:00:00Z
add_activity ground-1@tend ground 1 "Breathe at eleven" 2026-12-24T10:00:00Z
add_activity ground-2@tend ground 2 "Breathe at noon" 2026-12-24T11:00:00Z
add_activity ground-3@tend ground 3 "Breathe at three" 2026-12-24T14:00:00Z

start_daemon
expect_eq "sleeps until ten" "$(grep '^Next' "$SCRATCH/daemon.out")" "Next reminder: Thu 24 Dec 10:00"

# A second service is refused, clearly, and changes nothing.
run 1 timeout 20 "$TEND_BIN" remind --daemon
expect_eq "second service" "$ERR" "tend: error: the reminder service is already running (process $TEND_PID); only one runs at a time, and that one will show your reminders"

# The machine sleeps from 09:00 to 15:30 and resumes: 14:00 (15:00 local) is within the grace
# period and is shown; ten, eleven and noon are summed up in one notification.
jump_to 2026-12-24T14:30:00Z
wait_for "after the resume" "^Shown:" 2
expect_eq "after the resume" "$(grep '^Shown:' "$SCRATCH/daemon.out")" \
    "Shown: 3 reminders passed while you were away
Shown: Breathe at three (due 15:00)"
expect_eq "one summary, one reminder" "$(notify_calls)" \
    "0|3 reminders passed while you were away|That&apos;s okay. Your plan is still here when you want it: tend agenda.|
0|Breathe at three|Feet on the floor, three slow breaths.|default,done,snooze,skip"
expect_eq "log after the resume" "$(log_rows_settled "activity|1|2026-12-24 09:00:00|missed|-|0
activity|2|2026-12-24 10:00:00|missed|-|0
activity|3|2026-12-24 11:00:00|missed|-|0
activity|4|2026-12-24 14:00:00|shown|-|0")" \
    "activity|1|2026-12-24 09:00:00|missed|-|0
activity|2|2026-12-24 10:00:00|missed|-|0
activity|3|2026-12-24 11:00:00|missed|-|0
activity|4|2026-12-24 14:00:00|shown|-|0"

# The clock is set back to 09:30: the resume time was wrong. What was summed up as missed had
# not happened yet and comes at its time; what was shown is not shown again.
jump_to 2026-12-24T08:30:00Z
expect_eq "set back: waits for ten again" "$(grep '^Next' "$SCRATCH/daemon.out" | tail -n 1)" \
    "Next reminder: Thu 24 Dec 10:00"
jump_to 2026-12-24T09:00:05Z
wait_for "ten at ten" "^Shown: Breathe at ten"
# Then it sleeps until 15:31: eleven and noon pass while away, three is not shown twice.
jump_to 2026-12-24T14:31:00Z
wait_for "the second summary" "^Shown: 2 reminders passed while you were away"
sleep 0.5
expect_eq "nothing twice after the clock went back" "$(notify_calls | tail -n +3)" \
    "0|Breathe at ten|Feet on the floor, three slow breaths.|default,done,snooze,skip
0|2 reminders passed while you were away|That&apos;s okay. Your plan is still here when you want it: tend agenda.|"

# A restart at the same time shows nothing again.
stop_daemon
start_daemon
expect_eq "restart: nothing shown" "$(grep -c '^Shown' "$SCRATCH/daemon.out" || true)" 0
expect_eq "restart: waits for the stressor" "$(grep '^Next' "$SCRATCH/daemon.out")" \
    "Next reminder: Thu 24 Dec 18:00"

# The database watch: a new activity at 16:00 (local) wakes the service at once, which now
# sleeps until then; no timer looked.
add_activity ground-4@tend ground 4 "Tea before leaving" 2026-12-24T15:00:00Z
wait_for "a new item is noticed" "^Next reminder: Thu 24 Dec 16:00"

# At 16:00 the service and `tend remind --once` both look: it is shown exactly once.
echo 2026-12-24T15:00:00Z >"$TEND_NOW_FILE"
kill -USR1 "$TEND_PID"
TEND_NOW=2026-12-24T15:00:00Z timeout 20 "$TEND_BIN" remind --once >"$SCRATCH/once.out" 2>&1 || true
wait_for "looked" "^Looked again"
sleep 0.5
expect_eq "tea once in all" "$( (grep -h '^Shown: Tea' "$SCRATCH/daemon.out" "$SCRATCH/once.out" || true) | wc -l)" 1
expect_eq "tea reached the server once" "$(notify_calls | grep -c '|Tea before leaving|')" 1
stop_daemon

# The machine was off from 16:00 to 21:30 (local): the stressor's hour-before reminder (18:00)
# is older than the grace period and is summed up when the service starts.
export TEND_NOW=2026-12-24T20:30:00Z
echo "$TEND_NOW" >"$TEND_NOW_FILE"
start_daemon --exit-after 1
wait "$DAEMON_PID"
DAEMON_PID=
expect_eq "after being off" "$(grep '^Shown' "$SCRATCH/daemon.out")" \
    "Shown: 1 reminder passed while you were away"
expect_eq "summary text" "$(notify_calls | tail -n 1)" \
    "0|1 reminder passed while you were away|That&apos;s okay. Your plan is still here when you want it: tend agenda.|"
expect_eq "stressor marked missed" "$(log_rows | grep stressor)" \
    "stressor|1|2026-12-24 17:00:00|missed|-|0"
expect_eq "no warnings" "$(cat "$SCRATCH"/*.err 2>/dev/null | grep -v '^$' || true)" ""
finish
