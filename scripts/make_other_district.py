#!/usr/bin/env python3
"""Make boundaries/nyc: a second test district from real outlines that the demo generator did not make.

Source: the NYC borough boundaries (NYC Department of City Planning, "nybb" release 16a) shipped as
geopandas/datasets/nybb_16a.zip in the PyPI wheel geopandas==0.14.4: a shapefile in EPSG:2263
(NAD83 / New York Long Island, US survey feet). The boroughs are real; the communities and posts are
not the city's community districts: each borough is cut by Voronoi cells of seeded k-means centres
(communities), and each community again (posts). Cases are synthetic, seeded, with their truth.

    pip download geopandas==0.14.4 --no-deps -d /tmp
    python3 scripts/make_other_district.py --wheel /tmp/geopandas-0.14.4-py3-none-any.whl --out boundaries/nyc

Needs shapely>=2.1, pyproj, numpy. Same arguments give the same files.
"""
import argparse
import csv
import io
import json
import random
import struct
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pyproj
import shapely
import shapely.prepared
from shapely.geometry import MultiPolygon, Point, Polygon

CRS_NAME = "urn:ogc:def:crs:EPSG::2263"
DECIMALS = 2            # coordinates in feet, rounded to 0.01 ft (3 mm): slivers stay far below check's 5 cm
SIMPLIFY_FT = 20.0      # outline simplification (coverage-preserving)
MIN_PART_FT2 = 200_000  # islands smaller than ~1.9 ha are dropped

# BoroCode → (name, abbreviation, county, five-digit county FIPS code used in post ids).
BOROUGHS = {
    1: ("Manhattan", "MN", "New York County", 36061),
    2: ("Bronx", "BX", "Bronx County", 36005),
    3: ("Brooklyn", "BK", "Kings County", 36047),
    4: ("Queens", "QN", "Queens County", 36081),
    5: ("Staten Island", "SI", "Richmond County", 36085),
}
COMMUNITIES_PER_BOROUGH = {1: 6, 2: 6, 3: 10, 4: 12, 5: 3}


# ---------------------------------------------------------------- reading the shapefile (no pyshp needed)

def read_nybb(wheel):
    with zipfile.ZipFile(wheel) as w:
        inner = zipfile.ZipFile(io.BytesIO(w.read("geopandas/datasets/nybb_16a.zip")))
    shp, dbf = inner.read("nybb.shp"), inner.read("nybb.dbf")
    return dict(zip(read_dbf_codes(dbf), read_polygons(shp)))


def read_dbf_codes(dbf):
    """The BoroCode column of nybb.dbf, record by record."""
    count, header_len, record_len = struct.unpack("<IHH", dbf[4:12])
    fields, offset, i = {}, 1, 32  # each record starts with a deletion flag byte
    while dbf[i] != 0x0D:
        name = dbf[i:i + 11].split(b"\0")[0].decode()
        fields[name] = (offset, dbf[i + 16])
        offset += dbf[i + 16]
        i += 32
    start, width = fields["BoroCode"]
    return [int(dbf[header_len + r * record_len + start:][:width]) for r in range(count)]


def read_polygons(shp):
    """Polygon records (shape type 5): outer rings clockwise, holes counter-clockwise."""
    out, pos = [], 100
    while pos < len(shp):
        _, length = struct.unpack(">ii", shp[pos:pos + 8])
        body = shp[pos + 8:pos + 8 + 2 * length]
        pos += 8 + 2 * length
        shape_type, = struct.unpack("<i", body[:4])
        assert shape_type == 5, f"shape type {shape_type}"
        num_parts, num_points = struct.unpack("<ii", body[36:44])
        parts = list(struct.unpack(f"<{num_parts}i", body[44:44 + 4 * num_parts])) + [num_points]
        xy = np.frombuffer(body[44 + 4 * num_parts:44 + 4 * num_parts + 16 * num_points], dtype="<f8").reshape(-1, 2)
        rings = [xy[parts[k]:parts[k + 1]] for k in range(num_parts)]
        outers = [Polygon(r) for r in rings if not shapely.LinearRing(r).is_ccw]
        holes = [Polygon(r) for r in rings if shapely.LinearRing(r).is_ccw]
        shells = []
        for o in outers:
            inside = [h.exterior.coords for h in holes if o.contains(h.representative_point())]
            shells.append(shapely.make_valid(Polygon(o.exterior.coords, inside)))
        out.append(shapely.union_all(shells))
    return out


