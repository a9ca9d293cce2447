// Renders results.json as tables: on the console (printSummary) and as
// BENCHMARKS.md (writeReport).
import { writeFile, readFile } from 'node:fs/promises';

/** The last bench/threshold.mjs results (threshold.json), or null. */
export async function readThreshold(path) {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return null;
  }
}

const LABEL = { quarry: 'Quarry', pagefind: 'Pagefind', lunr: 'lunr', minisearch: 'MiniSearch' };
const n0 = (x) => x.toLocaleString('en-US');
const TITLE = {
  seeds: (c) => `Seed articles (${c.docs} news articles, ${c.queries} queries)`,
  cranfield: (c) => `Cranfield (${c.docs} aeronautics abstracts, ${c.queries} queries with graded judgements)`,
  cacm: (c) => `CACM (${n0(c.docs)} computer-science titles and abstracts, ${c.queries} queries with binary judgements)`,
  hugodocs: (c) => `Hugo documentation (${c.docs} pages, ${c.queries} queries, no judgements)`,
  phpdocs: (c) => `PHP manual (${n0(c.docs)} pages, ${c.queries} queries with typos and prefixes, no judgements)`,
};
const title = (name, c) => (TITLE[name] ? TITLE[name](c) : name);

// The engines a ratio column divides Quarry's figure by.
const RATIO_TO = ['pagefind', 'lunr'];

export function bytes(n) {
  if (n == null) return '–';
  if (n >= 1e6) return (n / 1e6).toFixed(2) + ' MB';
  return (n / 1e3).toFixed(1) + ' kB';
}

