//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"syscall/js"
	"testing"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/bridge"
	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/indexfile"
)

// These tests run under Node (GOOS=js GOARCH=wasm go test ./wasm/, with
// $(go env GOROOT)/lib/wasm on PATH) and call the engine exactly as the
// worker does: through globalThis.__quarry.

func TestMain(m *testing.M) {
	register(bridge.New())
	os.Exit(m.Run())
}

var docs = []doc.Document{
	{ID: "a.txt", URL: "a.txt", Title: "Alibaba abroad", Body: "Merchants abroad are asked to support Alipay, Alibaba's payment service."},
	{ID: "b.txt", URL: "b.txt", Title: "Tencent", Body: "Tencent runs WeChat and a large games business."},
	{ID: "c.txt", URL: "c.txt", Title: "Hostile", Body: `Text with <script>alert(1)</script> and <img src=x onerror=alert(1)> inside.`},
}

func api() js.Value { return js.Global().Get(GlobalName) }

func bytesToJS(b []byte) js.Value {
	u := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(u, b)
	return u
}

// call calls the API and returns its JSON result decoded.
func call(t *testing.T, fn string, args ...any) map[string]any {
	t.Helper()
	v := api().Call(fn, args...)
	if v.Type() != js.TypeString {
		t.Fatalf("%s returned %s, want JSON text", fn, v.Type())
	}
	s := v.String()
	var out map[string]any
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		t.Fatalf("%s returned %q, not a plain object: %v", fn, s, err)
	}
	return out
}

// search sends a request written as JSON, parsed into an object by
// JavaScript as quarry.js builds one.
func search(t *testing.T, req string) map[string]any {
	t.Helper()
	return call(t, "search", js.Global().Get("JSON").Call("parse", req))
}

func indexBytes(t *testing.T) []byte {
	t.Helper()
	data, err := build.Index(context.Background(), docs, build.Options{})
	if err != nil {
		t.Fatalf("build index: %v", err)
	}
	return data
}

func firstHit(t *testing.T, res map[string]any) map[string]any {
	t.Helper()
	hits, _ := res["hits"].([]any)
	if len(hits) == 0 {
		t.Fatalf("no hits: %v", res)
	}
	return hits[0].(map[string]any)
}

func TestAPI(t *testing.T) {
	if v := api().Call("version").String(); v != strconv.Itoa(indexfile.Version) {
		t.Errorf("version() = %q", v)
	}
	if f := search(t, `{"q":"alipay"}`); f["code"] != bridge.CodeNotOpen {
		t.Fatalf("search before open = %v, want code %s", f, bridge.CodeNotOpen)
	}
	info := call(t, "open", bytesToJS(indexBytes(t)))
	if info["docs"] != float64(len(docs)) || info["format"] != float64(indexfile.Version) {
		t.Fatalf("open = %v", info)
	}
	tests := []struct {
		req, id, mark string
	}{
		{`{"q":"alipay","complete":true}`, "a.txt", "<mark>Alipay</mark>"},
		{`{"q":"tenc"}`, "b.txt", "<mark>Tencent</mark>"},
		{`{"q":"alibbaba","complete":true}`, "a.txt", "<mark>Alibaba"},
		{`{"q":"onerror","complete":true}`, "c.txt", "&lt;img src=x <mark>onerror</mark>=alert(1)&gt;"},
	}
	for _, tt := range tests {
		res := search(t, tt.req)
		if ms, _ := res["took_ms"].(float64); ms <= 0 {
			t.Errorf("%s: took_ms = %v, want the time measured with performance.now", tt.req, res["took_ms"])
		}
		h := firstHit(t, res)
		if h["id"] != tt.id || !strings.Contains(h["excerpt"].(string), tt.mark) {
			t.Errorf("%s: first hit %v, want %s with %q", tt.req, h, tt.id, tt.mark)
		}
		if ex := h["excerpt"].(string); strings.Contains(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(ex), "<") {
			t.Errorf("%s: excerpt has unescaped markup: %q", tt.req, ex)
		}
	}
}

