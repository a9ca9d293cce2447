// How the widget shows what the engine answers, on the seed corpus's demo
// page (the page layout): sections that matched under their hit, the
// corrected query, and the JS API's answer to an unknown filter type.
// Responses with fields the engine may add (hit.sections, corrected) are
// fed by wrapping Quarry.prototype.search in the page.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { quarry, serve, launch, watch, widget, resultsFor, tempDir, removeDir, seedCorpus } from './helpers.mjs';

let dir, srv, browser, ctx, page, seen;

before(async () => {
  dir = await tempDir();
  await quarry('build', '-q', '-o', dir + '/site', seedCorpus);
  srv = await serve(dir + '/site');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  await removeDir(dir);
});

beforeEach(async () => {
  ctx = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  page = await ctx.newPage();
  seen = watch(page);
});

afterEach(async () => {
  assert.deepEqual(seen.errors, [], 'console errors');
  assert.deepEqual(seen.dialogs, [], 'dialogs');
  await ctx.close();
});

// feed makes every search answer also carry what extra(q, res) adds (run
// in the test, as the page's CSP allows no eval).
async function feed(extra) {
  await page.exposeFunction('__feed', (q, res) => {
    extra(q, res);
    return res;
  });
  await page.evaluate(async () => {
    const { Quarry } = await import('/quarry/quarry.js');
    const search = Quarry.prototype.search;
    Quarry.prototype.search = async function (q, opts) {
      return window.__feed(q, await search.call(this, q, opts));
    };
  });
}

async function search(q) {
  const w = widget(page);
  await w.input.fill(q);
  await w.input.press('Enter');
  await resultsFor(page, q);
  return w;
}

test('the sections that matched show under their hit, each linking to its anchor', async () => {
  await page.goto(srv.url);
  await feed((q, res) => {
    if (q !== 'alipay') return; // not the idle preload's searches
    res.hits[0].sections = [
      { heading: 'Payments <b>abroad</b>', url: res.hits[0].url + '#abroad', excerpt: 'Tourists pay with <mark>Alipay</mark> &amp; more' },
      { heading: 'Retail', url: res.hits[0].url + '#retail', excerpt: 'Stores take <mark>Alipay</mark>' },
      { heading: 'Third', url: res.hits[0].url + '#third', excerpt: 'x' },
      { heading: 'Fourth: not shown', url: res.hits[0].url + '#fourth', excerpt: 'y' },
    ];
  });
  const w = await search('alipay');
  const group = w.host.locator('[role=group][part=hit]');
  assert.equal(await group.count(), 1);
  const inGroup = await group.locator('[role=option]').evaluateAll((els) => els.map((e) => ({
    part: e.getAttribute('part'), href: e.getAttribute('href'), heading: e.querySelector('[part=heading]')?.textContent,
    marks: [...e.querySelectorAll('mark')].map((m) => m.textContent), html: e.innerHTML.includes('<b>'),
  })));
  const page0 = inGroup[0].href;
  assert.deepEqual(inGroup.map((o) => [o.part, o.href, o.heading]), [
    ['result', page0, undefined],
    ['result section', page0 + '#abroad', 'Payments <b>abroad</b>'],
    ['result section', page0 + '#retail', 'Retail'],
    ['result section', page0 + '#third', 'Third'],
  ]);
  assert.deepEqual(inGroup[1].marks, ['Alipay']);
  assert.equal(inGroup[1].html, false, 'a heading is text, never markup');
  // The group is named by its page title; the sections are options the
  // arrows reach in order.
  const title = await group.locator('[part=title]').textContent();
  assert.equal(await group.evaluate((g) => g.getRootNode().getElementById(g.getAttribute('aria-labelledby')).textContent), title);
  assert.equal(await w.options.count(), 4 + 3);
  await w.input.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await w.input.getAttribute('aria-activedescendant'), await group.locator('[role=option]').nth(1).getAttribute('id'));
});

test('a corrected query says what was searched, as text', async () => {
  await page.goto(srv.url);
  await feed((q, res) => {
    if (q === 'alibbaba') res.corrected = 'alibaba';
    if (q === 'tencnet') res.corrected = '<img src=x onerror=alert(1)>tencent';
  });
  let w = await search('alibbaba');
  const corrected = w.host.locator('[part=corrected]');
  assert.equal(await corrected.textContent(), 'Showing results for \u2068“alibaba”\u2069');
  // It is part of the status line, so screen readers hear it too.
  assert.equal(await corrected.evaluate((e) => e.closest('[role=status]') !== null), true);
  w = await search('tencnet');
  assert.equal(await corrected.textContent(), 'Showing results for \u2068“<img src=x onerror=alert(1)>tencent”\u2069');
  assert.equal(await w.host.locator('img').count(), 0);
  // Without a correction there is no such line.
  await search('alipay');
  assert.equal(await corrected.count(), 0);
});

