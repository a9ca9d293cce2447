// Renders results.json as tables: on the console (printSummary) and as
// BENCHMARKS.md (writeReport).
import { writeFile } from 'node:fs/promises';

const LABEL = { quarry: 'Quarry', pagefind: 'Pagefind', lunr: 'lunr', minisearch: 'MiniSearch' };
const TITLE = {
  seeds: 'Seed articles (5 news articles, 18 queries)',
  cranfield: 'Cranfield (1400 aeronautics abstracts, 225 queries with graded judgements)',
  hugodocs: 'Hugo documentation (945 pages, 30 queries, no judgements)',
};

export function bytes(n) {
  if (n == null) return '–';
  if (n >= 1e6) return (n / 1e6).toFixed(2) + ' MB';
  return (n / 1e3).toFixed(1) + ' kB';
}

const ms = (x) => (x == null ? '–' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const f3 = (x) => (x == null ? '–' : x.toFixed(3));

// The rows of one collection's table: [label, cell per engine].
function rows(c, names, texts = {}) {
  const e = names.map((n) => c.engines[n]);
  const row = (label, f) => [label, ...e.map((r) => (r.error && !r.firstResult ? 'failed' : f(r)))];
  const out = [
    row('build time', (r) => (r.buildMs / 1000).toFixed(2) + ' s'),
    row('engine: raw / gzip / brotli', (r) => `${bytes(r.shipped.engine.raw)} / ${bytes(r.shipped.engine.gzip)} / **${bytes(r.shipped.engine.brotli)}**`),
    row('index: raw / gzip / brotli', (r) => `${bytes(r.shipped.index.raw)} / ${bytes(r.shipped.index.gzip)} / **${bytes(r.shipped.index.brotli)}**`),
    row('index files', (r) => String(r.shipped.index.files)),
    row('transfer, cold load + first query', (r) => `${bytes(r.transfer.cold.body)} in ${r.transfer.cold.requests} requests`),
    row('transfer, warm load + first query', (r) => `${bytes(r.transfer.warm.body)} in ${r.transfer.warm.requests} requests`),
    row('first results, cold: median (min–max)', (r) => `**${ms(r.firstResult.cold.median)} ms** (${ms(r.firstResult.cold.min)}–${ms(r.firstResult.cold.max)})`),
    row('first results, warm: median (min–max)', (r) => `**${ms(r.firstResult.warm.median)} ms** (${ms(r.firstResult.warm.min)}–${ms(r.firstResult.warm.max)})`),
    row('first results, cold at 10 Mbit/s + 40 ms', (r) => `**${ms(r.firstResult.throttled.median)} ms** (${ms(r.firstResult.throttled.min)}–${ms(r.firstResult.throttled.max)})`),
    row('results for the page-load query', (r) => String(r.firstQueryTotal)),
    row('query p50 / p95, first run', (r) => (r.queries ? `${ms(r.queries.first.p50)} / ${ms(r.queries.first.p95)} ms` : '–')),
    row('query p50 / p95, repeated', (r) => (r.queries ? `${ms(r.queries.repeat.p50)} / ${ms(r.queries.repeat.p95)} ms` : '–')),
    row('slowest query, first run', (r) => {
      if (!r.queries) return '–';
      const q = r.queries.each.reduce((a, b) => (b.ms > a.ms ? b : a));
      const t = texts[q.id] || '#' + q.id;
      return `${ms(q.ms)} ms (“${t.length > 32 ? t.slice(0, 30) + '…' : t}”)`;
    }),
    row('zero-result queries', (r) => (r.queries ? `${r.queries.zeroResults} of ${c.queries}` : '–')),
  ];
  if (c.judged) {
    out.push(row('nDCG@10 / MAP / P@10', (r) => (r.quality ? `**${f3(r.quality.ndcg10)}** / ${f3(r.quality.map)} / ${f3(r.quality.p10)}` : '–')));
  }
  if (e.some((r) => r.expected)) {
    out.push(row('expected docs in top 10 (queries fully answered)', (r) => (r.expected ? `${r.expected.found} of ${r.expected.of} (${r.expected.queriesFull} of ${r.expected.queries})` : '–')));
  }
  if (e.some((r) => r.queries && r.queries.parseErrors)) {
    out.push(row('queries the parser refused', (r) => String(r.queries ? r.queries.parseErrors : '–')));
  }
  if (e.some((r) => r.error)) out.push(row('error', (r) => (r.error ? r.error.replace(/\|/g, '\\|').slice(0, 200) : '')));
  return out;
}

function markdownTable(c, names, texts) {
  const head = ['', ...names.map((n) => LABEL[n] || n)];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i ? '---:' : '---')).join('|')}|`];
  for (const r of rows(c, names, texts)) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n');
}

/** Prints each collection's table, plain text. */
export function printSummary(results) {
  for (const [name, c] of Object.entries(results.corpora)) {
    const names = Object.keys(c.engines);
    const table = [['', ...names.map((n) => LABEL[n] || n)], ...rows(c, names, c.queryTexts).map((r) => r.map((s) => s.replace(/\*\*/g, '')))];
    const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
    console.log(`\n${TITLE[name] || name}: ${c.docs} documents, ${c.queries} queries, page-load query "${c.firstQuery}"`);
    for (const r of table) console.log('  ' + r.map((s, i) => (i ? s.padStart(widths[i]) : s.padEnd(widths[i]))).join('  '));
  }
  console.log('');
}

function versions(results) {
  return Object.entries(results.versions)
    .map(([n, v]) => `${LABEL[n] || n} ${v}`)
    .join(', ');
}

/** Writes BENCHMARKS.md. */
export async function writeReport(results, path) {
  const m = results.machine;
  const parts = [];
  parts.push(`# Benchmarks: Quarry, Pagefind, lunr and MiniSearch

