// Pagefind through its JS API: import /pagefind/pagefind.js and init()
// (its documented way to load what every search needs ahead of the first
// one: the entry file, the language's metadata and its WebAssembly; a
// search would otherwise do the same first), search(q) (all matching page
// ids, scored), then .data() on the results shown, which loads each one's
// fragment (URL, title, excerpt). Default options.
let pf;

// Pages live at /d/<id>/ (see lib/corpora.mjs).
const idOf = (url) => decodeURIComponent(url.match(/\/d\/([^/]+)\//)[1]);

export async function open() {
  pf = await import('/pagefind/pagefind.js');
  await pf.init();
}

export async function search(text, k) {
  const s = await pf.search(text);
  const data = await Promise.all(s.results.slice(0, k).map((r) => r.data()));
  return {
    total: s.results.length,
    hits: data.map((d) => ({ id: idOf(d.url), title: d.meta.title, url: d.url, excerpt: d.excerpt })),
  };
}

export async function rank(text, depth) {
  const s = await pf.search(text);
  const data = await Promise.all(s.results.slice(0, depth).map((r) => r.data()));
  return data.map((d) => idOf(d.url));
}
