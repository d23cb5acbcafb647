#!/usr/bin/env bash
# remind-daemon-discreet.sh: with discreet reminders, nothing the service shows or prints
# names the event: the notifications say "Personal time", its own output (which goes to the
# system journal under systemd) says "a reminder", and a click on the body says how to open
# the plan without showing any of it.
set -euo pipefail
source "$(dirname "$0")/daemon-lib.sh"
outer "$@"

export TZ=Europe/Berlin
export TEND_NOW=2026-12-24T12:59:58Z
# shellcheck source=tests/cli/lib.sh
source "$(dirname "$0")/../cli/lib.sh"
daemon_setup
mkdir -p "$XDG_CONFIG_HOME/tend"
printf '[reminders]\ndiscreet = true\n' >"$XDG_CONFIG_HOME/tend/tend.conf"
start_mock

run 0 tend stressor add "Christmas dinner at Mom's" --start 2026-12-24T15:00 \
    --end 2026-12-24T20:00 --kind family
add_activity rehearse-0@tend rehearse 0 "Rehearse your boundary words" 2026-12-24T13:00:00Z

start_daemon
wait_for "both shown" "^Shown:" 2
expect_eq "shown, unnamed" "$(grep '^Shown:' "$SCRATCH/daemon.out")" \
    "Shown: a reminder (due 14:00)
Shown: a reminder (due 14:00)"
expect_eq "neutral notifications" "$(notify_calls)" \
    "0|Personal time|A small moment for you, when you&apos;re ready.|default,done,snooze,skip
0|Personal time|A small moment for you, when you&apos;re ready.|default,done,snooze,skip"

# A click on the activity's body: how to open its event's plan, and nothing of it.
press 2 default
wait_for "plan hint" "^Showed how to open the plan\.$"
expect_eq "plan hint" "$(notify_calls | tail -n 3)" \
    "2|Personal time|To read your plan, run in a terminal:
tend plan show 1
If it gets too much: tend help-now|default,done,snooze,skip"
press 1 done
wait_for "done" "^Done\."
jump_to 2026-12-24T13:00:30Z
press 2 snooze
wait_for "snoozed" "^Snoozed\."
expect_eq "answers, unnamed" "$(grep -E '^(Done|Snoozed)' "$SCRATCH/daemon.out")" \
    "Done. Thank you for taking care of yourself.
Snoozed. I'll remind you again at 14:10."
expect_eq "log" "$(log_rows_settled "stressor|1|2026-12-24 13:00:00|done|-|0
activity|1|2026-12-24 13:00:00|snoozed|2026-12-24 13:10:30|1")" \
    "stressor|1|2026-12-24 13:00:00|done|-|0
activity|1|2026-12-24 13:00:00|snoozed|2026-12-24 13:10:30|1"
stop_daemon
expect_eq "no event words in the service's output" \
    "$(grep -c -i -e christmas -e mom -e boundary -e rehearse -e family \
        "$SCRATCH/daemon.out" "$SCRATCH/daemon.err" | cut -d: -f2 | paste -sd+)" "0+0"
expect_eq "no warnings" "$(cat "$SCRATCH/daemon.err")" ""
finish
