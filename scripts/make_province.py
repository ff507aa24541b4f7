#!/usr/bin/env python3
"""A synthetic province for the scale ladder (issue 16, part 4), deterministic for a given seed (and,
for cases, a given --rows: the rows are drawn in chunks of 100,000, so 1e5 rows are not a prefix of 1e6).

    python3 scripts/make_province.py boundaries --cities K --out DIR [--city-km2 A] [--seed S]
    python3 scripts/make_province.py cases --boundaries DIR --rows N --out FILE.csv [--seed S]

`boundaries` writes a riskmap boundaries folder (streets.geojson, communities.geojson, posts.geojson):
16 cities in a 4 × 4 block around 113°E, 23°N (WGS-84), the first K of them in Morton order, so
×1 is one city, ×4 a 2 × 2 block and ×16 the whole province. Every city has the same size and the
same structure: 6 districts → 8 streets each → 13–26 communities per street (≈ 940 per city, ≈ 15,000
in the province) → 3–4 sentinel posts per community as Point features.

Shapes are exact by construction: each city is cut into ≈ 14 small "atoms" per community (a Voronoi
tessellation of random seeds clipped to the city's wavy outline), and every zone of every level is the
union of whole atoms, assigned to the nearest seed of the level after a smooth warp of the plane. So
communities tile their street with no gap or overlap, streets tile their district, and every vertex of
a zone is an atom vertex shared, to the bit, with its neighbours and its parent (rounding to 7 decimals
keeps them shared). Community outlines come out with a few dozen vertices and wander like real ones.

Riskmap knows streets, communities and posts; cities and districts are in the ids (`C03-D2-S07`,
`C03-D2-S07-17`, `C03-D2-S07-17-P2`), in each street's alias (珠川城一河明: city, district, street) and
its extra `city` and `district` properties.

`cases` streams N rows to a CSV (never holding them): ids PV000000001…, received_at over the 60 days
up to --as-of (2026-11-30 by default), a category in the style's words, an address (the street's and
community's names, one of 10 roads and a door number 1–60: ≈ 600 buildings per community, so that
addresses repeat as in real exports), lon/lat for 92 % of the rows; 7 % carry only the address (the
gazetteer-less geocoder places them by the community's name) and 1 % only an address it cannot place
(rejected). 65 % of the points cluster around hotspots (about one per 30 communities, 200–1,500 m
wide), the rest spread over the communities; all lie inside the cities of the boundaries folder.
"""
import argparse
import datetime as dt
import json
import math
import os
import sys

import numpy as np
import shapely
import shapely.affinity
import shapely.geometry
from shapely.geometry import MultiPoint, Polygon

LON0, LAT0 = 113.0, 23.0           # the province's centre
M_PER_DEG_LAT = 111_320.0
M_PER_DEG_LON = M_PER_DEG_LAT * math.cos(math.radians(LAT0))
GRID = 4                            # 4 × 4 cities
DISTRICTS, STREETS_PER_DISTRICT = 6, 8
COMMUNITIES_PER_STREET = (13, 26)   # uniform; mean 19.5 → ≈ 936 per city
ATOMS_PER_COMMUNITY = 14
CATEGORIES = ["噪声", "油烟", "异味", "废气", "扬尘", "污水", "固废", "噪音", "餐饮油烟", "施工扬尘"]
CATEGORY_P = [0.30, 0.18, 0.10, 0.08, 0.12, 0.07, 0.08, 0.03, 0.02, 0.02]
# Syllables for names: unique two- and three-character stems (no real place names needed).
SYL = list("东南西北中新华兴隆安宁康泰和平福寿长乐金银玉翠青松柏桂兰梅竹荷湖江河海山岭岗塘湾洲沙田园"
           "林峰石桥龙凤鹤鹏云霞星月明光辉荣盛昌茂丰源泉清秀")
CITY_NAMES = ["珠川", "榕城", "滨海", "云岭", "鹏江", "禾田", "凤岗", "翠屏",
              "金沙", "银湖", "龙津", "松阳", "桂林", "梅江", "荷塘", "星河"]
