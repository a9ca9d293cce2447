// When the engine dies inside its worker (the Go program exits, e.g. on a
// fatal out-of-memory error), the widget says so in one sentence, the
// page stays usable, and the next search starts a fresh worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { quarry, serve, launch, watch, widget, resultsFor, statusContains, statusText, tempDir, removeDir, seedCorpus } from './helpers.mjs';

const SENTENCE = 'Search stopped unexpectedly; it restarts with your next search.';

let dir, srv, browser;

before(async () => {
  dir = await tempDir();
  await quarry('build', '-q', '-o', dir + '/site', seedCorpus);
  srv = await serve(dir + '/site');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  await removeDir(dir);
});

// kill makes the engine of a worker behave as Go's wasm_exec.js does once
// the Go program has exited: every exported function throws.
async function kill(worker) {
  await worker.evaluate(() => {
    globalThis.__killedByTest = true;
    const api = globalThis.__quarry;
    for (const name of Object.keys(api)) {
      api[name] = () => {
        throw new Error('Go program has already exited');
      };
    }
  });
}

test('a dead engine is restarted by the next search', async () => {
  const page = await browser.newPage();
  const seen = watch(page);
  const started = [];
  page.on('worker', (w) => started.push(w));
  await page.goto(srv.url);
  const w = widget(page);

  await w.input.fill('alipay');
  await resultsFor(page, 'alipay');
  assert.equal(started.length, 1);
  const first = started[0];
  let firstClosed = false;
  first.on('close', () => (firstClosed = true));
  await kill(first);

  // The next search fails: one sentence, no results, nothing else broken.
  await w.input.fill('tencent');
  await statusContains(page, SENTENCE);
  assert.equal(await statusText(page), SENTENCE);
  assert.match(await w.status.getAttribute('class'), /q-error/);
  assert.equal(await w.options.count(), 0);
  assert.equal(await w.input.isEditable(), true);
  assert.deepEqual(seen.errors.filter((e) => e.startsWith('pageerror')), []);
  await page.waitForTimeout(100);
  assert.equal(firstClosed, true, 'the dead worker was not ended');

  // The search after it runs in a fresh worker and finds results.
  await w.input.fill('wechat');
  await resultsFor(page, 'wechat');
  assert.ok((await w.options.count()) > 0);
  assert.equal(started.length, 2, 'no fresh worker was started');
  assert.equal(await started[1].evaluate(() => globalThis.__killedByTest === true), false);
  assert.deepEqual(page.workers(), [started[1]]);
  assert.deepEqual(seen.errors.filter((e) => e.startsWith('pageerror')), []);
  assert.deepEqual(seen.dialogs, []);

  // And it keeps working.
  await w.input.fill('alibaba');
  await resultsFor(page, 'alibaba');
  assert.equal(started.length, 2);
  await page.close();
});

test('the JS API: Quarry.shared gives a fresh instance after the engine died', async () => {
  const page = await browser.newPage();
  const started = [];
  page.on('worker', (w) => started.push(w));
  await page.goto(srv.url + 'quarry/quarry.json');
  const first = await page.evaluate(async () => {
    const { Quarry } = await import('./quarry.js');
    window.__q1 = await Quarry.shared('./');
    return (await window.__q1.search('alipay')).total;
  });
  assert.ok(first > 0);
  await kill(started[0]);
  const out = await page.evaluate(async () => {
    const { Quarry } = await import('./quarry.js');
    let code;
    try {
      await window.__q1.search('alipay');
    } catch (err) {
      code = err.code + ': ' + err.message;
    }
    let again;
    try {
      await window.__q1.search('alipay');
    } catch (err) {
      again = err.code;
    }
    const q2 = await Quarry.shared('./');
    return { code, again, fresh: q2 !== window.__q1, total: (await q2.search('alipay')).total };
  });
  assert.deepEqual(out, { code: 'exited: ' + SENTENCE, again: 'exited', fresh: true, total: first });
  assert.equal(started.length, 2);
  await page.close();
});
