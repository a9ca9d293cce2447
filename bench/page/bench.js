// The benchmark page, the same for every engine. engine.js (one of the
// adapters in this folder) exports:
//   open()            load the engine and its index
//   preload()         optional: what the engine loads ahead of a first query
//   search(q, k)      -> {total, hits: [{id, title, url, excerpt?}]}: the
//                        first k results as a search page shows them
//                        (titles, and excerpts where the engine makes them)
//   rank(q, depth)    -> ids of the first depth results, for ranking metrics
// On load the page searches for the query in its URL (#q=...), renders the
// results and records window.__bench.first = {ms, total}: ms is
// performance.now() after the results are in the DOM, i.e. milliseconds
// since navigation start (the page's time origin). With #open instead, it
// only opens the engine (and calls the adapter's preload(), where the
// engine has a documented way to load ahead of the first query) and
// records window.__bench.opened = {ms}: what an engine fetches then is
// what it needs before it can answer any query (the "head" of its index).
import * as engine from './engine.js';

const bench = (window.__bench = {});

function render(res) {
  const list = document.getElementById('results');
  list.replaceChildren(
    ...res.hits.map((h) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = h.url || '#';
      a.textContent = h.title || h.id;
      li.append(a);
      if (h.excerpt) {
        const p = document.createElement('p');
        p.innerHTML = h.excerpt; // engines return escaped text with <mark>
        li.append(p);
      }
      return li;
    }),
  );
  document.getElementById('status').textContent = `${res.total} results`;
}

// Logged once window.__bench holds the outcome of the load (first, opened
// or error): the harness waits for this message (bench/lib/browser.mjs)
// instead of polling the page.
const DONE = 'quarry-bench: done';

async function first() {
  try {
    await measure();
  } finally {
    console.debug(DONE);
  }
}

async function measure() {
  const params = new URLSearchParams(location.hash.slice(1));
  const q = params.get('q') || '';
  try {
    await engine.open();
    if (params.has('open')) {
      if (engine.preload) await engine.preload();
      bench.opened = { ms: performance.now() };
      return;
    }
    const res = await engine.search(q, 10);
    render(res);
    bench.first = { ms: performance.now(), total: res.total, ids: res.hits.map((h) => h.id) };
  } catch (err) {
    bench.error = String((err && err.stack) || err);
  }
}

/**
 * Runs every query once, one after the other, timing each search (with the
 * titles/excerpts of the first k results, as shown) with performance.now().
 * Returns [{ms, total, ids}] in query order.
 */
window.__runQueries = async (queries, k = 10) => {
  const out = [];
  for (const q of queries) {
    const t0 = performance.now();
    const res = await engine.search(q, k);
    const ms = performance.now() - t0;
    out.push({ ms, total: res.total, ids: res.hits.map((h) => h.id), error: res.error });
  }
  return out;
};

/** The ranked ids (up to depth) of every query, untimed. */
window.__rank = async (queries, depth = 100) => {
  const out = [];
  for (const q of queries) out.push(await engine.rank(q, depth));
  return out;
};

first();
