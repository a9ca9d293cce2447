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
// extended in place. It returns the index file and the entities.
func Corpus(ctx context.Context, docs []doc.Document, opts CorpusOptions) ([]byte, []entity.Entity, error) {
	var ents []entity.Entity
	if !opts.NoEntities && len(docs) > 0 {
		var err error
		ents, err = entity.Extract(docs, entity.Options{Overrides: opts.Overrides})
		if err != nil {
			return nil, nil, fmt.Errorf("extract entities: %w", err)
		}
		ents = capEntities(docs, ents, opts.Warn)
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
