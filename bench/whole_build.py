#!/usr/bin/env python3
"""Whole-build benchmark: cifras against Hugo on the same synthetic corpus.

For each N: writes a synthetic project (`cifras synth N`) and the same bulletin texts as a plain
Hugo site, then alternates runs of `cifras build` and `hugo` (fresh output directory each run,
on tmpfs), and reports medians: wall time, CPU time (user + system), peak memory, pages/s,
charts/s, output size, cifras' per-stage times, `cifras check` time, the ratio cifras/Hugo, and
with the build cache: a cold build (empty cache), then rebuilds with it (unchanged, the newest
bulletin edited, one bulletin added), and a build with `--no-cache`. The corpus is N+1
bulletins with the last held back, so "one bulletin added" adds it.

Usage: python3 bench/whole_build.py [--runs 3] [--dir /dev/shm/cifras-bench] N [N ...]
Needs a release build with the corpus generator (`cargo build --release --features synth`) and
`hugo` (Debian package `hugo`).
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CIFRAS = os.path.join(ROOT, "target", "release", "cifras")


def timed(cmd):
    """Run `cmd` under GNU time: (wall s, cpu s, peak KiB, stderr)."""
    fmt = "BENCH %e %U %S %M"
    p = subprocess.run(["/usr/bin/time", "-f", fmt] + cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stdout}\n{p.stderr}")
    line = [l for l in p.stderr.splitlines() if l.startswith("BENCH ")][-1]
    wall, user, sys_, rss = line.split()[1:]
    return float(wall), float(user) + float(sys_), int(rss), p.stderr


def stages(stderr):
    m = re.search(r"Timings: (.*)", stderr)
    return dict((k, float(v)) for k, v in re.findall(r"(\w+) (\d+) ms", m.group(1))) if m else {}


def tree(path):
    files = size = html = svg = 0
    for d, _, names in os.walk(path):
        for n in names:
            files += 1
            size += os.path.getsize(os.path.join(d, n))
            html += n.endswith(".html")
            svg += n.endswith(".svg") and os.path.basename(d) == "graficas"
    return files, size, html, svg


def med(xs):
    return statistics.median(xs)


def bench(n, runs, base):
    work = os.path.join(base, str(n))
    shutil.rmtree(work, ignore_errors=True)
    project, hugo_src = os.path.join(work, "project"), os.path.join(work, "hugo")
    subprocess.run([CIFRAS, "synth", str(n + 1), "--out", project, "--hugo", hugo_src], check=True)
    bulletins = os.path.join(project, "content", "bulletins")
    held = os.path.join(work, "held")
    os.makedirs(held)
    for ext in ("yaml", "md"):
        name = f"sintetico-{n + 1:05d}.{ext}"
        shutil.move(os.path.join(bulletins, name), os.path.join(held, name))
        hugo_post = os.path.join(hugo_src, "content", "boletines", f"sintetico-{n + 1:05d}.md")
        if ext == "md" and os.path.exists(hugo_post):
            os.remove(hugo_post)
    ours, theirs, checks, stage_runs, rebuilds, edited, added, nocache = [], [], [], [], [], [], [], []
    for i in range(runs):
        # Alternate, so drift in machine load hits both alike; fresh output every time.
        out = os.path.join(work, f"out-{i}")
        cache = os.path.join(work, f"cache-{i}")
        build = [CIFRAS, "--root", project, "build", "--cache-dir", cache, "-o", out]
        wall, cpu, rss, err = timed(build + ["--timings"])
        ours.append((wall, cpu, rss))
        stage_runs.append(stages(err))
        files, size, html, charts = tree(out)
        # Rebuilds with the cache: unchanged content, then the newest bulletin's figure edited
        # (it feeds the home page and many indicator and place pages), then one bulletin added.
        rebuilds.append(timed(build)[:3])
        newest = os.path.join(project, "content", "bulletins", f"sintetico-{n:05d}.yaml")
        original = open(newest).read()
        with open(newest, "w") as f:
            # the last figure: the first is often a total its parts must add up to
            last = list(re.finditer(r"value: (\d+)", original))[-1]
            f.write(original[: last.start(1)] + str(int(last.group(1)) + 1) + original[last.end(1) :])
        edited.append(timed(build)[:3])
        with open(newest, "w") as f:
            f.write(original)
        timed(build)
        for name in os.listdir(held):
            shutil.copy(os.path.join(held, name), bulletins)
        added.append(timed(build)[:3])
        for name in os.listdir(held):
            os.remove(os.path.join(bulletins, name))
        shutil.rmtree(out)
        shutil.rmtree(cache)
        nocache.append(timed([CIFRAS, "--root", project, "build", "--no-cache", "-o", out])[:3])
        shutil.rmtree(out)
        hout = os.path.join(work, f"hugo-out-{i}")
        theirs.append(timed(["hugo", "--quiet", "-s", hugo_src, "-d", hout])[:3])
        hfiles, hsize, hhtml, _ = tree(hout)
        shutil.rmtree(hout)
        checks.append(timed([CIFRAS, "--root", project, "check"])[:3])
    o = [med([r[k] for r in ours]) for k in range(3)]
    h = [med([r[k] for r in theirs]) for k in range(3)]
    c = [med([r[k] for r in checks]) for k in range(3)]
    rb = [med([r[k] for r in rebuilds]) for k in range(3)]
    ed = [med([r[k] for r in edited]) for k in range(3)]
    ad = [med([r[k] for r in added]) for k in range(3)]
    nc = [med([r[k] for r in nocache]) for k in range(3)]
    st = {k: med([s.get(k, 0) for s in stage_runs]) for k in stage_runs[0]}
    print(f"\n## N = {n} bulletins (median of {runs} alternating runs)\n")
    print("| | wall s | CPU s | peak MiB | pages | pages/s | charts | charts/s | files | output MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| cifras build, empty cache | {o[0]:.2f} | {o[1]:.2f} | {o[2] / 1024:.0f} | {html} | {html / o[0]:.0f} | {charts} | {charts / o[0]:.0f} | {files} | {size / 2**20:.0f} |")
    print(f"| hugo | {h[0]:.2f} | {h[1]:.2f} | {h[2] / 1024:.0f} | {hhtml} | {hhtml / h[0]:.0f} | 0 | | {hfiles} | {hsize / 2**20:.0f} |")
    print(f"| cifras check | {c[0]:.2f} | {c[1]:.2f} | {c[2] / 1024:.0f} | | | | | | |")
    print(f"| cifras build --no-cache | {nc[0]:.2f} | {nc[1]:.2f} | {nc[2] / 1024:.0f} | | | | | | |")
    print(f"| cifras rebuild with cache, unchanged | {rb[0]:.2f} | {rb[1]:.2f} | {rb[2] / 1024:.0f} | | | | | | |")
    print(f"| cifras rebuild with cache, newest bulletin edited | {ed[0]:.2f} | {ed[1]:.2f} | {ed[2] / 1024:.0f} | | | | | | |")
    print(f"| cifras rebuild with cache, one bulletin added | {ad[0]:.2f} | {ad[1]:.2f} | {ad[2] / 1024:.0f} | | | | | | |")
    print(f"\nratio cifras/hugo (wall): cold {o[0] / h[0]:.2f}, one added {ad[0] / h[0]:.2f}, check {c[0] / h[0]:.2f}")
    print("cifras stages (ms): " + ", ".join(f"{k} {v:.0f}" for k, v in st.items()))
    return o[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", nargs="+", type=int)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", default="/dev/shm/cifras-bench")
    a = ap.parse_args()
    walls = {n: bench(n, a.runs, a.dir) for n in a.sizes}
    if len(walls) > 1:
        lo, hi = min(walls), max(walls)
        print(f"\nscaling: time({hi}) / time({lo}) = {walls[hi] / walls[lo]:.1f} (for {hi // lo}x the bulletins)")
    shutil.rmtree(a.dir, ignore_errors=True)


if __name__ == "__main__":
    main()
