#!/usr/bin/env bash
# remind-no-server.sh: with a session bus but no notification server, with no bus at all, or
# with no libnotify to show through, `tend remind --once` says so clearly, quickly and without
# a GLib-CRITICAL, exits 1, and leaves the reminder due so that a later run with a server
# shows it.
set -euo pipefail

if [ "${1:-}" != inner ]; then
    missing=
    for tool in dbus-run-session dbus-daemon gdbus jq sqlite3 timeout; do
        command -v "$tool" >/dev/null || missing="$missing $tool"
    done
    if ! /usr/bin/python3 -c 'import dbusmock' 2>/dev/null; then
        missing="$missing python3-dbusmock"
    fi
    if [ -n "$missing" ]; then
        echo "FAIL: this test needs:$missing (Debian: dbus-bin libglib2.0-bin jq sqlite3 python3-dbusmock)" >&2
        exit 1
    fi
    # A bus whose only service folder is empty, so no notification server can be started
    # on demand (the standard folders would start dunst).
    BUS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tend-bus-XXXXXX")
    mkdir "$BUS_DIR/services"
    cat >"$BUS_DIR/session.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=$BUS_DIR</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$BUS_DIR/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
    status=0
    env -u DISPLAY -u WAYLAND_DISPLAY dbus-run-session --config-file="$BUS_DIR/session.conf" \
        -- bash "$0" inner || status=$?
    rm -rf "$BUS_DIR"
    exit "$status"
fi

export TZ=Europe/Berlin
export TEND_NOW=2026-12-24T13:00:00Z # 14:00 in Berlin
# shellcheck source=tests/cli/lib.sh
source "$(dirname "$0")/../cli/lib.sh"

claims() { sqlite3 "$TEND_DB" 'SELECT count(*) FROM reminder_log'; }

run 0 tend stressor add "Christmas dinner at Mom's" --start 2026-12-24T15:00 \
    --end 2026-12-24T20:00 --kind family
sqlite3 "$TEND_DB" "INSERT INTO activities (uid, stressor_id, kind, slot, title, start_utc,
    end_utc, busy, sequence, status) VALUES ('rehearse-0@tend', 1, 'rehearse', 0,
    'Rehearse your boundary words', $(date -u -d 2026-12-24T13:00:00Z +%s),
    $(date -u -d 2026-12-24T13:15:00Z +%s), 1, 0, 'planned')"

# A bus, but nobody owns org.freedesktop.Notifications and nothing can be started for it.
# timeout(1) ends a hung run with 124, so an exit of 1 shows it finished on its own.
run 1 timeout 20 "$TEND_BIN" remind --once
expect_eq "no server: stdout" "$OUT" ""
expect_eq "no server: message" "$ERR" "tend: error: could not show 2 reminders: no notification server is running in your desktop session; they will be tried again next time"
expect_eq "no server: no claim left" "$(claims)" 0

# As JSON: both listed, neither shown.
run 1 timeout 20 "$TEND_BIN" remind --once --json
expect_eq "no server: JSON" "$(jq -c 'map([.id, .type, .title, .fire_at, .shown])' <<<"$OUT")" \
    '[[1,"stressor","In an hour: Christmas dinner at Mom'"'"'s","2026-12-24T13:00:00Z",false],[1,"activity","Rehearse your boundary words","2026-12-24T13:00:00Z",false]]'
expect_eq "no server: JSON claims" "$(claims)" 0

# No session bus at all (no address, no X11 display to find one through, no runtime folder).
mkdir "$SCRATCH/runtime"
run 1 env -u DBUS_SESSION_BUS_ADDRESS -u DISPLAY XDG_RUNTIME_DIR="$SCRATCH/runtime" \
    timeout 20 "$TEND_BIN" remind --once
expect_eq "no bus: stdout" "$OUT" ""
expect_eq "no bus: message" "$ERR" "tend: error: could not show 2 reminders: cannot reach the desktop session bus (Cannot autolaunch D-Bus without X11 \$DISPLAY); they will be tried again next time"
case "$ERR" in
*CRITICAL* | *WARNING*) fail "no bus: GLib complained: $ERR" ;;
esac
expect_eq "no bus: no claim left" "$(claims)" 0