test('the section a hit links to is named under its title', async () => {
  await page.goto(srv.url);
  await feed((q, res) => {
    if (q !== 'alipay') return;
    res.hits[0].url += '#payments';
    res.hits[0].section = 'Mobile payments';
  });
  const w = await search('alipay');
  assert.equal(await w.options.first().locator('[part=section]').textContent(), 'Mobile payments');
  assert.match(await w.options.first().getAttribute('href'), /#payments$/);
  assert.equal(await w.options.nth(1).locator('[part=section]').count(), 0);
});

// The build drops unsafe URLs, so only a response fed to the widget
// exercises its own guard (safeURL): results whose URL would run code or
// carry a document are shown without a link.
const HOSTILE_URLS = [
  ['javascript:alert(1)', null],
  [' JAVASCRIPT:alert(1)', null],
  ['java\tscript:alert(1)', null],
  ['\njavascript:alert(1)', null],
  ['data:text/html,<script>alert(1)</script>', null],
  ['vbscript:msgbox(1)', null],
  ['file:///etc/passwd', null],
  ['https://example.org/a?b#c', 'https://example.org/a?b#c'],
  ['http://example.org/', 'http://example.org/'],
  ['/docs/page/', '/docs/page/'],
  ['page.html#part', 'page.html#part'],
  ['../up/', '../up/'],
];

test('results link only to relative and http(s) URLs', async () => {
  await page.goto(srv.url);
  const direct = await page.evaluate(async (urls) => {
    const { safeURL } = await import('/quarry/quarry.js');
    return urls.map((u) => safeURL(u));
  }, HOSTILE_URLS.map(([u]) => u));
  assert.deepEqual(direct, HOSTILE_URLS.map(([, want]) => want));
  await feed((q, res) => {
    if (q !== 'alipay') return;
    res.hits = HOSTILE_URLS.map(([url], i) => ({ ...res.hits[0], id: 'h' + i, title: 'Hit ' + i, url }));
    res.total = res.hits.length;
  });
  const w = await search('alipay');
  const got = await w.options.evaluateAll((els) => els.map((e) => [e.querySelector('[part=title]').textContent, e.getAttribute('href')]));
  assert.deepEqual(got, HOSTILE_URLS.map(([, want], i) => ['Hit ' + i, want]));
});

test('an unknown filter type in the JS API is named, not "try different words"', async () => {
  await page.goto(srv.url);
  const got = await page.evaluate(async () => {
    const { Quarry } = await import('/quarry/quarry.js');
    const q = await Quarry.open('/quarry/');
    try {
      await q.search('alipay', { filters: { org: ['Tencent'], tag: ['x'] } });
      return 'resolved';
    } catch (err) {
      return { name: err.name, code: err.code, message: err.message };
    } finally {
      q.close();
    }
  });
  assert.deepEqual(got, {
    name: 'QuarryError', code: 'filter',
    message: 'Unknown filter type "tag": this index cannot filter by it (it has person, org, place, product, event).',
  });
});

test('in the page layout Tab also goes to the selected result, and the panel stays in the flow', async () => {
  await page.goto(srv.url);
  const w = await search('alipay');
  assert.equal(await w.host.locator('.q-panel').evaluate((e) => getComputedStyle(e).position), 'static');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.id), await w.options.nth(1).getAttribute('id'));
  // Escape from a result: back to the box, which keeps the query.
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.getAttribute('role')), 'combobox');
  assert.equal(await w.input.inputValue(), 'alipay');
  assert.equal(await w.listbox.isVisible(), true);
});

// Counts are written with English digit grouping whatever the browser's
// locale (the widget's sentences are English), in the status line, the
// filter groups and their labels.
test('counts are grouped in thousands, English style', async () => {
  await ctx.close();
  ctx = await browser.newContext({ viewport: { width: 1000, height: 800 }, locale: 'de-DE' });
  page = await ctx.newPage();
  seen = watch(page);
  await page.goto(srv.url);
  const COUNTS = [[0, '0'], [7, '7'], [999, '999'], [1000, '1,000'], [12345, '12,345'], [100000, '100,000'], [1234567, '1,234,567']];
  await feed((q, res) => {
    if (q !== 'alipay') return;
    res.total = 1234567;
    res.facets.org = COUNTS.map(([n], i) => ({ value: 'Org ' + i, count: n }));
  });
  const w = await search('alipay');
  assert.match(await w.status.textContent(), /^1,234,567 results for \u2068“alipay”\u2069 /);
  const group = w.host.locator('[part~=facet-group][data-type=org]');
  await group.locator('[part~=facet-more]').click();
  const got = await group.locator('[part~=facet-value]').evaluateAll((els) => els.map((e) => [e.querySelector('.q-name').textContent, e.querySelector('[part~=facet-count]').textContent, e.querySelector('input').getAttribute('aria-label')]));
  assert.deepEqual(got, COUNTS.map(([n, want], i) => ['Org ' + i, want, `Org ${i} (${want} ${n === 1 ? 'result' : 'results'})`]));
});
