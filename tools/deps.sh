#!/usr/bin/env bash
# deps.sh: installs the Debian 12 packages tend needs that this machine lacks.
#   tools/deps.sh          what building and running tend needs
#   tools/deps.sh --test   that, plus what the test suites need
# Installs with apt-get (as root, or through sudo), non-interactively; does nothing
# when everything is already there.
set -euo pipefail

build_packages=(gcc libc6-dev meson ninja-build pkg-config libglib2.0-dev libical-dev libsqlite3-dev libssl-dev
    libnotify-dev libjson-glib-dev tzdata)
test_packages=(jq sqlite3 dbus-daemon dbus-bin xvfb xauth dunst libnotify-bin libglib2.0-bin
    python3-icalendar python3-dateutil python3-dbusmock valgrind clang-format hebcal git
    bsdutils procps clang libclang-rt-14-dev)

wanted=("${build_packages[@]}")
if [ "${1:-}" = "--test" ]; then
    wanted+=("${test_packages[@]}")
    command -v npm >/dev/null 2>&1 || wanted+=(nodejs npm)
fi

missing=()
for package in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "tend: installing ${missing[*]}" >&2
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q >/dev/null
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
