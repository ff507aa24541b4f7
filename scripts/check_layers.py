#!/usr/bin/env python3
"""Check the imports of Sources/ against the layer table docs/layers.txt (issue 13).

    python3 scripts/check_layers.py [--repo DIR] [--count]

Maps every folder under Sources/ to its SwiftPM target (Package.swift's `path:`; Sources/CommandLine is
`riskmap`), collects its `import X` lines (`@_exported`, `@testable`, `import struct X.Y` included) and
prints: the import edges of each target; the crossing edges, with file:line; imports of C modules outside
their bridges; targets of Package.swift missing from the table (and rows of the table without a target);
and Package.swift's declared dependencies against the imports. `--count` prints only the number of
crossing edges. Exit status: 1 when an edge crosses, else 0 (warnings do not fail).

An edge is one (target, imported module) pair, however many files repeat it. It crosses when:
- the target has a row in the table and the module is a project target, a C module or a package its
  row does not name (`*` allows everything; Foundation, Dispatch, Glibc and Synchronization are always allowed);
- a C module (CGEOS, CPROJ, CPNG, CZlib) is imported by a target whose row does not name it, or by a target
  without a row: C libraries are called only inside their bridges;
- the target has no row, and the edge goes against the lowest-first order. Such a target (reported as
  missing) has no row to be judged by, so it is given a place: just below the lowest of the targets
  that import it (a target nobody imports sits just below the top row); its import of a project target
  crosses when that target is placed at or above it. Its package imports are not judged.
  Example, Jobs before issue 13: imported by Server and riskmap, so it sat just below Server; Jobs importing
  Output followed the order and did not cross; Server importing Jobs crossed (Server's row does not
  name Jobs); riskmap importing Jobs did not (`*`).
"""
import argparse, os, re, sys

ALWAYS = {"Foundation", "Dispatch", "Glibc", "Synchronization"}
C_MODULES = {"CGEOS", "CPROJ", "CPNG", "CZlib"}
IMPORT = re.compile(r"^\s*(?:@\w+\s+)*(?:(?:public|package|internal|private|fileprivate)\s+)?import\s+"
                    r"(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_]\w*)")
TARGET_CALL = re.compile(r"\.(target|executableTarget|systemLibrary|testTarget)\(")


def calls(text):
    """Each `.target(...)`-like call of Package.swift: (kind, the text inside its parentheses)."""
    for m in TARGET_CALL.finditer(text):
        depth, i = 1, m.end()
        while depth and i < len(text):
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        yield m.group(1), text[m.end():i - 1]


def bracketed(text, key):
    """The text of `key: [ ... ]` inside a call, or ''."""
    m = re.search(key + r"\s*:\s*\[", text)
    if not m:
        return ""
    depth, i = 1, m.end()
    while depth and i < len(text):
        depth += {"[": 1, "]": -1}.get(text[i], 0)
        i += 1
    return text[m.end():i - 1]


def package_targets(repo):
    """Targets whose folder is under Sources/: name → (folder, declared target deps, declared products)."""
    text = open(os.path.join(repo, "Package.swift"), encoding="utf-8").read()
    targets = {}
    for kind, body in calls(text):
        name = re.search(r'name\s*:\s*"([^"]+)"', body).group(1)
        path = re.search(r'path\s*:\s*"([^"]+)"', body)
        folder = path.group(1) if path else f"Sources/{name}"
        # Tests and the fuzzer are not layers; the C modules are named by the rows of their bridges.
        if kind in ("testTarget", "systemLibrary") or not folder.startswith("Sources/"):
            continue
        deps = bracketed(body, "dependencies")
        products = set(re.findall(r'\.product\(\s*name\s*:\s*"([^"]+)"', deps))
        plain = re.sub(r"\.product\([^)]*\)", "", deps)
        targets[name] = (folder, set(re.findall(r'"([^"]+)"', plain)), products)
    return targets


def read_table(path):
    """The rows of docs/layers.txt in order: [(target, set of allowed imports)]."""
    rows = []
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        if line:
            target, _, allowed = line.partition(":")
            rows.append((target.strip(), set(allowed.split())))
    return rows


def imports(repo, folder):
    """module → [file:line, ...] for every Swift file of the folder."""
    found = {}
    for d, _, files in os.walk(os.path.join(repo, folder)):
        for name in sorted(files):
            if not name.endswith(".swift"):
                continue
            path = os.path.join(d, name)
            for n, line in enumerate(open(path, encoding="utf-8"), 1):
                m = IMPORT.match(line)
                if m:
                    found.setdefault(m.group(1), []).append(f"{os.path.relpath(path, repo)}:{n}")
    return found


