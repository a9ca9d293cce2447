package breakdown

import (
	"context"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/indexfile"
)

func TestSplit(t *testing.T) {
	var docs []doc.Document
	bodyBytes := 0
	for i, w := range []string{"alpha", "beta", "gamma", "delta"} {
		body := strings.Repeat("The "+w+" report on turbulent boundary layers. ", 20+i)
		bodyBytes += len(body)
		docs = append(docs, doc.Document{ID: w, Title: "Report " + w, Body: body, URL: "/" + w})
	}
	data, err := build.Index(context.Background(), docs, build.Options{})
	if err != nil {
		t.Fatal(err)
	}
	parts, err := Split(data)
	if err != nil {
		t.Fatalf("Split: %v", err)
	}
	f, err := indexfile.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	size := map[string]int{}
	zap, pos := 0, 0
	for _, p := range parts {
		size[p.Name] = len(p.Data)
		if strings.HasPrefix(p.Name, "zap: ") {
			zap += len(p.Data)
		}
		if strings.HasPrefix(p.Name, "positions zap: ") {
			pos += len(p.Data)
		}
	}
	if zap != len(f.Segment) || pos != len(f.Positions) {
		t.Errorf("zap parts add up to %d and %d bytes, segments have %d and %d", zap, pos, len(f.Segment), len(f.Positions))
	}
	if got, want := size["inline text files"], len(f.Text); got != want {
		t.Errorf("inline text part = %d bytes, want %d", got, want)
	}
	// Body positions are in the positions segment only.
	if size["zap: body locations"] != 0 {
		t.Errorf("the main segment has %d bytes of body locations, want none", size["zap: body locations"])
	}
	for _, name := range []string{"zap: body dictionary (FST)", "zap: body postings bitmaps", "zap: body freq/norm", "positions zap: body locations", "zap: title locations", "zap: title dictionary (FST)", "meta: docs.title"} {
		if size[name] == 0 {
			t.Errorf("part %q missing or empty; parts: %v", name, size)
		}
	}
	// The display text lives in text files, not in the segment: its stored
	// fields hold only the ids.
	if got := size["zap: stored fields"]; got > bodyBytes/10 {
		t.Errorf("stored fields take %d bytes for %d bytes of body text; want the text out of the segment", got, bodyBytes)
	}
	if _, err := Split([]byte("not an index")); err == nil {
		t.Error("Split of garbage succeeded")
	}
}
