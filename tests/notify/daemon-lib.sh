# daemon-lib.sh: shared by the tests of `tend remind --daemon`. Source it after tests/cli/lib.sh,
# inside a private session bus (see outer()).
#
# Time is the program's own: TEND_NOW_FILE holds the instant the daemon believes it is, and
# jump_to writes a new one and sends SIGUSR1, which the daemon treats as "the clock was set or
# the machine resumed". The machine's clock is never touched. Every wait is bounded.

# outer "$@": when not yet inside the private bus, checks the tools and re-runs this script
# inside dbus-run-session with a bus config whose service folder is empty, so no notification
# server is started on demand. Returns (does not exit) when already inside.
outer() {
    if [ "${1:-}" = inner ]; then
        return 0
    fi
    local missing=
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
    BUS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tend-bus-XXXXXX")
    mkdir "$BUS_DIR/services"
    cat >"$BUS_DIR/session.conf" <<CONF
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
CONF
    local status=0
    env -u DISPLAY -u WAYLAND_DISPLAY dbus-run-session --config-file="$BUS_DIR/session.conf" \
        -- bash "$0" inner || status=$?
    rm -rf "$BUS_DIR"
    exit "$status"
}

epoch() { date -u -d "$1" +%s; }

# add_activity UID KIND SLOT TITLE START: a planned 15-minute activity of stressor 1, stored as
# the planner stores one. TITLE goes into the SQL as it is, so it holds no single quote.
add_activity() {
    sqlite3 "$TEND_DB" "INSERT INTO activities (uid, stressor_id, kind, slot, title, start_utc,
        end_utc, busy, sequence, status) VALUES ('$1', 1, '$2', $3, '$4', $(epoch "$5"),
        $(epoch "$5") + 900, 1, 0, 'planned')"
}

MOCK_PID=
DAEMON_PID=
cleanup() {
    [ -z "$DAEMON_PID" ] || kill "$TEND_PID" 2>/dev/null || true
    [ -z "$MOCK_PID" ] || kill -CONT "$MOCK_PID" 2>/dev/null || true
    [ -z "$MOCK_PID" ] || kill "$MOCK_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$SCRATCH"
}

# daemon_setup: after tests/cli/lib.sh, so that the scratch folder exists.
daemon_setup() {
    trap cleanup EXIT
    export TEND_NOW_FILE="$SCRATCH/now"
    echo "$TEND_NOW" >"$TEND_NOW_FILE"
}

server_up() {
    gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
        --method org.freedesktop.DBus.NameHasOwner org.freedesktop.Notifications 2>/dev/null |
        grep -q true
}

# start_mock: python-dbusmock's notification server, with buttons.
start_mock() {
    /usr/bin/python3 -m dbusmock --session --template notification_daemon \
        -p '{"capabilities": "body body-markup actions"}' >"$SCRATCH/mock.log" 2>&1 &
    MOCK_PID=$!
    for _ in $(seq 100); do
        server_up && return 0
        sleep 0.1
    done
    fail "the mock notification server did not start"
    cat "$SCRATCH/mock.log" >&2
    exit 1
}

stop_mock() {
    kill "$MOCK_PID"
    wait "$MOCK_PID" 2>/dev/null || true
    MOCK_PID=
}

# notify_calls: one line per Notify call the server received: "replaces|summary|body|actions".
notify_calls() {
    gdbus call --session --dest org.freedesktop.Notifications \
        --object-path /org/freedesktop/Notifications \
        --method org.freedesktop.DBus.Mock.GetMethodCalls Notify |
        /usr/bin/python3 -c '
import re, sys, ast
text = sys.stdin.read()
for call in re.findall(r"\[<.tend.>, <uint32 (\d+)>, <..>, <(.*?)>, <(.*?)>, <(@as \[\]|\[.*?\])>", text):
    replaces, summary, body, actions = call
    clean = lambda s: ast.literal_eval(s) if s[:1] in "\x27\"" else s
    acts = "" if actions.startswith("@as") else ",".join(ast.literal_eval(actions)[::2])
    print("%s|%s|%s|%s" % (replaces, clean(summary), clean(body), acts))
'
}

