// What the engine says about a hit's page, end to end (Markdown pages
// with headings → quarry build → the wasm engine → the widget): the
// sections that matched under their hit, each linking to its anchor;
// "showing results for …" after a corrected typo; stop words searched
// but not marked.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { quarry, serve, launch, watch, widget, resultsFor, tempDir, removeDir } from './helpers.mjs';

let dir, srv, browser, ctx, page, seen;

const pages = {
  'install.md': `---
title: Install Hugo
---
Hugo is one program: download it and run it, on any system.

## macOS

Use Homebrew, the package manager most people already have.

## Linux

Use the package manager of your distribution, or a Snap.

## Windows

Install Hugo on Windows with winget, or with Chocolatey; the extended edition is what most sites need.

## Verify

Run the version command in a terminal.
`,
  'deploy.md': `---
title: Deploy a site
---
Copy the public folder to any static host.

## Netlify

Connect the repository and set the build command.

## Rsync

Send the folder to a server on every build.
`,
  'themes.md': `---
title: Themes
---
A theme gives a site its layout and its styles.

## Installing a theme

Add the theme as a module, then name it in the configuration.
`,
};

before(async () => {
  dir = await tempDir();
  await mkdir(join(dir, 'corpus'));
  for (const [name, text] of Object.entries(pages)) await writeFile(join(dir, 'corpus', name), text);
  await quarry('build', '-q', '-no-entities', '-o', join(dir, 'site'), join(dir, 'corpus'));
  srv = await serve(join(dir, 'site'));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  await removeDir(dir);
});

beforeEach(async () => {
  ctx = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  page = await ctx.newPage();
  seen = watch(page);
  await page.goto(srv.url);
});

afterEach(async () => {
  assert.deepEqual(seen.errors, [], 'console errors');
  assert.deepEqual(seen.dialogs, [], 'dialogs');
  await ctx.close();
});

async function search(q) {
  const w = widget(page);
  await w.input.fill(q);
  await w.input.press('Enter');
  await resultsFor(page, q);
  return w;
}

test('a match only in the third section shows its heading and links to its anchor', async () => {
  const w = await search('winget');
  const group = w.host.locator('[role=group][part=hit]');
  assert.equal(await group.count(), 1);
  const opts = await group.locator('[role=option]').evaluateAll((els) => els.map((e) => ({
    part: e.getAttribute('part'), href: e.getAttribute('href'),
    title: e.querySelector('[part=title]')?.textContent, heading: e.querySelector('[part=heading]')?.textContent,
    marks: [...e.querySelectorAll('mark')].map((m) => m.textContent),
  })));
  assert.equal(opts.length, 2, JSON.stringify(opts));
  // The page: its title, linking to its top.
  assert.equal(opts[0].part, 'result');
  assert.equal(opts[0].title, 'Install Hugo');
  assert.doesNotMatch(opts[0].href, /#/);
  assert.deepEqual(opts[0].marks, []);
  // Beneath it, the third section: its heading, its anchor, its text.
  assert.equal(opts[1].part, 'result section');
  assert.equal(opts[1].heading, 'Windows');
  assert.equal(opts[1].href, opts[0].href + '#windows');
  assert.deepEqual(opts[1].marks, ['winget']);
});

test('a match in the introduction links to the page top, with no section', async () => {
  const w = await search('download');
  assert.equal(await w.host.locator('[role=group][part=hit]').count(), 0);
  const first = w.options.first();
  assert.doesNotMatch(await first.getAttribute('href'), /#/);
  assert.deepEqual(await first.locator('mark').allTextContents(), ['download']);
});

test('a corrected typo says what was searched', async () => {
  const w = await search('homebrw');
  const corrected = w.host.locator('[part=corrected]');
  assert.equal(await corrected.textContent(), 'Showing results for \u2068“homebrew”\u2069');
  assert.equal(await w.host.locator('[role=option][href$="#macos"]').count(), 1);
  // A query found as typed has no such line.
  await search('homebrew');
  assert.equal(await corrected.count(), 0);
});

test('stop words are searched but not marked', async () => {
  const w = await search('hugo on windows');
  const marks = (await w.host.locator('[part=results] mark').allTextContents()).map((m) => m.toLowerCase());
  assert.ok(marks.includes('hugo') && marks.includes('windows'), `marks: ${marks}`);
  assert.ok(!marks.includes('on'), `"on" marked: ${marks}`);
  assert.equal(await w.host.locator('[role=option][href$="#windows"]').count(), 1);
});
