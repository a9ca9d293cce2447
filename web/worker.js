// Quarry search worker: runs the WebAssembly engine off the page's main
// thread. quarry.js downloads and compiles the engine and downloads the
// index in parallel while this worker starts, then hands both over; the
// worker instantiates the engine (Go's wasm_exec.js), opens the index and
// answers searches.
//
// Protocol (structured-clone messages):
//   page -> worker  {op: "module", module: WebAssembly.Module}
//                   {op: "index", index: ArrayBuffer}              (transferred)
//                   {id, op: "open", wasmExec: url | "", texts: url | ""}
//                                    (wasmExec "" when Go is already defined; texts is
//                                    the index's URL, which text file names are relative to)
//                   {id, op: "search", request: {q, limit, ...}}
//   worker -> page  {id, ok: <object from the engine>} | {id, fail: {code, detail}}
// The engine's own failures ({error, code, detail}) come back as ok
// objects; fail means the engine could not start or has stopped.
//
// Excerpts need the documents' text, which large indexes keep in separate
// text files. When a search answer lists "missing" files, the worker
// fetches them (once each), hands them to the engine (addText, or
// textFailed with the reason) and searches again, at most MAX_ROUNDS
// times; the engine verifies every file against the index, and results
// whose text could not be had keep their titles and say why.
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
  let textBase = '';
  const MAX_ROUNDS = 4;
  // Text files fetched or being fetched: name -> Promise.
  const texts = new Map();
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
    if (typeof Go !== 'function') {
      try {
        importScripts(m.wasmExec);
      } catch (err) {
        throw fail('wasm', 'wasm_exec.js ' + m.wasmExec + ': ' + err.message);
      }
    }
    go = new Go();
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
    return api.open(new Uint8Array(await part('index')));
  }

  function fetchText(name) {
    if (!texts.has(name)) {
      texts.set(name, (async () => {
        let url = name;
        try {
          url = new URL(name, textBase || self.location.href).href;
          const res = await fetch(url);
          if (!res.ok) throw new Error('HTTP ' + res.status);
          // A damaged file is refused and remembered by the engine.
          api.addText(name, new Uint8Array(await res.arrayBuffer()));
        } catch (err) {
          api.textFailed(name, url + ': ' + String((err && err.message) || err));
        }
      })());
    }
    return texts.get(name);
  }

  // search runs a request, fetching the text files the answer lists as
  // missing and searching again until none is.
  async function search(request) {
    let out = api.search(request);
    for (let round = 1; round < MAX_ROUNDS && out && Array.isArray(out.missing) && out.missing.length; round++) {
      const missing = out.missing;
      await Promise.all(missing.map(fetchText));
      if (dead()) throw fail('exited', 'the Go program has exited');
      out = api.search(request);
    }
    return out;
  }

  async function handle(m, reply) {
    if (m.op === 'module' || m.op === 'index') {
      part(m.op);
      waiting[m.op](m[m.op]);
      return;
    }
    try {
      let ok;
      if (m.op === 'open') {
        textBase = m.texts || '';
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
