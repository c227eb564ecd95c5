#!/usr/bin/env bash
# import.sh measures `roundtable inbox sync` as a coach runs it — a fresh process,
# start to exit, against real Dovecot over IMAPS on loopback — beside mbsync (isync,
# with `FSync no`, the config form of "--no-fsync") downloading the same INBOX into a
# fresh Maildir, interleaved in the same run. Two mailboxes (written by
# TestImportBenchFixture in app/mail/inbox):
#   clients  10,000 mails from 1,000 known clients, half with a 24 KB PDF, none
#            answering a post (the coach's 1:1 mail: headers only unless
#            "Keep my 1:1 mail with clients" is on; measured both ways)
#   replies  10,000 replies to a post with its reply tokens (Gmail, Outlook, Apple
#            shapes) and 4,000 mails from strangers
# For each it also times a second `inbox sync` with nothing new, whole process, and
# prints every ratio. Needs root (Dovecot, Maildir owners), postfix, dovecot, mbsync.
#
#   scripts/bench/import.sh            RUNS=3 by default; BIN=path skips the build
#   BEFORE=path/to/older/roundtable scripts/bench/import.sh
#                                      also times an older build in each round, for a
#                                      before/after ratio measured in the same run
#                                      (FIXTURE_TEST=, below, when its schema is older)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
runs=${RUNS:-3}
dir=${DIR:-/tmp/rtib}
bin=${BIN:-$dir/roundtable}
export RT_IMAP_PORT=${RT_IMAP_PORT:-11143} RT_IMAPS_PORT=${RT_IMAPS_PORT:-11993}
export RT_SUBMISSION_PORT=${RT_SUBMISSION_PORT:-11587} RT_SMTP_PORT=${RT_SMTP_PORT:-11025}
export RT_MAIL_USERS="clients@example.test:secret replies@example.test:secret"

scripts/mailservers/mailservers.sh stop "$dir" >/dev/null 2>&1 || true
rm -rf "$dir"
mkdir -p "$dir" && chmod 0755 "$dir"
trap 'scripts/mailservers/mailservers.sh stop "$dir" >/dev/null 2>&1 || true' EXIT
scripts/mailservers/mailservers.sh start "$dir" >/dev/null

if [ -z "${BIN:-}" ]; then
  echo "building $bin"
  go build -tags sqlite_fts5 -o "$bin" ./app/cli/roundtable
fi
echo "writing the mailboxes and workspaces"
# FIXTURE_TEST=path/to/inbox.test writes them with an older tree's test binary
# (go test -c ./app/mail/inbox in that tree): when BEFORE cannot open this
# tree's newer workspace schema, both builds then start from the older one
# (the newer build updates it while the account is set, before the timing).
fixture_test=${FIXTURE_TEST:-$dir/inbox.test}
[ -n "${FIXTURE_TEST:-}" ] || go test -tags sqlite_fts5 -c -o "$dir/inbox.test" ./app/mail/inbox/
(cd app/mail/inbox && RT_IMPORT_BENCH_DIR="$dir" "$fixture_test" -test.run '^TestImportBenchFixture$' -test.count 1 >/dev/null)

# The CLI trusts the servers' self-signed certificate through SSL_CERT_FILE, and
# keeps the password in a file under this run's own config folder. The file is
# the system's bundle with the certificate added, as a coach's machine holds
# the authority of their provider's certificate among a hundred others: Go,
# curl and mbsync each load all of it, as they would there.
cat /etc/ssl/certs/ca-certificates.crt "$dir/tls/cert.pem" >"$dir/tls/bundle.pem" 2>/dev/null ||
  cp "$dir/tls/cert.pem" "$dir/tls/bundle.pem"