# ---------------------------------------------------------------- geometry

def rounded(geom):
    """Every vertex rounded to DECIMALS: a per-vertex function, so shared vertices stay shared."""
    return shapely.transform(geom, lambda xy: np.round(xy, DECIMALS))


def polygons_of(geom):
    parts = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon) and not g.is_empty]
    return MultiPolygon(parts) if parts else MultiPolygon()


def clean_polygonal(geom):
    geom = shapely.make_valid(geom)
    return polygons_of(shapely.union_all([g for g in getattr(geom, "geoms", [geom]) if isinstance(g, (Polygon, MultiPolygon))]))


def split(geom, k, rng):
    """`geom` cut into k pieces by the Voronoi cells of k-means centres of random points inside it."""
    minx, miny, maxx, maxy = geom.bounds
    pts = []
    prepared = shapely.prepared.prep(geom)
    while len(pts) < 60 * k:
        xs = rng.uniform(minx, maxx, 4000)
        ys = rng.uniform(miny, maxy, 4000)
        pts += [(x, y) for x, y in zip(xs, ys) if prepared.contains(Point(x, y))]
    pts = np.array(pts[:60 * k])
    centres = pts[rng.choice(len(pts), k, replace=False)]
    for _ in range(30):  # Lloyd / k-means: roughly equal pieces
        nearest = np.argmin(((pts[:, None, :] - centres[None, :, :]) ** 2).sum(-1), axis=1)
        centres = np.array([pts[nearest == j].mean(0) if (nearest == j).any() else centres[j] for j in range(k)])
    # Voronoi vertices rounded first, so that the cells share exactly the same edges.
    cells = shapely.voronoi_polygons(shapely.MultiPoint(centres), extend_to=geom.envelope.buffer(10_000))
    pieces = [clean_polygonal(rounded(shapely.intersection(geom, rounded(c)))) for c in cells.geoms]
    # Order pieces west→east then north→south so that the numbering reads like a map.
    pieces = [p for p in pieces if p.area > 0]
    pieces.sort(key=lambda p: (-round(p.centroid.y / 20_000), p.centroid.x))
    return pieces


def ring_coords(ring, ccw):
    coords = list(ring.coords)
    if shapely.LinearRing(coords).is_ccw != ccw:
        coords.reverse()
    return [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in coords]


def geometry_json(geom):
    polys = [[ring_coords(p.exterior, True)] + [ring_coords(h, False) for h in p.interiors] for p in geom.geoms]
    return {"type": "MultiPolygon", "coordinates": polys}


def write_level(path, features):
    doc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": CRS_NAME}},
           "features": [{"type": "Feature", "id": props["id"], "properties": props, "geometry": geometry_json(g)}
                        for props, g in features]}
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    # One feature a line keeps diffs readable.
    path.write_text(text.replace(',{"type":"Feature"', ',\n{"type":"Feature"') + "\n", encoding="utf-8")


# ---------------------------------------------------------------- zones

