#!/usr/bin/env bash
# Installs what riskmap needs on Debian 12 that the Swift toolchain does not bring:
# GEOS, PROJ and libpng (-dev, linked by the build), Leaflet (copied into the viewer),
# with --test the Python oracles the tests compare against and the browser the viewer test drives
# (Debian's chromium + chromedriver, selenium, a CJK font, MapLibre GL JS from the maplibre wheel),
# with --bench-serve wrk for scripts/bench_serve.sh.
set -euo pipefail
packages=(libgeos-dev libproj-dev proj-data libpng-dev zlib1g-dev libjs-leaflet pkg-config)
[ "${1:-}" = "--test" ] && packages+=(chromium chromium-driver fonts-wqy-zenhei gdal-bin)
[ "${1:-}" = "--bench-serve" ] && packages+=(wrk)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ "${1:-}" = "--test" ] || [ "${1:-}" = "--bench" ]; then
  pyneed=(shapely pyproj prcoords mercantile Pillow numpy geojson-rewind pmtiles)
  # The statistics' oracles (RiskTests, scripts/bench_gi.sh): Gi* and FDR (esda), queen weights (libpysal,
  # reading shapes with geopandas), Mann-Kendall (pymannkendall).
  pyneed+=(esda libpysal pymannkendall geopandas)
  # jsonschema: the served TileJSON against its schema; prometheus_client: /metrics parsed (ServerTests).
  [ "${1:-}" = "--test" ] && pyneed+=(selenium maplibre==0.3.6 jsonschema prometheus_client)
  python3 - "${pyneed[@]}" <<'PY' || python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore "${pyneed[@]}"
import importlib.util, sys
names = {"Pillow": "PIL", "geojson-rewind": "geojson_rewind"}
bare = [p.split("==")[0] for p in sys.argv[1:]]
missing = [p for p in bare if importlib.util.find_spec(names.get(p, p)) is None]
sys.exit(1 if missing else 0)
PY
fi