const ms = (x) => (x == null ? '–' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const f3 = (x) => (x == null ? '–' : x.toFixed(3));
const secs = (x) => (x == null ? '–' : (x / 1000).toFixed(2) + ' s');
const mb = (x) => (x == null ? '–' : (x / 1e6).toFixed(0) + ' MB');
function ratio(a, b) {
  if (a == null || b == null || !isFinite(a) || !isFinite(b) || b === 0) return '–';
  const x = a / b;
  return (x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(2)) + '×';
}

// The rows of one collection's table: [label, cell per engine, ratio
// cells]. Each row has a number per engine (num) for the ratio columns:
// Quarry's figure divided by the other engine's.
function rows(c, names, texts = {}) {
  const e = names.map((n) => c.engines[n]);
  const ratioTo = RATIO_TO.filter((n) => n !== 'quarry' && names.includes(n) && names.includes('quarry'));
  const ok = (r) => r && !(r.error && !r.firstResult);
  const row = (label, f, num) => {
    const cells = e.map((r) => (!ok(r) ? 'failed' : f(r)));
    const q = c.engines.quarry;
    const ratios = ratioTo.map((n) => {
      if (!num || !ok(q) || !ok(c.engines[n])) return '–';
      try {
        return ratio(num(q), num(c.engines[n]));
      } catch {
        return '–';
      }
    });
    return [label, ...cells, ...ratios];
  };
  const sh = (x) => `${bytes(x.raw)} / ${bytes(x.gzip)} / **${bytes(x.brotli)}**`;
  const out = [
    row('build time (whole command)', (r) => secs(r.buildMs), (r) => r.buildMs),
    row('build CPU time (user + system)', (r) => secs(r.buildCpuMs), (r) => r.buildCpuMs),
    row('build peak RSS', (r) => `**${mb(r.buildPeakRSS)}**`, (r) => r.buildPeakRSS),
    row('engine: raw / gzip / brotli', (r) => sh(r.shipped.engine), (r) => r.shipped.engine.brotli),
    row('index shipped: raw / gzip / brotli', (r) => sh(r.shipped.index), (r) => r.shipped.index.brotli),
    row('index files', (r) => n0(r.shipped.index.files), (r) => r.shipped.index.files),
    row('head: index bytes fetched to open', (r) => (r.head ? `${bytes(r.head.index)} in ${r.head.indexRequests} requests` : '–'), (r) => r.head.index),
    row('**bytes before the first result, cold**', (r) => `**${bytes(r.transfer.cold.body)}** in ${r.transfer.cold.requests} requests`, (r) => r.transfer.cold.body),
    row('… of which page / engine / index', (r) => `${bytes(r.transfer.cold.page)} / ${bytes(r.transfer.cold.engine)} / ${bytes(r.transfer.cold.index)}${r.transfer.cold.other ? ` (+ other ${bytes(r.transfer.cold.other)})` : ''}`),
    row('index bytes fetched for the page-load query', (r) => `**${bytes(r.transfer.cold.index)}** in ${r.transfer.cold.indexRequests} requests`, (r) => r.transfer.cold.index),
    row('… index fetched by kind of file (first cold load)', (r) => (r.coldRequests ? indexKinds(r.coldRequests) : '–')),
    row('transfer, warm load + first query', (r) => `${bytes(r.transfer.warm.body)} in ${r.transfer.warm.requests} requests`),
    row('first results, cold: median (min–max)', (r) => `**${ms(r.firstResult.cold.median)} ms** (${ms(r.firstResult.cold.min)}–${ms(r.firstResult.cold.max)})`, (r) => r.firstResult.cold.median),
    row('first results, warm: median (min–max)', (r) => `**${ms(r.firstResult.warm.median)} ms** (${ms(r.firstResult.warm.min)}–${ms(r.firstResult.warm.max)})`, (r) => r.firstResult.warm.median),
    row('first results, cold at 10 Mbit/s + 40 ms', (r) => `**${ms(r.firstResult.throttled.median)} ms** (${ms(r.firstResult.throttled.min)}–${ms(r.firstResult.throttled.max)})`, (r) => r.firstResult.throttled.median),
    row('results for the page-load query', (r) => n0(r.firstQueryTotal)),
    row('query p50 / p95, first run', (r) => (r.queries ? `${ms(r.queries.first.p50)} / ${ms(r.queries.first.p95)} ms` : '–'), (r) => r.queries.first.p50),
    row('query p50 / p95, repeated', (r) => (r.queries ? `${ms(r.queries.repeat.p50)} / ${ms(r.queries.repeat.p95)} ms` : '–'), (r) => r.queries.repeat.p50),
    row('slowest query, first run', (r) => {
      if (!r.queries) return '–';
      const q = r.queries.each.reduce((a, b) => (b.ms > a.ms ? b : a));
      const t = texts[q.id] || '#' + q.id;
      return `${ms(q.ms)} ms (“${t.length > 32 ? t.slice(0, 30) + '…' : t}”)`;
    }),
    row('zero-result queries', (r) => (r.queries ? `${r.queries.zeroResults} of ${c.queries}` : '–')),
  ];
  if (c.judged) {
    out.push(row('nDCG@10 / MAP / P@10', (r) => (r.quality ? `**${f3(r.quality.ndcg10)}** / ${f3(r.quality.map)} / ${f3(r.quality.p10)}` : '–'), (r) => r.quality.ndcg10));
  }
  if (e.some((r) => r && r.expected)) {
    out.push(row('expected docs in top 10 (queries fully answered)', (r) => (r.expected ? `${r.expected.found} of ${r.expected.of} (${r.expected.queriesFull} of ${r.expected.queries})` : '–')));
  }
  if (e.some((r) => r && r.queries && r.queries.parseErrors)) {
    out.push(row('queries the parser refused', (r) => String(r.queries ? r.queries.parseErrors : '–')));
  }
  if (e.some((r) => r && r.docsIndexed != null)) {
    out.push(row('documents indexed', (r) => n0(r.docsIndexed != null ? r.docsIndexed : c.docs)));
  }
  if (e.some((r) => r && r.error)) out.push(row('error', (r) => (r.error ? r.error.replace(/\|/g, '\\|').replace(/\n/g, ' ').slice(0, 200) : '')));
  return out;
}

// The kind of an index file an engine fetches, by its name: Quarry's
// manifest, head (or whole index), postings parts, positions parts and
// text files; Pagefind's entry, metadata, index chunks and fragments;
// lunr's and MiniSearch's one JSON file.
const KINDS = [
  [/\/quarry\/quarry\.json$/, 'manifest'],
  [/\/quarry\/quarry\.[0-9a-f]+\.idx$/, 'head'],
  [/\.qpt$/, 'parts'],
  [/\.qps$/, 'positions'],
  [/\.qtx$/, 'text'],
  [/pagefind-entry\.json$/, 'entry'],
  [/\.pf_meta$/, 'meta'],
  [/\.pf_index$/, 'chunks'],
  [/\.pf_fragment$/, 'fragments'],
  [/\.pf_filter$/, 'filters'],
  [/\.json$/, 'index'],
];
const kindOf = (path) => (KINDS.find(([re]) => re.test(path)) || [null, null])[1];

/** "head 26.1 kB, 2 parts 40.2 kB, 10 text 50.3 kB" from a load's requests. */
export function indexKinds(requests) {
  const by = new Map();
  for (const x of requests) {
    const k = kindOf(x.path);
    if (!k || /\/(bench|engine)\.js$/.test(x.path)) continue;
    const v = by.get(k) || { n: 0, bytes: 0 };
    v.n++;
    v.bytes += x.body;
    by.set(k, v);
  }
  return [...by].map(([k, v]) => `${v.n > 1 ? v.n + ' ' : ''}${k} ${bytes(v.bytes)}`).join(', ') || '–';
}

function header(c, names) {
  const ratioTo = RATIO_TO.filter((n) => n !== 'quarry' && names.includes(n) && names.includes('quarry'));
  return ['', ...names.map((n) => LABEL[n] || n), ...ratioTo.map((n) => `Quarry ÷ ${LABEL[n]}`)];
}

function markdownTable(c, names, texts) {
  const head = header(c, names);
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i ? '---:' : '---')).join('|')}|`];
  for (const r of rows(c, names, texts)) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n');
}

/** Prints each collection's table, plain text. */
export function printSummary(results) {
  for (const [name, c] of Object.entries(results.corpora)) {
    const names = Object.keys(c.engines);
    plain(`${title(name, c)}, page-load query "${c.firstQuery}"`, [header(c, names), ...rows(c, names, c.queryTexts)]);
  }
  if (results.scaling) plain(`Scaling: ${results.scaling.collection}`, scalingTable(results.scaling));
  console.log('');
}

function plain(caption, table) {
  table = table.map((r) => r.map((s) => s.replace(/\*\*/g, '')));
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  console.log(`\n${caption}`);
  for (const r of table) console.log('  ' + r.map((s, i) => (i ? s.padStart(widths[i]) : s.padEnd(widths[i]))).join('  '));
}

// The scaling table: one row per size and engine.
function scalingTable(sc) {
  const out = [['pages', 'engine', 'head: index bytes to open', 'bytes before the first result, cold', 'index bytes for the page-load query', 'index shipped (brotli)', 'build time', 'build peak RSS', 'query p50, first run', 'first results at 10 Mbit/s + 40 ms']];
  for (const row of sc.rows) {
    for (const e of sc.engines) {
      const f = row.engines[e];
      if (!f) continue;
      if (f.error && f.buildMs == null) {
        out.push([n0(row.docs), LABEL[e], 'failed', '', '', '', '', '', '', '']);
        continue;
      }
      out.push([n0(row.docs), LABEL[e], bytes(f.headBytes), `**${bytes(f.beforeFirstResult)}**`, bytes(f.indexFetched), bytes(f.shippedIndexBrotli), secs(f.buildMs), mb(f.buildPeakRSS), f.queryP50 == null ? '–' : ms(f.queryP50) + ' ms', f.throttledMs == null ? '–' : ms(f.throttledMs) + ' ms']);
    }
  }
  return out;
}

// Growth of the head from the smallest size to the largest below the
// full collection (1k -> 10k pages) and to the full one, per engine.
function growth(sc) {
  const lines = [];
  const rows = sc.rows;
  if (rows.length < 2) return lines;
  for (const e of sc.engines) {
    const h = rows.map((r) => r.engines[e] && r.engines[e].headBytes);
    if (h[0] == null) continue;
    const parts = rows.slice(1).map((r, i) => (h[i + 1] == null ? null : `${ratio(h[i + 1], h[0])} at ${n0(r.docs)}`)).filter(Boolean);
    lines.push(`- ${LABEL[e]}: head at ${n0(rows[0].docs)} pages ${bytes(h[0])}; ${parts.join(', ')} pages.`);
  }
  return lines;
}

// The acceptance figures of issues 10 (point 4) and 11 (points 1, 2 and
// 5), each with its target, Quarry's figure, the other engine's, the
// ratio and whether it is met. Missing collections or engines give "–".
export function acceptance(results) {
  const C = results.corpora;
  const get = (corpus, engine, f) => {
    const r = C[corpus] && C[corpus].engines[engine];
    if (!r || (r.error && !r.firstResult)) return null;
    try {
      const v = f(r);
      return v == null || !isFinite(v) ? null : v;
    } catch {
      return null;
    }
  };
  const rows = [];
  // against: {engine, f} compares with another engine at factor; else limit is absolute.
  const add = (issue, what, corpus, f, { engine, factor = 1, limit, fmt = ms, unit = ' ms', other = f }) => {
    const q = get(corpus, 'quarry', f);
    const o = engine ? get(corpus, engine, other) : null;
    const bound = engine ? (o == null ? null : o * factor) : limit;
    const target = engine ? `≤ ${factor === 1 ? '' : factor + '× '}${LABEL[engine]}'s` : `≤ ${fmt(limit)}${unit}`;
    const met = q == null || bound == null ? '–' : q <= bound ? '**met**' : '**missed**';
    rows.push([issue, what, target, q == null ? '–' : fmt(q) + unit, engine ? (o == null ? '–' : fmt(o) + unit) : '', q == null || !(engine ? o : limit) ? '–' : (q / (engine ? o : limit)).toFixed(2) + '×', met]);
  };
  const B = { fmt: (x) => bytes(x), unit: '' };
  const S = { fmt: (x) => (x / 1000).toFixed(2), unit: ' s' };
  const M = { fmt: (x) => (x / 1e6).toFixed(0), unit: ' MB' };
  add('10.4', 'seeds: first results, cold', 'seeds', (r) => r.firstResult.cold.median, { engine: 'pagefind' });
  add('10.4', 'seeds: first results, warm', 'seeds', (r) => r.firstResult.warm.median, { engine: 'pagefind' });
  add('10.4', 'seeds: first results, cold at 10 Mbit/s + 40 ms', 'seeds', (r) => r.firstResult.throttled.median, { engine: 'pagefind', factor: 1.5 });
  add('10.4', 'Cranfield: query p50 in the page (first run)', 'cranfield', (r) => r.queries.first.p50, { engine: 'lunr' });
  add('10.4', 'Cranfield: query p95 in the page (first run)', 'cranfield', (r) => r.queries.first.p95, { engine: 'lunr' });
  add('10.4', 'Cranfield: query p50 in the page (repeated)', 'cranfield', (r) => r.queries.repeat.p50, { engine: 'lunr' });
  add('10.4', 'Cranfield: query p95 in the page (repeated)', 'cranfield', (r) => r.queries.repeat.p95, { engine: 'lunr' });
  {
    // Issue 10 asks for Cranfield's nDCG@10 unchanged: the figure of the
    // run before it (BENCHMARKS.md of commit 1f4ad70, index format 3).
    const before = 0.405;
    const q = get('cranfield', 'quarry', (r) => r.quality.ndcg10);
    rows.push(['10.4', 'Cranfield: nDCG@10', `unchanged (${before.toFixed(3)} before issue 10)`, q == null ? '–' : q.toFixed(3), '', q == null ? '–' : ratio(q, before), q == null ? '–' : q.toFixed(3) === before.toFixed(3) ? '**met**' : q > before ? '**met** (higher)' : '**missed**']);
  }
  add('11.1', 'phpdocs: bytes before the first result but the engine, index only', 'phpdocs', (r) => r.transfer.cold.index, { limit: 250e3, ...B });
  add('11.1', 'phpdocs: bytes before the first result but the engine (page included)', 'phpdocs', (r) => r.transfer.cold.body - r.transfer.cold.engine, { limit: 300e3, ...B });
  add('11.1', 'phpdocs: index bytes fetched for the page-load query', 'phpdocs', (r) => r.transfer.cold.index, { engine: 'pagefind', factor: 1.5, ...B });
  add('11.1', 'phpdocs: first results, cold at 10 Mbit/s + 40 ms', 'phpdocs', (r) => r.firstResult.throttled.median, { engine: 'pagefind', factor: 1.5 });
  add('11.1', 'phpdocs: build time', 'phpdocs', (r) => r.buildMs, { engine: 'pagefind', ...S });
  add('(11.1)', 'phpdocs: build CPU time (user + system; the issue asks for wall time)', 'phpdocs', (r) => r.buildCpuMs, { engine: 'pagefind', ...S });
  add('11.1', 'phpdocs: build peak RSS', 'phpdocs', (r) => r.buildPeakRSS, { engine: 'pagefind', ...M });
  const sc = results.scaling;
  if (sc) {
    const h = (n) => {
      const row = sc.rows.find((r) => r.docs === n);
      return row && row.engines.quarry ? row.engines.quarry.headBytes : null;
    };
    const h1 = h(1000);
    const h10 = h(10000);
    rows.push(['11.2', 'phpdocs: head at 10k pages against the head at 1k', '≤ 3× the head at 1k', h10 == null ? '–' : bytes(h10), h1 == null ? '–' : bytes(h1) + ' (1k)', h1 && h10 ? ratio(h10, h1) : '–', h1 && h10 ? (h10 <= 3 * h1 ? '**met**' : '**missed**') : '–']);
  }
  add('11.5', 'Hugo docs: build time', 'hugodocs', (r) => r.buildMs, { engine: 'pagefind', ...S });
  add('(11.5)', 'Hugo docs: build CPU time (user + system)', 'hugodocs', (r) => r.buildCpuMs, { engine: 'pagefind', ...S });
  add('11.5', 'Cranfield: build time', 'cranfield', (r) => r.buildMs, { engine: 'pagefind', ...S });
  add('(11.5)', 'Cranfield: build CPU time (user + system)', 'cranfield', (r) => r.buildCpuMs, { engine: 'pagefind', ...S });
  const head = ['issue', 'figure', 'target', 'Quarry', 'other', 'ratio', ''];
  return [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i > 2 ? '---:' : '---')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

