#!/usr/bin/env bash
# test.sh checks the packages `make dist` built (`make test-dist`):
#   .deb     lintian without errors, desktop file and AppStream metainfo valid,
#            unpacked into a scratch root (dpkg -x): the command-line program
#            links no GTK or WebKit, runs `version`, `clients import` and
#            `clients list --json`, and with no command execs the window program
#            (which runs `version` too), or says in a sentence why it cannot;
#   .tar.gz  holds the same files, and its command finds its window;
#   Windows  the NSIS installer installs silently under Wine (Start-menu entries,
#            uninstaller, Apps & features entry), the installed roundtable.exe runs
#            `version`, `clients import` of a CSV and `clients list --json`, and
#            the uninstaller removes it all again.
# Wine runs in a throwaway prefix, headless (the CLI never opens a window).
set -euo pipefail
cd "$(dirname "$0")/../.."

out=build/dist
VERSION=${VERSION:-$(scripts/version.sh)}
deb=$out/roundtable_${VERSION}_amd64.deb
tarball=$out/roundtable-$VERSION-linux-amd64.tar.gz
setup=$out/roundtable-$VERSION-windows-amd64-setup.exe
csv=$PWD/app/demo/data/clients.csv
scratch=$(mktemp -d /tmp/roundtable-dist.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
export ROUNDTABLE_KEYRING=off
fail() { echo "test-dist: FAIL: $*"; exit 1; }
ok() { echo "test-dist: ok   $*"; }
for f in "$deb" "$tarball" "$setup"; do [ -f "$f" ] || fail "$f is missing (run make dist)"; done

# --- Debian package ---
lintian --tag-display-limit 0 --fail-on error "$deb" >"$scratch/lintian.txt" 2>&1 || { cat "$scratch/lintian.txt"; fail "lintian found errors"; }
ok "lintian: $(grep -c '^E:' "$scratch/lintian.txt" || true) errors, $(grep -c '^W:' "$scratch/lintian.txt" || true) warnings"
deps=$(dpkg-deb -f "$deb" Depends)
for need in libgtk-3-0 libwebkit2gtk-4.1-0; do
  [[ $deps == *"$need"* ]] || fail "Depends lacks $need: $deps"
done
ok "Depends: $deps"
root=$scratch/root
dpkg -x "$deb" "$root"
for f in usr/bin/roundtable usr/libexec/roundtable/roundtable-window usr/share/applications/io.github.roundtablehq.Roundtable.desktop \
  usr/share/metainfo/io.github.roundtablehq.Roundtable.metainfo.xml \
  usr/share/icons/hicolor/48x48/apps/roundtable.png usr/share/icons/hicolor/512x512/apps/roundtable.png \
  usr/share/doc/roundtable/copyright usr/share/man/man1/roundtable.1.gz; do
  [ -e "$root/$f" ] || fail "the .deb lacks /$f"
done
desktop-file-validate "$root/usr/share/applications/io.github.roundtablehq.Roundtable.desktop" || fail "desktop file"
appstreamcli validate --no-net --pedantic "$root/usr/share/metainfo/io.github.roundtablehq.Roundtable.metainfo.xml" >"$scratch/as.txt" 2>&1 ||
  { grep -q '^E:' "$scratch/as.txt" && { cat "$scratch/as.txt"; fail "AppStream metainfo"; }; }
ok "desktop file and AppStream metainfo valid"

bin=$root/usr/bin/roundtable
window=$root/usr/libexec/roundtable/roundtable-window
ws=$scratch/linux.db
got=$("$bin" version)
[[ $got == "roundtable $VERSION "* ]] || fail "version: got '$got', want $VERSION"
[ "$("$window" version)" = "$got" ] || fail "the window program's version differs: $("$window" version)"
ok "installed programs: $got"
# The point of two programs: commands never load the web view.
needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
[[ $needed == *libc.so* ]] || fail "readelf found no libraries in $bin: '$needed'"
[[ $needed != *gtk* && $needed != *webkit* ]] || fail "the command-line program links the web view: $needed"
ok "the command-line program links only: $needed"
for b in "$bin" "$window"; do
  start=$(date +%s%N)
  "$b" version >/dev/null
  echo "test-dist: start time of the installed $(basename "$b") (version): $(( ($(date +%s%N) - start) / 1000000 )) ms"
done
# With no command, roundtable execs the window: a display that does not exist
# gets as far as GTK's own failure (so the window program ran), no display at
# all a sentence from the command line, and a missing window program one too.
err=$(DISPLAY=:nowhere "$bin" --workspace "$scratch/window.db" 2>&1) && fail "roundtable opened a window on no display"
[[ $err == *"failed to init GTK"* ]] || fail "roundtable did not exec the window program: $err"
err=$(env -u DISPLAY -u WAYLAND_DISPLAY "$bin" 2>&1) && fail "roundtable with no display exited 0"
[[ $err == *"There is no display"* ]] || fail "no display: got '$err'"
mkdir -p "$scratch/alone" && cp "$bin" "$scratch/alone/"
err=$(DISPLAY=:nowhere "$scratch/alone/roundtable" 2>&1) && fail "roundtable without its window exited 0"
[[ $err == *"The window is not installed"* ]] || fail "no window program: got '$err'"
ok "roundtable execs /usr/libexec/roundtable/roundtable-window; no display and no window program are sentences"
"$bin" --workspace "$ws" clients import "$csv" >/dev/null
n=$("$bin" --workspace "$ws" clients list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$n" = 40 ] || fail "clients list from the .deb's binary: got $n clients, want 40"
ok ".deb binary imported and listed $n clients"

# --- tar.gz: the same files as the .deb ---
tar -C "$scratch" -xzf "$tarball"
name=roundtable-$VERSION-linux-amd64
diff <(cd "$root/usr" && find . -type f | sort) <(cd "$scratch/$name" && find . -type f ! -name README.txt | sort) >/dev/null ||
  fail "the .tar.gz and the .deb hold different files"
cmp -s "$root/usr/bin/roundtable" "$scratch/$name/bin/roundtable" || fail "the .tar.gz has another binary"
cmp -s "$window" "$scratch/$name/libexec/roundtable/roundtable-window" || fail "the .tar.gz has another window program"
err=$(DISPLAY=:nowhere "$scratch/$name/bin/roundtable" --workspace "$scratch/window.db" 2>&1) && fail "the .tar.gz's roundtable opened a window on no display"
[[ $err == *"failed to init GTK"* ]] || fail "the .tar.gz's roundtable did not find its window program: $err"
ok ".tar.gz holds the .deb's files, and its roundtable finds its window"

# --- Windows under Wine ---
export WINEPREFIX=$scratch/wine WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
t=$(date +%s)
wineboot -i >/dev/null 2>&1 || true
# Go programs need bcryptprimitives.dll (ProcessPrng), which Debian 12's Wine 8.0
# lacks: give the throwaway prefix a stand-in (scripts/dist/bcryptprimitives.c).
x86_64-w64-mingw32-gcc -shared -O2 -s -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
  scripts/dist/bcryptprimitives.c -ladvapi32
wine "$setup" /S /SKIPWEBVIEW2 >/dev/null 2>&1 || fail "the installer failed"
wineserver -w
user=$(ls "$WINEPREFIX/drive_c/users" | grep -v Public | head -1)
home=$WINEPREFIX/drive_c/users/$user
inst="$home/AppData/Local/Programs/Roundtable"
menu="$home/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Roundtable"
[ -f "$inst/roundtable.exe" ] || fail "the installer put no roundtable.exe in $inst"
[ -f "$inst/uninstall.exe" ] || fail "no uninstaller"
[ -f "$menu/Roundtable.lnk" ] && [ -f "$menu/Uninstall Roundtable.lnk" ] || fail "no Start-menu entries in $menu"
wine reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Roundtable' /v DisplayVersion 2>/dev/null | grep -q "$VERSION" ||
  fail "no Apps & features entry with the version"
ok "installer: program, uninstaller, Start-menu entries, Apps & features entry ($(( $(date +%s) - t )) s with Wine's first start)"

exe='C:\users\'"$user"'\AppData\Local\Programs\Roundtable\roundtable.exe'
cp "$csv" "$WINEPREFIX/drive_c/clients.csv"
got=$(wine "$exe" version 2>/dev/null | tr -d '\r')
[[ $got == "roundtable $VERSION "* ]] || fail "roundtable.exe version: got '$got'"
ok "Wine: $got"
wine "$exe" clients import 'C:\clients.csv' 2>/dev/null | tr -d '\r' | grep -q "Imported 40" || fail "roundtable.exe clients import"
n=$(wine "$exe" clients list --json 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$n" = 40 ] || fail "roundtable.exe clients list --json: got $n clients, want 40"
[ -f "$home/AppData/Roaming/Roundtable/workspace.db" ] || fail "the default workspace is not in %AppData%\\Roundtable"
ok "Wine: imported and listed $n clients in %AppData%\\Roundtable\\workspace.db"

wine "$inst/uninstall.exe" /S "_?=C:\\users\\$user\\AppData\\Local\\Programs\\Roundtable" >/dev/null 2>&1 || fail "the uninstaller failed"
wineserver -w
rm -f "$inst/uninstall.exe" # with _?= the uninstaller cannot delete itself
[ ! -e "$inst/roundtable.exe" ] && [ ! -e "$menu" ] || fail "the uninstaller left the program or the Start-menu entries"
[ -f "$home/AppData/Roaming/Roundtable/workspace.db" ] || fail "the uninstaller removed the coach's workspace"
ok "uninstaller removed the program and menu entries, kept the workspace"
wineserver -k 2>/dev/null || true

ls -l "$out" | awk '/roundtable/ {printf "test-dist: size %s %d bytes\n", $NF, $5}'
echo "test-dist: all passed"
