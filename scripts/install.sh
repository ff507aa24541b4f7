#!/usr/bin/env bash
# Builds riskmap and installs it under a prefix (default /usr/local):
#   PREFIX/bin/riskmap                        the program (the default style is built in)
#   PREFIX/share/riskmap/default.toml         the built-in style, as an example to edit for --style
#   PREFIX/share/riskmap/README.md
#   PREFIX/share/riskmap/leaflet/             the viewer's Leaflet, copied from Debian's libjs-leaflet
# Usage: scripts/install.sh [--prefix DIR] [--debug] [--no-build]
#   --debug     install the debug build instead of the release build
#   --no-build  install what the last `swift build` (of that configuration) made, without building
#               and without installing system packages (scripts/test.sh, right after its own build)
set -euo pipefail
prefix=/usr/local
config=release
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a folder" >&2; exit 2; }; prefix="$2"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    --debug) config=debug; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
repo=$(pwd)
case "$prefix" in /*) ;; *) prefix="$(pwd)/$prefix" ;; esac

if [ "$build" = 1 ]; then
  bash scripts/install-deps.sh
  swift build -c "$config"
fi
binary="$(swift build -c "$config" --show-bin-path)/riskmap"
[ -x "$binary" ] || { echo "install.sh: $binary not found: build first (swift build -c $config)" >&2; exit 1; }

# Root only where the prefix is not writable (the default /usr/local for a normal user).
SUDO=""
parent="$prefix"; while [ ! -e "$parent" ]; do parent=$(dirname "$parent"); done
if [ ! -w "$parent" ] && [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

share="$prefix/share/riskmap"
$SUDO install -d "$prefix/bin" "$share"
# Into a temporary name first, then renamed: a running riskmap keeps its file, a new one starts whole.
$SUDO install -m 755 "$binary" "$prefix/bin/.riskmap.new"
$SUDO mv -f "$prefix/bin/.riskmap.new" "$prefix/bin/riskmap"
$SUDO install -m 644 "$repo/styles/default.toml" "$share/default.toml"
$SUDO install -m 644 "$repo/README.md" "$share/README.md"
leaflet=/usr/share/javascript/leaflet
if [ -f "$leaflet/leaflet.css" ]; then
  # Debian's folder holds symlinks into other packages: copy what they point to (-L).
  $SUDO rm -rf "$share/leaflet"
  $SUDO cp -RL "$leaflet" "$share/leaflet"
  leaflet_note="$share/leaflet/ (from $leaflet)"
else
  leaflet_note="not copied: $leaflet is missing (apt-get install libjs-leaflet, or set RISKMAP_LEAFLET)"
fi

echo "installed riskmap $("$prefix/bin/riskmap" --version) ($config build):"
echo "  program      $prefix/bin/riskmap"
echo "  style        $share/default.toml (the built-in default, to copy and edit for --style)"
echo "  readme       $share/README.md"
echo "  leaflet      $leaflet_note"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "  note: $prefix/bin is not on PATH; add it, or run $prefix/bin/riskmap" ;; esac
