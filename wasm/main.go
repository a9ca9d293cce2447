//go:build js && wasm

// Command wasm is Quarry's search engine compiled to WebAssembly. It is a
// thin bridge in the style of Pagefind: it puts one object on the global
// scope and then waits forever (select{}) so its functions stay callable:
//
//	globalThis.__quarry = {
//	  open(bytes: Uint8Array): string    // JSON: {docs, language, format, facet_fields} or a failure
//	  need(request: object): string      // JSON: {need: [file names]}: fetch them, then ask again
//	  add(name: string, bytes: Uint8Array): string  // a file need listed: {ok: true} or a failure
//	  failed(name: string, reason: string): string  // that file could not be fetched
//	  search(request: object): string    // JSON: the response (as `quarry query --json` prints it) or a failure
//	  version(): string                  // index format version this engine reads
//	}
//
// A failure is {"error": sentence, "code", "detail"}. A request crosses
// as a plain JavaScript object (read into Go values here), results as
// JSON text written by internal/bridge: the engine links no JSON package
// (about 120 kB of brotli), and one JSON.parse costs less than building
// the objects value by value across the boundary. All logic lives in
// host-tested packages (internal/bridge, internal/engine); this file only
// converts JavaScript values. Every exported function recovers from
// panics, so one bad call never kills the engine.
package main

import (
	"errors"
	"strconv"
	"syscall/js"

	"github.com/quarry-search/quarry/internal/bridge"
	"github.com/quarry-search/quarry/internal/engine"
	"github.com/quarry-search/quarry/internal/indexfile"
)

// GlobalName is the property of globalThis that holds the API.
const GlobalName = "__quarry"

// Bounds on a request object read from JavaScript: nesting, entries per
// object or array, and string bytes in all (a request is a handful of
// fields; the engine applies its own, smaller limits after these).
const (
	maxDepth   = 4
	maxEntries = 1024
	maxBytes   = 256 << 10
)

func main() {
	register(bridge.New())
	select {}
}

// register installs the API object for b on globalThis, and gives the
// engine the browser's clock (performance.now: the engine does not link
// package time).
func register(b *bridge.Bridge) {
	perf := js.Global().Get("performance")
	engine.Clock = func() float64 { return perf.Call("now").Float() }
	api := js.Global().Get("Object").New()
	api.Set("open", export(func(args []js.Value) string {
		if len(args) != 1 || !isBytes(args[0]) {
			return requestFailure("open expects one Uint8Array")
		}
		return b.Open(copyBytes(args[0]))
	}))
	request := func(name string, call func(any) string) {
		api.Set(name, export(func(args []js.Value) string {
			if len(args) != 1 || args[0].Type() != js.TypeObject {
				return requestFailure(name + " expects one request object")
			}
			budget := maxBytes
			req, err := toGo(args[0], 0, &budget)
			if err != nil {
				return requestFailure(err.Error())
			}
			return call(req)
		}))
	}
	request("need", b.Need)
	request("search", b.Search)
	api.Set("add", export(func(args []js.Value) string {
		if len(args) != 2 || args[0].Type() != js.TypeString || !isBytes(args[1]) {
			return requestFailure("add expects a name and a Uint8Array")
		}
		return b.Add(args[0].String(), copyBytes(args[1]))
	}))
	api.Set("failed", export(func(args []js.Value) string {
		if len(args) != 2 || args[0].Type() != js.TypeString || args[1].Type() != js.TypeString {
			return requestFailure("failed expects a name and a reason")
		}
		return b.Failed(args[0].String(), args[1].String())
	}))
	api.Set("rest", export(func(args []js.Value) string {
		if len(args) != 0 {
			return requestFailure("rest expects no arguments")
		}
		return b.Rest()
	}))
	api.Set("version", js.FuncOf(func(js.Value, []js.Value) any {
		return strconv.Itoa(indexfile.Version)
	}))
	js.Global().Set(GlobalName, api)
}

// export wraps f as a JavaScript function that always returns a string
// and turns a panic into a failure instead of crashing the Go program.
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

var (
	uint8Array = js.Global().Get("Uint8Array")
	array      = js.Global().Get("Array")
	object     = js.Global().Get("Object")
)

func isBytes(v js.Value) bool {
	return v.Type() == js.TypeObject && v.InstanceOf(uint8Array)
}

func copyBytes(v js.Value) []byte {
	data := make([]byte, v.Get("byteLength").Int())
	js.CopyBytesToGo(data, v)
	return data
}

var errTooLarge = errors.New("request too large or too deeply nested")

// toGo converts a JavaScript request value into the plain Go values the
// bridge reads (objects, arrays, strings, numbers, booleans, null),
// within the bounds above; anything else (functions, symbols) is an
// error.
func toGo(v js.Value, depth int, budget *int) (any, error) {
	switch v.Type() {
	case js.TypeUndefined, js.TypeNull:
		return nil, nil
	case js.TypeBoolean:
		return v.Bool(), nil
	case js.TypeNumber:
		return v.Float(), nil
	case js.TypeString:
		s := v.String()
		if *budget -= len(s); *budget < 0 {
			return nil, errTooLarge
		}
		return s, nil
	case js.TypeObject:
		if depth >= maxDepth {
			return nil, errTooLarge
		}
		if array.Call("isArray", v).Bool() {
			n := v.Length()
			if n > maxEntries {
				return nil, errTooLarge
			}
			out := make([]any, n)
			for i := range out {
				x, err := toGo(v.Index(i), depth+1, budget)
				if err != nil {
					return nil, err
				}
				out[i] = x
			}
			return out, nil
		}
		keys := object.Call("keys", v)
		n := keys.Length()
		if n > maxEntries {
			return nil, errTooLarge
		}
		out := make(map[string]any, n)
		for i := 0; i < n; i++ {
			k := keys.Index(i).String()
			if *budget -= len(k); *budget < 0 {
				return nil, errTooLarge
			}
			x, err := toGo(v.Get(k), depth+1, budget)
			if err != nil {
				return nil, err
			}
			out[k] = x
		}
		return out, nil
	}
	return nil, errors.New("unsupported value of type " + v.Type().String())
}

func requestFailure(msg string) string {
	return bridge.Failure(errors.Join(bridge.ErrRequest, errors.New(msg)))
}