DISTRICT_NAMES = ["城一", "城二", "新区", "港区", "北区", "南区"]
ROADS = ["建设路", "人民路", "解放路", "中山路", "环城路", "工业大道", "文化街", "兴业路", "滨江路", "新港路"]


# ------------------------------------------------------------------------------------------------
# plane ↔ WGS-84 (a local equirectangular plane about the province's centre: metres, exact inverse)

def to_lonlat(x, y):
    return LON0 + np.asarray(x) / M_PER_DEG_LON, LAT0 + np.asarray(y) / M_PER_DEG_LAT


def to_plane(lon, lat):
    return (np.asarray(lon) - LON0) * M_PER_DEG_LON, (np.asarray(lat) - LAT0) * M_PER_DEG_LAT


def morton(i):
    """The i-th city's (column, row) in Morton order: the first 4 form a 2 × 2 block."""
    cx = cy = 0
    for b in range(4):
        cx |= ((i >> (2 * b)) & 1) << b
        cy |= ((i >> (2 * b + 1)) & 1) << b
    return cx, cy


def city_outline(rng, cx, cy, side):
    """A wavy blob of area ≈ side² inside its grid cell (pitch = 1.08 × side, so cities never touch)."""
    pitch = side * 1.08
    ox, oy = (cx - GRID / 2 + 0.5) * pitch, (cy - GRID / 2 + 0.5) * pitch
    t = np.linspace(0, 2 * np.pi, 240, endpoint=False)
    # a squircle (|x|^4 + |y|^4 = 1) with a few low harmonics: non-rectangular, still filling the cell
    sx, sy = np.sign(np.cos(t)) * np.abs(np.cos(t)) ** 0.5, np.sign(np.sin(t)) * np.abs(np.sin(t)) ** 0.5
    wobble = 1 + sum(rng.uniform(-0.025, 0.025) * np.sin(k * t + rng.uniform(0, 2 * np.pi)) for k in (3, 5, 7, 11))
    r = side / 2 * wobble
    poly = Polygon(np.column_stack([ox + sx * r, oy + sy * r]))
    return shapely.affinity.scale(poly, *(2 * [math.sqrt(side * side / poly.area)]), origin=(ox, oy))


def spread(rng, poly, n, candidates=8):
    """n points inside poly, roughly evenly spread (best of a few random candidates each time)."""
    minx, miny, maxx, maxy = poly.bounds
    pts = []
    shapely.prepare(poly)
    while len(pts) < n:
        cand = rng.uniform((minx, miny), (maxx, maxy), size=(candidates * 4, 2))
        cand = cand[shapely.contains_xy(poly, cand[:, 0], cand[:, 1])][:candidates]
        if len(cand) == 0:
            continue
        if pts:
            d = np.min(np.linalg.norm(cand[:, None, :] - np.array(pts)[None, :, :], axis=2), axis=1)
            pts.append(cand[int(np.argmax(d))])
        else:
            pts.append(cand[0])
    return np.array(pts)


def uniform_in(rng, poly, n):
    """n uniformly random points inside poly (rejection from its box)."""
    minx, miny, maxx, maxy = poly.bounds
    out = np.empty((0, 2))
    while len(out) < n:
        cand = rng.uniform((minx, miny), (maxx, maxy), size=(n, 2))
        out = np.vstack([out, cand[shapely.contains_xy(poly, cand[:, 0], cand[:, 1])]])
    return out[:n]


def warp(rng, scale, amp):
    """A smooth displacement field (sum of random plane waves): nearest-seed regions of warped points
    get wandering borders instead of straight Voronoi edges."""
    waves = [(rng.normal(size=2) / scale, rng.uniform(0, 2 * np.pi), rng.uniform(0, 2 * np.pi)) for _ in range(4)]

    def f(xy):
        dx = sum(np.sin(xy @ k + p) for k, p, _ in waves)
        dy = sum(np.cos(xy @ k + q) for k, _, q in waves)
        return xy + amp / 2 * np.column_stack([dx, dy])
    return f


def nearest(points, seeds):
    d = ((points[:, None, :] - seeds[None, :, :]) ** 2).sum(axis=2)
    return np.argmin(d, axis=1)


