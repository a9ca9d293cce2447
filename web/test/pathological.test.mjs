// Pathological queries typed into the widget are answered within the
// engine's limits (with a notice saying what was cut), the page stays
// responsive while the worker searches, and a normal query works after.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { quarry, serve, launch, watch, widget, resultsFor, tempDir, removeDir, seedCorpus } from './helpers.mjs';
import { pathological } from './pathological.mjs';

let dir, srv, browser;

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

test('pathological queries are answered within the limits and the widget keeps working', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const seen = watch(page);
  // Every rendered result set, identified by the query's length and head.
  await page.addInitScript(() => {
    window.__results = [];
    document.addEventListener('quarry-results', (e) => {
      const { query, response } = e.detail;
      window.__results.push({ len: query.length, head: query.slice(0, 64), notice: response.notice || '', mode: response.mode, total: response.total });
    });
  });
  await page.goto(srv.url);
  const w = widget(page);
  for (const [name, q, notice] of pathological()) {
    await w.input.fill(q);
    await w.input.press('Enter');
    const h = await page.waitForFunction(([len, head]) => window.__results.find((r) => r.len === len && r.head === head),
      [q.length, q.slice(0, 64)], { timeout: 20000 });
    const r = await h.jsonValue();
    if (notice) assert.match(r.notice, notice, `${name}: notice ${JSON.stringify(r.notice)}`);
    // While answering, the page itself never blocked: the status line
    // echoes at most 200 characters of the query.
    const status = await w.status.textContent();
    assert.ok(status.length < 600, `${name}: status of ${status.length} characters`);
    assert.equal(await w.options.locator('img, script').count(), 0);
    // A normal query right after is answered as usual.
    await w.input.fill('alipay');
    await w.input.press('Enter');
    await resultsFor(page, 'alipay');
    assert.equal(await w.options.count(), 4, `after ${name}`);
  }
  assert.deepEqual(seen.errors, []);
  assert.deepEqual(seen.dialogs, []);
  await ctx.close();
});

test('the JS API cuts a megabyte query instead of failing the request', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(srv.url);
  const res = await page.evaluate(async () => {
    const { Quarry } = await import('./quarry/quarry.js');
    const q = await Quarry.shared('./quarry/');
    return q.search('alipay '.repeat(1 << 18), { complete: true });
  });
  assert.equal(res.hits[0]?.title !== undefined, true);
  assert.match(res.notice, /cut to its first 4096 bytes/);
  await ctx.close();
});
