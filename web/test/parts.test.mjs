// An index split into parts (issue 11): the worker fetches only the parts
// a query needs, a part that fails to download costs that query a
// notice and not the next one, and the single file still holds it all.
//
// The corpus: 480 generated documents of made-up words (consonant-vowel
// syllables of b…v, so every one of them sorts between "b" and "w"),
// enough for several parts split by term range, plus a few real words at
// both ends of the alphabet: "abacus" and "abbey" in the first part,
// "zeppelin" and "wharf" in the last.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { quarry, serve, launch, watch, widget, resultsFor, statusText, tempDir, removeDir } from './helpers.mjs';

let dir, site, single, browser, manifest, files, srv;

const DOCS = 480;
// Where the real words are (document numbers).
const SPECIAL = {
  5: 'The abacus in the abbey was used for counting.',
  6: 'An abacus stood in the old abbey.',
  7: 'Monks of the abbey kept no abacus.',
  300: 'A zeppelin wharf was built on the river.',
  301: 'The zeppelin wharf closed in winter.',
  302: 'The zeppelin never came to the wharf.',
};

// word returns made-up word k of the vocabulary: four consonant-vowel
// syllables, far (in edits) from the real words above.
function word(k) {
  const cons = 'bcdfghjklmnprstv';
  const vow = 'aeiou';
  let x = (k * 7919 + 12345) % (80 ** 4);
  let w = '';
  for (let s = 0; s < 4; s++, x = Math.floor(x / 80)) w += cons[x % 16] + vow[Math.floor(x / 16) % 5];
  return w;
}

// body returns document i's 160 made-up words, drawn from a vocabulary
// of 12,000 so that most words are in several documents.
function body(i) {
  let x = i + 1;
  const out = [];
  for (let k = 0; k < 160; k++) {
    x = (x * 48271) % 2147483647;
    out.push(word(x % 12000));
  }
  return out.join(' ');
}

before(async () => {
  dir = await tempDir();
  const corpus = dir + '/corpus';
  await mkdir(corpus);
  for (let i = 0; i < DOCS; i++) {
    await writeFile(`${corpus}/doc${String(i).padStart(3, '0')}.txt`, `Record ${i}\n\n${body(i)}. ${SPECIAL[i] || ''}\n`);
  }
  site = dir + '/site';
  single = dir + '/single.html';
  await quarry('build', '-q', '-no-entities', '-o', site, corpus);
  await quarry('build', '-q', '-no-entities', '--single-file', single, corpus);
  manifest = JSON.parse(await readFile(site + '/quarry/quarry.json', 'utf8'));
  files = (await readdir(site + '/quarry')).filter((f) => /\.(qpt|qps|qtx|qrs)$/.test(f));
  browser = await launch();
  srv = await serve(site);
});

after(async () => {
  await srv?.stop();
  await browser?.close();
  await removeDir(dir);
});

const all = (ext) => files.filter((f) => f.endsWith(ext));
const fetched = (requests, ext) => requests.filter((p) => p.endsWith(ext)).map((p) => p.slice(p.lastIndexOf('/') + 1));

// open loads the demo page in a new context (an empty cache) with query
// q in its URL, as typed (the last word is also a prefix), and resolves
// once its results are shown. route, when given, is installed first.
// The rest bundle, which the worker fetches once the first answer is
// shown, is refused (as a host that lacks it would), so that each query
// fetches what it needs, unless rest is true.
async function open(q, route, { rest = false } = {}) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const seen = watch(page);
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  const warnings = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  if (!rest) await ctx.route(/\.qrs$/, (r) => r.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }));
  if (route) await ctx.route(route.match, route.handler);
  await page.goto(srv.url + '#q=' + encodeURIComponent(q));
  await resultsFor(page, q);
  return { ctx, page, seen, requests, warnings, w: widget(page) };
}

async function titles(w) {
  return (await w.host.locator('[role=option] [part=title]').allTextContents()).sort();
}

test('the corpus is split into several parts, positions parts and text files', () => {
  assert.equal(manifest.format, 5);
  assert.equal(manifest.files, files.length);
  assert.ok(all('.qpt').length >= 3, `parts: ${all('.qpt')}`);
  assert.ok(all('.qps').length >= 2, `positions parts: ${all('.qps')}`);
  assert.ok(all('.qtx').length >= 10, `text files: ${all('.qtx').length}`);
  assert.equal(all('.qrs').length, 1, `rest bundles: ${all('.qrs')}`);
});

