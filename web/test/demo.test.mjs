// The demo page built from the seed corpus, in real headless Chromium:
// searching, keyboard use, URL state, the JS API, accessibility, and a
// console free of errors throughout.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { quarry, serve, launch, watch, widget, resultsFor, tempDir, removeDir, seedCorpus } from './helpers.mjs';

let dir, site, srv, browser, ctx, page, seen;

before(async () => {
  dir = await tempDir();
  site = dir + '/site';
  await quarry('build', '-q', '-o', site, seedCorpus);
  srv = await serve(site);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  await removeDir(dir);
});

beforeEach(async () => {
  ctx = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  page = await ctx.newPage();
  seen = watch(page);
});

afterEach(async () => {
  // Every test ends with a clean console: no errors, no page errors, no dialogs.
  assert.deepEqual(seen.errors, [], 'console errors');
  assert.deepEqual(seen.dialogs, [], 'dialogs');
  await ctx.close();
});

async function search(q) {
  const w = widget(page);
  await w.input.fill('');
  await w.input.pressSequentially(q, { delay: 20 });
  await resultsFor(page, q);
  return w;
}

test('typing a query shows highlighted hits and the count', async () => {
  await page.goto(srv.url);
  const w = widget(page);
  await assert.doesNotReject(w.input.waitFor({ state: 'visible', timeout: 5000 }));
  await search('alipay');
  assert.equal(await w.options.count(), 4);
  const marks = await w.host.locator('[role=option] mark').allTextContents();
  assert.ok(marks.length >= 4 && marks.every((m) => /^alipay/i.test(m)), `marks: ${marks}`);
  assert.match(await w.status.textContent(), /^4 results for \u2068“alipay”\u2069 \([\d.]+ ms\)/);
  assert.equal(await w.status.getAttribute('aria-live'), 'polite');
  assert.equal(await w.input.getAttribute('aria-expanded'), 'true');
  // Titles link to the documents, which the site serves.
  const href = await w.options.first().getAttribute('href');
  assert.match(href, /^00\d_[0-9a-f]+\.txt$/);
  const res = await page.request.get(srv.url + href);
  assert.equal(res.status(), 200);
  assert.match(await res.text(), /Alipay/);
});

test('a word being typed matches as a prefix', async () => {
  await page.goto(srv.url);
  const w = await search('tenc');
  const marks = await w.host.locator('[role=option] mark').allTextContents();
  assert.ok(marks.some((m) => /^tencent/i.test(m)), `marks: ${marks}`);
});

test('a typo still finds the word', async () => {
  await page.goto(srv.url);
  const w = widget(page);
  await w.input.fill('alibbaba');
  await w.input.press('Enter');
  await resultsFor(page, 'alibbaba');
  assert.ok((await w.options.count()) > 0);
  const marks = await w.host.locator('[role=option] mark').allTextContents();
  assert.ok(marks.some((m) => /^alibaba/i.test(m)), `marks: ${marks}`);
});

test('keyboard: / and Ctrl+K focus, arrows move, Enter opens, Escape clears', async () => {
  await page.goto(srv.url);
  const w = widget(page);
  const focused = () => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('role') ?? document.activeElement?.tagName);
  await page.keyboard.press('/');
  assert.equal(await focused(), 'combobox');
  assert.equal(await w.input.inputValue(), '', 'the slash was not typed into the box');
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('Control+k');
  assert.equal(await focused(), 'combobox');

  // Not while typing in another field.
  await page.evaluate(() => {
    const other = document.createElement('input');
    other.id = 'other';
    other.setAttribute('aria-label', 'other field');
    document.body.prepend(other);
  });
  await page.locator('#other').focus();
  await page.keyboard.type('a/b');
  assert.equal(await page.locator('#other').inputValue(), 'a/b');
  assert.equal(await focused(), 'INPUT');
  await page.evaluate(() => document.getElementById('other').remove());

  await page.keyboard.press('/');
  await page.keyboard.type('alipay');
  await resultsFor(page, 'alipay');
  const ids = await w.options.evaluateAll((els) => els.map((e) => e.id));
  const active = () => w.input.getAttribute('aria-activedescendant');
  await page.keyboard.press('ArrowDown');
  assert.equal(await active(), ids[0]);
  assert.equal(await w.options.nth(0).getAttribute('aria-selected'), 'true');
  await page.keyboard.press('ArrowDown');
  assert.equal(await active(), ids[1]);
  assert.equal(await w.options.nth(0).getAttribute('aria-selected'), 'false');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  assert.equal(await active(), ids[ids.length - 1], 'ArrowUp from the first wraps to the last');
  await page.keyboard.press('ArrowDown');
  assert.equal(await active(), ids[0]);

  const href = await w.options.first().getAttribute('href');
  await Promise.all([page.waitForURL(srv.url + href), page.keyboard.press('Enter')]);
  assert.match(await page.textContent('body'), /Alibaba/);

  await page.goBack();
  await resultsFor(page, 'alipay');
  assert.equal(await w.input.inputValue(), 'alipay');
  await w.input.focus();
  await page.keyboard.press('Escape');
  assert.equal(await w.input.inputValue(), '');
  assert.equal(await w.listbox.isHidden(), true);
  assert.equal(await w.input.getAttribute('aria-expanded'), 'false');
  assert.equal(await w.status.textContent(), '');
  assert.ok(!page.url().includes('q='), `query left in the URL: ${page.url()}`);
});

