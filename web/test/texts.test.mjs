// Large indexes keep their documents' text in separate text files that the
// worker fetches only for the results shown: excerpts still carry <mark>,
// only the needed files travel, and a missing or damaged file leaves the
// results' titles in place.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { quarry, serve, launch, watch, widget, resultsFor, tempDir, removeDir } from './helpers.mjs';

let dir, site, browser, manifest;

before(async () => {
  dir = await tempDir();
  const corpus = dir + '/corpus';
  await mkdir(corpus);
  // 60 documents of ~1 kB: more text than the bundle keeps inline.
  for (let i = 0; i < 60; i++) {
    let body = `Section ${i} of the report describes turbulent boundary layers. `.repeat(14);
    if (i === 7 || i === 41) body += 'The supersonic wind tunnel results are unusual.';
    await writeFile(`${corpus}/doc${String(i).padStart(2, '0')}.txt`, `Report ${i}\n\n${body}\n`);
  }
  site = dir + '/site';
  await quarry('build', '-q', '-no-entities', '-o', site, corpus);
  manifest = JSON.parse(await readFile(site + '/quarry/quarry.json', 'utf8'));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await removeDir(dir);
});

async function searchPage(url, q) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const seen = watch(page);
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(url + '#q=' + encodeURIComponent(q));
  await resultsFor(page, q);
  const w = widget(page);
  return { ctx, page, seen, requests, w };
}

test('the bundle lists its text files', async () => {
  assert.ok(manifest.texts && manifest.texts.length >= 3, `manifest texts: ${manifest.texts}`);
  for (const t of manifest.texts) assert.match(t, /^text\.[0-9a-f]{12}\.qtx$/);
});

test('excerpts of shown results come from the text files they need', async () => {
  const srv = await serve(site);
  try {
    const { ctx, seen, requests, w } = await searchPage(srv.url, 'supersonic');
    assert.equal(await w.options.count(), 2);
    await w.host.locator('[role=option] mark').first().waitFor({ timeout: 5000 });
    const marks = await w.host.locator('[role=option] mark').allTextContents();
    assert.ok(marks.length >= 2 && marks.every((m) => /^supersonic$/i.test(m)), `marks: ${marks}`);
    const fetched = requests.filter((p) => p.endsWith('.qtx'));
    assert.ok(fetched.length >= 1 && fetched.length < manifest.texts.length, `fetched ${fetched} of ${manifest.texts.length}`);
    assert.deepEqual(seen.errors, []);
    await ctx.close();
  } finally {
    await srv.stop();
  }
});

test('a phrase fetches the positions file once, then marks its excerpts', async () => {
  assert.match(manifest.positions || '', /^positions\.[0-9a-f]{12}\.qzp$/);
  const srv = await serve(site);
  try {
    const { ctx, seen, requests, w, page } = await searchPage(srv.url, 'supersonic');
    assert.ok(!requests.some((p) => p.endsWith('.qzp')), 'plain query fetched the positions file');
    await w.input.fill('"supersonic wind"');
    await page.waitForFunction(() => {
      const root = document.querySelector('quarry-search').shadowRoot;
      return [...root.querySelectorAll('[role=option] mark')].some((m) => /wind/i.test(m.textContent));
    }, null, { timeout: 15000 });
    assert.equal(await w.options.count(), 2);
    await w.input.fill('"boundary layers"');
    await page.waitForTimeout(500);
    assert.equal(requests.filter((p) => p.endsWith('.qzp')).length, 1, `requests: ${requests}`);
    assert.deepEqual(seen.errors, []);
    await ctx.close();
  } finally {
    await srv.stop();
  }
});

// variant copies the site and lets change damage every text file.
async function variant(name, change) {
  const out = `${dir}/${name}`;
  await cp(site, out, { recursive: true });
  for (const f of await readdir(out + '/quarry')) {
    if (!/\.qtx(\.br|\.gz)?$/.test(f)) continue;
    if (f.endsWith('.qtx')) await change(`${out}/quarry/${f}`);
    else await rm(`${out}/quarry/${f}`);
  }
  return out;
}

for (const [name, change] of [
  ['missing', (p) => rm(p)],
  ['damaged', async (p) => {
    const b = await readFile(p);
    b[b.length - 5] ^= 0x20;
    await writeFile(p, b);
  }],
]) {
  test(`${name} text files: results keep their titles, without excerpts`, async () => {
    const srv = await serve(await variant(name, change));
    try {
      const { ctx, w } = await searchPage(srv.url, 'supersonic');
      assert.equal(await w.options.count(), 2);
      const text = await w.options.first().textContent();
      assert.match(text, /Report (7|41)/);
      assert.equal(await w.host.locator('[role=option] mark').count(), 0);
      assert.equal(await w.host.locator('[role=option] .q-excerpt-error').count(), 2, 'each hit says its excerpt is unavailable');
      await ctx.close();
    } finally {
      await srv.stop();
    }
  });
}
