#!/usr/bin/env python3
"""Day 2 of a daily export, for the incremental tests and scripts/bench_daily.sh.

Copies a cases CSV, then adds NEW new cases (copies of random rows with a new id, a moved point and
the given day) and updates UPDATED existing cases (same id, another category and a moved point) in
place. Seeded: the same arguments give the same file.

    python3 scripts/make_day2.py IN.csv OUT.csv --day 2026-11-23 [--new 0.01] [--updated 0.005] [--seed 7]
"""
import argparse, csv, random

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src"); ap.add_argument("dst"); ap.add_argument("--day", required=True)
    ap.add_argument("--new", type=float, default=0.01); ap.add_argument("--updated", type=float, default=0.005)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    with open(a.src, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    i_id, i_time, i_cat, i_lon, i_lat = 0, 1, 2, 4, 5
    categories = sorted({r[i_cat] for r in body})

    def move(r):
        if r[i_lon] and r[i_lat]:
            try:
                r[i_lon] = f"{float(r[i_lon]) + rnd.uniform(-0.003, 0.003):.6f}"
                r[i_lat] = f"{float(r[i_lat]) + rnd.uniform(-0.003, 0.003):.6f}"
            except ValueError:
                pass

    for k in rnd.sample(range(len(body)), int(len(body) * a.updated)):
        r = list(body[k]); r[i_cat] = rnd.choice(categories); move(r); body[k] = r
    for n in range(int(len(body) * a.new)):
        r = list(rnd.choice(body)); r[i_id] = f"NEW{a.day.replace('-', '')}{n:07d}"
        r[i_time] = f"{a.day} {rnd.randint(0, 23):02d}:{rnd.randint(0, 59):02d}"; move(r); body.append(r)
    with open(a.dst, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([header] + body)

main()
