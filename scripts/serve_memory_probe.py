#!/usr/bin/env python3
# Issue 12 probe: the memory of `riskmap serve` after 16,000 equivalent /api/zones requests (distinct spellings:
# escapes, order, defaults) on 127.0.0.1. Usage: python3 scripts/serve_memory_probe.py .build/debug/riskmap OUTPUT_FOLDER
import random, subprocess, sys, time, urllib.request
binary, out = sys.argv[1], sys.argv[2]
p = subprocess.Popen([binary, "serve", "--out", out, "--port", "0"], stdout=subprocess.PIPE)
url = p.stdout.readline().decode().split(" on ")[-1].strip()
def rss():
    for line in open(f"/proc/{p.pid}/status"):
        if line.startswith("VmRSS"): return int(line.split()[1]) / 1024
rnd = random.Random(7)
def spell(s): return "".join(rnd.choice([c, "%%%02X" % ord(c), "%%%02x" % ord(c)]) for c in s)
seen = set()
while len(seen) < 16000:
    parts = [spell("level") + "=" + spell("post")]
    if rnd.random() < .5: parts.append(spell("format") + "=" + spell(rnd.choice(["json", "csv"])))
    rnd.shuffle(parts)
    seen.add("&".join(parts))
urllib.request.urlopen(url + "healthz").read()
before = rss()
t = time.time()
size = None
for q in sorted(seen):
    body = urllib.request.urlopen(url + "api/zones?" + q).read()
    assert size in (None, len(body)); size = len(body)
after = rss()
print(f"{binary}: RSS {before:.0f} MB before, {after:.0f} MB after 16,000 equivalent requests "
      f"({size} bytes each, {time.time() - t:.0f} s)")
p.terminate(); p.wait()
