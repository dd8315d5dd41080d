"""How provenance tells a figure's indicator: swap the metrics of every pair of figures within one
report of the bundled content and ask `cifras check --explain --format json` how each swapped
figure is traced. Every swapped figure should be `number_only` (its number is in the text, next
to the other indicator's words); a pair whose swap breaks a sum (a total and its part) is refused
by an error before provenance is asked, and counted apart.

Usage: python3 bench/provenance_swaps.py [BINARY] [PROJECT]
(defaults: target/release/cifras and the repository itself)
"""
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/cifras"
project = sys.argv[2] if len(sys.argv) > 2 else "."
bdir = os.path.join(project, "content", "bulletins")
counts = collections.Counter()
wrongly_found = []
for name in sorted(os.listdir(bdir)):
    if not name.endswith(".yaml"):
        continue
    lines = open(os.path.join(bdir, name), encoding="utf-8").read().split("\n")
    # the figure lines of each report (a `- id:` line starts a report)
    reports, current = [], []
    for i, line in enumerate(lines):
        if re.match(r"\s*- id:", line):
            if current:
                reports.append(current)
            current = []
        m = re.search(r"metric: ([\w.]+)", line)
        if m:
            # the line of its value, where `--explain` locates the figure
            v = next(k for k in range(i, len(lines)) if "value:" in lines[k])
            current.append((i, m.group(1), v + 1))
    if current:
        reports.append(current)
    for figures in reports:
        for a in range(len(figures)):
            for b in range(a + 1, len(figures)):
                (i, ma, vi), (j, mb, vj) = figures[a], figures[b]
                if ma == mb:
                    continue
                tmp = tempfile.mkdtemp()
                try:
                    shutil.copytree(os.path.join(project, "content"), os.path.join(tmp, "content"))
                    swapped = list(lines)
                    swapped[i] = lines[i].replace("metric: " + ma, "metric: " + mb, 1)
                    swapped[j] = lines[j].replace("metric: " + mb, "metric: " + ma, 1)
                    with open(os.path.join(tmp, "content", "bulletins", name), "w", encoding="utf-8") as f:
                        f.write("\n".join(swapped))
                    out = subprocess.run(
                        [binary, "--root", tmp, "check", "--explain", "--format", "json"],
                        capture_output=True, text=True,
                    )
                    explained = json.loads(out.stdout).get("figures")
                    if not explained:
                        counts["pairs refused by an error (a sum)"] += 1
                        continue
                    counts["pairs checked"] += 1
                    for f in explained:
                        if f["path"].endswith(name) and f["line"] in (vi, vj):
                            counts["swapped figures " + f["trace"]] += 1
                            if f["trace"] == "found":
                                wrongly_found.append((name, f["line"], f["metric"], f["value"], f["sentence"]))
                finally:
                    shutil.rmtree(tmp)
for key, n in sorted(counts.items()):
    print(f"{n:5d}  {key}")
for w in wrongly_found:
    print("still traced after the swap:", *w)