# press ID ACTION: the person presses a button on notification ID.
press() {
    gdbus call --session --dest org.freedesktop.Notifications \
        --object-path /org/freedesktop/Notifications \
        --method org.freedesktop.DBus.Mock.EmitSignal org.freedesktop.Notifications \
        ActionInvoked us "[<uint32 $1>, <'$2'>]" >/dev/null
}

# start_daemon [ARGS...]: runs the service in the background, output in $SCRATCH/daemon.out
# and .err (an earlier run's are added to all.out and all.err), with a hard limit so no test
# can hang.
start_daemon() {
    if [ -f "$SCRATCH/daemon.out" ]; then
        cat "$SCRATCH/daemon.out" >>"$SCRATCH/all.out"
        cat "$SCRATCH/daemon.err" >>"$SCRATCH/all.err"
    fi
    : >"$SCRATCH/daemon.out"
    : >"$SCRATCH/daemon.err"
    timeout 110 "$TEND_BIN" remind --daemon "$@" >>"$SCRATCH/daemon.out" 2>>"$SCRATCH/daemon.err" &
    DAEMON_PID=$!
    wait_for "the service starts" "Next reminder\|Nothing more to remind\|^Shown"
    # The service's own process (timeout(1) is its parent), for signals.
    TEND_PID=$(sed -n 's/^The reminder service is running (process \([0-9]*\)).$/\1/p' \
        "$SCRATCH/daemon.out" | tail -n 1)
}

stop_daemon() {
    kill "$TEND_PID"
    local status=0
    wait "$DAEMON_PID" || status=$?
    DAEMON_PID=
    expect_eq "the service stops cleanly" "$status" 0
}

# wait_for WHAT PATTERN [COUNT]: waits (at most 15 s) until the daemon's stdout has COUNT
# (default 1) lines matching PATTERN.
wait_for() {
    local want=${3:-1}
    for _ in $(seq 150); do
        if [ "$(grep -c -- "$2" "$SCRATCH/daemon.out" || true)" -ge "$want" ]; then
            return 0
        fi
        sleep 0.1
    done
    fail "$1: no '$2' (x$want) in the service's output within 15 s"
    cat "$SCRATCH/daemon.out" "$SCRATCH/daemon.err" >&2
    return 1
}

# jump_to INSTANT: the program's clock jumps (or the machine resumes) to INSTANT; waits until
# the service has looked again.
jump_to() {
    local before
    before=$(grep -c "^Looked again" "$SCRATCH/daemon.out" || true)
    echo "$1" >"$TEND_NOW_FILE"
    kill -USR1 "$TEND_PID"
    wait_for "look again at $1" "^Looked again" $((before + 1))
}

log_rows() {
    sqlite3 "$TEND_DB" "SELECT item_type, item_id, datetime(fire_at, 'unixepoch'),
        coalesce(outcome, '-'), coalesce(datetime(snooze_until, 'unixepoch'), '-'), snoozes
        FROM reminder_log ORDER BY fire_at, item_type DESC, item_id"
}

# log_rows_settled EXPECTED: the reminder log once it reads EXPECTED, or as it is after
# 15 s. A show that fails gives its claim back asynchronously, so a read made right
# after the service looked again may still see the claim on a loaded machine.
log_rows_settled() {
    local rows
    for _ in $(seq 150); do
        rows=$(log_rows)
        [ "$rows" = "$1" ] && break
        sleep 0.1
    done
    printf '%s\n' "$rows"
}

# expect_log NAME EXPECTED: the reminder log settles to EXPECTED (see log_rows_settled).
expect_log() {
    expect_eq "$1" "$(log_rows_settled "$2")" "$2"
}
