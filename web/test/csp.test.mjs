// The bundle works under a strict Content-Security-Policy (no inline
// script or style, WebAssembly allowed with 'wasm-unsafe-eval'), as sent
// by `quarry serve` and by any other server; the single file works under
// a policy that allows exactly its inline script and style by hash.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { quarry, serve, staticServer, launch, watch, widget, resultsFor, tempDir, removeDir, seedCorpus } from './helpers.mjs';

// The policy documented for a hosted bundle (README, security section).
export const STRICT = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; " +
  "connect-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

let dir, browser;

before(async () => {
  dir = await tempDir();
  await quarry('build', '-q', '-o', dir + '/site', seedCorpus);
  await quarry('build', '-q', '--single-file', dir + '/single/demo.html', seedCorpus);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await removeDir(dir);
});

// searchUnder opens url, searches, and returns the CSP header of the page
// with every violation reported by the page, its workers or the console.
async function searchUnder(url) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const seen = watch(page);
  const violations = [];
  await page.exposeFunction('__violation', (v) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => window.__violation(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('console', (m) => { if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push('console: ' + m.text()); });
  page.on('worker', (w) => w.on('console', (m) => { if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push('worker: ' + m.text()); }));
  try {
    const res = await page.goto(url);
    const w = widget(page);
    await w.input.fill('alipay');
    await w.input.press('Enter');
    await resultsFor(page, 'alipay');
    assert.equal(await w.options.count(), 4);
    await w.input.fill('tenc');
    await resultsFor(page, 'tenc');
    await page.waitForTimeout(300);
    return { csp: res.headers()['content-security-policy'], violations, errors: seen.errors };
  } finally {
    await ctx.close();
  }
}

test('quarry serve sends its strict policy and the demo works under it', async () => {
  const srv = await serve(dir + '/site');
  try {
    const r = await searchUnder(srv.url);
    assert.equal(r.csp, STRICT);
    assert.deepEqual(r.violations, []);
    assert.deepEqual(r.errors, []);
  } finally {
    await srv.stop();
  }
});

test('any static server sending the documented policy', async () => {
  const srv = await staticServer(dir + '/site', { headers: { 'Content-Security-Policy': STRICT } });
  try {
    const r = await searchUnder(srv.url);
    assert.equal(r.csp, STRICT);
    assert.deepEqual(r.violations, []);
    assert.deepEqual(r.errors, []);
  } finally {
    await srv.stop();
  }
});

// singlePolicy allows the single file's one inline module script and one
// inline stylesheet by their SHA-256, and blob: workers.
async function singlePolicy(file) {
  const html = await readFile(file, 'utf8');
  const hash = (s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
  const script = html.match(/<script type="module">([\s\S]*?)<\/script>/)[1];
  const style = html.match(/<style id="quarry-css">([\s\S]*?)<\/style>/)[1];
  return `default-src 'none'; script-src ${hash(script)} 'wasm-unsafe-eval'; worker-src blob:; ` +
    `style-src ${hash(style)}; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

test('the single file works under a policy with the hashes of its inline script and style', async () => {
  const policy = await singlePolicy(dir + '/single/demo.html');
  const srv = await staticServer(dir + '/single', { headers: { 'Content-Security-Policy': policy } });
  try {
    const r = await searchUnder(srv.url + 'demo.html');
    assert.equal(r.csp, policy);
    assert.deepEqual(r.violations, []);
    assert.deepEqual(r.errors, []);
  } finally {
    await srv.stop();
  }
});

test('the strict bundle policy blocks injected inline script (the check can fail)', async () => {
  const srv = await staticServer(dir + '/site', { headers: { 'Content-Security-Policy': STRICT } });
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  try {
    await page.goto(srv.url);
    const ran = await page.evaluate(() => new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', (e) => resolve('blocked: ' + e.violatedDirective), { once: true });
      const s = document.createElement('script');
      s.textContent = 'window.__ran = true';
      document.body.append(s);
      setTimeout(() => resolve(window.__ran ? 'ran' : 'nothing'), 1000);
    }));
    assert.match(ran, /^blocked: script-src/);
  } finally {
    await ctx.close();
    await srv.stop();
  }
});

test('violations are detected (the zero-violation checks can fail)', async () => {
  // Without img-src data:, the demo page's data: favicon is refused.
  const policy = STRICT.replace("img-src 'self' data:", "img-src 'self'");
  const srv = await staticServer(dir + '/site', { headers: { 'Content-Security-Policy': policy } });
  try {
    const r = await searchUnder(srv.url);
    assert.ok(r.violations.some((v) => /img-src/.test(v)), `violations: ${r.violations.join(' | ')}`);
  } finally {
    await srv.stop();
  }
});
