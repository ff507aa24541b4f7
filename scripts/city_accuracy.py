#!/usr/bin/env python3
"""Accuracy per level of a riskmap binary's address geocoder on the labelled set
(Tests/Fixtures/geocode/addresses.csv, against boundaries/demo), measured through `riskmap run` only,
so that any build (an older one included) can be compared:

    python3 scripts/city_accuracy.py .build/debug/riskmap
    python3 scripts/city_accuracy.py --city .build/debug/riskmap

With --city, on the city bureau's map of Tests/Fixtures/city instead: the share of its off-map addresses
(other districts, cities, provinces; truth.csv `outside` and `unlocated`) that were located anyway, how
many `outside` rejects name the wrong division, and how many on-map rows were located as truth.csv says.

The same counting as GeocodeAccuracyTests.labelledSetAccuracyPerLevel: junk rows must be rejected with
their reason; for the others, the zones of the row's point (a second run, by coordinates) or the zones
written in the row are the truth; a `zones` row or one whose truth has no post counts as right at post level.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def run(binary, cases, out, boundaries="boundaries/demo", detail=False):
    subprocess.run([binary, "run", "--boundaries", os.path.join(ROOT, boundaries), "--cases", cases, "--out", out,
                    "--as-of", "2026-11-22", "--min-zoom", "10", "--max-zoom", "10",
                    "--style", os.path.join(ROOT, "styles/default.toml")], check=True, capture_output=True)
    zones = {}
    for f in json.load(open(os.path.join(out, "cases.geojson")))["features"]:
        p = f["properties"]
        zones[p["id"]] = (p["street"], p["community"], p["post"])
    rejects = {}
    with open(os.path.join(out, "rejects.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rejects[r["id"]] = (r["reason"], r["detail"]) if detail else r["reason"]
    return zones, rejects


def city(binary):
    folder = "Tests/Fixtures/city"
    truth = list(csv.DictReader(open(os.path.join(ROOT, folder, "truth.csv"), encoding="utf-8")))
    got, rejected = run(binary, os.path.join(ROOT, folder, "cases.csv"), tempfile.mkdtemp(prefix="city-"), folder, detail=True)
    off = [t for t in truth if t["expect"] != "zones"]
    located_off = [t for t in off if t["id"] in got]
    outside = [t for t in truth if t["expect"] == "outside"]
    wrong_name = [t for t in outside if t["id"] in rejected and rejected[t["id"]][0] == "outside" and
                  not rejected[t["id"]][1].startswith(t["division"] + " ")]
    on = [t for t in truth if t["expect"] == "zones"]
    right = [t for t in on if got.get(t["id"]) == (t["street"] or None, t["community"] or None, t["post"] or None)]
    as_outside = [t for t in outside if rejected.get(t["id"], ("",))[0] == "outside"]
    print(f"{binary}: off-map addresses located: {len(located_off)} of {len(off)} ({100 * len(located_off) / len(off):.1f} %); "
          f"`outside` rows rejected as outside: {len(as_outside)} of {len(outside)}, naming their division "
          f"(`龙岗区 (深圳市)`): {len(as_outside) - len(wrong_name)}; on-map rows located as truth.csv says: {len(right)} of {len(on)}")
    for t in located_off:
        print(f"  located: {t['address']} -> {got[t['id']]}")
    for t in on:
        if t not in right:
            print(f"  on the map, wrong: {t['address']} -> {got.get(t['id'], rejected.get(t['id']))}")


def main():
    if sys.argv[1] == "--city":
        return city(os.path.abspath(sys.argv[2]))
    binary = os.path.abspath(sys.argv[1])
    rows = list(csv.DictReader(open(os.path.join(ROOT, "Tests/Fixtures/geocode/addresses.csv"), encoding="utf-8")))
    tmp = tempfile.mkdtemp(prefix="geocode-accuracy-")
    by_address, by_point = os.path.join(tmp, "address.csv"), os.path.join(tmp, "point.csv")
    with open(by_address, "w", encoding="utf-8", newline="") as a, open(by_point, "w", encoding="utf-8", newline="") as p:
        wa, wp = csv.writer(a), csv.writer(p)
        wa.writerow(["id", "received_at", "category", "address"])
        wp.writerow(["id", "received_at", "category", "lon", "lat"])
        for i, r in enumerate(rows):
            wa.writerow([f"A{i}", "2026-11-20", "噪声", r["address"]])
            if r["lon"]:
                wp.writerow([f"A{i}", "2026-11-20", "噪声", r["lon"], r["lat"]])
    got, rejected = run(binary, by_address, os.path.join(tmp, "out-address"))
    truth, _ = run(binary, by_point, os.path.join(tmp, "out-point"))
    total = street = community = post = junk_wrong = 0
    for i, r in enumerate(rows):
        key = f"A{i}"
        if r["expect"].startswith("reject:"):
            junk_wrong += rejected.get(key) != r["expect"][7:]
            continue
        want = truth.get(key) if r["lon"] else (r["street"] or None, r["community"] or None, r["post"] or None)
        have = got.get(key, (None, None, None))
        total += 1
        street += have[0] == want[0]
        community += have[1] == want[1]
        post += r["expect"] == "zones" or want[2] is None or have[2] == want[2]
    print(f"{binary}: {total} addresses: street {street / total:.4f}, community {community / total:.4f}, "
          f"post {post / total:.4f}; junk rows with the wrong reason: {junk_wrong}")


if __name__ == "__main__":
    main()
