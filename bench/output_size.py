#!/usr/bin/env python3
"""Output size of a built site, by kind of file.

Totals the bytes of every file (their lengths, as GitHub Pages counts an artifact, not the disk
blocks `du` reports) under a built site, grouped by what the file is:

  pages: <folder>    HTML pages, by their first folder (boletines, indicadores, lugares; the
                     home page and other single pages as "pages: other")
  embeds             graficas/<id>/index.html, the pages to put in an <iframe>
  social cards       tarjetas/**.png
  chart SVG          graficas/*.svg
  chart CSV          graficas/*.csv
  data JSON          datos/**.json
  data CSV           datos/**.csv
  search index       pagefind/
  static             static/ (stylesheet, scripts, fonts)
  other              the rest (feed, sitemap, robots.txt, ...)

Usage: python3 bench/output_size.py [--markdown] DIR [DIR ...]
With two folders (before, after) it adds a column per folder and the change.
"""
import argparse
import os
import sys

MIB = 1024 * 1024


def kind(rel):
    """The kind of the file at `rel` (a path relative to the site root, with `/`)."""
    parts = rel.split("/")
    top, name = parts[0], parts[-1]
    if top == "pagefind":
        return "search index"
    if top == "static":
        return "static"
    if top == "tarjetas" and name.endswith(".png"):
        return "social cards"
    if top == "graficas":
        if len(parts) == 3 and name == "index.html":
            return "embeds"
        if len(parts) == 2 and name.endswith(".svg"):
            return "chart SVG"
        if len(parts) == 2 and name.endswith(".csv"):
            return "chart CSV"
    if top == "datos" and name.endswith(".json"):
        return "data JSON"
    if top == "datos" and name.endswith(".csv"):
        return "data CSV"
    if name.endswith(".html"):
        if top in ("boletines", "indicadores", "lugares"):
            return f"pages: {top}"
        return "pages: other"
    return "other"


def measure(root):
    """{kind: (files, bytes)} for the site at `root`."""
    totals = {}
    for d, dirs, names in os.walk(root):
        dirs.sort()
        for n in names:
            path = os.path.join(d, n)
            if os.path.islink(path):
                continue
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            if rel.startswith("."):  # .cifras-output, .nojekyll: bookkeeping, a few bytes
                k = "other"
            else:
                k = kind(rel)
            files, size = totals.get(k, (0, 0))
            totals[k] = (files + 1, size + os.path.getsize(path))
    return totals


def table(roots, markdown):
    measured = [measure(r) for r in roots]
    kinds = sorted(
        {k for m in measured for k in m},
        key=lambda k: -max(m.get(k, (0, 0))[1] for m in measured),
    )
    head = ["kind"]
    for r in roots:
        head += [f"files ({os.path.basename(r.rstrip('/'))})", f"MiB ({os.path.basename(r.rstrip('/'))})"]
    if len(roots) == 2:
        head.append("change")
    rows = []
    for k in kinds + ["total"]:
        row = [k]
        sizes = []
        for m in measured:
            if k == "total":
                files = sum(f for f, _ in m.values())
                size = sum(s for _, s in m.values())
            else:
                files, size = m.get(k, (0, 0))
            sizes.append(size)
            row += [f"{files:,}", f"{size / MIB:,.1f}"]
        if len(roots) == 2:
            before, after = sizes
            row.append(f"{(after - before) / before * 100:+.0f}%" if before else "new")
        rows.append(row)
    if markdown:
        out = ["| " + " | ".join(head) + " |", "| " + " | ".join(["---"] + ["---:"] * (len(head) - 1)) + " |"]
        out += ["| " + " | ".join(r) + " |" for r in rows]
    else:
        widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
        fmt = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
        out = [fmt(head)] + [fmt(r) for r in rows]
    return "\n".join(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--markdown", action="store_true", help="print a Markdown table")
    p.add_argument("dirs", nargs="+", help="built site folders")
    a = p.parse_args()
    for d in a.dirs:
        if not os.path.isdir(d):
            sys.exit(f"not a folder: {d}")
    print(table(a.dirs, a.markdown))


if __name__ == "__main__":
    main()
