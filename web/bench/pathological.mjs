// Measures the pathological queries of test/pathological.test.mjs in the
// browser worker: for each query, the engine's own time (took_ms, measured
// by Go inside the worker) and the round trip seen by the page
// (Quarry.search), median of RUNS, on the seed corpus and, when
// ../shared/data is present, on Cranfield (1400 abstracts). It also checks
// that the page's main thread stays free: the longest lateness of a
// 10 ms timer during the searches. Prints and never fails; not part
// of make test.
//
//   node bench/pathological.mjs
import { mkdir, copyFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { quarry, serve, launch, tempDir, removeDir, seedCorpus, repoRoot } from '../test/helpers.mjs';
import { pathological } from '../test/pathological.mjs';

const RUNS = +(process.env.RUNS || 7);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function site(dir, name, corpus, ...flags) {
  const out = `${dir}/${name}`;
  await quarry('build', '-q', ...flags, '-o', out, corpus);
  return out;
}

async function measure(browser, url, label) {
  const page = await browser.newPage();
  await page.goto(url);
  await page.evaluate(async () => {
    const { Quarry } = await import('./quarry/quarry.js');
    window.__q = await Quarry.shared('./quarry/');
    await window.__q.search('warm up');
  });
  const rows = [];
  for (const [name, q] of pathological()) {
    const r = await page.evaluate(async ([q, runs]) => {
      // A 10 ms timer on the page: its worst lateness is the longest
      // time the main thread was busy while the worker searched.
      let gap = 0;
      let last = performance.now();
      const timer = setInterval(() => { const t = performance.now(); gap = Math.max(gap, t - last - 10); last = t; }, 10);
      const took = [];
      const trip = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        const res = await window.__q.search(q, { limit: 10 });
        trip.push(performance.now() - t0);
        took.push(res.took_ms);
      }
      clearInterval(timer);
      return { took, trip, gap };
    }, [q, RUNS]);
    rows.push({ name, took: median(r.took), trip: median(r.trip), gap: r.gap });
  }
  await page.close();
  console.log(`\n${label}: median of ${RUNS} runs`);
  console.log('| query | engine in worker (ms) | round trip (ms) | longest main-thread stall (ms) |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name} | ${r.took.toFixed(1)} | ${r.trip.toFixed(1)} | ${r.gap.toFixed(0)} |`);
  const worst = rows.reduce((a, b) => (b.trip > a.trip ? b : a));
  console.log(`worst: ${worst.name}, ${worst.took.toFixed(1)} ms in the engine, ${worst.trip.toFixed(1)} ms round trip`);
}

const dir = await tempDir('quarry-patho-');
const browser = await launch();
try {
  const sites = [['seeds (5 articles)', await site(dir, 'seeds', seedCorpus)]];
  const cran = resolve(repoRoot, '../shared/data/cranfield/docs.json');
  if (existsSync(cran)) {
    await mkdir(`${dir}/cran-corpus`);
    await copyFile(cran, `${dir}/cran-corpus/docs.json`); // a temporary copy
    sites.push(['Cranfield (1400 abstracts)', await site(dir, 'cran', `${dir}/cran-corpus`, '-no-entities', '-id', 'id', '-title', 'title', '-body', 'body')]);
  } else {
    console.log('Cranfield not found at ../shared/data: seeds only');
  }
  for (const [label, out] of sites) {
    const srv = await serve(out);
    try {
      await measure(browser, srv.url, label);
    } finally {
      await srv.stop();
    }
  }
} finally {
  await browser.close();
  await removeDir(dir);
}
