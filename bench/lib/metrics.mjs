// Ranking quality from graded judgements, as Quarry's internal/eval
// computes it. A ranking is the list of returned document ids in order; a
// judgement set maps doc id -> gain (0 = not relevant).

/**
 * Cranfield grade -> gain: 5 - grade for grades 1 (complete answer) to 4
 * (minimum interest); anything else, including the -1 each query gives
 * its source paper, is 0.
 */
export function cranfieldGain(grade) {
  return grade >= 1 && grade <= 4 ? 5 - grade : 0;
}

/**
 * Grade -> gain for collections whose grades already are gains (CACM:
 * binary, every judged document grade 1): the grade itself, 0 below 1.
 */
export function gradeGain(grade) {
  return grade > 0 ? grade : 0;
}

/**
 * nDCG@k: sum of gain / log2(rank + 1) over the first k ranks, divided by
 * the same sum for the ideal ordering of all judged gains. 0 when the
 * query has no relevant document.
 */
export function ndcg(ranked, judged, k = 10) {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    dcg += (judged[id] || 0) / Math.log2(i + 2);
  });
  const ideal = Object.values(judged)
    .filter((g) => g > 0)
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((s, g, i) => s + g / Math.log2(i + 2), 0);
  return ideal ? dcg / ideal : 0;
}

/**
 * Average precision: mean over the relevant documents (gain > 0) of the
 * precision at the rank where each is found; one never found adds 0.
 */
export function averagePrecision(ranked, judged) {
  const relevant = Object.values(judged).filter((g) => g > 0).length;
  if (!relevant) return 0;
  let hits = 0;
  let sum = 0;
  ranked.forEach((id, i) => {
    if ((judged[id] || 0) > 0) {
      hits++;
      sum += hits / (i + 1);
    }
  });
  return sum / relevant;
}

/** P@k: the fraction of the first k ranks holding a relevant document. */
export function precisionAt(ranked, judged, k = 10) {
  return ranked.slice(0, k).filter((id) => (judged[id] || 0) > 0).length / k;
}

/**
 * Means over queries: rankings maps query id -> ranked ids, qrels maps
 * query id -> judgements. Every query in rankings counts (one without
 * judgements scores 0). MAP is the mean average precision.
 */
export function evaluate(rankings, qrels) {
  const ids = Object.keys(rankings);
  const mean = (f) => (ids.length ? ids.reduce((s, q) => s + f(rankings[q], qrels[q] || {}), 0) / ids.length : 0);
  return {
    queries: ids.length,
    ndcg10: mean((r, j) => ndcg(r, j, 10)),
    map: mean(averagePrecision),
    p10: mean((r, j) => precisionAt(r, j, 10)),
    zeroResults: ids.filter((q) => rankings[q].length === 0).length,
  };
}
