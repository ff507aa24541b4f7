#!/usr/bin/env python3
"""Writes Tests/Fixtures/city/: a city bureau's map — SYNTHETIC outlines, real names.

Top level (streets.geojson) three districts of Shenzhen (南山区 福田区 罗湖区), second level
(communities.geojson) four 街道 each, third level (posts.geojson) two 社区 polygons per 街道: rectangles
on a grid, nothing like the real outlines. The 街道 are chosen so that Shenzhen streets in other
districts lie one character away (福田街道/坂田街道/福城街道/福海街道, 沙头街道/沙井街道/沙头角街道,
南湖街道/南湾街道/南澳街道, 西丽街道/西乡街道), as in the issue that made it (issue 11).

cases.csv holds addresses on the map and off it; truth.csv what each must become: `zones` (ids at
every level, blank where not reached), or `outside` with the division the reject must name, or
`unlocated` (an off-map street named without its district: any reject, never a zone).

    python3 scripts/make_city_fixture.py        # same output every time (seeded)
"""
import csv
import json
import os
import random

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "city")
WEST, SOUTH, DISTRICT_W, HEIGHT = 113.90, 22.50, 0.08, 0.08

MAP = [  # district id, name, [(street id, name, aliases, [community names])] — 2×2 streets, 2 communities each
    ("NS", "南山区", [("NS1", "南头街道", ["南头"], ["南头城社区", "大新社区"]),
                      ("NS2", "粤海街道", ["粤海"], ["科技园社区", "海珠社区"]),
                      ("NS3", "西丽街道", ["西丽"], ["西丽社区", "大磡社区"]),
                      ("NS4", "蛇口街道", ["蛇口"], ["湾厦社区", "渔一社区"])]),
    ("FT", "福田区", [("FT1", "福田街道", [], ["岗厦社区", "皇岗社区"]),
                      ("FT2", "沙头街道", ["沙头"], ["沙嘴社区", "天安社区"]),
                      ("FT3", "莲花街道", ["莲花"], ["景华社区", "彩田社区"]),
                      ("FT4", "华富街道", [], ["田面社区", "华富社区"])]),
    ("LH", "罗湖区", [("LH1", "东门街道", ["东门"], ["湖贝社区", "立新社区"]),
                      ("LH2", "桂园街道", ["桂园"], ["老围社区", "松园社区"]),
                      ("LH3", "南湖街道", ["南湖"], ["渔邨社区", "向西社区"]),
                      ("LH4", "黄贝街道", ["黄贝"], ["新谊社区", "文华社区"])]),
]

# Gazetteer: (name, kind, community id); doors are spread inside their community.
PLACES = [("彩田路", "FT3-2", range(3001, 3013, 2)), ("深南大道", "FT1-1", range(7001, 7013, 2)),
          ("东门中路", "LH1-1", range(1001, 1013, 2)), ("科苑路", "NS2-1", range(15, 27, 2))]
ESTATES = [("景华新村", "FT3-1"), ("天安数码城", "FT2-2"), ("桂园小区", "LH2-2"), ("南油花园", "NS4-1")]

OFF_MAP = [  # district, [(street, [communities])] of Shenzhen districts that are not on the map
    ("龙岗区", [("坂田街道", ["岗头社区", "五和社区"]), ("布吉街道", ["布吉社区"]), ("南湾街道", ["南岭村社区"])]),
    ("宝安区", [("福永街道", ["凤凰社区", "福永社区"]), ("西乡街道", ["固戍社区"]), ("沙井街道", ["沙井社区"]),
                ("福海街道", ["新田社区"])]),
    ("龙华区", [("民治街道", ["民治社区"]), ("福城街道", ["福民社区"]), ("观湖街道", ["观城社区"])]),
    ("盐田区", [("沙头角街道", ["东和社区"])]),
    ("大鹏新区", [("南澳街道", ["南渔社区"])]),
]
OTHER_CITIES = [  # address, the division the reject must name
    ("东莞市长安镇长安路12号", "东莞市"), ("广东省东莞市南城街道", "东莞市"), ("广州市天河区体育西路103号", "广州市"),
    ("广州天河体育西路103号", "广州市"), ("北京市朝阳区建国路88号", "北京市"), ("湖南省长沙市岳麓区", "湖南省"),
    ("惠州市惠阳区淡水街道", "惠州市"), ("香港特别行政区油尖旺区", "香港特别行政区"), ("上海市浦东新区世纪大道", "上海市"),
    ("深圳市龙岗区", "龙岗区"), ("深圳龙岗坂田街道", "龙岗区"), ("深圳宝安福永街道", "宝安区"),
]


def box(x0, y0, x1, y1):
    r = lambda v: round(v, 7)
    return {"type": "Polygon", "coordinates": [[[r(x0), r(y0)], [r(x1), r(y0)], [r(x1), r(y1)], [r(x0), r(y1)], [r(x0), r(y0)]]]}


def feature(props, geom):
    return {"type": "Feature", "properties": props, "geometry": geom}


