#!/usr/bin/env bash
# memory.sh measures what the window holds at an idle start: the production
# binary (under Xvfb) on a workspace of 10,000 clients, left alone for IDLE
# seconds after the window shows, then the resident (RSS) and proportional
# (PSS: shared pages divided among the processes using them) memory of the
# process tree from /proc/PID/smaps_rollup, with USS (the pages no other process
# maps: what closing that process would give back), and the Go heap the runtime
# reports (GODEBUG=gctrace=1) and a heap profile of what the Go code holds
# (ROUNDTABLE_HEAP_PROFILE, heapprofile.go). Needs `make build` first.
set -euo pipefail
cd "$(dirname "$0")/../.."
# The command-line program execs the window program in the same process, so
# $app below is the window either way; BIN=build/bin/roundtable-window skips it.
bin=${BIN:-./build/bin/roundtable}
# The list of 10,000 clients, as measured before the home screen (issue 11) came first.
export ROUNDTABLE_START_ROUTE=${ROUNDTABLE_START_ROUTE:-#/clients}
idle=${IDLE:-20} # at least 5
. scripts/bench/window.sh

GODEBUG=gctrace=1 ROUNDTABLE_HEAP_PROFILE="$work/heap.pprof" ROUNDTABLE_HEAP_PROFILE_AFTER="$((idle - 2))s" "$bin" --workspace "$work/w.db" >"$work/out.log" 2>&1 &
app=$!
for _ in $(seq 1 300); do
  xdotool search --onlyvisible --name '^Roundtable$' >/dev/null 2>&1 && break
  sleep 0.1
done
sleep "$idle"

# The process tree: the app and every descendant (WebKit's web and network
# processes).
tree() {
  echo "$1"
  for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do tree "$c"; done
}
total_rss=0 total_pss=0 total_uss=0
printf '%-28s %10s %10s %10s\n' process RSS-MB PSS-MB USS-MB
for pid in $(tree $app); do
  name=$(tr '\0' ' ' </proc/"$pid"/cmdline | awk '{print $1}' | xargs basename)
  rss=$(awk '/^Rss:/ {print $2}' /proc/"$pid"/smaps_rollup)
  pss=$(awk '/^Pss:/ {print $2}' /proc/"$pid"/smaps_rollup)
  uss=$(awk '/^Private_(Clean|Dirty):/ {s += $2} END {print s}' /proc/"$pid"/smaps_rollup)
  total_rss=$((total_rss + rss)) total_pss=$((total_pss + pss)) total_uss=$((total_uss + uss))
  printf '%-28s %10.1f %10.1f %10.1f\n' "$name ($pid)" "$(echo "$rss/1024" | bc -l)" "$(echo "$pss/1024" | bc -l)" "$(echo "$uss/1024" | bc -l)"
done
printf '%-28s %10.1f %10.1f %10.1f\n' "tree" "$(echo "$total_rss/1024" | bc -l)" "$(echo "$total_pss/1024" | bc -l)" "$(echo "$total_uss/1024" | bc -l)"
# gctrace: "gc N @t s P%: ... A->B->C MB, D MB goal, ..." — C is the live heap.
grep -E '^gc [0-9]+ ' "$work/out.log" | tail -1 | sed -E 's/.* ([0-9]+)->([0-9]+)->([0-9]+) MB.*/Go heap at the last collection: \1 MB before, \3 MB live after/' || echo "no collection ran"
if [ -s "$work/heap.pprof" ]; then
  echo "What the Go code holds (heap profile, in use):"
  go tool pprof -top -sample_index=inuse_space "$work/heap.pprof" 2>/dev/null | sed -n '2,12p'
fi
# The process's largest mappings by RSS (KiB: RSS, PSS, anonymous, mapping).
awk '/^[0-9a-f]+-[0-9a-f]+ / {n = $6 == "" ? "[anon]" : $6} /^Rss:/ {r[n] += $2} /^Pss:/ {p[n] += $2} /^Anonymous:/ {a[n] += $2}
  END {for (n in r) printf "%8d %8d %8d %s\n", r[n], p[n], a[n], n}' /proc/$app/smaps | sort -rn | head -12
kill $app; wait $app 2>/dev/null || true
