#!/usr/bin/env python3
"""Makes the labelled address set for the geocoder tests (Tests/Fixtures/geocode/addresses.csv).

Every row is built from the demo district's gazetteer and zone names (boundaries/demo), written in
the forms hotline operators and sentinels use, with realistic noise. Seeded: the same arguments give
the same file. Standard library only.

    python3 scripts/make_address_set.py --seed 11 --rows 2400 > Tests/Fixtures/geocode/addresses.csv

Columns: address, form, noise, expect, lon, lat, street, community, post
- expect `point`: the address names a gazetteer place; lon/lat is that place (the tests place it into
  zones with the same point-in-polygon as the cases), street/community/post are empty.
- expect `zones`: the address names only zones; street/community/post are the zones it names.
- expect `reject:REASON`: junk that must not be located (`unparseable-address`, `outside`, `not-found`).
"""
import argparse, csv, json, pathlib, random, re, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEMO = ROOT / "boundaries" / "demo"

PREFIXES = ["", "", "福田区", "深圳市福田区", "广东省深圳市福田区", "深圳福田", "广东深圳福田区", "深圳市 福田区 ", "福田区 "]
DOOR_TAILS = ["", "", "附近", "旁", "门口", "对面", "旁边"]
ESTATE_TAILS = ["", "{b}栋", "{b}栋{u}单元{r}", "{b}栋{r}", "一期{L}座", "{b}幢", "小区内", "{b}-{u}-{r}", "二期{b}栋"]
BUILDING_TAILS = ["", "{f}楼", "{L}座", "{L}座{f}楼", "门前", "地下停车场"]
POI_TAILS = ["", "附近", "门口", "旁边", "对面"]
TRADITIONAL = {"区": "區", "号": "號", "楼": "樓", "栋": "棟", "单": "單", "园": "園", "华": "華", "广": "廣", "东": "東",
               "门": "門", "龙": "龍", "湾": "灣", "兴": "興", "国": "國", "际": "際", "厦": "廈", "场": "場", "学": "學",
               "莲": "蓮", "岭": "嶺", "岗": "崗", "滨": "濱", "长": "長", "农": "農", "业": "業", "丰": "豐", "万": "萬"}
RADICALS = {"西": "⻄", "长": "⻓", "门": "⻔", "车": "⻋", "马": "⻢", "见": "⻅", "风": "⻛", "飞": "⻜", "青": "⻘", "龙": "⻰"}
JUNK = [
    ("", "unparseable-address"), ("   ", "unparseable-address"), ("123456", "unparseable-address"),
    ("0755-83456789", "unparseable-address"), ("Rue de Rivoli 12", "unparseable-address"),
    ("221B Baker Street", "unparseable-address"), ("улица Ленина 5", "unparseable-address"),
    ("서울시 강남구", "unparseable-address"), ("？？？", "unparseable-address"), ("１２３", "unparseable-address"),
    ("罗湖区东门中路1011号", "outside"), ("深圳市罗湖区人民南路3002号", "outside"), ("南山区南海大道2018号", "outside"),
    ("龙华区民治大道688号", "outside"), ("广州市天河区体育西路103号", "outside"), ("深圳市罗湖区彩田路3009号", "outside"),
    ("广东省广州市越秀区中山五路", "outside"), ("北京市朝阳区建国路88号", "outside"), ("深圳南山科技园", "outside"),
    ("不详", "not-found"), ("地址不详", "not-found"), ("请核实", "not-found"), ("某某小区", "not-found"),
    ("见附件", "not-found"), ("市民来电", "not-found"),
]


def inside(x, y, rings):
    """Even-odd rule over all rings of a (Multi)Polygon: holes count out, exclaves in."""
    hit = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                hit = not hit
    return hit


def community_of(x, y, features):
    for f in features:
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        if inside(x, y, [ring for poly in polys for ring in poly]):
            return f["properties"]
    return None


def load():
    gaz = list(csv.DictReader(open(DEMO / "gazetteer.csv", encoding="utf-8")))
    zones = {}
    for level in ["streets", "communities", "posts"]:
        zones[level] = json.load(open(DEMO / f"{level}.geojson", encoding="utf-8"))["features"]
    return gaz, zones


def tail(rng, pattern):
    return pattern.format(b=rng.randint(1, 38), u=rng.randint(1, 6), r=rng.choice([101, 302, 501, 1203, 2406]),
                          L=rng.choice("ABCD"), f=rng.randint(1, 30))


def typo(rng, name, pool):
    """One character of the name replaced, or dropped; never the suffix word (路, 新村, 大厦)."""
    core = len(name) - (2 if len(name) >= 5 else 1)
    if core < 1:
        return name
    i = rng.randrange(core)
    if rng.random() < 0.5 and len(name) >= 4:
        return name[:i] + name[i + 1:]
    return name[:i] + rng.choice(pool) + name[i + 1:]


def fullwidth(s):
    return "".join(chr(ord(c) + 0xFEE0) if "0" <= c <= "9" or "A" <= c <= "Z" else c for c in s)


