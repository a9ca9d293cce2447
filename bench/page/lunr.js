// lunr 2.3.9 as its guide intends for prebuilt indexes: lunr.min.js in a
// <script>, the index serialized in Node and loaded with lunr.Index.load;
// idx.search(text) parses lunr's query syntax. Titles come from a small
// id -> [title, url] store shipped in the same JSON (lunr returns refs only).
let idx;
let store;

export async function open() {
  const res = await fetch('lunr-index.json');
  if (!res.ok) throw new Error('lunr-index.json: HTTP ' + res.status);
  const data = await res.json();
  idx = lunr.Index.load(data.index);
  store = data.store;
}

// A query lunr's parser refuses (e.g. "title:" with no term) finds nothing.
function run(text) {
  try {
    return { results: idx.search(text) };
  } catch (err) {
    if (err instanceof lunr.QueryParseError) return { results: [], error: err.message };
    throw err;
  }
}

export async function search(text, k) {
  const { results, error } = run(text);
  return {
    total: results.length,
    error,
    hits: results.slice(0, k).map((r) => ({ id: r.ref, title: store[r.ref][0], url: store[r.ref][1] })),
  };
}

export async function rank(text, depth) {
  return run(text).results.slice(0, depth).map((r) => r.ref);
}