export SSL_CERT_FILE="$dir/tls/bundle.pem" XDG_CONFIG_HOME="$dir/config" ROUNDTABLE_KEYRING=off
export ROUNDTABLE_IMAP_PASSWORD=secret

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# fresh BOX KEEP [BIN]: a new copy of BOX's workspace with the account set.
fresh() {
  cp "$dir/$1.db" "$dir/run.db"
  rm -f "$dir/run.db-wal" "$dir/run.db-shm" "$dir"/run.db.before-*.bak
  local keep=()
  [ "$2" = on ] && keep=(--keep-personal)
  "${3:-$bin}" --workspace "$dir/run.db" account set --imap-host 127.0.0.1 --imap-port "$RT_IMAPS_PORT" \
    --imap-security tls --imap-user "$1@example.test" --password-file "${keep[@]}" >/dev/null
}

mbsync_conf() {
  cat >"$dir/mbsyncrc" <<EOF
FSync no

IMAPAccount coach
Host localhost
Port $RT_IMAPS_PORT
User $1@example.test
Pass secret
SSLType IMAPS
CertificateFile $dir/tls/bundle.pem

IMAPStore remote
Account coach

MaildirStore local
Path $dir/maildir/
Inbox $dir/maildir/INBOX

Channel pull
Far :remote:
Near :local:
Patterns INBOX
Create Near
Sync Pull
SyncState *
EOF
}

# bench BOX KEEP: RUNS rounds of (roundtable sync, mbsync, second roundtable sync).
bench() {
  local box=$1 keep=$2 ours=() theirs=() again=() older=() start=() raw=() out
  mbsync_conf "$box"
  for i in $(seq 1 "$runs"); do
    if [ -n "${BEFORE:-}" ]; then
      fresh "$box" "$keep" "$BEFORE"
      sync
      t=$(date +%s%N)
      "$BEFORE" --workspace "$dir/run.db" inbox sync >/dev/null
      older+=("$(ms "$t")")
    fi
    fresh "$box" "$keep"
    sync
    t=$(date +%s%N)
    out=$("$bin" --workspace "$dir/run.db" inbox sync)
    ours+=("$(ms "$t")")
    [ "$i" = 1 ] && echo "  $box (keep 1:1 mail $keep): $out"
    t=$(date +%s%N)
    "$bin" --workspace "$dir/run.db" inbox sync >/dev/null
    again+=("$(ms "$t")")
    # The same binary doing nothing: what of the second sync is process start.
    t=$(date +%s%N)
    "$bin" version >/dev/null
    start+=("$(ms "$t")")
    # The reference for "nothing new": curl (C, one process) doing the same
    # TLS handshake, LOGIN and SELECT against the same Dovecot.
    t=$(date +%s%N)
    curl -s --cacert "$dir/tls/bundle.pem" "imaps://127.0.0.1:$RT_IMAPS_PORT/INBOX" -u "$box@example.test:secret" -X 'SELECT INBOX' >/dev/null
    raw+=("$(ms "$t")")

    rm -rf "$dir/maildir" && mkdir -p "$dir/maildir"
    sync
    t=$(date +%s%N)
    mbsync -c "$dir/mbsyncrc" -q pull
    theirs+=("$(ms "$t")")
    echo "  run $i: roundtable ${ours[-1]} ms, mbsync ${theirs[-1]} ms, ratio $(awk "BEGIN{printf \"%.2f\", ${ours[-1]}/${theirs[-1]}}"); second sync ${again[-1]} ms (\"version\" ${start[-1]} ms, curl's SELECT ${raw[-1]} ms)${BEFORE:+; before: ${older[-1]} ms, ratio $(awk "BEGIN{printf \"%.2f\", ${older[-1]}/${theirs[-1]}}")}"
  done
  local o t r
  o=$(printf '%s\n' "${ours[@]}" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  t=$(printf '%s\n' "${theirs[@]}" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  r=$(for k in "${!ours[@]}"; do awk "BEGIN{printf \"%.2f\\n\", ${ours[k]}/${theirs[k]}}"; done | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  echo "$box, keep 1:1 mail $keep: roundtable median $o ms, mbsync median $t ms, median ratio of a run $r;" \
    "second sync $(printf '%s ' "${again[@]}")ms"
}

echo "load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
bench clients off
bench clients on
bench replies off
