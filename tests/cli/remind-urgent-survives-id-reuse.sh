#!/usr/bin/env bash
# remind-urgent-survives-id-reuse.sh: removing a stressor removes its urgent mark too. SQLite
# gives the removed stressor's id to the next one added; that new stressor must not remind
# inside quiet hours as if the person had marked it urgent. Its reminder waits until 08:00.
set -euo pipefail
export TZ=Europe/Berlin
source "$(dirname "$0")/lib.sh"
run 0 tend stressor add "Old event" --start 2026-12-24T00:00 --end 2026-12-24T02:00
run 0 tend remind --urgent stressor:1
run 0 tend stressor remove 1
run 0 tend stressor add "Office party" --start 2026-12-25T00:00 --end 2026-12-25T02:00
run 0 tend stressor list --json
expect_eq "the new stressor has the old id" "$(jq -c '[.[] | {id, title}]' <<<"$OUT")" \
    '[{"id":1,"title":"Office party"}]'
# No notification server here: a due reminder is listed as not shown, and the run fails.
export DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent
# 23:00:30 in Berlin, inside quiet hours (22:00-08:00): the party's hour-before reminder waits.
TEND_NOW=2026-12-24T22:00:30Z run 0 tend remind --once --json
expect_eq "nothing due in quiet hours" "$OUT" "[]"
# 08:00:30: quiet hours are over and it is due (held, not lost).
TEND_NOW=2026-12-25T07:00:30Z run 1 tend remind --once --json
expect_eq "due when quiet hours end" "$(jq -c '[.[] | {id, type, fire_at, shown}]' <<<"$OUT")" \
    '[{"id":1,"type":"stressor","fire_at":"2026-12-24T22:00:00Z","shown":false}]'
finish
