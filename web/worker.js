// Quarry search worker: runs the WebAssembly engine off the page's main
// thread. quarry.js downloads and compiles the engine and downloads the
// index in parallel while this worker starts, then hands both over; the
// worker instantiates the engine, opens the index and answers searches.
// It is shipped after Go's wasm_exec.js in one script (the build joins
// them: internal/assets.WorkerScript), so Go's runtime support is there
// before the engine is.
//
// Protocol (structured-clone messages):
//   page -> worker  {op: "module", module: WebAssembly.Module}
//                   {op: "index", index: ArrayBuffer}              (transferred)
//                   {id, op: "open", texts: url | ""}
//                                    (texts is the index's URL, which the names of
//                                    its files are relative to)
//                   {op: "prefetch"}  (see below; no reply)
//                   {id, op: "search", request: {q, limit, ...}}
//   worker -> page  {id, ok: <the engine's JSON, parsed>} | {id, fail: {code, detail}}
// The engine's own failures ({error, code, detail}) come back as ok
// objects; fail means the engine could not start or has stopped.
//
// Plan, fetch, search: an index served in parts opens from its head, and
// the engine says which files a request needs (need: the parts holding
// its words, then the text of the results shown). The worker fetches
// them in parallel (each once, shared between requests), hands them over
// (add, or failed with the reason) and asks again, at most MAX_ROUNDS
// times; then search answers. The engine verifies every file against the
// head; an answer missing a file says so in its notice or on its results.
//
// Prefetch: when the page asks (quarry.js: a while after the first results
// are shown), the rest of a small index served in parts (the engine's
// rest: one file holding its parts and text files; nothing for a large
// index) is fetched in the background, once, so that the next queries
// wait for no download.
//
// The same file also runs on the page itself when workers are unavailable:
// it then exposes globalThis.__quarryHost(message, reply) instead.
'use strict';

(function () {
  let api = null;
  let go = null;
  let exited = false;
  // The Go program has exited (wasm_exec sets go.exited as it happens,
  // before the promise of go.run settles).
  const dead = () => exited || (go !== null && go.exited === true);
  let base = '';
  // Rounds of need: parts; text (for feedback, the top results'); the
  // parts of the feedback terms; the text of the results then shown.
  const MAX_ROUNDS = 6;
  // Files of the index fetched or being fetched: name -> Promise. A fetch
  // that failed is forgotten once reported, so that a later request may
  // try again (the engine asks again only for a different request).
  const files = new Map();
  let prefetched = false;
  const parts = {};
  const waiting = {};

  // part resolves to the module or index once the page has sent it.
  function part(name) {
    if (!(name in parts)) parts[name] = new Promise((resolve) => (waiting[name] = resolve));
    return parts[name];
  }

  function fail(code, detail) {
    const e = new Error(detail);
    e.code = code;
    return e;
  }

  async function open(m) {
    if (typeof Go !== 'function') throw fail('wasm', "the worker script lacks Go's wasm_exec.js");
    go = new Go();
    // The garbage collector's target heap growth (Go's default is 100),
    // read by the Go runtime from its environment at start (runtime/debug,
    // which could set it from Go, imports fmt and os: +60 kB of brotli).
    // The engine's live heap is small (the index bytes hold no pointers)
    // and a search allocates around a megabyte, so at 100 the collector
    // runs every few searches. Measured under Node on the 225 Cranfield
    // queries: 200 takes about 4% less CPU time in total and 10% less at
    // the 95th percentile, for a heap of 35 MiB instead of 24 MiB (400: 7%
    // less CPU, 45 MiB).
    go.env = { GOGC: '200' };
    let inst;
    try {
      inst = await WebAssembly.instantiate(await part('module'), go.importObject);
    } catch (err) {
      const msg = String((err && err.message) || err);
      throw fail(/Content Security Policy|unsafe-eval|wasm-eval/i.test(msg) ? 'csp' : 'wasm', msg);
    }
    go.run(inst).then(() => { exited = true; });
    api = globalThis.__quarry;
    if (!api) throw fail('wasm', 'the engine did not register globalThis.__quarry');
    return JSON.parse(api.open(new Uint8Array(await part('index'))));
  }

  // prefetchRest fetches what the engine offers to fetch ahead (rest: a
  // small index's rest bundle), one file after the other, stopping at the
  // first that fails. A request meanwhile shares its fetch (files).
  async function prefetchRest() {
    let names = [];
    try {
      const out = JSON.parse(api.rest());
      if (out && Array.isArray(out.need)) names = out.need;
    } catch (err) {
      return;
    }
    for (const name of names) {
      if (dead()) return;
      await fetchFile(name);
      if (!files.has(name)) return; // fetchFile forgets a file that failed
    }
  }

  function fetchFile(name) {
    if (!files.has(name)) {
      files.set(name, (async () => {
        let url = name;
        try {
          url = new URL(name, base || self.location.href).href;
          const res = await fetch(url);
          if (!res.ok) throw new Error('HTTP ' + res.status);
          // A damaged file is refused and remembered by the engine.
          api.add(name, new Uint8Array(await res.arrayBuffer()));
        } catch (err) {
          files.delete(name);
          api.failed(name, url + ': ' + String((err && err.message) || err));
        }
      })());
    }
    return files.get(name);
  }

  // search fetches the files the request needs, round by round, then
  // answers it.
  async function search(request) {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const out = JSON.parse(api.need(request));
      if (!out || !Array.isArray(out.need)) return out; // the engine's failure
      if (!out.need.length) break;
      await Promise.all(out.need.map(fetchFile));
      if (dead()) throw fail('exited', 'the Go program has exited');
    }
    return JSON.parse(api.search(request));
  }

  async function handle(m, reply) {
    if (m.op === 'module' || m.op === 'index') {
      part(m.op);
      waiting[m.op](m[m.op]);
      return;
    }
    if (m.op === 'prefetch') {
      if (api && !prefetched && !dead()) {
        prefetched = true;
        prefetchRest();
      }
      return;
    }
    try {
      let ok;
      if (m.op === 'open') {
        base = m.texts || '';
        ok = await open(m);
      } else if (m.op === 'search') {
        if (dead()) throw fail('exited', 'the Go program has exited');
        if (!api) throw fail('not-open', 'search before open');
        ok = await search(m.request);
      } else {
        throw fail('protocol', 'unknown operation ' + m.op);
      }
      // A Go program that exits during a call returns nothing: say why.
      if (dead()) throw fail('exited', 'the Go program has exited');
      reply({ id: m.id, ok });
    } catch (err) {
      const detail = String((err && err.message) || err);
      const code = dead() || /exited/.test(detail) ? 'exited' : (err && err.code) || 'wasm';
      reply({ id: m.id, fail: { code, detail } });
    }
  }

  if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
    self.onmessage = (e) => handle(e.data, (r) => self.postMessage(r));
  } else {
    globalThis.__quarryHost = handle;
  }
})();
