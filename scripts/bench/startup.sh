#!/usr/bin/env bash
# startup.sh measures app start to first paint of the clients list: the time from
# starting the production binary (under Xvfb) on a workspace of 10,000 clients
# until the first row's name is drawn in the real window. It polls a screenshot of
# the row's area, so figures are good to about 0.1 s. Needs `make build` first.
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

times=()
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  "$bin" --workspace "$work/w.db" >/dev/null 2>&1 &
  app=$!
  ms=""
  win=""
  for _ in $(seq 1 300); do
    # The window is looked for until it shows, then only its spot is read: each
    # probe costs CPU the starting window also needs (a screenshot of the whole
    # screen took about 350 ms here), so probes are kept small.
    if [ -z "$win" ]; then
      win=$(xdotool search --onlyvisible --name '^Roundtable$' 2>/dev/null | head -1 || true)
    fi
    if [ -n "$win" ]; then
      # The first row's name: dark text on a light background once painted (an
      # unpainted window is all one colour, so it cannot pass for both).
      read -r min maxi < <(import -window "$win" -crop "150x12+290+177" -format '%[fx:minima] %[fx:maxima]\n' info: 2>/dev/null || echo "1 0")
      if awk "BEGIN{exit !($min < 0.4 && $maxi > 0.9)}"; then
        ms=$(( ($(date +%s%N) - start) / 1000000 ))
        break
      fi
    fi
    sleep 0.02
  done
  kill $app; wait $app 2>/dev/null || true
  [ -n "$ms" ] || { echo "startup: the list was not painted within the time allowed"; exit 1; }
  echo "run $i: ${ms} ms"
  times+=("$ms")
  sleep 0.5
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print "startup to first paint of the clients list (10,000 clients): median " a[int((NR+1)/2)] " ms, best " a[1] " ms, worst " a[NR] " ms over " NR " runs"}'
