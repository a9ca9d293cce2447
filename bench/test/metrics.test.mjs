// Checks the ranking metrics on tiny hand-worked examples (node --test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ndcg, averagePrecision, precisionAt, cranfieldGain, gradeGain, evaluate } from '../lib/metrics.mjs';
import { median, percentile } from '../lib/stats.mjs';

const near = (a, b) => assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`);

test('Cranfield grades become gains 4..1, everything else 0', () => {
  assert.deepEqual([1, 2, 3, 4, -1, 0, 5].map(cranfieldGain), [4, 3, 2, 1, 0, 0, 0]);
});

test('CACM grades are gains: 1 stays 1, nothing below 1 counts', () => {
  assert.deepEqual([1, 2, 0, -1].map(gradeGain), [1, 2, 0, 0]);
});

test('nDCG@k with binary gains (CACM)', () => {
  const j = { a: 1, b: 1, c: 1 };
  // Ideal: three relevant at ranks 1-3.
  const ideal = 1 + 1 / Math.log2(3) + 1 / 2;
  near(ndcg(['x', 'a', 'y', 'b'], j), (1 / Math.log2(3) + 1 / Math.log2(5)) / ideal);
  near(ndcg(['a', 'b', 'c'], j), 1);
});

test('nDCG@k', () => {
  const j = { a: 3, b: 2, c: 0, d: 1 };
  // Ideal order a, b, d: 3/1 + 2/log2(3) + 1/2.
  const ideal = 3 + 2 / Math.log2(3) + 0.5;
  near(ndcg(['a', 'b', 'd'], j), 1);
  near(ndcg(['d', 'b', 'a'], j), (1 + 2 / Math.log2(3) + 3 / 2) / ideal);
  near(ndcg(['c', 'a'], j), 3 / Math.log2(3) / ideal);
  near(ndcg(['c', 'a'], j, 1), 0); // cut at k = 1
  near(ndcg([], j), 0);
  near(ndcg(['a'], { a: 0 }), 0); // no relevant document at all
  // Only the first k judged gains make up the ideal: k = 1 -> a alone.
  near(ndcg(['b'], j, 1), 2 / 3);
});

test('average precision and P@k', () => {
  const j = { a: 1, b: 1, x: 0 };
  near(averagePrecision(['a', 'b', 'x'], j), 1);
  near(averagePrecision(['x', 'a', 'y', 'b'], j), (1 / 2 + 2 / 4) / 2);
  near(averagePrecision(['a'], j), 0.5); // b never found
  near(precisionAt(['x', 'a', 'y', 'b'], j, 2), 0.5);
  near(precisionAt(['a'], j, 10), 0.1); // short rankings still divide by k
});

test('evaluate averages over every query and counts empty rankings', () => {
  const s = evaluate({ 1: ['a'], 2: [] }, { 1: { a: 1 }, 2: { a: 1 } });
  assert.equal(s.queries, 2);
  assert.equal(s.zeroResults, 1);
  near(s.ndcg10, 0.5);
  near(s.map, 0.5);
  near(s.p10, 0.05);
});

test('median and nearest-rank percentiles', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  const xs = Array.from({ length: 20 }, (_, i) => i + 1);
  assert.equal(percentile(xs, 50), 10);
  assert.equal(percentile(xs, 95), 19);
  assert.equal(percentile([7], 95), 7);
});
