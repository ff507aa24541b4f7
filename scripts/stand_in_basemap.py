#!/usr/bin/env python3
"""A stand-in GCJ-02 basemap for the browser test (Tests/ServerTests/BrowserTests.swift): XYZ tiles of
one zoom drawn like an Amap/Tencent basemap would draw two known places, served over HTTP on loopback.

It picks a community of the boundaries folder (WGS-84) and two places of it: a point well inside
(`inside`) and the nearest corner of its outline (`corner`). prcoords converts both to GCJ-02 and
mercantile gives their pixels; the tiles are light grey with a magenta disc at `inside` and a cyan dot at
`corner`. A viewer that lines up with a GCJ-02 basemap draws that community's fill under the magenta
disc and its outline through the cyan dot.

usage: stand_in_basemap.py --boundaries DIR --tiles DIR [--zoom 16]
Prints one JSON line (the URL template and the places, WGS-84 and GCJ-02), then serves until killed."""
import argparse, functools, http.server, json, os, signal, warnings

import mercantile
import prcoords
from PIL import Image, ImageDraw
from shapely.geometry import Point, shape

warnings.simplefilter("ignore")
BACKGROUND, MAGENTA, CYAN = (208, 208, 208, 255), (255, 0, 255, 255), (0, 255, 255, 255)


def gcj(lon, lat):
    c = prcoords.wgs_gcj(prcoords.Coords(lat, lon))
    return c.lon, c.lat


def world_pixel(lon, lat, zoom):
    x, y = mercantile.xy(lon, lat)
    half = 20037508.342789244
    n = 256 * 2 ** zoom
    return (x + half) / (2 * half) * n, (half - y) / (2 * half) * n


def places(boundaries):
    """The community whose inner point lies nearest to a corner of its outline, and those two places."""
    with open(os.path.join(boundaries, "communities.geojson"), encoding="utf-8") as f:
        features = json.load(f)["features"]
    best = None
    for feature in sorted(features, key=lambda f: str(f["properties"]["id"])):
        zone = shape(feature["geometry"])
        inner = zone.buffer(-0.0005)  # ~50 m inside
        if inner.is_empty:
            continue
        p = inner.representative_point()
        ring = zone.exterior if zone.geom_type == "Polygon" else max(zone.geoms, key=lambda g: g.area).exterior
        corner = min(ring.coords, key=lambda c: Point(c).distance(p))
        d = Point(corner).distance(p)
        if best is None or d < best[0]:
            best = (d, str(feature["properties"]["id"]), (p.x, p.y), corner)
    return best[1], best[2], best[3]


def draw(folder, zoom, marks):
    """Tiles of `zoom` around the marks (a 1400 × 1000 px window: more than the browser shows)."""
    cx = sum(m[0] for m, _, _ in marks) / len(marks)
    cy = sum(m[1] for m, _, _ in marks) / len(marks)
    for tx in range(int((cx - 700) // 256), int((cx + 700) // 256) + 1):
        for ty in range(int((cy - 500) // 256), int((cy + 500) // 256) + 1):
            im = Image.new("RGBA", (256, 256), BACKGROUND)
            d = ImageDraw.Draw(im)
            for (px, py), radius, colour in marks:
                x, y = px - tx * 256, py - ty * 256
                d.ellipse([x - radius, y - radius, x + radius, y + radius], fill=colour)
            os.makedirs(os.path.join(folder, str(zoom), str(tx)), exist_ok=True)
            im.save(os.path.join(folder, str(zoom), str(tx), f"{ty}.png"))


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main():
    # A child of the test process inherits its blocked signals: let the test's terminate() end it.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    ap = argparse.ArgumentParser()
    ap.add_argument("--boundaries", required=True)
    ap.add_argument("--tiles", required=True)
    ap.add_argument("--zoom", type=int, default=16)
    args = ap.parse_args()
    zone, inside, corner = places(args.boundaries)
    inside_gcj, corner_gcj = gcj(*inside), gcj(*corner)
    draw(args.tiles, args.zoom, [(world_pixel(*inside_gcj, args.zoom), 6, MAGENTA),
                                 (world_pixel(*corner_gcj, args.zoom), 3, CYAN)])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=args.tiles))
    url = f"http://127.0.0.1:{server.server_address[1]}/{{z}}/{{x}}/{{y}}.png"
    print(json.dumps({"url": url, "zoom": args.zoom, "zone": zone, "inside": inside, "corner": list(corner),
                      "inside_gcj02": inside_gcj, "corner_gcj02": corner_gcj}), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
