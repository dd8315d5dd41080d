// Accessibility (axe-core, WCAG 2.1 AA), a journey through the site in a real browser
// (Playwright driving Debian's Chromium), and the site with JavaScript off.
// Run by run.sh with SITE_DIR set to a build made with base URL https://example.github.io/repo/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const SITE = process.env.SITE_DIR;
const SHOTS = process.env.SHOTS_DIR;
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.csv': 'text/csv; charset=utf-8', '.json': 'application/json',
  '.xml': 'application/xml', '.js': 'text/javascript', '.ttf': 'font/ttf',
};

let server, base, browser;

before(async () => {
  assert.ok(SITE && fs.existsSync(SITE), 'SITE_DIR must point at a built site');
  // Serve the site under /repo/, as GitHub Pages serves a project site.
  server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = url.startsWith('/repo/') ? path.join(SITE, url.slice('/repo/'.length)) : null;
    if (file && !path.resolve(file).startsWith(path.resolve(SITE))) file = null;
    if (file && fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!file || !fs.existsSync(file)) {
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      res.end(fs.readFileSync(path.join(SITE, '404.html')));
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}/repo/`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

const PUBLIC = 'https://example.github.io/repo/';

/** A page that fails the test on console errors or failed requests to our server. */
async function open(context, url, { notFound = false } = {}) {
  // The 404 page links absolutely (it is served at any depth): answer its public URLs here.
  await context.route((u) => u.href.startsWith(PUBLIC), async (route) => {
    const rel = decodeURIComponent(new URL(route.request().url()).pathname.slice('/repo/'.length));
    const file = path.join(SITE, rel.endsWith('/') || rel === '' ? rel + 'index.html' : rel);
    if (path.resolve(file).startsWith(path.resolve(SITE)) && fs.existsSync(file)) {
      await route.fulfill({ path: file, contentType: TYPES[path.extname(file)] });
    } else {
      await route.fulfill({ status: 404, body: 'not found' });
    }
  });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    // the 404 page itself is answered with status 404, which Chromium logs
    if (m.type() === 'error' && !(notFound && /status of 404/.test(m.text()))) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // (a request cut short by leaving the page, as a reader does, is not a broken link)
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`failed request: ${r.url()}`);
  });
  page.on('response', (r) => {
    if (r.url().startsWith(base) && r.status() >= 400 && r.url() !== url) problems.push(`${r.status()}: ${r.url()}`);
  });
  const response = await page.goto(url);
  return { page, problems, response };
}

const PAGES = {
  home: '',
  embed: 'graficas/indicador-cirugias-jornadas/',
  bulletin: 'boletines/imss-jornadas-recuperacion-servicios/',
  indicator: 'indicadores/cirugias/',
  indicatorWithoutCharts: 'indicadores/trasplantes-rinon/',
  place: 'lugares/jalisco/',
  data: 'datos/',
  search: 'buscar/?q=rinon',
  methodology: 'metodologia/',
  notFound: 'no-existe/',
};

for (const [kind, rel] of Object.entries(PAGES)) {
  test(`axe: no WCAG 2.1 AA violations on the ${kind} page`, async () => {
    // the search page with its results and filters, on a phone and on a laptop
    const widths = kind === 'search' ? [360, 1280] : [1280];
    for (const [scheme, width] of ['light', 'dark'].flatMap((s) => widths.map((w) => [s, w]))) {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 800 } });
      const { page, problems } = await open(context, base + rel, { notFound: kind === 'notFound' });
      if (kind === 'search') await page.waitForSelector('.pagefind-ui__result');
      const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      const violations = result.violations.map((v) =>
        `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`);
      assert.deepEqual(violations, [], `${scheme} ${width}px: ${violations.join('\n')}`);
      assert.deepEqual(problems, []);
      await context.close();
    }
  });
}

test('journey: home, a bulletin and its charts, an indicator and its CSV', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const { page, problems } = await open(context, base);
  // The home page leads with the latest bulletin, then the comparisons, then the list.
  const order = await page.evaluate(() => ['#reciente', '#comparaciones', '#boletines']
    .map((s) => document.querySelector(s)?.getBoundingClientRect().top ?? -1));
  assert.ok(order[0] > 0 && order[0] < order[1] && order[1] < order[2], `home order ${order}`);
  assert.match(await page.locator('.latest').textContent(), /154\/2022/);
  // Chart tables are collapsed: the list of bulletins is near the top.
  assert.equal(await page.locator('details[open]').count(), 0);
  await page.getByRole('link', { name: /Con Jornadas de Recuperación de Servicios/ }).first().click();
  await page.waitForURL(/boletines\/imss-jornadas-recuperacion-servicios\/$/);

  // Every chart is visible, has a size, and states the numbers of its table.
  const figures = page.locator('figure.chart-card');
  const count = await figures.count();
  assert.ok(count >= 4, `charts on the bulletin page: ${count}`);
  for (let i = 0; i < count; i++) {
    const fig = figures.nth(i);
    // side by side on a wide screen, each chart shows its phone layout, at least 300 px wide
    const shown = fig.locator('svg.chart:visible');
    assert.equal(await shown.count(), 1, `chart ${i}: one layout shown`);
    const box = await shown.boundingBox();
    assert.ok(box && box.width > 300 && box.height > 100, `chart ${i} size ${JSON.stringify(box)}`);
    const svgText = await shown.textContent();
    const values = await fig.locator('table td.num').allTextContents();
    assert.equal(await fig.locator('details.chart-table').getAttribute('open'), null, 'tables start collapsed');
    assert.ok(values.length > 0);
    for (const v of values) {
      const number = v.split(' (')[0].trim();
      assert.ok(svgText.includes(number), `chart ${i} does not show ${number}`);
    }
  }

  // A figure links to the sentence that states it; the sentence becomes the target.
  await page.locator('table.figures a[href*="#fuente-"]').first().click();
  const target = await page.evaluate(() => document.querySelector(':target')?.textContent ?? '');
  assert.match(target, /6 millones 552 mil 794/);

  // On to the kidney transplants indicator, and its CSV.
  await page.getByRole('link', { name: 'Trasplantes de riñón' }).first().click();
  await page.waitForURL(/indicadores\/trasplantes-rinon\/$/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Descargar CSV' }).click(),
  ]);
  const csv = fs.readFileSync(await download.path(), 'utf8').trim().split('\n');
  assert.equal(csv.length, 2, csv.join('\n'));
  assert.match(csv[0], /^bulletin,/);
  assert.match(csv[1], /transplants\.kidney,Trasplantes de riñón,442,/);

  // Surgeries: its jornadas compared, and that chart's embed page, linking back.
  await page.goto(base + PAGES.indicator);
  const embedHref = await page.locator('#grafica-indicador-cirugias-jornadas a', { hasText: 'Ver la gráfica sola' }).getAttribute('href');
  const embed = await open(context, new URL(embedHref, page.url()).href);
  const svg = embed.page.locator('svg.chart-wide');
  const box = await svg.boundingBox();
  assert.ok(box && box.width > 300 && box.height > 80, `embedded chart size ${JSON.stringify(box)}`);
  assert.equal(await embed.page.locator('nav').count(), 0);
  assert.equal(await embed.page.locator('a[target="_top"]', { hasText: 'Ver en' }).getAttribute('href'), '../../indicadores/cirugias/');
  assert.deepEqual(embed.problems, []);
  assert.deepEqual(problems, []);

  for (const width of [360, 1280]) {
    for (const [kind, rel] of Object.entries(PAGES)) {
      const shot = await context.newPage();
      await shot.setViewportSize({ width, height: 900 });
      await shot.goto(base + rel);
      await shot.screenshot({ path: path.join(SHOTS, `${kind}-${width}.png`), fullPage: true });
      await shot.close();
    }
  }
  for (const width of [360, 1280]) {
    const dark = await browser.newContext({ colorScheme: 'dark', viewport: { width, height: 900 } });
    for (const kind of ['home', 'bulletin', 'indicator', 'place', 'embed']) {
      const shot = await dark.newPage();
      await shot.goto(base + PAGES[kind]);
      await shot.screenshot({ path: path.join(SHOTS, `${kind}-${width}-oscuro.png`), fullPage: true });
    }
    await dark.close();
  }
  console.log(`screenshots: ${SHOTS}`);
  await context.close();
});

/** Every HTML page of the built site, as a path under the site root. */
function allPages() {
  const out = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.html')) {
        const rel = path.relative(SITE, full).split(path.sep).join('/');
        out.push(rel === 'index.html' ? '' : rel.replace(/index\.html$/, ''));
      }
    }
  };
  walk(SITE);
  return out.sort();
}

test('at 320 and 360 px no page of the site scrolls sideways, and charts use their phone layout', async () => {
  const pages = allPages();
  assert.ok(pages.length > 60, `pages found: ${pages.length}`);
  const wide = [];
  for (const width of [320, 360]) {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    for (const rel of pages) {
      await page.goto(base + rel);
      // open every table and note, as a reader would: nothing inside may widen the page either
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      if (scroll > width) wide.push(`${rel || '(home)'} at ${width}px: ${scroll}px`);
    }
    const narrow = page.locator('svg.chart-narrow').first();
    await page.goto(base + PAGES.indicator);
    const box = await narrow.boundingBox();
    assert.ok(box && box.width > 250 && box.width <= width, `narrow chart ${JSON.stringify(box)}`);
    assert.equal(await page.locator('svg.chart-wide').first().isVisible(), false);
    await context.close();
  }
  assert.deepEqual(wide, [], `pages wider than the screen:\n${wide.join('\n')}`);
});

test('the embed snippet resizes its frame to the chart, which reports its height', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const { page, problems } = await open(context, base + PAGES.indicator);
  const snippet = await page.locator('#grafica-indicador-cirugias-jornadas .chart-embed code').textContent();
  assert.match(snippet, /^<iframe src="https:\/\/example\.github\.io\/repo\/graficas\/indicador-cirugias-jornadas\/"/);
  const fallback = Number(snippet.match(/height="(\d+)"/)[1]);
  // A newsroom's page at another origin, with the snippet pasted in.
  await page.setContent(`<!DOCTYPE html><html><body style="margin:0"><h1>Nota</h1>${snippet}<p>Fin</p></body></html>`);
  const frame = page.locator('iframe');
  await page.waitForFunction(() => document.querySelector('iframe').style.height !== '');
  const height = await frame.evaluate((f) => f.getBoundingClientRect().height);
  const inner = await page.frames()[1].evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
  assert.ok(Math.abs(height - inner) <= 1, `frame ${height}px, content ${inner}px`);
  assert.ok(inner > 200, `content ${inner}px`);
  // without script the frame keeps a height that shows the whole chart at phone width
  assert.ok(fallback >= inner, `fallback ${fallback}px < content ${inner}px`);
  // opening the chart's table grows the frame with it
  await page.frames()[1].evaluate(() => { document.querySelector('details.chart-table').open = true; });
  await page.waitForFunction((h) => parseFloat(document.querySelector('iframe').style.height) > h, height);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a chart PNG is made in the browser from its SVG, at twice its size', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const { page, problems } = await open(context, base + PAGES.indicator);
  const figure = page.locator('#grafica-indicador-cirugias-jornadas');
  const viewBox = (await figure.locator('svg.chart-wide').getAttribute('viewBox')).split(' ').map(Number);
  // the chart font is fetched to be embedded in the image, so its text matches the SVG on any
  // machine, with or without DejaVu installed
  const fonts = [];
  page.on('requestfinished', (r) => { if (r.url().endsWith('.ttf')) fonts.push(r.url()); });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    figure.getByRole('button', { name: 'PNG' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'indicador-cirugias-jornadas.png');
  const png = fs.readFileSync(await download.path());
  assert.equal(png.subarray(0, 8).toString('binary'), '\x89PNG\r\n\x1a\n');
  assert.equal(png.readUInt32BE(16), viewBox[2] * 2);
  assert.equal(png.readUInt32BE(20), viewBox[3] * 2);
  assert.ok(png.length > 10000, `PNG of ${png.length} bytes`);
  assert.deepEqual(fonts.map((u) => u.replace(/.*\/static\/([A-Za-z-]+)\..*/, '$1')).sort(), ['DejaVuSans', 'DejaVuSans-Bold']);
  assert.deepEqual(problems, []);
  await context.close();
});

/** Search `q` on the search page (from `?q=` or typed in the header box), and the results. */
async function results(page) {
  await page.waitForSelector('.pagefind-ui__result');
  return page.locator('.pagefind-ui__result-title a, .pagefind-ui__result-link').evaluateAll(
    (links) => links.map((a) => ({ text: a.textContent.trim(), href: a.getAttribute('href') })));
}

test('search: a bulletin, an indicator without accents and a place, from ?q= and the header box', async () => {
  for (const width of [360, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    // From a shareable link: an indicator written without accents.
    const { page, problems } = await open(context, base + 'buscar/?q=rinon');
    let found = await results(page);
    assert.ok(found.some((r) => r.text === 'Trasplantes de riñón' && r.href === '/repo/indicadores/trasplantes-rinon/'),
      JSON.stringify(found));
    await page.locator('.pagefind-ui__result-title a', { hasText: 'Trasplantes de riñón' }).first().click();
    await page.waitForURL(/\/repo\/indicadores\/trasplantes-rinon\/$/);

    // A place.
    await page.goto(base + 'buscar/?q=Jalisco');
    found = await results(page);
    assert.equal(found[0].href, '/repo/lugares/jalisco/', JSON.stringify(found));

    // A bulletin, from the header box of another page; the address keeps the query.
    await page.goto(base + 'lugares/');
    await page.locator('#buscar-sitio').fill('rehabilitacion post covid');
    await page.locator('form.site-search button').click();
    await page.waitForURL(/\/repo\/buscar\/\?q=rehabilitacion/);
    found = await results(page);
    const bulletin = found.find((r) => r.href === '/repo/boletines/imss-rehabilitacion-post-covid/');
    assert.ok(bulletin, JSON.stringify(found));

    // A figure: the result lands on its row, which states the number.
    await page.goto(base + 'buscar/?q=' + encodeURIComponent('cirugias septiembre 2021'));
    found = await results(page);
    const figure = found.find((r) => r.text === 'Cirugías · 2,537 · 10–12 sep 2021 · Nacional');
    assert.ok(figure, JSON.stringify(found));
    await page.locator(`a[href="${figure.href}"]`).first().click();
    await page.waitForURL(/boletines\/imss-jornadas-recuperacion-servicios\/#informe-7a-jornada-nacional-cirugias$/);
    const row = await page.evaluate(() => document.querySelector(':target')?.textContent ?? '');
    assert.match(row, /Cirugías/);
    assert.match(row, /2,537/);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('with JavaScript off, the search page says what it needs and links the lists', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const { page, problems } = await open(context, base + 'buscar/?q=rinon');
  assert.match(await page.locator('main').textContent(), /necesita JavaScript/);
  for (const list of ['boletines/', 'indicadores/', 'lugares/']) {
    assert.equal(await page.locator(`main a[href="../${list}"]`).count(), 1, list);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('with JavaScript off, charts and their tables are all there', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const { page, problems } = await open(context, base + PAGES.bulletin);
  const charts = await page.locator('figure.chart-card svg.chart-wide[role="img"]').count();
  const tables = await page.locator('figure.chart-card table').count();
  assert.ok(charts >= 4);
  assert.equal(tables, charts);
  // the PNG needs script: its button stays hidden, the SVG and CSV links remain
  assert.equal(await page.locator('button.chart-png:visible').count(), 0);
  assert.equal(await page.locator('figure.chart-card a[download]', { hasText: 'SVG' }).count(), charts);
  assert.deepEqual(problems, []);
  await context.close();
});
