// What one search costs a reader: the bytes the browser downloads under pagefind/ for a query
// on the search page (the UI, the WebAssembly, the index chunks and the results' fragments), as
// sent by a host that gzips scripts and styles (GitHub Pages does).
// Usage (from tests/site, where playwright-core is installed):
//   node ../../bench/search_query.mjs SITE_DIR "query" ["query" …]
// SITE_DIR is a build made with `--base-url https://example.github.io/repo/` or any base URL
// whose path is /repo/; it is served on loopback under /repo/.
import { createRequire } from 'module';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const require = createRequire(path.join(process.cwd(), 'package.json'));
const { chromium } = require('playwright-core');
const [site, ...queries] = process.argv.slice(2);
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript' };
const server = http.createServer((req, res) => {
  const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let file = url.startsWith('/repo/') ? path.join(site, url.slice('/repo/'.length)) : '';
  if (file && fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!file || !path.resolve(file).startsWith(path.resolve(site)) || !fs.existsSync(file)) {
    res.writeHead(404); res.end(); return;
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
  res.end(fs.readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/repo/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
for (const q of queries) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const sizes = [];
  page.on('requestfinished', async (r) => {
    if (!r.url().includes('/pagefind/')) return;
    const body = await (await r.response()).body();
    const file = r.url().split('/pagefind/')[1];
    // GitHub Pages sends scripts and styles gzipped; the index files are compressed already.
    const wire = /\.(js|css|json)$/.test(file) ? zlib.gzipSync(body).length : body.length;
    sizes.push([file, wire]);
  });
  await page.goto(base + 'buscar/?q=' + encodeURIComponent(q));
  await page.waitForSelector('.pagefind-ui__result, .pagefind-ui__message');
  await page.waitForTimeout(1500);
  const total = sizes.reduce((s, [, n]) => s + n, 0);
  const index = sizes.filter(([f]) => !/^pagefind(-ui)?\.(js|css)$|^pagefind-(worker|highlight)/.test(f))
    .reduce((s, [, n]) => s + n, 0);
  if (process.env.VERBOSE) for (const [f, n] of sizes) console.log(`  ${f}: ${(n / 1024).toFixed(1)} kB`);
  console.log(`${JSON.stringify(q)}: ${sizes.length} files, ${(total / 1024).toFixed(0)} kB in all, ` +
    `${(index / 1024).toFixed(0)} kB of index, WebAssembly and results`);
  await context.close();
}
await browser.close();
server.close();
