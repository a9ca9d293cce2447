// Where the first-result time of the demo page goes, cold and warm: the
// page is loaded with an init script that timestamps (performance.now(),
// i.e. ms since navigation start) the engine's loading steps as the page
// sees them, and resource timing gives the downloads. Medians of RUNS.
// Prints, never fails; not part of make test.
//
//   node web/bench/breakdown.mjs [SITE_DIR]    (default: builds ../corpus)
//
// THROTTLE=1 loads the cold page over the benchmark's emulated network
// (10 Mbit/s, 40 ms of latency: bench/lib/browser.mjs); warm loads are
// not throttled.
import { quarry, serve, launch, tempDir, removeDir, seedCorpus } from '../test/helpers.mjs';
// The benchmark's network (bench/ has its own node_modules: loaded only when asked).
const THROTTLE = process.env.THROTTLE ? (await import('../../bench/lib/browser.mjs')).THROTTLE : null;

const RUNS = +(process.env.RUNS || 7);
const QUERY = process.env.QUERY || 'alipay';

// Runs in the page before its scripts.
function instrument() {
  const t = (window.__t = {});
  const mark = (k) => { if (t[k] === undefined) t[k] = performance.now(); };
  const cs = WebAssembly.compileStreaming;
  if (cs) {
    WebAssembly.compileStreaming = function (...a) {
      mark('compile start');
      return cs.apply(this, a).then((m) => { mark('compile end'); return m; });
    };
  }
  const W = window.Worker;
  window.Worker = function (...a) {
    mark('worker new');
    const w = new W(...a);
    let n = 0;
    w.addEventListener('message', () => { n++; mark(n === 1 ? 'open reply' : n === 2 ? 'search reply' : 'reply ' + n); });
    const post = w.postMessage.bind(w);
    w.postMessage = (m, tr) => { mark('post ' + (m && m.op)); return post(m, tr); };
    return w;
  };
  addEventListener('quarry-results', () => {
    mark('results rendered');
    console.debug('breakdown: done');
  });
  // When quarry.js defines its element, when the engine's download is
  // asked for, and the page thread's long tasks (start and length).
  const def = customElements.define;
  customElements.define = function (...a) { mark('define ' + a[0]); return def.apply(this, a); };
  const f = window.fetch;
  window.fetch = function (...a) { mark('fetch() ' + String(a[0]).split('/').pop().replace(/\.[0-9a-f]{12}\./, '.')); return f.apply(this, a); };
  let n = 0;
  try {
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) t[`long task ${++n} (${Math.round(e.duration)} ms)`] = e.startTime;
    }).observe({ type: 'longtask', buffered: true });
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) mark(e.name);
    }).observe({ type: 'paint', buffered: true });
  } catch (err) {}
}

// load waits for the instrument's console message rather than with
// page.waitForFunction, which injects Playwright's script into the page
// (a 100+ ms task on its thread) during the load being measured.
async function load(page, url) {
  const done = page.waitForEvent('console', { predicate: (m) => m.text() === 'breakdown: done', timeout: 30000 });
  await page.goto(url, { waitUntil: 'commit' });
  await done;
  return page.evaluate(() => {
    const out = { ...window.__t };
    for (const e of performance.getEntriesByType('resource')) {
      const name = new URL(e.name).pathname.split('/').pop().replace(/\.[0-9a-f]{12}\./, '.');
      out['fetch ' + name + ' start'] = e.startTime;
      out['fetch ' + name + ' end'] = e.responseEnd;
    }
    const nav = performance.getEntriesByType('navigation')[0];
    out['html end'] = nav.responseEnd;
    out['DOMContentLoaded'] = nav.domContentLoadedEventEnd;
    return out;
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

let dir = process.argv[2];
let built = null;
if (!dir) {
  built = await tempDir('quarry-breakdown-');
  dir = built + '/site';
  await quarry('build', '-q', '-o', dir, seedCorpus);
}
const srv = await serve(dir);
const browser = await launch();
const url = `${srv.url}#q=${encodeURIComponent(QUERY)}`;
const runs = { cold: [], warm: [] };
try {
  for (let i = 0; i < RUNS; i++) {
    const ctx = await browser.newContext();
    await ctx.addInitScript(instrument);
    const page = await ctx.newPage();
    const cdp = THROTTLE ? await ctx.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', THROTTLE);
    }
    runs.cold.push(await load(page, url));
    await page.goto('about:blank');
    if (cdp) await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    runs.warm.push(await load(page, url));
    await ctx.close();
  }
} finally {
  await browser.close();
  await srv.stop();
  if (built) await removeDir(built);
}
if (process.env.LONG) {
  for (const r of runs.cold) console.log(Object.entries(r).filter(([k]) => /long|paint|reply|compile|rendered|define|fetch\(\)/.test(k)).sort((a, b) => a[1] - b[1]).map(([k, v]) => `${v.toFixed(0)} ${k}`).join(' | '));
}
for (const [pass, rs] of Object.entries(runs)) {
  const keys = [...new Set(rs.flatMap((r) => Object.keys(r)))];
  const rows = keys.map((k) => [k, median(rs.map((r) => r[k]).filter((v) => v !== undefined))]).sort((a, b) => a[1] - b[1]);
  console.log(`${pass} (median of ${RUNS}, ms since navigation start)`);
  for (const [k, v] of rows) console.log(`  ${v.toFixed(1).padStart(8)}  ${k}`);
}
