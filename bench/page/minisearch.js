// MiniSearch 7.2 as its README intends for prebuilt indexes: the index
// built and JSON.stringify'd in Node, shipped, and restored with
// MiniSearch.loadJSON and the same options; default search options (OR of
// the terms, no prefix or fuzzy matching). Title and URL are stored fields.
import MiniSearch from './minisearch.min.js';

const OPTIONS = { fields: ['title', 'body'], storeFields: ['title', 'url'] };
let ms;

export async function open() {
  const res = await fetch('minisearch-index.json');
  if (!res.ok) throw new Error('minisearch-index.json: HTTP ' + res.status);
  ms = MiniSearch.loadJSON(await res.text(), OPTIONS);
}

export async function search(text, k) {
  const results = ms.search(text);
  return { total: results.length, hits: results.slice(0, k).map((r) => ({ id: String(r.id), title: r.title, url: r.url })) };
}

export async function rank(text, depth) {
  return ms.search(text).slice(0, depth).map((r) => String(r.id));
}
