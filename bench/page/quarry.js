// Quarry through its documented JS API: Quarry.open(folder), then
// q.search(text, {limit, complete}) -> {total, hits: [{id, title, url, excerpt}]}.
// complete: true because the whole query is known (no prefix completion
// of the last word); facets: false as the <quarry-search> widget asks.
import { Quarry } from '/quarry/quarry.js';

let q;

export async function open() {
  q = await Quarry.open('/quarry/');
}

export async function search(text, k) {
  const res = await q.search(text, { limit: k, complete: true, facets: false });
  return { total: res.total, hits: res.hits };
}

export async function rank(text, depth) {
  const res = await q.search(text, { limit: depth, complete: true, facets: false, excerpt: false });
  return res.hits.map((h) => h.id);
}
