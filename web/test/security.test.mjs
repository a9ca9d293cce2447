// Hostile documents and queries never execute: document text, titles and
// queries are shown as text, and only http(s) and relative URLs become links.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { quarry, serve, launch, watch, widget, resultsFor, tempDir, removeDir } from './helpers.mjs';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';

let dir, srv, browser;

before(async () => {
  dir = await tempDir();
  const corpus = dir + '/corpus';
  await mkdir(corpus);
  await writeFile(corpus + '/evil.txt', `Kumquat ${SCRIPT} heading\n\nThe kumquat page says ${SCRIPT} and ${IMG} and "quotes" & ampersands.\n`);
  await writeFile(corpus + '/plain.txt', 'Plain page\n\nNothing to see about kumquat orchards here.\n');
  await writeFile(corpus + '/links.jsonl', [
    { id: 'js', title: 'Kumquat javascript link', body: 'kumquat record one', url: 'javascript:alert(1)' },
    { id: 'js2', title: 'Kumquat sneaky link', body: 'kumquat record two', url: ' JaVa\tScRiPt:alert(1)' },
    { id: 'data', title: 'Kumquat data link', body: 'kumquat record three', url: `data:text/html,${SCRIPT}` },
    { id: 'web', title: 'Kumquat web link', body: 'kumquat record four', url: 'https://example.org/kumquat' },
  ].map((r) => JSON.stringify(r)).join('\n') + '\n');
  await quarry('build', '-q', '--no-entities', '-o', dir + '/site', corpus);
  srv = await serve(dir + '/site');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  await removeDir(dir);
});

// Elements that should never appear inside the widget or the page.
function injected(page) {
  return page.evaluate(() => {
    const root = document.querySelector('quarry-search').shadowRoot;
    const bad = 'img, script:not([type]), iframe, object, embed, svg, [onerror], [onload]';
    return [...root.querySelectorAll(bad), ...document.body.querySelectorAll(bad)].map((e) => e.outerHTML);
  });
}

test('hostile document text and titles are shown as text', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const seen = watch(page);
  await page.goto(srv.url);
  const w = widget(page);
  await w.input.fill('kumquat');
  await w.input.press('Enter');
  await resultsFor(page, 'kumquat');
  const texts = await w.options.allTextContents();
  const evil = texts.find((t) => t.includes('The kumquat page'));
  assert.ok(evil, `no hostile hit in ${texts}`);
  assert.ok(evil.includes(SCRIPT) && evil.includes(IMG) && evil.includes('"quotes" & ampersands'), evil);
  assert.ok(texts.some((t) => t.startsWith(`Kumquat ${SCRIPT} heading`)), 'title shown as text');
  assert.deepEqual(await injected(page), []);
  await page.waitForTimeout(300);
  assert.deepEqual(seen.dialogs, []);
  assert.deepEqual(seen.errors, []);
  await ctx.close();
});

test('only http(s) and relative URLs become links', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(srv.url + '#q=kumquat');
  await resultsFor(page, 'kumquat');
  const opts = await widget(page).options.evaluateAll((els) => els.map((e) => ({
    title: e.querySelector('[part=title]').textContent,
    tag: e.tagName,
    href: e.getAttribute('href'),
  })));
  const by = (t) => opts.find((o) => o.title === t);
  assert.equal(by('Kumquat javascript link').tag, 'DIV');
  assert.equal(by('Kumquat sneaky link').tag, 'DIV');
  assert.equal(by('Kumquat data link').tag, 'DIV');
  assert.equal(by('Kumquat javascript link').href, null);
  assert.equal(by('Kumquat web link').href, 'https://example.org/kumquat');
  assert.equal(by('Plain page').href, 'plain.txt');
  await ctx.close();
});

test('hostile queries, typed or in the URL, are shown as text', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const seen = watch(page);
  await page.goto(srv.url);
  const w = widget(page);
  for (const q of [IMG, SCRIPT, `"><svg onload=alert(1)>`]) {
    await w.input.fill(q);
    await w.input.press('Enter');
    await resultsFor(page, q);
    assert.ok((await w.status.textContent()).includes(`“${q}”`));
    assert.deepEqual(await injected(page), []);
  }
  await page.goto(srv.url + '#q=' + encodeURIComponent(IMG));
  await resultsFor(page, IMG);
  assert.equal(await w.input.inputValue(), IMG);
  assert.deepEqual(await injected(page), []);
  await page.waitForTimeout(300);
  assert.deepEqual(seen.dialogs, []);
  assert.deepEqual(seen.errors, []);
  await ctx.close();
});
