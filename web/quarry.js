// Quarry: full-text search for static sites, running in the browser.
//
//   <script type="module" src="/quarry/quarry.js"></script>
//   <quarry-search index="/quarry/"></quarry-search>
//
// or, for a custom interface:
//
//   import {Quarry} from "/quarry/quarry.js";
//   const q = await Quarry.open("/quarry/");
//   const res = await q.search("alipay", {limit: 10});
//
// The engine (Go compiled to WebAssembly) runs in a Web Worker; this file
// only talks to it. See web/README.md for attributes, parts and theming.

const VERSION = '0.1.0';
// The engine and worker files this copy was shipped with ({wasm, worker}),
// written in by the build (internal/site): both start with the manifest's
// download instead of after it (README, "Delivery").
const ENGINE = /*quarry:engine*/ null;
const DEFAULT_INDEX = '/quarry/';
const DEBOUNCE_MS = 80;
// How long after the first results the rest of a small index is fetched
// (prefetch): the page's own work on them (layout, images) goes first, and
// a person reads them for longer than this.
const PREFETCH_DELAY_MS = 300;

const SENTENCES = {
  network: 'Search is unavailable: its files could not be downloaded; check your connection.',
  'missing-manifest': 'Search is unavailable: no search index was found at this address.',
  'missing-index': 'Search is unavailable: the search index is missing.',
  'missing-wasm': 'Search is unavailable: the search engine file is missing.',
  'bad-wasm': 'Search is unavailable: the search engine file is damaged; rebuild the site.',
  http: 'Search is unavailable: the server did not send its files.',
  manifest: 'Search is unavailable: its settings file is damaged; rebuild the site.',
  csp: "Search is unavailable: this page's security policy does not allow WebAssembly.",
  wasm: 'Search is unavailable: this browser could not start the search engine.',
  worker: 'Search is unavailable: this browser could not start the search engine.',
  exited: 'Search stopped unexpectedly; it restarts with your next search.',
};

/** An error with one plain sentence (message), a code and a technical detail. */
export class QuarryError extends Error {
  constructor(message, code, detail) {
    super(message);
    this.name = 'QuarryError';
    this.code = code;
    this.detail = detail || message;
  }
}

function failure(code, detail) {
  return new QuarryError(SENTENCES[code] || SENTENCES.wasm, code, detail);
}

// Resolves the index attribute to the manifest's location: a folder URL
// (trailing slash added) or "#id" of an inline manifest element.
function resolveBase(index) {
  if (index.startsWith('#')) return index;
  const u = new URL(index, document.baseURI);
  if (!u.pathname.endsWith('/') && !u.pathname.endsWith('.json')) u.pathname += '/';
  return u.href;
}

async function loadManifest(base) {
  if (base.startsWith('#')) {
    const el = document.getElementById(base.slice(1));
    if (!el) throw failure('missing-manifest', 'no element ' + base);
    try {
      return JSON.parse(el.textContent);
    } catch (err) {
      throw failure('manifest', base + ': ' + err.message);
    }
  }
  const url = base.endsWith('.json') ? base : base + 'quarry.json';
  let res;
  try {
    res = await fetch(url);
  } catch (err) {
    throw failure('network', url + ': ' + err.message);
  }
  if (!res.ok) throw failure(res.status === 404 ? 'missing-manifest' : 'http', url + ': HTTP ' + res.status);
  try {
    const m = await res.json();
    if (!m.wasm || !m.index || !m.worker) throw new Error('wasm, index or worker missing');
    return m;
  } catch (err) {
    throw failure('manifest', url + ': ' + err.message);
  }
}

// element returns the inline element a "#id" manifest entry names.
function element(ref) {
  const el = document.getElementById(ref.slice(1));
  if (!el) throw failure('manifest', 'no element ' + ref);
  return el;
}

async function get(url, what, signal) {
  let res;
  try {
    res = await fetch(url, { signal });
  } catch (err) {
    throw failure('network', what + ' ' + url + ': ' + err.message);
  }
  if (!res.ok) throw failure(res.status === 404 || res.status === 410 ? 'missing-' + what : 'http', what + ' ' + url + ': HTTP ' + res.status);
  return res;
}

// Decodes an inline element's base64 text (gzip-compressed when its
// data-encoding says so) into an ArrayBuffer.
async function inline(ref) {
  const el = element(ref);
  const bin = atob(el.textContent.trim());
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  if (el.dataset.encoding !== 'gzip') return bytes.buffer;
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
}

function loadIndex(base, name) {
  if (name.startsWith('#')) return inline(name);
  return get(new URL(name, base).href, 'index').then((r) => r.arrayBuffer());
}

function wasmFailure(err) {
  if (err instanceof QuarryError) return err;
  const msg = String((err && err.message) || err);
  if (/Content Security Policy|unsafe-eval|wasm-eval/i.test(msg)) return failure('csp', msg);
  return failure(err instanceof WebAssembly.CompileError ? 'bad-wasm' : 'wasm', msg);
}

// Compiles the engine while it downloads (compileStreaming). A server that
// sends a wrong Content-Type makes streaming refuse the response; the
// bytes are then compiled from an ArrayBuffer instead.
async function loadModule(base, name, signal) {
  try {
    if (name.startsWith('#')) return await WebAssembly.compile(await inline(name));
    const url = new URL(name, base).href;
    const res = await get(url, 'wasm', signal);
    const type = (res.headers.get('Content-Type') || '').split(';')[0].trim().toLowerCase();
    if (type === 'application/wasm' && WebAssembly.compileStreaming) {
      try {
        return await WebAssembly.compileStreaming(res);
      } catch (err) {
        if (!(err instanceof TypeError)) throw err;
      }
      return await WebAssembly.compile(await (await get(url, 'wasm', signal)).arrayBuffer());
    }
    return await WebAssembly.compile(await res.arrayBuffer());
  } catch (err) {
    throw wasmFailure(err);
  }
}

// A minimal worker stand-in that runs the worker code on the page, used
// when the browser refuses to start a worker (some file:// setups).
function pageHost(code) {
  const listeners = { message: [], error: [] };
  const host = {
    addEventListener: (type, fn) => listeners[type] && listeners[type].push(fn),
    postMessage(m) {
      globalThis.__quarryHost(m, (data) => listeners.message.forEach((fn) => fn({ data })));
    },
    terminate() {},
  };
  if (!globalThis.__quarryHost) {
    const s = document.createElement('script');
    s.textContent = code;
    document.head.appendChild(s);
    if (!globalThis.__quarryHost) throw new Error('worker code did not load on the page');
  }
  return host;
}

