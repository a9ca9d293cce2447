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

// onPage serves dir and runs fn with a page in a fresh browser context,
// then closes both.
async function onPage(dir, fn) {
  const srv = await serve(dir);
  const ctx = await fx.browser.newContext();
  try {
    await fn(await ctx.newPage(), srv.url);
  } finally {
    await ctx.close();
    await srv.stop();
  }
}

// holdManifest makes the page's manifest arrive MANIFEST_DELAY_MS late;
// onRelease, if given, is called as it is let go.
function holdManifest(page, onRelease) {
  return page.route('**/quarry/quarry.json', async (route) => {
    await new Promise((r) => setTimeout(r, MANIFEST_DELAY_MS));
    onRelease?.();
    await route.continue();
  });
}

// fileName is the last part of a URL's path.
const fileName = (url) => new URL(url).pathname.split('/').pop();

test('the engine downloads and the worker starts while the manifest is on its way', async () => {
  await onPage(fx.site, async (page, url) => {
    const seen = watch(page);
    const t0 = Date.now();
    const at = {};
    page.on('request', (r) => {
      const name = fileName(r.url());
      const kind = name === 'quarry.json' ? 'manifest' : name.endsWith('.wasm') ? 'wasm' : /^worker\..*\.js$/.test(name) ? 'worker' : '';
      if (kind) at[kind] ??= Date.now() - t0;
    });
    // Requested before the manifest is let go, not after it arrives: a
    // margin of half the delay failed once on a loaded machine (the
    // engine requested 323 ms after the manifest).
    await holdManifest(page, () => { at.released ??= Date.now() - t0; });
    await page.goto(url + '#q=alipay');
    await resultsFor(page, 'alipay');
    assert.ok(await widget(page).options.count() > 0);
    assert.ok(at.manifest !== undefined && at.wasm !== undefined && at.worker !== undefined && at.released !== undefined, JSON.stringify(at));
    assert.ok(at.wasm < at.released, `engine requested at ${at.wasm} ms, after the manifest, held ${MANIFEST_DELAY_MS} ms, was let go at ${at.released} ms`);
    assert.ok(at.worker < at.released, `worker requested at ${at.worker} ms, after the manifest, held ${MANIFEST_DELAY_MS} ms, was let go at ${at.released} ms`);
    assert.deepEqual(seen.errors, []);
  });
});

// The engine and worker files of a bundle, as named in quarry.js's ENGINE
// and in the manifest.
const FILES = { wasm: /^quarry\.[0-9a-f]{12}\.wasm$/, worker: /^worker\.[0-9a-f]{12}\.js$/ };

// copySite copies the seed site into fx.dir/name for a test that changes
// its files; named holds the engine's and worker's file names, which
// quarry.js's ENGINE is checked to name. With other, the manifest names a
// copy of the file it gives as field under that name instead; with
// broken, the original (no longer precompressed) holds that text.
async function copySite(name, { field, other, broken } = {}) {
  const out = fx.dir + '/' + name;
  await cp(fx.site, out, { recursive: true });
  const q = out + '/quarry/';
  const files = await readdir(q);
  const named = Object.fromEntries(Object.entries(FILES).map(([k, re]) => [k, files.find((f) => re.test(f))]));
  const engine = `const ENGINE = ${JSON.stringify(named)};`;
  assert.ok((await readFile(q + 'quarry.js', 'utf8')).includes(engine), `quarry.js lacks ${engine}`);
  if (other) {
    for (const ext of ['', '.br', '.gz']) if (files.includes(named[field] + ext)) await copyFile(q + named[field] + ext, q + other + ext);
    const manifest = JSON.parse(await readFile(q + 'quarry.json', 'utf8'));
    manifest[field] = other;
    await writeFile(q + 'quarry.json', JSON.stringify(manifest));
  }
  if (broken !== undefined) {
    for (const ext of ['.br', '.gz']) await rm(q + named[field] + ext);
    await writeFile(q + named[field], broken);
  }
  return { out, named };
}

// requested lists the names of the files a page requests that match re.
function requested(page, re) {
  const names = [];
  page.on('request', (r) => {
    const name = fileName(r.url());
    if (re.test(name)) names.push(name);
  });
  return names;
}

test('the manifest names another engine: that one runs', async () => {
  // The engine quarry.js names is damaged here; the manifest names an
  // intact copy under another name. Running the named-in one would fail
  // ("damaged"); the manifest's must be used.
  const other = 'quarry.000000000000.wasm';
  const { out, named } = await copySite('other-engine', { field: 'wasm', other, broken: 'not an engine' });
  await onPage(out, async (page, url) => {
    const seen = watch(page);
    const asked = requested(page, FILES.wasm);
    await page.goto(url + '#q=alipay');
    await resultsFor(page, 'alipay');
    assert.ok(await widget(page).options.count() > 0);
    assert.deepEqual(asked.sort(), [other, named.wasm].sort());
    assert.deepEqual(seen.errors, []);
  });
});

test('the manifest names another worker: that one runs, the early one is ended', async () => {
  // The worker quarry.js names never answers here; the manifest names an
  // intact copy under another name. Using the named-in one would leave
  // the search waiting; the manifest's must be used.
  const other = 'worker.000000000000.js';
  const { out, named } = await copySite('other-worker', { field: 'worker', other, broken: 'self.onmessage = () => {};' });
  const worker = named.worker;
  await onPage(out, async (page, url) => {
    const seen = watch(page);
    const asked = requested(page, FILES.worker);
    const started = [];
    page.on('worker', (w) => {
      const it = { name: fileName(w.url()), closed: false };
      w.on('close', () => (it.closed = true));
      started.push(it);
    });
    await page.goto(url + '#q=alipay');
    await resultsFor(page, 'alipay');
    assert.ok(await widget(page).options.count() > 0);
    await page.waitForFunction(() => true); // let a pending close event arrive
    assert.deepEqual(asked.sort(), [other, worker].sort());
    // The early worker may be ended before it runs (then it is not
    // reported); if it ran, it was ended.
    assert.deepEqual(started.filter((w) => w.name === other).map((w) => w.closed), [false]);
    assert.deepEqual(started.filter((w) => w.name === worker && !w.closed), []);
    assert.deepEqual(seen.errors, []);
  });
});

test('a worker that fails before the manifest arrives: the widget says so', async () => {
  // The worker's script fails at once, while the manifest is held back:
  // its error comes before quarry.js knows it is the worker to use.
  const { out } = await copySite('broken-worker', { field: 'worker', broken: 'throw new Error("broken worker");' });
  await onPage(out, async (page, url) => {
    await holdManifest(page);
    await page.goto(url + '#q=alipay');
    const w = widget(page);
    await page.waitForFunction(() => /unavailable/.test(document.querySelector('quarry-search')?.shadowRoot?.querySelector('[role=status]')?.textContent || ''), null, { timeout: 15000 });
    assert.equal(await w.status.textContent(), 'Search is unavailable: this browser could not start the search engine.');
  });
});
