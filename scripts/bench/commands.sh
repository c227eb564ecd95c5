#!/usr/bin/env bash
# commands.sh times whole command processes from start to exit, for programs
# compared side by side (issue 12: the command-line program without the web
# view against the window program that also runs commands). Runs are
# interleaved (A B C A B C ...), so that load from elsewhere on the machine
# falls on every program alike, and each run's CPU time (user + system) is
# given beside the wall clock: on a busy machine it moves much less.
# Usage: scripts/bench/commands.sh WORKSPACE BIN... (RUNS, default 10)
# It times `version`, then `inbox sync` on WORKSPACE, once first to import what
# is new, then RUNS times with nothing new. The workspace's incoming account
# (or the sandbox) is whatever `account set` gave it; for a real Dovecot see
# scripts/mailservers (and SSL_CERT_FILE for its certificate).
set -euo pipefail
ws=$1
shift
"$1" --workspace "$ws" inbox sync >/dev/null
python3 - "${RUNS:-10}" "$ws" "$@" <<'PY'
import resource, statistics, subprocess, sys, time
runs, ws, bins = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
load = lambda: " ".join(open("/proc/loadavg").read().split()[:3])
print("load before:", load())
for what in (["version"], ["--workspace", ws, "inbox", "sync"]):
    wall = {b: [] for b in bins}
    cpu = {b: [] for b in bins}
    for _ in range(runs):
        for b in bins:
            r0, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
            subprocess.run([b] + what, stdout=subprocess.DEVNULL, check=True)
            t1, r1 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
            wall[b].append((t1 - t0) * 1000)
            cpu[b].append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000)
    for b in bins:
        w, c = sorted(wall[b]), sorted(cpu[b])
        print(f"{' '.join(what[-2:]):12} {b:40} wall median {statistics.median(w):5.0f} ms (best {w[0]:.0f}, worst {w[-1]:.0f}); "
              f"CPU median {statistics.median(c):4.0f} ms (best {c[0]:.0f}); {runs} runs")
print("load after:", load())
PY
