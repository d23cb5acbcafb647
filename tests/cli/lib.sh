# lib.sh: shared by the command-line tests. Source it first.
#
# Each test gets a scratch folder with its own database (TEND_DB), a fixed clock
# (TEND_NOW) and zone (TZ), so it never touches the person's real data and always
# sees the same time. Helpers fail the test with a message that says what differed.
set -euo pipefail

: "${TEND_BIN:?run through meson test, which sets TEND_BIN}"
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/tend-cli-XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
export TEND_DB="$SCRATCH/data/tend.db"
export XDG_DATA_HOME="$SCRATCH/xdg-data"
export XDG_CONFIG_HOME="$SCRATCH/xdg-config"
export HOME="$SCRATCH/home"
export TEND_NOW="${TEND_NOW:-2026-12-20T09:00:00Z}"
export TZ="${TZ:-Europe/London}"
export NO_COLOR=1
mkdir -p "$HOME"
DATA="${TEND_TEST_DATA:-$(dirname "$0")/../data}"
failures=0

tend() { "$TEND_BIN" "$@"; }

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# run EXPECTED_STATUS CMD...: runs CMD, keeps stdout in $OUT and stderr in $ERR.
run() {
    local expected=$1
    shift
    local status=0
    OUT=$("$@" 2>"$SCRATCH/stderr") || status=$?
    ERR=$(cat "$SCRATCH/stderr")
    if [ "$status" != "$expected" ]; then
        fail "'$*' exited $status, expected $expected; stderr: $ERR"
    fi
}

# expect_eq NAME ACTUAL EXPECTED
expect_eq() {
    if [ "$2" != "$3" ]; then
        fail "$1 differs"
        diff -u <(printf '%s\n' "$3") <(printf '%s\n' "$2") >&2 || true
    fi
}

# expect_contains NAME HAYSTACK NEEDLE
expect_contains() {
    case "$2" in
    *"$3"*) ;;
    *) fail "$1: expected to find '$3' in: $2" ;;
    esac
}

finish() {
    if [ "$failures" -ne 0 ]; then
        echo "$failures check(s) failed" >&2
        exit 1
    fi
    echo "all checks passed"
}
