// Whole index or head + files: below which size does one file answer
// the first query sooner? (internal/site's WholeIndexLimit.)
//
//   node bench/threshold.mjs [--corpus cranfield] [--sizes 20,40,...]
//                            [--runs N] [--data DIR] [--quarry BIN]
//                            [--chromium PATH]
//   make bench-threshold
//
// For the first N documents of the collection (Cranfield by default: short
// abstracts, ~1.85 KiB of raw index each, so the default sizes step the
// raw index from 74 KiB to 1.2 MiB around the 256 KiB limit), Quarry's
// site is built once with the CLI, then made in both forms by
// bench/tools/indexform (the same bytes, one file or a head with its
// parts and text files beside it; the CLI picks one by WholeIndexLimit).
// Both are served by the bench server and loaded in Chromium with the
// collection's page-load query: cold at 10 Mbit/s + 40 ms (the figure
// that decides), cold unthrottled, and warm. Runs alternate the order of
// the two forms. Writes bench/results/threshold.json and prints a table;
// `make bench` includes the last threshold.json in BENCHMARKS.md.
import { mkdtemp, mkdir, rm, writeFile, readFile, cp } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureDeps } from './lib/deps.mjs';

const run = promisify(execFile);
const benchDir = dirname(fileURLToPath(import.meta.url));
const repo = resolve(benchDir, '..');
const started = Date.now();

const { values: opt } = parseArgs({
  options: {
    corpus: { type: 'string', default: 'cranfield' },
    sizes: { type: 'string', default: '40,80,140,200,280,400,640' },
    runs: { type: 'string', default: '7' },
    data: { type: 'string', default: resolve(repo, '../shared/data') },
    quarry: { type: 'string', default: process.env.QUARRY_BIN || join(repo, 'bin/quarry') },
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
    out: { type: 'string', default: join(benchDir, 'results/threshold.json') },
  },
});
const runs = +opt.runs;
const sizes = opt.sizes.split(',').map(Number);

ensureDeps(benchDir, opt.chromium);
const { loadCorpora, subset } = await import('./lib/corpora.mjs');
const { serve } = await import('./lib/server.mjs');
const browserLib = await import('./lib/browser.mjs');
const { writePage } = await import('./lib/page.mjs');
const quarry = await import('./engines/quarry.mjs');
const { median } = await import('./lib/stats.mjs');
const THROTTLE_BPS = browserLib.THROTTLE.downloadThroughput;

const log = (...a) => console.log(`threshold [${((Date.now() - started) / 1000).toFixed(0)} s]`, ...a);

if (!existsSync(opt.quarry)) {
  console.error(`threshold: ${opt.quarry} not found: run "make build" first`);
  process.exit(1);
}
await quarry.init(opt.quarry);
const { loaded, skipped } = await loadCorpora([opt.corpus], opt.data, join(repo, 'corpus'));
if (!loaded.length) {
  console.log(`threshold: skipping: ${skipped.map((s) => s.reason).join('; ')}`);
  process.exit(0);
}
const corpus = loaded[0];

const work = await mkdtemp(join(tmpdir(), 'quarry-threshold-'));
const indexform = join(work, 'indexform');
await run('go', ['build', '-o', indexform, './bench/tools/indexform'], { cwd: repo });
const browser = await browserLib.launch(opt.chromium);

// Bytes and requests by kind of index file, from a load's request log.
function kinds(l) {
  const out = { manifest: 0, head: 0, parts: 0, text: 0, requests: 0, n: { manifest: 0, head: 0, parts: 0, text: 0 } };
  for (const x of l.log) {
    const k = /\/quarry\.json$/.test(x.path) ? 'manifest' : /\.idx$/.test(x.path) ? 'head' : /\.(qpt|qps)$/.test(x.path) ? 'parts' : /\.qtx$/.test(x.path) ? 'text' : null;
    if (!k) continue;
    out[k] += x.body;
    out.n[k]++;
    out.requests++;
  }
  return out;
}

// What the index adds to the first result on the throttled network,
// from the bytes and requests measured (the timings themselves are at the
// mercy of the machine's other work, the bytes and rounds are not): the
// whole index, or the head, downloads beside the engine and shares its
// bandwidth; a split index then waits for one round of parts and one of
// text files, each a 40 ms latency per wave of up to 6 requests (HTTP/1.1
// connections per host) plus its bytes.
const BYTES_PER_MS = THROTTLE_BPS / 1000;
function networkModel(k) {
  const waves = (n) => Math.ceil(n / 6);
  const latency = browserLib.THROTTLE.latency;
  return Math.round((k.manifest + k.head + k.parts + k.text) / BYTES_PER_MS + latency * (waves(k.n.parts) + waves(k.n.text)));
}