def assign(rng, atoms_xy, members, n_seeds, region_scale):
    """Split the atoms `members` (indices) into n_seeds nearest-seed regions of the warped plane; every
    region gets at least one atom (seeds are atoms' own centres)."""
    pts = atoms_xy[members]
    seeds = pts[rng.choice(len(pts), size=n_seeds, replace=False)]
    # Lloyd steps on the atoms even the regions out
    for _ in range(4):
        lab = nearest(pts, seeds)
        seeds = np.array([pts[lab == k].mean(axis=0) if np.any(lab == k) else seeds[k] for k in range(n_seeds)])
    w = warp(rng, region_scale, region_scale * 0.35)
    lab = nearest(w(pts), w(seeds))
    # a seed that lost every atom to the warp takes the atom nearest to it
    for k in range(n_seeds):
        if not np.any(lab == k):
            lab[int(np.argmin(((pts - seeds[k]) ** 2).sum(axis=1)))] = k
    return [members[lab == k] for k in range(n_seeds)]


def syllable_names(rng, count, length):
    """count distinct names of `length` syllables, in a seeded order."""
    names, seen = [], set()
    while len(names) < count:
        s = "".join(rng.choice(SYL, size=length))
        if s not in seen and len(set(s)) == length:
            seen.add(s)
            names.append(s)
    return names


# ------------------------------------------------------------------------------------------------
# boundaries

def ring_ll(coords):
    lon, lat = to_lonlat(*np.asarray(coords).T)
    return [[round(float(a), 7), round(float(b), 7)] for a, b in zip(lon, lat)]


def geometry_ll(g):
    g = shapely.geometry.polygon.orient(g) if g.geom_type == "Polygon" else g
    polys = [g] if g.geom_type == "Polygon" else [shapely.geometry.polygon.orient(p) for p in g.geoms]
    rings = [[ring_ll(p.exterior.coords)] + [ring_ll(i.coords) for i in p.interiors] for p in polys]
    if len(rings) == 1:
        return {"type": "Polygon", "coordinates": rings[0]}
    return {"type": "MultiPolygon", "coordinates": rings}


def write_fc(path, features):
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"type": "FeatureCollection", "features": [\n')
        for i, feat in enumerate(features):
            f.write(("," if i else "") + json.dumps(feat, ensure_ascii=False, separators=(",", ":")) + "\n")
        f.write("]}\n")


def make_city(index, side, seed, stems):
    rng = np.random.default_rng([seed, index])
    cx, cy = morton(index)
    outline = city_outline(rng, cx, cy, side)
    n_comm = [int(rng.integers(COMMUNITIES_PER_STREET[0], COMMUNITIES_PER_STREET[1] + 1))
              for _ in range(DISTRICTS * STREETS_PER_DISTRICT)]
    n_atoms = sum(n_comm) * ATOMS_PER_COMMUNITY
    seeds = uniform_in(rng, outline, n_atoms)
    cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=outline.envelope.buffer(side))
    atoms = [c.intersection(outline) for c in cells.geoms]
    atoms = [a for a in atoms if not a.is_empty and a.area > 0]
    atoms_xy = np.array([[a.centroid.x, a.centroid.y] for a in atoms])
    all_idx = np.arange(len(atoms))
    district_size = math.sqrt(outline.area / DISTRICTS)
    streets, communities, posts = [], [], []
    c_tag = f"C{index + 1:02d}"
    s_no = 0
    for d, d_members in enumerate(assign(rng, atoms_xy, all_idx, DISTRICTS, district_size), start=1):
        street_size = district_size / math.sqrt(STREETS_PER_DISTRICT)
        for s, s_members in enumerate(assign(rng, atoms_xy, d_members, STREETS_PER_DISTRICT, street_size), start=1):
            want = min(n_comm[s_no], len(s_members))
            s_no += 1
            sid = f"{c_tag}-D{d}-S{s:02d}"
            stem = stems["street"].pop()
            sname = f"{stem}街道"
            comm_size = street_size / math.sqrt(max(want, 1))
            parts = assign(rng, atoms_xy, s_members, want, comm_size)
            street_geom = shapely.union_all([atoms[i] for i in s_members])
            streets.append({"type": "Feature", "properties": {
                "id": sid, "name": sname, "aliases": [f"{CITY_NAMES[index]}{DISTRICT_NAMES[d - 1]}{stem}"],
                "city": f"{CITY_NAMES[index]}市", "district": f"{CITY_NAMES[index]}{DISTRICT_NAMES[d - 1]}"},
                "geometry": geometry_ll(street_geom)})
            for k, members in enumerate(parts, start=1):
                cid = f"{sid}-{k:02d}"
                cname = f"{stems['community'].pop()}社区"
                g = shapely.union_all([atoms[i] for i in members])
                communities.append({"type": "Feature", "properties": {"id": cid, "name": cname, "parent": sid},
                                    "geometry": geometry_ll(g)})
                for p, (x, y) in enumerate(spread(rng, g, int(rng.integers(3, 5))), start=1):
                    lon, lat = to_lonlat(x, y)
                    posts.append({"type": "Feature", "properties": {
                        "id": f"{cid}-P{p}", "name": f"{cname}{p}号哨点", "parent": cid},
                        "geometry": {"type": "Point", "coordinates": [round(float(lon), 7), round(float(lat), 7)]}})
    return streets, communities, posts