function startWorker(manifest, base) {
  if (manifest.worker.startsWith('#')) {
    const code = element(manifest.worker).textContent;
    try {
      return new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
    } catch (err) {
      return pageHost(code);
    }
  }
  const url = new URL(manifest.worker, base).href;
  try {
    return new Worker(url);
  } catch (err) {
    // Cross-origin worker scripts (a CDN) must be started from a same-origin blob.
    if (err && err.name === 'SecurityError') {
      const boot = 'importScripts(' + JSON.stringify(url) + ')';
      return new Worker(URL.createObjectURL(new Blob([boot], { type: 'text/javascript' })));
    }
    throw failure('worker', url + ': ' + err.message);
  }
}

// workerFailure is the failure a worker's error event stands for (the
// event is handled here: the browser does not report it again).
function workerFailure(e) {
  e.preventDefault && e.preventDefault();
  return failure('worker', 'worker error: ' + (e.message || 'script failed to load'));
}

// earlyWorker starts ENGINE's worker before the manifest arrives, to start
// up while the engine compiles (README, "Delivery"), keeping its failures
// until the manifest says it is the one (adopt). Null where it cannot
// start: the worker then starts after the manifest.
function earlyWorker(b) {
  let worker;
  try {
    worker = new Worker(new URL(ENGINE.worker, b).href);
  } catch (err) {
    return null;
  }
  const errors = [];
  const onError = (e) => errors.push(workerFailure(e));
  worker.addEventListener('error', onError);
  return {
    worker,
    name: ENGINE.worker,
    stop: () => worker.terminate(),
    adopt() {
      worker.removeEventListener('error', onError);
      return errors;
    },
  };
}

const shared = new Map();

// The browser asks to spare the network: nothing is fetched ahead.
function saveData() {
  const c = navigator.connection;
  return !!c && (c.saveData === true || /(^|-)2g$/.test(c.effectiveType || ''));
}

/** A loaded search index. */
export class Quarry {
  /**
   * Loads the engine and the index described by the manifest at base (a
   * folder URL such as "/quarry/", or "#id" of an inline manifest).
   * Resolves once searches can run; rejects with a QuarryError.
   * opts.prefetch: see web/README.md.
   */
  static async open(base = DEFAULT_INDEX, opts = {}) {
    const b = resolveBase(base);
    // ENGINE's engine and worker start now; used if the manifest names them.
    const ctl = new AbortController();
    const ahead = ENGINE && !b.startsWith('#');
    const early = ahead ? loadModule(b, ENGINE.wasm, ctl.signal) : null;
    early?.catch(() => {});
    const pre = ahead ? earlyWorker(b) : null;
    let manifest;
    try {
      manifest = await loadManifest(b);
    } catch (err) {
      ctl.abort();
      pre?.stop();
      throw err;
    }
    const mine = early && manifest.wasm === ENGINE.wasm;
    if (!mine) ctl.abort();
    // The worker starts up while the page downloads the index and the
    // engine (compiled as it arrives); both are then handed over.
    let worker;
    let errors = [];
    if (pre && manifest.worker === pre.name) {
      worker = pre.worker;
      errors = pre.adopt();
    } else {
      pre?.stop();
      try {
        worker = startWorker(manifest, b);
      } catch (err) {
        ctl.abort();
        throw err instanceof QuarryError ? err : failure('worker', err.message);
      }
    }
    const q = new Quarry(worker, manifest);
    if (errors.length) q._failAll(errors[0]);
    const module = (mine ? early : loadModule(b, manifest.wasm)).then((m) => worker.postMessage({ op: 'module', module: m }));
    const index = loadIndex(b, manifest.index).then((buf) => worker.postMessage({ op: 'index', index: buf }, [buf]));
    try {
      // Text files (excerpts' text) are fetched by the worker next to the index.
      const texts = manifest.index.startsWith('#') ? '' : new URL(manifest.index, b).href;
      q._prefetch = opts.prefetch !== false && !saveData();
      [q.info] = await Promise.all([q._call({ op: 'open', texts }), module, index]);
      return q;
    } catch (err) {
      q.close();
      throw err;
    }
  }

  /** Like open, but one shared instance per base for the whole page. */
  static shared(base = DEFAULT_INDEX, opts = {}) {
    const b = resolveBase(base);
    if (!shared.has(b)) {
      const p = Quarry.open(b, opts);
      shared.set(b, p);
      // A failed or stopped instance is forgotten: the next call opens a
      // fresh one (a new worker).
      const forget = () => shared.get(b) === p && shared.delete(b);
      p.then((q) => (q._forget = forget), forget);
    }
    return shared.get(b);
  }

  constructor(worker, manifest) {
    this.manifest = manifest;
    this.info = null;
    this._worker = worker;
    this._next = 1;
    this._pending = new Map();
    worker.addEventListener('message', (e) => this._receive(e.data));
    worker.addEventListener('error', (e) => this._failAll(workerFailure(e)));
  }

  /**
   * Searches; resolves to the engine's response (`quarry query --json`).
   * Options, response and filters: web/README.md, "The JS API".
   */
  search(query, opts = {}) {
    // A filter type the index does not have is a mistake in the caller's
    // code: say which, rather than the engine's generic sentence.
    const known = (this.info && this.info.facet_fields) || [];
    const unknown = Object.keys(opts.filters || {}).filter((t) => !known.includes(t));
    if (this.info && unknown.length) {
      const has = known.length ? 'it has ' + known.join(', ') : 'it has none';
      return Promise.reject(new QuarryError(`Unknown filter type ${unknown.map((t) => JSON.stringify(t)).join(', ')}: this index cannot filter by it (${has}).`, 'filter'));
    }
    const req = { q: clipQuery(String(query)) };
    if (opts.limit) req.limit = opts.limit;
    if (opts.offset) req.offset = opts.offset;
    if (opts.complete) req.complete = true;
    if (opts.excerpt === false) req.no_excerpt = true;
    if (opts.facets === false) req.no_facets = true;
    if (opts.filters) req.filters = opts.filters;
    if (opts.filterModes) req.filter_modes = opts.filterModes;
    const p = this._call({ op: 'search', request: req });
    if (this._prefetch) {
      this._prefetch = false;
      const ask = () => !this._dead && this._worker.postMessage({ op: 'prefetch' });
      p.then(() => setTimeout(ask, PREFETCH_DELAY_MS), () => (this._prefetch = true));
    }
    return p;
  }

  /** Stops the worker. */
  close() {
    this._stop(failure('exited', 'closed'));
  }

