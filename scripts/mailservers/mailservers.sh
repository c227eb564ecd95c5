#!/usr/bin/env bash
# mailservers.sh runs a private Postfix + Dovecot pair on 127.0.0.1 high ports for the
# integration tests: submission and SMTP by Postfix, delivery by LMTP into Dovecot
# Maildirs, IMAP and IMAPS by Dovecot. Everything lives under one folder; nothing can
# leave the machine (no relaying, every non-local transport is `error:`).
#
#   mailservers.sh start DIR [email:password ...]   write config, start (restart if running)
#   mailservers.sh stop DIR                          stop both servers
#   mailservers.sh status DIR                        exit 0 and print env lines if running
#   mailservers.sh adduser DIR email password        add or change a user, live
#
# Environment (start): RT_IMAP_PORT (10143), RT_IMAPS_PORT (10993),
# RT_SUBMISSION_PORT (10587), RT_SMTP_PORT (10025), RT_MAIL_USERS ("email:password"
# entries separated by spaces or commas; default coach@ and member1..5@example.test,
# password "secret"). Start prints the RT_* lines a test needs and keeps them in DIR/env.
#
# DIR must be traversable by uid 5000 and by the postfix and dovecot users (e.g. a
# 0755 folder under /tmp) and short enough for Unix socket paths (under ~70 bytes).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MAIL_UID=5000
MAIL_GID=5000
DEFAULT_USERS="coach@example.test:secret member1@example.test:secret member2@example.test:secret member3@example.test:secret member4@example.test:secret member5@example.test:secret"
WAIT_SECONDS=20

die() { echo "mailservers: $*" >&2; exit 1; }

