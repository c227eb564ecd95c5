#!/usr/bin/env bash
# startup.sh measures app start to first paint of the clients list: the time from
# starting the production binary (under Xvfb) on a workspace of 10,000 clients
# until the first row's name is drawn in the real window, read from the X server
# every 5 ms (firstpaint.c; needs gcc and libx11-dev, which setup installs with
# WebKitGTK's headers). Needs `make build` first.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${RUNS:-5}
# BIN chooses the binary, e.g. one unpacked from the .deb (make dist). The
# default is the command-line program, which execs build/bin/roundtable-window
# (keeping its process id) as the desktop entry does; BIN=build/bin/roundtable-window
# times the window program alone.
bin=${BIN:-./build/bin/roundtable}
# The window opens on the home screen since issue 11: go straight to the list.
export ROUNDTABLE_START_ROUTE=${ROUNDTABLE_START_ROUTE:-#/clients}
. scripts/bench/window.sh
sleep 1

# firstpaint (firstpaint.c) reads the row's few pixels every 5 ms straight from
# the X server: cheap enough not to slow the start it measures.
gcc -O2 -o "$work/firstpaint" scripts/bench/firstpaint.c -lX11

times=()
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  "$bin" --workspace "$work/w.db" >/dev/null 2>&1 &
  app=$!
  # The first row's name, where the list draws it: dark text on a light
  # background once painted (an unpainted window is all one colour).
  ms=$("$work/firstpaint" "$start" Roundtable 290 177 150 12 60) || ms=""
  kill $app; wait $app 2>/dev/null || true
  [ -n "$ms" ] || { echo "startup: the list was not painted within the time allowed"; exit 1; }
  echo "run $i: ${ms} ms"
  times+=("$ms")
  sleep 0.5
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print "startup to first paint of the clients list (10,000 clients): median " a[int((NR+1)/2)] " ms, best " a[1] " ms, worst " a[NR] " ms over " NR " runs"}'
