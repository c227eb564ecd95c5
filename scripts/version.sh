#!/usr/bin/env bash
# version.sh prints Roundtable's version, the one number every build uses (the
# binary's `roundtable version`, the window's About, the .deb, the Windows
# installer and the macOS bundle). It comes from the newest tag vX.Y.Z that
# `git describe` finds: "0.2.0" on a tagged commit, "0.2.0+3.gabc1234" three
# commits later, with ".dirty" for uncommitted changes. With no tag yet (or a
# shallow clone without tags) it is the coming release as a pre-release,
# "0.1.0-dev+N.gSHA" (N counting commits, so the number still grows): it reads as
# a version, where "0.0.0+167.g8a51f88" read as a commit hash. The coming release
# is app.Version's default in app/workspace.go, its one place. The separators are "+" and "." so the same string is a valid
# Debian version and semver.
set -euo pipefail
cd "$(dirname "$0")/.."

planned() {
  sed -n 's/^var Version = "\(.*\)"$/\1/p' app/workspace.go | grep . || echo "0.1.0-dev"
}
if d=$(git describe --tags --match 'v[0-9]*' --long --dirty 2>/dev/null); then
  # v0.2.0-3-gabc1234[-dirty]
  dirty=""
  case $d in *-dirty) dirty=".dirty"; d=${d%-dirty} ;; esac
  sha=${d##*-}; d=${d%-*}
  n=${d##*-}; tag=${d%-*}
  v=${tag#v}
  if [ "$n" = 0 ] && [ -z "$dirty" ]; then echo "$v"; else echo "$v+$n.$sha$dirty"; fi
elif sha=$(git rev-parse --short=7 HEAD 2>/dev/null); then
  n=$(git rev-list --count HEAD)
  dirty=""
  git diff --quiet HEAD 2>/dev/null || dirty=".dirty"
  echo "$(planned)+$n.g$sha$dirty"
else
  echo "$(planned)+unknown"
fi