// The table of bench/threshold.mjs (whole index or head + files).
export function thresholdTable(t) {
  const head = ['pages', 'index raw: whole / head (+ files)', 'brotli: whole / head', 'index fetched, whole / split', 'first results at 10 Mbit/s + 40 ms: whole / split (median; min)', 'split ÷ whole', 'network model: whole / split', 'cold: whole / split', 'warm: whole / split', 'CLI ships'];
  const kb = (x) => (x / 1024).toFixed(0) + ' KiB';
  const fetched = (f) => (f.index ? `${bytes(f.index.manifest + f.index.head + f.index.parts + f.index.text)} in ${f.index.requests}` : '–');
  const out = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i ? '---:' : '---')).join('|')}|`];
  for (const r of t.rows) {
    const w = r.forms.whole;
    const s = r.forms.split;
    out.push(`| ${n0(r.docs)} | ${kb(r.raw.whole)} / ${kb(r.raw.head)} (+ ${r.raw.files}) | ${bytes(r.brotli.whole)} / ${bytes(r.brotli.head)} | ${fetched(w)} / ${fetched(s)} | ${ms(w.median.throttled)} / ${ms(s.median.throttled)} ms (${w.min ? `${ms(w.min.throttled)} / ${ms(s.min.throttled)}` : '–'}) | ${r.ratio.throttled.toFixed(2)} | ${w.modelMs != null ? `${w.modelMs} / ${s.modelMs} ms` : '–'} | ${ms(w.median.cold)} / ${ms(s.median.cold)} ms | ${ms(w.median.warm)} / ${ms(s.median.warm)} ms | ${r.cliForm} |`);
  }
  return out;
}

// Where whole stops being sooner: by the network model and by the
// measured medians (the first size from which split is sooner).
function thresholdVerdict(t) {
  const kb = (r) => Math.round(r.raw.whole / 1024) + ' KiB';
  const first = (f) => t.rows.find(f);
  const model = first((r) => r.forms.split.modelMs != null && r.forms.split.modelMs <= r.forms.whole.modelMs);
  const measured = first((r) => r.ratio.throttled < 1);
  const prev = (r) => t.rows[t.rows.indexOf(r) - 1];
  const between = (r) => (prev(r) ? `between ${kb(prev(r))} and ${kb(r)} raw` : `at or below ${kb(r)} raw`);
  const later = measured ? t.rows.slice(t.rows.indexOf(measured) + 1).filter((r) => r.ratio.throttled >= 1).map(kb) : [];
  return `The model's break-even lies ${model ? between(model) : 'above the largest size measured'}; the measured medians first favour split ${measured ? between(measured) : 'at no size measured'}${later.length ? ` (though not at ${later.join(', ')})` : ''}; 1-minute load average ${t.machine.loadEnd} at the end of the run, so the timings spread by seconds.`;
}

