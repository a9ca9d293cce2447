package search

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/indexfile"
)

// externalEngine builds the seed corpus with small text files, moves the
// text out of the index and opens the index alone; it returns the engine,
// the text files by name and an engine over the inline index.
func externalEngine(t *testing.T) (*Engine, map[string][]byte, *Engine) {
	t.Helper()
	data, err := build.Index(context.Background(), seedDocs(t), build.Options{TextChunk: 4 << 10})
	if err != nil {
		t.Fatal(err)
	}
	inline, err := Open(data)
	if err != nil {
		t.Fatal(err)
	}
	idx, files, err := indexfile.Externalize(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 2 {
		t.Fatalf("%d text files, want several", len(files))
	}
	e, err := Open(idx)
	if err != nil {
		t.Fatalf("Open external index: %v", err)
	}
	return e, files, inline
}

func TestSearchAsksForMissingText(t *testing.T) {
	e, files, inline := externalEngine(t)
	req := Request{Query: "alipay payments", Complete: true}
	first, err := e.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Hits) == 0 || len(first.Missing) == 0 {
		t.Fatalf("first search: %d hits, missing %v; want hits and missing text files", len(first.Hits), first.Missing)
	}
	titles := titlesOf(inline)
	for _, h := range first.Hits {
		if h.Title != titles[h.ID] || h.URL == "" || h.Excerpt != "" {
			t.Errorf("hit %s before its text: title %q url %q excerpt %q; want title %q, a URL and no excerpt", h.ID, h.Title, h.URL, h.Excerpt, titles[h.ID])
		}
	}
	for _, name := range first.Missing {
		if err := e.AddText(name, files[name]); err != nil {
			t.Fatalf("AddText(%s): %v", name, err)
		}
	}
	got, err := e.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := inline.Search(context.Background(), req)
	got.TookMs, want.TookMs = 0, 0
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after AddText:\n got %+v\nwant %+v (inline index)", got, want)
	}
	if !strings.Contains(got.Hits[0].Excerpt, "<mark>") {
		t.Errorf("excerpt %q has no <mark>", got.Hits[0].Excerpt)
	}
}

func TestSearchLoadingMatchesInline(t *testing.T) {
	queries := []Request{
		{Query: "alipay payments", Complete: true},
		// Four content words: feedback reads the top documents' text.
		{Query: "mobile payment companies in china", Complete: true},
		{Query: `"wechat pay" -alipay`, Complete: true},
		{Query: "tenc"},
		{Query: "alibaba", NoExcerpt: true, Complete: true},
	}
	for _, req := range queries {
		t.Run(req.Query, func(t *testing.T) {
			e, files, inline := externalEngine(t)
			loads := 0
			got, err := e.SearchLoading(context.Background(), req, func(name string) ([]byte, error) {
				loads++
				return files[name], nil
			})
			if err != nil {
				t.Fatal(err)
			}
			want, _ := inline.Search(context.Background(), req)
			got.TookMs, want.TookMs = 0, 0
			if !reflect.DeepEqual(got, want) {
				t.Errorf("SearchLoading:\n got %+v\nwant %+v (inline index)", got, want)
			}
			if loads > len(files) {
				t.Errorf("%d loads for %d files", loads, len(files))
			}
		})
	}
}

func TestTextFailures(t *testing.T) {
	tests := []struct {
		name      string
		load      func(name string, data []byte) ([]byte, error)
		wantError string
	}{
		{"not found", func(string, []byte) ([]byte, error) { return nil, errors.New("HTTP 404") }, "HTTP 404"},
		{"damaged", func(_ string, d []byte) ([]byte, error) {
			b := append([]byte{}, d...)
			b[len(b)/2] ^= 0x20
			return b, nil
		}, "checksum"},
		{"truncated", func(_ string, d []byte) ([]byte, error) { return d[:len(d)-5], nil }, "the index expects"},
		{"html page instead", func(string, []byte) ([]byte, error) { return []byte("<!doctype html><h1>Not Found</h1>"), nil }, "not a Quarry text file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, files, inline := externalEngine(t)
			titles := titlesOf(inline)
			resp, err := e.SearchLoading(context.Background(), Request{Query: "alipay", Complete: true}, func(name string) ([]byte, error) {
				return tt.load(name, files[name])
			})
			if err != nil {
				t.Fatalf("search failed: %v", err)
			}
			if len(resp.Hits) == 0 || len(resp.Missing) != 0 {
				t.Fatalf("%d hits, missing %v; want hits and nothing missing", len(resp.Hits), resp.Missing)
			}
			for _, h := range resp.Hits {
				if h.Title != titles[h.ID] || h.URL == "" || h.Excerpt != "" || !strings.Contains(h.ExcerptError, tt.wantError) {
					t.Errorf("hit %s: title %q url %q excerpt %q error %q; want title %q, a URL, no excerpt, an error saying %q", h.ID, h.Title, h.URL, h.Excerpt, h.ExcerptError, titles[h.ID], tt.wantError)
				}
			}
		})
	}
}

func TestAddTextRecovers(t *testing.T) {
	e, files, _ := externalEngine(t)
	resp, _ := e.Search(context.Background(), Request{Query: "alipay", Complete: true})
	name := resp.Missing[0]
	if err := e.AddText(name, []byte("junk")); !errors.Is(err, indexfile.ErrText) {
		t.Fatalf("AddText(junk) = %v, want ErrText", err)
	}
	if err := e.AddText("text.000000000000.qtx", files[name]); !errors.Is(err, ErrUnknownText) {
		t.Errorf("AddText(unknown name) = %v, want ErrUnknownText", err)
	}
	if err := e.AddText(name, files[name]); err != nil {
		t.Fatalf("AddText(good bytes after bad) = %v", err)
	}
	resp, _ = e.Search(context.Background(), Request{Query: "alipay", Complete: true})
	for _, m := range resp.Missing {
		if m == name {
			t.Errorf("%s still missing after a good AddText", name)
		}
	}
	for _, h := range resp.Hits {
		if h.ExcerptError != "" && strings.Contains(h.ExcerptError, name) {
			t.Errorf("hit %s: error %q after the good file arrived", h.ID, h.ExcerptError)
		}
	}
}

func TestHighlightFromText(t *testing.T) {
	e, _ := openDocs(t, []doc.Document{{ID: "a", Title: "Paying with Alipay", Body: "Alipay handles payments. People pay with alipay daily.", URL: "a"}})
	resp, err := e.Search(context.Background(), Request{Query: "payment alipay", Complete: true})
	if err != nil || len(resp.Hits) != 1 {
		t.Fatalf("search: %v, %+v", err, resp)
	}
	want := "<mark>Alipay</mark> handles <mark>payments</mark>. People pay with <mark>alipay</mark> daily."
	if got := resp.Hits[0].Excerpt; got != want {
		t.Errorf("excerpt = %q, want %q", got, want)
	}
}

// titlesOf maps document ids to titles.
func titlesOf(e *Engine) map[string]string {
	out := map[string]string{}
	for _, d := range e.Meta().Docs {
		out[d.ID] = d.Title
	}
	return out
}
