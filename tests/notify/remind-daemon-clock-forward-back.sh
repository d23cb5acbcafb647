#!/usr/bin/env bash
# remind-daemon-clock-forward-back.sh: the wall clock is wrongly set 6.5 hours ahead (a
# dual-boot RTC, a bad manual setting) and then put right by NTP. The reminders of those
# hours never happened: after the correction each still comes at its own time, once.
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
add_activity g@tend ground 0 "Breathe at ten" 2026-12-24T09:00:00Z
start_daemon
jump_to 2026-12-24T14:30:00Z # wrong: 15:30 in Berlin
wait_for "summary" "^Shown: 1 reminder passed while you were away" 1
jump_to 2026-12-24T08:30:00Z # NTP puts it right: 09:30
expect_eq "waits for ten again" "$(grep '^Next reminder' "$SCRATCH/daemon.out" | tail -n 1)" \
    "Next reminder: Thu 24 Dec 10:00"
expect_eq "not shown before ten" "$(grep -c '^Shown: Breathe at ten' "$SCRATCH/daemon.out" || true)" 0
jump_to 2026-12-24T09:00:05Z # ten o'clock, for real
wait_for "shown at ten" "^Shown: Breathe at ten"
sleep 1
expect_eq "shown once, at ten" "$(grep '^Shown: Breathe' "$SCRATCH/daemon.out")" \
    "Shown: Breathe at ten (due 10:00)"
expect_eq "the log says shown" "$(log_rows)" "activity|1|2026-12-24 09:00:00|shown|-|0"
stop_daemon

# The same, with the correction arriving while the summary is still on its way (a server
# busy just after a resume): the look back waits for the summary, and ten still comes.
sqlite3 "$TEND_DB" "DELETE FROM reminder_log; DELETE FROM reminder_state"
echo 2026-12-24T08:00:00Z >"$TEND_NOW_FILE"
: >"$SCRATCH/daemon.out"
start_daemon
kill -STOP "$MOCK_PID"
jump_to 2026-12-24T14:30:00Z # wrong; the summary cannot be sent yet
jump_to 2026-12-24T08:30:00Z # put right while it waits
kill -CONT "$MOCK_PID"
wait_for "summary, late" "^Shown: 1 reminder passed while you were away" 1
wait_for "waits for ten again, late" "^Next reminder: Thu 24 Dec 10:00" 2
jump_to 2026-12-24T09:00:05Z
wait_for "shown at ten, late" "^Shown: Breathe at ten"
expect_eq "the log says shown, late" "$(log_rows_settled "activity|1|2026-12-24 09:00:00|shown|-|0")" \
    "activity|1|2026-12-24 09:00:00|shown|-|0"
stop_daemon
finish