function versions(results) {
  return Object.entries(results.versions)
    .map(([n, v]) => `${LABEL[n] || n} ${v}`)
    .join(', ');
}

/** Writes BENCHMARKS.md. */
export async function writeReport(results, path, threshold = null) {
  const m = results.machine;
  const parts = [];
  parts.push(`# Benchmarks: Quarry, Pagefind, lunr and MiniSearch

Generated by \`make bench\` (\`bash bench/run.sh\`; code in [bench/](bench/)) on
${results.started.slice(0, 10)}: ${m.cpus} cores (${m.cpu}), ${m.memoryGB} GB, Linux ${m.kernel},
Node ${m.node}, Chromium ${m.chromium} headless. Engines: ${versions(results)}.${results.commit ? `
Commit measured: ${results.commit}.` : ''}
Whole run: ${Math.round(results.durationS)} s. 1-minute load average at start / end: ${m.loadStart} / ${m.loadEnd}
(the machine is shared: other work running at the same time widens the
spread of the timings; compare engines within one run, not across runs).
Raw figures: [bench/results/results.json](bench/results/results.json).

![Shipped bytes, first-result times and ranking quality](bench/results/chart.png)

## How it is measured

- **Same page, same server.** Each engine gets a site with the same benchmark
  page (\`bench/page/bench.js\` plus a small adapter per engine) and its own
  files, served by one Node server (\`bench/lib/server.mjs\`) on 127.0.0.1:
  brotli (quality 11) when the browser accepts it, correct MIME types
  (\`application/wasm\`), \`Cache-Control: public, max-age=600\` and ETags on
  every file.
- **Engines as documented.** Quarry: \`bin/quarry build -o SITE\` on the
  collection as \`docs.json\` (where the CLI refuses that file, on the same
  pages as Markdown files: the collection's section says so), then
  \`Quarry.open("/quarry/")\` and
  \`q.search(text, {limit: 10, complete: true, facets: false})\`. Pagefind: one HTML
  page per document (\`data-pagefind-body\`), indexed with its command-line
  tool (\`pagefind --site SITE\`, the binary of its npm package), imported
  (\`import("/pagefind/pagefind.js")\`), searched with \`pagefind.search(q)\` and
  \`.data()\` on the 10 results shown (default options: every word must
  match); \`pagefind.init()\`, which loads ahead what every search needs,
  only in the open-only load below. lunr and
  MiniSearch: index built by a Node script, serialized to JSON, loaded in the
  page (\`lunr.Index.load\`, \`MiniSearch.loadJSON\`), default search options;
  titles from a store shipped with the index.
- **Build time, CPU and peak RSS**: each engine's build runs as one child
  process under GNU time (\`/usr/bin/time -v\`): Quarry's and Pagefind's
  whole command (process start to exit: for Quarry, entities, the site bundle
  and its precompressed files; for Pagefind, its bundle, not writing the HTML
  pages, which is the site generator's job), and for lunr and MiniSearch a
  Node script that reads the documents' JSON, indexes and writes the index.
  Build time is the wall time of that process; CPU time is its user + system
  time; peak RSS is GNU time's "Maximum resident set size" (the largest
  process of the build). One build per engine and collection.
- **Shipped bytes**: the files the JS API loads, engine (code and
  WebAssembly) and index apart, raw, gzip -9 and brotli 11. UI scripts and
  styles that are not loaded are not counted.
- **Head: index bytes fetched to open**: a cold load of the page that only
  opens the engine (\`#open\`: \`Quarry.open\`, \`pagefind.init()\`, lunr and
  MiniSearch loading their index) and searches nothing: the index bytes the
  browser fetches before it can answer any query, the engine and the page
  excluded (for Quarry, its manifest and the index's head, which is the
  whole index on small sites).
- **Bytes before the first result, cold**: everything the server sent
  (bodies as encoded on the wire, worker requests included) from navigation
  until the first results are in the page, in a fresh browser context: the
  page, the engine's JavaScript and WebAssembly, the index, and whatever
  the first query fetched (index parts, Pagefind's fragments, Quarry's
  parts and text files). Split by file: page (\`bench.html\`, \`bench.js\`, the
  adapter), engine, index. **Index bytes fetched for the page-load query**
  is the index part of it: head and what the query itself needed (the
  next row splits the first cold load's by kind of file). Medians over the
  cold loads.
- **First results**: navigation start to the first results in the DOM
  (\`performance.now()\` in the page), for a query given in the URL; median of
  ${results.runs} runs. Cold: a fresh browser context (empty HTTP cache). Warm: the
  same context loading the page again. Throttled: cold, under DevTools
  \`Network.emulateNetworkConditions\` at 10 Mbit/s each way and 40 ms latency.
  Runs alternate between engines. The query is one every engine answers
  (Pagefind finds nothing for most full Cranfield questions).
- **Query latency**: every query of the collection run one after the other in
  the page, \`performance.now()\` around the search and the retrieval of the
  10 results shown (Pagefind's \`.data()\` fetches their fragments). First run:
  each query the first time (they start as soon as the page-load query's
  results are shown; Quarry, with its default options, then fetches a small
  index's rest bundle in the background, so the first queries of the list
  may wait for it, and after it none downloads anything); repeated: the
  whole list again. p50 and p95 are
  nearest-rank percentiles. These pages are served cross-origin isolated
  (COOP/COEP), so timers have microsecond resolution; the page-load pages
  are not (isolation makes Chromium swap renderer processes on some
  navigations). Zero-result queries: queries of the first run that found
  nothing.
- **Ranking quality** (Cranfield, CACM): nDCG@10, MAP and P@10 over every
  judged query, each ranking being the first 100 ids returned; the query is
  the full question as written. Cranfield: gain 5 − grade for grades 1–4,
  grade −1 counted as 0. CACM: binary judgements, gain = grade (1), documents
  not judged count 0. Code: \`bench/lib/metrics.mjs\`, checked by
  \`bench/test/metrics.test.mjs\`.
- **Ratios**: the last columns divide Quarry's figure by Pagefind's and by
  lunr's from the same run (below 1: Quarry's is smaller).
${results.scaling ? `- **Scaling**: the first 1k, 3k and 10k documents of ${results.scaling.collection}'s \`docs.json\` (in its
  order), and all of it, built and measured as above for ${results.scaling.engines.map((e) => LABEL[e]).join(' and ')}; page loads are
  medians of ${results.scaling.rows.find((r) => r.runs !== results.runs)?.runs ?? results.runs} runs for the subsets (byte counts do not vary between runs) and of
  ${results.runs} for the full collection (its own table's figures).
` : ''}`);
  for (const [name, c] of Object.entries(results.corpora)) {
    const names = Object.keys(c.engines);
    const notes = names.map((n) => c.engines[n] && c.engines[n].inputNote && `${LABEL[n] || n}'s input: ${c.engines[n].inputNote} (\`${c.engines[n].input}\`: the same pages, as Markdown with front matter).`).filter(Boolean);
    if (c.note) notes.unshift(c.note);
    parts.push(`## ${title(name, c)}

Page-load query: "${c.firstQuery}".${notes.length ? '\n\n' + notes.join('\n\n') : ''}

${markdownTable(c, names, c.queryTexts)}
`);
  }
  if (results.scaling) {
    const sc = results.scaling;
    const t = scalingTable(sc);
    const head = t[0];
    const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i > 1 ? '---:' : '---')).join('|')}|`, ...t.slice(1).map((r) => `| ${r.join(' | ')} |`)];
    parts.push(`## Scaling: the first N pages of ${sc.collection}

