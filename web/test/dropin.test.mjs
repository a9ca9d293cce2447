// Quarry dropped into a real site, as README "In your site" says: a small
// Hugo site (testdata/hugo: a header with the search box, .Content in
// <main>, goldmark heading ids, tags, an alias page, inline styles and an
// inline script) built with Debian's hugo, indexed with
// `quarry build --site public`, served by `quarry serve`, in Chromium.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { serve, launch, watch, widget, tempDir, removeDir, buildHugoSite } from './helpers.mjs';

let dir, srv, browser, ctx, page, seen, violations, build;

before(async () => {
  dir = await tempDir();
  const site = await buildHugoSite(dir);
  build = site.build;
  srv = await serve(site.public);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  await removeDir(dir);
});

// open starts a page of the given size that records layout shifts and CSP
// violations from the start.
async function open(width = 1000, height = 700) {
  ctx = await browser.newContext({ viewport: { width, height } });
  page = await ctx.newPage();
  seen = watch(page);
  violations = [];
  await page.exposeFunction('__violation', (v) => violations.push(v));
  await page.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__shifts.push({ value: e.value, recent: e.hadRecentInput, nodes: e.sources.map((s) => s.node?.nodeName) });
    }).observe({ type: 'layout-shift', buffered: true });
    document.addEventListener('securitypolicyviolation', (e) => window.__violation(`${e.violatedDirective} ${e.blockedURI}`));
  });
}

beforeEach(() => open());

afterEach(async () => {
  assert.deepEqual(seen.errors, [], 'console errors');
  assert.deepEqual(violations, [], 'CSP violations');
  await ctx.close();
});

const shadow = (sel) => page.evaluate((s) => {
  const el = document.querySelector('quarry-search').shadowRoot.querySelector(s);
  return el && { hidden: el.hidden || getComputedStyle(el).display === 'none', rect: el.getBoundingClientRect().toJSON() };
}, sel);

// The layout-shift score so far: every shift counted, even right after input.
const cls = () => page.evaluate(() => window.__shifts.reduce((s, e) => s + e.value, 0));

// focused returns the focused element inside the widget: its role, or
// its tag name.
const focused = () => page.evaluate(() => {
  const a = document.activeElement;
  const e = a?.shadowRoot?.activeElement || a;
  return e ? e.getAttribute('role') || e.tagName : null;
});

async function typeQuery(q) {
  const w = widget(page);
  await w.input.click();
  await w.input.pressSequentially(q, { delay: 20 });
  await page.waitForFunction((q) => document.querySelector('quarry-search').shadowRoot.querySelector('[role=status]').textContent.includes(`“${q}”`), q, { timeout: 15000 });
  return w;
}

test('the site indexes cleanly: the alias page is skipped, not warned about', () => {
  assert.equal(build.stderr, '');
  // Hugo's alias page redirects (<meta http-equiv="refresh">): counted, not warned about.
  assert.match(build.stdout, /^indexed \d+ documents, skipped 1: 1 redirect; 0 warnings;/);
  assert.ok(+build.stdout.match(/^indexed (\d+)/)[1] >= 30);
});