  // The engine has stopped (the Go program exited, e.g. out of memory) or
  // was closed: every call fails with err from now on, the worker is
  // ended and a shared instance forgotten, so that the next
  // Quarry.shared() starts a fresh worker.
  _stop(err) {
    this._worker.terminate();
    this._failAll(err);
    if (this._forget) this._forget();
  }

  _call(msg) {
    return new Promise((resolve, reject) => {
      if (this._dead) return reject(this._dead);
      msg.id = this._next++;
      this._pending.set(msg.id, { resolve, reject });
      this._worker.postMessage(msg);
    });
  }

  _receive(m) {
    const p = this._pending.get(m.id);
    if (!p) return;
    this._pending.delete(m.id);
    if (m.fail) {
      const err = failure(m.fail.code, m.fail.detail);
      p.reject(err);
      if (m.fail.code === 'exited') this._stop(err);
      return;
    }
    const out = m.ok;
    if (!out || typeof out !== 'object') return p.reject(failure('wasm', 'bad engine output'));
    if (out.error) return p.reject(new QuarryError(out.error, out.code, out.detail));
    p.resolve(out);
  }

  _failAll(err) {
    this._dead = err;
    for (const p of this._pending.values()) p.reject(err);
    this._pending.clear();
  }
}

// ---- rendering helpers -------------------------------------------------

function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const k in attrs || {}) {
    if (attrs[k] === false || attrs[k] == null) continue;
    el.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
  }
  for (const kid of kids) if (kid != null) el.append(kid);
  return el;
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

// Decodes the character references html.EscapeString produces (and a few
// more); anything unknown stays as written. The result is only ever used
// as text.
export function decodeEntities(s) {
  return s.replace(/&(#[0-9]+|#x[0-9a-f]+|[a-z]+);/gi, (all, ref) => {
    if (ref[0] === '#') {
      const n = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : all;
    }
    const v = ENTITIES[ref.toLowerCase()];
    return v === undefined ? all : v;
  });
}

/**
 * Turns an engine excerpt (escaped text plus <mark> and </mark>) into DOM
 * nodes: text nodes and <mark> elements only. No HTML is ever parsed.
 */
export function excerptNodes(excerpt) {
  const out = [];
  let mark = null;
  for (const piece of String(excerpt).split(/(<mark>|<\/mark>)/)) {
    if (piece === '<mark>') {
      if (!mark) mark = h('mark', { part: 'mark' });
    } else if (piece === '</mark>') {
      if (mark) out.push(mark);
      mark = null;
    } else if (piece) {
      const text = document.createTextNode(decodeEntities(piece));
      if (mark) mark.append(text);
      else out.push(text);
    }
  }
  if (mark) out.push(mark);
  return out;
}

// The engine reads at most 4096 bytes of a query (and says so in the
// response's notice); longer input is cut here first, so that a pasted
// megabyte is neither copied to the worker nor refused as a request —
// at twice the engine's limit, so that the engine still sees a query too
// long and its notice still says what was cut.
const MAX_QUERY_CHARS = 8192;

function clipQuery(q) {
  if (q.length <= MAX_QUERY_CHARS) return q;
  const cut = q.slice(0, MAX_QUERY_CHARS);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}

// quoted shows a query in the status line: cut to 200 characters, in
// quotes, and wrapped in Unicode isolates (U+2068 … U+2069) so that bidi
// controls it contains (U+202E...) cannot reorder the text around it.
function quoted(q) {
  const chars = Array.from(q.length > 800 ? q.slice(0, 800) : q);
  const shown = chars.length > 200 ? chars.slice(0, 200).join('') + '…' : q;
  return '\u2068“' + shown + '”\u2069';
}

