// Drives Debian's Chromium (playwright-core, never a downloaded browser)
// through the benchmark page of one engine and collects:
//   cold      a fresh browser context (empty HTTP cache, no compiled code):
//             navigation start -> first results in the DOM, and the bytes
//             the server sent for it (page, engine, index, fragments)
//   warm      the same context navigating to the page again (HTTP cache
//             filled by the cold load; max-age=600 on every file)
//   throttled a cold load under Network.emulateNetworkConditions
//             (10 Mbit/s down and up, 40 ms latency)
//   opened    a cold load that only opens the engine (#open): the requests
//             the engine makes before it can answer any query
//   queries   every query of the collection run once in the page
//             (performance.now() around each search) and then again
//   rank      the first 100 result ids of every query, untimed
import { chromium } from 'playwright-core';

export const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** 10 Mbit/s each way (bytes per second), 40 ms added latency. */
export const THROTTLE = { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 };

const TIMEOUT = 60_000;

export function launch(executablePath) {
  return chromium.launch({ executablePath, args: ARGS });
}

// Collects page errors and console errors: an engine that logs errors
// while answering counts as failing.
function watch(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push('console.error: ' + m.text());
  });
  page.on('crash', () => problems.push('page crashed'));
  return problems;
}

// The console message page/bench.js logs once window.__bench holds the
// outcome of a load.
const DONE = 'quarry-bench: done';

// visit navigates to url and resolves to window.__bench once the page says
// it is done. Nothing of the harness runs in the page before that:
// page.waitForFunction, used before, injects Playwright's own script into
// the page (31 ms of parsing and a 114 ms task on the page's thread in a
// cold trace of the seeds' Quarry page) in the middle of the load being
// measured, and polls it.
async function visit(page, url) {
  const done = page.waitForEvent('console', { predicate: (m) => m.text() === DONE, timeout: TIMEOUT });
  await page.goto(url, { waitUntil: 'commit', timeout: TIMEOUT });
  await done;
  return page.evaluate(() => window.__bench);
}

// Navigates and waits for the page's first results; returns
// {ms, total, bytes, log}. Throws when the engine fails to load or answer.
async function load(page, server, url, problems, what) {
  server.reset();
  let state;
  try {
    state = await visit(page, url);
  } catch (err) {
    throw new Error(`${what}: no results within ${TIMEOUT / 1000} s (${err.message}); ${problems.join('; ')}`);
  }
  if (!state.first && !state.error) throw new Error(`${what}: the page recorded no results; ${problems.join('; ')}`);
  const bytes = server.bytes();
  const log = server.log();
  if (state.error) throw new Error(`${what}: ${state.error}; ${problems.join('; ')}`);
  if (problems.length) throw new Error(`${what}: ${problems.join('; ')}`);
  return { ms: state.first.ms, total: state.first.total, ids: state.first.ids, bytes, log };
}

// Waits until the server has had no request for quietMs (an engine may
// go on loading after its open() resolved: Pagefind's init() returns
// before its worker has fetched anything).
async function quiet(server, quietMs = 500, limitMs = TIMEOUT) {
  const t0 = Date.now();
  let n = -1;
  let since = Date.now();
  while (Date.now() - t0 < limitMs) {
    const m = server.log().length;
    if (m !== n) {
      n = m;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A cold load of url + "#open" (the page opens the engine, searches
 * nothing) in a fresh context, counted until the network is quiet (500 ms
 * without a request); resolves to {ms, bytes, log}.
 */
export async function openOnly(browser, server, url, what) {
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    const problems = watch(page);
    server.reset();
    let state;
    try {
      state = await visit(page, url.replace(/#.*$/, '') + '#open');
    } catch (err) {
      throw new Error(`${what} open: not open within ${TIMEOUT / 1000} s (${err.message}); ${problems.join('; ')}`);
    }
    if (!state.opened && !state.error) throw new Error(`${what} open: the page recorded nothing; ${problems.join('; ')}`);
    await quiet(server);
    const bytes = server.bytes();
    const log = server.log();
    if (state.error) throw new Error(`${what} open: ${state.error}; ${problems.join('; ')}`);
    if (problems.length) throw new Error(`${what} open: ${problems.join('; ')}`);
    return { ms: state.opened.ms, bytes, log };
  } finally {
    await ctx.close();
  }
}

/** A cold load in a fresh context, then a warm one in the same context. */
export async function coldWarm(browser, server, url, what) {
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    const problems = watch(page);
    const cold = await load(page, server, url, problems, what + ' cold');
    await page.goto('about:blank');
    const warm = await load(page, server, url, problems, what + ' warm');
    return { cold, warm };
  } finally {
    await ctx.close();
  }
}

/** A cold load with the network throttled by the DevTools protocol. */
export async function throttled(browser, server, url, what) {
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    const problems = watch(page);
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', THROTTLE);
    return await load(page, server, url, problems, what + ' throttled');
  } finally {
    await ctx.close();
  }
}

/**
 * Loads the page in a fresh context, then runs every query twice (first
 * run, repeat) and, when depth > 0, ranks them. Returns {first, repeat,
 * ranks, isolated}: isolated tells whether the page was cross-origin
 * isolated (fine timers).
 */
export async function queries(browser, server, url, texts, depth, what) {
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    const problems = watch(page);
    await load(page, server, url, problems, what + ' queries');
    // The query server sends COOP/COEP: timers then have µs resolution.
    const isolated = await page.evaluate(() => self.crossOriginIsolated);
    const run = () => page.evaluate((t) => window.__runQueries(t, 10), texts);
    const first = await run();
    const repeat = await run();
    const ranks = depth ? await page.evaluate(([t, d]) => window.__rank(t, d), [texts, depth]) : null;
    if (problems.length) throw new Error(`${what} queries: ${problems.join('; ')}`);
    return { first, repeat, ranks, isolated };
  } finally {
    await ctx.close();
  }
}
