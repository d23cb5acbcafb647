#!/usr/bin/env bash
# remind-daemon-tz-change-day.sh: whole-day reminders come at 09:00 where the person is, and
# what the service knows of them follows a zone change: their log rows and the reminders it
# holds (one on screen, one on its way to the server). Going west after the day's reminder
# was shown in Berlin, it is not shown again at 09:00 in New York, and Done on it still
# works. A reminder on its way while the zone changes is marked shown, and its Snooze works.
# Going east when 09:00 in the new zone passed more than two hours ago, that day's reminder
# is summed up as passed while away, once; one added after its time (never due while the
# service looked) is not counted.
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
run 0 tend stressor add "Family lunch" --start 2026-12-27 --end 2026-12-28
mkdir -p "$XDG_CONFIG_HOME/tend"
printf '[reminders]\nstressor_before = 0\n' >"$XDG_CONFIG_HOME/tend/tend.conf"
start_daemon

# West: shown at 09:00 in Berlin and still on screen when the person lands in New York.
jump_to 2026-12-25T08:00:30Z
wait_for "shown in Berlin" "^Shown: Today: Christmas at Mom's (due 09:00)$"
ln -sfn /usr/share/zoneinfo/America/New_York "$SCRATCH/localtime"
wait_for "the service notices" "^The time zone is now America/New_York"
press 1 done
wait_for "Done after the zone change" "^Done\."
expect_eq "Done on it works" "$(grep -E '^(Done|Snoozed|Skipped)' "$SCRATCH/daemon.out")" \
    "Done. Thank you for taking care of yourself. (Today: Christmas at Mom's)"
expect_log "its log row moved with it, answered" "stressor|1|2026-12-25 14:00:00|done|-|0"
jump_to 2026-12-25T14:00:30Z # 09:00 in New York
# A reminder is claimed before it is sent, within the look now finished: the log tells.
expect_eq "not claimed again at 09:00 New York" "$(log_rows)" \
    "stressor|1|2026-12-25 14:00:00|done|-|0"

# East, with the 26th's reminder on its way (the server is busy) while the zone changes.
kill -STOP "$MOCK_PID"
jump_to 2026-12-26T14:00:30Z # 09:00 in New York
ln -sfn /usr/share/zoneinfo/Europe/Berlin "$SCRATCH/localtime"
wait_for "back in Berlin" "^The time zone is now Europe/Berlin"
kill -CONT "$MOCK_PID"
wait_for "shown, though the zone changed on its way" "^Shown: Today: Boxing Day walk (due 09:00)$"
expect_log "both rows at 09:00 Berlin, the new one marked shown" \
    "stressor|1|2026-12-25 08:00:00|done|-|0
stressor|2|2026-12-26 08:00:00|shown|-|0"
jump_to 2026-12-26T14:05:00Z # 15:05 in Berlin
press 2 snooze
wait_for "snoozed" "^Snoozed\."
expect_eq "Snooze on it works" "$(grep '^Snoozed' "$SCRATCH/daemon.out")" \
    "Snoozed. I'll remind you again at 15:15. (Today: Boxing Day walk)"
jump_to 2026-12-26T14:16:00Z # the snooze ends at 14:15 and a few seconds
wait_for "back after the snooze" "^Shown: Today: Boxing Day walk (due 15:15)$"
expect_log "the snooze came back under the moved row" \
    "stressor|1|2026-12-25 08:00:00|done|-|0
stressor|2|2026-12-26 08:00:00|shown|-|1"

# West again for the night, then east at 05:30 New York on the 27th: in Berlin 09:00 passed
# two and a half hours ago. An early train added at 05:20 New York, whose reminder (08:15Z)
# was already past the two hours, was never due while the service looked.
ln -sfn /usr/share/zoneinfo/America/New_York "$SCRATCH/localtime"
wait_for "in New York again" "^The time zone is now America/New_York" 2
jump_to 2026-12-27T10:20:00Z
TEND_NOW=2026-12-27T10:20:00Z run 0 tend stressor add "Early train" --start 2026-12-27T03:15 \
    --end 2026-12-27T04:15
jump_to 2026-12-27T10:30:00Z
expect_eq "nothing for the 27th yet in New York" "$(log_rows | grep -c '^stressor|[34]|' || true)" 0
ln -sfn /usr/share/zoneinfo/Europe/Berlin "$SCRATCH/localtime"
wait_for "back in Berlin again" "^The time zone is now Europe/Berlin" 2
wait_for "summed up, not lost" "^Shown: 1 reminder passed while you were away$"
expect_log "claimed as missed at 09:00 Berlin; the late one left alone" \
    "stressor|1|2026-12-25 08:00:00|done|-|0
stressor|2|2026-12-26 08:00:00|shown|-|1
stressor|3|2026-12-27 08:00:00|missed|-|0"
jump_to 2026-12-27T10:31:00Z
sleep 0.5

expect_eq "every reminder shown once" "$(grep '^Shown' "$SCRATCH/daemon.out")" \
    "Shown: Today: Christmas at Mom's (due 09:00)
Shown: Today: Boxing Day walk (due 09:00)
Shown: Today: Boxing Day walk (due 15:15)
Shown: 1 reminder passed while you were away"
body="Your plan is ready when you need it. If it gets too much: tend help-now."
expect_eq "what the server was sent" "$(notify_calls)" \
    "0|Today: Christmas at Mom's|$body|default,done,snooze,skip
1|Done. Thank you for taking care of yourself.||
0|Today: Boxing Day walk|$body|default,done,snooze,skip
2|Snoozed. I'll remind you again at 15:15.||
0|Today: Boxing Day walk|$body|default,done,snooze,skip
0|1 reminder passed while you were away|That&apos;s okay. Your plan is still here when you want it: tend agenda.|"
stop_daemon
expect_eq "no warnings" "$(cat "$SCRATCH/daemon.err")" ""
finish
