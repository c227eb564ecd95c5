#!/usr/bin/env bash
# e2e.sh runs the browser end-to-end tests: the dev build of the app (the real Go
# backend, serving the built frontend and the Wails IPC over a websocket) under
# Xvfb on a throwaway workspace, driven by Debian's Chromium through playwright-core.
# Usage: scripts/e2e.sh [e2e/run.mjs]   (another script, e.g. e2e/screenshots.mjs OUTDIR)
set -euo pipefail
cd "$(dirname "$0")/.."

script=${1:-e2e/run.mjs}
shift || true
port=${ROUNDTABLE_E2E_PORT:-34115}
work=$(mktemp -d /tmp/roundtable-e2e.XXXXXX)
trap 'rm -rf "$work"' EXIT

export ROUNDTABLE_TEST_DIALOG_FILE="$work/dialog.csv"
export ROUNDTABLE_E2E_WORKDIR="$work"
export XDG_DATA_HOME="$work/data" # never the coach's own data
export ROUNDTABLE_KEYRING=off     # never the developer's own keyring (the app: see below)
export XDG_CONFIG_HOME="$work/config" # a password file, if any, goes here
export ROUNDTABLE_TEST_OPENED_URLS="$work/opened-urls.txt" # links "opened in the browser" (test only)
# The dev build's due timer (e2e/README.md): the window's own timer runs once at
# start and then only daily, so that "Send what is due now" is what queues the
# digests; and that button looks an hour ahead, so members who joined minutes
# ago are due at the coming hour.
export ROUNDTABLE_TEST_DUE_EVERY=24h
export ROUNDTABLE_TEST_DUE_AHEAD=1h
# Replies come in when a step checks for them, never on their own (the window
# otherwise watches the inbox with IMAP IDLE), so each step can count them.
export ROUNDTABLE_TEST_NO_IDLE=1

xvfb-run -a -s '-screen 0 1280x800x24' bash -c '
  # The app runs as on a desktop without a keyring service: its session bus points
  # nowhere, so it never reaches the keyring of whoever runs it, and saving a password
  # must ask first (e2e/passwords.mjs).
  env -u ROUNDTABLE_KEYRING DBUS_SESSION_BUS_ADDRESS="unix:path=$0/no-bus" \
  ./build/bin/roundtable-dev --workspace "$0/workspace.db" -devserver 127.0.0.1:'"$port"' -loglevel Warning >"$0/app.log" 2>&1 &
  app=$!
  for i in $(seq 1 120); do
    curl -sf -o /dev/null http://127.0.0.1:'"$port"'/ && break
    kill -0 $app 2>/dev/null || { echo "e2e: the app did not start:"; cat "$0/app.log"; exit 1; }
    sleep 0.5
  done
  node "$1" http://127.0.0.1:'"$port"'/ "${@:2}"; r=$?
  kill $app 2>/dev/null; wait $app 2>/dev/null # Ctrl+Q may have ended it (e2e/firstday.mjs)
  if [ $r -ne 0 ]; then echo "--- app log ---"; tail -50 "$0/app.log"; fi
  exit $r
' "$work" "$script" "$@"
