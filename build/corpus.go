package build

import (
	"context"
	"fmt"
	"sort"

	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/entity"
	"github.com/quarry-search/quarry/internal/indexfile"
)

// CorpusOptions configure a corpus build: Options plus entity extraction.
type CorpusOptions struct {
	Options
	// NoEntities skips entity extraction.
	NoEntities bool
	// Overrides adjust extracted entities (nil: none).
	Overrides *entity.Overrides
}

// Corpus indexes docs after finding their entities: each entity type
// (person, org, place, product, event) and each author-supplied taxonomy
// in Document.Facets becomes a keyword facet field. docs' Facets are
// extended in place. It returns the index file and the entities.
func Corpus(ctx context.Context, docs []doc.Document, opts CorpusOptions) ([]byte, []entity.Entity, error) {
	var ents []entity.Entity
	if !opts.NoEntities && len(docs) > 0 {
		var err error
		ents, err = entity.Extract(docs, entity.Options{Overrides: opts.Overrides})
		if err != nil {
			return nil, nil, fmt.Errorf("extract entities: %w", err)
		}
	}
	byID := make(map[string]int, len(docs))
	for i := range docs {
		byID[docs[i].ID] = i
	}
	entityFields := map[string]bool{}
	for _, e := range ents {
		f := string(e.Type)
		entityFields[f] = true
		for _, id := range e.Docs {
			i, ok := byID[id]
			if !ok {
				continue
			}
			if docs[i].Facets == nil {
				docs[i].Facets = map[string][]string{}
			}
			docs[i].Facets[f] = append(docs[i].Facets[f], e.Name)
		}
	}
	var fields []string
	for _, t := range entity.Types {
		if entityFields[string(t)] {
			fields = append(fields, string(t))
		}
	}
	var taxonomies []string
	seen := map[string]bool{}
	for _, d := range docs {
		for f := range d.Facets {
			if !entityFields[f] && !seen[f] {
				seen[f] = true
				taxonomies = append(taxonomies, f)
			}
		}
	}
	sort.Strings(taxonomies)
	opts.FacetFields = append(append(append([]string{}, opts.FacetFields...), fields...), taxonomies...)
	opts.FacetFields = dedupe(opts.FacetFields)
	meta := make([]indexfile.EntityMeta, len(ents))
	for i, e := range ents {
		meta[i] = indexfile.EntityMeta{Name: e.Name, Type: string(e.Type), Aliases: e.Aliases, Docs: e.Docs}
	}
	data, err := buildIndex(ctx, docs, opts.Options, meta)
	if err != nil {
		return nil, nil, err
	}
	return data, ents, nil
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := in[:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