/** Returns url when it is relative or http(s), else null (never a link). */
export function safeURL(url) {
  if (typeof url !== 'string' || url === '') return null;
  try {
    const u = new URL(url, 'https://relative.invalid/');
    return u.protocol === 'https:' || u.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

// A notice about files of the index that could not be loaded names them
// in parentheses (file, URL, reason): that is for the site's owner (the
// widget logs it), not for the visitor. plainNotice returns the notice
// without such details, and whether it dropped any.
const INDEX_FILE = /\.[0-9a-f]{12}\.(qpt|qps|qtx)\b/;

function plainNotice(notice) {
  let out = '';
  let i = 0;
  let dropped = false;
  for (;;) {
    const open = notice.indexOf(' (', i);
    if (open < 0) break;
    let depth = 0;
    let end = open + 1;
    for (; end < notice.length; end++) {
      if (notice[end] === '(') depth++;
      else if (notice[end] === ')' && --depth === 0) break;
    }
    if (end >= notice.length) break; // unbalanced: keep the rest as it is
    if (INDEX_FILE.test(notice.slice(open, end))) {
      out += notice.slice(i, open);
      dropped = true;
    } else {
      out += notice.slice(i, end + 1);
    }
    i = end + 1;
  }
  return { text: out + notice.slice(i), dropped };
}

// ---- URL state ----------------------------------------------------------
//
// The hash holds the query and the filters: #q=alipay&f=org:Tencent&f=place:China
// (and, in the single file, doc=PATH while a document is shown).
// Each f is TYPE:VALUE, the value being everything after the first colon;
// both are URL-encoded except for ":" and "," (kept readable), so values
// holding ":", ",", "&", "=", "+", "#" or "%" round-trip. Other parameters
// (#lang=en) are kept; a plain anchor (#intro) is replaced.

function enc(s) {
  return encodeURIComponent(s).replace(/%20/g, '+').replace(/%3A/gi, ':').replace(/%2C/gi, ',');
}

/** Reads {q, filters: Map(type -> [values])} from a URL hash. */
export function parseState(hash) {
  const p = new URLSearchParams(String(hash).replace(/^#/, ''));
  const filters = new Map();
  for (const f of p.getAll('f')) {
    const i = f.indexOf(':');
    if (i <= 0 || i === f.length - 1) continue;
    const t = f.slice(0, i);
    const v = f.slice(i + 1);
    const vs = filters.get(t) || [];
    if (!vs.includes(v)) vs.push(v);
    filters.set(t, vs);
  }
  return { q: p.has('q') ? p.get('q') : null, filters, doc: p.get('doc') };
}

/**
 * Returns hash (with its "#") updated to hold q and filters, and doc (the
 * document shown by the single file's viewer) when given.
 */
export function stateHash(hash, q, filters, doc) {
  const p = new URLSearchParams(String(hash).replace(/^#/, ''));
  const out = [];
  if (q) out.push('q=' + enc(q));
  for (const [t, vs] of filters) for (const v of vs) out.push('f=' + enc(t + ':' + v));
  if (doc) out.push('doc=' + enc(doc));
  // A hash without parameters is an ordinary anchor, not our state:
  // replace it.
  if (String(hash).includes('=')) {
    p.delete('q');
    p.delete('f');
    p.delete('doc');
    const rest = p.toString();
    if (rest) out.push(rest);
  }
  return out.length ? '#' + out.join('&') : '';
}

export function queryFromHash() {
  return parseState(location.hash).q;
}

// ---- facets -------------------------------------------------------------

// Facet types in display order, with their group and chip labels; other
// types (front-matter taxonomies) follow alphabetically.
const TYPES = {
  person: ['People', 'Person'], org: ['Organizations', 'Organization'], place: ['Places', 'Place'],
  product: ['Products', 'Product'], event: ['Events', 'Event'], tags: ['Tags', 'Tag'],
  categories: ['Categories', 'Category'], authors: ['Authors', 'Author'], keywords: ['Keywords', 'Keyword'],
};
const ORDER = Object.keys(TYPES).slice(0, 5);
const VALUES_SHOWN = 6;

/** The label of a facet type: plural for its group, singular for a chip. */
export function typeLabel(type, one) {
  if (TYPES[type]) return TYPES[type][one ? 1 : 0];
  const s = type.replace(/[_-]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function typeRank(t) {
  const i = ORDER.indexOf(t);
  return i < 0 ? ORDER.length : i;
}

// fold makes filtering a group's values case- and accent-insensitive.
function fold(s) {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

function plural(n, one, many) {
  return count(n) + ' ' + (n === 1 ? one : many);
}

// count groups digits English style ("12,345"), as the sentences are
// English; toLocaleString's first call loads ICU: 80 ms cold (README).
function count(n) {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

// ---- the <quarry-search> element ----------------------------------------
//
// The element wires small parts together: Results (the listbox), Filters
// (facet groups and chips), Popover (the header layout's panel) and
// DocView (the single file's document viewer).

let counter = 0;
// Sections shown under a hit (hit.sections, best first).
const SECTIONS_SHOWN = 3;

function editable(el) {
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

// Results is the listbox. Each hit is an option (the link itself); a hit
// with matching sections (hit.sections) becomes a group of its option and
// one option per section. The active option looks selected; it is the
// box's aria-activedescendant while the box has focus, and the one option
// in the Tab order (roving tabindex): Tab from the box lands on it, arrows
// then move the focus from option to option.
class Results {
  constructor(w, id) {
    this.w = w;
    this.id = id;
    this.opts = [];
    this.active = -1;
    const el = (this.el = h('div', { id, role: 'listbox', part: 'results', class: 'q-results', 'aria-label': 'Search results', hidden: true }));
    // A click keeps the focus in the box; the link opens on click.
    el.addEventListener('mousedown', (e) => e.preventDefault());
    el.addEventListener('click', (e) => e.target.closest('a[role=option]') && w._picked());
    el.addEventListener('focusin', (e) => {
      const i = this.opts.indexOf(e.target);
      if (i >= 0 && i !== this.active) this.set(i, true);
    });
    // Focus gone elsewhere than the box or another option: nothing looks selected.
    el.addEventListener('focusout', (e) => this.opts.includes(e.relatedTarget) || e.relatedTarget === w.input || this.set(-1));
    el.addEventListener('keydown', (e) => this.key(e));
  }

  render(hits) {
    this.opts = [];
    this.active = -1;
    const items = hits.map((hit, i) => {
      // A hit whose text file could not be loaded or was damaged has no
      // title nor link (they live in that file): one sentence says so.
      if (lost(hit)) return this.option(null, 'result', h('span', { part: 'excerpt', class: 'q-excerpt q-excerpt-error' }, 'This result could not be loaded.'));
      const tid = this.id + '-t' + i;
      const subs = Array.isArray(hit.sections) ? hit.sections.slice(0, SECTIONS_SHOWN) : [];
      const main = this.option(hit.url, 'result',
        h('span', { part: 'title', class: 'q-title', id: tid }, hit.title || hit.url || hit.id),
        // Today's engine links a hit to its best section: name it.
        hit.section && !subs.length ? h('span', { part: 'section', class: 'q-section' }, hit.section) : null,
        excerptOf(hit));
      if (!subs.length) return main;
      const group = h('div', { role: 'group', class: 'q-hit', part: 'hit', 'aria-labelledby': tid }, main);
      for (const s of subs) {
        group.append(this.option(s.url, 'result section',
          h('span', { part: 'heading', class: 'q-heading' }, s.heading || s.url || ''), excerptOf(s)));
      }
      return group;
    });
    this.el.replaceChildren(...items);
    this.el.hidden = !items.length;
    this.set(-1);
  }

  option(url, part, ...kids) {
    const attrs = { id: this.id + '-' + this.opts.length, role: 'option', 'aria-selected': 'false', part, class: part === 'result' ? 'q-result' : 'q-result q-sub', tabindex: '-1' };
    const href = this.w._href(url);
    const opt = href ? h('a', { href, ...attrs }, ...kids) : h('div', attrs, ...kids);
    this.opts.push(opt);
    return opt;
  }

  clear() {
    this.opts = [];
    this.el.replaceChildren();
    this.el.hidden = true;
    this.set(-1);
  }

  // set makes option i the active one (-1: none). With focus the option
  // takes the keyboard focus, else the box points at it.
  set(i, focus) {
    const input = this.w.input;
    const old = this.opts[this.active];
    if (old) old.setAttribute('aria-selected', 'false');
    this.active = this.opts[i] ? i : -1;
    const opt = this.opts[this.active];
    this.opts.forEach((o, k) => (o.tabIndex = k === Math.max(this.active, 0) ? 0 : -1));
    input.removeAttribute('aria-activedescendant');
    if (!opt) return;
    opt.setAttribute('aria-selected', 'true');
    if (focus) opt.focus();
    else input.setAttribute('aria-activedescendant', opt.id);
    opt.scrollIntoView({ block: 'nearest' });
  }

  // move steps from the box: ↓ after the last and ↑ before the first wrap.
  move(d) {
    const n = this.opts.length;
    if (n) this.set(d > 0 ? (this.active + 1) % n : this.active <= 0 ? n - 1 : this.active - 1);
  }

  // key: the keyboard on a focused option.
  key(e) {
    const n = this.opts.length;
    let i = -2;
    if (e.key === 'ArrowDown') i = Math.min(this.active + 1, n - 1);
    else if (e.key === 'ArrowUp') i = this.active - 1;
    else if (e.key === 'Home') i = 0;
    else if (e.key === 'End') i = n - 1;
    else if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) return this.w.input.focus(); // typing goes to the box
    if (i === -2) return;
    e.preventDefault();
    if (i >= 0) return this.set(i, true);
    this.w.input.focus(); // ↑ on the first option
    this.set(-1);
  }
}

function lost(hit) {
  return !!hit.excerpt_error && !hit.title && !hit.url && !hit.id;
}

function excerptOf(x) {
  if (x.excerpt) return h('span', { part: 'excerpt', class: 'q-excerpt' }, ...excerptNodes(x.excerpt));
  // The text file holding this excerpt could not be loaded or was
  // damaged (excerpt_error has the detail): say so, keep the link.
  if (x.excerpt_error) return h('span', { part: 'excerpt', class: 'q-excerpt q-excerpt-error' }, 'Excerpt unavailable.');
  return null;
}

// Filters is the facet panel (one fieldset per type, a "Filters (N)"
// toggle on narrow widgets) and the chips of the selected values. The
// selection itself lives in the element (w._filters).
class Filters {
  constructor(w, id) {
    this.w = w;
    this.id = id;
    this.groups = new Map();
    this.chipEls = new Map();
    this.chips = h('div', { role: 'group', 'aria-label': 'Selected filters', part: 'chips', class: 'q-chips', hidden: true });
    this.toggle = h('button', { type: 'button', class: 'q-toggle', part: 'facets-toggle', 'aria-expanded': 'false', 'aria-controls': id }, 'Filters');
    this.box = h('div', { id, class: 'q-groups' });
    this.el = h('div', { role: 'group', 'aria-label': 'Filters', part: 'facets', class: 'q-facets', hidden: true }, this.toggle, this.box);
    this.toggle.addEventListener('click', () => {
      const open = this.toggle.getAttribute('aria-expanded') !== 'true';
      this.toggle.setAttribute('aria-expanded', open);
      this.el.classList.toggle('q-open', open);
    });
    this.clearAll = h('button', { type: 'button', class: 'q-clear', part: 'clear', 'aria-label': 'Clear all filters' }, 'Clear all');
    this.clearAll.addEventListener('click', () => this.unchip(this.clearAll, () => {
      w._filters = new Map();
      w._filtered();
    }));
  }

  // renderChips: one removable button per selected filter, then "Clear
  // all". Buttons are kept across renders so that focus stays on them.
  renderChips() {
    const w = this.w;
    const old = this.chipEls;
    const els = (this.chipEls = new Map());
    for (const [t, vs] of w._known()) {
      for (const v of vs) {
        const key = JSON.stringify([t, v]);
        let b = old.get(key);
        if (!b) {
          const name = typeLabel(t, true) + ': ' + v;
          b = h('button', { type: 'button', class: 'q-chip', part: 'chip', 'aria-label': 'Remove filter ' + name },
            h('span', null, name), h('span', { class: 'q-x', 'aria-hidden': 'true' }, '×'));
          b.addEventListener('click', () => this.unchip(b, () => w._toggle(t, v, false)));
        }
        els.set(key, b);
      }
    }
    const k = els.size;
    this.replace(this.chips, k ? [...els.values(), this.clearAll] : []);
    this.chips.hidden = !k;
    this.toggle.textContent = 'Filters' + (k ? ` (${k})` : '');
  }

  // replace sets parent's children to els unless they already are; the
  // focused element, blurred by being re-inserted, gets its focus back.
  replace(parent, els) {
    const kids = parent.children;
    if (els.length === kids.length && els.every((e, i) => kids[i] === e)) return;
    const had = this.w._root.activeElement;
    parent.replaceChildren(...els);
    if (had && had.isConnected && this.w._root.activeElement !== had) had.focus({ preventScroll: true });
  }

  // unchip runs remove, then keeps the keyboard focus nearby: on the chip
  // that took the removed one's place, else on the search box.
  unchip(b, remove) {
    const i = [...this.chips.children].indexOf(b);
    const focused = this.w._root.activeElement === b;
    remove();
    if (!focused) return;
    const next = this.chips.children[Math.min(i, this.chips.children.length - 1)];
    (next && !this.chips.hidden ? next : this.w.input).focus();
  }

  // types lists the types shown as groups: the facets attribute's list (in
  // its order), else the manifest's (quarry.yaml facets:), else all the
  // index's types, entities first.
  types() {
    const w = this.w;
    if (!w._facetsOn()) return [];
    const m = w._quarry && w._quarry.manifest;
    const attr = (w.getAttribute('facets') || '').split(/[\s,]+/).filter(Boolean);
    const want = attr.length ? attr : (m && m.facets) || [];
    if (want.length) return want.filter((t) => w._fields.includes(t));
    return w._fields.slice().sort((a, b) => typeRank(a) - typeRank(b) || (a < b ? -1 : a > b ? 1 : 0));
  }

  render(facets) {
    const types = this.types();
    this.el.hidden = !types.length || !facets;
    if (this.el.hidden) return;
    const els = [];
    for (const t of types) {
      const g = this.group(t);
      const vals = (facets[t] || []).slice();
      // A selected value no document has any more stays, with count 0.
      for (const v of this.w._filters.get(t) || []) if (!vals.some((x) => x.value === v)) vals.push({ value: v, count: 0 });
      g.values = vals;
      g.el.hidden = !vals.length;
      this.paint(g);
      els.push(g.el);
    }
    this.replace(this.box, els);
    // No group has a value for these results: no empty column either.
    this.el.hidden = els.every((e) => e.hidden);
  }

  repaint() {
    for (const g of this.groups.values()) if (g.values) this.paint(g);
  }

  // group returns the fieldset of one type, built once and kept so that
  // focus, the filter text and "Show more" survive new results.
  group(type) {
    let g = this.groups.get(type);
    if (g) return g;
    const id = this.id + '-' + this.groups.size;
    const label = typeLabel(type);
    g = { type, open: false, items: new Map() };
    g.find = h('input', {
      type: 'search', class: 'q-find', part: 'facet-filter', 'aria-controls': id, 'aria-label': 'Filter ' + label,
      placeholder: 'Filter ' + label.toLowerCase(), autocomplete: 'off', spellcheck: 'false',
    });
    g.list = h('div', { id, class: 'q-values' });
    g.none = h('p', { class: 'q-none' }, 'No match.');
    g.more = h('button', { type: 'button', class: 'q-more', part: 'facet-more', 'aria-controls': id, 'aria-expanded': 'false' });
    g.el = h('fieldset', { class: 'q-group', part: 'facet-group', 'data-type': type },
      h('legend', { class: 'q-legend', part: 'facet-legend' }, label), g.find, g.list, g.none, g.more);
    g.find.addEventListener('input', () => this.paint(g));
    g.find.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        // Enter selects the first value matching the text.
        e.preventDefault();
        const box = g.list.querySelector('input:not(:checked)');
        if (box) box.click();
      } else if (e.key === 'Escape' && g.find.value) {
        e.preventDefault();
        g.find.value = '';
        this.paint(g);
      }
    });
    g.more.addEventListener('click', () => {
      g.open = !g.open;
      this.paint(g);
    });
    this.groups.set(type, g);
    return g;
  }

  item(g, value) {
    let it = g.items.get(value);
    if (it) return it;
    const box = h('input', { type: 'checkbox', class: 'q-check' });
    const count = h('span', { class: 'q-count', part: 'facet-count', 'aria-hidden': 'true' });
    it = { box, count, el: h('label', { class: 'q-value', part: 'facet-value' }, box, h('span', { class: 'q-name' }, value), count) };
    box.addEventListener('change', () => this.w._toggle(g.type, value, box.checked));
    g.items.set(value, it);
    return it;
  }

  // paint shows a group's values: those matching its filter text, else
  // the first VALUES_SHOWN (all once "Show more" is pressed), and always
  // the selected ones.
  paint(g) {
    const sel = this.w._filters.get(g.type) || [];
    const n = +this.w.getAttribute('facet-values') || VALUES_SHOWN;
    const text = fold(g.find.value.trim());
    let matches = 0;
    const shown = g.values.filter((v) => {
      const m = !text || fold(v.value).includes(text);
      const show = m && (text || g.open || matches < n);
      if (m) matches++;
      return show || sel.includes(v.value);
    });
    const els = shown.map((v) => {
      const it = this.item(g, v.value);
      it.box.checked = sel.includes(v.value);
      it.box.setAttribute('aria-label', `${v.value} (${plural(v.count, 'result', 'results')})`);
      it.count.textContent = count(v.count);
      it.el.classList.toggle('q-zero', !v.count);
      return it.el;
    });
    this.replace(g.list, els);
    g.find.hidden = g.values.length <= n;
    g.none.hidden = !text || matches > 0;
    g.more.hidden = !!text || g.values.length <= n;
    g.more.textContent = g.open ? 'Show fewer' : 'Show ' + (g.values.length - shown.length) + ' more';
    g.more.setAttribute('aria-expanded', g.open);
  }
}

// Popover is the header layout: nothing but the box until there is
// something to show, then a panel over the page, anchored to the box and
// kept inside the viewport. Escape, a click or the focus outside close
// it. In the page layout (layout="page") the panel is in the page's flow
// and always open.
class Popover {
  constructor(w, panel) {
    this.w = w;
    this.panel = panel;
    this.on = w.getAttribute('layout') !== 'page';
    panel.hidden = this.on;
    this.onDown = (e) => e.composedPath().includes(w) || this.close();
    this.onResize = () => this.isOpen() && this.place();
  }

  listen(add) {
    const m = add ? 'addEventListener' : 'removeEventListener';
    document[m]('pointerdown', this.onDown);
    window[m]('resize', this.onResize);
  }

  isOpen() {
    return !this.panel.hidden;
  }

  open() {
    if (this.isOpen()) return;
    this.panel.hidden = false;
    this.place();
    this.w._expanded();
  }

  close() {
    if (!this.on || !this.isOpen()) return;
    this.panel.hidden = true;
    this.w.results.set(-1);
    this.w._expanded();
  }

  // place keeps the panel in the viewport: left-aligned with the box when
  // it fits, else moved left; as tall as the room below the box allows.
  place() {
    if (!this.on) return;
    const s = this.panel.style;
    const box = this.w.getBoundingClientRect();
    const vw = document.documentElement.clientWidth;
    const x = Math.max(8, Math.min(box.left, vw - 8 - this.panel.offsetWidth));
    s.left = Math.round(x - box.left) + 'px';
    s.maxHeight = Math.max(innerHeight - box.bottom - 16, 240) + 'px';
  }
}

// DocView shows a plain-text document of the single file, which has no
// file beside it to link to: the result links to #…&doc=PATH and the
// document shows in place of the results, with a link back to them.
class DocView {
  constructor(w) {
    this.w = w;
    this.back = h('a', { class: 'q-back', part: 'back' }, '← Back to the results');
    this.title = h('h2', { class: 'q-doc-title', part: 'document-title' });
    this.text = h('div', { class: 'q-doc-text', part: 'document-text' });
    this.el = h('article', { class: 'q-doc', part: 'document', hidden: true }, this.back, this.title, this.text);
  }

  // show displays doc (its [title, text]) or, with null, hides the view.
  show(doc) {
    this.el.hidden = !doc;
    if (!doc) return;
    const w = this.w;
    this.back.href = stateHash(location.hash, w.input.value, w._filters);
    this.title.textContent = doc[0];
    this.text.textContent = doc[1];
  }
}

// Decodes the single file's documents: {path: [title, text]}.
async function loadDocs(ref) {
  return new Map(Object.entries(JSON.parse(new TextDecoder().decode(await inline(ref)))));
}

/**
 * <quarry-search index="/quarry/" limit="10" placeholder="Search"
 * label="Search this site" facets="org,place" facet-values="6"
 * layout="page">. Renders the box at once; the engine loads when the page
 * is idle, on focus, or when a query is typed. Results and filter groups
 * open in a panel over the page, or stay in the page's flow with
 * layout="page".
 */
export class QuarrySearch extends HTMLElement {
  connectedCallback() {
    const first = !this._root;
    if (first) this._build();
    this._onKey = this._onKey || ((e) => this._shortcut(e));
    this._onNav = this._onNav || (() => this._restore());
    document.addEventListener('keydown', this._onKey);
    window.addEventListener('popstate', this._onNav);
    window.addEventListener('hashchange', this._onNav);
    this._pop.listen(true);
    if (!first) return;
    const st = parseState(location.hash);
    if ((st.q || st.filters.size || st.doc) && this._owner()) {
      this._restore();
    } else if ('requestIdleCallback' in window) {
      requestIdleCallback(() => this._preload(), { timeout: 2000 });
    } else {
      setTimeout(() => this._preload(), 300);
    }
  }

  disconnectedCallback() {
    document.removeEventListener('keydown', this._onKey);
    window.removeEventListener('popstate', this._onNav);
    window.removeEventListener('hashchange', this._onNav);
    this._pop.listen(false);
  }

  // Loads the engine while the page is idle, fills the facet groups
  // (counts over all documents) and runs one throwaway search so that the
  // browser compiles the search path (WebAssembly is compiled lazily,
  // function by function) before the first keystroke.
  _preload() {
    this._load().then((q) => {
      if (this._seq !== 0) return;
      this._search('', false);
      return q.search('e', { limit: 1, facets: this._facetsOn() });
    }).catch(() => {});
  }

  _build() {
    const id = 'quarry-' + ++counter;
    this._ids = { input: id + '-input', status: id + '-status' };
    this._seq = 0;
    this._committed = true;
    this._filters = new Map();
    const root = (this._root = this.attachShadow({ mode: 'open' }));
    const base = this.getAttribute('index') || DEFAULT_INDEX;
    const wrap = h('div', { class: 'q', part: 'container' });
    wrap.style.visibility = 'hidden';
    const show = () => (wrap.style.visibility = '');
    if (base.startsWith('#')) {
      const m = document.getElementById(base.slice(1));
      const css = m && JSON.parse(m.textContent).css;
      const el = css && document.getElementById(css.slice(1));
      if (el) {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(el.textContent);
        root.adoptedStyleSheets = [sheet];
      }
      show();
    } else {
      const link = h('link', { rel: 'stylesheet', href: new URL('quarry.css', resolveBase(base)).href });
      link.addEventListener('load', show);
      link.addEventListener('error', show);
      setTimeout(show, 1500);
      root.append(link);
    }
    this.input = h('input', {
      id: this._ids.input, type: 'search', part: 'input', class: 'q-input',
      role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
      'aria-controls': id + '-list', 'aria-describedby': this._ids.status,
      autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', enterkeyhint: 'search',
      placeholder: this.getAttribute('placeholder') || 'Search',
    });
    const label = h('label', { for: this._ids.input, part: 'label', class: 'q-label' }, this.getAttribute('label') || 'Search');
    this.form = h('form', { role: 'search', part: 'form', class: 'q-form', action: '' }, label, this.input);
    this.status = h('div', { id: this._ids.status, role: 'status', 'aria-live': 'polite', part: 'status', class: 'q-status' });
    this.results = new Results(this, id + '-list');
    this.facets = new Filters(this, id + '-groups');
    this.doc = new DocView(this);
    this.body = h('div', { class: 'q-body' }, this.results.el, this.facets.el);
    this.panel = h('div', { class: 'q-panel', part: 'panel' }, this.status, this.facets.chips, this.body, this.doc.el);
    this._pop = new Popover(this, this.panel);
    wrap.classList.toggle('q-pop', this._pop.on);
    wrap.append(this.form, this.panel);
    root.append(wrap);

    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this._commit();
    });
    this.input.addEventListener('input', () => this._typed());
    this.input.addEventListener('keydown', (e) => this._key(e));
    this.input.addEventListener('focus', (e) => {
      this._load();
      // Back from the panel (Escape) is no reason to open it again.
      if (!root.contains(e.relatedTarget)) this._reopen();
    });
    this.input.addEventListener('pointerdown', () => this._reopen());
    this.input.addEventListener('blur', (e) => this.results.opts.includes(e.relatedTarget) || this.results.set(-1));
    this.panel.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      e.preventDefault();
      this._escape(true);
    });
    // The focus leaving the widget for the page closes the panel.
    root.addEventListener('focusout', (e) => e.relatedTarget && !root.contains(e.relatedTarget) && this._pop.close());
  }

  /** The loaded Quarry (a promise), started on first use. */
  engine() {
    return this._load();
  }

  /** The selected filters, {type: [values]}, as sent to the engine. */
  get filters() {
    const out = {};
    for (const [t, vs] of this._known()) out[t] = vs.slice();
    return out;
  }

  _load() {
    if (!this._engine) {
      const opts = { prefetch: this.getAttribute('prefetch') !== 'none' };
      this._engine = Quarry.shared(this.getAttribute('index') || DEFAULT_INDEX, opts).then(async (q) => {
        // The single file's documents, shown by DocView.
        if (q.manifest.doc_text) this._docs = await loadDocs(q.manifest.doc_text).catch(() => null);
        this._ready = true;
        this._quarry = q;
        this._fields = (q.info && q.info.facet_fields) || [];
        return q;
      });
      this._engine.catch((err) => this._fail(err));
    }
    return this._engine;
  }

  // The first widget on the page owns the keyboard shortcut and the URL.
  _owner() {
    return document.querySelector('quarry-search') === this;
  }

  _shortcut(e) {
    if (!this._owner() || e.defaultPrevented || e.altKey) return;
    const slash = e.key === '/' && !e.ctrlKey && !e.metaKey;
    const k = (e.key === 'k' || e.key === 'K') && (e.ctrlKey || e.metaKey) && !e.shiftKey;
    if (!slash && !k) return;
    if (editable(document.activeElement)) return;
    e.preventDefault();
    this.input.focus();
    this.input.select();
  }

  _key(e) {
    const r = this.results;
    if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && r.opts.length) {
      e.preventDefault();
      this._reopen();
      r.move(e.key === 'ArrowDown' ? 1 : -1);
    } else if (e.key === 'Enter' && r.active >= 0) {
      e.preventDefault();
      const opt = r.opts[r.active];
      if (opt.href) {
        this._picked();
        opt.click();
      }
    } else if (e.key === 'Tab' && !e.shiftKey && r.active >= 0) {
      // Tab goes to the result that looks selected, not past it.
      e.preventDefault();
      r.set(r.active, true);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      this._escape(false);
    }
  }

  // _escape: the first Escape closes the header layout's panel (the
  // focus goes back to the box); in the box, it then clears the text, and
  // then leaves the box.
  _escape(inPanel) {
    if (this._pop.on && this._pop.isOpen()) {
      // Focus first: a focused result inside the panel being hidden would
      // leave the focus nowhere, and the box's focus would reopen it.
      this.input.focus();
      this._pop.close();
    } else if (inPanel) {
      this.input.focus();
    } else if (this.input.value) {
      this.input.value = '';
      this._typed();
    } else {
      this.input.blur();
    }
  }

  // A result was chosen: the search counts as finished (history).
  _picked() {
    this._committed = true;
    this._pop.close();
  }

  // _reopen shows the panel again when there is something in it.
  _reopen() {
    if (this._shown || (this.status.textContent && (this.input.value.trim() || this._filters.size))) this._pop.open();
  }

  _expanded() {
    const open = !this.results.el.hidden && (!this._pop.on || this._pop.isOpen());
    this.input.setAttribute('aria-expanded', open ? 'true' : 'false');
  }

  // _href is where a result links to: the document's own URL when it is
  // safe, or in the single file the viewer of its text.
  _href(url) {
    if (this._docs && this._docs.has(url)) return stateHash(location.hash, this.input.value, this._filters, url);
    return safeURL(url);
  }

  // Typing: search as you type, debounced; the URL follows with
  // replaceState, except that the first change after a committed search
  // gets its own history entry.
  _typed() {
    const q = this.input.value;
    this._setURL(!this._committed);
    this._committed = false;
    clearTimeout(this._timer);
    if (!q.trim() && !this._filters.size) this._search('', false);
    else this._timer = setTimeout(() => this._search(q, false), DEBOUNCE_MS);
  }

  // Enter without an active result: a complete query, its own history entry.
  _commit() {
    clearTimeout(this._timer);
    const q = this.input.value;
    this._setURL(!this._committed);
    this._committed = true;
    if (q.trim() || this._filters.size) this._search(q, true);
  }

  // A filter was selected or removed: a new history entry, and a search
  // with the query as it stands.
  _filtered() {
    clearTimeout(this._timer);
    this._setURL(false);
    this._committed = true;
    this.facets.renderChips();
    this.facets.repaint();
    // As after a reload of the URL, the last word also matches as a prefix.
    this._search(this.input.value, false);
  }

  _toggle(type, value, on) {
    const vs = (this._filters.get(type) || []).filter((v) => v !== value);
    if (on) vs.push(value);
    if (vs.length) this._filters.set(type, vs);
    else this._filters.delete(type);
    this._filtered();
  }

  async _restore() {
    if (!this._owner()) return;
    const st = parseState(location.hash);
    const q = st.q || '';
    this._committed = true;
    if (st.doc) await this._load().catch(() => {});
    const doc = (st.doc && this._docs && this._docs.get(st.doc)) || null;
    this.doc.show(doc);
    this.body.hidden = !!doc;
    if (doc) this._pop.open();
    const key = JSON.stringify([q, [...st.filters]]);
    if (key === JSON.stringify([this.input.value, [...this._filters]]) && (this._shown === key || (!q && !st.filters.size))) return;
    this.input.value = q;
    this._filters = st.filters;
    clearTimeout(this._timer);
    if (this._ready) this.facets.renderChips();
    this._search(q, false);
  }

  _setURL(replace) {
    if (!this._owner()) return;
    const url = location.pathname + location.search + stateHash(location.hash, this.input.value, this._filters);
    if (url === location.pathname + location.search + location.hash) return;
    history[replace ? 'replaceState' : 'pushState'](history.state, '', url);
    this.doc.show(null);
    this.body.hidden = false;
  }

  // _known lists the selected filters on types the index has (a URL may
  // name others: they stay in the URL but are not sent).
  _known() {
    const f = this._fields || [];
    return [...this._filters].filter(([t]) => f.includes(t));
  }

  _facetsOn() {
    return this.getAttribute('facets') !== 'none' && !!(this._fields && this._fields.length);
  }

  // Searches q with the current filters. With neither, it only fetches
  // the facet counts over all documents (browsing), or clears.
  async _search(q, complete) {
    const seq = ++this._seq;
    const browse = !q.trim() && !this._filters.size;
    // An emptied box hides the results at once; only the filter groups'
    // counts over all documents wait for the engine.
    if (browse) this._clear();
    if (!this._ready && !browse) this._setStatus('Loading search…', 'loading');
    let res;
    try {
      const engine = await this._load();
      if (seq !== this._seq) return;
      if (browse && !this._facetsOn()) return this._clear();
      res = await engine.search(q, { limit: +this.getAttribute('limit') || 10, complete, facets: this._facetsOn(), filters: this.filters });
    } catch (err) {
      if (seq === this._seq) this._fail(err);
      return;
    }
    if (seq !== this._seq) return; // a newer query or filter is on its way
    this._render(q, res);
  }

  _clear() {
    this._shown = '';
    this.results.clear();
    this._setStatus('', '');
    this._pop.close();
    this._expanded();
  }

  // _setStatus shows text (kind: "loading", "error" or "") and, below it
  // in the same live region, the corrected query.
  _setStatus(text, kind, corrected) {
    const s = this.status;
    s.textContent = text;
    if (corrected) s.append(h('p', { class: 'q-corrected', part: 'corrected' }, 'Showing results for ', h('strong', null, corrected)));
    s.className = 'q-status' + (kind ? ' q-' + kind : '');
    s.setAttribute('part', 'status' + (kind ? ' ' + kind : ''));
    if (text && (this.input.value.trim() || this._filters.size)) this._pop.open();
  }

  _fail(err) {
    // A network failure or a stopped engine is retried on the next search.
    if (err && (err.code === 'exited' || err.code === 'network')) this._engine = null;
    this._clear();
    this._setStatus(err instanceof QuarryError ? err.message : SENTENCES.wasm, 'error');
    if (!this._logged || this._logged !== (err && err.detail)) {
      this._logged = err && err.detail;
      console.error('quarry:', (err && err.detail) || err);
    }
  }

  _render(q, res) {
    const n = this._known().reduce((k, [, vs]) => k + vs.length, 0);
    this.facets.renderChips();
    this.facets.render(res.facets);
    if (!q.trim() && !n) {
      this._clear();
      return;
    }
    this._shown = JSON.stringify([q, [...this._filters]]);
    this.results.render(res.hits);
    const ms = res.took_ms < 10 ? res.took_ms.toFixed(1) : Math.round(res.took_ms);
    const what = (q.trim() ? ` for ${quoted(q)}` : '') + (n ? ' with ' + plural(n, 'filter', 'filters') : '');
    let text = res.total ? `${plural(res.total, 'result', 'results')}${what} (${ms} ms)` : `No results${what}.`;
    if (res.total > res.hits.length) text += `, showing the first ${res.hits.length}`;
    if (res.notice) {
      const notice = plainNotice(res.notice);
      text += ' — ' + notice.text;
      if (notice.dropped && this._warned !== res.notice) {
        this._warned = res.notice;
        console.warn('quarry:', res.notice);
      }
    }
    const corrected = typeof res.corrected === 'string' && res.corrected.trim() && res.corrected !== q ? quoted(res.corrected) : '';
    this._setStatus(text, '', corrected);
    this._pop.open();
    this._expanded();
    this.dispatchEvent(new CustomEvent('quarry-results', { bubbles: true, composed: true, detail: { query: q, filters: this.filters, response: res } }));
  }
}

if (!customElements.get('quarry-search')) customElements.define('quarry-search', QuarrySearch);
Quarry.version = VERSION;
