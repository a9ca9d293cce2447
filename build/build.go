// Package build turns documents into a Quarry index: it analyzes every
// document with the shared schema's text analyzer (the analyzer bleve's
// mapping runs: Quarry's analysis chain) on all cores, gathers each text
// field's postings — term frequencies and positions as bleve's analysis
// reports them (TestAnalyzeMatchesBleve) — and the facet values, mapped by
// bleve, into an indexfile.Index value, which package indexfile encodes
// once (a head, parts by term range, text files) and package site writes.
// Corpus finds the entities meanwhile: the text fields do not depend on
// them.
//
// bleve judges: the tests compare the engine's answers with bleve's own
// searchers over a zap segment of the same documents (internal/engine's
// differential test).
package build

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/quarry-search/quarry/internal/analysis"
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
	// DictTerms bounds the terms of a partial expansion dictionary (0 =
	// dictTerms).
	DictTerms int
}

// Index builds an index file from docs, whole (every part inline; see
// indexfile.Encode), without entity extraction (see Corpus).
func Index(ctx context.Context, docs []doc.Document, opts Options) ([]byte, error) {
	idx, err := analyze(ctx, docs, opts, nil)
	if err != nil {
		return nil, err
	}
	return indexfile.Encode(idx, EncodeOptions(opts))
}

// EncodeOptions are the indexfile options of a build's options.
func EncodeOptions(opts Options) indexfile.Options {
	return indexfile.Options{TextChunk: opts.TextChunk, PartSize: opts.PartSize}
}

// textFields are the searchable text fields, in the order the index
// lists them, and whether each keeps token positions (phrases).
var textFields = [...]textField{{schema.FieldTitle, true}, {schema.FieldBody, true}, {schema.FieldURL, false}}

type textField struct {
	name      string
	positions bool
}

// fullDictBytes is the size of the dictionary (all terms of all text
// fields, summed) up to which every term is in the head's expansion
// dictionary, which prefix and typo expansion read before any part is
// fetched. Past it, the head keeps the terms found in at least a number
// of documents (dictMinDF), so that the head stops growing with the
// vocabulary; the other terms are still found exactly (their part holds
// every term of its range) and still complete a prefix or correct a typo
// from the parts the query fetches anyway (see the engine's Terms).
const fullDictBytes = 128 << 10

// dictTerms bounds the terms of a partial expansion dictionary, summed
// over the text fields. Measured on the PHP manual's first 1,000 and
// 10,000 pages (brotli): keeping every title term and the body terms in
// two documents or more (the rule before) made heads of 30.1 and 132.1 kB
// (4.4×), the dictionaries growing with the vocabulary (22.8 and 94 kB);
// with at most 8,192 terms (the larger keeps terms in six documents or
// more) the heads are 28.8 and 79.1 kB (2.7×; issue 11 asks for at most
// 3×), and the PHP manual's 30 queries as typed find what they find
// finished exactly as often (29 of 30, TestAsTypedAgreement), the rare
// words now completing from their parts.
const dictTerms = 8192

// dictMinDF returns the fewest documents, at least 2, a term must be in
// for the expansion dictionary to hold at most limit terms, given each
// field's terms' document counts.
func dictMinDF(dfs [][]int, limit int) int {
	var hist []int // hist[df]: terms in df documents
	for _, f := range dfs {
		for _, df := range f {
			for len(hist) <= df {
				hist = append(hist, 0)
			}
			hist[df]++
		}
	}
	kept := 0
	for df := len(hist) - 1; df >= 2; df-- {
		if kept+hist[df] > limit {
			return df + 1
		}
		kept += hist[df]
	}
	return 2
}

// analyze turns docs into the index value: the text fields (analyzeText)
// and the facets opts.FacetFields (addFacets).
func analyze(ctx context.Context, docs []doc.Document, opts Options, entities []indexfile.EntityMeta) (*indexfile.Index, error) {
	if err := checkFacetFields(opts.FacetFields); err != nil {
		return nil, err
	}
	idx, err := analyzeText(ctx, docs, opts)
	if err != nil {
		return nil, err
	}
	if err := addFacets(idx, docs, opts.FacetFields); err != nil {
		return nil, err
	}
	idx.Entities = entities
	return idx, nil
}

// checkFacetFields refuses facet field names the mapping refuses.
func checkFacetFields(fields []string) error {
	if _, err := schema.NewMapping(schema.Options{FacetFields: fields}); err != nil {
		return fmt.Errorf("mapping: %w", err)
	}
	return nil
}

