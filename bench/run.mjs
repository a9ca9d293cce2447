// Benchmarks Quarry side by side with Pagefind, lunr and MiniSearch, in
// one run on this machine, in Debian's Chromium:
//
//   node bench/run.mjs            full run: every collection found, every
//                                 engine, 7 repetitions; writes
//                                 bench/results/results.json, chart.png and
//                                 BENCHMARKS.md at the repo root
//   node bench/run.mjs --scaling  the same, plus the scaling table: the
//                                 first 1k, 3k, 10k and all pages of
//                                 phpdocs, Quarry and Pagefind (make bench)
//   node bench/run.mjs --smoke    seeds only, Quarry and lunr, 1 repetition,
//                                 and the scaling code on the seeds (2 and
//                                 5 documents); writes bench/results/smoke.json
//
// Options: --runs N, --engines quarry,pagefind,lunr,minisearch,
// --corpora seeds,cranfield,cacm,hugodocs,phpdocs, --scaling,
// --scaling-sizes 1000,3000,10000 (the full size is always added),
// --scaling-runs N (page loads per subset, default 3), --data DIR (default
// ../shared/data beside the repo), --quarry BIN (default bin/quarry or
// $QUARRY_BIN), --chromium PATH (default /usr/bin/chromium or $CHROMIUM),
// --keep (keep the built sites, printing where).
//
// Every engine that fails to build, load or answer is reported and makes
// the run exit 1 (the other engines are still measured).
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir, cpus, totalmem, release, loadavg } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureDeps } from './lib/deps.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repo = resolve(benchDir, '..');
const started = Date.now();

const { values: opt } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    runs: { type: 'string' },
    engines: { type: 'string' },
    corpora: { type: 'string' },
    data: { type: 'string', default: resolve(repo, '../shared/data') },
    quarry: { type: 'string', default: process.env.QUARRY_BIN || join(repo, 'bin/quarry') },
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
    keep: { type: 'boolean', default: false },
    scaling: { type: 'boolean', default: false },
    'scaling-sizes': { type: 'string' },
    'scaling-runs': { type: 'string' },
  },
});

const ALL_ENGINES = ['quarry', 'pagefind', 'lunr', 'minisearch'];
const list = (s, all) => {
  const xs = s.split(',').map((x) => x.trim()).filter(Boolean);
  const bad = xs.filter((x) => !all.includes(x));
  if (bad.length) throw new Error(`unknown ${bad.join(', ')}; known: ${all.join(', ')}`);
  return xs;
};

try {
  ensureDeps(benchDir, opt.chromium);
} catch (err) {
  // Without its npm packages or Chromium nothing can be measured; the
  // smoke run (part of make test) then says so and passes.
  if (!opt.smoke) throw err;
  console.log(`bench: skipping the smoke run: its dependencies could not be installed (${err.message.split('\n')[0]})`);
  process.exit(0);
}

const { CORPORA, loadCorpora, subset } = await import('./lib/corpora.mjs');
const { serve } = await import('./lib/server.mjs');
const { sizes } = await import('./lib/sizes.mjs');
const browserLib = await import('./lib/browser.mjs');
const { summarize } = await import('./lib/summary.mjs');
const { writePage, PAGE_FILES } = await import('./lib/page.mjs');

const engineNames = list(opt.engines || (opt.smoke ? 'quarry,lunr' : ALL_ENGINES.join(',')), ALL_ENGINES);
const corpusNames = list(opt.corpora || (opt.smoke ? 'seeds' : CORPORA.join(',')), CORPORA);
const runs = +(opt.runs || (opt.smoke ? 1 : 7));
if (!(runs >= 1)) throw new Error('--runs must be at least 1');
// The scaling table: engines that fetch their index in parts or may (the
// subject of the table), on the largest collection. The smoke run goes
// through the same code on the seeds, in a second.
const SCALING_ENGINES = ['quarry', 'pagefind'];
if (opt.smoke) opt.scaling = true;
const scalingCorpus = opt.smoke ? 'seeds' : 'phpdocs';
const scalingSizes = (opt['scaling-sizes'] || (opt.smoke ? '2' : '1000,3000,10000')).split(',').map(Number).concat(Infinity);
if (scalingSizes.some((n) => !(n >= 1))) throw new Error('--scaling-sizes: positive numbers of documents');
// Subsets' page loads: fewer repetitions than the collections' (their
// byte counts do not vary; the times are a trend, not a comparison).
const scalingRuns = +(opt['scaling-runs'] || (opt.smoke ? 1 : Math.min(3, runs)));