def boundaries(args):
    side = math.sqrt(args.city_km2) * 1000
    rng = np.random.default_rng([args.seed, 999])
    # Names are drawn for all 16 cities up front, so city k has the same names whatever --cities says.
    stems = {"street": syllable_names(rng, GRID * GRID * DISTRICTS * STREETS_PER_DISTRICT, 2),
             "community": syllable_names(rng, GRID * GRID * DISTRICTS * STREETS_PER_DISTRICT * COMMUNITIES_PER_STREET[1], 3)}
    ns = DISTRICTS * STREETS_PER_DISTRICT
    nc = ns * COMMUNITIES_PER_STREET[1]
    S, C, P = [], [], []
    for i in range(args.cities):
        # city i draws from its own slice of names (popped from the end), whatever --cities says
        local = {"street": stems["street"][i * ns:(i + 1) * ns][::-1],
                 "community": stems["community"][i * nc:(i + 1) * nc][::-1]}
        s, c, p = make_city(i, side, args.seed, local)
        S += s; C += c; P += p
        print(f"city {i + 1}: {len(s)} streets, {len(c)} communities, {len(p)} posts", file=sys.stderr)
    os.makedirs(args.out, exist_ok=True)
    write_fc(os.path.join(args.out, "streets.geojson"), S)
    write_fc(os.path.join(args.out, "communities.geojson"), C)
    write_fc(os.path.join(args.out, "posts.geojson"), P)
    print(json.dumps({"cities": args.cities, "city_km2": args.city_km2, "streets": len(S),
                      "communities": len(C), "posts": len(P)}))


# ------------------------------------------------------------------------------------------------
# cases

def load_zones(folder):
    with open(os.path.join(folder, "streets.geojson"), encoding="utf-8") as f:
        streets = {ft["properties"]["id"]: ft["properties"]["name"] for ft in json.load(f)["features"]}
    with open(os.path.join(folder, "communities.geojson"), encoding="utf-8") as f:
        comms = json.load(f)["features"]
    geoms, names = [], []
    for ft in comms:
        g = shapely.geometry.shape(ft["geometry"])
        geoms.append(shapely.transform(g, lambda c: np.column_stack(to_plane(c[:, 0], c[:, 1]))))
        names.append(streets[ft["properties"]["parent"]] + ft["properties"]["name"])
    return geoms, names


