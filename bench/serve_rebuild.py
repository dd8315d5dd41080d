#!/usr/bin/env python3
"""Save-to-served benchmark for `cifras serve`.

Writes a synthetic project of N bulletins, starts `cifras serve` on a free loopback port, then
repeatedly edits one bulletin's YAML (its title) and measures the time from the file being
written to the bulletin's page being served with the new title (polling every 5 ms). Does it
for the newest bulletin (the usual edit, and the costliest: it is listed on the home page and on
every indicator and place page it feeds) and for one in the middle. Reports median and range.

Usage: python3 bench/serve_rebuild.py [--edits 7] [N]   (N defaults to 1000)
"""
import argparse
import os
import shutil
import statistics
import subprocess
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CIFRAS = os.path.join(ROOT, "target", "release", "cifras")


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except OSError:
        return ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bulletins", nargs="?", type=int, default=1000)
    ap.add_argument("--edits", type=int, default=7)
    ap.add_argument("--dir", default="/dev/shm/cifras-serve-bench")
    a = ap.parse_args()
    shutil.rmtree(a.dir, ignore_errors=True)
    subprocess.run([CIFRAS, "synth", str(a.bulletins), "--out", a.dir], check=True)
    server = subprocess.Popen(
        [CIFRAS, "--root", a.dir, "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        line = server.stdout.readline()  # "Sirviendo el sitio en http://127.0.0.1:PORT/cifras/ ..."
        base = line.split()[4]
        for which, number in (("newest", a.bulletins), ("middle", a.bulletins // 2)):
            slug = f"sintetico-{number:05}"
            yaml = os.path.join(a.dir, "content", "bulletins", slug + ".yaml")
            page = f"{base}boletines/{slug}/"
            original = open(yaml, encoding="utf-8").read()
            first = original.splitlines()[0]
            times = []
            for i in range(a.edits):
                marker = f"Edición de prueba {which} {i}"
                time.sleep(1.0)  # let the previous rebuild settle
                start = time.perf_counter()
                with open(yaml, "w", encoding="utf-8") as f:
                    f.write(original.replace(first, f'title: "{marker}"', 1))
                while marker not in get(page):
                    if time.perf_counter() - start > 60:
                        raise SystemExit("the edit never showed up")
                    time.sleep(0.005)
                times.append((time.perf_counter() - start) * 1000)
            with open(yaml, "w", encoding="utf-8") as f:
                f.write(original)
            time.sleep(1.0)
            print(f"N = {a.bulletins}, {which} bulletin: save -> served, median "
                  f"{statistics.median(times):.0f} ms (min {min(times):.0f}, max {max(times):.0f}, "
                  f"{a.edits} edits)")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(a.dir, ignore_errors=True)


if __name__ == "__main__":
    main()