# A bus daemon that has stopped answering: connecting is bounded too.
bus=$(dbus-daemon --session --fork --print-address=1 --print-pid=1)
HUNG_ADDRESS=$(sed -n 1p <<<"$bus")
HUNG_PID=$(sed -n 2p <<<"$bus")
kill -STOP "$HUNG_PID"
run 1 env DBUS_SESSION_BUS_ADDRESS="$HUNG_ADDRESS" timeout 20 "$TEND_BIN" remind --once
kill -CONT "$HUNG_PID"
kill "$HUNG_PID"
expect_eq "hung bus: message" "$ERR" "tend: error: could not show 2 reminders: cannot reach the desktop session bus (it did not answer within 3 seconds); they will be tried again next time"
expect_eq "hung bus: no claim left" "$(claims)" 0

# Nothing due needs no bus: it is not an error.
run 0 env -u DBUS_SESSION_BUS_ADDRESS -u DISPLAY XDG_RUNTIME_DIR="$SCRATCH/runtime" \
    TEND_NOW=2026-12-20T09:00:00Z "$TEND_BIN" remind --once
expect_eq "no bus, nothing due" "$OUT" "Nothing due right now."

# A server arrives (python-dbusmock's notification daemon): the same reminders are still due
# and are shown now.
/usr/bin/python3 -m dbusmock --session --template notification_daemon >"$SCRATCH/mock.log" 2>&1 &
MOCK_PID=$!
trap 'kill $MOCK_PID 2>/dev/null || true; wait $MOCK_PID 2>/dev/null || true; rm -rf "$SCRATCH"' EXIT
for _ in $(seq 100); do
    gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
        --method org.freedesktop.DBus.NameHasOwner org.freedesktop.Notifications 2>/dev/null |
        grep -q true && break
    sleep 0.1
done
# libnotify is opened when a reminder is first shown: one that cannot be loaded (here a
# broken file found first on LD_LIBRARY_PATH) fails the run, naming it, and the reminders
# stay due.
mkdir "$SCRATCH/lib"
: >"$SCRATCH/lib/libnotify.so.4"
run 1 env LD_LIBRARY_PATH="$SCRATCH/lib" timeout 20 "$TEND_BIN" remind --once
expect_eq "no libnotify: message" "$ERR" "tend: error: could not show 2 reminders: cannot load libnotify.so.4, which shows the reminders: $SCRATCH/lib/libnotify.so.4: file too short; install the package libnotify4; they will be tried again next time"
expect_eq "no libnotify: no claim left" "$(claims)" 0

run 0 tend remind --once
expect_eq "server back: shown" "$OUT" "Shown: In an hour: Christmas dinner at Mom's (due 14:00)
Shown: Rehearse your boundary words (due 14:00)"
calls=$(gdbus call --session --dest org.freedesktop.Notifications \
    --object-path /org/freedesktop/Notifications \
    --method org.freedesktop.DBus.Mock.GetMethodCalls Notify)
# Each call's arguments: app "tend", summary, body, category and normal urgency (1).
expect_contains "server back: the stressor reached the server" "$calls" \
    "[<'tend'>, <uint32 0>, <''>, <\"In an hour: Christmas dinner at Mom's\">, <'Your plan is ready when you need it. If it gets too much: tend help-now.'>, <@as []>, <{'category': <'x-tend.reminder'>, 'urgency': <byte 0x01>,"
expect_contains "server back: the activity reached the server" "$calls" \
    "[<'tend'>, <uint32 0>, <''>, <'Rehearse your boundary words'>, <'A few minutes to say your boundary words out loud. You&apos;ve got this.'>, <@as []>, <{'category': <'x-tend.reminder'>, 'urgency': <byte 0x01>,"
expect_eq "server back: two Notify calls" "$(grep -o "<'tend'>" <<<"$calls" | wc -l)" 2
expect_eq "server back: claims recorded" \
    "$(sqlite3 "$TEND_DB" 'SELECT item_type, outcome FROM reminder_log ORDER BY 1')" \
    "activity|shown
stressor|shown"

finish