test('the query lives in the URL: links, reload, back and forward', async () => {
  await page.goto(srv.url + '#q=tenc');
  const w = widget(page);
  await resultsFor(page, 'tenc');
  assert.equal(await w.input.inputValue(), 'tenc');

  await page.goto(srv.url);
  await w.input.fill('alipay');
  await w.input.press('Enter');
  await resultsFor(page, 'alipay');
  assert.equal(new URL(page.url()).hash, '#q=alipay');
  await page.reload();
  await resultsFor(page, 'alipay');
  assert.equal(await w.input.inputValue(), 'alipay');

  await w.input.fill('');
  await w.input.pressSequentially('wechat pay', { delay: 20 });
  await w.input.press('Enter');
  await resultsFor(page, 'wechat pay');
  assert.equal(new URL(page.url()).hash, '#q=wechat+pay');
  await page.goBack();
  await resultsFor(page, 'alipay');
  assert.equal(await w.input.inputValue(), 'alipay');
  await page.goForward();
  await resultsFor(page, 'wechat pay');
  assert.equal(await w.input.inputValue(), 'wechat pay');

  // Typing replaces the current entry instead of adding one per keystroke.
  const before = await page.evaluate(() => history.length);
  await w.input.pressSequentially(' abc', { delay: 10 });
  await resultsFor(page, 'wechat pay abc');
  assert.equal(await page.evaluate(() => history.length), before + 1);
});

test('the JS API answers like `quarry query --json`', async () => {
  await page.goto(srv.url);
  const got = await page.evaluate(async () => {
    const { Quarry } = await import('/quarry/quarry.js');
    const q = await Quarry.open('/quarry/');
    const res = await q.search('alipay', { limit: 10 });
    q.close();
    return res;
  });
  const { stdout } = await quarry('query', site, 'alipay', '--json', '--limit', '10');
  const want = JSON.parse(stdout);
  delete got.took_ms;
  delete want.took_ms;
  assert.deepEqual(got, want);
});

test('the page passes an axe-core accessibility check with results shown, light and dark', async () => {
  const axe = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Injecting axe is inline script, which the page's CSP rightly refuses.
  await ctx.close();
  ctx = await browser.newContext({ viewport: { width: 1000, height: 700 }, bypassCSP: true });
  page = await ctx.newPage();
  seen = watch(page);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(srv.url);
    await search('alipay');
    await page.keyboard.press('ArrowDown');
    await page.addScriptTag({ content: axe });
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const problems = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    assert.deepEqual(problems, [], `${scheme} scheme`);
  }
});

test('the engine loads while idle, before anyone types', async () => {
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(srv.url);
  await page.waitForTimeout(3000);
  assert.ok(requests.some((p) => /\/quarry\/quarry\.[0-9a-f]{12}\.wasm$/.test(p)), `requests: ${requests}`);
  assert.ok(requests.some((p) => /\/quarry\/quarry\.[0-9a-f]{12}\.idx$/.test(p)));
  // Then the first search needs no download.
  const before = requests.length;
  await search('alipay');
  assert.equal(requests.length, before);
});

test('typing before the engine is ready shows a loading state, then the results', async () => {
  let release;
  const held = new Promise((r) => (release = r));
  await page.route('**/*.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(srv.url);
  const w = widget(page);
  await w.input.pressSequentially('alipay', { delay: 10 });
  await page.waitForFunction(() => document.querySelector('quarry-search').shadowRoot.querySelector('[role=status]').textContent === 'Loading search…');
  assert.match(await w.status.getAttribute('part'), /loading/);
  release();
  await resultsFor(page, 'alipay');
  assert.equal(await w.options.count(), 4);
});

test('a response to an abandoned query is dropped', async () => {
  let release;
  const held = new Promise((r) => (release = r));
  await page.route('**/*.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(srv.url);
  const w = widget(page);
  await w.input.pressSequentially('alipay', { delay: 10 });
  await page.waitForFunction(() => document.querySelector('quarry-search').shadowRoot.querySelector('[role=status]').textContent === 'Loading search…');
  await w.input.press('Escape');
  release();
  // The engine loads and answers "alipay", but the box is empty now.
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('.wasm') && e.responseEnd > 0));
  await page.waitForTimeout(1500);
  assert.equal(await w.input.inputValue(), '');
  assert.equal(await w.options.count(), 0);
  assert.equal(await w.status.textContent(), '');
  // And the next query is answered normally.
  await search('tencent');
  assert.ok((await w.options.count()) > 0);
});