// analyzeText turns docs into the index value without its facets: the
// documents and the postings of the text fields. Documents are analyzed
// on all cores (analyzeDocs) and their terms gathered here, in document
// order, so that postings come out ascending. It reads docs' text only,
// not their facets, so it may run while their facets are being found.
func analyzeText(ctx context.Context, docs []doc.Document, opts Options) (*indexfile.Index, error) {
	if len(docs) == 0 {
		return nil, fmt.Errorf("no documents to index")
	}
	lang, err := schema.LookupLanguage(opts.Language)
	if err != nil {
		return nil, err
	}
	im, err := schema.NewMapping(schema.Options{Language: lang.Name})
	if err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	n := len(docs)
	seen := make(map[string]bool, n)
	for i := range docs {
		d := &docs[i]
		if d.ID == "" {
			return nil, fmt.Errorf("document %d has no id", i)
		}
		if seen[d.ID] {
			return nil, fmt.Errorf("duplicate document id %q", d.ID)
		}
		seen[d.ID] = true
	}
	seen = nil
	idx := &indexfile.Index{
		Language:   lang.Name,
		Generator:  "quarry",
		TitleBoost: orDefault(opts.TitleBoost, schema.DefaultTitleBoost),
		BodyBoost:  orDefault(opts.BodyBoost, schema.DefaultBodyBoost),
		Docs:       make([]indexfile.Doc, n),
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
	an := schema.TextAnalysis(im)
	if an == nil {
		return nil, fmt.Errorf("mapping: no %s analyzer", schema.TextAnalyzer)
	}
	err = analyzeDocs(ctx, an, docs, func(i int, a *analyzed) {
		num := uint32(i)
		for fi := range a.fields {
			af := &a.fields[fi]
			g := &fields[fi]
			g.lengths[i] = af.length
			at := 0
			for k, term := range af.terms {
				t := g.terms[term]
				if t == nil {
					t = &indexfile.Term{Text: strings.Clone(term)}
					g.terms[t.Text] = t
				}
				fr := af.freqs[k]
				t.Docs = append(t.Docs, num)
				t.Freqs = append(t.Freqs, fr)
				if textFields[fi].positions {
					t.Pos = append(t.Pos, af.pos[at:at+int(fr):at+int(fr)])
					at += int(fr)
				}
			}
		}
		d := &docs[i]
		idx.Docs[i] = indexfile.Doc{ID: d.ID, Title: d.Title, URL: d.URL, Sections: SectionOffsets(d), Body: d.Body}
	})
	if err != nil {
		return nil, err
	}
	dictBytes := 0
	for _, g := range fields {
		for t := range g.terms {
			dictBytes += len(t)
		}
	}
	minDF := 1
	if dictBytes > cmp.Or(opts.FullDictBytes, fullDictBytes) {
		dfs := make([][]int, len(fields))
		for fi, g := range fields {
			for _, t := range g.terms {
				dfs[fi] = append(dfs[fi], len(t.Docs))
			}
		}
		minDF = dictMinDF(dfs, cmp.Or(opts.DictTerms, dictTerms))
	}
	for fi, g := range fields {
		f := indexfile.Field{Name: textFields[fi].name, Positions: textFields[fi].positions, Lengths: g.lengths, ExpandMinDF: minDF}
		f.Terms = make([]indexfile.Term, 0, len(g.terms))
		for _, t := range g.terms {
			f.Terms = append(f.Terms, *t)
		}
		slices.SortFunc(f.Terms, func(a, b indexfile.Term) int { return strings.Compare(a.Text, b.Text) })
		idx.Fields = append(idx.Fields, f)
	}
	return idx, nil
}

// addFacets adds to idx the facets facetFields of docs (Document.Facets),
// analyzed as bleve's mapping analyzes keyword fields.
func addFacets(idx *indexfile.Index, docs []doc.Document, facetFields []string) error {
	if len(facetFields) == 0 {
		return nil
	}
	im, err := schema.NewMapping(schema.Options{Language: idx.Language, FacetFields: facetFields})
	if err != nil {
		return fmt.Errorf("mapping: %w", err)
	}
	facetIndex := make(map[string]int, len(facetFields))
	for i, f := range facetFields {
		facetIndex[f] = i
	}
	facets := make([]map[string][]uint32, len(facetFields))
	for i := range facets {
		facets[i] = map[string][]uint32{}
	}
	for i := range docs {
		d := &docs[i]
		data := map[string]interface{}{}
		for _, f := range facetFields {
			if vs := d.Facets[f]; len(vs) > 0 {
				data[f] = vs
			}
		}
		if len(data) == 0 {
			continue
		}
		bd := document.NewDocument(d.ID)
		if err := im.MapDocument(bd, data); err != nil {
			return fmt.Errorf("document %q: map: %w", d.ID, err)
		}
		num := uint32(i)
		bd.VisitFields(func(f index.Field) {
			fi, ok := facetIndex[f.Name()]
			if !ok || !f.Options().IsIndexed() {
				return
			}
			f.Analyze()
			vals := facets[fi]
			for _, tf := range f.AnalyzedTokenFrequencies() {
				v := string(tf.Term)
				if ds := vals[v]; len(ds) == 0 || ds[len(ds)-1] != num {
					vals[v] = append(ds, num)
				}
			}
		})
	}
	for i, name := range facetFields {
		fc := indexfile.Facet{Field: name}
		for v, ds := range facets[i] {
			fc.Values = append(fc.Values, indexfile.FacetValue{Value: v, Docs: ds})
		}
		slices.SortFunc(fc.Values, func(a, b indexfile.FacetValue) int { return strings.Compare(a.Value, b.Value) })
		idx.Facets = append(idx.Facets, fc)
	}
	return nil
}

// analyzed is what one document's analysis gives: per text field (in the
// order of textFields) its terms.
type analyzed struct {
	fields [len(textFields)]analyzedField
}

// analyzedField is one text field of a document: its length in tokens,
// its distinct terms with their frequencies and, when the field keeps
// positions, every term's positions (ascending) one term after the other.
type analyzedField struct {
	length uint32
	terms  []string
	freqs  []uint32
	pos    []uint32
}

// analyzeWindow is how many documents may be analyzed ahead of the one
// being gathered, per core: it keeps the cores busy while bounding the
// memory held by documents analyzed and not yet gathered.
const analyzeWindow = 16

// analyzeDocs analyzes docs on all cores (Analyze: bleve's mapping and
// analysis) and calls gather with each document's terms in document
// order, on the calling goroutine. At most analyzeWindow documents per
// core are analyzed ahead of the one gathered.
func analyzeDocs(ctx context.Context, an *analysis.Analyzer, docs []doc.Document, gather func(i int, a *analyzed)) error {
	type result struct {
		a   analyzed
		err error
	}
	type job struct {
		i   int
		out chan result
	}
	workers := min(runtime.GOMAXPROCS(0), len(docs))
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	// On an early return, cancel lets the feeder and the workers finish.
	defer func() { cancel(); wg.Wait() }()
	// order holds each document's result channel in document order; its
	// capacity bounds the documents in flight.
	order := make(chan chan result, workers*analyzeWindow)
	jobs := make(chan job, workers)
	go func() {
		defer close(order)
		defer close(jobs)
		for i := range docs {
			out := make(chan result, 1)
			select {
			case order <- out:
			case <-ctx.Done():
				return
			}
			jobs <- job{i, out} // a worker takes it: they stop only when jobs is closed
		}
	}()
	for range workers {
		wg.Go(func() {
			seen := map[string]int{} // reused: term -> its index in a field's terms
			for j := range jobs {
				var r result
				if ctx.Err() == nil {
					analyzeDoc(an, &docs[j.i], &r.a, seen)
				}
				j.out <- r
			}
		})
	}
	for i := range docs {
		var out chan result
		select {
		case out = <-order:
		case <-ctx.Done():
			return ctx.Err()
		}
		r := <-out
		if err := ctx.Err(); err != nil {
			return err
		}
		if r.err != nil {
			return fmt.Errorf("document %q: %w", docs[i].ID, r.err)
		}
		gather(i, &r.a)
	}
	return nil
}

// analyzeDoc analyzes the text fields of d into a: each field's tokens
// counted by term as bleve's TokenFrequency counts them, positions
// ascending. seen is scratch space, left empty.
func analyzeDoc(an *analysis.Analyzer, d *doc.Document, a *analyzed, seen map[string]int) {
	for fi, f := range textFields {
		toks := an.Analyze(fieldText(d, f.name))
		af := &a.fields[fi]
		af.length = uint32(len(toks))
		if len(toks) == 0 {
			continue
		}
		for _, t := range toks {
			k, ok := seen[t.Term]
			if !ok {
				k = len(af.terms)
				seen[t.Term] = k
				af.terms = append(af.terms, t.Term)
				af.freqs = append(af.freqs, 0)
			}
			af.freqs[k]++
		}
		if f.positions {
			// Each term's positions in a run of its own, in term order:
			// tokens come in position order, so each run is ascending.
			start := make([]uint32, len(af.terms)+1)
			for k, fr := range af.freqs {
				start[k+1] = start[k] + fr
			}
			af.pos = make([]uint32, len(toks))
			for _, t := range toks {
				k := seen[t.Term]
				af.pos[start[k]] = uint32(t.Position)
				start[k]++
			}
		}
		clear(seen)
	}
}

// fieldText is the text of the text field named name.
func fieldText(d *doc.Document, name string) string {
	switch name {
	case schema.FieldTitle:
		return d.Title
	case schema.FieldBody:
		return d.Body
	}
	return d.URL
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
