//go:build js && wasm

// Command wasm is Quarry's search engine compiled to WebAssembly. It is a
// thin bridge in the style of Pagefind: it puts one object on the global
// scope and then waits forever (select{}) so its functions stay callable:
//
//	globalThis.__quarry = {
//	  open(bytes: Uint8Array): string    // JSON: {"docs","language","format"} or a failure
//	  search(request: string): string    // JSON: search.Response or a failure
//	  addText(name: string, bytes: Uint8Array): string  // a text file listed in a response's "missing"
//	  textFailed(name: string, reason: string): string  // that file could not be fetched
//	  version(): string                  // index format version this engine reads
//	}
//
// A failure is {"error": sentence, "code": ..., "detail": ...}. All logic
// lives in host-tested packages (internal/bridge, internal/search); this
// file only converts JavaScript values. Every exported function recovers
// from panics, so one bad call never kills the engine.
package main

import (
	"errors"
	"runtime/debug"
	"strconv"
	"syscall/js"

	"github.com/quarry-search/quarry/internal/bridge"
	"github.com/quarry-search/quarry/internal/indexfile"
)

// GlobalName is the property of globalThis that holds the API.
const GlobalName = "__quarry"

// gcPercent is the garbage collector's target heap growth (Go's default
// is 100). The engine's live heap is small (the index bytes hold no
// pointers) and a search allocates around a megabyte, so at 100 the
// collector runs every few searches. Measured under Node on the 225
// Cranfield queries: 200 takes about 4% less CPU time in total and 10%
// less at the 95th percentile, for a heap of 35 MiB instead of 24 MiB
// (400: 7% less CPU, 45 MiB).
const gcPercent = 200

func main() {
	tune()
	register(bridge.New())
	select {}
}

// tune sets the runtime's parameters for the browser.
func tune() {
	debug.SetGCPercent(gcPercent)
}

// register installs the API object for b on globalThis.
func register(b *bridge.Bridge) {
	api := js.Global().Get("Object").New()
	api.Set("open", export(func(args []js.Value) string {
		if len(args) != 1 || !isBytes(args[0]) {
			return requestFailure("open expects one Uint8Array")
		}
		data := make([]byte, args[0].Get("byteLength").Int())
		js.CopyBytesToGo(data, args[0])
		return b.Open(data)
	}))
	api.Set("search", export(func(args []js.Value) string {
		if len(args) != 1 || args[0].Type() != js.TypeString {
			return requestFailure("search expects one JSON string")
		}
		return b.Search(args[0].String())
	}))
	api.Set("addText", export(func(args []js.Value) string {
		if len(args) != 2 || args[0].Type() != js.TypeString || !isBytes(args[1]) {
			return requestFailure("addText expects a name and a Uint8Array")
		}
		data := make([]byte, args[1].Get("byteLength").Int())
		js.CopyBytesToGo(data, args[1])
		return b.AddText(args[0].String(), data)
	}))
	api.Set("textFailed", export(func(args []js.Value) string {
		if len(args) != 2 || args[0].Type() != js.TypeString || args[1].Type() != js.TypeString {
			return requestFailure("textFailed expects a name and a reason")
		}
		return b.TextFailed(args[0].String(), args[1].String())
	}))
	api.Set("version", export(func([]js.Value) string {
		return strconv.Itoa(indexfile.Version)
	}))
	js.Global().Set(GlobalName, api)
}

// export wraps f as a JavaScript function that always returns a string and
// turns a panic into a failure JSON instead of crashing the Go program.
func export(f func(args []js.Value) string) js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) (res any) {
		defer func() {
			if r := recover(); r != nil {
				res = bridge.PanicJSON(r)
			}
		}()
		return f(args)
	})
}

var uint8Array = js.Global().Get("Uint8Array")

func isBytes(v js.Value) bool {
	return v.Type() == js.TypeObject && v.InstanceOf(uint8Array)
}

func requestFailure(msg string) string {
	return bridge.FailureJSON(errors.Join(bridge.ErrRequest, errors.New(msg)))
}
