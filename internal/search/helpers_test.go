package search

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/internal/doc"
)

// seedDocs loads the seed corpus as the CLI does for plain text: first
// line is the title when it is short and does not end like a sentence.
func seedDocs(t testing.TB) []doc.Document {
	t.Helper()
	files, err := filepath.Glob("../../corpus/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("seed corpus missing: %v", err)
	}
	sort.Strings(files)
	var docs []doc.Document
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		title, body := "", text
		if i := strings.IndexByte(text, '\n'); i > 0 && i < 120 && !strings.HasSuffix(strings.TrimSpace(text[:i]), ".") {
			title, body = strings.TrimSpace(text[:i]), text[i+1:]
		}
		id := filepath.Base(f)
		docs = append(docs, doc.Document{ID: id, Title: title, Body: body, URL: id})
	}
	return docs
}

const cranfieldDir = "../../../shared/data/cranfield"

type cranDoc struct {
	ID     json.Number `json:"id"`
	Title  string      `json:"title"`
	Author string      `json:"author"`
	Body   string      `json:"body"`
}

type cranQuery struct {
	ID       int    `json:"id"`
	Text     string `json:"text"`
	Keywords string `json:"keywords"`
}

type cranQrel struct {
	Query int         `json:"query"`
	Doc   json.Number `json:"doc"`
	Grade int         `json:"grade"`
}

// cranfield loads the Cranfield collection, skipping the test when absent.
func cranfield(t testing.TB) ([]doc.Document, []cranQuery, []cranQrel) {
	t.Helper()
	if _, err := os.Stat(cranfieldDir); err != nil {
		t.Skipf("Cranfield collection not found at %s (../shared/data is absent): skipping", cranfieldDir)
	}
	var cd []cranDoc
	var qs []cranQuery
	var qr []cranQrel
	for name, v := range map[string]interface{}{"docs.json": &cd, "queries.json": &qs, "qrels.json": &qr} {
		b, err := os.ReadFile(filepath.Join(cranfieldDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	docs := make([]doc.Document, len(cd))
	for i, d := range cd {
		docs[i] = doc.Document{ID: d.ID.String(), Title: d.Title, Body: d.Body, URL: "/doc/" + d.ID.String()}
	}
	return docs, qs, qr
}

// openDocs builds an index file from docs and opens it.
func openDocs(t testing.TB, docs []doc.Document) (*Engine, []byte) {
	t.Helper()
	e, err := Build(context.Background(), docs, Options{})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return e, nil
}