const rows = [];
try {
  for (const n of sizes) {
    if (n > corpus.docs.length) continue;
    const sub = subset(corpus, n);
    const dir = join(work, String(n));
    const docsDir = join(dir, 'input');
    await mkdir(docsDir, { recursive: true });
    await writeFile(join(docsDir, 'docs.json'), JSON.stringify(sub.docs));
    const built = join(dir, 'built');
    await mkdir(built, { recursive: true });
    const b = await quarry.build(sub, built, { work: dir, docsDir });
    const manifest = JSON.parse(await readFile(join(built, 'quarry/quarry.json'), 'utf8'));
    const cliForm = manifest.files ? 'split' : 'whole';
    const sites = {};
    let form;
    for (const f of ['whole', 'split']) {
      sites[f] = join(dir, f);
      await cp(built, sites[f], { recursive: true });
      const { stdout } = await run(indexform, ['-to', f, sites[f]]);
      form = JSON.parse(stdout);
      await writePage(sites[f], 'quarry');
    }
    const skip = (p) => p.startsWith('/d/');
    const servers = {};
    for (const f of ['whole', 'split']) servers[f] = await serve(sites[f], { skip });
    const brotli = (f) => {
      let whole = 0;
      let head = 0;
      for (const [p, x] of servers[f].files) {
        if (!/^\/quarry\/.*\.(idx|qpt|qps|qtx)$/.test(p)) continue;
        const size = (x.br || x.raw).length;
        if (f === 'whole') whole += size;
        else if (p.endsWith('.idx')) head += size;
      }
      return f === 'whole' ? whole : head;
    };
    const row = {
      docs: n,
      cliForm,
      raw: { whole: form.whole, head: form.head, files: form.files, filesBytes: form.filesBytes },
      brotli: { whole: brotli('whole'), head: brotli('split') },
      forms: { whole: { throttled: [], cold: [], warm: [] }, split: { throttled: [], cold: [], warm: [] } },
    };
    const url = (f) => `${servers[f].url}/bench.html#q=${encodeURIComponent(corpus.firstQuery)}`;
    for (let i = 0; i < runs; i++) {
      for (const f of i % 2 ? ['split', 'whole'] : ['whole', 'split']) {
        const what = `${sub.name}/${f}`;
        const t = await browserLib.throttled(browser, servers[f], url(f), what);
        const { cold, warm } = await browserLib.coldWarm(browser, servers[f], url(f), what);
        const r = row.forms[f];
        r.throttled.push(+t.ms.toFixed(1));
        r.cold.push(+cold.ms.toFixed(1));
        r.warm.push(+warm.ms.toFixed(1));
        r.total = t.total;
        r.index = kinds(t);
      }
    }
    for (const f of ['whole', 'split']) {
      const r = row.forms[f];
      r.median = { throttled: median(r.throttled), cold: median(r.cold), warm: median(r.warm) };
      r.min = { throttled: Math.min(...r.throttled), cold: Math.min(...r.cold) };
      r.modelMs = networkModel(r.index);
      await servers[f].stop();
    }
    row.ratio = {
      throttled: row.forms.split.median.throttled / row.forms.whole.median.throttled,
      cold: row.forms.split.median.cold / row.forms.whole.median.cold,
    };
    row.modelGainMs = row.forms.whole.modelMs - row.forms.split.modelMs;
    rows.push(row);
    log(`${n} docs: whole ${(form.whole / 1024).toFixed(0)} kB raw; throttled whole ${row.forms.whole.median.throttled.toFixed(0)} ms, split ${row.forms.split.median.throttled.toFixed(0)} ms (split ÷ whole ${row.ratio.throttled.toFixed(2)}); network model whole ${row.forms.whole.modelMs} ms, split ${row.forms.split.modelMs} ms`);
    await rm(dir, { recursive: true, force: true });
  }
} finally {
  await browser.close();
  await rm(work, { recursive: true, force: true });
}

const out = {
  started: new Date(started).toISOString(),
  collection: corpus.name,
  firstQuery: corpus.firstQuery,
  runs,
  throttle: browserLib.THROTTLE,
  machine: { cpus: cpus().length, loadEnd: +loadavg()[0].toFixed(2) },
  durationS: +((Date.now() - started) / 1000).toFixed(1),
  rows,
};
await mkdir(dirname(opt.out), { recursive: true });
await writeFile(opt.out, JSON.stringify(out, null, 1) + '\n');
const { thresholdTable } = await import('./lib/report.mjs');
console.log('\n' + thresholdTable(out).join('\n'));
log(`wrote ${opt.out}`);
