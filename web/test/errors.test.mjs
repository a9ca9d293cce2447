// When search cannot work, the widget says so in one plain sentence (and
// logs the detail to the console); when a server is merely sloppy (wrong
// MIME type for the engine) it still works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { seedSite, serve, staticServer, watch, widget, resultsFor, statusContains } from './helpers.mjs';

const fx = seedSite();

// variant copies the site and lets change damage the copy's index file.
async function variant(name, change) {
  const out = `${fx.dir}/${name}`;
  await cp(fx.site, out, { recursive: true });
  const idx = (await readdir(out + '/quarry')).find((f) => f.endsWith('.idx'));
  const p = `${out}/quarry/${idx}`;
  for (const f of [p + '.br', p + '.gz']) await rm(f);
  await change(p);
  return out;
}

async function expectSentence(url, sentence, detail) {
  const ctx = await fx.browser.newContext();
  const page = await ctx.newPage();
  const seen = watch(page);
  await page.goto(url + '#q=alipay');
  await statusContains(page, sentence);
  const w = widget(page);
  assert.equal(await w.options.count(), 0);
  assert.match(await w.status.getAttribute('class'), /q-error/);
  await page.waitForTimeout(200);
  assert.ok(seen.errors.some((e) => e.includes('quarry:') && detail.test(e)), `console: ${seen.errors.join(' | ')}`);
  // Typing again keeps the sentence without logging the same error again.
  const logged = () => seen.errors.filter((e) => e.includes('quarry:')).length;
  const before = logged();
  await w.input.fill('tencent');
  await page.waitForTimeout(400);
  await statusContains(page, sentence);
  assert.equal(logged(), before);
  await ctx.close();
}

test('a corrupt index', async () => {
  const out = await variant('corrupt', async (p) => {
    const b = await readFile(p);
    b[b.length >> 1] ^= 0xff;
    await writeFile(p, b);
  });
  const srv = await serve(out);
  try {
    await expectSentence(srv.url, 'The search index is damaged; rebuild the site.', /checksum/);
  } finally {
    await srv.stop();
  }
});

test('an index built by another version', async () => {
  const out = await variant('version', async (p) => {
    const b = await readFile(p);
    b.writeUInt32LE(99, 8);
    await writeFile(p, b);
  });
  const srv = await serve(out);
  try {
    await expectSentence(srv.url, 'built by a different version of Quarry', /version 99/);
  } finally {
    await srv.stop();
  }
});

test('a missing index', async () => {
  const out = await variant('missing', (p) => rm(p));
  const srv = await serve(out);
  try {
    await expectSentence(srv.url, 'Search is unavailable: the search index is missing.', /HTTP 404/);
  } finally {
    await srv.stop();
  }
});

test('no index at all where the widget looks', async () => {
  const out = await variant('nomanifest', () => rm(`${fx.dir}/nomanifest/quarry/quarry.json`));
  // The page's manifest preload 404s too; only the widget's own sentence matters.
  const srv = await serve(out);
  try {
    await expectSentence(srv.url, 'no search index was found at this address', /quarry\.json: HTTP 404/);
  } finally {
    await srv.stop();
  }
});

test('a damaged engine file', async () => {
  const out = await variant('badwasm', async () => {
    const q = `${fx.dir}/badwasm/quarry`;
    const wasm = (await readdir(q)).find((f) => f.endsWith('.wasm'));
    for (const f of [wasm + '.br', wasm + '.gz']) await rm(`${q}/${f}`);
    const b = await readFile(`${q}/${wasm}`);
    await writeFile(`${q}/${wasm}`, b.subarray(0, b.length >> 1));
  });
  const srv = await serve(out);
  try {
    await expectSentence(srv.url, 'the search engine file is damaged', /CompileError|section|length|offset/i);
  } finally {
    await srv.stop();
  }
});

test('a server with the wrong MIME type for wasm still works', async () => {
  const srv = await staticServer(fx.site, { types: { '.wasm': 'application/octet-stream' } });
  const ctx = await fx.browser.newContext();
  const page = await ctx.newPage();
  const seen = watch(page);
  try {
    await page.goto(srv.url + '#q=alipay');
    await resultsFor(page, 'alipay');
    assert.equal(await widget(page).options.count(), 4);
    assert.deepEqual(seen.errors, []);
  } finally {
    await ctx.close();
    await srv.stop();
  }
});

test('a CSP without wasm-unsafe-eval gets a plain sentence', async () => {
  const srv = await staticServer(fx.site, { headers: { 'Content-Security-Policy': "default-src 'self'; script-src 'self'" } });
  try {
    await expectSentence(srv.url, "this page's security policy does not allow WebAssembly", /Content Security Policy|unsafe-eval/);
  } finally {
    await srv.stop();
  }
});

// Every kind of damage to the index file (truncated anywhere, a flipped
// byte in the header, the data or the checksum) ends in one plain sentence
// without a stack trace; the page stays usable and nothing is thrown.
test('truncated and bit-flipped index files', async () => {
  const INCOMPLETE = 'The search index is incomplete; reload the page, or rebuild the site if this persists.';
  const DAMAGED = 'The search index is damaged; rebuild the site.';
  const NOT_INDEX = 'the file found in its place is not a Quarry index';
  const flip = (at) => (b) => { const i = at(b.length); b[i] ^= 0x01; return b; };
  const cases = [
    ['empty', (b) => b.subarray(0, 0), NOT_INDEX],
    ['magic only', (b) => b.subarray(0, 8), INCOMPLETE],
    ['header only', (b) => b.subarray(0, 16), INCOMPLETE],
    ['cut in half', (b) => b.subarray(0, b.length >> 1), INCOMPLETE],
    ['one byte short', (b) => b.subarray(0, b.length - 1), INCOMPLETE],
    ['flipped magic', flip(() => 0), NOT_INDEX],
    ['flipped length', (b) => { b[15] ^= 0x10; return b; }, INCOMPLETE], // header claims 256 MiB more
    ['flipped version', (b) => { b[8] ^= 0x02; return b; }, 'built by a different version of Quarry'],
    ['flipped data byte', flip((n) => Math.floor(n * 0.7)), DAMAGED],
    ['flipped checksum', flip((n) => n - 1), DAMAGED],
  ];
  for (const [name, damage, sentence] of cases) {
    const out = await variant('damage-' + name.replace(/ /g, '-'), async (p) => writeFile(p, damage(await readFile(p))));
    const srv = await serve(out);
    const ctx = await fx.browser.newContext();
    const page = await ctx.newPage();
    const seen = watch(page);
    try {
      await page.goto(srv.url + '#q=alipay');
      const w = widget(page);
      await statusContains(page, sentence).catch(async (err) => {
        throw new Error(`${name}: status ${JSON.stringify(await w.status.textContent())}: ${err.message}`);
      });
      const status = await w.status.textContent();
      assert.doesNotMatch(status, /\n|goroutine|panic|\.go:|at [\w.]+ \(/, `${name}: ${status}`);
      // Still usable: typing, the page's own links and the URL keep working.
      await w.input.fill('tencent');
      assert.equal(await w.input.inputValue(), 'tencent');
      await page.click('a[href="#q=tenc"]');
      await page.waitForFunction(() => location.hash === '#q=tenc');
      await statusContains(page, sentence);
      await page.waitForTimeout(200);
      assert.deepEqual(seen.errors.filter((e) => !e.startsWith('console.error: quarry:')), [], name);
      assert.deepEqual(seen.dialogs, []);
    } finally {
      await ctx.close();
      await srv.stop();
    }
  }
});
