#!/usr/bin/env bash
# `tend remind --install` writes the systemd user unit for the binary it runs from and
# enables it when a user manager runs; without one, or without systemctl, it says what to do.
# `--uninstall` undoes it. The user manager itself cannot run in a test, so a stand-in
# systemctl records how it was called.
source "$(dirname "$0")/lib.sh"

UNIT="$XDG_CONFIG_HOME/systemd/user/tend-remind.service"
EXE=$(readlink -f "$TEND_BIN")
mkdir -p "$SCRATCH/nobin" "$SCRATCH/bin" "$SCRATCH/runtime/systemd"

# No systemctl at all.
run 0 env PATH="$SCRATCH/nobin" "$TEND_BIN" remind --install
expect_eq "no systemctl" "$OUT" "Installed the reminder service: $UNIT
This system has no systemctl, so nothing was started. Run 'tend remind --daemon' when your desktop session starts (for example from your desktop's autostart settings)."
expect_eq "unit file" "$(cat "$UNIT")" "[Unit]
Description=tend reminders: gentle desktop notifications for your plan
After=graphical-session.target

[Service]
Type=simple
ExecStart=$EXE remind --daemon
ExecReload=/bin/kill -HUP \$MAINPID
Restart=on-failure
RestartSec=30s

[Install]
WantedBy=default.target"
# The unit meson installs says the same, for the installed binary.
BUILD=$(dirname "$(dirname "$(dirname "$EXE")")")
if [ -f "$BUILD/tend-remind.service" ]; then
    expect_eq "same as the installed unit" \
        "$(sed 's|^ExecStart=.* remind --daemon$|ExecStart=TEND remind --daemon|' "$UNIT")" \
        "$(sed 's|^ExecStart=.* remind --daemon$|ExecStart=TEND remind --daemon|' "$BUILD/tend-remind.service")"
else
    fail "no tend-remind.service in the build folder $BUILD"
fi

# systemctl, but no user manager in this session.
cat >"$SCRATCH/bin/systemctl" <<STUB
#!/bin/sh
echo "\$*" >>"$SCRATCH/systemctl.log"
STUB
chmod +x "$SCRATCH/bin/systemctl"
run 0 env PATH="$SCRATCH/bin" XDG_RUNTIME_DIR="$SCRATCH/runtime" "$TEND_BIN" remind --install
expect_eq "no user manager" "$OUT" "Installed the reminder service: $UNIT
No systemd user manager is running in this session, so nothing was started. When one runs, start reminders with:
  systemctl --user enable --now tend-remind.service"
[ ! -e "$SCRATCH/systemctl.log" ] || fail "systemctl was called without a user manager"

# A user manager (its private socket exists): enabled and started.
touch "$SCRATCH/runtime/systemd/private"
run 0 env PATH="$SCRATCH/bin" XDG_RUNTIME_DIR="$SCRATCH/runtime" "$TEND_BIN" remind --install
expect_eq "enabled" "$OUT" "Installed the reminder service: $UNIT
Reminders are on: the service runs now and whenever you log in."
expect_eq "systemctl calls" "$(cat "$SCRATCH/systemctl.log")" "--user daemon-reload
--user enable --now tend-remind.service"

run 0 env PATH="$SCRATCH/bin" XDG_RUNTIME_DIR="$SCRATCH/runtime" "$TEND_BIN" remind --uninstall
expect_eq "uninstalled" "$OUT" "Removed the reminder service: $UNIT"
[ ! -e "$UNIT" ] || fail "the unit is still there"
expect_eq "systemctl calls after uninstall" "$(tail -n 2 "$SCRATCH/systemctl.log")" \
    "--user disable --now tend-remind.service
--user daemon-reload"
run 0 tend remind --uninstall
expect_eq "nothing to remove" "$OUT" "The reminder service was not installed ($UNIT); nothing to remove."

# systemctl fails: a clear error, and what to run.
printf '#!/bin/sh\necho "Failed to connect to bus" >&2\nexit 1\n' >"$SCRATCH/bin/systemctl"
run 1 env PATH="$SCRATCH/bin" XDG_RUNTIME_DIR="$SCRATCH/runtime" "$TEND_BIN" remind --install
expect_eq "systemctl fails" "$ERR" "tend: error: 'systemctl --user daemon-reload' failed: Failed to connect to bus
tend: the service file is in place; to start it yourself, run: systemctl --user enable --now tend-remind.service"
finish
