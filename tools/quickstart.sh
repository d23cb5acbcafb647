#!/usr/bin/env bash
# quickstart.sh: README's first command. Installs what is missing, builds tend and
# runs `tend demo` on the bundled example family calendar in a scratch folder.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
meson compile -C build >/dev/null
exec build/src/cli/tend demo "$@"
