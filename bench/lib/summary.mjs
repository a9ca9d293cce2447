// Turns one engine's raw measurements on one collection into the figures
// the report shows, in place, and returns the problems found (an engine
// that answered the page-load query with nothing, for instance).
import { median, percentile } from './stats.mjs';
import { evaluate } from './metrics.mjs';

const round = (x, d = 2) => +x.toFixed(d);

function times(loads) {
  const ms = loads.map((l) => l.ms);
  return { median: round(median(ms), 1), min: round(Math.min(...ms), 1), max: round(Math.max(...ms), 1), runs: ms.map((x) => round(x, 1)) };
}

function latency(pass) {
  const ms = pass.map((q) => q.ms);
  return {
    p50: round(percentile(ms, 50), 3),
    p95: round(percentile(ms, 95), 3),
    mean: round(ms.reduce((a, b) => a + b, 0) / ms.length, 3),
    max: round(Math.max(...ms), 3),
  };
}

// Bytes sent for a load (bodies as encoded on the wire; headers apart),
// and the bodies by class of file (page, engine, index, other: see
// byClass in run.mjs). Medians over the loads.
function transfer(loads) {
  const m = (f) => median(loads.map(f));
  return {
    body: m((l) => l.bytes.body),
    headers: m((l) => l.bytes.headers),
    requests: m((l) => l.bytes.requests),
    page: m((l) => l.byClass.page),
    engine: m((l) => l.byClass.engine),
    index: m((l) => l.byClass.index),
    other: m((l) => l.byClass.other),
    indexRequests: m((l) => l.byClass.indexRequests),
  };
}

export function summarize(r, corpus) {
  const problems = [];
  if (!r.cold || !r.cold.length) return ['no page load measured'];
  r.firstResult = { cold: times(r.cold), warm: times(r.warm), throttled: times(r.throttled) };
  r.transfer = { cold: transfer(r.cold), warm: transfer(r.warm), throttled: transfer(r.throttled) };
  r.firstQueryTotal = r.cold[0].total;
  // The head: what the engine fetched to open, before any query.
  if (r.opened) {
    r.head = { ms: round(r.opened.ms, 1), index: r.opened.byClass.index, engine: r.opened.byClass.engine, indexRequests: r.opened.byClass.indexRequests, requests: r.opened.bytes.requests };
    r.openedRequests = r.opened.log.map((x) => ({ path: x.path, at: x.at, status: x.status, body: x.body, encoding: x.encoding }));
    delete r.opened;
  }
  // What the first cold load fetched, request by request.
  // at: ms since navigation began (as the server saw the request).
  const requests = (l) => l.log.map((x) => ({ path: x.path, at: x.at, status: x.status, body: x.body, encoding: x.encoding }));
  r.coldRequests = requests(r.cold[0]);
  r.throttledRequests = requests(r.throttled[0]);
  if (r.cold.some((l) => !l.total)) problems.push(`found nothing for the page-load query "${corpus.firstQuery}"`);
  for (const k of ['cold', 'warm', 'throttled']) delete r[k];

  const q = r.queryRuns;
  delete r.queryRuns;
  if (!q) return problems.concat('queries not run');
  if (q.first.length !== corpus.queries.length) problems.push(`ran ${q.first.length} of ${corpus.queries.length} queries`);
  // Every id an engine returns must be a document of the collection (a
  // wrong id mapping would silently ruin the ranking metrics).
  const known = new Set(corpus.docs.map((d) => d.id));
  const stray = [...new Set([...q.first.flatMap((x) => x.ids), ...(q.ranks || []).flat()])].filter((id) => !known.has(id));
  if (stray.length) problems.push(`returned ids that are no document: ${stray.slice(0, 5).join(', ')}`);
  r.queries = {
    first: latency(q.first),
    repeat: latency(q.repeat),
    zeroResults: q.first.filter((x) => x.total === 0).length,
    parseErrors: q.first.filter((x) => x.error).length,
    // Timer resolution: ~5 µs when cross-origin isolated, else 100 µs.
    crossOriginIsolated: q.isolated,
    // Per query: time of the first run, results found, first ten ids.
    each: corpus.queries.map((cq, i) => ({ id: cq.id, ms: round(q.first[i].ms, 3), total: q.first[i].total, top: q.first[i].ids })),
  };
  if (corpus.qrels) {
    const rankings = Object.fromEntries(corpus.queries.map((cq, i) => [cq.id, q.ranks[i]]));
    const s = evaluate(rankings, corpus.qrels);
    r.quality = { queries: s.queries, ndcg10: round(s.ndcg10, 4), map: round(s.map, 4), p10: round(s.p10, 4), depth: 100 };
  }
  // Seeds: the share of each query's expected documents among its first ten.
  const expecting = corpus.queries.filter((cq) => cq.expect);
  if (expecting.length) {
    let found = 0;
    let all = 0;
    let full = 0;
    corpus.queries.forEach((cq, i) => {
      if (!cq.expect) return;
      const got = cq.expect.filter((id) => q.first[i].ids.includes(id)).length;
      found += got;
      all += cq.expect.length;
      if (got === cq.expect.length) full++;
    });
    r.expected = { found, of: all, queriesFull: full, queries: expecting.length };
  }
  return problems;
}