usage() {
  sed -n '7,10p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# need_root re-runs the script with sudo when that needs no password; otherwise it
# stops with a sentence saying why, because Postfix and Dovecot must start as root.
need_root() {
  [ "$(id -u)" -eq 0 ] && return 0
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    exec sudo -n --preserve-env=RT_IMAP_PORT,RT_IMAPS_PORT,RT_SUBMISSION_PORT,RT_SMTP_PORT,RT_MAIL_USERS bash "$0" "$@"
  fi
  die "must run as root (Postfix and Dovecot start as root and drop privileges); run it with sudo"
}

need_packages() {
  local missing=()
  [ -x /usr/sbin/postfix ] || missing+=(postfix)
  [ -x /usr/sbin/dovecot ] || missing+=(dovecot-imapd)
  [ -x /usr/lib/dovecot/lmtp ] || missing+=(dovecot-lmtpd)
  command -v openssl >/dev/null || missing+=(openssl)
  [ ${#missing[@]} -eq 0 ] || die "missing packages: ${missing[*]}; run scripts/setup.sh"
}

# abs makes DIR absolute without requiring it to exist yet.
abs() {
  case "$1" in
    /*) printf '%s\n' "${1%/}" ;;
    *) printf '%s/%s\n' "$(pwd)" "${1%/}" ;;
  esac
}

postfix_running() { postfix -c "$DIR/postfix" status >/dev/null 2>&1; }

# dovecot_pid prints the pid of this DIR's Dovecot master, checked against its command
# line so that a stale pid file cannot name another process.
dovecot_pid() {
  local pid
  pid="$(cat "$DIR/dovecot/run/master.pid" 2>/dev/null)" || return 1
  [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$DIR/dovecot/dovecot.conf" &&
    echo "$pid"
}

# port_open succeeds when something accepts TCP connections on 127.0.0.1:$1.
port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# smtp_accepts succeeds when Postfix's plain SMTP port accepts RCPT TO:<$1>; adduser
# uses it to wait until a reload has reached the smtpd processes.
smtp_accepts() {
  timeout 3 bash -c '
    exec 3<>/dev/tcp/127.0.0.1/'"$RT_SMTP_PORT"'
    reply() { local l; while IFS= read -r l <&3; do l=${l%$'"'\r'"'}; [ "${l:3:1}" = "-" ] || { echo "$l"; return; }; done; }
    reply >/dev/null
    printf "EHLO probe.example.test\r\n" >&3; reply >/dev/null
    printf "MAIL FROM:<>\r\n" >&3; reply >/dev/null
    printf "RCPT TO:<%s>\r\n" "$1" >&3; r=$(reply)
    printf "QUIT\r\n" >&3
    [ "${r:0:1}" = 2 ]' probe "$1" 2>/dev/null
}

load_env() {
  [ -f "$DIR/env" ] || die "$DIR was never started (no $DIR/env)"
  # shellcheck disable=SC1091
  . "$DIR/env"
}

print_env() { cat "$DIR/env"; }

# put_user adds or replaces one user in Dovecot's passwd-file and Postfix's maps.
put_user() {
  local email="${1,,}" password="$2" domain
  case "$email" in
    *@*.*) ;;
    *) die "not an email address: $1" ;;
  esac
  case "$email$password" in
    *:* | *[[:space:]]*) die "email and password may not contain ':' or spaces: $1" ;;
  esac
  [ -n "$password" ] || die "empty password for $email"
  domain="${email#*@}"
  touch "$DIR/dovecot/users" "$DIR/postfix/vmailbox" "$DIR/postfix/vdomains"
  local f
  for f in "$DIR/dovecot/users" "$DIR/postfix/vmailbox"; do
    grep -v -F -e "$email:" -e "$email " "$f" >"$f.new" || true
    mv "$f.new" "$f"
  done
  echo "$email:{PLAIN}$password::::::" >>"$DIR/dovecot/users"
  echo "$email ok" >>"$DIR/postfix/vmailbox"
  grep -q -x -F "$domain ok" "$DIR/postfix/vdomains" || echo "$domain ok" >>"$DIR/postfix/vdomains"
  chown root:dovecot "$DIR/dovecot/users"
  chmod 0640 "$DIR/dovecot/users"
}

fill_template() {
  sed -e "s|@DIR@|$DIR|g" -e "s|@INSTANCE@|$INSTANCE|g" \
    -e "s|@IMAP_PORT@|$RT_IMAP_PORT|g" -e "s|@IMAPS_PORT@|$RT_IMAPS_PORT|g" \
    -e "s|@SUBMISSION_PORT@|$RT_SUBMISSION_PORT|g" -e "s|@SMTP_PORT@|$RT_SMTP_PORT|g" \
    "$HERE/$1"
}

write_config() {
  # Postfix wants its config folder all root's, so its queue lives beside it.
  mkdir -p "$DIR"/{postfix,spool/queue,spool/data,dovecot/run,dovecot/state,tls,log,mail}
  chmod 0755 "$DIR" "$DIR/postfix" "$DIR/spool" "$DIR/spool/queue" "$DIR/dovecot" "$DIR/tls" "$DIR/log"
  chown root:root "$DIR/postfix" "$DIR/spool" "$DIR/spool/queue"
  chown postfix:postfix "$DIR/spool/data"
  chown "$MAIL_UID:$MAIL_GID" "$DIR/mail"
  chmod 0770 "$DIR/mail"

  fill_template main.cf.in >"$DIR/postfix/main.cf"
  fill_template master.cf.in >"$DIR/postfix/master.cf"
  fill_template dovecot.conf.in >"$DIR/dovecot/dovecot.conf"

  if [ ! -s "$DIR/tls/cert.pem" ] || [ ! -s "$DIR/tls/key.pem" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
      -days 3650 -subj "/CN=localhost" \
      -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
      -keyout "$DIR/tls/key.pem" -out "$DIR/tls/cert.pem" >"$DIR/log/openssl.log" 2>&1 ||
      die "openssl could not make the certificate; see $DIR/log/openssl.log"
    chmod 0600 "$DIR/tls/key.pem"
    chmod 0644 "$DIR/tls/cert.pem"
  fi

  local users="${USERS_GIVEN:-}"
  if [ -z "$users" ] && [ ! -s "$DIR/dovecot/users" ]; then
    users="$DEFAULT_USERS"
  fi
  local entry
  for entry in ${users//,/ }; do
    case "$entry" in
      *:*) put_user "${entry%%:*}" "${entry#*:}" ;;
      *) die "user entry must be email:password, got: $entry" ;;
    esac
  done

  cat >"$DIR/env" <<EOF
RT_MAIL_HOST=127.0.0.1
RT_IMAP_PORT=$RT_IMAP_PORT
RT_IMAPS_PORT=$RT_IMAPS_PORT
RT_SUBMISSION_PORT=$RT_SUBMISSION_PORT
RT_SMTP_PORT=$RT_SMTP_PORT
RT_MAIL_CA_CERT=$DIR/tls/cert.pem
RT_MAIL_DIR=$DIR
EOF
}

stop_servers() {
  # Take each pid only while it provably belongs to this DIR, so a stale pid file can
  # never make us signal some unrelated process.
  local master_pid="" pid=""
  if [ -f "$DIR/postfix/main.cf" ] && postfix_running; then
    master_pid="$(tr -d ' ' <"$DIR/spool/queue/pid/master.pid" 2>/dev/null || true)"
    postfix -c "$DIR/postfix" stop >>"$DIR/log/control.log" 2>&1 </dev/null || true
  fi
  if pid="$(dovecot_pid)"; then
    kill -TERM "$pid" 2>/dev/null || true
  else
    pid=""
  fi
  # Postfix's master exits in about 1.5 s, Dovecot's in 2-3 s; wait, then insist.
  local i alive
  for i in $(seq 1 100); do
    alive=0
    [ -n "$master_pid" ] && kill -0 "$master_pid" 2>/dev/null && alive=1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && alive=1
    [ "$alive" = 0 ] && return 0
    sleep 0.1
  done
  [ -n "$master_pid" ] && kill -KILL "$master_pid" 2>/dev/null || true
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  return 0
}

start_servers() {
  : >"$DIR/log/control.log"
  # A socket left by an earlier run makes Dovecot's auth retry it for 5 s (see the
  # anvil-auth-penalty note in dovecot.conf.in).
  rm -rf "${DIR:?}/dovecot/run" && mkdir -m 0755 "$DIR/dovecot/run"
  # Daemons get a file, never the caller's stdout: one that inherits a pipe keeps the
  # caller's reader waiting forever. Nor may they inherit the lock on fd 9, or they
  # would hold it for their whole life.
  dovecot -c "$DIR/dovecot/dovecot.conf" >>"$DIR/log/control.log" 2>&1 </dev/null 9>&- ||
    die "dovecot did not start; see $DIR/log/control.log and $DIR/log/dovecot.log"
  # `postfix start` runs the checks of `postfix check` itself; run it again only to
  # explain a failure.
  if ! postfix -c "$DIR/postfix" start >>"$DIR/log/control.log" 2>&1 </dev/null 9>&-; then
    postfix -c "$DIR/postfix" check >>"$DIR/log/control.log" 2>&1 </dev/null || true
    die "postfix did not start; see $DIR/log/control.log and $DIR/log/postfix.log"
  fi

  local deadline=$((SECONDS + WAIT_SECONDS)) p
  for p in "$RT_IMAP_PORT" "$RT_IMAPS_PORT" "$RT_SUBMISSION_PORT" "$RT_SMTP_PORT"; do
    until port_open "$p"; do
      [ "$SECONDS" -lt "$deadline" ] ||
        die "port $p did not answer within ${WAIT_SECONDS}s; see $DIR/log/"
      sleep 0.1
    done
  done
  until [ -S "$DIR/dovecot/run/lmtp" ] && [ -S "$DIR/dovecot/run/auth-postfix" ]; do
    [ "$SECONDS" -lt "$deadline" ] || die "Dovecot's LMTP and auth sockets did not appear; see $DIR/log/"
    sleep 0.1
  done
}

cmd="${1:-}"
[ -n "$cmd" ] && [ -n "${2:-}" ] || usage
need_root "$@"
DIR="$(abs "$2")"
shift 2
INSTANCE="realmail-$(basename "$DIR")"

if [ ! -d "$DIR" ]; then
  case "$cmd" in
    start) mkdir -p "$DIR" ;;
    stop) exit 0 ;;
    *) die "$DIR does not exist; run start first" ;;
  esac
fi
# One command at a time per DIR: parallel tests may add users to the same servers.
exec 9>"$DIR/.lock"
flock -w 60 9 || die "another mailservers.sh command holds $DIR/.lock"

case "$cmd" in
  start)
    need_packages
    RT_IMAP_PORT="${RT_IMAP_PORT:-10143}"
    RT_IMAPS_PORT="${RT_IMAPS_PORT:-10993}"
    RT_SUBMISSION_PORT="${RT_SUBMISSION_PORT:-10587}"
    RT_SMTP_PORT="${RT_SMTP_PORT:-10025}"
    USERS_GIVEN="${*:-${RT_MAIL_USERS:-}}"
    [ ${#DIR} -le 70 ] || die "DIR is too long for Unix socket paths (${#DIR} > 70 bytes): $DIR"
    [ -d "$DIR/log" ] && stop_servers
    write_config
    start_servers
    print_env
    ;;
  stop)
    [ -d "$DIR/log" ] || exit 0
    stop_servers
    ;;
  status)
    load_env
    postfix_running || die "postfix is not running for $DIR"
    dovecot_pid >/dev/null || die "dovecot is not running for $DIR"
    print_env
    ;;
  adduser)
    [ $# -eq 2 ] || usage
    load_env
    put_user "$1" "$2"
    # Dovecot re-reads its passwd-file when it changes; Postfix's texthash maps are
    # read when a process starts, so reload and wait until smtpd knows the address.
    if postfix_running; then
      postfix -c "$DIR/postfix" reload >>"$DIR/log/control.log" 2>&1 </dev/null 9>&-
      deadline=$((SECONDS + 10))
      until smtp_accepts "${1,,}"; do
        [ "$SECONDS" -lt "$deadline" ] || die "postfix still refuses $1 after reload; see $DIR/log/postfix.log"
        sleep 0.1
      done
    fi
    ;;
  *) usage ;;
esac
