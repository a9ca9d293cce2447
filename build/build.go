// Package build turns documents into a Quarry index: it maps and
// analyzes every document with the shared schema (bleve's mapping running
// Quarry's analysis chain), gathers each text field's postings — term
// frequencies and positions as bleve's analysis reports them — and the
// facet values into an indexfile.Index value, which package indexfile
// encodes (a head, parts by term range, text files).
//
// bleve builds and bleve judges: the analysis is bleve's, and the tests
// compare the engine's answers with bleve's own searchers over a zap
// segment of the same documents (internal/engine's differential test).
package build

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/indexfile"
	"github.com/quarry-search/quarry/internal/schema"
)

// Options configure an index build.
type Options struct {
	// Language of the analyzer (default english).
	Language string
	// FacetFields are keyword fields taken from Document.Facets.
	FacetFields []string
	// TitleBoost and BodyBoost are stored for query time (0 = default).
	TitleBoost, BodyBoost float64
	// TextChunk is the raw size of the text files holding the display
	// text (0 = indexfile.DefaultTextChunk).
	TextChunk int
	// PartSize is the raw size of postings per part (0 =
	// indexfile.DefaultPartSize).
	PartSize int
	// FullDictBytes is the dictionary size up to which the head's
	// expansion dictionary holds every term (0 = fullDictBytes).
	FullDictBytes int
}

// Index builds an index file from docs (without entity extraction; see
// Corpus).
func Index(ctx context.Context, docs []doc.Document, opts Options) ([]byte, error) {
	return buildIndex(ctx, docs, opts, nil)
}

// textFields are the searchable text fields, in the order the index
// lists them, and whether each keeps token positions (phrases).
var textFields = []struct {
	name      string
	positions bool
}{{schema.FieldTitle, true}, {schema.FieldBody, true}, {schema.FieldURL, false}}

// fullDictBytes is the size of the dictionary (all terms of all text
// fields, summed) up to which every term is in the head's expansion
// dictionary. Past it, the head keeps every title term and the body and
// URL terms found in two documents or more: on the PHP manual (10,872
// pages) that is 26,300 of 50,200 terms, and the dictionary goes from
// 564 kB to 262 kB raw; a word found in one body only is still found
// exactly (its part holds every term of its range), it just does not
// complete another word or correct a typo.
const fullDictBytes = 128 << 10

func buildIndex(ctx context.Context, docs []doc.Document, opts Options, entities []indexfile.EntityMeta) ([]byte, error) {
	idx, err := analyze(ctx, docs, opts, entities)
	if err != nil {
		return nil, err
	}
	return indexfile.Encode(idx, indexfile.Options{TextChunk: opts.TextChunk, PartSize: opts.PartSize})
}

