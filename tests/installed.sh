#!/bin/sh
# The installed application: installs the build into a fresh prefix and runs the installed riskdesk from there,
# far from the build tree. Checks the menu entry, the AppStream metadata and the icons that come with it.
#   installed.sh BUILD_DIR PREFIX VERSION
set -eu
build=$1 prefix=$2 version=$3
fail() { echo "installed.sh: $*" >&2; exit 1; }
rm -rf "$prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null || fail "cmake --install failed"
bin="$prefix/bin/riskdesk"
id=org.riskdesk.Riskdesk
[ -x "$bin" ] || fail "no $bin"
[ ! -e "$prefix/bin/riskdesk-bench" ] || fail "riskdesk-bench is a developer's tool and must not be installed"
[ ! -e "$prefix/bin/riskdesk-crashtest" ] || fail "riskdesk-crashtest must not be installed"

# Run from an empty folder elsewhere: nothing may come from the build tree or the working directory.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
[ "$("$bin" --version)" = "riskdesk $version" ] || fail "--version says \"$("$bin" --version)\", not riskdesk $version"
"$bin" demo --workspace "$work/demo.riskdesk" --exceptions 300 --board-scale 0 >/dev/null ||
    fail "the installed riskdesk cannot make a demo workspace"
# The translations travel with the program: Chinese from the installed binary alone.
"$bin" --lang zh_CN log verify --workspace "$work/demo.riskdesk" --tenant acme | grep -q "完整" ||
    fail "no Chinese from the installed riskdesk"
QT_QPA_PLATFORM=offscreen "$bin" --workspace "$work/demo.riskdesk" --screenshot "$work/window.png" >/dev/null ||
    fail "the installed riskdesk cannot draw its window"
[ -s "$work/window.png" ] || fail "no screenshot"

# The desktop's view of it: menu entry, metadata, icons.
desktop="$prefix/share/applications/$id.desktop"
metainfo="$prefix/share/metainfo/$id.metainfo.xml"
[ -s "$desktop" ] || fail "no $desktop"
[ -s "$metainfo" ] || fail "no $metainfo"
grep -q "^Exec=riskdesk" "$desktop" || fail "the menu entry does not start riskdesk"
grep -q "<release version=\"$version\"" "$metainfo" || fail "the metadata's release is not $version"
command -v desktop-file-validate >/dev/null || fail "desktop-file-validate is missing (scripts/install-deps)"
desktop-file-validate "$desktop" || fail "$desktop is not valid"
command -v appstreamcli >/dev/null || fail "appstreamcli is missing (scripts/install-deps)"
appstreamcli validate --no-net "$metainfo" >/dev/null || fail "$metainfo is not valid"
[ -s "$prefix/share/icons/hicolor/scalable/apps/$id.svg" ] || fail "no scalable icon"
for size in 48 64 128 256; do
    png="$prefix/share/icons/hicolor/${size}x${size}/apps/$id.png"
    [ -s "$png" ] || fail "no $png"
    # A PNG's IHDR holds the width and height as 4-byte big-endian numbers at bytes 16 and 20.
    [ "$(od -An -tu1 -j16 -N8 "$png" | tr -s ' ' | sed 's/^ //')" = "0 0 $((size / 256)) $((size % 256)) 0 0 $((size / 256)) $((size % 256))" ] ||
        fail "$png is not ${size}x${size}"
done
echo "installed riskdesk $version in $prefix: runs, translated, with its menu entry, metadata and icons"
