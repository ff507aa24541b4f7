#!/usr/bin/env python3
"""Day 2 of a daily export, for the incremental tests and scripts/bench_daily.sh.

Copies a cases CSV, then adds NEW new cases (copies of random rows with a new id, a moved point and
the given day) and updates UPDATED existing cases (same id, another category and a moved point) in
place. Seeded: the same arguments give the same file.

    python3 scripts/make_day2.py IN.csv OUT.csv --day 2026-11-23 [--new 0.01] [--updated 0.005] [--seed 7]
        [--export CHANGES.csv]

--export also writes the day's export as the hotline system sends it: only the new and updated rows
(updated ones first, in their original order, then the new ones), for `riskmap run --db`.
"""
import argparse, csv, random

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src"); ap.add_argument("dst"); ap.add_argument("--day", required=True)
    ap.add_argument("--new", type=float, default=0.01); ap.add_argument("--updated", type=float, default=0.005)
    ap.add_argument("--seed", type=int, default=7); ap.add_argument("--export")
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

    # An update re-exports a case under its id: only ids that occur once (a repeated id's later rows are
    # rejects, and "updating" one would make the export disagree with the full file).
    seen = {}
    for r in body: seen[r[i_id]] = seen.get(r[i_id], 0) + 1
    unique = [k for k, r in enumerate(body) if seen[r[i_id]] == 1]
    updated = rnd.sample(unique, int(len(body) * a.updated))
    for k in updated:
        r = list(body[k]); r[i_cat] = rnd.choice(categories); move(r); body[k] = r
    first_new = len(body)
    for n in range(int(len(body) * a.new)):
        r = list(rnd.choice(body)); r[i_id] = f"NEW{a.day.replace('-', '')}{n:07d}"
        r[i_time] = f"{a.day} {rnd.randint(0, 23):02d}:{rnd.randint(0, 59):02d}"; move(r); body.append(r)
    if a.export:
        with open(a.export, "w", encoding="utf-8", newline="") as f:
            changes = [body[k] for k in sorted(updated)] + body[first_new:]
            csv.writer(f, lineterminator="\n").writerows([header] + changes)
    with open(a.dst, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([header] + body)

main()
