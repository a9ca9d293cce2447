// Measures how long the demo page takes from navigation start to the first
// results rendered for a query given in the URL (#q=alipay) on the seed
// corpus, in a fresh browser context (cold: empty HTTP cache) and on a
// second navigation in the same context (warm), median of RUNS, and the
// bytes transferred on a cold and a warm load, counted on the wire by a
// TCP proxy in front of the server (a separate pass, so the timings do not
// include the proxy) and per response (compressed bodies). It prints and
// never fails; not part of make test.
//
//   node bench/first-result.mjs [SITE_DIR]    (default: builds ../corpus)
import { createServer, connect } from 'node:net';
import { quarry, serve, launch, tempDir, removeDir, seedCorpus } from '../test/helpers.mjs';

const RUNS = +(process.env.RUNS || 5);
const QUERY = process.env.QUERY || 'alipay';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Runs in the page before its scripts: records when the widget first
// renders results, relative to navigation start (performance.timeOrigin).
function recordFirstResult() {
  addEventListener('quarry-results', () => {
    if (window.__firstResult === undefined) window.__firstResult = performance.now();
  });
}

async function measure(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => window.__firstResult !== undefined, null, { timeout: 30000 });
  return page.evaluate(() => window.__firstResult);
}

// A TCP proxy to target that counts the bytes sent to the browser.
async function countingProxy(target) {
  const { hostname, port } = new URL(target);
  let bytes = 0;
  const server = createServer((client) => {
    const upstream = connect(+port, hostname);
    upstream.on('data', (d) => { bytes += d.length; });
    client.pipe(upstream).pipe(client);
    const close = () => { client.destroy(); upstream.destroy(); };
    client.on('error', close);
    upstream.on('error', close);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    take: () => { const b = bytes; bytes = 0; return b; },
    stop: () => new Promise((r) => server.close(r)),
  };
}

// Loads url (cold, then warm in the same context) and returns the wire
// bytes and the per-response body sizes of each load.
async function transfer(browser, url) {
  const proxy = await countingProxy(url);
  const ctx = await browser.newContext();
  await ctx.addInitScript(recordFirstResult);
  const page = await ctx.newPage();
  const out = [];
  try {
    for (const pass of ['cold', 'warm']) {
      const sizes = [];
      const onResponse = (res) => sizes.push(res.request().sizes().then((s) => ({ url: res.url(), status: res.status(), body: s.responseBodySize }), () => null));
      page.on('response', onResponse);
      proxy.take();
      await measure(page, proxy.url + url.slice(url.indexOf('#')));
      await page.waitForTimeout(500);
      page.off('response', onResponse);
      out.push({ pass, wire: proxy.take(), responses: (await Promise.all(sizes)).filter(Boolean) });
      await page.goto('about:blank');
    }
  } finally {
    await ctx.close();
    await proxy.stop();
  }
  return out;
}

let dir = process.argv[2];
let built = null;
if (!dir) {
  built = await tempDir('quarry-bench-');
  dir = built + '/site';
  await quarry('build', '-q', '-o', dir, seedCorpus);
}
const srv = await serve(dir);
const browser = await launch();
const url = `${srv.url}#q=${encodeURIComponent(QUERY)}`;
const cold = [];
const warm = [];
let bytes;
try {
  for (let i = 0; i < RUNS; i++) {
    const ctx = await browser.newContext();
    await ctx.addInitScript(recordFirstResult);
    const page = await ctx.newPage();
    cold.push(await measure(page, url));
    await page.goto('about:blank');
    warm.push(await measure(page, url));
    await ctx.close();
  }
  bytes = await transfer(browser, url);
} finally {
  await browser.close();
  await srv.stop();
  if (built) await removeDir(built);
}
const fmt = (xs) => xs.map((x) => x.toFixed(0)).join(', ');
console.log(`first results for "${QUERY}", navigation start -> results rendered, ${RUNS} runs`);
console.log(`cold: median ${median(cold).toFixed(0)} ms  (${fmt(cold)})`);
console.log(`warm: median ${median(warm).toFixed(0)} ms  (${fmt(warm)})`);
const kb = (n) => (n / 1000).toFixed(1) + ' kB';
for (const b of bytes) {
  const body = b.responses.reduce((n, r) => n + Math.max(0, r.body), 0);
  console.log(`${b.pass} transfer: ${kb(b.wire)} on the wire (headers included), ${kb(body)} of response bodies, ${b.responses.length} responses`);
  if (b.pass === 'cold') {
    for (const r of b.responses) console.log(`  ${String(r.body).padStart(9)}  ${r.status}  ${new URL(r.url).pathname}`);
  }
}
