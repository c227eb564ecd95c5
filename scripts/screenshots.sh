#!/usr/bin/env bash
# screenshots.sh: takes PNGs of the real window (the production build, WebKitGTK,
# under Xvfb) on a demo workspace into docs/screenshots/. Run by `make screenshots`.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/screenshots
mkdir -p "$out"
work=$(mktemp -d /tmp/roundtable-shots.XXXXXX)
trap 'kill $xvfb 2>/dev/null; rm -rf "$work"' EXIT
ws="$work/workspace.db"
bash scripts/demo/seed.sh "$ws"
cp app/demo/data/clients.csv "$work/import.csv"

display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
sleep 1
export DISPLAY=$display ROUNDTABLE_KEYRING=off ROUNDTABLE_TEST_DIALOG_FILE="$work/import.csv"

# shot NAME ROUTE [KEYS...]: opens the window on ROUTE, presses KEYS, saves NAME.png.
shot() {
  local name=$1 route=$2
  shift 2
  ROUNDTABLE_START_ROUTE=$route ./build/bin/roundtable --workspace "$ws" >"$work/app.log" 2>&1 &
  local app=$!
  local win=""
  for _ in $(seq 1 50); do
    win=$(xdotool search --onlyvisible --name '^Roundtable$' 2>/dev/null | head -1) && [ -n "$win" ] && break
    sleep 0.2
  done
  [ -n "$win" ] || { echo "screenshots: the window did not open"; cat "$work/app.log"; exit 1; }
  sleep 3 # first paint and data
  for k in "$@"; do
    xdotool windowactivate --sync "$win" key --clearmodifiers "$k" 2>/dev/null || xdotool key "$k"
    sleep 1.5
  done
  import -window "$win" "$out/$name.png"
  kill $app; wait $app 2>/dev/null || true
  echo "screenshots: $out/$name.png"
}

shot clients "#/clients"
shot cohort "#/cohorts/1"
shot import-preview "#/clients" ctrl+i
shot client "#/clients/1"
shot compose "#/cohorts/1/compose/2"
shot outbox "#/outbox/1"
shot sandbox "#/sandbox/ada.lovelace%40example.com/1"
shot conversations "#/replies/1"
shot digest-preview "#/cohorts/1/digest"