def places(rows, targets, edges):
    """A position for every target, lowest first: the table's rows, then the unlisted ones (see above)."""
    place = {t: float(i) for i, (t, _) in enumerate(rows)}
    top = float(len(rows) - 1)
    unlisted = [t for t in targets if t not in place]
    for t in unlisted:
        place[t] = top - 0.5
    for _ in range(len(unlisted) + 1):  # settles in as many rounds as unlisted targets can chain
        for t in unlisted:
            importers = [place[s] for s in targets if t in edges.get(s, {})]
            place[t] = min(importers, default=top) - 0.5 / (len(unlisted) + 1)
    return place


def analyse(repo, table_path):
    targets = package_targets(repo)
    rows = read_table(table_path)
    allowed = dict(rows)
    edges = {t: imports(repo, folder) for t, (folder, _, _) in targets.items()}
    place = places(rows, targets, edges)
    crossing = []  # (target, module, why, locations)
    for t, modules in edges.items():
        for module, where in sorted(modules.items()):
            if module in ALWAYS or module == t:
                continue
            why = None
            if t in allowed:
                if "*" not in allowed[t] and module not in allowed[t]:
                    why = f"not in {t}'s row"
            elif module in C_MODULES:
                why = "C module outside its bridges"
            elif module in targets and place[module] >= place[t]:
                why = f"{t} has no row and {module} is not below it"
            if why:
                crossing.append((t, module, why, where))
    return targets, rows, edges, place, crossing


def report(repo, targets, rows, edges, place, crossing):
    order = sorted(targets, key=lambda t: place[t])
    print("== import edges per target, lowest first (Foundation, Dispatch, Glibc left out)")
    for t in order:
        mods = sorted(m for m in edges[t] if m not in ALWAYS)
        print(f"{t:11} {targets[t][0]:22} -> {' '.join(mods) or '-'}")
    print(f"\n== crossing edges: {len(crossing)} ({sum(len(w) for *_, w in crossing)} import lines)")
    for t, module, why, where in crossing:
        more = f" (+{len(where) - 3} more)" if len(where) > 3 else ""
        print(f"{t} -> {module}: {why}; {', '.join(where[:3])}{more}")
    # A C module belongs to the bridge whose row names it (Geometry: CGEOS, Projection: CPROJ, Rendering: CPNG, Support: CZlib).
    allowed = dict(rows)
    stray = [(t, m, w) for t in order for m, w in sorted(edges[t].items())
             if m in C_MODULES and m not in allowed.get(t, set())]
    print(f"\n== C modules imported outside their bridges (Geometry, Projection, Rendering, Support): "
          f"{sum(len(w) for _, _, w in stray)} imports")
    for t, m, where in stray:
        print(f"{t} imports {m}: {', '.join(where)}")
    listed = {t for t, _ in rows}
    missing = [t for t in order if t not in listed]
    print(f"\n== targets of Package.swift missing from docs/layers.txt: {' '.join(missing) or 'none'}")
    for t in missing:
        below = [s for s in order if place[s] > place[t] and s in listed]
        print(f"{t}: placed just below {below[0] if below else 'the top'} (by the targets that import it)")
    absent = [t for t, _ in rows if t not in targets]
    print(f"rows of docs/layers.txt without a target in Package.swift: {' '.join(absent) or 'none'}")
    print("\n== Package.swift dependencies against the imports (warnings)")
    quiet = True
    for t in order:
        _, deps, products = targets[t]
        used = set(edges[t])
        for d in sorted((deps | products) - used):
            print(f"warning: {t} declares {d} but never imports it"); quiet = False
        for m in sorted(used - deps - products - ALWAYS):
            print(f"warning: {t} imports {m} without declaring it (reached through another dependency)"); quiet = False
    if quiet:
        print("none")
    known = {f for f, _, _ in targets.values()} | {f"Sources/{c}" for c in C_MODULES}
    strays = sorted(f"Sources/{d}" for d in os.listdir(os.path.join(repo, "Sources"))
                    if os.path.isdir(os.path.join(repo, "Sources", d)) and f"Sources/{d}" not in known)
    if strays:
        print(f"warning: folders under Sources/ that are no target: {' '.join(strays)}")


def main():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repo", default=here, help="the checkout to check (default: the one holding this script)")
    ap.add_argument("--table", help="the layer table (default: docs/layers.txt of this script's checkout)")
    ap.add_argument("--count", action="store_true", help="print only the number of crossing edges")
    a = ap.parse_args()
    # The table of this script's checkout by default: an older checkout may not have one.
    table = a.table or os.path.join(here, "docs", "layers.txt")
    targets, rows, edges, place, crossing = analyse(a.repo, table)
    if a.count:
        print(len(crossing))
    else:
        report(a.repo, targets, rows, edges, place, crossing)
    return 1 if crossing else 0


if __name__ == "__main__":
    sys.exit(main())
