package excerpt

import (
	"testing"

	"github.com/quarry-search/quarry/internal/testcorpus"
)

// page is the body work of one page of hits: 10 documents judged for a
// query, with the query's terms.
type page []diffCase

// cranfieldPages returns the pages of the first Cranfield queries with
// at least 10 judged documents.
func cranfieldPages(b *testing.B) []page {
	c := testcorpus.Cranfield(b)
	byID := map[string]int{}
	for i, d := range c.Docs {
		byID[d.ID] = i
	}
	judged := map[int][]int{}
	for _, r := range c.Qrels {
		if i, ok := byID[r.Doc]; ok {
			judged[r.Query] = append(judged[r.Query], i)
		}
	}
	var pages []page
	for _, q := range c.Queries {
		docs := judged[q.ID]
		if len(docs) < 10 {
			continue
		}
		terms := termsOf(b, q.Text)
		var p page
		for _, i := range docs[:10] {
			body := c.Docs[i].Body
			p = append(p, diffCase{body: body, tokens: analyze(b, body), terms: terms, sections: sectionSets(body)[2]})
		}
		if pages = append(pages, p); len(pages) == 20 {
			break
		}
	}
	return pages
}

// BenchmarkBuild times excerpts and sections for a page of 10 Cranfield
// hits (tokens given), by Build and by today's bleve pipeline.
func BenchmarkBuild(b *testing.B) {
	pages := cranfieldPages(b)
	b.Run("excerpt", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			for _, c := range pages[i%len(pages)] {
				Build(c.body, c.tokens, c.terms, c.sections)
			}
		}
	})
	b.Run("bleve", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			for _, c := range pages[i%len(pages)] {
				reference(c.body, c.tokens, c.terms, c.sections)
			}
		}
	})
}
