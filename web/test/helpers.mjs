// Shared helpers of the browser tests and the benchmark: build a site with
// bin/quarry, serve it with `quarry serve` on a free port, and drive
// Debian's Chromium with playwright-core.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../..');
export const quarryBin = process.env.QUARRY_BIN || join(repoRoot, 'bin/quarry');
export const seedCorpus = join(repoRoot, 'corpus');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const run = promisify(execFile);

/** The Hugo site of the drop-in test and the screenshots (testdata/hugo). */
export const hugoFixture = join(repoRoot, 'web/testdata/hugo');
const hugoBin = process.env.HUGO || '/usr/bin/hugo';

/**
 * Builds the Hugo fixture in dir with Debian's hugo, then indexes it as
 * README "In your site" says (quarry build --site public, with the
 * fixture's quarry.yaml). Resolves to {public, build: {stdout, stderr}}.
 */
export async function buildHugoSite(dir) {
  const { access, cp } = await import('node:fs/promises');
  await access(hugoBin).catch(() => {
    throw new Error(`${hugoBin} not found: install Debian's hugo (make web-deps does)`);
  });
  const src = join(dir, 'hugo');
  await cp(hugoFixture, src, { recursive: true });
  const pub = join(src, 'public');
  await run(hugoBin, ['--quiet', '--source', src, '--destination', pub]);
  const build = await quarry('build', '--site', pub, '-config', join(src, 'quarry.yaml'));
  return { public: pub, build };
}

/** Runs bin/quarry with args; resolves to {stdout, stderr}. */
export function quarry(...args) {
  return run(quarryBin, args, { maxBuffer: 64 << 20 });
}

/** A fresh temporary folder, removed by the returned cleanup. */
export async function tempDir(prefix = 'quarry-web-') {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir) {
  await rm(dir, { recursive: true, force: true });
}

/**
 * Registers before and after hooks in the calling test file: before, the
 * seed corpus is built into a fresh folder and Chromium launched; after,
 * both are closed and removed. The returned object's dir, site (the built
 * site) and browser are set once the before hook has run.
 */
export function seedSite() {
  const fx = {};
  before(async () => {
    fx.dir = await tempDir();
    fx.site = fx.dir + '/site';
    await quarry('build', '-q', '-o', fx.site, seedCorpus);
    fx.browser = await launch();
  });
  after(async () => {
    await fx.browser?.close();
    await removeDir(fx.dir);
  });
  return fx;
}

/**
 * Starts `quarry serve dir --addr 127.0.0.1:0` and resolves to
 * {url, stop()} once it prints its address.
 */
export function serve(dir, ...extra) {
  return new Promise((resolveServe, reject) => {
    const child = spawn(quarryBin, ['serve', dir, '--addr', '127.0.0.1:0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('quarry serve did not start: ' + out + err));
    }, 10000);
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/at (http:\/\/\S+\/)/);
      if (!m) return;
      clearTimeout(timer);
      resolveServe({
        url: m[1],
        stop: () => new Promise((done) => {
          if (child.exitCode !== null) return done(child.exitCode);
          child.once('exit', (code) => done(code));
          child.kill('SIGTERM');
        }),
        output: () => out + err,
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`quarry serve exited with ${code}: ${out}${err}`));
    });
  });
}

/** Launches headless Chromium. */
export function launch() {
  return chromium.launch({ executablePath, args: chromiumArgs });
}

/**
 * Records console errors, page errors and dialogs of a page; the returned
 * object's problems() lists them.
 */
export function watch(page) {
  const errors = [];
  const dialogs = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push('console.error: ' + m.text());
  });
  page.on('pageerror', (e) => errors.push('pageerror: ' + e.message));
  page.on('dialog', (d) => {
    dialogs.push(d.type() + ': ' + d.message());
    d.dismiss().catch(() => {});
  });
  return { errors, dialogs };
}

/** The widget's shadow-root parts, as locators. */
export function widget(page) {
  const host = page.locator('quarry-search').first();
  return {
    host,
    input: host.locator('input[role=combobox]'),
    status: host.locator('[role=status]'),
    options: host.locator('[role=option]'),
    listbox: host.locator('[role=listbox]'),
  };
}

/** Resolves when the widget shows results for query q. */
export async function resultsFor(page, q) {
  await page.waitForFunction((q) => {
    const root = document.querySelector('quarry-search')?.shadowRoot;
    const status = root?.querySelector('[role=status]')?.textContent || '';
    return status.includes(`“${q}”`);
  }, q, { timeout: 15000 });
}

/**
 * A deliberately naive static server (no compression, types from a small
 * table or the override) for testing how the widget copes with servers
 * other than `quarry serve`. Resolves to {url, stop()}.
 */
export async function staticServer(dir, { types = {}, headers = {} } = {}) {
  const { createServer } = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const { extname, normalize } = await import('node:path');
  const base = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm' };
  const server = createServer(async (req, res) => {
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (p.endsWith('/')) p += 'index.html';
    const file = normalize(join(dir, p));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      const ext = extname(file);
      res.writeHead(200, { 'Content-Type': types[ext] ?? base[ext] ?? 'application/octet-stream', 'Cache-Control': 'no-store', ...headers });
      res.end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    stop: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  };
}

/** The widget's status text. */
export function statusText(page) {
  return page.evaluate(() => document.querySelector('quarry-search').shadowRoot.querySelector('[role=status]').textContent);
}

/** Resolves when the widget's status contains text. */
export async function statusContains(page, text) {
  await page.waitForFunction((t) => {
    const s = document.querySelector('quarry-search')?.shadowRoot?.querySelector('[role=status]');
    return s && s.textContent.includes(t);
  }, text, { timeout: 15000 });
}
