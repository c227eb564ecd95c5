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
# The window's remembered size and WebKit's storage: the run's own, never the developer's.
export XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
geometry="$XDG_CONFIG_HOME/roundtable/window.json"

# at_size W H: the next windows open at W×H in the screen's corner, as the app
# restores a size the coach left it at (app/window); "default" forgets it again.
at_size() {
  if [ "$1" = default ]; then rm -f "$geometry"; return; fi
  mkdir -p "$(dirname "$geometry")"
  printf '{"x":0,"y":0,"width":%d,"height":%d}\n' "$1" "$2" >"$geometry"
}

# settle WIN waits until the window shows the app, not its loading shell: two
# captures a second apart alike (the shell's skeleton pulses, so it never is),
# after a first paint and data. On a busy machine a fixed wait caught the shell.
settle() {
  local prev="" now
  sleep 2
  for _ in $(seq 1 40); do
    now=$(import -window "$1" png:- 2>/dev/null | md5sum)
    [ "$now" = "$prev" ] && return 0
    prev=$now
    sleep 1
  done
  echo "screenshots: the window did not settle; taking it as it is"
}

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
  settle "$win"
  for k in "$@"; do
    xdotool windowactivate --sync "$win" key --clearmodifiers "$k" 2>/dev/null || xdotool key "$k"
    sleep 1.5
  done
  [ $# -eq 0 ] || settle "$win"
  import -window "$win" "$out/$name.png"
  kill $app; wait $app 2>/dev/null || true
  echo "screenshots: $out/$name.png"
}

at_size default

shot clients "#/clients"
shot cohort "#/cohorts/1"
shot import-preview "#/clients" ctrl+i
shot client "#/clients/1"
shot compose "#/cohorts/1/compose/2"
shot outbox "#/outbox/1"
shot sandbox "#/sandbox/ada.lovelace%40example.com/1"
shot conversations "#/replies/1"
shot digest-preview "#/cohorts/1/digest"
shot home "#/home"
shot search "#/home" ctrl+k g o a l
shot lessons "#/lessons"

# A small laptop's window: the sandbox in two panes, the cohort's header buttons.
at_size 1024 700
shot sandbox-1024x700 "#/sandbox/ada.lovelace%40example.com/1"
at_size 1024 700
shot cohort-1024x700 "#/cohorts/1"
at_size default