def make_zones(wheel, seed):
    rng = np.random.default_rng(seed)
    raw = read_nybb(wheel)
    boroughs = {}
    for code in sorted(raw):
        geom = polygons_of(raw[code])
        geom = MultiPolygon([p for p in geom.geoms if p.area >= MIN_PART_FT2])
        boroughs[code] = geom
    codes = sorted(boroughs)
    simplified = shapely.coverage_simplify([boroughs[c] for c in codes], SIMPLIFY_FT)
    boroughs = {c: clean_polygonal(rounded(g)) for c, g in zip(codes, simplified)}

    streets, communities, posts = [], [], []
    for code in codes:
        name, abbr, county, fips = BOROUGHS[code]
        aliases = [county, abbr] + (["The Bronx"] if code == 2 else [])
        streets.append(({"id": code, "name": name, "aliases": aliases}, boroughs[code]))
        for n, piece in enumerate(split(boroughs[code], COMMUNITIES_PER_BOROUGH[code], rng), start=1):
            cid = code * 100 + n  # like NYC's community district numbers: 303 = Brooklyn CB03
            # Staten Island's exporter wrote its codes as floating point numbers (501.0): ids must still read "501".
            cid_json = float(cid) if code == 5 else cid
            parent_json = float(code) if code == 5 else code
            cname = f"{name} Community {n:02d}"
            communities.append(({"id": cid_json, "name": cname, "parent": parent_json, "aliases": [f"{abbr} CB{n:02d}"]},
                                piece))
            k = 2 + int(rng.integers(0, 3))
            for p, post in enumerate(split(piece, k, rng), start=1):
                pid = fips * 1_000_000 + n * 1000 + p  # eleven-digit codes: 36047003002
                posts.append(({"id": pid, "name": f"{cname} Post {p}", "parent": cid_json}, post))
    return streets, communities, posts


# ---------------------------------------------------------------- cases

CATEGORIES = ["noise", "Noise complaint", "construction noise", "cooking fumes", "restaurant cooking smell",
              "odor", "bad smell", "dust", "construction dust", "sewage", "wastewater", "garbage",
              "solid waste", "exhaust", "噪声", "油烟", "扬尘"]
STREETS = ["Main St", "Broadway", "5th Ave", "Atlantic Ave", "Ocean Pkwy", "Grand Concourse", "Victory Blvd",
           "Queens Blvd", "Jamaica Ave"]
FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"}


def point_inside(geom, margin, rnd):
    """A random point at least `margin` feet inside `geom`."""
    inner = geom.buffer(-margin)
    if inner.is_empty:
        inner = geom.buffer(-margin / 4)
    minx, miny, maxx, maxy = inner.bounds
    while True:
        p = Point(rnd.uniform(minx, maxx), rnd.uniform(miny, maxy))
        if inner.contains(p):
            return p


def community_address(name, alias, n, borough, rnd):
    """One of the forms people write a community in."""
    number = f"{n:02d}"
    door = f"{rnd.randint(1, 399)} {rnd.choice(STREETS)}"
    forms = [
        name,
        name.lower().replace(f" {number}", f" {n}"),
        alias,
        alias.replace(f"CB{number}", f"CB{n}"),
        f"{door}, {name}",
        f"{name}, {door}",
        f"  {name.replace(' ', '   ')} . ",
        f"{name.upper()}!",
        "".join(FULL_WIDTH.get(c, c) for c in name),
        f"{borough} - {alias.lower()}",
    ]
    return rnd.choice(forms)


