// Writes BENCHMARKS.md again from bench/results/results.json (and
// threshold.json when present) without measuring anything: for a change
// of the report's layout, or results put together from two runs.
//   node bench/tools/report.mjs           BENCHMARKS.md
//   node bench/tools/report.mjs --chart   and bench/results/chart.png
import { readFile } from 'node:fs/promises';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeReport, readThreshold } from '../lib/report.mjs';

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const results = JSON.parse(await readFile(join(benchDir, 'results/results.json'), 'utf8'));
await writeReport(results, join(benchDir, '..', 'BENCHMARKS.md'), await readThreshold(join(benchDir, 'results/threshold.json')));
if (process.argv.includes('--chart')) {
  const { drawChart } = await import('../lib/chart.mjs');
  await drawChart(results, join(benchDir, 'results/chart.png'), process.env.CHROMIUM || '/usr/bin/chromium');
}
console.log('wrote BENCHMARKS.md' + (process.argv.includes('--chart') ? ' and bench/results/chart.png' : ''));