const engines = {};
const skippedEngines = [];
for (const name of engineNames) {
  const e = await import(`./engines/${name}.mjs`);
  const why = e.available ? await e.available() : null;
  if (why) {
    console.log(`bench: skipping ${name}: ${why}`);
    skippedEngines.push({ name, reason: why });
    continue;
  }
  engines[name] = e;
}

const failures = [];
function fail(where, err) {
  const msg = `${where}: ${(err && err.message) || err}`;
  failures.push(msg);
  console.error('bench: FAILED ' + msg);
}

if (engines.quarry) {
  if (!existsSync(opt.quarry)) {
    fail('quarry', `${opt.quarry} not found: run "make build" first (or pass --quarry BIN)`);
    delete engines.quarry;
  } else {
    await engines.quarry.init(opt.quarry);
  }
}

const { loaded, skipped } = await loadCorpora(corpusNames, opt.data, join(repo, 'corpus'));
for (const s of skipped) console.log(`bench: skipping collection ${s.name}: ${s.reason}`);
if (!loaded.length) {
  console.error('bench: no collection to run on');
  process.exit(1);
}

const work = await mkdtemp(join(tmpdir(), 'quarry-bench-'));
const browser = await browserLib.launch(opt.chromium);
const results = {
  mode: opt.smoke ? 'smoke' : 'full',
  started: new Date(started).toISOString(),
  machine: {
    cpus: cpus().length,
    cpu: cpus()[0] && cpus()[0].model,
    memoryGB: +(totalmem() / 2 ** 30).toFixed(1),
    kernel: release(),
    node: process.version,
    chromium: browser.version(),
    // Other work on the machine skews timings: 1-minute load at start and end.
    loadStart: +loadavg()[0].toFixed(2),
  },
  versions: Object.fromEntries(Object.entries(engines).map(([n, e]) => [n, e.version])),
  // The commit measured (Quarry's engine and this harness), "+" when the
  // work tree had changes.
  commit: gitCommit(),
  runs,
  throttle: browserLib.THROTTLE,
  skipped: [...skipped, ...skippedEngines],
  corpora: {},
};

function gitCommit() {
  try {
    const sh = (args) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return sh(['rev-parse', '--short', 'HEAD']) + (sh(['status', '--porcelain', '--untracked-files=no']) ? '+' : '');
  } catch {
    return null;
  }
}

const log = (...a) => console.log(`bench [${((Date.now() - started) / 1000).toFixed(0)} s]`, ...a);


// Sorts each request of a load into page, engine, index or other (by the
// files the engine's build declared), so that the bytes before the first
// result can be told apart: bytes[class] = bodies as sent.
function classifier(b) {
  const engine = new Set(b.engineFiles.map((f) => '/' + f));
  const index = new Set(b.indexFiles.map((f) => '/' + f));
  return (path) => (PAGE_FILES.includes(path) ? 'page' : engine.has(path) ? 'engine' : index.has(path) ? 'index' : 'other');
}
function byClass(log, classify) {
  const out = { page: 0, engine: 0, index: 0, other: 0, indexRequests: 0 };
  for (const x of log) {
    const k = classify(x.path);
    out[k] += x.body;
    if (k === 'index') out.indexRequests++;
  }
  return out;
}

/**
 * Builds every engine's site for corpus, then measures it: the open-only
 * load (head bytes), runs page loads (cold, warm, throttled) and every
 * query in the page. Resolves to the collection's results (per engine:
 * build, shipped bytes, raw loads and query runs, summarised in place).
 */
