package zap

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zapx "github.com/blevesearch/zapx/v16"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/indexfile"
	"github.com/quarry-search/quarry/internal/schema"
	"github.com/quarry-search/quarry/internal/testcorpus"
)

// facetField is the keyword facet field every test corpus carries.
const facetField = "org"

var facetOpts = build.Options{FacetFields: []string{facetField}}

// withFacets returns a copy of docs where some documents have one or two
// values of the facet field and others none.
func withFacets(docs []doc.Document) []doc.Document {
	orgs := []string{"Acme Corp", "Globex", "Initech", "Umbrella", "Stark Industries"}
	out := make([]doc.Document, len(docs))
	for i, d := range docs {
		switch i % 4 {
		case 0:
			d.Facets = map[string][]string{facetField: {orgs[i%len(orgs)]}}
		case 1:
			d.Facets = map[string][]string{facetField: {orgs[i%len(orgs)], orgs[(i+2)%len(orgs)]}}
		}
		out[i] = d
	}
	return out
}

// segments are a corpus's two segments as build.Index writes them.
type segments struct{ light, full []byte }

// buildSegments indexes docs (with the facet field) and returns the light
// segment (body without positions) and the full one.
func buildSegments(t testing.TB, docs []doc.Document) segments {
	t.Helper()
	data, err := build.Index(context.Background(), docs, facetOpts)
	if err != nil {
		t.Fatal(err)
	}
	f, err := indexfile.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if f.Positions == nil {
		t.Fatal("index has no inline positions segment")
	}
	return segments{light: f.Segment, full: f.Positions}
}

var (
	seedOnce sync.Once
	seedSegs segments
)

// seedSegments returns the seed corpus's segments (built once).
func seedSegments(t testing.TB) segments {
	t.Helper()
	docs := withFacets(testcorpus.Seeds(t))
	seedOnce.Do(func() { seedSegs = buildSegments(t, docs) })
	return seedSegs
}

// openZapx opens seg with zapx as internal/reader does.
func openZapx(t testing.TB, seg []byte) *zapx.SegmentBase {
	t.Helper()
	ft := seg[len(seg)-footerSize:]
	sb, err := zapx.InitSegmentBase(seg[:len(seg)-footerSize], binary.BigEndian.Uint32(ft[48:]),
		binary.BigEndian.Uint32(ft[40:]), binary.BigEndian.Uint64(ft),
		binary.BigEndian.Uint64(ft[8:]), binary.BigEndian.Uint64(ft[24:]))
	if err != nil {
		t.Fatalf("zapx: %v", err)
	}
	return sb
}

// merged rewrites seg through zapx's merger, which uses the 1-hit
// encoding for terms in one document with frequency 1 and no locations
// (zapx's in-memory builder never does).
func merged(t testing.TB, seg []byte) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "merged.zap")
	_, _, err := (&zapx.ZapPlugin{}).Merge([]segment.Segment{openZapx(t, seg)}, []*roaring.Bitmap{nil}, path, nil, nil)
	if err != nil {
		t.Fatalf("merge: %v", err)
	}
	out, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// buildWithChunkMode writes docs (analyzed with positions) into a zap
// segment with zapx's builder in the given chunk mode.
func buildWithChunkMode(t testing.TB, docs []doc.Document, mode uint32) []byte {
	t.Helper()
	im, err := schema.NewMapping(schema.Options{FacetFields: facetOpts.FacetFields})
	if err != nil {
		t.Fatal(err)
	}
	analyzed := make([]index.Document, len(docs))
	for i := range docs {
		bd, err := build.Analyze(im, &docs[i], facetOpts.FacetFields)
		if err != nil {
			t.Fatal(err)
		}
		analyzed[i] = bd
	}
	defer func(old uint32) { zapx.DefaultChunkMode = old }(zapx.DefaultChunkMode)
	zapx.DefaultChunkMode = mode
	seg, _, err := (&zapx.ZapPlugin{}).New(analyzed)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := seg.(*zapx.SegmentBase).WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// synthetic returns n short documents: every one has "common", every
// k-th has "every<k>" for k in 2, 3, 7, 500, one has "unique<i>".
func synthetic(n int) []doc.Document {
	docs := make([]doc.Document, n)
	for i := range docs {
		body := "common unique" + strconv.Itoa(i)
		for _, k := range []int{2, 3, 7, 500} {
			if i%k == 0 {
				body += " every" + strconv.Itoa(k) + " every" + strconv.Itoa(k)
			}
		}
		id := "d" + strconv.Itoa(i)
		docs[i] = doc.Document{ID: id, Title: "Doc " + strconv.Itoa(i%10), Body: body, URL: "/" + id}
	}
	return withFacets(docs)
}

// skipOnJS skips heavy tests in the browser build of the tests.
func skipOnJS(t testing.TB, why string) {
	t.Helper()
	if runtime.GOOS == "js" {
		t.Skip("skipped under GOOS=js: " + why)
	}
}

// mustOpen opens seg with Open, failing t on error.
func mustOpen(t testing.TB, seg []byte) *Segment {
	t.Helper()
	s, err := Open(seg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

// prefixEnd returns the smallest key above every key starting with p
// (nil when there is none).
func prefixEnd(p []byte) []byte {
	end := bytes.Clone(p)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}
