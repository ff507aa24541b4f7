#!/usr/bin/env python3
"""Writes the independent fixtures of the Input tests (run from the repository root; deterministic).

- Tests/Fixtures/cases/tricky.csv + tricky.expected.json: a CSV full of edge cases and what Python's
  csv module reads from it (fields, and the physical line where each row starts), so the Swift reader
  is checked against an implementation it shares no code with.
- Tests/Fixtures/cases/gb18030.csv: a small cases file encoded by Python's GB18030 codec.
"""
import csv, io, json, os, random

OUT = "Tests/Fixtures/cases"

def tricky_text(rng):
    pieces = ["a", "b c", "噪声", "油烟扰民", ",", '"', '""', "\n", "\r\n", "\r", "x,y", " ", "１１４．０５",
              "2026-11-23", "'", "\t", "路12号", "😀", "é"]
    def field():
        n = rng.randint(0, 4)
        text = "".join(rng.choice(pieces) for _ in range(n))
        # Quote when needed, and sometimes when not; otherwise write the text bare.
        needs = any(c in text for c in ',"\r\n')
        if needs or rng.random() < 0.2:
            return '"' + text.replace('"', '""') + '"'
        return text
    out = []
    for i in range(400):
        row = ",".join(field() for _ in range(rng.randint(1, 6)))
        out.append(row + rng.choice(["\n", "\r\n", "\n", "\r\n", "\r"]))
        if rng.random() < 0.05:
            out.append(rng.choice(["\n", "\r\n"]))  # blank lines
    # Python-compatible oddities: quote inside a bare field, text after a closing quote.
    out.append('ab"c,"de"fg,h\n')
    out.append(' "sp",x\n')      # a quote after a space is literal
    out.append('""\n')           # one empty quoted field is a row, not a blank line
    out.append('trailing,comma,\r\n')
    out.append('last,row,"no newline"')
    return "".join(out)

def python_rows(text):
    """Rows as Python's csv reads them, with the line each starts on; blank lines dropped."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, before = [], 0
    for fields in reader:
        if fields:
            rows.append({"line": before + 1, "fields": fields})
        before = reader.line_num
    return rows

def main():
    os.makedirs(OUT, exist_ok=True)
    text = tricky_text(random.Random(20261123))
    with open(f"{OUT}/tricky.csv", "wb") as f:
        f.write(text.encode("utf-8"))
    with open(f"{OUT}/tricky.expected.json", "w", encoding="utf-8") as f:
        json.dump(python_rows(text), f, ensure_ascii=False, indent=0)
    gb = ("工单编号,受理时间,问题类型,事发地址,经度,纬度,来源渠道\r\n"
          "GB001,2026/11/23 8:30,餐饮油烟,深圳市福田区福华路１２号,114.05,22.54,12345热线\r\n"
          "GB002,2026-11-22,噪声扰民,\"华强北路,赛格广场\",,,网络\r\n"
          "GB003,2026-11-21 23:59:59,异味,𠀀字测试路,,,微信\r\n")
    with open(f"{OUT}/gb18030.csv", "wb") as f:
        f.write(gb.encode("gb18030"))

if __name__ == "__main__":
    main()