func TestFailuresDoNotKillTheEngine(t *testing.T) {
	good := indexBytes(t)
	call(t, "open", bytesToJS(good))
	corrupt := append([]byte(nil), good...)
	corrupt[len(corrupt)/2] ^= 0x55
	version := append([]byte(nil), good...)
	version[8] = 99
	failures := []struct {
		name string
		fn   string
		args []any
		code string
	}{
		{"corrupt index", "open", []any{bytesToJS(corrupt)}, bridge.CodeCorrupt},
		{"truncated index", "open", []any{bytesToJS(good[:100])}, bridge.CodeTruncated},
		{"other version", "open", []any{bytesToJS(version)}, bridge.CodeVersion},
		{"not an index", "open", []any{bytesToJS([]byte("<!doctype html>"))}, bridge.CodeNotIndex},
		{"open without bytes", "open", []any{}, bridge.CodeRequest},
		{"open with a string", "open", []any{"QUARRYIX"}, bridge.CodeRequest},
		{"request as JSON text", "search", []any{`{"q":"alipay"}`}, bridge.CodeRequest},
		{"request not an object", "search", []any{42}, bridge.CodeRequest},
		{"request with a function", "search", []any{js.Global().Get("JSON").Call("parse", `{"q":"x"}`).Get("constructor")}, bridge.CodeRequest},
		{"request too deep", "search", []any{js.Global().Get("JSON").Call("parse", `{"filters":{"a":[[[["x"]]]]}}`)}, bridge.CodeRequest},
		{"limit not a number", "search", []any{js.Global().Get("JSON").Call("parse", `{"q":"x","limit":"5"}`)}, bridge.CodeRequest},
		// A fake Uint8Array whose byteLength is not a number makes the
		// Go side panic (js.Value.Int); the panic must be recovered.
		{"panic", "open", []any{fakeBytes()}, bridge.CodeInternal},
	}
	for _, f := range failures {
		t.Run(f.name, func(t *testing.T) {
			res := call(t, f.fn, f.args...)
			if res["code"] != f.code || res["error"] == "" {
				t.Fatalf("%s = %v, want code %s and a sentence", f.fn, res, f.code)
			}
			// The engine keeps answering with the good index.
			if h := firstHit(t, search(t, `{"q":"alipay"}`)); h["id"] != "a.txt" {
				t.Fatalf("after %s: first hit %v", f.name, h)
			}
		})
	}
}

// fakeBytes returns an object that passes instanceof Uint8Array but whose
// own byteLength is a string.
func fakeBytes() js.Value {
	fake := js.Global().Get("Object").Call("create", js.Global().Get("Uint8Array").Get("prototype"))
	js.Global().Get("Object").Call("defineProperty", fake, "byteLength", map[string]any{"value": "eight"})
	return fake
}

// needOf asks the engine which files a request needs.
func needOf(t *testing.T, req string) []string {
	t.Helper()
	out := call(t, "need", js.Global().Get("JSON").Call("parse", req))
	list, ok := out["need"].([]any)
	if !ok {
		t.Fatalf("need = %v", out)
	}
	names := make([]string, len(list))
	for i, n := range list {
		names[i] = n.(string)
	}
	return names
}

// The worker's protocol over an index in parts: need, add (or failed),
// need again, search.
func TestFilesInParts(t *testing.T) {
	data, err := build.Index(context.Background(), docs, build.Options{TextChunk: 1, PartSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	idx, files, err := indexfile.Externalize(data)
	if err != nil {
		t.Fatal(err)
	}
	call(t, "open", bytesToJS(idx))
	const req = `{"q":"alipay","complete":true}`
	parts := needOf(t, req)
	if len(parts) == 0 || !strings.HasSuffix(parts[0], indexfile.PartExt) {
		t.Fatalf("need over a head = %v, want parts", parts)
	}
	for _, name := range parts {
		if out := call(t, "add", name, bytesToJS(files[name])); out["ok"] != true {
			t.Fatalf("add(%s) = %v", name, out)
		}
	}
	texts := needOf(t, req)
	if len(texts) != 1 || !strings.HasSuffix(texts[0], indexfile.TextExt) {
		t.Fatalf("need after the parts = %v, want one text file", texts)
	}
	name := texts[0]
	failures := []struct {
		name string
		fn   string
		args []any
		code string
	}{
		{"damaged text", "add", []any{name, bytesToJS([]byte("<!doctype html>"))}, bridge.CodeText},
		{"add without bytes", "add", []any{name}, bridge.CodeRequest},
		{"add with a string", "add", []any{name, "text"}, bridge.CodeRequest},
		{"failed without reason", "failed", []any{name}, bridge.CodeRequest},
		{"need without a request", "need", []any{}, bridge.CodeRequest},
		{"rest with an argument", "rest", []any{req}, bridge.CodeRequest},
	}
	for _, f := range failures {
		t.Run(f.name, func(t *testing.T) {
			if out := call(t, f.fn, f.args...); out["code"] != f.code || out["error"] == "" {
				t.Errorf("%s = %v, want code %s and a sentence", f.fn, out, f.code)
			}
		})
	}
	if out := call(t, "add", name, bytesToJS(files[name])); out["ok"] != true {
		t.Fatalf("add = %v, want ok", out)
	}
	if n := needOf(t, req); len(n) != 0 {
		t.Errorf("need after every file = %v, want none", n)
	}
	// rest offers the rest bundle (a small index), until add takes it.
	rest, ok := call(t, "rest")["need"].([]any)
	if !ok || len(rest) != 1 || files[rest[0].(string)] == nil || !strings.HasSuffix(rest[0].(string), indexfile.RestExt) {
		t.Fatalf("rest = %v, want the rest bundle", rest)
	}
	if out := call(t, "add", rest[0], bytesToJS(files[rest[0].(string)])); out["ok"] != true {
		t.Fatalf("add(%s) = %v", rest[0], out)
	}
	if rest, ok := call(t, "rest")["need"].([]any); !ok || len(rest) != 0 {
		t.Errorf("rest after the bundle = %v, want none", rest)
	}
	res := search(t, req)
	if h := firstHit(t, res); h["title"] != "Alibaba abroad" || !strings.Contains(h["excerpt"].(string), "<mark>Alipay</mark>") {
		t.Errorf("search after its files: %v; want the titled hit with a marked excerpt", res)
	}
}
