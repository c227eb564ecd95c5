#!/usr/bin/env bash
# setup.sh installs what building and testing Roundtable needs on a Debian or Ubuntu
# machine: system packages, the pinned Wails CLI and the frontend's npm packages.
# It is idempotent and quick when everything is already there, so `make run` and
# `make test` call it every time.
set -euo pipefail
cd "$(dirname "$0")/.."

WAILS_VERSION=v2.15.0

# Packages for the desktop build (GTK + WebKitGTK 4.1), the window under Xvfb,
# the browser tests (Debian's chromium) and the real mail servers of the
# integration tests (Postfix, Dovecot, isync for the mbsync comparison), and
# SpamAssassin, which scores the rendered mail in tests (app/internal/spamcheck),
# Python's icalendar, the second parser the calendar invitations are checked with,
# and mutt, the mail client the mbox export is read back with (app/export).
APT_PACKAGES=(
  libgtk-3-dev libwebkit2gtk-4.1-dev pkg-config build-essential
  xvfb xauth chromium imagemagick x11-apps xdotool curl ca-certificates
  postfix dovecot-imapd dovecot-lmtpd isync swaks openssl
  spamassassin python3-icalendar mutt
)

# Packaging (make dist, make test-dist): cross-compiling for Windows, NSIS,
# Wine to run the Windows build, and the Debian package checkers. Only with --dist,
# so `make test` on a fresh machine does not wait for Wine.
if [ "${1:-}" = "--dist" ]; then
  APT_PACKAGES+=(gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 nsis wine wine64 lintian dpkg-dev
    desktop-file-utils appstream imagemagick)
fi

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  # Keep the postfix package from writing a system-wide config, and keep the
  # packages' own daemons from starting on the standard ports during install.
  echo "postfix postfix/main_mailer_type select No configuration" | sudo_if_needed debconf-set-selections
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | sudo_if_needed tee /usr/sbin/policy-rc.d >/dev/null
    sudo_if_needed chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  sudo_if_needed apt-get -o DPkg::Lock::Timeout=600 update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
  [ "$made_policy" = 1 ] && sudo_if_needed rm -f /usr/sbin/policy-rc.d
fi

GOBIN="$(go env GOPATH)/bin"
if ! "$GOBIN/wails" version 2>/dev/null | grep -q "$WAILS_VERSION"; then
  echo "setup: installing Wails CLI $WAILS_VERSION"
  go install "github.com/wailsapp/wails/v2/cmd/wails@$WAILS_VERSION"
fi

# npm ci only when the lock file changed since the last install.
if [ -f frontend/package-lock.json ]; then
  stamp=frontend/node_modules/.roundtable-lock
  if [ ! -f "$stamp" ] || ! cmp -s frontend/package-lock.json "$stamp"; then
    echo "setup: installing frontend packages"
    (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
    cp frontend/package-lock.json "$stamp"
  fi
fi
echo "setup: ready"
