#!/usr/bin/env bash
# version.sh prints Roundtable's version, the one number every build uses (the
# binary's `roundtable version`, the window's About, the .deb, the Windows
# installer and the macOS bundle). It comes from the newest tag vX.Y.Z that
# `git describe` finds: "0.2.0" on a tagged commit, "0.2.0+3.gabc1234" three
# commits later, with ".dirty" for uncommitted changes. With no tag yet (or a
# shallow clone without tags) it is "0.0.0+N.gSHA", N counting commits, so the
# number still grows. The separators are "+" and "." so the same string is a valid
# Debian version and semver.
set -euo pipefail
cd "$(dirname "$0")/.."
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
  echo "0.0.0+$n.g$sha$dirty"
else
  echo "0.0.0+unknown"
fi
