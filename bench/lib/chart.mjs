// Draws bench/results/chart.png: small multiples of horizontal bar charts
// (one bar per engine, grouped by collection) as SVG, rendered and
// screenshotted in Chromium.
import { launch } from './browser.mjs';
import { bytes } from './report.mjs';

const COLORS = { quarry: '#d9480f', pagefind: '#1971c2', lunr: '#2f9e44', minisearch: '#7048e8' };
const LABEL = { quarry: 'Quarry', pagefind: 'Pagefind', lunr: 'lunr', minisearch: 'MiniSearch' };
const W = 560;
const BAR = 14;
const LEFT = 92;

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');

// One panel: title, groups [{label, values: {engine: number|null}}], fmt.
function panel(title, groups, fmt, engines) {
  const max = Math.max(1e-9, ...groups.flatMap((g) => engines.map((e) => g.values[e] ?? 0)));
  const span = W - LEFT - 90;
  let y = 34;
  const parts = [`<text x="0" y="16" class="t">${esc(title)}</text>`];
  for (const g of groups) {
    parts.push(`<text x="0" y="${y + (engines.length * (BAR + 3)) / 2 + 4}" class="g">${esc(g.label)}</text>`);
    for (const e of engines) {
      const v = g.values[e];
      const w = v == null ? 0 : Math.max(1, (v / max) * span);
      parts.push(`<rect x="${LEFT}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${COLORS[e]}"/>`);
      parts.push(`<text x="${LEFT + w + 4}" y="${y + BAR - 3}" class="v">${v == null ? 'n/a' : esc(fmt(v))}</text>`);
      y += BAR + 3;
    }
    y += 10;
  }
  return { svg: parts.join(''), height: y };
}

/** Writes the chart of results to path (PNG). */
export async function drawChart(results, path, chromium) {
  const corpora = Object.entries(results.corpora);
  const engines = [...new Set(corpora.flatMap(([, c]) => Object.keys(c.engines)))];
  const pick = (f) =>
    corpora.map(([name, c]) => ({
      label: name,
      values: Object.fromEntries(engines.map((e) => {
        const r = c.engines[e];
        try {
          return [e, r && !r.error ? f(r, c) : null];
        } catch {
          return [e, null];
        }
      })),
    }));
  const msf = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1)) + ' ms';
  const panels = [
    panel('Shipped for search, brotli: engine + index', pick((r) => r.shipped.engine.brotli + r.shipped.index.brotli), bytes, engines),
    panel('Bytes before the first result, cold', pick((r) => r.transfer.cold.body), bytes, engines),
    panel('Build peak RSS', pick((r) => r.buildPeakRSS), bytes, engines),
    panel('Build time (whole command)', pick((r) => r.buildMs), (v) => (v / 1000).toFixed(2) + ' s', engines),
    panel('First results, cold (median)', pick((r) => r.firstResult.cold.median), msf, engines),
    panel('First results, warm (median)', pick((r) => r.firstResult.warm.median), msf, engines),
    panel('First results, cold at 10 Mbit/s, 40 ms', pick((r) => r.firstResult.throttled.median), msf, engines),
    panel('Query latency p95, first run', pick((r) => r.queries.first.p95), msf, engines),
  ];
  for (const name of ['cranfield', 'cacm']) {
    const c = results.corpora[name];
    if (!c) continue;
    const q = () => [{ label: 'nDCG@10', values: {} }, { label: 'MAP', values: {} }, { label: 'P@10', values: {} }].map((g, i) => {
      for (const e of engines) {
        const r = c.engines[e];
        g.values[e] = r && r.quality ? [r.quality.ndcg10, r.quality.map, r.quality.p10][i] : null;
      }
      return g;
    });
    panels.push(panel(`${name === 'cacm' ? 'CACM' : 'Cranfield'} ranking quality`, q(), (v) => v.toFixed(3), engines));
  }
  const cols = 2;
  const rowsH = [];
  for (let i = 0; i < panels.length; i += cols) rowsH.push(Math.max(...panels.slice(i, i + cols).map((p) => p.height)));
  const legendH = 30;
  let svg = '';
  panels.forEach((p, i) => {
    const x = (i % cols) * (W + 30) + 20;
    const y = legendH + rowsH.slice(0, Math.floor(i / cols)).reduce((a, b) => a + b + 16, 0) + 10;
    svg += `<g transform="translate(${x},${y})">${p.svg}</g>`;
  });
  engines.forEach((e, i) => {
    svg += `<rect x="${20 + i * 130}" y="10" width="14" height="14" fill="${COLORS[e]}"/><text x="${40 + i * 130}" y="22" class="g">${LABEL[e]}</text>`;
  });
  const width = cols * (W + 30) + 20;
  const height = legendH + rowsH.reduce((a, b) => a + b + 16, 0) + 40;
  const m = results.machine;
  svg += `<text x="20" y="${height - 12}" class="v">${esc(`${results.started.slice(0, 10)} · ${m.cpus} cores · Chromium ${m.chromium} · times are medians of ${results.runs} runs · details in BENCHMARKS.md`)}</text>`;
  const html = `<!doctype html><html><body style="margin:0;background:#fff">
<svg id="c" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, sans-serif">
<style>.t{font-size:14px;font-weight:bold}.g{font-size:12px}.v{font-size:11px;fill:#333}</style>
<rect width="100%" height="100%" fill="#fff"/>${svg}</svg></body></html>`;
  const browser = await launch(chromium);
  try {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 2 });
    await page.setContent(html);
    await page.locator('#c').screenshot({ path });
  } finally {
    await browser.close();
  }
}
