#!/usr/bin/env bash
# dist.sh builds Roundtable's packages into build/dist/ (`make dist`):
#   roundtable_VERSION_amd64.deb           Debian/Ubuntu package
#   roundtable-VERSION-linux-amd64.tar.gz  the same files, to unpack anywhere
# On Linux there are two programs: /usr/bin/roundtable runs the commands without
# linking the web view (app/cli/roundtable) and, given no command, execs the
# window, /usr/libexec/roundtable/roundtable-window (FHS 3.0's place for a
# program that users do not start by name; lintian's executable-in-usr-lib).
# Windows and macOS get one program that does both (docs/benchmarks.md, issue 12).
#   roundtable-VERSION-windows-amd64.exe   the bare Windows program
#   roundtable-VERSION-windows-amd64-setup.exe  the NSIS installer
# The Windows program is cross-compiled with mingw-w64 (cgo, for SQLite) and its
# resources (icon, manifest, version) are compiled with mingw's windres. macOS is
# built by .github/workflows/macos.yml on a Mac runner, not here.
# Needs the frontend built (make frontend) and `scripts/setup.sh --dist`.
# DIST_ONLY=linux or DIST_ONLY=windows builds one half.
set -euo pipefail
cd "$(dirname "$0")/../.."

VERSION=${VERSION:-$(scripts/version.sh)}
only=${DIST_ONLY:-all}
out=build/dist
work=$out/work
rm -rf "$work"
mkdir -p "$out" "$work"
[ -f frontend/dist/index.html ] || { echo "dist: build the frontend first (make frontend)"; exit 1; }

PKG=github.com/roundtablehq/roundtable
LDFLAGS="-w -s -X $PKG/app.Version=$VERSION"
TAGS=desktop,production,sqlite_fts5
APP_ID=io.github.roundtablehq.Roundtable

