#!/usr/bin/env bash
# Runs "$@" with a throwaway, unlocked gnome-keyring as the Secret Service, so code that stores secrets in
# the OS keychain is tested against the real thing. Must run inside `dbus-run-session`: the keyring daemon
# lives on that private bus and exits with it, so nothing is left behind and the user's keyring is untouched.
set -euo pipefail
: "${DBUS_SESSION_BUS_ADDRESS:?run me under dbus-run-session}"

KR_TMP="$(mktemp -d "${TMPDIR:-/tmp}/reins-keyring.XXXXXX")"
trap 'rm -rf "$KR_TMP"' EXIT
# A fresh XDG_DATA_HOME each run: a leftover login.keyring with another password would not unlock.
export XDG_DATA_HOME="$KR_TMP/data" XDG_RUNTIME_DIR="$KR_TMP/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

# --unlock reads the password from stdin and creates the default "login" collection unlocked: no prompt.
printf '%s' "reins-test-keyring" | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null

# The daemon answers on the bus a moment after it forks; wait until a store + lookup round-trips.
if command -v secret-tool >/dev/null; then
  ready=0
  for _ in $(seq 50); do
    if printf probe | secret-tool store --label=reins-probe reins-ci probe 2>/dev/null &&
      [ "$(secret-tool lookup reins-ci probe 2>/dev/null)" = probe ]; then
      secret-tool clear reins-ci probe
      ready=1
      break
    fi
    sleep 0.1
  done
  [ "$ready" = 1 ] || echo "[reins] warning: the throwaway keyring did not answer within 5 s" >&2
fi

export REQUIRE_KEYRING=1
"$@"
