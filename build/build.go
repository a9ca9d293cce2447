// Package build turns documents into a Quarry index file: it maps and
// analyzes every document with the shared schema, writes them into zap
// v16 segments with zapx's in-memory segment builder — the light one
// without body positions and the positions one with them (see
// indexfile) — and wraps them with Quarry's header, metadata, the
// documents' text and a checksum.
//
// zapx's New+WriteTo is used rather than bleve.NewBuilder: it needs no
// temporary directory or bolt metadata, keeps documents in input order
// (doc number i is input document i, which the metadata relies on) and
// produces exactly the one segment the browser loads.
package build

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"
	zap "github.com/blevesearch/zapx/v16"

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
}

// Index builds an index file from docs (without entity extraction; see
// Corpus).
func Index(ctx context.Context, docs []doc.Document, opts Options) ([]byte, error) {
	return buildIndex(ctx, docs, opts, nil)
}

func buildIndex(ctx context.Context, docs []doc.Document, opts Options, entities []indexfile.EntityMeta) ([]byte, error) {
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
	imLight, err := schema.NewMapping(schema.Options{Language: lang.Name, FacetFields: opts.FacetFields, NoBodyPositions: true})
	if err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	seen := make(map[string]bool, len(docs))
	texts := make([]string, 0, len(docs))
	analyzed := make([]index.Document, 0, len(docs))
	light := make([]index.Document, 0, len(docs))
	meta := &indexfile.Meta{
		Language:    lang.Name,
		DocCount:    len(docs),
		Docs:        make([]indexfile.DocMeta, 0, len(docs)),
		FacetFields: opts.FacetFields,
		TitleBoost:  orDefault(opts.TitleBoost, schema.DefaultTitleBoost),
		BodyBoost:   orDefault(opts.BodyBoost, schema.DefaultBodyBoost),
		Generator:   "quarry",
		FieldTokens: map[string]int{},
		Entities:    entities,
	}
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
		bd.VisitFields(func(f index.Field) {
			if f.Options().IsIndexed() && f.Name() != "_id" {
				meta.FieldTokens[f.Name()] += f.AnalyzedLength()
			}
		})
		dropOffsets(bd)
		analyzed = append(analyzed, bd)
		texts = append(texts, d.Body)
		lbd, err := Analyze(imLight, d, opts.FacetFields)
		if err != nil {
			return nil, fmt.Errorf("document %q: %w", d.ID, err)
		}
		dropOffsets(lbd)
		light = append(light, lbd)
		meta.Docs = append(meta.Docs, indexfile.DocMeta{ID: d.ID, Title: d.Title, URL: d.URL, Sections: SectionOffsets(d)})
	}
	full, err := segment(analyzed)
	if err != nil {
		return nil, err
	}
	lite, err := segment(light)
	if err != nil {
		return nil, err
	}
	meta.Positions = indexfile.NewPositionsFile(full)
	var text []byte
	meta.Texts, text = indexfile.EncodeTexts(texts, opts.TextChunk)
	return indexfile.Encode(meta, text, full, lite)
}

// segment writes analyzed documents into one canonical zap v16 segment.
func segment(docs []index.Document) ([]byte, error) {
	seg, _, err := (&zap.ZapPlugin{}).New(docs)
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
	b := buf.Bytes()
	if err := canonicalize(b); err != nil {
		return nil, fmt.Errorf("canonicalize segment: %w", err)
	}
	return b, nil
}

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

// dropOffsets zeroes the byte offsets of every token location, keeping
// positions (which phrase queries need). Offsets are only used to mark
// excerpts, and those are found again in the document's text when it is
// shown (see internal/search); zeros cost one byte per location where
// offsets cost two to four, and compress to almost nothing: the Cranfield
// index loses 1.3 MB raw, about 500 kB brotli.
func dropOffsets(d *document.Document) {
	d.VisitFields(func(f index.Field) {
		for _, tf := range f.AnalyzedTokenFrequencies() {
			for _, l := range tf.Locations {
				l.Start, l.End = 0, 0
			}
		}
	})
}