def build():
    streets, communities, posts, cells = [], [], [], {}
    for d, (did, dname, subs) in enumerate(MAP):
        x0 = WEST + d * DISTRICT_W
        streets.append(feature({"id": did, "name": dname}, box(x0, SOUTH, x0 + DISTRICT_W, SOUTH + HEIGHT)))
        for s, (sid, sname, aliases, comms) in enumerate(subs):
            sx, sy = x0 + (s % 2) * DISTRICT_W / 2, SOUTH + (s // 2) * HEIGHT / 2
            props = {"id": sid, "name": sname, "parent": did}
            if aliases:
                props["aliases"] = aliases
            communities.append(feature(props, box(sx, sy, sx + DISTRICT_W / 2, sy + HEIGHT / 2)))
            for c, cname in enumerate(comms):
                cx = sx + c * DISTRICT_W / 4
                cid = f"{sid}-{c + 1}"
                posts.append(feature({"id": cid, "name": cname, "parent": sid}, box(cx, sy, cx + DISTRICT_W / 4, sy + HEIGHT / 2)))
                cells[cid] = (cx, sy, cx + DISTRICT_W / 4, sy + HEIGHT / 2, did, sid)
    return streets, communities, posts, cells


def inside(cell, rng):
    x0, y0, x1, y1 = cell[:4]
    return round(rng.uniform(x0 + 0.002, x1 - 0.002), 7), round(rng.uniform(y0 + 0.002, y1 - 0.002), 7)


def gazetteer(cells, rng):
    rows = []
    for road, cid, numbers in PLACES:
        x, y = inside(cells[cid], rng)
        rows.append((road, "road", x, y))
        for n in numbers:
            x, y = inside(cells[cid], rng)
            rows.append((f"{road}{n}号", "door", x, y))
    for name, cid in ESTATES:
        x, y = inside(cells[cid], rng)
        rows.append((name, "estate", x, y))
    return rows


def cases(cells, rng):
    """(address, expect, street, community, post, division)"""
    rows = []
    by_post = {cid: c for cid, c in cells.items()}
    names = {}
    for did, dname, subs in MAP:
        for sid, sname, _, comms in subs:
            for c, cname in enumerate(comms):
                names[f"{sid}-{c + 1}"] = (dname, sname, cname, did, sid)
    # On the map: zone names in every prefix form; places; one-character typos in roads and estates.
    for cid, (dname, sname, cname, did, sid) in sorted(names.items()):
        for address in [f"深圳市{dname}{sname}{cname}", f"广东省深圳市{dname}{sname}{cname}12号",
                        f"{dname}{sname}{cname}附近", f"{sname}{cname}"]:
            rows.append((address, "zones", did, sid, cid, ""))
        rows.append((f"{dname}{sname}", "zones", did, sid, "", ""))
    for did, dname, _ in MAP:
        rows.append((f"深圳市{dname}", "zones", did, "", "", ""))
    for road, cid, numbers in PLACES:
        _, _, _, did, sid = names[cid]
        n = list(numbers)[2]
        typo = road[0] + ("天" if road[1] != "天" else "地") + road[2:]
        for address in [f"{road}{n}号", f"深圳市{names[cid][0]}{road}{n}号", f"{typo}{n}号"]:
            rows.append((address, "zones", did, sid, cid, ""))
    for name, cid in ESTATES:
        _, _, _, did, sid = names[cid]
        typo = name[0] + ("花" if name[1] != "花" else "华") + name[2:]  # 景花新村: a homophone
        for address in [name, f"{names[cid][0]}{name}", typo]:
            rows.append((address, "zones", did, sid, cid, ""))
    # Off the map: other districts of Shenzhen, in several prefix forms, and other cities.
    for dname, subs in OFF_MAP:
        for sname, comms in subs:
            for cname in comms:
                n = rng.randint(1, 300)
                rows += [(f"{dname}{sname}{cname}", "outside", "", "", "", dname),
                         (f"深圳市{dname}{sname}{cname}{n}号", "outside", "", "", "", dname),
                         (f"广东省深圳市{dname}{sname}", "outside", "", "", "", dname),
                         (f"{dname}{sname}{cname}附近", "outside", "", "", "", dname),
                         (f"{sname}{cname}", "unlocated", "", "", "", ""),
                         (f"{sname}{cname}{n}号旁边", "unlocated", "", "", "", "")]
    rows += [(a, "outside", "", "", "", d) for a, d in OTHER_CITIES]
    return rows


def write_geojson(path, features):
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": features}, f, ensure_ascii=False, indent=1)
        f.write("\n")


def main():
    rng = random.Random(11)
    os.makedirs(OUT, exist_ok=True)
    streets, communities, posts, cells = build()
    for name, feats in [("streets", streets), ("communities", communities), ("posts", posts)]:
        write_geojson(os.path.join(OUT, f"{name}.geojson"), feats)
    with open(os.path.join(OUT, "gazetteer.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["name", "kind", "lon", "lat"])
        w.writerows(gazetteer(cells, rng))
    rows = cases(cells, rng)
    with open(os.path.join(OUT, "cases.csv"), "w", encoding="utf-8", newline="") as f, \
         open(os.path.join(OUT, "truth.csv"), "w", encoding="utf-8", newline="") as t:
        w, tw = csv.writer(f, lineterminator="\n"), csv.writer(t, lineterminator="\n")
        w.writerow(["id", "received_at", "category", "address"])
        tw.writerow(["id", "address", "expect", "street", "community", "post", "division"])
        for i, (address, expect, street, community, post, division) in enumerate(rows, 1):
            w.writerow([f"C{i:03d}", f"2026-11-{1 + i % 20:02d} 09:00", "噪声", address])
            tw.writerow([f"C{i:03d}", address, expect, street, community, post, division])
    print(f"{OUT}: {len(streets)} districts, {len(communities)} streets, {len(posts)} communities, {len(rows)} cases")


if __name__ == "__main__":
    main()