def cases(args):
    rng = np.random.default_rng([args.seed, 7])
    geoms, names = load_zones(args.boundaries)
    tree = shapely.STRtree(geoms)
    area = np.array([g.area for g in geoms])
    land = shapely.union_all(geoms).buffer(0)
    shapely.prepare(land)
    # hotspots: ≈ 1 per 30 communities, Gaussian blobs 200–1500 m wide, weights heavy-tailed
    n_hot = max(3, len(geoms) // 30)
    hot_c = rng.choice(len(geoms), size=n_hot, replace=False, p=area / area.sum())
    hot_xy = np.array([[geoms[i].representative_point().x, geoms[i].representative_point().y] for i in hot_c])
    hot_sd = rng.uniform(200, 1500, size=n_hot)
    hot_w = rng.pareto(1.5, size=n_hot) + 1
    hot_p = hot_w / hot_w.sum()
    comm_p = area / area.sum()
    bounds = np.array([g.bounds for g in geoms])
    as_of = dt.date.fromisoformat(args.as_of)
    start = dt.datetime.combine(as_of - dt.timedelta(days=args.days - 1), dt.time())
    start_s = int(start.replace(tzinfo=dt.timezone.utc).timestamp())
    written = 0
    chunk = 100_000
    with open(args.out, "w", encoding="utf-8", newline="") as out:
        out.write("id,received_at,category,address,lon,lat\n")
        while written < args.rows:
            n = min(chunk, args.rows - written)
            xy = np.empty((0, 2))
            while len(xy) < n:  # draw, keep the points on land, draw again for the rest
                m = int((n - len(xy)) * 1.3) + 16
                hot = rng.random(m) < 0.65
                h = rng.choice(n_hot, size=m, p=hot_p)
                c = rng.choice(len(geoms), size=m, p=comm_p)
                p_hot = hot_xy[h] + rng.normal(size=(m, 2)) * hot_sd[h, None]
                b = bounds[c]
                p_uni = b[:, :2] + rng.random((m, 2)) * (b[:, 2:] - b[:, :2])
                p = np.where(hot[:, None], p_hot, p_uni)
                keep = shapely.contains_xy(land, p[:, 0], p[:, 1])
                xy = np.vstack([xy, p[keep]])[:n]
            # the community each point lies in, for its address text
            pts = shapely.points(xy)
            q_in, q_tree = tree.query(pts, predicate="intersects")
            comm = np.zeros(n, dtype=np.int64)
            comm[q_in[::-1]] = q_tree[::-1]  # first hit wins
            lon, lat = to_lonlat(xy[:, 0], xy[:, 1])
            secs = start_s + (rng.random(n) * args.days * 86400).astype(np.int64)
            cat = rng.choice(len(CATEGORIES), size=n, p=CATEGORY_P)
            road = rng.integers(0, len(ROADS), size=n)
            door = rng.integers(1, 61, size=n)  # a finite set of buildings: addresses repeat, as in real exports
            kind = rng.random(n)
            lines = []
            for i in range(n):
                t = dt.datetime.fromtimestamp(int(secs[i]), dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
                if kind[i] < 0.92:
                    addr = f"{names[comm[i]]}{ROADS[road[i]]}{door[i]}号"
                    ll = f"{lon[i]:.6f},{lat[i]:.6f}"
                elif kind[i] < 0.99:
                    addr = f"{names[comm[i]]}{ROADS[road[i]]}{door[i]}号"
                    ll = ","
                else:
                    addr = f"{ROADS[road[i]]}附近{door[i]}米"   # no zone named: the geocoder rejects it
                    ll = ","
                lines.append(f"PV{written + i + 1:09d},{t},{CATEGORIES[cat[i]]},{addr},{ll}\n")
            out.write("".join(lines))
            written += n
            if args.rows >= 1_000_000 and written % 1_000_000 == 0:
                print(f"{written:,} rows", file=sys.stderr)
    print(json.dumps({"rows": args.rows, "hotspots": n_hot, "as_of": args.as_of, "out": args.out}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("boundaries", help="write the province's boundaries folder")
    b.add_argument("--cities", type=int, default=16, choices=range(1, 17), metavar="K")
    b.add_argument("--city-km2", type=float, default=2000.0, help="area of one city (default 2,000 km², about Shenzhen)")
    b.add_argument("--out", required=True)
    b.add_argument("--seed", type=int, default=16)
    c = sub.add_parser("cases", help="stream N case rows to a CSV")
    c.add_argument("--boundaries", required=True, help="a folder written by `boundaries`")
    c.add_argument("--rows", type=int, required=True)
    c.add_argument("--out", required=True)
    c.add_argument("--as-of", default="2026-11-30")
    c.add_argument("--days", type=int, default=60)
    c.add_argument("--seed", type=int, default=16)
    args = ap.parse_args()
    boundaries(args) if args.command == "boundaries" else cases(args)


if __name__ == "__main__":
    main()