async function measure(corpus, engineSet, runs, label = corpus.name) {
  const out = {
    docs: corpus.docs.length,
    queries: corpus.queries.length,
    firstQuery: corpus.firstQuery,
    queryTexts: Object.fromEntries(corpus.queries.map((q) => [q.id, q.text])),
    judged: !!corpus.qrels,
    engines: {},
  };
  // The documents as one JSON file, in a folder of their own: the input of
  // Quarry's CLI and of lunr's and MiniSearch's build scripts.
  const docsDir = join(work, label, 'input');
  await mkdir(docsDir, { recursive: true });
  const docsPath = join(docsDir, 'docs.json');
  await writeFile(docsPath, JSON.stringify(corpus.docs));
  // Build every engine's site for this collection.
  const live = {};
  for (const [name, engine] of Object.entries(engineSet)) {
    const dir = join(work, label, name);
    const site = join(dir, 'site');
    await mkdir(site, { recursive: true });
    try {
      const b = await engine.build(corpus, site, { work: dir, docsDir, docsPath });
      await writePage(site, name, b.head);
      const r = (out.engines[name] = {
        buildMs: b.run.ms,
        buildCpuMs: b.run.cpuMs,
        buildPeakRSS: b.run.peakRSS,
        shipped: { engine: await sizes(site, b.engineFiles), index: await sizes(site, b.indexFiles) },
      });
      if (b.input) r.input = b.input;
      if (b.inputNote) r.inputNote = b.inputNote;
      if (b.docsIndexed != null && b.docsIndexed !== corpus.docs.length) r.docsIndexed = b.docsIndexed;
      log(`${label}/${name}: built in ${(b.run.ms / 1000).toFixed(2)} s, peak RSS ${(b.run.peakRSS / 1e6).toFixed(0)} MB${b.input ? ` (input: ${b.input})` : ''}; index ${r.shipped.index.files} files, ${(r.shipped.index.brotli / 1000).toFixed(1)} kB brotli`);
      // Page loads on a plain server, query latencies on a cross-origin
      // isolated one (finer timers; see lib/server.mjs). The documents'
      // own pages (/d/) are never loaded by a measurement: not served.
      const skip = (p) => p.startsWith('/d/');
      live[name] = {
        site,
        classify: classifier(b),
        docId: b.docId || ((id) => id),
        server: await serve(site, { skip }),
        isolated: await serve(site, { isolate: true, skip }),
      };
    } catch (err) {
      out.engines[name] = { error: err.message };
      fail(`${label}/${name} build`, err);
    }
  }
  const url = (name, server = 'server') => `${live[name][server].url}/bench.html#q=${encodeURIComponent(corpus.firstQuery)}`;
  const stop = async (name) => {
    await live[name].server.stop();
    await live[name].isolated.stop();
    delete live[name];
  };
  // A load as kept in results: its ids in the collection's terms, its bytes
  // by class.
  const keep = (name, l) => ({ ...l, ids: l.ids && l.ids.map(live[name].docId), byClass: byClass(l.log, live[name].classify) });
  const record = (name, key, value) => ((out.engines[name][key] ||= []).push(keep(name, value)));
  const drop = async (name, where, err) => {
    out.engines[name].error = err.message;
    fail(`${label}/${name} ${where}`, err);
    await stop(name);
  };
  // What each engine fetches to open, before any query (deterministic:
  // measured once).
  for (const name of Object.keys(live)) {
    try {
      out.engines[name].opened = keep(name, await browserLib.openOnly(browser, live[name].server, url(name), `${label}/${name}`));
    } catch (err) {
      await drop(name, 'open', err);
    }
  }
  // Page loads: repetitions outside, engines inside, so that any drift of
  // the machine is spread over every engine alike.
  for (let i = 0; i < runs; i++) {
    for (const name of Object.keys(live)) {
      try {
        const { cold, warm } = await browserLib.coldWarm(browser, live[name].server, url(name), `${label}/${name}`);
        record(name, 'cold', cold);
        record(name, 'warm', warm);
        const t = await browserLib.throttled(browser, live[name].server, url(name), `${label}/${name}`);
        record(name, 'throttled', t);
      } catch (err) {
        await drop(name, 'page load', err);
      }
    }
    log(`${label}: page loads ${i + 1}/${runs} done`);
  }
  // Every query of the collection, in the page.
  for (const name of Object.keys(live)) {
    try {
      const q = await browserLib.queries(browser, live[name].isolated, url(name, 'isolated'), corpus.queries.map((x) => x.text), corpus.qrels ? 100 : 0, `${label}/${name}`);
      const id = live[name].docId;
      for (const pass of [q.first, q.repeat]) for (const x of pass) x.ids = x.ids.map(id);
      if (q.ranks) q.ranks = q.ranks.map((ids) => ids.map(id));
      out.engines[name].queryRuns = q;
      log(`${label}/${name}: ${corpus.queries.length} queries run`);
    } catch (err) {
      await drop(name, 'queries', err);
    }
  }
  for (const name of Object.keys(live)) await stop(name);
  // Medians, percentiles, metrics; checks that the engines answered.
  for (const [name, r] of Object.entries(out.engines)) {
    if (r.error) continue;
    const problems = summarize(r, corpus);
    for (const p of problems) {
      r.error = p;
      fail(`${label}/${name}`, p);
    }
  }
  return out;
}

