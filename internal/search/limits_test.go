package search

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/search"

	"github.com/quarry-search/quarry/internal/doc"
)

// wideIndex has more distinct terms than MaxExpansions, so "w*" expands
// past the limit.
func wideIndex(t testing.TB) *Engine {
	t.Helper()
	var body strings.Builder
	for i := 0; i < MaxExpansions+100; i++ {
		fmt.Fprintf(&body, "w%d ", i)
	}
	docs := []doc.Document{
		{ID: "a", Title: "Alipay", Body: "Alipay and WeChat Pay compete. " + body.String(), URL: "/a", Facets: map[string][]string{"org": {"Ant"}}},
		{ID: "b", Title: "Tencent", Body: "Tencent owns WeChat.", URL: "/b", Facets: map[string][]string{"org": {"Tencent"}}},
	}
	for i := 0; i < MaxLimit+50; i++ {
		docs = append(docs, doc.Document{ID: fmt.Sprint("p", i), Title: fmt.Sprint("Page ", i), Body: "many pages", URL: fmt.Sprint("/p", i)})
	}
	e, err := Build(context.Background(), docs, Options{FacetFields: []string{"org"}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func words(prefix string, n int, sep string) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = fmt.Sprintf("%sw%d", prefix, i)
	}
	return strings.Join(ws, sep)
}

// TestLimits checks each limit at and past its value: past it, the query
// is still answered, and the notice says what was cut.
func TestLimits(t *testing.T) {
	e := wideIndex(t)
	values := func(n int) []string {
		vs := make([]string, n)
		for i := range vs {
			vs[i] = fmt.Sprint("v", i)
		}
		return vs
	}
	for _, tc := range []struct {
		name     string
		req      Request
		mode     string // "" = any
		notice   string // substring; "" = no notice at all
		maxHits  int
		hits     int // exact number of hits wanted; 0 = any
		errLimit bool
	}{
		{name: "query at the byte limit", req: Request{Query: strings.Repeat("w1 ", MaxQueryBytes/3)}, mode: "plain", notice: "only the first 32 words"},
		{name: "query past the byte limit", req: Request{Query: strings.Repeat("x", MaxQueryBytes+1)}, notice: "cut to its first 1024 bytes"},
		{name: "megabyte query", req: Request{Query: strings.Repeat("alipay ", 1<<17)}, notice: "cut to its first 1024 bytes"},
		{name: "32 words", req: Request{Query: words("", MaxWords, " "), Complete: true}, mode: "plain"},
		{name: "33 words", req: Request{Query: words("", MaxWords+1, " "), Complete: true}, mode: "plain", notice: "only the first 32 words were searched"},
		{name: "offset at the cap", req: Request{Query: "alipay", Offset: MaxOffset}},
		{name: "offset past the cap", req: Request{Query: "alipay", Offset: MaxOffset + 1}, notice: "past the first 1000"},
		{name: "limit at the cap", req: Request{Query: "pages", Limit: MaxLimit}, hits: MaxLimit},
		{name: "limit past the cap", req: Request{Query: "pages", Limit: 100 * MaxLimit}, notice: "at most 100 results", hits: MaxLimit},
		{name: "offset near the end", req: Request{Query: "pages", Offset: MaxLimit + 40, Limit: 20}, hits: 10},
		{name: "32 syntax clauses", req: Request{Query: words("+", MaxSyntaxClauses, " ")}, mode: "syntax"},
		{name: "33 syntax clauses", req: Request{Query: words("+", MaxSyntaxClauses+1, " ")}, mode: "plain", notice: "33 clauses, at most 32"},
		{name: "4 wildcards", req: Request{Query: "w1* w2* w3* *ay"}, mode: "syntax"},
		{name: "5 wildcards", req: Request{Query: "w1* w2* w3* *ay /w4.*/"}, notice: "5 wildcard, regexp or fuzzy clauses, at most 4"},
		{name: "fuzzy word of 32 letters", req: Request{Query: strings.Repeat("a", 32) + "~2"}, mode: "syntax"},
		{name: "fuzzy word of 33 letters", req: Request{Query: strings.Repeat("a", 33) + "~2"}, notice: "fuzzy word of 33 letters, at most 32"},
		{name: "fuzziness 2", req: Request{Query: "alipya~2"}, mode: "syntax"},
		{name: "fuzziness 3", req: Request{Query: "alipya~3"}, notice: "fuzziness 3, at most 2"},
		{name: "prefix under the expansion limit", req: Request{Query: "w10*"}, mode: "syntax"},
		{name: "star alone", req: Request{Query: "*"}, notice: "matches too many words"},
		{name: "prefix past the expansion limit", req: Request{Query: "w* alipay"}, mode: "plain", notice: "matches too many words"},
		{name: "regexp past the expansion limit", req: Request{Query: "/.*/"}, notice: "matches too many words"},
		{name: "filter values at the limit", req: Request{Filters: map[string][]string{"org": values(MaxFilterValues)}}},
		{name: "filter values past the limit", req: Request{Filters: map[string][]string{"org": values(MaxFilterValues - 1), "place": {"x", "y"}}}, errLimit: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := e.Search(context.Background(), tc.req)
			if tc.errLimit {
				if !errors.Is(err, ErrLimit) {
					t.Fatalf("got error %v, want ErrLimit", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want a response", err)
			}
			if tc.mode != "" && resp.Mode != tc.mode {
				t.Errorf("got mode %q, want %q (notice %q)", resp.Mode, tc.mode, resp.Notice)
			}
			if tc.notice == "" && resp.Notice != "" {
				t.Errorf("got notice %q, want none", resp.Notice)
			}
			if !strings.Contains(resp.Notice, tc.notice) {
				t.Errorf("got notice %q, want it to contain %q", resp.Notice, tc.notice)
			}
			if tc.maxHits > 0 && len(resp.Hits) > tc.maxHits {
				t.Errorf("got %d hits, want at most %d", len(resp.Hits), tc.maxHits)
			}
			if tc.hits > 0 && len(resp.Hits) != tc.hits {
				t.Errorf("got %d hits, want %d", len(resp.Hits), tc.hits)
			}
		})
	}
}

// TestCheckSyntax counts clauses and expanding clauses of a parsed
// query string and refuses what is over the limits.
func TestCheckSyntax(t *testing.T) {
	words := func(n int, w string) string { return strings.TrimSpace(strings.Repeat(w+" ", n)) }
	for _, tc := range []struct {
		name, q string
		want    string // "" when accepted, else part of the error
	}{
		{"one word", "+alipay", ""},
		{"clauses at the limit", "+a " + words(MaxSyntaxClauses-1, "b"), ""},
		{"one clause too many", "+a " + words(MaxSyntaxClauses, "b"), "clauses, at most"},
		{"expanding at the limit", "+x* " + words(MaxExpandingClauses-1, "y~1"), ""},
		{"one expanding too many", "+x* /re/ " + words(MaxExpandingClauses-1, "y~1"), "wildcard, regexp or fuzzy clauses"},
		{"phrases do not expand", "+\"a*\" " + words(MaxExpandingClauses+1, "\"b?\""), ""},
		{"fuzziness too large", "+alipay~3", "fuzziness 3"},
		{"fuzzy word too long", "+" + strings.Repeat("a", MaxFuzzyTermRunes+1) + "~1", "fuzzy word of"},
		{"fuzzy word at the limit", "+" + strings.Repeat("a", MaxFuzzyTermRunes) + "~1", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			must, should, not, err := parseQueryString(tc.q)
			if err != nil {
				t.Fatalf("parse %q: %v", tc.q, err)
			}
			err = checkSyntax(must, should, not)
			if tc.want == "" && err != nil {
				t.Errorf("got %v, want accepted", err)
			}
			if tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestBoundHighlight keeps the MaxHighlightTerms most frequent matched
// terms of a field, and leaves smaller maps alone.
func TestBoundHighlight(t *testing.T) {
	match := func(n int) *search.DocumentMatch {
		tlm := search.TermLocationMap{}
		for i := 0; i < n; i++ {
			tlm[fmt.Sprintf("t%02d", i)] = make(search.Locations, i%5+1)
		}
		return &search.DocumentMatch{Locations: search.FieldTermLocationMap{"body": tlm, "title": {"a": make(search.Locations, 1)}}}
	}
	for _, tc := range []struct {
		terms, want int
		mustKeep    []string
	}{
		{0, 0, nil},
		{MaxHighlightTerms, MaxHighlightTerms, []string{"t00", "t15"}},
		{MaxHighlightTerms + 1, MaxHighlightTerms, []string{"t04", "t09", "t14"}},
		{500, MaxHighlightTerms, []string{"t04", "t09", "t104", "t109"}}, // 100 terms occur 5 times: the first 16 by name
	} {
		t.Run(fmt.Sprint(tc.terms), func(t *testing.T) {
			m := match(tc.terms)
			boundHighlight(m)
			if got := len(m.Locations["body"]); got != tc.want {
				t.Errorf("got %d body terms, want %d", got, tc.want)
			}
			if got := len(m.Locations["title"]); got != 1 {
				t.Errorf("got %d title terms, want 1", got)
			}
			for _, k := range tc.mustKeep {
				if _, ok := m.Locations["body"][k]; !ok {
					t.Errorf("term %s (one of the most frequent) dropped", k)
				}
			}
		})
	}
}

// TestBroadQueryExcerpt: a query matching every term still gets a marked
// excerpt, from the bounded term set.
func TestBroadQueryExcerpt(t *testing.T) {
	e := wideIndex(t)
	resp, err := e.Search(context.Background(), Request{Query: "w1*", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Hits) != 1 || !strings.Contains(resp.Hits[0].Excerpt, "<mark>w1") {
		t.Fatalf("got hits %+v, want one with a marked w1… excerpt", resp.Hits)
	}
}