# Windows wants four numbers: MAJOR.MINOR.PATCH.COMMITS.
base=${VERSION%%+*}; base=${base%%-*}
commits=0
case $VERSION in *+*) c=${VERSION#*+}; c=${c%%.*}; [[ $c =~ ^[0-9]+$ ]] && commits=$c ;; esac
WINVERSION="$base.$commits"
# Debian reads "-" as the start of a package revision; "~" keeps a pre-release
# ("0.1.0-dev+3.gabc1234") sorting before its release, as semver does.
DEBVERSION=${VERSION//-/\~}

step() { printf 'dist: %-34s' "$1"; }
done_in() { echo "$(( $(date +%s) - $1 )) s"; }

linux() {
  local t=$(date +%s) root=$work/deb
  step "linux binaries ($VERSION)"
  # Hardened as Debian builds its own: position-independent, read-only
  # relocations bound at start, fortified C (lintian's hardening checks).
  export CGO_CPPFLAGS="-D_FORTIFY_SOURCE=2" CGO_CFLAGS="-O2 -fstack-protector-strong" CGO_LDFLAGS="-Wl,-z,relro,-z,now"
  go build -buildmode=pie -tags "sqlite_fts5" -ldflags "$LDFLAGS" -o "$work/roundtable" ./app/cli/roundtable
  go build -buildmode=pie -tags "desktop,production,webkit2_41,sqlite_fts5" -ldflags "$LDFLAGS" -o "$work/roundtable-window" .
  unset CGO_CPPFLAGS CGO_CFLAGS CGO_LDFLAGS
  done_in $t

  t=$(date +%s); step "linux tree"
  install -Dm755 "$work/roundtable" "$root/usr/bin/roundtable"
  install -Dm755 "$work/roundtable-window" "$root/usr/libexec/roundtable/roundtable-window"
  install -Dm644 build/linux/$APP_ID.desktop "$root/usr/share/applications/$APP_ID.desktop"
  mkdir -p "$root/usr/share/metainfo"
  sed -e "s/@VERSION@/$VERSION/" -e "s/@DATE@/$(date -u +%F)/" build/linux/$APP_ID.metainfo.xml.in \
    > "$root/usr/share/metainfo/$APP_ID.metainfo.xml"
  for s in 16 24 32 48 64 128 256 512; do
    mkdir -p "$root/usr/share/icons/hicolor/${s}x${s}/apps"
    convert build/appicon.png -resize "${s}x${s}" -depth 8 -strip "PNG32:$root/usr/share/icons/hicolor/${s}x${s}/apps/roundtable.png"
  done
  # A manual page made from `roundtable help`, so `man roundtable` works.
  mkdir -p "$root/usr/share/man/man1"
  { printf '.TH ROUNDTABLE 1 "%s" "Roundtable %s" "User Commands"\n' "$(date -u +%F)" "$VERSION"
    printf '.SH NAME\nroundtable \\- run coaching groups over plain email\n'
    printf '.SH SYNOPSIS\n.B roundtable\n[\\-\\-workspace \\fIPATH\\fR] [\\fICOMMAND\\fR]\n'
    printf '.SH DESCRIPTION\n.nf\n'
    "$work/roundtable" help | sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/" -e 's/-/\\-/g'
    printf '.fi\n.SH SEE ALSO\n/usr/share/doc/roundtable/\n'; } | gzip -9n > "$root/usr/share/man/man1/roundtable.1.gz"
  local doc=$root/usr/share/doc/roundtable
  mkdir -p "$doc"
  gzip -9n < CHANGELOG.md > "$doc/CHANGELOG.md.gz"
  { printf 'roundtable (%s) unstable; urgency=medium\n\n  * Release %s; see CHANGELOG.md.gz beside this file.\n\n -- Roundtable <hello@roundtable.invalid>  %s\n' \
      "$DEBVERSION" "$VERSION" "$(date -u -R)"; } | gzip -9n > "$doc/changelog.gz"
  cat > "$doc/copyright" <<COPY
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Roundtable
Source: https://github.com/roundtablehq/roundtable

Files: *
Copyright: 2026 Roundtable
License: proprietary
 All rights reserved. No licence has been chosen yet.
COPY
  chmod 644 "$doc"/*
  done_in $t

  t=$(date +%s); step "deb"
  # The libraries the two programs link against, as Debian names their packages.
  local deps
  mkdir -p "$work/shlibs/debian"
  printf 'Source: roundtable\n\nPackage: roundtable\nArchitecture: amd64\n' > "$work/shlibs/debian/control"
  deps=$(cd "$work/shlibs" && dpkg-shlibdeps -O "$OLDPWD/$root/usr/bin/roundtable" "$OLDPWD/$root/usr/libexec/roundtable/roundtable-window" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
  for need in libgtk-3-0 libwebkit2gtk-4.1-0; do
    case ", $deps" in *", $need "*|*", $need,"*|*", $need") ;; *) echo "dist: dpkg-shlibdeps did not list $need: $deps"; exit 1 ;; esac
  done
  mkdir -p "$root/DEBIAN"
  cat > "$root/DEBIAN/control" <<CONTROL
Package: roundtable
Version: $DEBVERSION
Architecture: amd64
Maintainer: Roundtable <hello@roundtable.invalid>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $deps
Section: mail
Priority: optional
Homepage: https://github.com/roundtablehq/roundtable
Description: run coaching groups over plain email
 Roundtable is a desktop app for a coach who runs small groups: masterminds,
 group coaching, micro-communities, course cohorts and 1:1 clients. Everything
 lives in one SQLite file on the coach's computer; members get announcements
 as normal email and reply from any mail program.
CONTROL
  rm -f "$out"/roundtable_*_amd64.deb "$out"/roundtable-*-linux-amd64.tar.gz
  dpkg-deb --root-owner-group -Zxz --build "$root" "$out/roundtable_${VERSION}_amd64.deb" >/dev/null
  done_in $t

  t=$(date +%s); step "tar.gz"
  local name=roundtable-$VERSION-linux-amd64
  mkdir -p "$work/tar/$name"
  cp -a "$root/usr/." "$work/tar/$name/"
  cat > "$work/tar/$name/README.txt" <<README
Roundtable $VERSION for Linux (x86-64)

Run bin/roundtable from here: with no command it opens the window
(libexec/roundtable/roundtable-window, which it finds from bin/), and
"bin/roundtable help" lists the commands. Copy bin/, libexec/ and share/ under
~/.local (or /usr/local) to get the menu entry and icons. The window needs GTK 3
and WebKitGTK 4.1 (Debian/Ubuntu: sudo apt install libgtk-3-0 libwebkit2gtk-4.1-0);
the commands need neither.
README
  tar -C "$work/tar" --owner=0 --group=0 --sort=name -czf "$out/$name.tar.gz" "$name"
  done_in $t
}

windows() {
  local t=$(date +%s) w=$work/win
  step "windows resources"
  mkdir -p "$w"
  convert build/appicon.png -depth 8 -define icon:auto-resize=256,64,48,32,16 "$w/icon.ico"
  sed "s/@WINVERSION@/$WINVERSION/" build/windows/roundtable.exe.manifest > "$w/roundtable.exe.manifest"
  sed -e "s/@VERSION@/$VERSION/g" -e "s/@WINCOMMAS@/${WINVERSION//./,}/g" build/windows/roundtable.rc.in > "$w/roundtable.rc"
  # go build links every .syso of the main package's folder.
  x86_64-w64-mingw32-windres -I "$w" -O coff -o rsrc_windows_amd64.syso "$w/roundtable.rc"
  done_in $t

  t=$(date +%s); step "windows binary (mingw-w64)"
  local ok=0
  GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++ \
    go build -tags "$TAGS" -ldflags "$LDFLAGS -H windowsgui" -o "$w/roundtable.exe" . || ok=$?
  rm -f rsrc_windows_amd64.syso
  [ $ok = 0 ] || exit $ok
  rm -f "$out"/roundtable-*-windows-amd64*.exe
  cp "$w/roundtable.exe" "$out/roundtable-$VERSION-windows-amd64.exe"
  done_in $t

  t=$(date +%s); step "windows installer (NSIS)"
  local webview2
  webview2=$(go list -m -f '{{.Dir}}' github.com/wailsapp/wails/v2)/internal/webview2runtime/MicrosoftEdgeWebview2Setup.exe
  [ -f "$webview2" ] || { echo "dist: no WebView2 bootstrapper at $webview2"; exit 1; }
  cp build/windows/roundtable.nsi "$w/"
  # The script finds icon.ico beside itself; every other path is absolute.
  (cd "$w" && makensis -V2 -DVERSION="$VERSION" -DWINVERSION="$WINVERSION" -DEXE="$PWD/roundtable.exe" \
    -DWEBVIEW2="$webview2" -DOUTFILE="$OLDPWD/$out/roundtable-$VERSION-windows-amd64-setup.exe" \
    roundtable.nsi >makensis.log) || { cat "$w/makensis.log"; exit 1; }
  done_in $t
}

case $only in
  linux) linux ;;
  windows) windows ;;
  *) linux; windows ;;
esac
ls -l "$out" | sed -n 's/^-[^ ]* *[0-9]* [^ ]* *[^ ]* *\([0-9]*\) .* \(roundtable.*\)$/dist: \2  \1 bytes/p'
