// Benchmarks Quarry side by side with Pagefind, lunr and MiniSearch, in
// one run on this machine, in Debian's Chromium:
//
//   node bench/run.mjs            full run: every collection found, every
//                                 engine, 7 repetitions; writes
//                                 bench/results/results.json, chart.png and
//                                 BENCHMARKS.md at the repo root
//   node bench/run.mjs --smoke    seeds only, Quarry and lunr, 1 repetition;
//                                 writes bench/results/smoke.json
//
// Options: --runs N, --engines quarry,pagefind,lunr,minisearch,
// --corpora seeds,cranfield,hugodocs, --data DIR (default ../shared/data
// beside the repo), --quarry BIN (default bin/quarry or $QUARRY_BIN),
// --chromium PATH (default /usr/bin/chromium or $CHROMIUM), --keep (keep
// the built sites, printing where).
//
// Every engine that fails to build, load or answer is reported and makes
// the run exit 1 (the other engines are still measured).
import { mkdtemp, mkdir, rm, writeFile, copyFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
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
  },
});

const ALL_ENGINES = ['quarry', 'pagefind', 'lunr', 'minisearch'];
const list = (s, all) => {
  const xs = s.split(',').map((x) => x.trim()).filter(Boolean);
  const bad = xs.filter((x) => !all.includes(x));
  if (bad.length) throw new Error(`unknown ${bad.join(', ')}; known: ${all.join(', ')}`);
  return xs;
};

ensureDeps(benchDir, opt.chromium);

const { CORPORA, loadCorpora } = await import('./lib/corpora.mjs');
const { serve } = await import('./lib/server.mjs');
const { sizes } = await import('./lib/sizes.mjs');
const browserLib = await import('./lib/browser.mjs');
const { summarize } = await import('./lib/summary.mjs');

const engineNames = list(opt.engines || (opt.smoke ? 'quarry,lunr' : ALL_ENGINES.join(',')), ALL_ENGINES);
const corpusNames = list(opt.corpora || (opt.smoke ? 'seeds' : CORPORA.join(',')), CORPORA);
const runs = +(opt.runs || (opt.smoke ? 1 : 7));
if (!(runs >= 1)) throw new Error('--runs must be at least 1');

const engines = {};
for (const name of engineNames) engines[name] = await import(`./engines/${name}.mjs`);

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
  runs,
  throttle: browserLib.THROTTLE,
  skipped,
  corpora: {},
};

const log = (...a) => console.log(`bench [${((Date.now() - started) / 1000).toFixed(0)} s]`, ...a);

// Writes the page every engine shares (bench.html, bench.js) and the
// engine's adapter (engine.js) into its site.
async function writePage(site, name, head) {
  await copyFile(join(benchDir, 'page/bench.js'), join(site, 'bench.js'));
  await copyFile(join(benchDir, `page/${name}.js`), join(site, 'engine.js'));
  await writeFile(
    join(site, 'bench.html'),
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${name} benchmark</title>
<link rel="icon" href="data:,">
${head}
<script type="module" src="bench.js"></script>
</head><body><p id="status"></p><ol id="results"></ol></body></html>
`,
  );
}

try {
  for (const corpus of loaded) {
    const out = (results.corpora[corpus.name] = {
      docs: corpus.docs.length,
      queries: corpus.queries.length,
      firstQuery: corpus.firstQuery,
      queryTexts: Object.fromEntries(corpus.queries.map((q) => [q.id, q.text])),
      judged: !!corpus.qrels,
      engines: {},
    });
    // Build every engine's site for this collection.
    const live = {};
    for (const [name, engine] of Object.entries(engines)) {
      const dir = join(work, corpus.name, name);
      const site = join(dir, 'site');
      await mkdir(site, { recursive: true });
      try {
        const b = await engine.build(corpus, site, { work: dir });
        await writePage(site, name, b.head);
        const r = (out.engines[name] = {
          buildMs: b.buildMs,
          shipped: { engine: await sizes(site, b.engineFiles), index: await sizes(site, b.indexFiles) },
        });
        log(`${corpus.name}/${name}: built in ${(b.buildMs / 1000).toFixed(2)} s; index ${r.shipped.index.files} files, ${(r.shipped.index.brotli / 1000).toFixed(1)} kB brotli`);
        // Page loads on a plain server, query latencies on a cross-origin
        // isolated one (finer timers; see lib/server.mjs).
        live[name] = { site, server: await serve(site), isolated: await serve(site, { isolate: true }) };
      } catch (err) {
        out.engines[name] = { error: err.message };
        fail(`${corpus.name}/${name} build`, err);
      }
    }
    const url = (name, server = 'server') => `${live[name][server].url}/bench.html#q=${encodeURIComponent(corpus.firstQuery)}`;
    const stop = async (name) => {
      await live[name].server.stop();
      await live[name].isolated.stop();
      delete live[name];
    };
    const record = (name, key, value) => ((out.engines[name][key] ||= []).push(value));
    const drop = async (name, where, err) => {
      out.engines[name].error = err.message;
      fail(`${corpus.name}/${name} ${where}`, err);
      await stop(name);
    };
    // Page loads: repetitions outside, engines inside, so that any drift of
    // the machine is spread over every engine alike.
    for (let i = 0; i < runs; i++) {
      for (const name of Object.keys(live)) {
        try {
          const { cold, warm } = await browserLib.coldWarm(browser, live[name].server, url(name), `${corpus.name}/${name}`);
          record(name, 'cold', cold);
          record(name, 'warm', warm);
          const t = await browserLib.throttled(browser, live[name].server, url(name), `${corpus.name}/${name}`);
          record(name, 'throttled', t);
        } catch (err) {
          await drop(name, 'page load', err);
        }
      }
      log(`${corpus.name}: page loads ${i + 1}/${runs} done`);
    }
    // Every query of the collection, in the page.
    for (const name of Object.keys(live)) {
      try {
        const q = await browserLib.queries(browser, live[name].isolated, url(name, 'isolated'), corpus.queries.map((x) => x.text), corpus.qrels ? 100 : 0, `${corpus.name}/${name}`);
        out.engines[name].queryRuns = q;
        log(`${corpus.name}/${name}: ${corpus.queries.length} queries run`);
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
        fail(`${corpus.name}/${name}`, p);
      }
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
  const { writeReport } = await import('./lib/report.mjs');
  const { drawChart } = await import('./lib/chart.mjs');
  await drawChart(results, join(resultsDir, 'chart.png'), opt.chromium);
  await writeReport(results, join(repo, 'BENCHMARKS.md'));
  log(`wrote ${jsonPath}, bench/results/chart.png and BENCHMARKS.md`);
} else {
  log(`wrote ${jsonPath}`);
}
if (failures.length) {
  console.error(`bench: ${failures.length} failure(s):\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
log(`done in ${results.durationS} s`);