def noisy(rng, address, name, kind_noise, pool):
    """Returns (address, noise label)."""
    if kind_noise == "typo":
        return address.replace(name, typo(rng, name, pool), 1), "typo"
    if kind_noise == "fullwidth":
        return fullwidth(address), "fullwidth"
    if kind_noise == "traditional":
        return "".join(TRADITIONAL.get(c, c) for c in address), "traditional"
    if kind_noise == "radical":
        return "".join(RADICALS.get(c, c) for c in address), "radical"
    if kind_noise == "spaces":
        return " ".join(address[i:i + 3] for i in range(0, len(address), 3)), "spaces"
    return address, ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--rows", type=int, default=2400)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    gaz, zones = load()
    street_by_id = {s["properties"]["id"]: s["properties"] for s in zones["streets"]}
    comm_by_id = {c["properties"]["id"]: c["properties"] for c in zones["communities"]}
    pool = sorted({c for g in gaz for c in g["name"] if "\u4e00" <= c <= "\u9fff"})
    doors = [g for g in gaz if g["kind"] == "door"]
    door_numbers = {}
    for g in doors:
        road, n = re.match(r"(.+?)(\d+)号$", g["name"]).groups()
        door_numbers.setdefault(road, set()).add(int(n))
    places = {k: [g for g in gaz if g["kind"] == k] for k in ["estate", "building", "poi"]}
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["address", "form", "noise", "expect", "lon", "lat", "street", "community", "post"])
    noises = ["", "", "", "", "typo", "typo", "fullwidth", "traditional", "radical", "spaces"]
    n_junk = len(JUNK) * 4
    written = 0
    while written < args.rows - n_junk:
        form = rng.choice(["door", "door", "door", "nearest-door", "estate", "estate", "building", "poi",
                           "zones+place", "community", "street", "post", "wrong-order"])
        pre = rng.choice(PREFIXES)
        expect, lon, lat, zs = "point", "", "", ("", "", "")
        if form in ("door", "nearest-door", "zones+place", "wrong-order"):
            g = rng.choice(doors if form != "zones+place" else doors + places["estate"] + places["poi"])
            name = g["name"]
            if g["kind"] == "door":
                road, n = re.match(r"(.+?)(\d+)号$", name).groups()
                if form == "nearest-door":
                    # A number the gazetteer lacks; the label is the door with the nearest number on
                    # the same side (same parity), and rows where two doors are equally near are skipped.
                    k = int(n) + rng.choice((2, -2, 4, 1, 3))
                    same = sorted((abs(m - k), m) for m in door_numbers[road] if m % 2 == k % 2)
                    if k <= 0 or k in door_numbers[road] or not same or same[0][0] > 100 or (len(same) > 1 and same[0][0] == same[1][0]):
                        continue
                    n = str(k)
                    g = next(d for d in doors if d["name"] == f"{road}{same[0][1]}号")
                name = road
                body = road + n + "号" + rng.choice(DOOR_TAILS)
            else:
                body = name + tail(rng, rng.choice(ESTATE_TAILS))
            lon, lat = g["lon"], g["lat"]
            if form == "zones+place":
                # The sentinel form: street and community first (in either order), then the place.
                comm = community_of(float(lon), float(lat), zones["communities"])
                names = [street_by_id[comm["parent"]]["name"], comm["name"]]
                if rng.random() < 0.2:
                    names.reverse()
                body = "".join(names) + body
            if form == "wrong-order":
                body = body + pre.strip() if pre.strip() else body
                pre = ""
        elif form in ("estate", "building", "poi"):
            g = rng.choice(places[form])
            name = g["name"]
            pattern = {"estate": ESTATE_TAILS, "building": BUILDING_TAILS, "poi": POI_TAILS}[form]
            body = name + tail(rng, rng.choice(pattern))
            lon, lat = g["lon"], g["lat"]
        else:
            post = rng.choice(zones["posts"])["properties"]
            comm = comm_by_id[post["parent"]]
            street = street_by_id[comm["parent"]]
            sname = rng.choice([street["name"]] + (street.get("aliases") or []))
            expect = "zones"
            if form == "community":
                name = comm["name"]
                body = sname + comm["name"] + rng.choice(["", "一带", "居民楼", "辖区内", "附近商铺"])
                zs = (street["id"], comm["id"], "")
            elif form == "street":
                name = street["name"]
                body = street["name"] + rng.choice(["", "辖区", "一带"])
                zs = (street["id"], "", "")
            else:
                name = post["name"]
                body = rng.choice(["", sname]) + post["name"] + rng.choice(["", "附近"])
                zs = (street["id"], comm["id"], post["id"])
        address = pre + body
        noise_kind = rng.choice(noises)
        if noise_kind == "typo" and form in ("street", "community", "post"):
            noise_kind = ""  # a typo in a bare zone name is another zone as often as not
        address, noise = noisy(rng, address, name, noise_kind, pool)
        out.writerow([address, form, noise, expect, lon, lat, *zs])
        written += 1
    for text, reason in JUNK:
        for variant in range(4):
            t = text if variant == 0 else (text + ["附近", "旁边", "门口"][variant - 1] if text.strip() and reason != "unparseable-address" else text)
            out.writerow([t, "junk", "", "reject:" + reason, "", "", "", "", ""])


if __name__ == "__main__":
    main()
