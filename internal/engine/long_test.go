package engine

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/doc"
)

// A long plain query says so in its notice only when words were left
// out: up to MaxTerms distinct words, none; past it, how many there were
// and how many were searched (issue 13).
func TestLongQueryNotice(t *testing.T) {
	n := MaxTerms + 6
	word := func(k int) string { return fmt.Sprintf("qz%03dk", k) } // no two stem alike
	var docs []doc.Document
	for d := 0; d < n; d++ {
		var ws []string
		for k := d; k < n; k++ {
			ws = append(ws, word(k)) // word k is in k+1 documents
		}
		docs = append(docs, doc.Document{ID: fmt.Sprint(d), Title: fmt.Sprint("page ", d), Body: strings.Join(ws, " ")})
	}
	docs = append(docs, doc.Document{ID: "late", Title: "late", Body: "qzlatek"})
	e, err := Open(buildIndex(t, docs, build.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	query := func(from, to int) string {
		var ws []string
		for k := from; k < to; k++ {
			ws = append(ws, word(k))
		}
		return strings.Join(ws, " ")
	}
	for _, tt := range []struct {
		text   string
		notice string
		found  string // a page among the hits
	}{
		{query(0, MaxTerms), "", "0"},
		{query(0, MaxTerms) + " " + query(0, MaxTerms), "", "0"},
		{query(0, n), fmt.Sprintf("the query has %d distinct words; the %d that fewest pages contain were searched", n, MaxTerms), "0"},
		// Words past the 32nd count (only the first 32 were searched).
		{query(0, 40) + " qzlatek", "", "late"},
	} {
		for _, complete := range []bool{true, false} {
			resp, err := e.Search(Request{Query: tt.text, Complete: complete, NoExcerpt: true, Limit: MaxLimit})
			if err != nil {
				t.Fatal(err)
			}
			found := slices.ContainsFunc(resp.Hits, func(h Hit) bool { return h.ID == tt.found })
			if resp.Notice != tt.notice || resp.Mode != "plain" || !found {
				t.Errorf("%d words, complete=%v: mode %s, notice %q, page %s found %v; want plain, %q, found", len(strings.Fields(tt.text)), complete, resp.Mode, resp.Notice, tt.found, found, tt.notice)
			}
		}
	}
}