// Once the first answer is shown, the rest of the index (its parts and
// text files, not its positions) comes in one request; later queries
// then fetch nothing, but a phrase its positions.
test('after the first answer the rest of the index comes in one file', async () => {
  const finished = [];
  const { ctx, page, seen, requests, w } = await open('abacus', null, { rest: true });
  ctx.on('requestfinished', (r) => finished.push(new URL(r.url()).pathname));
  assert.deepEqual(await titles(w), ['Record 5', 'Record 6', 'Record 7']);
  // The first answer's last files (its text files) come before the bundle.
  const lastText = requests.findLastIndex((p) => p.endsWith('.qtx'));
  const bundle = requests.findIndex((p) => p.endsWith('.qrs'));
  assert.ok(lastText >= 0 && (bundle < 0 || bundle > lastText), `requests: ${requests}`);
  for (let i = 0; i < 100 && !finished.some((p) => p.endsWith('.qrs')); i++) await page.waitForTimeout(100);
  assert.deepEqual(fetched(requests, '.qrs'), all('.qrs'));
  // The bundle's bytes have reached the engine once its request is over
  // and the worker has run the task that hands them over.
  await page.waitForTimeout(300);
  const before = requests.length;
  for (const [q, want] of [
    ['zeppe', ['Record 300', 'Record 301', 'Record 302']],
    ['zepelin', ['Record 300', 'Record 301', 'Record 302']],
    ['abbey', ['Record 5', 'Record 6', 'Record 7']],
  ]) {
    await w.input.fill(q);
    await resultsFor(page, q);
    assert.deepEqual(await titles(w), want, q);
  }
  const later = requests.slice(before).filter((p) => /\.(qpt|qps|qtx|qrs)$/.test(p));
  assert.deepEqual(later, [], 'queries after the bundle fetched files');
  await w.input.fill('"zeppelin wharf"');
  await resultsFor(page, '"zeppelin wharf"');
  assert.deepEqual(await titles(w), ['Record 300', 'Record 301']);
  const phrase = requests.slice(before).filter((p) => /\.(qpt|qps|qtx|qrs)$/.test(p));
  assert.ok(phrase.length >= 1 && phrase.every((p) => p.endsWith('.qps')), `the phrase fetched ${phrase}`);
  assert.deepEqual(seen.errors, []);
  await ctx.close();
});

// prefetch="none" fetches nothing ahead, nor does a browser that asks to
// save data, and a damaged bundle leaves nothing wrong: its files are
// fetched one by one.
for (const [how, route, pageRoute, saveData] of [
  ['prefetch="none"', null, true],
  ['the browser saving data', null, false, true],
  ['a damaged bundle', {
    match: /\.qrs$/,
    handler: async (route) => {
      const body = Buffer.from(await (await route.fetch()).body());
      body[body.length >> 1] ^= 0x55;
      await route.fulfill({ status: 200, contentType: 'application/octet-stream', body });
    },
  }, false],
]) {
  test(`with ${how} later queries fetch their own files and answer in full`, async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const seen = watch(page);
    const requests = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    if (route) await ctx.route(route.match, route.handler);
    if (saveData) await (await ctx.newCDPSession(page)).send('Emulation.setDataSaverOverride', { dataSaverEnabled: true });
    if (pageRoute) {
      await ctx.route((u) => u.pathname === '/' || u.pathname.endsWith('/index.html'), async (r) => {
        const html = (await (await r.fetch()).text()).replace('<quarry-search ', '<quarry-search prefetch="none" ');
        await r.fulfill({ status: 200, contentType: 'text/html', body: html });
      });
    }
    await page.goto(srv.url + '#q=abacus');
    await resultsFor(page, 'abacus');
    const w = widget(page);
    await page.waitForTimeout(1500);
    for (const [q, want] of [
      ['zeppelin', ['Record 300', 'Record 301', 'Record 302']],
      ['zepelin', ['Record 300', 'Record 301', 'Record 302']],
    ]) {
      await w.input.fill(q);
      await resultsFor(page, q);
      assert.deepEqual(await titles(w), want, q);
      assert.doesNotMatch(await statusText(page), /could not be loaded|missing/);
    }
    assert.deepEqual(fetched(requests, '.qrs'), pageRoute || saveData ? [] : all('.qrs'));
    if (pageRoute) assert.equal(await page.locator('quarry-search').getAttribute('prefetch'), 'none');
    if (pageRoute || saveData) {
      assert.ok(fetched(requests, '.qtx').length >= 2, `text files fetched one by one: ${fetched(requests, '.qtx')}`);
    }
    assert.deepEqual(seen.errors, []);
    await ctx.close();
  });
}

