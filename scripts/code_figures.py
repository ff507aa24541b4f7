#!/usr/bin/env python3
"""Code figures of a checkout, for the closing note of issue 13.

    python3 scripts/code_figures.py [--repo DIR] [--markdown] [--compare OLD_REPO]

For the Swift files under Sources/ of DIR (default: the checkout holding this script): the five largest
files (generated ones marked) and the five largest hand-written ones; the number of lines holding
`[String: Any]`, `JSONSerialization`, `@unchecked Sendable`, `nonisolated(unsafe)` (and of files);
files and lines per target; and the crossing import edges of scripts/check_layers.py, always judged by
this checkout's docs/layers.txt (the target architecture; an old checkout has no table). With
--compare OLD_REPO, OLD_REPO and DIR side by side (before | after); --markdown prints tables.
"""
import argparse, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_layers  # noqa: E402

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATED = {"Sources/Geocoding/AdminDivisionTable.swift", "Sources/Risk/DefaultStyle.swift"}
PATTERNS = ["[String: Any]", "JSONSerialization", "@unchecked Sendable", "nonisolated(unsafe)"]


def swift_files(repo):
    """Relative path → its lines, for every Swift file under Sources/."""
    found = {}
    for d, _, files in os.walk(os.path.join(repo, "Sources")):
        for name in files:
            if name.endswith(".swift"):
                path = os.path.join(d, name)
                found[os.path.relpath(path, repo)] = open(path, encoding="utf-8").read().splitlines()
    return found


def figures(repo):
    files = swift_files(repo)
    by_size = sorted(files, key=lambda p: (-len(files[p]), p))
    label = lambda p: f"{p} (generated)" if p in GENERATED else p
    targets = check_layers.package_targets(repo)
    per_target = {}
    for name, (folder, _, _) in targets.items():
        mine = [p for p in files if p.startswith(folder + "/")]
        per_target[name] = (len(mine), sum(len(files[p]) for p in mine))
    table = os.path.join(HERE, "docs", "layers.txt")
    layer_targets, rows, _, _, crossing = check_layers.analyse(repo, table)
    unlisted = [t for t in layer_targets if t not in dict(rows)]
    return {
        "largest": [(label(p), len(files[p])) for p in by_size[:5]],
        "largest hand-written": [(p, len(files[p])) for p in by_size if p not in GENERATED][:5],
        "patterns": {pat: (sum(pat in line for p in files for line in files[p]),
                           sum(any(pat in line for line in files[p]) for p in files)) for pat in PATTERNS},
        "targets": per_target,
        "swift": (len(files), sum(len(v) for v in files.values())),
        "crossing": (len(crossing), sum(len(w) for *_, w in crossing)),
        "unlisted": " ".join(unlisted) or "none",
    }


def sections(new, old=None):
    """[(title, header, rows)]: the figures of one checkout, or of two side by side."""
    two = old is not None
    pick = lambda f, key: f[key] if f else None
    out = []
    for key in ("largest", "largest hand-written"):
        rows = []
        for i in range(5):
            cells = []
            for f in ([old, new] if two else [new]):
                entry = pick(f, key)[i] if i < len(pick(f, key)) else ("", "")
                cells += [entry[0], str(entry[1])]
            rows.append(cells)
        header = (["before", "lines", "after", "lines"] if two else ["file", "lines"])
        out.append((f"{key} Swift files under Sources", header, rows))
    rows = []
    for pat in PATTERNS:
        lines, files = new["patterns"][pat]
        cells = [f"`{pat}`"]
        if two:
            ol, of = old["patterns"][pat]
            cells += [f"{ol} ({of} files)"]
        rows.append(cells + [f"{lines} ({files} files)"])
    rows.append(["crossing import edges (check_layers.py)"]
                + ([f"{old['crossing'][0]} ({old['crossing'][1]} import lines)"] if two else [])
                + [f"{new['crossing'][0]} ({new['crossing'][1]} import lines)"])
    rows.append(["targets missing from docs/layers.txt"] + ([old["unlisted"]] if two else []) + [new["unlisted"]])
    rows.append(["Swift files, lines under Sources"] + ([f"{old['swift'][0]}, {old['swift'][1]}"] if two else [])
                + [f"{new['swift'][0]}, {new['swift'][1]}"])
    out.append(("lines holding each pattern (files), and the layers", ["", "before", "after"] if two else ["", ""], rows))
    names = list(new["targets"]) + ([t for t in old["targets"] if t not in new["targets"]] if two else [])
    fmt = lambda f, t: (f"{f['targets'][t][0]} files, {f['targets'][t][1]} lines" if t in f["targets"] else "-")
    rows = [[t] + ([fmt(old, t)] if two else []) + [fmt(new, t)] for t in names]
    out.append(("Swift files and lines per target", ["target"] + (["before", "after"] if two else ["files, lines"]), rows))
    return out


def render(secs, markdown):
    for title, header, rows in secs:
        if markdown:
            print(f"**{title}**\n")
            print("| " + " | ".join(header) + " |")
            print("|" + "---|" * len(header))
            for r in rows:
                print("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
        else:
            print(f"== {title}")
            widths = [max(len(c) for c in col) for col in zip(header, *rows)]
            for r in [header] + rows:
                print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repo", default=HERE, help="the checkout to measure (default: this script's)")
    ap.add_argument("--compare", metavar="OLD_REPO", help="an older checkout, shown as 'before'")
    ap.add_argument("--markdown", action="store_true", help="print Markdown tables")
    a = ap.parse_args()
    old = figures(a.compare) if a.compare else None
    render(sections(figures(a.repo), old), a.markdown)


if __name__ == "__main__":
    main()