Generated by \`make bench\` (\`bash bench/run.sh\`; code in [bench/](bench/)) on
${results.started.slice(0, 10)}: ${m.cpus} cores (${m.cpu}), ${m.memoryGB} GB, Linux ${m.kernel},
Node ${m.node}, Chromium ${m.chromium} headless. Engines: ${versions(results)}.
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
- **Engines as documented.** Quarry: \`bin/quarry build\` on the collection as
  \`docs.json\`, then \`Quarry.open("/quarry/")\` and
  \`q.search(text, {limit: 10, complete: true, facets: false})\`. Pagefind: one HTML
  page per document (\`data-pagefind-body\`), indexed with its Node API, searched
  with \`pagefind.search(q)\` and \`.data()\` on the 10 results shown (default
  options: every word must match). lunr and MiniSearch: index built in Node,
  serialized to JSON, loaded in the page (\`lunr.Index.load\`,
  \`MiniSearch.loadJSON\`), default search options; titles from a store shipped
  with the index.
- **Shipped bytes**: the files the JS API loads, engine (code and
  WebAssembly) and index apart, raw, gzip -9 and brotli 11. UI scripts and
  styles that are not loaded are not counted.
- **Transfer**: the bytes the server sent (bodies as encoded on the wire,
  worker requests included) from navigation until the first results.
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
  each query the first time; repeated: the whole list again. These pages are
  served cross-origin isolated (COOP/COEP), so timers have microsecond
  resolution; the page-load pages are not (isolation makes Chromium swap
  renderer processes on some navigations).
- **Ranking quality** (Cranfield): nDCG@10, MAP and P@10 over the 225 queries,
  each ranking being the first 100 ids returned; gain 5 − grade for grades
  1–4, grade −1 counted as 0; the query is the full question as written.
  Code: \`bench/lib/metrics.mjs\`, checked by \`bench/test/metrics.test.mjs\`.
- Build time: Quarry's is the whole \`quarry build\` command (process start,
  entities, the site bundle and its precompressed files); Pagefind's covers
  indexing and writing its bundle (not writing the HTML pages); lunr's and
  MiniSearch's cover indexing and writing the JSON.
`);
  for (const [name, c] of Object.entries(results.corpora)) {
    const names = Object.keys(c.engines);
    parts.push(`## ${TITLE[name] || name}

Page-load query: "${c.firstQuery}".

${markdownTable(c, names, c.queryTexts)}
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
  the results shown; Quarry loads its WebAssembly engine and one index file
  (postings, titles, entities), then the ~4 kB text files of the results
  shown (for excerpts) and, for the first phrase, wildcard or fuzzy query,
  a positions file (small corpora keep all of it in the one index file).
- The MiniSearch package has no minified build: its ES module is minified
  with terser here, as a site's bundler would.
- Excerpts: Quarry and Pagefind return highlighted excerpts; lunr and
  MiniSearch return ids and stored titles only (a site would build excerpts
  itself).
`);
  await writeFile(path, parts.join('\n'));
}