// Each query, in a fresh page, fetches at least one file of each kind it
// needs and strictly fewer than all of them.
for (const [name, q, want, positions] of [
  ['a plain word', 'zeppelin', ['Record 300', 'Record 301', 'Record 302'], false],
  ['a phrase', '"zeppelin wharf"', ['Record 300', 'Record 301'], true],
  ['a prefix, as typed', 'zeppe', ['Record 300', 'Record 301', 'Record 302'], false],
  ['a typo', 'zepelin', ['Record 300', 'Record 301', 'Record 302'], false],
]) {
  test(`${name} fetches only the parts it needs`, async () => {
    const { ctx, seen, requests, w } = await open(q);
    assert.deepEqual(await titles(w), want);
    const parts = fetched(requests, '.qpt');
    const pos = fetched(requests, '.qps');
    const texts = fetched(requests, '.qtx');
    assert.ok(parts.length >= 1 && parts.length < all('.qpt').length, `${q}: fetched parts ${parts} of ${all('.qpt').length}`);
    if (positions) assert.ok(pos.length >= 1 && pos.length < all('.qps').length, `${q}: fetched positions ${pos} of ${all('.qps').length}`);
    else assert.deepEqual(pos, [], `${q} fetched positions`);
    assert.ok(texts.length >= 1 && texts.length < all('.qtx').length, `${q}: fetched text files ${texts} of ${all('.qtx').length}`);
    for (const list of [parts, pos, texts]) assert.equal(new Set(list).size, list.length, `fetched twice: ${list}`);
    assert.deepEqual(seen.errors, []);
    await ctx.close();
  });
}

// partsOf returns the parts a query fetches in a fresh page.
const partsSeen = new Map();
async function partsOf(q) {
  if (!partsSeen.has(q)) {
    const { ctx, requests } = await open(q);
    await ctx.close();
    partsSeen.set(q, fetched(requests, '.qpt'));
  }
  return partsSeen.get(q);
}

for (const [how, handler] of [
  ['is not found', (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' })],
  ['cannot be reached', (route) => route.abort('connectionrefused')],
  ['is damaged', async (route) => {
    // The bytes as served (decoded), one of them changed.
    const body = Buffer.from(await (await route.fetch()).body());
    body[body.length >> 1] ^= 0x55;
    await route.fulfill({ status: 200, contentType: 'application/octet-stream', body });
  }],
]) {
  test(`a query whose part ${how} says so, and the next query works`, async () => {
    const first = await partsOf('abacus');
    const last = await partsOf('zeppelin');
    assert.ok(first.length >= 1 && last.length >= 1 && !first.some((p) => last.includes(p)), `abacus ${first}, zeppelin ${last}`);
    const broken = new Set(first);
    const { ctx, page, seen, requests, warnings, w } = await open('abacus', {
      match: (url) => broken.has(url.pathname.slice(url.pathname.lastIndexOf('/') + 1)),
      handler,
    });
    // One plain sentence: no results, because part of the index could
    // not be loaded; no script error, no broken result. Which file and
    // why is for the site's owner, on the console.
    assert.equal(await statusText(page), 'No results for \u2068“abacus”\u2069. — part of the search index could not be loaded, so some results may be missing');
    assert.equal(await w.options.count(), 0);
    assert.ok(warnings.some((m) => m.startsWith('quarry: ') && m.includes(first[0])), `warnings: ${warnings}`);
    assert.deepEqual(seen.errors, []);
    // The next query, whose words are in another part, is answered in full.
    await w.input.fill('zeppelin');
    await resultsFor(page, 'zeppelin');
    assert.deepEqual(await titles(w), ['Record 300', 'Record 301', 'Record 302']);
    assert.doesNotMatch(await statusText(page), /could not be loaded|missing/);
    assert.deepEqual(fetched(requests, '.qpt').filter((p) => last.includes(p)), last);
    // Once the part can be fetched again, a new query asks for it again
    // (a damaged file is not asked for again: the engine remembers it).
    broken.clear();
    await w.input.fill('abbey abacus');
    await resultsFor(page, 'abbey abacus');
    if (how === 'is damaged') {
      assert.match(await statusText(page), /could not be loaded/);
    } else {
      assert.deepEqual(await titles(w), ['Record 5', 'Record 6', 'Record 7']);
      assert.doesNotMatch(await statusText(page), /could not be loaded|missing/);
    }
    assert.deepEqual(seen.errors, []);
    await ctx.close();
  });
}

test('the single file holds every part and searches from file://', async () => {
  const ctx = await browser.newContext({ offline: true });
  const page = await ctx.newPage();
  const seen = watch(page);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(single).href);
  const w = widget(page);
  for (const [q, want] of [
    ['zeppelin', ['Record 300', 'Record 301', 'Record 302']],
    ['"zeppelin wharf"', ['Record 300', 'Record 301']],
    ['abac', ['Record 5', 'Record 6', 'Record 7']],
    ['zepelin', ['Record 300', 'Record 301', 'Record 302']],
  ]) {
    await w.input.fill(q);
    await resultsFor(page, q);
    assert.deepEqual(await titles(w), want, q);
    assert.doesNotMatch(await statusText(page), /could not be loaded|missing/);
  }
  await w.host.locator('[role=option] mark').first().waitFor({ timeout: 5000 });
  const external = requests.filter((u) => !u.startsWith('file:') && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(external, []);
  assert.deepEqual(seen.errors, []);
  await ctx.close();
});
