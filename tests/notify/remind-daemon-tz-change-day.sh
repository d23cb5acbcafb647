#!/usr/bin/env bash
# remind-daemon-tz-change-day.sh: whole-day reminders come at 09:00 where the person is, and
# the log of what was shown follows a zone change. Going west after the day's reminder was
# shown in Berlin, it is not shown again at 09:00 in New York. Going east, when 09:00 in the
# new zone has already passed unseen, it is summed up as passed while away, not lost.
set -euo pipefail
source "$(dirname "$0")/daemon-lib.sh"
outer "$@"

export TEND_NOW=2026-12-25T07:59:00Z
# shellcheck source=tests/cli/lib.sh
source "$(dirname "$0")/../cli/lib.sh"
ln -s /usr/share/zoneinfo/Europe/Berlin "$SCRATCH/localtime"
export TZ=":$SCRATCH/localtime" # stands in for /etc/localtime
daemon_setup
start_mock
run 0 tend stressor add "Christmas at Mom's" --start 2026-12-25 --end 2026-12-26
run 0 tend stressor add "Boxing Day walk" --start 2026-12-26 --end 2026-12-27
mkdir -p "$XDG_CONFIG_HOME/tend"
printf '[reminders]\nstressor_before = 0\n' >"$XDG_CONFIG_HOME/tend/tend.conf"
start_daemon

# West: shown at 09:00 in Berlin, then the person flies to New York.
jump_to 2026-12-25T08:00:30Z
wait_for "shown in Berlin" "^Shown: Today: Christmas at Mom's (due 09:00)$"
ln -sfn /usr/share/zoneinfo/America/New_York "$SCRATCH/localtime"
wait_for "the service notices" "^The time zone is now America/New_York"
jump_to 2026-12-25T14:00:30Z # 09:00 in New York
sleep 1
expect_eq "not shown again at 09:00 New York" "$(grep -c "^Shown: Today: Christmas" "$SCRATCH/daemon.out")" 1
expect_eq "its log row moved with it" "$(log_rows | grep '^stressor|1|')" \
    "stressor|1|2026-12-25 14:00:00|shown|-|0"

# East: at 05:30 in New York on the 26th the person is back in Berlin, where 09:00 passed
# two and a half hours ago.
jump_to 2026-12-26T10:30:00Z
expect_eq "nothing for the 26th yet in New York" "$(log_rows | grep -c '^stressor|2|' || true)" 0
ln -sfn /usr/share/zoneinfo/Europe/Berlin "$SCRATCH/localtime"
wait_for "back in Berlin" "^The time zone is now Europe/Berlin"
wait_for "summed up, not lost" "^Shown: 1 reminder passed while you were away$"
# (the 25th's row follows the zone back: it is that day's reminder, shown)
log="stressor|1|2026-12-25 08:00:00|shown|-|0
stressor|2|2026-12-26 08:00:00|missed|-|0"
expect_eq "claimed as missed, at 09:00 Berlin" "$(log_rows_settled "$log")" "$log"
stop_daemon
expect_eq "no warnings" "$(cat "$SCRATCH/daemon.err")" ""
finish
