// Quarry search worker: runs the WebAssembly engine off the page's main
// thread. quarry.js downloads and compiles the engine and downloads the
// index in parallel while this worker starts, then hands both over; the
// worker instantiates the engine (Go's wasm_exec.js), opens the index and
// answers searches.
//
// Protocol (structured-clone messages):
//   page -> worker  {op: "module", module: WebAssembly.Module}
//                   {op: "index", index: ArrayBuffer}              (transferred)
//                   {id, op: "open", wasmExec: url | ""}           ("" when Go is already defined)
//                   {id, op: "search", request: "<JSON>"}
//   worker -> page  {id, ok: "<JSON from the engine>"} | {id, fail: {code, detail}}
// The engine's own failures ({"error": ...}) come back as ok strings; fail
// means the engine could not start or has stopped.
//
// The same file also runs on the page itself when workers are unavailable:
// it then exposes globalThis.__quarryHost(message, reply) instead.
'use strict';

(function () {
  let api = null;
  let exited = false;
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
    const go = new Go();
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

  async function handle(m, reply) {
    if (m.op === 'module' || m.op === 'index') {
      part(m.op);
      waiting[m.op](m[m.op]);
      return;
    }
    try {
      let ok;
      if (m.op === 'open') {
        ok = await open(m);
      } else if (m.op === 'search') {
        if (exited) throw fail('exited', 'the Go program has exited');
        if (!api) throw fail('not-open', 'search before open');
        ok = api.search(m.request);
      } else {
        throw fail('protocol', 'unknown operation ' + m.op);
      }
      reply({ id: m.id, ok });
    } catch (err) {
      const detail = String((err && err.message) || err);
      const code = exited || /exited/.test(detail) ? 'exited' : (err && err.code) || 'wasm';
      reply({ id: m.id, fail: { code, detail } });
    }
  }

  if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
    self.onmessage = (e) => handle(e.data, (r) => self.postMessage(r));
  } else {
    globalThis.__quarryHost = handle;
  }
})();
