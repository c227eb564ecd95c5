#!/usr/bin/env bash
# search.sh times search on a generated workspace of 10,000 clients and 100,000
# replies: at the store (BenchmarkSearch, p50/p95/p99 of one search over its
# queries) and as a whole process, `roundtable search` from start to exit.
# Usage: scripts/bench/search.sh [WORKSPACE]   (made once, ~7 min, then reused)
set -euo pipefail
cd "$(dirname "$0")/../.."
ws=${1:-/tmp/roundtable-search-bench.db}
echo "== go test -tags sqlite_fts5 -run '^\$' -bench 'BenchmarkSearch\$' -benchtime 10x ./app/store/  (BENCH_SEARCH_DB=$ws)"
BENCH_SEARCH_DB=$ws go test -tags sqlite_fts5 -run '^$' -bench 'BenchmarkSearch$' -benchtime 10x -timeout 30m ./app/store/ | grep -E '^Benchmark|median|workspace'
bin=build/bin/roundtable
[ -x "$bin" ] || { echo "search.sh: build $bin first (make build)"; exit 1; }
echo "== $bin --workspace $ws search WORDS --json >/dev/null, 10 runs each, milliseconds"
ms=()
for _ in $(seq 10); do s=$(date +%s%N); "$bin" version >/dev/null; ms+=($(( ($(date +%s%N) - s) / 1000000 ))); done
printf '%-24s %s\n' "(roundtable version)" "$(printf '%s\n' "${ms[@]}" | sort -n | tr '\n' ' ')"
all=()
for q in "grace hopper" "pricing" "pri" "accountability retreat" "stein" "zurich"; do
  ms=()
  for _ in $(seq 10); do
    s=$(date +%s%N)
    "$bin" --workspace "$ws" search $q --json >/dev/null
    ms+=($(( ($(date +%s%N) - s) / 1000000 )))
  done
  all+=("${ms[@]}")
  sorted=$(printf '%s\n' "${ms[@]}" | sort -n | tr '\n' ' ')
  printf '%-24s %s\n' "$q" "$sorted"
done
printf '%s\n' "${all[@]}" | sort -n | awk '{a[NR]=$1} END {printf "all %d runs: median %d ms, p95 %d ms, max %d ms\n", NR, a[int(NR/2)+1], a[int(NR*0.95)], a[NR]}'