def make_cases(streets, communities, posts, seed, count):
    rnd = random.Random(seed)
    to_wgs84 = pyproj.Transformer.from_crs("EPSG:2263", "EPSG:4326", always_xy=True)
    as_of = datetime(2026, 11, 22)
    post_list = [(props, g) for props, g in posts]
    weights = [g.area ** 0.5 for _, g in post_list]
    community_by_id = {int(p["id"]): (p, g) for p, g in communities}
    street_by_id = {int(p["id"]): (p, g) for p, g in streets}
    rows, truth = [], []

    def when():
        t = as_of - timedelta(days=rnd.uniform(0.2, 29.5))
        return t.strftime("%Y-%m-%d %H:%M:%S")

    def add(row, status, street="", community="", post="", method=""):
        row["id"] = f"NYC{len(rows) + 1:05d}"
        rows.append(row)
        truth.append({"id": row["id"], "status": status, "street": street, "community": community, "post": post,
                      "method": method})

    for i in range(count):
        kind = rnd.random()
        category = rnd.choice(CATEGORIES)
        if kind < 0.62:  # coordinates, in feet or in degrees
            props, g = rnd.choices(post_list, weights)[0]
            p = point_inside(g, 40.0, rnd)
            community, _ = community_by_id[int(props["parent"])]
            street = str(int(community["parent"]))
            if rnd.random() < 0.5:
                x, y, crs = f"{p.x:.2f}", f"{p.y:.2f}", rnd.choice(["EPSG:2263", "epsg:2263"])
            else:
                lon, lat = to_wgs84.transform(p.x, p.y)
                x, y, crs = f"{lon:.7f}", f"{lat:.7f}", rnd.choice(["wgs84", "EPSG:4326"])
            address = rnd.choice(["", f"{rnd.randint(1, 399)} {rnd.choice(STREETS)}"])
            add({"received_at": when(), "category": category, "address": address, "lon": x, "lat": y, "crs": crs},
                "located", street, str(int(community["id"])), str(props["id"]), "coordinates")
        elif kind < 0.92:  # only a community's name or alias in the address
            props, _ = rnd.choice(communities)
            cid = int(props["id"])
            borough = BOROUGHS[int(props["parent"])][0]
            address = community_address(props["name"], props["aliases"][0], cid % 100, borough, rnd)
            add({"received_at": when(), "category": category, "address": address, "lon": "", "lat": "", "crs": ""},
                "located", str(int(props["parent"])), str(cid), "", "name")
        elif kind < 0.97:  # only a borough
            props, _ = rnd.choice(streets)
            address = rnd.choice([props["name"], props["aliases"][0], f"{rnd.randint(1, 399)} {rnd.choice(STREETS)}, {props['name']}"])
            add({"received_at": when(), "category": category, "address": address, "lon": "", "lat": "", "crs": ""},
                "located", str(props["id"]), "", "", "name")
        elif kind < 0.985:  # a place that is not on the map
            address = rnd.choice(["Jersey City, NJ", "Newark, NJ", "Hoboken, New Jersey", "Yonkers, NY"])
            add({"received_at": when(), "category": category, "address": address, "lon": "", "lat": "", "crs": ""},
                "rejected")
        else:  # no date
            props, g = rnd.choices(post_list, weights)[0]
            p = point_inside(g, 40.0, rnd)
            add({"received_at": "", "category": category, "address": "", "lon": f"{p.x:.2f}", "lat": f"{p.y:.2f}",
                 "crs": "EPSG:2263"}, "rejected")
    # A few points outside the map: in the Hudson off Jersey City, and in New Jersey itself.
    for lon, lat in [(-74.0776, 40.7282), (-74.1724, 40.7357), (-74.0323, 40.7440)]:
        add({"received_at": when(), "category": "noise", "address": "", "lon": f"{lon}", "lat": f"{lat}", "crs": "wgs84"},
            "rejected")
    return rows, truth


def write_csv(path, fields, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wheel", default="/tmp/geopandas-0.14.4-py3-none-any.whl")
    ap.add_argument("--out", default="boundaries/nyc")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--cases", type=int, default=2400)
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    streets, communities, posts = make_zones(args.wheel, args.seed)
    write_level(out / "streets.geojson", streets)
    write_level(out / "communities.geojson", communities)
    write_level(out / "posts.geojson", posts)
    rows, truth = make_cases(streets, communities, posts, args.seed, args.cases)
    write_csv(out / "cases.csv", ["id", "received_at", "category", "address", "lon", "lat", "crs"], rows)
    write_csv(out / "truth.csv", ["id", "status", "street", "community", "post", "method"], truth)
    print(f"{out}: {len(streets)} boroughs, {len(communities)} communities, {len(posts)} posts, {len(rows)} cases")


if __name__ == "__main__":
    main()
