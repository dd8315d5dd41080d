#!/usr/bin/env bash
# Second test tier: the built site checked by tools this project did not write.
# Needs xmllint (libxml2-utils), npm and python3 with feedparser; .ci/run installs them.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
site="$work/site/repo"

echo "== building with a sub-path base URL into $site"
cargo run --release --quiet -- build --base-url https://example.github.io/repo/ --output "$site"

echo "== sitemap.xml against the sitemaps.org 0.9 schema (sitemap.xsd from the npm package sitemap)"
(cd "$work" && npm pack --silent sitemap@8.0.3 >/dev/null && tar xzf sitemap-8.0.3.tgz)
xmllint --noout --schema "$work/package/schema/sitemap.xsd" "$site/sitemap.xml"

echo "== feed.xml with feedparser"
python3 tests/site/check_feed.py "$site/feed.xml" "$site"

echo "site checks: all passed"
