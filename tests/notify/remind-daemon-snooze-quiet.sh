#!/usr/bin/env bash
# remind-daemon-snooze-quiet.sh: snoozing at 21:55 for 10 minutes would end at 22:05, inside
# quiet hours (22:00-08:00), so the reminder waits until 08:00. The confirmation says so,
# and the reminder indeed comes back at 08:00 the next morning, not at 22:05. An urgent
# item is not held back, and its confirmation keeps the plain snooze time.
set -euo pipefail
source "$(dirname "$0")/daemon-lib.sh"
outer "$@"

export TZ=Europe/Berlin
export TEND_NOW=2026-12-24T20:49:58Z # 21:49:58 in Berlin
# shellcheck source=tests/cli/lib.sh
source "$(dirname "$0")/../cli/lib.sh"
daemon_setup
start_mock
run 0 tend stressor add "Dinner" --start 2026-12-26T19:00 --end 2026-12-26T22:00
add_activity "Slow breaths@tend" ground 0 "Slow breaths" 2026-12-24T20:50:00Z
add_activity "Text Sam@tend" ground 1 "Text Sam" 2026-12-24T20:50:00Z
run 0 tend remind --urgent activity:2

start_daemon
wait_for "both shown at 21:50" "^Shown:" 2
jump_to 2026-12-24T20:55:00Z # 21:55: snooze both
press 1 snooze
wait_for "first snoozed" "^Snoozed\."
press 2 snooze
wait_for "second snoozed" "^Snoozed\." 2
expect_eq "the confirmations say when" "$(notify_calls | tail -n 2)" \
    "1|Snoozed. I'll remind you again when your quiet hours end, tomorrow at 08:00.||
2|Snoozed. I'll remind you again at 22:05.||"

# 22:06: the urgent one comes back; the other waits.
jump_to 2026-12-24T21:06:00Z
wait_for "urgent one back" "^Shown:" 3
expect_eq "at 22:06 only the urgent one" "$(grep '^Shown:' "$SCRATCH/daemon.out" | tail -n 1)" \
    "Shown: Text Sam (due 22:05)"
press 3 done
wait_for "done" "^Done\."
wait_for "waits for the morning" "^Next reminder: Fri 25 Dec 08:00$"
# 07:59: still quiet. 08:00: back, as promised.
jump_to 2026-12-25T06:59:00Z
expect_eq "nothing at 07:59" "$(grep -c '^Shown:' "$SCRATCH/daemon.out")" 3
jump_to 2026-12-25T07:00:01Z
wait_for "back at 08:00" "^Shown:" 4
expect_eq "back at 08:00" "$(grep '^Shown:' "$SCRATCH/daemon.out" | tail -n 1)" \
    "Shown: Slow breaths (due 08:00)"
stop_daemon
expect_eq "no warnings" "$(cat "$SCRATCH/daemon.err")" ""
finish
