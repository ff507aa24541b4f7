#!/usr/bin/env python3
"""Compare two folders written by riskmap, for scripts/check_identical.sh.

    python3 scripts/compare_outputs.py LABEL DIR_A DIR_B [--count-file F]

Prints one line, `LABEL: identical (N files)` or `LABEL: DIFFERENT: ...` naming the first differing
files, and exits 1 when anything differs. Every file is compared byte for byte, hidden ones included
(`.riskmap-output` holds the format, the tool and the tile state's hash; `.riskmap-tiles.state` holds
the tile fingerprints: neither holds a path or a time, so both are compared as they are), symbolic
links by their target, and folders by their presence. Only these are normalised:

- report.json: the values of `timings_s`, `generated_at` and `geocode.seconds` (times), and the
  folder's own absolute path (report.json names the `--db` file, which lives in the temporary folder);
- SQLite files (`*.db`, `*.mbtiles`): compared as their rows, each table sorted, with `runs.at` (the
  run's wall-clock time) blanked and the case database's category ids replaced by their texts (both
  vary between two runs of the same binary: see sqlite_rows) — the page layout and the interned ids
  depend on the order in which parallel batches are stored;
- `*.riskmap-lock`, `*.lock`: skipped (they hold the process id of the last run);
- `*-wal`, `*-shm`: skipped (SQLite's transient companions; their content is checked through the rows).
"""
import os, re, sqlite3, sys

SKIPPED = (".riskmap-lock", ".lock", "-wal", "-shm")
SQLITE = (".db", ".mbtiles")
# Times in report.json: each value replaced by a placeholder, the text around it kept, so that key
# order and layout are still compared byte for byte.
VOLATILE = [(re.compile(r'("timings_s"\s*:\s*)\{[^{}]*\}'), r"\1{…}"),
            (re.compile(r'("generated_at"\s*:\s*)"[^"]*"'), r'\1"…"'),
            (re.compile(r'("seconds"\s*:\s*)[-+0-9.eE]+'), r"\1…")]


def entries(root):
    """Relative path → ('dir' | 'link' | 'file', absolute path), links not followed."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            if name.endswith(SKIPPED):
                continue
            kind = "link" if os.path.islink(path) else "dir" if os.path.isdir(path) else "file"
            found[os.path.relpath(path, root)] = (kind, path)
    return found


def report_text(path, root):
    text = open(path, encoding="utf-8").read()
    for pattern, placeholder in VOLATILE:
        text = pattern.sub(placeholder, text)
    # The folder's own path, plain and as JSONSerialization escapes it ("\/tmp\/...").
    for form in (root, root.replace("/", "\\/")):
        text = text.replace(form, "<FOLDER>")
    return text


def normalised(table, column, value, texts):
    if table == "runs" and column == "at":
        return "<TIME>"
    if table == "cases" and column == "category_id":
        return texts.get(value, value)
    return value


def sqlite_rows(path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        # The case database interns category texts; an id is given in the order the texts are first
        # stored, which varies from run to run of the same binary (parallel batches), so cases are
        # compared with the text in place of the id, and the interned table by its texts alone.
        texts = dict(con.execute("SELECT id, text FROM category_texts")) if "category_texts" in tables else {}
        dump = []
        for table in tables:
            cursor = con.execute(f'SELECT * FROM "{table}"')
            columns = [c[0] for c in cursor.description]
            rows = [tuple(normalised(table, c, v, texts) for c, v in zip(columns, row)) for row in cursor]
            if table == "category_texts":
                rows = [(row[columns.index("text")],) for row in rows]
            dump.append((table, columns, sorted(rows, key=repr)))
        schema = sorted(con.execute("SELECT type, name, sql FROM sqlite_master").fetchall(), key=repr)
        return schema, dump
    finally:
        con.close()


def same_bytes(a, b):
    if os.path.getsize(a) != os.path.getsize(b):
        return False
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            ca, cb = fa.read(1 << 20), fb.read(1 << 20)
            if ca != cb:
                return False
            if not ca:
                return True


def same(rel, kind, a, b, root_a, root_b):
    if kind == "dir":
        return True
    if kind == "link":
        return os.readlink(a) == os.readlink(b)
    name = os.path.basename(rel)
    if name == "report.json":
        return report_text(a, root_a) == report_text(b, root_b)
    if name.endswith(SQLITE):
        return sqlite_rows(a) == sqlite_rows(b)
    return same_bytes(a, b)


def main():
    args = sys.argv[1:]
    count_file = None
    if "--count-file" in args:
        i = args.index("--count-file")
        count_file = args[i + 1]
        del args[i:i + 2]
    label, root_a, root_b = args[0], os.path.realpath(args[1]), os.path.realpath(args[2])
    a, b = entries(root_a), entries(root_b)
    differing = [f"{p} (only in {'A' if p in a else 'B'})" for p in sorted(set(a) ^ set(b))]
    compared = 0
    for rel in sorted(set(a) & set(b)):
        (kind_a, path_a), (kind_b, path_b) = a[rel], b[rel]
        if kind_a != kind_b:
            differing.append(f"{rel} ({kind_a} / {kind_b})")
            continue
        compared += kind_a != "dir"
        if not same(rel, kind_a, path_a, path_b, root_a, root_b):
            differing.append(rel)
    if count_file:
        with open(count_file, "a") as f:
            f.write(f"{compared}\n")
    if differing:
        shown = ", ".join(differing[:5]) + (f" … ({len(differing)} in all)" if len(differing) > 5 else "")
        print(f"{label}: DIFFERENT: {shown}")
        return 1
    print(f"{label}: identical ({compared} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
