#!/usr/bin/env bash
# run.sh runs the benchmarks recorded in docs/benchmarks.md and prints their figures.
# Timing lives here, never in pass/fail tests. Run it on a quiet machine:
# other load on the two cores changes every figure.
set -euo pipefail
cd "$(dirname "$0")/../.."
tags=sqlite_fts5
bench() { echo "== go test -tags $tags -run '^\$' -bench '$1' $3 $2"; go test -tags $tags -run '^$' -bench "$1" $3 "$2" | grep -E '^Benchmark|ok|FAIL'; }

bench 'Import10000' ./app/clientcsv/ '-benchtime 5x'
bench 'ListClients' ./app/store/ ''
bench 'Send1000$' ./app/mail/outbox/ '-benchtime 3x'
bench 'Send1000Postfix' ./app/mail/outbox/ '-benchtime 2x'
bench 'SendMemory' ./app/mail/outbox/ '-benchtime 1x'
bench 'RenderAndBuild' ./app/mail/render/ '-benchtime 3s'
bench 'Reply' ./app/mail/trim/ '-benchmem'
bench 'Parse|Classify' ./app/mail/message/ ''
bench 'Deliver' ./app/mail/sandbox/ '-benchtime 3x'
bench 'DigestBuild' ./app/digest/ '-benchtime 1x -timeout 30m'
bench 'DigestSend2000Postfix' ./app/mail/sending/ '-benchtime 1x -timeout 30m'
# The same digests sent by `roundtable run-due` as a process, start to exit, and
# 1,000 posts by `roundtable outbox send`.
make -s build >/dev/null && ROUNDTABLE_BENCH_BIN=$PWD/build/bin/roundtable \
  bench 'RunDueProcess|PostSendProcess' ./app/mail/sending/ '-benchtime 1x -timeout 30m'
bench 'NothingDue|ProgressGrid' ./app/content/ ''
bench 'Home$' ./app/store/ '-benchtime 20x'
if [ -d app/mail/inbox ]; then bench '.' ./app/mail/inbox/ '-benchtime 3x'; fi
if [ "${1:-}" = "--startup" ]; then bash scripts/bench/startup.sh; fi
