#!/usr/bin/env python3
"""Save-to-served benchmark for `cifras serve`.

Writes a synthetic project of N bulletins, starts `cifras serve` on a free loopback port, then
repeatedly edits one bulletin's YAML (its title) and measures the time from the file being
written to the bulletin's page being served with the new title, as an open tab gets it: it
listens to the live-reload event stream, and on each `reload` event fetches the page once and
looks for the new title (no polling, which would compete with the rebuild for the CPU). Does it
for the newest bulletin (the usual edit, and the costliest: it is listed on the home page and on
every indicator and place page it feeds) and for one in the middle. Reports median and range.

Usage: python3 bench/serve_rebuild.py [--edits 7] [N]   (N defaults to 1000)
Needs a release build with the corpus generator: `cargo build --release --features synth`.
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CIFRAS = os.path.join(ROOT, "target", "release", "cifras")


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except OSError:
        return ""


def events(base):
    """A socket reading the server's live-reload stream."""
    u = urllib.parse.urlparse(base)
    sock = socket.create_connection((u.hostname, u.port))
    sock.sendall(b"GET /__cifras/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
    sock.settimeout(60)
    return sock


def wait_reload(sock, buffer):
    """Block until the next `reload` event; returns the rest of the buffer."""
    while "event: reload" not in buffer:
        chunk = sock.recv(4096)
        if not chunk:
            raise SystemExit("event stream closed")
        buffer += chunk.decode("utf-8", "replace")
    return buffer.split("event: reload", 1)[1]


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
            stream, buffer = events(base), ""
            for i in range(a.edits):
                marker = f"Edición de prueba {which} {i}"
                time.sleep(1.0)  # let the previous rebuild settle
                start = time.perf_counter()
                with open(yaml, "w", encoding="utf-8") as f:
                    f.write(original.replace(first, f'title: "{marker}"', 1))
                while True:
                    buffer = wait_reload(stream, buffer)
                    if marker in get(page):
                        break
                times.append((time.perf_counter() - start) * 1000)
            stream.close()
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
