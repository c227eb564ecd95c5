#!/usr/bin/env bash
# commands.sh times whole command processes from start to exit, for programs
# compared side by side (issue 12: the command-line program without the web
# view against the window program that also runs commands). Runs are
# interleaved (A B C A B C ...), so that load from elsewhere on the machine
# falls on every program alike.
# Usage: scripts/bench/commands.sh WORKSPACE BIN... (RUNS, default 10)
# It times `version`, then `inbox sync` on WORKSPACE, once first to import what
# is new, then RUNS times with nothing new. The workspace's incoming account
# (or the sandbox) is whatever `account set` gave it; for a real Dovecot see
# scripts/mailservers (and SSL_CERT_FILE for its certificate).
set -euo pipefail
ws=$1
shift
runs=${RUNS:-10}
ms() { local s=$(date +%s%N); "$@" >/dev/null; echo $(( ($(date +%s%N) - s) / 1000000 )); }
summary() { sort -n | awk '{a[NR]=$1} END {printf "median %d ms, best %d, worst %d (%d runs)", a[int((NR+1)/2)], a[1], a[NR], NR}'; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$1" --workspace "$ws" inbox sync >/dev/null
for what in version "inbox sync"; do
  declare -A times=()
  for _ in $(seq "$runs"); do
    for b in "$@"; do
      if [ "$what" = version ]; then t=$(ms "$b" version); else t=$(ms "$b" --workspace "$ws" inbox sync); fi
      times[$b]+="$t "
    done
  done
  for b in "$@"; do
    printf '%-12s %-40s %s\n' "$what" "$b" "$(tr ' ' '\n' <<<"${times[$b]}" | grep . | summary)"
  done
  unset times
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
