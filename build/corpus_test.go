package build

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/entity"
	"github.com/quarry-search/quarry/internal/indexfile"
)

// TestCorpusCapsEntitiesPerDocument checks that a document gets at most
// doc.MaxFacetValues entities of one type, those found in the most
// documents, with a warning; entities left in no document are dropped
// from the index's entity list.
func TestCorpusCapsEntitiesPerDocument(t *testing.T) {
	const n = doc.MaxFacetValues + 50
	names := make([]string, n)
	ov := &entity.Overrides{Path: "entities.yaml"}
	for i := range names {
		names[i] = fmt.Sprintf("Gadget%03d", i)
		ov.Entries = append(ov.Entries, entity.OverrideEntry{Name: names[i], Type: entity.Product})
	}
	// b mentions the last ten: they are in two documents and must be kept.
	docs := []doc.Document{
		{ID: "a", Title: "All gadgets", Body: "We sell " + strings.Join(names, ", ") + "."},
		{ID: "b", Title: "Some gadgets", Body: "Also " + strings.Join(names[n-10:], ", ") + "."},
	}
	var warns []string
	opts := CorpusOptions{Overrides: ov, Warn: func(id, reason string) { warns = append(warns, id+": "+reason) }}
	idx, ents, err := Corpus(context.Background(), docs, opts)
	if err != nil {
		t.Fatal(err)
	}
	got := docs[0].Facets["product"]
	if len(got) != doc.MaxFacetValues {
		t.Fatalf("a has %d products, want %d", len(got), doc.MaxFacetValues)
	}
	for _, keep := range names[n-10:] {
		if !slices.Contains(got, keep) {
			t.Errorf("a lost %s, which is in two documents", keep)
		}
	}
	if want := []string{fmt.Sprintf("a: %d product entities, kept the %d found in the most documents", n, doc.MaxFacetValues)}; !reflect.DeepEqual(warns, want) {
		t.Errorf("warnings %q, want %q", warns, want)
	}
	enc, err := indexfile.EncodeIndex(idx, indexfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	whole := enc.Whole()
	listed, err := indexfile.DecodeEntities(enc.Entities(), whole)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != doc.MaxFacetValues || len(listed) != doc.MaxFacetValues {
		t.Errorf("%d entities returned, %d in the index's entity list; want %d (those of no document dropped)", len(ents), len(listed), doc.MaxFacetValues)
	}
	for _, e := range listed {
		for _, id := range e.Docs {
			if !slices.Contains(docs[slices.IndexFunc(docs, func(d doc.Document) bool { return d.ID == id })].Facets["product"], e.Name) {
				t.Errorf("index lists %s in %s, which does not have it", e.Name, id)
			}
		}
	}
}

func TestCorpusDropsLongEntityNames(t *testing.T) {
	long := strings.TrimSpace(strings.Repeat("Zed ", doc.MaxFacetValueRunes/4+1))
	ov := &entity.Overrides{Path: "entities.yaml", Entries: []entity.OverrideEntry{
		{Name: long, Type: entity.Product}, {Name: "Gadget", Type: entity.Product},
	}}
	docs := []doc.Document{{ID: "a", Title: "A", Body: "We sell " + long + " and Gadget."}}
	var warns []string
	_, ents, err := Corpus(context.Background(), docs, CorpusOptions{Overrides: ov, Warn: func(id, reason string) { warns = append(warns, id+": "+reason) }})
	if err != nil {
		t.Fatal(err)
	}
	if got := docs[0].Facets["product"]; !reflect.DeepEqual(got, []string{"Gadget"}) {
		t.Errorf("products %q, want [Gadget]", got)
	}
	if len(ents) != 1 {
		t.Errorf("entities %v, want Gadget alone", ents)
	}
	if want := []string{"a: 1 product entity over 100 characters dropped"}; !reflect.DeepEqual(warns, want) {
		t.Errorf("warnings %q, want %q", warns, want)
	}
}
