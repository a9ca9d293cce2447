// quarry.js names the engine and worker files it was shipped with (ENGINE,
// written in by the build), so the engine's download and the worker start
// beside the manifest's download instead of after it; the manifest still
// decides which engine and worker run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readdir, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import { seedSite, serve, watch, widget, resultsFor } from './helpers.mjs';

const fx = seedSite();

const MANIFEST_DELAY_MS = 600;

test('the engine downloads and the worker starts while the manifest is on its way', async () => {
  const srv = await serve(fx.site);
  const ctx = await fx.browser.newContext();
  try {
    const page = await ctx.newPage();
    const seen = watch(page);
    const t0 = Date.now();
    const at = {};
    page.on('request', (r) => {
      const name = new URL(r.url()).pathname.split('/').pop();
      const kind = name === 'quarry.json' ? 'manifest' : name.endsWith('.wasm') ? 'wasm' : /^worker\..*\.js$/.test(name) ? 'worker' : '';
      if (kind) at[kind] ??= Date.now() - t0;
    });
    await page.route('**/quarry/quarry.json', async (route) => {
      await new Promise((r) => setTimeout(r, MANIFEST_DELAY_MS));
      await route.continue();
    });
    await page.goto(srv.url + '#q=alipay');
    await resultsFor(page, 'alipay');
    assert.ok(await widget(page).options.count() > 0);
    assert.ok(at.manifest !== undefined && at.wasm !== undefined && at.worker !== undefined, JSON.stringify(at));
    assert.ok(at.wasm - at.manifest < MANIFEST_DELAY_MS / 2, `engine requested ${at.wasm - at.manifest} ms after the manifest, which took ${MANIFEST_DELAY_MS} ms`);
    assert.ok(at.worker - at.manifest < MANIFEST_DELAY_MS / 2, `worker requested ${at.worker - at.manifest} ms after the manifest, which took ${MANIFEST_DELAY_MS} ms`);
    assert.deepEqual(seen.errors, []);
  } finally {
    await ctx.close();
    await srv.stop();
  }
});

test('the manifest names another engine: that one runs', async () => {
  // The engine quarry.js names is damaged here; the manifest names an
  // intact copy under another name. Running the named-in one would fail
  // ("damaged"); the manifest's must be used.
  const out = fx.dir + '/other-engine';
  await cp(fx.site, out, { recursive: true });
  const q = out + '/quarry/';
  const wasm = (await readdir(q)).find((f) => /^quarry\.[0-9a-f]{12}\.wasm$/.test(f));
  const other = 'quarry.000000000000.wasm';
  for (const ext of ['', '.br', '.gz']) await copyFile(q + wasm + ext, q + other + ext);
  for (const ext of ['.br', '.gz']) await rm(q + wasm + ext);
  await writeFile(q + wasm, 'not an engine');
  const manifest = JSON.parse(await readFile(q + 'quarry.json', 'utf8'));
  assert.match(await readFile(q + 'quarry.js', 'utf8'), new RegExp(`const ENGINE = \\{"wasm":"${wasm.replace(/\./g, '\\.')}",`));
  manifest.wasm = other;
  await writeFile(q + 'quarry.json', JSON.stringify(manifest));
  const srv = await serve(out);
  const ctx = await fx.browser.newContext();
  try {
    const page = await ctx.newPage();
    const seen = watch(page);
    const asked = [];
    page.on('request', (r) => r.url().endsWith('.wasm') && asked.push(new URL(r.url()).pathname.split('/').pop()));
    await page.goto(srv.url + '#q=alipay');
    await resultsFor(page, 'alipay');
    assert.ok(await widget(page).options.count() > 0);
    assert.deepEqual(asked.sort(), [other, wasm].sort());
    assert.deepEqual(seen.errors, []);
  } finally {
    await ctx.close();
    await srv.stop();
  }
});

// copySite copies the seed site for a test that changes its files.
async function copySite(name) {
  const out = fx.dir + '/' + name;
  await cp(fx.site, out, { recursive: true });
  const q = out + '/quarry/';
  const worker = (await readdir(q)).find((f) => /^worker\.[0-9a-f]{12}\.js$/.test(f));
  return { out, q, worker };
}

test('the manifest names another worker: that one runs, the early one is ended', async () => {
  // The worker quarry.js names never answers here; the manifest names an
  // intact copy under another name. Using the named-in one would leave
  // the search waiting; the manifest's must be used.
  const { out, q, worker } = await copySite('other-worker');
  const other = 'worker.000000000000.js';
  await copyFile(q + worker, q + other);
  for (const ext of ['.br', '.gz']) await rm(q + worker + ext);
  await writeFile(q + worker, 'self.onmessage = () => {};');
  assert.match(await readFile(q + 'quarry.js', 'utf8'), new RegExp(`"worker":"${worker.replace(/\./g, '\\.')}"`));
  const manifest = JSON.parse(await readFile(q + 'quarry.json', 'utf8'));
  manifest.worker = other;
  await writeFile(q + 'quarry.json', JSON.stringify(manifest));
  const srv = await serve(out);
  const ctx = await fx.browser.newContext();
  try {
    const page = await ctx.newPage();
    const seen = watch(page);
    const asked = [];
    page.on('request', (r) => /\/worker\.[0-9a-f]{12}\.js$/.test(r.url()) && asked.push(new URL(r.url()).pathname.split('/').pop()));
    const started = [];
    page.on('worker', (w) => {
      const it = { name: new URL(w.url()).pathname.split('/').pop(), closed: false };
      w.on('close', () => (it.closed = true));
      started.push(it);
    });
    await page.goto(srv.url + '#q=alipay');
    await resultsFor(page, 'alipay');
    assert.ok(await widget(page).options.count() > 0);
    await page.waitForFunction(() => true); // let a pending close event arrive
    assert.deepEqual(asked.sort(), [other, worker].sort());
    // The early worker may be ended before it runs (then it is not
    // reported); if it ran, it was ended.
    assert.deepEqual(started.filter((w) => w.name === other).map((w) => w.closed), [false]);
    assert.deepEqual(started.filter((w) => w.name === worker && !w.closed), []);
    assert.deepEqual(seen.errors, []);
  } finally {
    await ctx.close();
    await srv.stop();
  }
});

test('a worker that fails before the manifest arrives: the widget says so', async () => {
  // The worker's script fails at once, while the manifest is held back:
  // its error comes before quarry.js knows it is the worker to use.
  const { out, q, worker } = await copySite('broken-worker');
  for (const ext of ['.br', '.gz']) await rm(q + worker + ext);
  await writeFile(q + worker, 'throw new Error("broken worker");');
  const srv = await serve(out);
  const ctx = await fx.browser.newContext();
  try {
    const page = await ctx.newPage();
    await page.route('**/quarry/quarry.json', async (route) => {
      await new Promise((r) => setTimeout(r, MANIFEST_DELAY_MS));
      await route.continue();
    });
    await page.goto(srv.url + '#q=alipay');
    const w = widget(page);
    await page.waitForFunction(() => /unavailable/.test(document.querySelector('quarry-search')?.shadowRoot?.querySelector('[role=status]')?.textContent || ''), null, { timeout: 15000 });
    assert.equal(await w.status.textContent(), 'Search is unavailable: this browser could not start the search engine.');
  } finally {
    await ctx.close();
    await srv.stop();
  }
});
