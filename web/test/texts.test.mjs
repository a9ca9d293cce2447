// Index format 5 in the browser. A corpus whose whole index is larger
// than internal/site's WholeIndexLimit (256 kB raw) ships a head
// (quarry.<hash>.idx) and files beside it: parts (.qpt, postings by term
// range), positions parts (.qps, for phrases) and text files (.qtx: the
// title, URL and text of runs of documents). The worker fetches only the
// files a query needs; excerpts still carry <mark>. A text file that is
// missing or damaged leaves its hits without title or link: each says so
// in one plain sentence. (Which parts a query fetches, and parts that
// fail, are tested in parts.test.mjs.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { quarry, serve, launch, watch, widget, resultsFor, tempDir, removeDir } from './helpers.mjs';

let dir, site, small, browser, manifest, files;

before(async () => {
  dir = await tempDir();
  const corpus = dir + '/corpus';
  await mkdir(corpus);
  // 400 documents of ~1 kB: more than WholeIndexLimit with their text.
  for (let i = 0; i < 400; i++) {
    let body = `Section ${i} of the report describes turbulent boundary layers. `.repeat(14);
    if (i === 7 || i === 341) body += 'The supersonic wind tunnel results are unusual.';
    await writeFile(`${corpus}/doc${String(i).padStart(3, '0')}.txt`, `Report ${i}\n\n${body}\n`);
  }
  site = dir + '/site';
  await quarry('build', '-q', '-no-entities', '-o', site, corpus);
  manifest = JSON.parse(await readFile(site + '/quarry/quarry.json', 'utf8'));
  files = (await readdir(site + '/quarry')).filter((f) => /\.(qpt|qps|qtx|qrs)$/.test(f));
  // The same documents, few of them: one whole index.
  const few = dir + '/few';
  await mkdir(few);
  for (const f of ['doc007.txt', 'doc041.txt', 'doc341.txt']) await cp(`${corpus}/${f}`, `${few}/${f}`);
  small = dir + '/small';
  await quarry('build', '-q', '-no-entities', '-o', small, few);
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

const kind = (ext) => files.filter((f) => f.endsWith(ext));

test('a large index ships as a head and the files the manifest counts', async () => {
  assert.equal(manifest.format, 5);
  assert.match(manifest.index, /^quarry\.[0-9a-f]{12}\.idx$/);
  assert.equal(manifest.files, files.length, `manifest counts ${manifest.files} files, the bundle has ${files}`);
  for (const f of kind('.qpt')) assert.match(f, /^part\.[0-9a-f]{12}\.qpt$/);
  for (const f of kind('.qps')) assert.match(f, /^positions\.[0-9a-f]{12}\.qps$/);
  for (const f of kind('.qtx')) assert.match(f, /^text\.[0-9a-f]{12}\.qtx$/);
  assert.equal(kind('.qrs').length, 1, `rest bundles: ${kind('.qrs')}`);
  for (const f of kind('.qrs')) assert.match(f, /^rest\.[0-9a-f]{12}\.qrs$/);
  assert.ok(kind('.qpt').length >= 1 && kind('.qps').length >= 1 && kind('.qtx').length >= 3, `files: ${files}`);
  // The head is small: the postings and the text are in the files.
  const head = await readFile(`${site}/quarry/${manifest.index}`);
  assert.ok(head.length < 64 << 10, `head of ${head.length} bytes`);
  // A small index is one file, with nothing beside it.
  const m = JSON.parse(await readFile(small + '/quarry/quarry.json', 'utf8'));
  assert.equal(m.format, 5);
  assert.ok(!m.files, `small index has ${m.files} files`);
  assert.deepEqual((await readdir(small + '/quarry')).filter((f) => /\.(qpt|qps|qtx)/.test(f)), []);
});

test('a small index answers from its one file', async () => {
  const srv = await serve(small);
  try {
    const { ctx, seen, requests, w } = await searchPage(srv.url, 'supersonic');
    assert.equal(await w.options.count(), 2);
    await w.host.locator('[role=option] mark').first().waitFor({ timeout: 5000 });
    assert.deepEqual(requests.filter((p) => /\.(qpt|qps|qtx)$/.test(p)), []);
    assert.deepEqual(seen.errors, []);
    await ctx.close();
  } finally {
    await srv.stop();
  }
});

test('excerpts of shown results come from the text files they need', async () => {
  const srv = await serve(site);
  try {
    const { ctx, seen, requests, w } = await searchPage(srv.url, 'supersonic');
    assert.equal(await w.options.count(), 2);
    await w.host.locator('[role=option] mark').first().waitFor({ timeout: 5000 });
    const marks = await w.host.locator('[role=option] mark').allTextContents();
    assert.ok(marks.length >= 2 && marks.every((m) => /^supersonic$/i.test(m)), `marks: ${marks}`);
    const titles = await w.host.locator('[role=option] [part=title]').allTextContents();
    assert.deepEqual(titles.sort(), ['Report 341', 'Report 7']);
    const hrefs = await w.options.evaluateAll((os) => os.map((o) => o.getAttribute('href')));
    assert.deepEqual(hrefs.sort(), ['doc007.txt', 'doc341.txt']);
    const fetched = requests.filter((p) => p.endsWith('.qtx'));
    assert.ok(fetched.length >= 1 && fetched.length < kind('.qtx').length, `fetched ${fetched} of ${kind('.qtx').length}`);
    assert.equal(new Set(fetched).size, fetched.length, `a text file fetched twice: ${fetched}`);
    assert.ok(requests.some((p) => p.endsWith('.qpt')), 'no part fetched');
    assert.deepEqual(requests.filter((p) => p.endsWith('.qps')), [], 'a plain query fetched positions');
    assert.deepEqual(seen.errors, []);
    await ctx.close();
  } finally {
    await srv.stop();
  }
});

test('a phrase fetches positions once, then marks its excerpts', async () => {
  const srv = await serve(site);
  try {
    const { ctx, seen, requests, w, page } = await searchPage(srv.url, 'supersonic');
    assert.ok(!requests.some((p) => p.endsWith('.qps')), 'plain query fetched positions');
    await w.input.fill('"supersonic wind"');
    await page.waitForFunction(() => {
      const root = document.querySelector('quarry-search').shadowRoot;
      return [...root.querySelectorAll('[role=option] mark')].some((m) => /wind/i.test(m.textContent));
    }, null, { timeout: 15000 });
    assert.equal(await w.options.count(), 2);
    const after1 = requests.filter((p) => p.endsWith('.qps'));
    assert.ok(after1.length >= 1, 'the phrase fetched no positions');
    await w.input.fill('"boundary layers"');
    await resultsFor(page, '"boundary layers"');
    const all = requests.filter((p) => p.endsWith('.qps'));
    assert.equal(new Set(all).size, all.length, `positions fetched twice: ${all}`);
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

// In format 5 a document's title and URL are in its text file too: a hit
// whose file is missing cannot be shown, and says so.
for (const [name, change] of [
  ['missing', (p) => rm(p)],
  ['damaged', async (p) => {
    const b = await readFile(p);
    b[b.length - 5] ^= 0x20;
    await writeFile(p, b);
  }],
]) {
  test(`${name} text files: each hit says in one sentence that it could not be loaded`, async () => {
    const srv = await serve(await variant(name, change));
    try {
      const { ctx, page, seen, w } = await searchPage(srv.url, 'supersonic');
      assert.equal(await w.options.count(), 2);
      assert.match(await w.status.textContent(), /^2 results for \u2068“supersonic”\u2069 \(\d+(\.\d)? ms\)$/);
      for (const text of await w.options.allTextContents()) assert.equal(text.trim(), 'This result could not be loaded.');
      // Nothing to follow and nothing empty: no link, no title, no excerpt.
      assert.equal(await w.host.locator('a[role=option]').count(), 0);
      assert.equal(await w.host.locator('[role=option] [part=title]').count(), 0);
      assert.equal(await w.host.locator('[role=option] mark').count(), 0);
      assert.equal(await w.host.locator('[role=option] .q-excerpt-error').count(), 2);
      // The keyboard still walks them, and the next query is answered.
      await w.input.press('ArrowDown');
      assert.equal(await w.options.first().getAttribute('aria-selected'), 'true');
      await w.input.fill('Report');
      await resultsFor(page, 'Report');
      assert.ok(await w.options.count() > 0);
      assert.deepEqual(seen.errors, []);
      await ctx.close();
    } finally {
      await srv.stop();
    }
  });
}
