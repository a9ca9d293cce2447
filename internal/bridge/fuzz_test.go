package bridge

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/engine"
)

// FuzzBridgeSearch drives the engine as the browser does: any query text
// and any options (written as JSON, decoded into the values the wasm
// hands over, merged into the request object and also sent alone as the
// whole request) must give back either a search response or a failure
// with a sentence, and never a panic.
func FuzzBridgeSearch(f *testing.F) {
	docs := append(append([]doc.Document{}, testDocs...), doc.Document{
		ID: "d.txt", URL: "javascript:alert(1)", Title: `<img src=x onerror=alert(1)>`,
		Body: "Hostile \u202etext\u202c with \"quotes\" & tags <b>bold</b>", Facets: map[string][]string{"org": {"<i>Ant</i>"}},
	})
	data, err := build.Index(context.Background(), docs, build.Options{FacetFields: []string{"org"}})
	if err != nil {
		f.Fatal(err)
	}
	b := New()
	if out := toJSON(f, b.Open(data)); strings.Contains(out, `"error"`) {
		f.Fatalf("open: %s", out)
	}
	for _, s := range []struct{ q, opts string }{
		{"alipay", `{}`},
		{"tenc", `{"limit":5,"offset":1,"complete":false}`},
		{`"wechat pay" -tencent`, `{"complete":true,"no_excerpt":true,"no_facets":true}`},
		{"", `{"filters":{"org":["<i>Ant</i>"]},"filter_modes":{"org":"none"}}`},
		{"*", `{"filters":{"org":[]},"filter_modes":{"org":"all"}}`},
		{"/.*/", `{"limit":-1}`},
		{"a~2", `{"limit":1e9,"offset":1e300}`},
		{"x", `{"filters":{"org":"Ant"}}`},
		{"x", `{"filters":null,"q":5}`},
		{"x", `[1,2]`},
		{"x", `{"q":"alipay"} trailing`},
		{"x", `{"filters":{"a":["1"],"b":["2"]},"filter_modes":{"c":"any"}}`},
		{"\u202ealipay\x00", `{"q":"\ud800"}`},
		{strings.Repeat("(", 200), `{"limit":100}`},
		{strings.Repeat("a* ", 50), `{"offset":100000}`},
	} {
		f.Add(s.q, s.opts)
	}
	f.Fuzz(func(t *testing.T, q, opts string) {
		// The options alone, as the whole request.
		var whole any
		if json.Unmarshal([]byte(opts), &whole) != nil {
			whole = opts // not JSON: hand the string over as is
		}
		check(t, opts, toJSON(t, b.Search(whole)))
		// The options with the query set, as quarry.js builds a request.
		var obj map[string]any
		if json.Unmarshal([]byte(opts), &obj) != nil || obj == nil {
			obj = map[string]any{}
		}
		obj["q"] = q
		req, err := json.Marshal(obj)
		if err != nil {
			t.Fatalf("marshal request: %v", err)
		}
		check(t, string(req), toJSON(t, b.Search(obj)))
	})
}

// check fails unless out is a search response or a Failure with a
// sentence and a known code; a panic turned into a Failure fails too.
func check(t *testing.T, req, out string) {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("request %q: output is not a JSON object: %v\n%s", req, err, out)
	}
	if _, failed := m["error"]; failed {
		var fl failure
		if err := json.Unmarshal([]byte(out), &fl); err != nil {
			t.Fatalf("request %q: bad failure %s: %v", req, out, err)
		}
		switch fl.Code {
		case CodeRequest, CodeSearch:
		default:
			t.Fatalf("request %q: failure code %q (want request or search): %s", req, fl.Code, out)
		}
		if fl.Error == "" || strings.Contains(fl.Error, "\n") {
			t.Fatalf("request %q: failure without a one-line sentence: %s", req, out)
		}
		return
	}
	var resp engine.Response
	if err := json.Unmarshal([]byte(out), &resp); err != nil {
		t.Fatalf("request %q: bad response %s: %v", req, out, err)
	}
	if resp.Hits == nil || len(resp.Hits) > engine.MaxLimit {
		t.Fatalf("request %q: %d hits (nil=%v)", req, len(resp.Hits), resp.Hits == nil)
	}
	for _, h := range resp.Hits {
		rest := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(h.Excerpt)
		if strings.ContainsAny(rest, "<>") {
			t.Fatalf("request %q: excerpt with raw markup: %q", req, h.Excerpt)
		}
	}
}
