#!/usr/bin/env bash
# remind-daemon-retry-spin.sh: a reminder cannot be shown (no notification server), so the
# service waits 30 s to try again. Meanwhile the person removes the event. At the retry there
# is nothing left to show: the service says so and sleeps, rather than waking over and over
# (which would keep a laptop's processor busy). CONTROL=1 keeps the event, for comparison.
set -euo pipefail
source "$(dirname "$0")/daemon-lib.sh"
outer "$@"

export TZ=Europe/Berlin
export TEND_NOW=2026-12-24T12:59:58Z
# shellcheck source=tests/cli/lib.sh
source "$(dirname "$0")/../cli/lib.sh"
daemon_setup
run 0 tend stressor add "Dinner" --start 2026-12-24T15:00 --end 2026-12-24T20:00
start_daemon
jump_to 2026-12-24T13:00:05Z # due at 14:00 Berlin; no server: it fails, retry at 14:00:35
for _ in $(seq 150); do
    grep -q "could not show a reminder" "$SCRATCH/daemon.err" && break
    sleep 0.1
done
expect_eq "the failure is told once" "$(cat "$SCRATCH/daemon.err")" \
    "tend: warning: could not show a reminder: no notification server is running in your desktop session; it stays due and will be tried again (first in 30 seconds)"
wait_for "waits for the retry" "^Next reminder: Thu 24 Dec 14:00$"
[ -n "${CONTROL:-}" ] || run 0 tend stressor remove 1
jump_to 2026-12-24T13:01:00Z # past the retry time: nothing is due any more
sleep 1
if [ -z "${CONTROL:-}" ]; then
    expect_eq "nothing left to wait for" "$(tail -n 2 "$SCRATCH/daemon.out")" \
        "Nothing more to remind you of for now.
Looked again at Thu 24 Dec 14:01."
fi
# Asleep: a handful of wake-ups at most in 2 s (spinning made hundreds).
switches() { awk '/ctxt_switches/ {n += $2} END {print n}' /proc/"$TEND_PID"/status; }
a=$(switches)
sleep 2
b=$(switches)
echo "context switches in 2 s: $((b - a))" >&2
expect_eq "asleep after the retry (context switches in 2 s, under 20)" \
    "$((b - a < 20 ? 0 : b - a))" 0
stop_daemon
finish
