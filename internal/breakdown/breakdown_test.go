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
	for i, w := range []string{"alpha", "beta", "gamma", "delta"} {
		body := strings.Repeat("The "+w+" report on turbulent boundary layers. ", 20+i)
		docs = append(docs, doc.Document{ID: w, Title: "Report " + w, Body: body, URL: "/" + w})
	}
	data, err := build.Index(context.Background(), docs, build.Options{PartSize: 64, TextChunk: 1})
	if err != nil {
		t.Fatal(err)
	}
	parts, err := Split(data)
	if err != nil {
		t.Fatalf("Split: %v", err)
	}
	size := map[string]int{}
	total := 0
	for _, p := range parts {
		size[p.Name] = len(p.Data)
		total += len(p.Data)
	}
	// Every byte of the file is attributed once.
	if total != len(data) {
		t.Errorf("parts add up to %d bytes, the file has %d: %v", total, len(data), size)
	}
	for _, name := range []string{"meta: lengths (body)", "meta: dictionary (body)", "meta: dictionary (title)", "meta: part bounds",
		"meta: file sizes and sums", "inline text files (4)"} {
		if size[name] == 0 {
			t.Errorf("part %q missing or empty; parts: %v", name, size)
		}
	}
	found := false
	for name := range size {
		found = found || strings.HasPrefix(name, "inline parts (") && name != "inline parts (1)"
	}
	if !found {
		t.Errorf("no share of several inline parts: %v", size)
	}
	if _, err := Split([]byte("not an index")); err == nil {
		t.Error("Split of garbage succeeded")
	}
}

// Files groups separate files by kind, the rest bundle apart: it holds
// the parts and text files again, byte for byte.
func TestFiles(t *testing.T) {
	var docs []doc.Document
	for i, w := range []string{"alpha", "beta", "gamma", "delta"} {
		docs = append(docs, doc.Document{ID: w, Title: "Report " + w, Body: strings.Repeat("The "+w+" report. ", 10+i)})
	}
	data, err := build.Index(context.Background(), docs, build.Options{PartSize: 64, TextChunk: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, files, err := indexfile.Externalize(data)
	if err != nil {
		t.Fatal(err)
	}
	size := map[string]int{}
	for _, p := range Files(files, "") {
		size[p.Name] = len(p.Data)
	}
	var parts, texts, rest int
	for name, n := range size {
		switch {
		case strings.HasPrefix(name, "parts ("):
			parts = n
		case strings.HasPrefix(name, "text files ("):
			texts = n
		case strings.HasPrefix(name, "rest bundle"):
			rest = n
		}
	}
	if parts == 0 || texts == 0 || size["text files (4)"] == 0 || rest != parts+texts {
		t.Errorf("kinds %v: want parts, 4 text files and a rest bundle of their size", size)
	}
}
