#!/usr/bin/env python3
"""Compare the output of `riskmap merge` with a single run's, for scripts/slurm_proof.sh.

    python3 scripts/compare_merged.py MERGED_DIR SINGLE_DIR [--archives MERGED_FILE SINGLE_FILE]

- Every file of the two folders is compared byte for byte (compare_outputs.py's reading of a folder),
  except: the run's own bookkeeping at the top (`.riskmap-output`, `.riskmap-tiles.state`: a merge
  writes no tile state, as docs/scale-out.md says), report.json (compared as JSON without the fields
  that measure time: `generated_at`, `timings_s`, `geocode.seconds`, as Tests/JobsTests/ShardTests do),
  and PMTiles archives (`tiles/{layer}.pmtiles` of `run --tiles pmtiles`), which are compared as below.
- A PMTiles archive is compared through the `pmtiles` package's reader: the same set of tiles, the
  same bytes for every tile, the same metadata and the same header fields (all but the sections'
  offsets and lengths, which are the file's layout, not its content). Whether the two files are also
  byte-identical is printed, not required.
- `--archives MERGED_FILE SINGLE_FILE`: archives outside the folders, written with `--pmtiles FILE`:
  FILE (heat), FILE-street, FILE-community and FILE-post, compared pairwise.

Prints one line per folder and archive and a total; exits 1 when anything differs.
"""
import json, os, sys

from pmtiles.reader import MmapSource, Reader, all_tiles

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_outputs import entries, same_bytes  # noqa: E402  (the same folder walk and byte comparison)

LAYOUT = ("_offset", "_length")  # header fields that place the sections in the file
TIMES = ("generated_at", "timings_s")


def timeless_report(path):
    report = json.load(open(path, encoding="utf-8"))
    for key in TIMES:
        report.pop(key, None)
    if isinstance(report.get("geocode"), dict):
        report["geocode"].pop("seconds", None)
    return report


def read_archive(path):
    """(header without layout fields, metadata, {(z, x, y): bytes}) of a PMTiles file."""
    with open(path, "rb") as f:
        source = MmapSource(f)
        reader = Reader(source)
        header = {k: v for k, v in reader.header().items() if not k.endswith(LAYOUT)}
        tiles = {zxy: bytes(data) for zxy, data in all_tiles(source)}
        return header, reader.metadata(), tiles


def compare_archive(label, a, b):
    """Differences between two archives (empty when equal) and the number of tiles compared."""
    for path in (a, b):
        if not os.path.isfile(path):
            return [f"{label}: {path} is missing"], 0
    try:
        (ha, ma, ta), (hb, mb, tb) = read_archive(a), read_archive(b)
    except Exception as error:  # a truncated or foreign file: a difference, said as such
        return [f"{label}: not readable as PMTiles ({type(error).__name__}: {error})"], 0
    found = []
    if ha != hb:
        keys = sorted(k for k in set(ha) | set(hb) if ha.get(k) != hb.get(k))
        found.append(f"header fields differ: " + ", ".join(f"{k} {ha.get(k)!r} / {hb.get(k)!r}" for k in keys))
    if ma != mb:
        found.append("metadata differs")
    only = sorted(set(ta) ^ set(tb))
    if only:
        found.append(f"{len(only)} tiles in one archive only, e.g. {'/'.join(map(str, only[0]))}")
    changed = sorted(t for t in set(ta) & set(tb) if ta[t] != tb[t])
    if changed:
        found.append(f"{len(changed)} tiles with other bytes, e.g. {'/'.join(map(str, changed[0]))}")
    layout = "byte-identical files" if same_bytes(a, b) else "same content, other file layout"
    if not found:
        distinct = len(set(ta.values()))
        print(f"{label}: identical ({len(ta)} tiles, {distinct} distinct; {layout})")
    return [f"{label}: {d}" for d in found], len(ta)


def compare_folders(merged, single):
    """Differences between the folders, files compared, and archive pairs found inside them."""
    def kept(found):
        return {rel: v for rel, v in found.items() if not rel.split(os.sep)[0].startswith(".")}
    a, b = kept(entries(merged)), kept(entries(single))
    found = [f"{p}: only in {'the merged folder' if p in a else 'the single run'}" for p in sorted(set(a) ^ set(b))]
    archives, compared = [], 0
    for rel in sorted(set(a) & set(b)):
        (kind_a, path_a), (kind_b, path_b) = a[rel], b[rel]
        if kind_a != kind_b:
            found.append(f"{rel}: {kind_a} / {kind_b}")
        elif kind_a == "link":
            compared += 1
            if os.readlink(path_a) != os.readlink(path_b):
                found.append(f"{rel}: links to other targets")
        elif kind_a == "file" and rel.endswith(".pmtiles"):
            archives.append((rel, path_a, path_b))
        elif kind_a == "file":
            compared += 1
            equal = (timeless_report(path_a) == timeless_report(path_b)) if os.path.basename(rel) == "report.json" \
                else same_bytes(path_a, path_b)
            if not equal:
                found.append(f"{rel}: differs")
    return found, compared, archives


def layer_files(path):
    """FILE, FILE-street, FILE-community, FILE-post of `--pmtiles FILE`."""
    stem, ext = os.path.splitext(path)
    return [(layer, path if layer == "heat" else f"{stem}-{layer}{ext}")
            for layer in ("heat", "street", "community", "post")]


def main():
    args = sys.argv[1:]
    pairs = []
    if "--archives" in args:
        i = args.index("--archives")
        if len(args) < i + 3:
            sys.exit("usage: compare_merged.py MERGED_DIR SINGLE_DIR [--archives MERGED_FILE SINGLE_FILE]")
        pairs = [(f"archive {layer}", a, b) for (layer, a), (_, b)
                 in zip(layer_files(args[i + 1]), layer_files(args[i + 2]))]
        del args[i:i + 3]
    if len(args) != 2:
        sys.exit("usage: compare_merged.py MERGED_DIR SINGLE_DIR [--archives MERGED_FILE SINGLE_FILE]")
    merged, single = (os.path.realpath(p) for p in args)
    differences, files, inside = compare_folders(merged, single)
    if not differences:
        print(f"folder: identical ({files} files, report.json without its times)")
    tiles = 0
    for label, a, b in [(rel, a, b) for rel, a, b in inside] + pairs:
        found, n = compare_archive(label, a, b)
        differences += found
        tiles += n
    archives = len(inside) + len(pairs)
    if differences:
        for line in differences[:20]:
            print(f"DIFFERENT: {line}")
        if len(differences) > 20:
            print(f"… {len(differences)} differences in all")
        return 1
    print(f"compared: {files} files, {archives} archives, {tiles} archive tiles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
