#!/usr/bin/env bash
# remind-daemon-answers.sh: the reminder service shows each reminder with Done, Snooze and
# Skip; pressing them (python-dbusmock's notification server emits ActionInvoked as a real one
# would) records the answer, turns the notification into a short kind confirmation, and a
# snoozed reminder comes back once, at the snooze time and not before. Clicking the body
# turns the reminder into one that says how to open the plan, buttons kept; the plan's
# private words are never printed by the service (its output goes to the system journal).
# Done or Skip on an activity's reminder marks the activity too, and the live copy follows.
set -euo pipefail
source "$(dirname "$0")/daemon-lib.sh"
outer "$@"

export TZ=Europe/Berlin
export TEND_NOW=2026-12-24T12:59:58Z
# shellcheck source=tests/cli/lib.sh
source "$(dirname "$0")/../cli/lib.sh"
daemon_setup
start_mock

run 0 tend stressor add "Christmas dinner at Mom's" --start 2026-12-24T15:00 \
    --end 2026-12-24T20:00 --kind family
add_activity rehearse-0@tend rehearse 0 "Rehearse your boundary words" 2026-12-24T13:00:00Z

# Two seconds before 14:00 Berlin: the service sleeps until then, and both arrive on time.
start_daemon
expect_eq "waits for 14:00" "$(sed -n 2p "$SCRATCH/daemon.out")" "Next reminder: Thu 24 Dec 14:00"
wait_for "both shown" "^Shown:" 2
expect_eq "shown" "$(grep '^Shown:' "$SCRATCH/daemon.out")" \
    "Shown: In an hour: Christmas dinner at Mom's (due 14:00)
Shown: Rehearse your boundary words (due 14:00)"
expect_eq "each with its buttons" "$(notify_calls)" \
    "0|In an hour: Christmas dinner at Mom's|Your plan is ready when you need it. If it gets too much: tend help-now.|default,done,snooze,skip
0|Rehearse your boundary words|A few minutes to say your boundary words out loud. You&apos;ve got this.|default,done,snooze,skip"
expect_contains "snooze says how long" \
    "$(gdbus call --session --dest org.freedesktop.Notifications --object-path /org/freedesktop/Notifications --method org.freedesktop.DBus.Mock.GetMethodCalls Notify)" \
    "'snooze', 'Snooze 10 min'"

# A click on the stressor's body: the same notification now says how to open the plan, with
# its buttons; the service prints no card. Then Done on it.
press 1 default
wait_for "plan hint" "^Showed how to open the plan\.$"
expect_eq "plan hint replaces the reminder" "$(notify_calls | tail -n 3)" \
    "1|In an hour: Christmas dinner at Mom's|To read your plan, run in a terminal:
tend plan show 1
If it gets too much: tend help-now|default,done,snooze,skip"
expect_eq "no card in the service's output" \
    "$(grep -c -e 'In the moment' -e 'Family, how hard' "$SCRATCH/daemon.out" || true)" 0
press 1 done
wait_for "done" "^Done\."
# Snooze the rehearsal at 14:00:30.
echo 2026-12-24T13:00:30Z >"$TEND_NOW_FILE"
kill -USR1 "$TEND_PID"
wait_for "look again" "^Looked again" 1
press 2 snooze
wait_for "snoozed" "^Snoozed\."
expect_eq "answers" "$(grep -E '^(Done|Snoozed)' "$SCRATCH/daemon.out")" \
    "Done. Thank you for taking care of yourself. (In an hour: Christmas dinner at Mom's)
Snoozed. I'll remind you again at 14:10. (Rehearse your boundary words)"
expect_eq "confirmations replace the notifications" "$(notify_calls | tail -n 2)" \
    "1|Done. Thank you for taking care of yourself.||
2|Snoozed. I'll remind you again at 14:10.||"
expect_eq "log after the answers" "$(log_rows_settled "stressor|1|2026-12-24 13:00:00|done|-|0
activity|1|2026-12-24 13:00:00|snoozed|2026-12-24 13:10:30|1")" \
    "stressor|1|2026-12-24 13:00:00|done|-|0
activity|1|2026-12-24 13:00:00|snoozed|2026-12-24 13:10:30|1"
wait_for "waits for the snooze" "^Next reminder: Thu 24 Dec 14:10"

# A minute before the snooze ends, nothing comes back.
jump_to 2026-12-24T13:09:30Z
expect_eq "not before the snooze time" "$(grep -c '^Shown:' "$SCRATCH/daemon.out")" 2
expect_eq "still snoozed" "$(log_rows | tail -n 1)" \
    "activity|1|2026-12-24 13:00:00|snoozed|2026-12-24 13:10:30|1"
# At the snooze time it comes back, once.
jump_to 2026-12-24T13:10:31Z
wait_for "back after the snooze" "^Shown:" 3
expect_eq "shown again" "$(grep '^Shown:' "$SCRATCH/daemon.out" | tail -n 1)" \
    "Shown: Rehearse your boundary words (due 14:10)"
expect_eq "a fresh notification with buttons" "$(notify_calls | tail -n 1)" \
    "0|Rehearse your boundary words|A few minutes to say your boundary words out loud. You&apos;ve got this.|default,done,snooze,skip"
expect_eq "log: shown again" "$(log_rows_settled "stressor|1|2026-12-24 13:00:00|done|-|0
activity|1|2026-12-24 13:00:00|shown|-|1" | tail -n 1)" \
    "activity|1|2026-12-24 13:00:00|shown|-|1"

# Skip it: recorded, and kind about it.
press 3 skip
wait_for "skipped" "^Skipped"
expect_eq "skip confirmation" "$(notify_calls | tail -n 1)" "3|Skipped, and that's okay.||"
expect_eq "log: skipped" "$(log_rows | tail -n 1)" \
    "activity|1|2026-12-24 13:00:00|skipped|-|1"
# Skipping its reminder skips the activity, as `tend activity skip` does: it leaves the
# live copy a subscribed calendar follows; the stressor's Done marks nothing else.
expect_eq "the activity is skipped" "$(sqlite3 "$TEND_DB" "SELECT status FROM activities")" \
    "skipped"
LIVE="$(dirname "$TEND_DB")/plan.ics"
expect_eq "the live copy lost it" "$(grep -c 'SUMMARY:Rehearse' "$LIVE" || true)" 0
expect_eq "the stressor is still there" "$(grep -c "SUMMARY:Christmas dinner" "$LIVE")" 1
# Pressing an answered notification again changes nothing.
press 3 done
jump_to 2026-12-24T13:12:00Z
expect_eq "an answer counts once" "$(log_rows | tail -n 1)" \
    "activity|1|2026-12-24 13:00:00|skipped|-|1"
expect_eq "Notify calls in all" "$(notify_calls | grep -c '^[0-9]*|')" 7

stop_daemon
expect_eq "no warnings" "$(cat "$SCRATCH/daemon.err")" ""
finish
