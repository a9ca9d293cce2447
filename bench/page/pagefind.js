// Pagefind through its JS API: import /pagefind/pagefind.js, search(q)
// (all matching page ids, scored), then .data() on the results shown,
// which loads each one's fragment (URL, title, excerpt). Default options.
// preload() is only called by the open-only load that measures the head:
// init() is Pagefind's documented way to load what every search needs
// ahead of the first one (the entry file, the language's metadata and its
// WebAssembly); it starts that loading and returns at once, so the harness
// waits for the network to be quiet.
let pf;

// Pages live at /d/<id>/ (see lib/corpora.mjs): in a folder named
// encodeURIComponent(id) on disk ("a%2Fb" for the id "a/b"), a name that
// Pagefind percent-encodes once more in its URLs ("a%252Fb").
const idOf = (url) => decodeURIComponent(decodeURIComponent(url.match(/\/d\/([^/]+)\//)[1]));

export async function open() {
  pf = await import('/pagefind/pagefind.js');
}

export async function preload() {
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
