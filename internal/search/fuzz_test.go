package search

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/indexfile"
)

// tinyIndex is a small real index file used for damage tests.
func tinyIndex(t testing.TB) []byte {
	t.Helper()
	docs := []doc.Document{
		{ID: "a", Title: "Alipay", Body: "Alipay and WeChat Pay compete.", URL: "/a", Facets: map[string][]string{"org": {"Ant"}}},
		{ID: "b", Title: "Tencent", Body: "Tencent owns WeChat.", URL: "/b", Facets: map[string][]string{"org": {"Tencent"}}},
	}
	data, err := build.Index(context.Background(), docs, build.Options{FacetFields: []string{"org"}})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestOpenDamagedIndex refuses every truncation and every single-bit flip
// of a real index file with a typed error, never a panic.
func TestOpenDamagedIndex(t *testing.T) {
	good := tinyIndex(t)
	if _, err := Open(good); err != nil {
		t.Fatalf("Open(good): %v", err)
	}
	known := []error{indexfile.ErrNotIndex, indexfile.ErrVersion, indexfile.ErrTruncated, indexfile.ErrChecksum, indexfile.ErrCorrupt}
	check := func(what string, b []byte) {
		_, err := Open(b)
		if err == nil {
			t.Fatalf("Open with %s succeeded", what)
		}
		for _, k := range known {
			if errors.Is(err, k) {
				return
			}
		}
		t.Fatalf("Open with %s: untyped error %v", what, err)
	}
	for n := 0; n < len(good); n++ {
		check("the first "+itoa(n)+" bytes", good[:n])
	}
	b := append([]byte{}, good...)
	for i := range b {
		for bit := 0; bit < 8; bit++ {
			b[i] ^= 1 << bit
			check("bit "+itoa(bit)+" of byte "+itoa(i)+" flipped", b)
			b[i] ^= 1 << bit
		}
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// FuzzOpen feeds arbitrary bytes to the index loader: it must return an
// error or an engine, never panic.
func FuzzOpen(f *testing.F) {
	good := tinyIndex(f)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte(indexfile.Magic))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := Open(data)
		if err == nil {
			if _, err := e.Search(context.Background(), Request{Query: "alipay"}); err != nil {
				t.Fatalf("search on an accepted index: %v", err)
			}
		}
	})
}

// FuzzSearch runs arbitrary query text and request JSON: every request
// returns a response or an error, within the limits, never a panic.
func FuzzSearch(f *testing.F) {
	e, err := Open(tinyIndex(f))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []struct{ q, opts string }{
		{"alipay", `{}`},
		{`"wechat pay" -tencent`, `{"limit":5,"complete":true}`},
		{"ali*", `{"filters":{"org":["Ant"]}}`},
		{"tencnet~2", `{"filters":{"org":["Tencent","Ant"]},"filter_modes":{"org":"all"}}`},
		{"/[a-z]+/", `{"offset":-3,"limit":100000}`},
		{"((((", `{"filters":{"nope":["x"]}}`},
		{strings.Repeat("a ", 600), `{"no_excerpt":true}`},
		{"title:\"unterminated", `{"filter_modes":{"org":"maybe"}}`},
		{"<script>alert(1)</script>", `{}`},
		{"*", `{}`},
	} {
		f.Add(s.q, s.opts)
	}
	f.Fuzz(func(t *testing.T, q, opts string) {
		var req Request
		if json.Unmarshal([]byte(opts), &req) != nil {
			req = Request{}
		}
		req.Query = q
		resp, err := e.Search(context.Background(), req)
		if err != nil {
			return
		}
		if len(resp.Hits) > MaxLimit {
			t.Fatalf("%d hits, limit %d", len(resp.Hits), MaxLimit)
		}
		for _, h := range resp.Hits {
			rest := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(h.Excerpt)
			if strings.ContainsAny(rest, "<>") {
				t.Fatalf("excerpt with raw markup: %q", h.Excerpt)
			}
		}
	})
}
