#!/usr/bin/env python3
"""Independent reader of riskmap's tile archives, for the end-to-end tests.

Usage: check_archives.py OUT_DIR LAYER MBTILES PMTILES
Reads MBTILES with sqlite3 (MBTiles 1.3 spec: metadata keys, TMS rows) and PMTILES with the `pmtiles`
package, and compares every tile with OUT_DIR/tiles/LAYER/{z}/{x}/{y}.png byte for byte. Prints a JSON
summary; exits 1 with the reason on the first disagreement.
"""
import json
import os
import sqlite3
import sys

from pmtiles.reader import MmapSource, Reader, all_tiles
from pmtiles.tile import Compression, TileType

out, layer, mbtiles, pmtiles_path = sys.argv[1:5]


def fail(msg):
    print(msg)
    sys.exit(1)


folder = {}
root = os.path.join(out, "tiles", layer)
for dirpath, _, files in os.walk(root):
    for f in files:
        z, x = (int(p) for p in os.path.relpath(dirpath, root).split(os.sep))
        folder[(z, x, int(f[:-4]))] = open(os.path.join(dirpath, f), "rb").read()
if not folder:
    fail(f"no tiles in {root}")

# MBTiles: metadata, then every tile with its TMS row flipped back to XYZ.
db = sqlite3.connect(mbtiles)
meta = dict(db.execute("SELECT name, value FROM metadata"))
for key in ("name", "format", "bounds", "center", "minzoom", "maxzoom"):
    if key not in meta:
        fail(f"MBTiles metadata lacks {key}")
if meta["format"] != "png":
    fail(f"MBTiles format {meta['format']}")
west, south, east, north = (float(v) for v in meta["bounds"].split(","))
if not (west < east and south < north):
    fail(f"MBTiles bounds {meta['bounds']}")
mb = {}
for z, x, row, data in db.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles"):
    mb[(z, x, (1 << z) - 1 - row)] = bytes(data)
if mb != folder:
    fail(f"MBTiles tiles differ from the folder: {len(mb)} vs {len(folder)}, "
         f"{len(set(mb) ^ set(folder))} positions differ")
zooms = sorted({k[0] for k in folder})
if int(meta["minzoom"]) > zooms[0] or int(meta["maxzoom"]) < zooms[-1]:
    fail(f"MBTiles zooms {meta['minzoom']}..{meta['maxzoom']} vs tiles {zooms}")

# PMTiles: header, metadata, and every tile through the package's own directory walk.
with open(pmtiles_path, "rb") as f:
    source = MmapSource(f)
    reader = Reader(source)
    header = reader.header()
    pm_meta = reader.metadata()
    pm = {(z, x, y): bytes(data) for (z, x, y), data in all_tiles(source)}
    for key in list(folder)[:50]:
        if reader.get(*key) != folder[key]:
            fail(f"PMTiles get{key} differs")
if header["tile_type"] != TileType.PNG or header["tile_compression"] != Compression.NONE:
    fail(f"PMTiles header {header}")
if not header["clustered"]:
    fail("PMTiles not clustered")
if pm != folder:
    fail(f"PMTiles tiles differ from the folder: {len(pm)} vs {len(folder)}")
contents = len(set(folder.values()))
if header["tile_contents_count"] != contents or header["addressed_tiles_count"] != len(folder):
    fail(f"PMTiles counts {header['tile_contents_count']}/{header['addressed_tiles_count']} vs {contents}/{len(folder)}")
print(json.dumps({"tiles": len(folder), "distinct": contents, "entries": header["tile_entries_count"],
                  "mbtiles_name": meta["name"], "pmtiles_name": pm_meta.get("name"),
                  "pm_minzoom": header["min_zoom"], "pm_maxzoom": header["max_zoom"]}))
