#!/usr/bin/env bash
# remind-shows-notification.sh: `tend remind --once` shows real desktop notifications, each
# reminder exactly once, on a real notification server (dunst) under Xvfb and a private
# session bus; a stopped server gives a clear error within seconds and the reminder is
# shown by a later run.
set -euo pipefail

if [ "${1:-}" != inner ]; then
    missing=
    for tool in xvfb-run dbus-run-session dunst dunstctl gdbus jq sqlite3 timeout; do
        command -v "$tool" >/dev/null || missing="$missing $tool"
    done
    if [ -n "$missing" ]; then
        echo "FAIL: this test needs:$missing (Debian: xvfb dbus-bin dunst libglib2.0-bin jq sqlite3)" >&2
        exit 1
    fi
    exec xvfb-run -a dbus-run-session -- bash "$0" inner
fi

export TZ=Europe/Berlin
export TEND_NOW=2026-12-24T13:00:00Z # 14:00 in Berlin
# shellcheck source=tests/cli/lib.sh
source "$(dirname "$0")/../cli/lib.sh"

# dunst with a config of its own: notifications stay until closed, so counts do not depend
# on how fast this machine is.
cat >"$SCRATCH/dunstrc" <<'EOF'
[global]
    markup = full
    notification_limit = 0
    idle_threshold = 0
[urgency_low]
    timeout = 0
[urgency_normal]
    timeout = 0
[urgency_critical]
    timeout = 0
EOF
dunst -config "$SCRATCH/dunstrc" >"$SCRATCH/dunst.log" 2>&1 &
DUNST_PID=$!
trap 'kill -CONT $DUNST_PID 2>/dev/null || true; kill $DUNST_PID 2>/dev/null || true; wait $DUNST_PID 2>/dev/null || true; rm -rf "$SCRATCH"' EXIT

server_up() {
    gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
        --method org.freedesktop.DBus.NameHasOwner org.freedesktop.Notifications 2>/dev/null |
        grep -q true
}
for _ in $(seq 100); do
    server_up && break
    sleep 0.1
done
if ! server_up; then
    echo "FAIL: dunst did not take org.freedesktop.Notifications within 10 s:" >&2
    cat "$SCRATCH/dunst.log" >&2
    exit 1
fi

epoch() { date -u -d "$1" +%s; }
# add_activity STRESSOR_ID KIND SLOT TITLE START_UTC STATUS
add_activity() {
    sqlite3 "$TEND_DB" "INSERT INTO activities (uid, stressor_id, kind, slot, title, start_utc,
        end_utc, busy, sequence, status) VALUES ('$2-$3@tend', $1, '$2', $3, '$4', $(epoch "$5"),
        $(epoch "$5") + 900, 1, 0, '$6')"
}
# The notifications dunst has shown, closed into its history: "app|category|summary|body".
history() {
    dunstctl close-all
    dunstctl history | jq -r '.data[0][] |
        "\(.appname.data)|\(.category.data)|\(.summary.data)|\(.body.data)"' | sort
}

BODY_STRESSOR="Your plan is ready when you need it. If it gets too much: tend help-now."
BODY_REHEARSE="A few minutes to say your boundary words out loud. You&apos;ve got this."
BODY_GROUND="Feet on the floor, three slow breaths."
BODY_CHECKIN="How are you doing? It&apos;s okay to step outside for a minute."
BODY_DECOMPRESS="Time to land. Something warm, something quiet."

run 0 tend stressor add "Christmas dinner at Mom's" --start 2026-12-24T15:00 \
    --end 2026-12-24T20:00 --kind family
add_activity 1 rehearse 0 "Rehearse your boundary words for Christmas dinner" \
    2026-12-24T13:00:00Z planned
add_activity 1 ground 0 "Ground before the drive" 2026-12-24T10:59:00Z planned # past grace
add_activity 1 checkin 0 "Skipped check-in" 2026-12-24T12:30:00Z skipped
add_activity 1 reflect 0 "Reflect tomorrow" 2026-12-25T09:00:00Z planned # not yet

# Both reminders due at 14:00 are shown, the stressor's first; nothing else is.
run 0 tend remind --once
expect_eq "first run" "$OUT" "Shown: In an hour: Christmas dinner at Mom's (due 14:00)
Shown: Rehearse your boundary words for Christmas dinner (due 14:00)"
expect_eq "first run stderr" "$ERR" ""
expect_eq "displayed after the first run" "$(dunstctl count displayed)" 2
expect_eq "shown notifications" "$(history)" "tend|x-tend.reminder|In an hour: Christmas dinner at Mom's|$BODY_STRESSOR
tend|x-tend.reminder|Rehearse your boundary words for Christmas dinner|$BODY_REHEARSE"
expect_eq "log after the first run" \
    "$(sqlite3 "$TEND_DB" 'SELECT item_type, item_id, fire_at, outcome FROM reminder_log ORDER BY 1')" \
    "activity|1|$(epoch 2026-12-24T13:00:00Z)|shown
stressor|1|$(epoch 2026-12-24T13:00:00Z)|shown"

# Running again shows nothing new.
run 0 tend remind --once
expect_eq "second run" "$OUT" "Nothing due right now."
expect_eq "displayed after the second run" "$(dunstctl count displayed)" 0
expect_eq "history after the second run" "$(dunstctl history | jq '.data[0] | length')" 2

# Three fresh reminders and three processes at once: each reminder is shown exactly once.
add_activity 1 ground 1 "Feet on the floor" 2026-12-24T13:05:00Z planned
add_activity 1 checkin 1 "Check in with yourself" 2026-12-24T13:05:00Z planned
add_activity 1 decompress 0 "Land gently" 2026-12-24T13:05:00Z planned
export TEND_NOW=2026-12-24T13:05:00Z
pids=()
for i in 1 2 3; do
    "$TEND_BIN" remind --once >"$SCRATCH/par$i.out" 2>"$SCRATCH/par$i.err" &
    pids+=($!)
