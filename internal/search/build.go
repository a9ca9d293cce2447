package search

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	index "github.com/blevesearch/bleve_index_api"
	zap "github.com/blevesearch/zapx/v16"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/reader"
	"github.com/quarry-search/quarry/internal/schema"
)

// Options configure Build.
type Options struct {
	// Language of the analyzer (default english).
	Language string
	// FacetFields are keyword fields taken from Document.Facets.
	FacetFields []string
	// TitleBoost and BodyBoost weight the text fields (0 = default).
	TitleBoost, BodyBoost float64
}

// Build indexes docs as Quarry's builder does (the same mapping and
// analysis, document i is number i) into one zap segment in memory, with
// positions, and returns an engine over it.
func Build(_ context.Context, docs []doc.Document, opts Options) (*Engine, error) {
	if len(docs) == 0 {
		return nil, errors.New("no documents to index")
	}
	lang, err := schema.LookupLanguage(opts.Language)
	if err != nil {
		return nil, err
	}
	im, err := schema.NewMapping(schema.Options{Language: lang.Name, FacetFields: opts.FacetFields})
	if err != nil {
		return nil, err
	}
	meta := Meta{Language: lang.Name, DocCount: len(docs), FacetFields: opts.FacetFields, FieldTokens: map[string]int{},
		TitleBoost: opts.TitleBoost, BodyBoost: opts.BodyBoost}
	analyzed := make([]index.Document, 0, len(docs))
	bodies := make([]string, 0, len(docs))
	for i := range docs {
		d := &docs[i]
		bd, err := build.Analyze(im, d, opts.FacetFields)
		if err != nil {
			return nil, fmt.Errorf("document %q: %w", d.ID, err)
		}
		bd.VisitFields(func(f index.Field) {
			if f.Options().IsIndexed() && f.Name() != "_id" {
				meta.FieldTokens[f.Name()] += f.AnalyzedLength()
			}
		})
		analyzed = append(analyzed, bd)
		bodies = append(bodies, d.Body)
		dm := DocMeta{ID: d.ID, Title: d.Title, URL: d.URL}
		for _, s := range build.SectionOffsets(d) {
			dm.Sections = append(dm.Sections, Section{Anchor: s.Anchor, Heading: s.Heading, Start: s.Start})
		}
		meta.Docs = append(meta.Docs, dm)
	}
	seg, _, err := (&zap.ZapPlugin{}).New(analyzed)
	if err != nil {
		return nil, fmt.Errorf("build segment: %w", err)
	}
	sb, ok := seg.(*zap.SegmentBase)
	if !ok {
		return nil, fmt.Errorf("build segment: unexpected segment type %T", seg)
	}
	var buf bytes.Buffer
	if _, err := sb.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("write segment: %w", err)
	}
	r, err := reader.Open(buf.Bytes())
	if err != nil {
		return nil, err
	}
	return newEngine(r, meta, bodies)
}
