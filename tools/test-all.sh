#!/usr/bin/env bash
# test-all.sh: README's second command, and what CI runs. Installs what the tests
# need, then runs every suite (unit, cli, notify) on a plain build and under
# ASan+UBSan, the unit suite under valgrind, the import fuzzer for a minute (one
# check), and the formatting check. Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

tools/deps.sh --test || { echo "tend: could not install the test packages" >&2; exit 1; }
if [ -f tests/js/package-lock.json ]; then
    (cd tests/js && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
        { echo "tend: npm ci in tests/js failed" >&2; exit 1; }
fi

passed=0
failed=0
count_log() { # count_log FILE: adds the results of one meson testlog JSON file
    local counts
    counts=$(/usr/bin/python3 - "$1" <<'PY'
import json, sys
ok = bad = 0
for line in open(sys.argv[1]):
    result = json.loads(line).get("result")
    if result in ("OK", "EXPECTEDFAIL", "SKIP"):
        ok += 1
    else:
        bad += 1
print(ok, bad)
PY
)
    passed=$((passed + ${counts% *}))
    failed=$((failed + ${counts#* }))
}

run_suite() { # run_suite NAME BUILD_DIR [meson test args...]
    local name=$1 dir=$2
    shift 2
    echo "== $name"
    meson test -C "$dir" --print-errorlogs "$@" || true
    local log="$dir/meson-logs/testlog.json"
    for arg in "$@"; do
        case "$arg" in --setup=*) log="$dir/meson-logs/testlog-${arg#--setup=}.json" ;; esac
    done
    if [ -f "$log" ]; then count_log "$log"; else failed=$((failed + 1)); fi
}

build() { # build DIR [meson setup args...]
    local dir=$1
    shift
    rm -rf "$dir"
    if ! meson setup "$dir" "$@" >"$top/$dir.setup.log" 2>&1 || ! meson compile -C "$dir" >"$top/$dir.compile.log" 2>&1; then
        echo "tend: building $dir failed:" >&2
        tail -n 40 "$top/$dir.setup.log" "$top/$dir.compile.log" >&2
        failed=$((failed + 1))
        return 1
    fi
}

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:suppressions=$top/tests/asan.supp"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

if build build-ci; then
    run_suite "plain build" build-ci
    run_suite "valgrind (unit)" build-ci --setup=valgrind --suite unit
fi
if build build-ci-asan -Db_sanitize=address,undefined -Db_lundef=false; then
    run_suite "ASan+UBSan" build-ci-asan
fi

# The import path under libFuzzer (clang, ASan+UBSan) for a bounded time, from the seed
# corpus of real-world-shaped and hostile files; new inputs go to a scratch folder.
echo "== fuzzing the import (60 s)"
if CC=clang build build-ci-fuzz -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false; then
    fuzz_dir=$(mktemp -d)
    if ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=1" timeout 300 build-ci-fuzz/tests/fuzz/fuzz-import \
        -max_total_time=60 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$top/build-ci-fuzz/" "$fuzz_dir" tests/fuzz/corpus >"$top/build-ci-fuzz/fuzz.log" 2>&1; then
        passed=$((passed + 1))
        grep -E "^stat::number_of_executed_units|^Done" "$top/build-ci-fuzz/fuzz.log"
    else
        echo "fuzz-import found a problem; the input is in build-ci-fuzz/ (crash-*, leak-*, timeout-*):"
        tail -n 40 "$top/build-ci-fuzz/fuzz.log"
        failed=$((failed + 1))
    fi
    rm -rf "$fuzz_dir"
fi

echo "== formatting"
unformatted=$(git ls-files '*.c' '*.h' | xargs clang-format --dry-run --Werror 2>&1 | grep -c "error:" || true)
if [ "$unformatted" = 0 ]; then
    passed=$((passed + 1))
else
    echo "clang-format: $unformatted places differ; run: git ls-files '*.c' '*.h' | xargs clang-format -i"
    failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