done
for i in 1 2 3; do
    status=0
    wait "${pids[$((i - 1))]}" || status=$?
    expect_eq "parallel run $i exit status" "$status" 0
    expect_eq "parallel run $i stderr" "$(cat "$SCRATCH/par$i.err")" ""
done
expect_eq "parallel runs together" "$(cat "$SCRATCH"/par?.out | grep '^Shown:' | sort)" \
    "Shown: Check in with yourself (due 14:05)
Shown: Feet on the floor (due 14:05)
Shown: Land gently (due 14:05)"
expect_eq "displayed after the parallel runs" "$(dunstctl count displayed)" 3
expect_eq "all notifications, once each" "$(history)" \
    "tend|x-tend.reminder|Check in with yourself|$BODY_CHECKIN
tend|x-tend.reminder|Feet on the floor|$BODY_GROUND
tend|x-tend.reminder|In an hour: Christmas dinner at Mom's|$BODY_STRESSOR
tend|x-tend.reminder|Land gently|$BODY_DECOMPRESS
tend|x-tend.reminder|Rehearse your boundary words for Christmas dinner|$BODY_REHEARSE"

# A stopped server: a clear error within seconds, not libnotify's 25 s, and no claim left.
add_activity 1 ground 2 "Ground after dinner" 2026-12-24T13:10:00Z planned
export TEND_NOW=2026-12-24T13:10:00Z
kill -STOP $DUNST_PID
run 1 timeout 20 "$TEND_BIN" remind --once
kill -CONT $DUNST_PID
expect_eq "stopped server stdout" "$OUT" ""
expect_eq "stopped server message" "$ERR" "tend: error: could not show 1 reminder: the notification server did not answer within 3 seconds; it will be tried again next time"
expect_eq "no claim left after the failure" \
    "$(sqlite3 "$TEND_DB" 'SELECT count(*) FROM reminder_log WHERE item_id = 8')" 0

# With the server back, the next run shows it.
run 0 tend remind --once
expect_eq "run after the server is back" "$OUT" "Shown: Ground after dinner (due 14:10)"
expect_eq "the late reminder is shown" "$(history | grep -c 'Ground after dinner')" 1

# A title with a control character and bytes that are not UTF-8 (an imported calendar can
# hold both) reaches the server cleaned: the bell as a space, the bad byte as U+FFFD.
sqlite3 "$TEND_DB" "INSERT INTO activities (uid, stressor_id, kind, slot, title, start_utc,
    end_utc, busy, sequence, status) VALUES ('ground-3@tend', 1, 'ground', 3,
    'Breathe' || char(7) || ' ' || CAST(X'FF' AS TEXT) || ' slowly',
    $(epoch 2026-12-24T13:20:00Z), $(epoch 2026-12-24T13:35:00Z), 1, 0, 'planned')"
export TEND_NOW=2026-12-24T13:20:00Z
run 0 tend remind --once
expect_eq "odd title: one shown" "$(grep -c '^Shown: Breathe' <<<"$OUT")" 1
expect_eq "odd title: no complaint" "$ERR" ""
expect_eq "odd title: cleaned summary" "$(history | grep -c '|Breathe  '$'\xef\xbf\xbd'' slowly|')" 1


# The reminder service on the same real server: a reminder due two seconds after it starts
# arrives on time. A click on it (dunst's default action, which also closes it) brings it
# back saying how to open the plan, never the plan's words; clicked again, it comes again,
# so the service still knows it under the new id dunst gave it.
add_activity 1 ground 5 "Ground before the toast" 2026-12-24T13:40:00Z planned
export TEND_NOW=2026-12-24T13:39:58Z
timeout 30 "$TEND_BIN" remind --daemon >"$SCRATCH/daemon.out" 2>"$SCRATCH/daemon.err" &
DAEMON=$!
for _ in $(seq 150); do
    grep -q '^Shown:' "$SCRATCH/daemon.out" && break
    sleep 0.1
done
expect_eq "service: shown" "$(grep '^Shown:' "$SCRATCH/daemon.out")" \
    "Shown: Ground before the toast (due 14:40)"
expect_eq "service: on screen" "$(dunstctl count displayed)" 1
hints() { grep -c '^Showed how to open the plan\.$' "$SCRATCH/daemon.out" || true; }
for click in 1 2; do
    dunstctl action 0
    for _ in $(seq 100); do
        [ "$(hints)" -ge "$click" ] && break
        sleep 0.1
    done
    expect_eq "service: click $click answered" "$(hints)" "$click"
    expect_eq "service: click $click, on screen" "$(dunstctl count displayed)" 1
done
expect_eq "service: no card printed" \
    "$(grep -c -e 'In the moment' -e "Mom's" "$SCRATCH/daemon.out" || true)" 0
pkill_status=0
kill "$(sed -n 's/^The reminder service is running (process \([0-9]*\)).$/\1/p' "$SCRATCH/daemon.out")"
wait "$DAEMON" || pkill_status=$?
expect_eq "service: stops cleanly" "$pkill_status" 0
expect_eq "service: no warnings" "$(cat "$SCRATCH/daemon.err")" ""
dunstctl close-all
expect_eq "service: in dunst's history once, as how to open the plan" \
    "$(dunstctl history | jq -r '.data[0][] | select(.summary.data == "Ground before the toast") |
        .body.data')" "To read your plan, run in a terminal:
tend plan show 1
If it gets too much: tend help-now"

finish
