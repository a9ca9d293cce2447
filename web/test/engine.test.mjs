// quarry.js names the engine file it was shipped with (ENGINE, written in
// by the build), so the engine's download starts beside the manifest's
// instead of after it; the manifest still decides which engine runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readdir, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import { seedSite, serve, watch, widget, resultsFor } from './helpers.mjs';

const fx = seedSite();

const MANIFEST_DELAY_MS = 600;

test('the engine downloads while the manifest is on its way', async () => {
  const srv = await serve(fx.site);
  const ctx = await fx.browser.newContext();
  try {
    const page = await ctx.newPage();
    const seen = watch(page);
    const t0 = Date.now();
    const at = {};
    page.on('request', (r) => {
      const name = new URL(r.url()).pathname.split('/').pop();
      if (name === 'quarry.json' || name.endsWith('.wasm')) at[name.endsWith('.wasm') ? 'wasm' : 'manifest'] ??= Date.now() - t0;
    });
    await page.route('**/quarry/quarry.json', async (route) => {
      await new Promise((r) => setTimeout(r, MANIFEST_DELAY_MS));
      await route.continue();
    });
    await page.goto(srv.url + '#q=alipay');
    await resultsFor(page, 'alipay');
    assert.ok(await widget(page).options.count() > 0);
    assert.ok(at.manifest !== undefined && at.wasm !== undefined, JSON.stringify(at));
    assert.ok(at.wasm - at.manifest < MANIFEST_DELAY_MS / 2, `engine requested ${at.wasm - at.manifest} ms after the manifest, which took ${MANIFEST_DELAY_MS} ms`);
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
  assert.match(await readFile(q + 'quarry.js', 'utf8'), new RegExp(`const ENGINE = "${wasm.replace(/\./g, '\\.')}";`));
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
