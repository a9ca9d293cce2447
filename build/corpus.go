package build

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"unicode/utf8"

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
	// Warn, when set, receives what was left out of a document (its id
	// and the reason), e.g. entities past doc.MaxFacetValues.
	Warn func(id, reason string)
}

// Corpus indexes docs after finding their entities: each entity type
// (person, org, place, product, event) and each author-supplied taxonomy
// in Document.Facets becomes a keyword facet field. docs' Facets are
// extended in place. It returns the index, built once, as the value
// package indexfile encodes (with the entity list, which goes in a file
// of its own, not in the head), and the entities.
func Corpus(ctx context.Context, docs []doc.Document, opts CorpusOptions) (*indexfile.Index, []entity.Entity, error) {
	if err := checkFacetFields(opts.FacetFields); err != nil {
		return nil, nil, err
	}
	// The text fields do not depend on the entities: they are analyzed
	// while the entities are found (each on all cores when the other
	// leaves them idle), and the facets added after.
	var ents []entity.Entity
	var entErr error
	found := make(chan struct{})
	if !opts.NoEntities && len(docs) > 0 {
		go func() {
			defer close(found)
			ents, entErr = entity.Extract(docs, entity.Options{Overrides: opts.Overrides})
		}()
	} else {
		close(found)
	}
	idx, err := analyzeText(ctx, docs, opts.Options)
	<-found // Extract reads docs: wait for it before returning, even on error
	if err != nil {
		return nil, nil, err
	}
	if entErr != nil {
		return nil, nil, fmt.Errorf("extract entities: %w", entErr)
	}
	ents = capEntities(docs, ents, opts.Warn)
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
	facetFields := dedupe(append(append(append([]string{}, opts.FacetFields...), fields...), taxonomies...))
	if err := addFacets(idx, docs, facetFields); err != nil {
		return nil, nil, err
	}
	idx.Entities = make([]indexfile.EntityMeta, len(ents))
	for i, e := range ents {
		idx.Entities[i] = indexfile.EntityMeta{Name: e.Name, Type: string(e.Type), Aliases: e.Aliases, Docs: e.Docs}
	}
	return idx, ents, nil
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

// capEntities holds entities to the limits of package doc: a name longer
// than doc.MaxFacetValueRunes is no filter value (a run of 3,000
// capitalised words made one of 21,000 characters), and a document keeps
// at most doc.MaxFacetValues entities of one type, those found in the
// most documents (ties: in extraction order). Entities left in no
// document are dropped. warn (if set) hears of every document that lost
// some.
func capEntities(docs []doc.Document, ents []entity.Entity, warn func(id, reason string)) []entity.Entity {
	type key struct {
		doc string
		typ entity.Type
	}
	rank := make([]int, len(ents))
	for i := range rank {
		rank[i] = i
	}
	sort.SliceStable(rank, func(a, b int) bool { return len(ents[rank[a]].Docs) > len(ents[rank[b]].Docs) })
	kept := map[key]int{}
	total := map[key]int{}
	long := map[key]int{}
	keep := make([]map[string]bool, len(ents))
	for _, i := range rank {
		e := &ents[i]
		tooLong := utf8.RuneCountInString(e.Name) > doc.MaxFacetValueRunes
		for _, id := range e.Docs {
			k := key{id, e.Type}
			if tooLong {
				long[k]++
				continue
			}
			total[k]++
			if kept[k] < doc.MaxFacetValues {
				kept[k]++
				if keep[i] == nil {
					keep[i] = map[string]bool{}
				}
				keep[i][id] = true
			}
		}
	}
	if len(long) == 0 && !slices.ContainsFunc(slices.Collect(maps.Values(total)), func(n int) bool { return n > doc.MaxFacetValues }) {
		return ents
	}
	out := ents[:0:0]
	for i, e := range ents {
		if len(keep[i]) == 0 {
			continue
		}
		if len(keep[i]) < len(e.Docs) {
			e.Docs = slices.DeleteFunc(slices.Clone(e.Docs), func(id string) bool { return !keep[i][id] })
		}
		out = append(out, e)
	}
	if warn != nil {
		for _, d := range docs {
			for _, t := range entity.Types {
				k := key{d.ID, t}
				if n := long[k]; n == 1 {
					warn(d.ID, fmt.Sprintf("1 %s entity over %d characters dropped", t, doc.MaxFacetValueRunes))
				} else if n > 1 {
					warn(d.ID, fmt.Sprintf("%d %s entities over %d characters dropped", n, t, doc.MaxFacetValueRunes))
				}
				if n := total[k]; n > doc.MaxFacetValues {
					warn(d.ID, fmt.Sprintf("%d %s entities, kept the %d found in the most documents", n, t, doc.MaxFacetValues))
				}
			}
		}
	}
	return out
}
