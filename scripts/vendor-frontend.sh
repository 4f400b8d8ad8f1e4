#!/usr/bin/env bash
# How the front-end files in src/sitrep/web/static/vendor/ were obtained: `npm pack` of pinned versions
# from the npm registry, unpacked in a temp dir, and only the files the pages load (plus each package's
# licence) copied in. The result is committed; nothing is fetched when sitrep runs or is installed.
# Re-run only to upgrade a pin:  bash scripts/vendor-frontend.sh
set -euo pipefail

LEAFLET=1.9.4
MARKERCLUSTER=1.5.3
WORLD_ATLAS=2.0.2
TOPOJSON_CLIENT=3.1.0

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/src/sitrep/web/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

unpack() {  # unpack NAME VERSION -> $WORK/NAME/package
    local name="$1" version="$2"
    mkdir -p "$WORK/$name"
    (cd "$WORK/$name" && npm pack --silent "$name@$version" >/dev/null && tar xzf ./*.tgz)
}

unpack leaflet "$LEAFLET"
unpack leaflet.markercluster "$MARKERCLUSTER"
unpack world-atlas "$WORLD_ATLAS"
unpack topojson-client "$TOPOJSON_CLIENT"

rm -rf "$DEST"
mkdir -p "$DEST/leaflet/images" "$DEST/leaflet.markercluster" "$DEST/world-atlas" "$DEST/topojson-client"

L="$WORK/leaflet/package"
cp "$L/dist/leaflet.js" "$L/dist/leaflet.css" "$L/LICENSE" "$DEST/leaflet/"
cp "$L/dist/images/"*.png "$DEST/leaflet/images/"

M="$WORK/leaflet.markercluster/package"
cp "$M/dist/leaflet.markercluster.js" "$M/dist/MarkerCluster.css" "$M/dist/MarkerCluster.Default.css" \
   "$M/MIT-LICENCE.txt" "$DEST/leaflet.markercluster/"

W="$WORK/world-atlas/package"
cp "$W/countries-50m.json" "$W/LICENSE" "$DEST/world-atlas/"

T="$WORK/topojson-client/package"
cp "$T/dist/topojson-client.min.js" "$T/LICENSE" "$DEST/topojson-client/"

cat > "$DEST/VERSIONS.txt" <<VERSIONS
leaflet $LEAFLET (BSD-2-Clause)
leaflet.markercluster $MARKERCLUSTER (MIT)
world-atlas $WORLD_ATLAS (ISC; boundaries from Natural Earth, public domain)
topojson-client $TOPOJSON_CLIENT (ISC)
VERSIONS

find "$DEST" -type d -exec chmod 755 {} + && find "$DEST" -type f -exec chmod 644 {} +
du -sh "$DEST"/* >&2