// analyze turns docs into the index value.
func analyze(ctx context.Context, docs []doc.Document, opts Options, entities []indexfile.EntityMeta) (*indexfile.Index, error) {
	if len(docs) == 0 {
		return nil, fmt.Errorf("no documents to index")
	}
	lang, err := schema.LookupLanguage(opts.Language)
	if err != nil {
		return nil, err
	}
	im, err := schema.NewMapping(schema.Options{Language: lang.Name, FacetFields: opts.FacetFields})
	if err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	n := len(docs)
	idx := &indexfile.Index{
		Language:   lang.Name,
		Generator:  "quarry",
		TitleBoost: orDefault(opts.TitleBoost, schema.DefaultTitleBoost),
		BodyBoost:  orDefault(opts.BodyBoost, schema.DefaultBodyBoost),
		Docs:       make([]indexfile.Doc, 0, n),
		Entities:   entities,
	}
	// postings per text field: term -> postings being gathered.
	type gather struct {
		terms   map[string]*indexfile.Term
		lengths []uint32
	}
	fields := make([]gather, len(textFields))
	for i := range fields {
		fields[i] = gather{terms: map[string]*indexfile.Term{}, lengths: make([]uint32, n)}
	}
	fieldIndex := map[string]int{}
	for i, f := range textFields {
		fieldIndex[f.name] = i
	}
	facets := map[string]map[string][]uint32{}
	for _, f := range opts.FacetFields {
		facets[f] = map[string][]uint32{}
	}
	seen := make(map[string]bool, n)
	for i := range docs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		d := &docs[i]
		if d.ID == "" {
			return nil, fmt.Errorf("document %d has no id", i)
		}
		if seen[d.ID] {
			return nil, fmt.Errorf("duplicate document id %q", d.ID)
		}
		seen[d.ID] = true
		bd, err := Analyze(im, d, opts.FacetFields)
		if err != nil {
			return nil, fmt.Errorf("document %q: %w", d.ID, err)
		}
		num := uint32(i)
		bd.VisitFields(func(f index.Field) {
			if !f.Options().IsIndexed() || f.Name() == "_id" {
				return
			}
			if vals, ok := facets[f.Name()]; ok {
				for _, tf := range f.AnalyzedTokenFrequencies() {
					v := string(tf.Term)
					if ds := vals[v]; len(ds) == 0 || ds[len(ds)-1] != num {
						vals[v] = append(ds, num)
					}
				}
				return
			}
			fi, ok := fieldIndex[f.Name()]
			if !ok {
				return
			}
			g := &fields[fi]
			g.lengths[i] += uint32(f.AnalyzedLength())
			for _, tf := range f.AnalyzedTokenFrequencies() {
				t := g.terms[string(tf.Term)]
				if t == nil {
					t = &indexfile.Term{Text: string(tf.Term)}
					g.terms[t.Text] = t
				}
				t.Docs = append(t.Docs, num)
				t.Freqs = append(t.Freqs, uint32(tf.Frequency()))
				if textFields[fi].positions {
					pos := make([]uint32, len(tf.Locations))
					for k, l := range tf.Locations {
						pos[k] = uint32(l.Position)
					}
					slices.Sort(pos)
					t.Pos = append(t.Pos, pos)
				}
			}
		})
		idx.Docs = append(idx.Docs, indexfile.Doc{ID: d.ID, Title: d.Title, URL: d.URL, Sections: SectionOffsets(d), Body: d.Body})
	}
	dictBytes := 0
	for _, g := range fields {
		for t := range g.terms {
			dictBytes += len(t)
		}
	}
	for fi, g := range fields {
		f := indexfile.Field{Name: textFields[fi].name, Positions: textFields[fi].positions, Lengths: g.lengths, ExpandMinDF: 1}
		if dictBytes > cmp.Or(opts.FullDictBytes, fullDictBytes) && f.Name != schema.FieldTitle {
			f.ExpandMinDF = 2
		}
		f.Terms = make([]indexfile.Term, 0, len(g.terms))
		for _, t := range g.terms {
			f.Terms = append(f.Terms, *t)
		}
		slices.SortFunc(f.Terms, func(a, b indexfile.Term) int { return strings.Compare(a.Text, b.Text) })
		idx.Fields = append(idx.Fields, f)
	}
	for _, name := range opts.FacetFields {
		fc := indexfile.Facet{Field: name}
		for v, ds := range facets[name] {
			fc.Values = append(fc.Values, indexfile.FacetValue{Value: v, Docs: ds})
		}
		slices.SortFunc(fc.Values, func(a, b indexfile.FacetValue) int { return strings.Compare(a.Value, b.Value) })
		idx.Facets = append(idx.Facets, fc)
	}
	return idx, nil
}

// Norm is the field norm bleve stores for a field of length tokens, as the
// engine recomputes it from the lengths in the index's head.
func Norm(length uint32) float32 { return float32(1 / math.Sqrt(float64(length))) }

// Fields returns the field values the mapping indexes for d.
func Fields(d *doc.Document, facetFields []string) map[string]interface{} {
	data := map[string]interface{}{
		schema.FieldTitle: d.Title,
		schema.FieldBody:  d.Body,
		schema.FieldURL:   d.URL,
	}
	for _, f := range facetFields {
		if vs := d.Facets[f]; len(vs) > 0 {
			data[f] = vs
		}
	}
	return data
}

// Analyze maps d with im and runs the analyzers, as bleve's scorch does
// before it writes a segment.
func Analyze(im interface {
	MapDocument(*document.Document, interface{}) error
}, d *doc.Document, facetFields []string) (*document.Document, error) {
	bd := document.NewDocument(d.ID)
	if err := im.MapDocument(bd, Fields(d, facetFields)); err != nil {
		return nil, fmt.Errorf("map: %w", err)
	}
	bd.AddIDField()
	bd.VisitFields(func(f index.Field) {
		if f.Options().IsIndexed() {
			f.Analyze()
		}
	})
	return bd, nil
}

// SectionOffsets finds where each section starts in d.Body: at its
// heading, searched in order (headings are part of the body text), else at
// the start of its text.
func SectionOffsets(d *doc.Document) []indexfile.SectionMeta {
	var out []indexfile.SectionMeta
	from := 0
	for _, s := range d.Sections {
		if s.Anchor == "" {
			continue
		}
		at := -1
		for _, probe := range []string{s.Heading, firstLine(s.Text)} {
			if probe == "" {
				continue
			}
			if i := strings.Index(d.Body[from:], probe); i >= 0 {
				at = from + i
				break
			}
		}
		if at < 0 {
			continue
		}
		out = append(out, indexfile.SectionMeta{Anchor: s.Anchor, Heading: s.Heading, Start: at})
		from = at
	}
	return out
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i > 0 {
		s = s[:i]
	}
	if len(s) > 80 {
		s = s[:80]
		for len(s) > 0 && !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}

func orDefault(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

// WriteFileAtomic writes data to path through a temporary file in the same
// directory that is synced and renamed into place, so a failed or
// interrupted write never leaves a partial file at path.
func WriteFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create temporary file: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", tmp.Name(), err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmp.Name(), err)
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("chmod %s: %w", tmp.Name(), err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("rename to %s: %w", path, err)
	}
	return nil
}
