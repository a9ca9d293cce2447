// Package schema defines Quarry's index schema once, for both the native
// index builder and the WebAssembly search engine: the field names, the
// text analyzer (internal/analysis registered in bleve's registry, so the
// builder indexes exactly the terms the engine computes) and the bleve
// index mapping built from them.
package schema

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// Field names of the index.
const (
	FieldTitle = "title"
	FieldBody  = "body"
	FieldURL   = "url"
)

// TextAnalyzer is the name of the custom text analyzer in every mapping.
const TextAnalyzer = "quarry_text"

// Default boosts applied at query time.
const (
	DefaultTitleBoost = 2.0
	DefaultBodyBoost  = 1.0
)

// Options configure a mapping.
type Options struct {
	// Language selects the stemmer and stop words (see Languages).
	Language string
	// FacetFields are keyword fields with doc values, used for entity
	// and taxonomy filters and facets (e.g. "org", "place", "tags").
	FacetFields []string
	// NoBodyPositions indexes the body without token positions (the light
	// segment; see indexfile): term frequencies and norms, hence scores,
	// are the same, but phrases on the body cannot match.
	NoBodyPositions bool
}

// NewMapping returns the index mapping for opts. The builder indexes with
// it and the search engine analyzes queries with it.
func NewMapping(opts Options) (*mapping.IndexMappingImpl, error) {
	lang, err := LookupLanguage(opts.Language)
	if err != nil {
		return nil, err
	}
	im := mapping.NewIndexMapping()
	im.ScoringModel = index.BM25Scoring
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	im.DefaultAnalyzer = TextAnalyzer

	if err := im.AddCustomAnalyzer(TextAnalyzer, map[string]interface{}{
		"type": AnalyzerType, "language": lang.Name,
	}); err != nil {
		return nil, fmt.Errorf("text analyzer: %w", err)
	}

	doc := mapping.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(FieldTitle, textField(false))
	// Title and body are not stored: titles are in the index metadata,
	// the body in text files (see indexfile).
	body := textField(false)
	body.IncludeTermVectors = !opts.NoBodyPositions
	doc.AddFieldMappingsAt(FieldBody, body)
	urlField := textField(false)
	urlField.IncludeTermVectors = false
	doc.AddFieldMappingsAt(FieldURL, urlField)
	for _, f := range opts.FacetFields {
		if f == FieldTitle || f == FieldBody || f == FieldURL || f == "" || f[0] == '_' {
			return nil, fmt.Errorf("facet field %q: reserved name", f)
		}
		kf := mapping.NewKeywordFieldMapping()
		kf.Analyzer = keyword.Name
		kf.Store = false
		kf.DocValues = true
		kf.IncludeInAll = false
		kf.IncludeTermVectors = false
		doc.AddFieldMappingsAt(f, kf)
	}
	// The _all composite field would duplicate every term: queries name
	// title and body explicitly instead.
	all := mapping.NewDocumentDisabledMapping()
	doc.AddSubDocumentMapping("_all", all)
	im.DefaultMapping = doc
	im.DefaultField = FieldBody
	if err := im.Validate(); err != nil {
		return nil, fmt.Errorf("validate mapping: %w", err)
	}
	return im, nil
}

func textField(store bool) *mapping.FieldMapping {
	f := mapping.NewTextFieldMapping()
	f.Analyzer = TextAnalyzer
	f.Store = store
	f.Index = true
	f.IncludeTermVectors = true
	f.IncludeInAll = false
	f.DocValues = false
	return f
}