Page-load query: "${sc.firstQuery}". **Head bytes**: what the browser fetches before it can answer
a query, engine and page excluded (the index bytes of the open-only load). Growth of the head:

${growth(sc).join('\n')}

${lines.join('\n')}
`);
  }
  parts.push(`## Acceptance figures of issues 10 and 11

From the tables above (one run: engines compared within it). Times are
medians; a ratio below 1 means Quarry's figure is the smaller. Issue 10's
figures are judged on the first run of each query (the repeated run is
shown too). Rows in parentheses are not targets: CPU time next to the
build's wall time, which other work on the machine stretches.

${acceptance(results).join('\n')}
`);
  if (threshold) {
    parts.push(`## Whole index or head + files (internal/site WholeIndexLimit)

\`make bench-threshold\` (\`node bench/threshold.mjs\`), ${threshold.started.slice(0, 10)}, a separate run:
the first N documents of ${threshold.collection}, built once by \`bin/quarry build\` and shipped
both ways by \`bench/tools/indexform\` (the same index: one file, or its head with the parts and
text files beside it), page-load query "${threshold.firstQuery}", medians of ${threshold.runs} cold loads per
form, alternating. The bench server speaks HTTP/1.1 (Chromium opens up to 6 connections).
"CLI ships" is the form \`quarry build\` chose by WholeIndexLimit. **Network model**: what
the index adds at 10 Mbit/s + 40 ms by the bytes and requests each form fetched (which do not
vary between runs, where the timings on a loaded machine do): every index byte at 10 Mbit/s
(the whole file or the head shares the bandwidth with the engine), plus for the split form
40 ms per wave of up to 6 requests for the parts, then for the text files. ${thresholdVerdict(threshold)}

${thresholdTable(threshold).join('\n')}
`);
  }
  if (results.skipped.length) {
    parts.push('## Skipped\n\n' + results.skipped.map((s) => `- ${s.name}: ${s.reason}`).join('\n') + '\n');
  }
  if (results.failures.length) {
    parts.push('## Failures\n\n' + results.failures.map((f) => `- ${f}`).join('\n') + '\n');
  }
  parts.push(`## Reading the figures

- Pagefind's defaults require every query word to match: most of the long
  Cranfield questions find nothing, hence its near-zero ranking scores there.
  Its index files (and WebAssembly) are gzip-compressed inside, so gzip and
  brotli gain nothing on them; the entry file is refetched on every load
  (cache-busting \`?ts=\`), the one request of its warm loads.
- lunr's and MiniSearch's whole index is downloaded and parsed before the
  first search; Pagefind loads the chunks a query needs, and the fragments of
  the results shown. Quarry (index format 5) loads its WebAssembly engine
  and the index's head (statistics, field lengths, facets, the parts' term
  ranges and the dictionary prefix and typo expansion read), then the
  postings parts holding the query's words, then the ~4 kB text files of
  the results shown (titles, URLs, excerpts), positions parts only for
  phrases. An index of up to 256 KiB raw (WholeIndexLimit) ships as one
  file holding all of it: one request, nothing fetched on demand.
- The MiniSearch package has no minified build: its ES module is minified
  with terser here, as a site's bundler would.
- Excerpts: Quarry and Pagefind return highlighted excerpts; lunr and
  MiniSearch return ids and stored titles only (a site would build excerpts
  itself).
`);
  await writeFile(path, parts.join('\n'));
}
