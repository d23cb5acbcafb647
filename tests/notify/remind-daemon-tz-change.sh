#!/usr/bin/env bash
# remind-daemon-tz-change.sh: the person travels from Berlin to New York and the system's
# zone is set while the service runs. The service notices by itself (it watches the zone
# file), says so, and an all-day item now reminds at 09:00 New York time: nothing at 09:00
# Berlin (03:00 in New York), the reminder at 09:00 in New York.
set -euo pipefail
source "$(dirname "$0")/daemon-lib.sh"
outer "$@"

export TEND_NOW=2026-12-24T20:00:00Z
# shellcheck source=tests/cli/lib.sh
source "$(dirname "$0")/../cli/lib.sh"
ln -s /usr/share/zoneinfo/Europe/Berlin "$SCRATCH/localtime"
export TZ=":$SCRATCH/localtime" # stands in for /etc/localtime
daemon_setup
start_mock
run 0 tend stressor add "Christmas at Mom's" --start 2026-12-25 --end 2026-12-26
mkdir -p "$XDG_CONFIG_HOME/tend"
printf '[reminders]\nstressor_before = 0\n' >"$XDG_CONFIG_HOME/tend/tend.conf"
start_daemon
expect_eq "Berlin: 09:00 Berlin" "$(grep '^Next' "$SCRATCH/daemon.out")" "Next reminder: Fri 25 Dec 09:00"

# The zone is set (as timedatectl set-timezone America/New_York does to /etc/localtime).
ln -sfn /usr/share/zoneinfo/America/New_York "$SCRATCH/localtime"
wait_for "the service notices" "^The time zone is now"
wait_for "and looks again" "^Next reminder" 2
expect_eq "noticed without a nudge" "$(tail -n 2 "$SCRATCH/daemon.out")" \
    "The time zone is now America/New_York; reminders follow it.
Next reminder: Fri 25 Dec 09:00"
# 08:00Z is 03:00 in New York (09:00 in Berlin): nothing yet, here or from --once.
TEND_NOW=2026-12-25T08:00:30Z run 0 tend remind --once --json
expect_eq "--once at 03:00 New York: nothing due" "$OUT" "[]"
jump_to 2026-12-25T08:00:30Z
# A reminder is claimed in the log before it is sent, within the look the service has
# finished by now: no row means nothing was (or will be) shown at 03:00 New York.
expect_eq "service at 03:00 New York: nothing claimed" "$(log_rows)" ""
# 14:00Z is 09:00 in New York.
jump_to 2026-12-25T14:00:01Z
wait_for "shown at 09:00 New York" "^Shown:"
expect_eq "shown at 09:00 New York" "$(grep '^Shown' "$SCRATCH/daemon.out")" \
    "Shown: Today: Christmas at Mom's (due 09:00)"
expect_eq "log" "$(log_rows_settled "stressor|1|2026-12-25 14:00:00|shown|-|0")" \
    "stressor|1|2026-12-25 14:00:00|shown|-|0"
stop_daemon
expect_eq "the zone change is told once" "$(grep -c '^The time zone' "$SCRATCH/daemon.out")" 1
expect_eq "no warnings" "$(cat "$SCRATCH/daemon.err")" ""
finish
