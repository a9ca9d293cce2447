// `quarry build --single-file` writes one HTML file that searches when
// opened straight from disk (file://), with no network at all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { quarry, launch, watch, widget, resultsFor, tempDir, removeDir, seedCorpus } from './helpers.mjs';

let dir, file, browser;

before(async () => {
  dir = await tempDir();
  file = dir + '/demo.html';
  await quarry('build', '-q', '--single-file', file, seedCorpus);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await removeDir(dir);
});

test('the single file answers queries from file:// offline', async () => {
  const ctx = await browser.newContext({ offline: true });
  const page = await ctx.newPage();
  const seen = watch(page);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  const w = widget(page);
  await w.input.pressSequentially('alipay', { delay: 20 });
  await resultsFor(page, 'alipay');
  assert.equal(await w.options.count(), 4);
  assert.ok((await w.host.locator('[role=option] mark').allTextContents()).every((m) => /^alipay/i.test(m)));
  // The styles came along too (the widget is not unstyled).
  const color = await w.host.locator('[part=title]').first().evaluate((e) => getComputedStyle(e).fontWeight);
  assert.equal(color, '600');
  // The engine ran in a worker (started from a blob: URL), not on the page.
  assert.equal(await page.evaluate(() => typeof globalThis.__quarry), 'undefined');
  const external = requests.filter((u) => !u.startsWith('file:') && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(external, []);
  assert.deepEqual(seen.errors, []);
  // The query is in the URL here too.
  await w.input.press('Enter');
  assert.equal(new URL(page.url()).hash, '#q=alipay');
  await ctx.close();
  const { size } = await stat(file);
  console.log(`single file: ${size} bytes`);
});

test('a result opens its document inside the single file, and Back returns to the results', async () => {
  const ctx = await browser.newContext({ offline: true });
  const page = await ctx.newPage();
  const seen = watch(page);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  const w = widget(page);
  await w.input.pressSequentially('alipay', { delay: 20 });
  await resultsFor(page, 'alipay');
  const title = await w.options.first().locator('[part=title]').textContent();
  const href = await w.options.first().getAttribute('href');
  assert.match(href, /^#q=alipay&doc=00\d_[0-9a-f]+\.txt$/);
  await w.options.first().click();
  const view = w.host.locator('[part=document]');
  await view.waitFor();
  assert.equal(await view.locator('[part=document-title]').textContent(), title);
  const text = await view.locator('[part=document-text]').textContent();
  assert.match(text, /Alipay/);
  assert.equal(await w.listbox.isVisible(), false);
  // The document is text, whatever it holds, and no .txt file was asked for.
  assert.equal(await view.locator('[part=document-text] *').count(), 0);
  assert.deepEqual(requests.filter((u) => u.endsWith('.txt')), []);
  // Back (the link or the browser's) shows the results again.
  await view.locator('[part=back]').click();
  await page.waitForFunction(() => !new URL(location.href).hash.includes('doc='));
  assert.equal(await view.isVisible(), false);
  assert.ok(await w.listbox.isVisible());
  await page.goBack();
  await view.waitFor();
  await page.goBack();
  await view.waitFor({ state: 'hidden' });
  assert.equal(await w.input.inputValue(), 'alipay');
  // Reloading on a document shows it again.
  await w.options.first().click();
  await view.waitFor();
  await page.reload();
  await view.waitFor();
  assert.match(await view.locator('[part=document-text]').textContent(), /Alipay/);
  assert.deepEqual(seen.errors, []);
  await ctx.close();
});
