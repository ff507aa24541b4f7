#!/usr/bin/env python3
"""Compares two tile trees ({z}/{x}/{y}.png under each folder) decoded by Pillow, independently of riskmap.

    python3 compare_tiles.py REFERENCE CANDIDATE [--tolerance 2]

A tile missing on one side counts as fully transparent. Pixels are compared as straight RGBA, channel by
channel; where both pixels are fully transparent their colour channels do not count (undefined there).
Prints one JSON object:
  tiles_reference, tiles_candidate, only_reference, only_candidate: tile counts;
  max_difference: the largest channel difference over every pixel of every tile;
  over_tolerance: tiles with a difference above --tolerance (at most 20 listed in `examples`);
  uniform_colours / uniform_byte_variants: among the candidate's tiles whose pixels are all one colour,
    the distinct colours and, per colour, how many distinct byte strings carry it (1 each when every
    tile of a colour is the same file content);
  modes: Pillow modes of the candidate's PNGs (P = palette, RGBA = straight).
"""
import hashlib, json, os, sys
import numpy as np
from PIL import Image


def tiles(root):
    found = {}
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith(".png"):
                path = os.path.join(d, f)
                found[os.path.relpath(path, root)] = path
    return found


def straight(path, size):
    if path is None:
        return np.zeros((size, size, 4), dtype=np.int32)
    return np.asarray(Image.open(path).convert("RGBA"), dtype=np.int32)


def main():
    args = sys.argv[1:]
    tolerance = 2
    if "--tolerance" in args:
        i = args.index("--tolerance")
        tolerance = int(args[i + 1])
        del args[i:i + 2]
    ref, cand = tiles(args[0]), tiles(args[1])
    size = None
    for p in list(ref.values())[:1] + list(cand.values())[:1]:
        size = Image.open(p).size[0]
    size = size or 256
    worst, over, examples = 0, 0, []
    uniform, modes = {}, {}
    for name in sorted(set(ref) | set(cand)):
        a, b = straight(ref.get(name), size), straight(cand.get(name), size)
        diff = np.abs(a - b)
        diff[(a[..., 3] == 0) & (b[..., 3] == 0)] = 0
        d = int(diff.max())
        worst = max(worst, d)
        if d > tolerance:
            over += 1
            if len(examples) < 20:
                examples.append({"tile": name, "difference": d})
        if name in cand:
            img = Image.open(cand[name])
            modes[img.mode] = modes.get(img.mode, 0) + 1
            flat = b.reshape(-1, 4)
            if (flat == flat[0]).all():
                key = ",".join(map(str, flat[0]))
                digest = hashlib.sha256(open(cand[name], "rb").read()).hexdigest()
                uniform.setdefault(key, set()).add(digest)
    print(json.dumps({
        "tiles_reference": len(ref), "tiles_candidate": len(cand),
        "only_reference": len(set(ref) - set(cand)), "only_candidate": len(set(cand) - set(ref)),
        "max_difference": worst, "over_tolerance": over, "examples": examples,
        "uniform_colours": len(uniform),
        "uniform_byte_variants": {k: len(v) for k, v in uniform.items()},
        "modes": modes,
    }))


if __name__ == "__main__":
    main()
