"""Parse the Atom feed with feedparser and check what a feed reader needs."""
import pathlib
import sys

import feedparser

feed_path, site = sys.argv[1], pathlib.Path(sys.argv[2])
d = feedparser.parse(feed_path)
problems = []
if d.bozo:
    problems.append(f"not well-formed: {d.bozo_exception}")
if d.version != "atom10":
    problems.append(f"expected Atom 1.0, got {d.version!r}")
for key in ("title", "id", "updated", "links"):
    if not d.feed.get(key):
        problems.append(f"feed has no {key}")
bulletins = [p for p in (site / "boletines").iterdir() if p.is_dir()]
if len(d.entries) != len(bulletins):
    problems.append(f"{len(d.entries)} entries for {len(bulletins)} bulletins")
for e in d.entries:
    for key in ("title", "id", "updated", "link", "summary"):
        if not e.get(key):
            problems.append(f"entry {e.get('id')} has no {key}")
    rel = e.link.removeprefix("https://example.github.io/repo/")
    if not (site / rel / "index.html").is_file():
        problems.append(f"entry link {e.link} has no page")
for p in problems:
    print("feed:", p)
print(f"feed: {len(d.entries)} entries, {len(problems)} problems")
sys.exit(1 if problems else 0)