// The scaling table: the first N documents of one collection, for the
// engines that load their index in parts (Quarry and, for comparison,
// Pagefind). The full size is the collection's own row when it was
// measured in this run. Sizes run from the largest down, so that the full
// build decides Quarry's input for every size (see engines/quarry.mjs).
async function scaling(corpus, sizes) {
  const names = SCALING_ENGINES.filter((n) => engines[n]);
  if (!names.length) return null;
  const engineSet = Object.fromEntries(names.map((n) => [n, engines[n]]));
  const rows = [];
  const all = results.corpora[corpus.name];
  const sorted = [...new Set(sizes.map((n) => Math.min(n, corpus.docs.length)))].sort((a, b) => b - a);
  for (const n of sorted) {
    let c;
    if (n === corpus.docs.length && all) {
      c = all;
    } else {
      const sub = subset(corpus, n);
      c = await measure(sub, engineSet, scalingRuns, sub.name);
    }
    if (n === corpus.docs.length && c.engines.quarry && c.engines.quarry.input === 'markdown') corpus.quarryInput = 'markdown';
    rows.push({ docs: n, runs: c === all ? runs : scalingRuns, engines: Object.fromEntries(names.filter((e) => c.engines[e]).map((e) => [e, scalingFigures(c.engines[e])])) });
    log(`scaling ${corpus.name}: ${n} documents done`);
  }
  return { collection: corpus.name, firstQuery: corpus.firstQuery, engines: names, rows: rows.sort((a, b) => a.docs - b.docs) };
}

// The figures of the scaling table from one engine's summarised results.
function scalingFigures(r) {
  if (r.error && !r.firstResult) return { error: r.error };
  return {
    headBytes: r.head ? r.head.index : null,
    beforeFirstResult: r.transfer ? r.transfer.cold.body : null,
    indexFetched: r.transfer ? r.transfer.cold.index : null,
    buildMs: r.buildMs,
    buildPeakRSS: r.buildPeakRSS,
    queryP50: r.queries ? r.queries.first.p50 : null,
    throttledMs: r.firstResult ? r.firstResult.throttled.median : null,
    shippedIndexBrotli: r.shipped.index.brotli,
    error: r.error,
  };
}

try {
  for (const corpus of loaded) {
    results.corpora[corpus.name] = await measure(corpus, engines, runs);
  }
  if (opt.scaling) {
    const base = loaded.find((c) => c.name === scalingCorpus) || (await loadCorpora([scalingCorpus], opt.data, join(repo, 'corpus'))).loaded[0];
    if (!base) {
      console.log(`bench: skipping the scaling table: collection ${scalingCorpus} missing`);
      results.skipped.push({ name: `scaling (${scalingCorpus})`, reason: 'collection missing' });
    } else {
      results.scaling = await scaling(base, scalingSizes);
    }
  }
} finally {
  await browser.close();
  if (opt.keep) console.log(`bench: sites kept in ${work}`);
  else await rm(work, { recursive: true, force: true });
}

results.machine.loadEnd = +loadavg()[0].toFixed(2);
results.durationS = +((Date.now() - started) / 1000).toFixed(1);
results.failures = failures;
const resultsDir = join(benchDir, 'results');
await mkdir(resultsDir, { recursive: true });
const jsonPath = join(resultsDir, opt.smoke ? 'smoke.json' : 'results.json');
await writeFile(jsonPath, JSON.stringify(results, null, 1) + '\n');
const { printSummary } = await import('./lib/report.mjs');
printSummary(results);
if (!opt.smoke) {
  const { writeReport, readThreshold } = await import('./lib/report.mjs');
  const { drawChart } = await import('./lib/chart.mjs');
  await drawChart(results, join(resultsDir, 'chart.png'), opt.chromium);
  await writeReport(results, join(repo, 'BENCHMARKS.md'), await readThreshold(join(resultsDir, 'threshold.json')));
  log(`wrote ${jsonPath}, bench/results/chart.png and BENCHMARKS.md`);
} else {
  log(`wrote ${jsonPath}`);
}
if (failures.length) {
  console.error(`bench: ${failures.length} failure(s):\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
log(`done in ${results.durationS} s`);