test('a header box: nothing moves, results open over the page, the matching section is named and linked', async () => {
  const res = await page.goto(srv.url + 'docs/configuration/site/');
  // The host page gets no policy from quarry serve; Quarry's files do.
  assert.equal(res.headers()['content-security-policy'], undefined);
  const js = await page.request.get(srv.url + 'quarry/quarry.js');
  assert.match(js.headers()['content-security-policy'] || '', /script-src 'self' 'wasm-unsafe-eval'/);
  // Before any query: the box and nothing else, at its final height.
  const w = widget(page);
  await w.input.waitFor();
  assert.equal((await shadow('.q-panel')).hidden, true);
  const mainTop = await page.locator('main').evaluate((e) => e.getBoundingClientRect().top);
  await page.waitForResponse((r) => r.url().endsWith('.idx'), { timeout: 15000 }).catch(() => {}); // idle preload
  await page.waitForTimeout(500);

  await typeQuery('quillfeather');
  await page.waitForTimeout(300);
  const shifts = await page.evaluate(() => window.__shifts);
  console.log(`layout shift from load to the first results: ${(await cls()).toFixed(4)} (${shifts.length} shifts)`);
  assert.ok((await cls()) <= 0.01, `layout shifts: ${JSON.stringify(shifts)}`);
  assert.equal(await page.locator('main').evaluate((e) => e.getBoundingClientRect().top), mainTop, 'the page did not move');
  // The panel lies over the page, right under the box, inside the viewport.
  const panel = await shadow('.q-panel');
  const box = await w.input.boundingBox();
  assert.equal(panel.hidden, false);
  assert.ok(panel.rect.top >= box.y + box.height && panel.rect.top <= box.y + box.height + 8, `panel at ${panel.rect.top}, box ends at ${box.y + box.height}`);
  assert.ok(panel.rect.left >= 0 && panel.rect.right <= 1000, `panel from ${panel.rect.left} to ${panel.rect.right}`);
  assert.ok(panel.rect.bottom > mainTop, 'the panel covers the page');
  // The only match is in the page's third section: its heading is shown
  // and the result links to its anchor.
  const opts = await w.options.evaluateAll((els) => els.map((e) => ({ href: e.getAttribute('href'), text: e.textContent })));
  const hit = opts.find((o) => o.href?.endsWith('/docs/configuration/caching/#tuning-the-cache-warmer'));
  assert.ok(hit, `options: ${JSON.stringify(opts)}`);
  assert.match(hit.text, /Tuning the cache warmer/);
  assert.match(hit.text, /quillfeather/);
  await Promise.all([page.waitForURL(/#tuning-the-cache-warmer$/), w.host.locator(`[role=option][href$="#tuning-the-cache-warmer"]`).click()]);
  assert.equal(await page.locator('h2#tuning-the-cache-warmer').count(), 1);
  // The host page's inline script ran and its inline styles apply, Hugo's
  // highlighting (style attributes) included.
  assert.equal(await page.evaluate(() => document.documentElement.dataset.hostScript), 'ran');
  assert.equal(await page.locator('.site-header').evaluate((e) => getComputedStyle(e).borderBottomWidth), '1px');
  assert.notEqual(await page.locator('pre').first().evaluate((e) => getComputedStyle(e).backgroundColor), 'rgba(0, 0, 0, 0)');
});

test('the site\'s taxonomy is a filter group, in the order quarry.yaml asks', async () => {
  await page.goto(srv.url);
  const w = await typeQuery('cache');
  await page.waitForFunction(() => document.querySelector('quarry-search').shadowRoot.querySelector('fieldset[data-type=tags]'));
  const groups = await w.host.locator('fieldset[data-type]').evaluateAll((els) => els.filter((e) => !e.hidden).map((e) => [e.dataset.type, e.querySelector('legend').textContent]));
  assert.deepEqual(groups, [['tags', 'Tags'], ['section', 'Section']]);
  await w.host.locator('fieldset[data-type=tags]').getByRole('checkbox', { name: /^performance \(/ }).check();
  await page.waitForFunction(() => document.querySelector('quarry-search').shadowRoot.querySelector('[role=status]').textContent.includes('with 1 filter'));
  assert.deepEqual(new URLSearchParams(new URL(page.url()).hash.slice(1)).getAll('f'), ['tags:performance']);
  const titles = await w.host.locator('[role=option] [part=title]').allTextContents();
  assert.ok(titles.length && titles.every((t) => ['Caching', 'Image settings', 'Deploy to an object store', 'Smaller galleries with WebP'].includes(t)), `titles: ${titles}`);
});

test('Escape, a click or the focus outside close the panel; Escape gives the focus back to the box', async () => {
  await page.goto(srv.url + 'docs/');
  const w = await typeQuery('cache');
  const isOpen = async () => !(await shadow('.q-panel')).hidden;
  assert.equal(await isOpen(), true);
  assert.equal(await w.input.getAttribute('aria-expanded'), 'true');
  // From a result: Escape closes and the focus is in the box again.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'option');
  await page.keyboard.press('Escape');
  assert.equal(await isOpen(), false);
  assert.equal(await focused(), 'combobox');
  assert.equal(await w.input.inputValue(), 'cache', 'the query stays');
  assert.equal(await w.input.getAttribute('aria-expanded'), 'false');
  // The arrow opens it again; Escape in the box closes it, a second clears.
  await page.keyboard.press('ArrowDown');
  assert.equal(await isOpen(), true);
  await page.keyboard.press('Escape');
  assert.equal(await isOpen(), false);
  await page.keyboard.press('Escape');
  assert.equal(await w.input.inputValue(), '');
  // A click outside closes it; a click in the box opens it again.
  await w.input.pressSequentially('cache', { delay: 20 });
  await page.waitForFunction(() => !document.querySelector('quarry-search').shadowRoot.querySelector('.q-panel').hidden);
  await page.mouse.click(100, 400); // the page, left of the panel
  assert.equal(await isOpen(), false);
  await w.input.click();
  assert.equal(await isOpen(), true);
  // The focus leaving for the page closes it too.
  await page.locator('.brand').focus();
  assert.equal(await isOpen(), false);
});

test('Tab goes from the box to the result that looks selected, and nothing looks selected once the focus leaves the results', async () => {
  await page.goto(srv.url + 'docs/');
  const w = await typeQuery('cache');
  const selected = () => w.options.evaluateAll((els) => els.flatMap((e, i) => (e.getAttribute('aria-selected') === 'true' ? [i] : [])));
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.deepEqual(await selected(), [1]);
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'option');
  assert.equal(await page.evaluate(() => document.querySelector('quarry-search').shadowRoot.activeElement.id), await w.options.nth(1).getAttribute('id'));
  // Arrows move the focus among the results; ↑ from the first is the box.
  await page.keyboard.press('ArrowDown');
  assert.deepEqual(await selected(), [2]);
  await page.keyboard.press('Tab'); // on to the filters
  assert.notEqual(await focused(), 'option');
  assert.deepEqual(await selected(), [], 'a result still looks selected');
  await page.keyboard.press('Shift+Tab'); // back into the results: one tab stop
  assert.equal(await focused(), 'option');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowUp');
  assert.equal(await focused(), 'combobox');
  assert.deepEqual(await selected(), []);
  // Without a selected result, Tab from the box reaches the first one.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.querySelector('quarry-search').shadowRoot.activeElement.id), await w.options.nth(0).getAttribute('id'));
});

test('Back from a result page restores the search, in the panel', async () => {
  await page.goto(srv.url + 'docs/');
  const w = await typeQuery('netlify');
  await w.input.press('Enter');
  await page.waitForURL(/#q=netlify$/);
  await Promise.all([page.waitForURL(/\/docs\/deploy\/netlify\//), w.options.first().click()]);
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('quarry-search')?.shadowRoot?.querySelector('[role=status]')?.textContent.includes('“netlify”'), null, { timeout: 15000 });
  assert.equal(await w.input.inputValue(), 'netlify');
  assert.equal((await shadow('.q-panel')).hidden, false);
  assert.ok((await w.options.count()) > 0);
});

test('on a phone: the panel fits the screen, the filters fold behind a button, nothing moves', async () => {
  await ctx.close();
  await open(390, 844);
  await page.goto(srv.url + 'docs/');
  await page.waitForTimeout(500);
  const w = await typeQuery('cache');
  await page.waitForTimeout(300);
  assert.ok((await cls()) <= 0.01, `layout shifts: ${JSON.stringify(await page.evaluate(() => window.__shifts))}`);
  const panel = await shadow('.q-panel');
  assert.ok(panel.rect.left >= 0 && panel.rect.right <= 390, `panel from ${panel.rect.left} to ${panel.rect.right}`);
  const toggle = w.host.locator('button[part=facets-toggle]');
  await toggle.waitFor();
  assert.equal(await toggle.isVisible(), true);
  assert.equal(await w.host.locator('.q-groups').isVisible(), false);
  await toggle.click();
  assert.equal(await w.host.locator('.q-groups').isVisible(), true);
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
});

test('the open panel passes an axe-core check, light and dark, with results and filters', async () => {
  const axe = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(srv.url + 'docs/');
    await typeQuery('cache');
    await page.waitForFunction(() => document.querySelector('quarry-search').shadowRoot.querySelector('fieldset[data-type=tags]'));
    await page.keyboard.press('ArrowDown');
    await page.addScriptTag({ content: axe });
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const problems = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    assert.deepEqual(problems, [], `${scheme} scheme`);
  }
});
