#!/usr/bin/env python3
"""Writes a large, realistic cases file for the release-mode reading benchmark.
Usage: make_bench_cases.py OUT.csv [ROWS]  (deterministic; ~100 bytes per row)."""
import random, sys

def main():
    out, rows = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    rng = random.Random(7)
    cats = ["噪声扰民", "餐饮油烟", "异味", "废气排放", "建筑扬尘", "污水直排", "固废堆放"]
    roads = ["福华路", "深南大道", "华强北路", "莲花路", "彩田路", "新洲路"]
    chans = ["12345热线", "网络", "微信", "来访"]
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("工单编号,受理时间,问题类型,事发地址,经度,纬度,坐标系,来源渠道\r\n")
        for i in range(rows):
            addr = f"深圳市福田区{rng.choice(roads)}{rng.randint(1, 999)}号"
            if rng.random() < 0.1:
                addr = f'"{addr},{rng.randint(1, 30)}栋"'
            lon, lat = ("", "") if rng.random() < 0.3 else (f"{114 + rng.random() * 0.1:.6f}", f"{22.5 + rng.random() * 0.1:.6f}")
            f.write(f"SZ{i:09d},2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00,"
                    f"{rng.choice(cats)},{addr},{lon},{lat},{rng.choice(['', 'wgs84', 'gcj02'])},{rng.choice(chans)}\r\n")

if __name__ == "__main__":
    main()
