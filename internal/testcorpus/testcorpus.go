// Package testcorpus is the one place tests and benchmarks find their
// data: the seed articles in corpus/ and the collections in
// ../shared/data (Cranfield, CACM, the Hugo docs, the PHP manual), which
// live outside the repository. Every loader skips the calling test with a
// message saying what is missing instead of failing, so a clone without
// ../shared/data still runs the rest.
//
// The data directory is QUARRY_SHARED_DATA when set, else ../shared/data
// beside the module root (the directory holding go.mod).
package testcorpus

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/quarry-search/quarry/internal/doc"
)

// EnvDir names the environment variable that overrides the data directory.
const EnvDir = "QUARRY_SHARED_DATA"

// ModuleRoot returns the directory holding go.mod, searched upwards from
// the working directory (a test's package directory).
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}

// Dir returns the shared data directory and whether it exists.
func Dir() (string, bool) {
	dir := os.Getenv(EnvDir)
	if dir == "" {
		root, err := ModuleRoot()
		if err != nil {
			return "", false
		}
		dir = filepath.Join(root, "..", "shared", "data")
	}
	st, err := os.Stat(dir)
	return dir, err == nil && st.IsDir()
}

// Path returns the path of name inside the shared data directory, skipping
// t when it does not exist.
func Path(t testing.TB, name string) string {
	t.Helper()
	dir, ok := Dir()
	if !ok {
		t.Skipf("shared data not found (%s, or set %s): skipping", filepath.Join("..", "shared", "data"), EnvDir)
	}
	p := filepath.Join(dir, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s not found in the shared data: skipping", name)
	}
	return p
}

// Query is one query of a collection.
type Query struct {
	ID   int    `json:"id"`
	Text string `json:"text"`
}

// Qrel is one relevance judgement.
type Qrel struct {
	Query int    `json:"query"`
	Doc   string `json:"doc"`
	Grade int    `json:"grade"`
}

// Collection is a corpus with its queries and, for test collections, its
// relevance judgements.
type Collection struct {
	Name    string
	Docs    []doc.Document
	Queries []Query
	Qrels   []Qrel
}

// Seeds returns the seed corpus (corpus/*.txt) as the tests have always
// read it: the first line is the title when it is short and does not end
// like a sentence; id and URL are the file name.
func Seeds(t testing.TB) []doc.Document {
	t.Helper()
	root, err := ModuleRoot()
	if err != nil {
		t.Fatalf("module root: %v", err)
	}
	files, err := filepath.Glob(filepath.Join(root, "corpus", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("seed corpus missing in %s: %v", filepath.Join(root, "corpus"), err)
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

var (
	cacheMu sync.Mutex
	cache   = map[string]*Collection{}
)

// load reads a collection's docs.json, queries.json and (when present)
// qrels.json once per process; the result must not be modified.
func load(t testing.TB, name string, mk func(raw json.RawMessage) ([]doc.Document, error)) *Collection {
	t.Helper()
	dir := Path(t, name)
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if c, ok := cache[name]; ok {
		return c
	}
	c := &Collection{Name: name}
	var raw json.RawMessage
	if err := readJSON(filepath.Join(dir, "docs.json"), &raw); err != nil {
		t.Fatal(err)
	}
	docs, err := mk(raw)
	if err != nil {
		t.Fatalf("%s/docs.json: %v", name, err)
	}
	c.Docs = docs
	if err := readJSON(filepath.Join(dir, "queries.json"), &c.Queries); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "qrels.json")); err == nil {
		var qr []struct {
			Query int    `json:"query"`
			Doc   flexID `json:"doc"`
			Grade int    `json:"grade"`
		}
		if err := readJSON(filepath.Join(dir, "qrels.json"), &qr); err != nil {
			t.Fatal(err)
		}
		for _, r := range qr {
			c.Qrels = append(c.Qrels, Qrel{Query: r.Query, Doc: string(r.Doc), Grade: r.Grade})
		}
	}
	cache[name] = c
	return c
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return &os.PathError{Op: "parse", Path: path, Err: err}
	}
	return nil
}

// flexID reads an id written as a JSON string or number.
type flexID string

func (f *flexID) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexID(n.String())
	return nil
}

type rawDoc struct {
	ID          flexID `json:"id"`
	Title       string `json:"title"`
	Body        string `json:"body"`
	Path        string `json:"path"`
	Description string `json:"description"`
}

func plainDocs(prefix string) func(json.RawMessage) ([]doc.Document, error) {
	return func(raw json.RawMessage) ([]doc.Document, error) {
		var rd []rawDoc
		if err := json.Unmarshal(raw, &rd); err != nil {
			return nil, err
		}
		docs := make([]doc.Document, len(rd))
		for i, d := range rd {
			id := string(d.ID)
			url := prefix + id
			if d.Path != "" {
				url = "/" + strings.TrimPrefix(d.Path, "/")
			}
			body := d.Body
			if d.Description != "" && !strings.HasPrefix(body, d.Description) {
				body = strings.TrimSpace(d.Description + "\n\n" + body)
			}
			docs[i] = doc.Document{ID: id, Title: d.Title, Body: body, URL: url}
		}
		return docs, nil
	}
}

// Cranfield returns the Cranfield collection (1400 abstracts, 225 queries,
// graded judgements), skipping t when it is absent.
func Cranfield(t testing.TB) *Collection { return load(t, "cranfield", plainDocs("/doc/")) }

// CACM returns the CACM collection (3204 documents, 52 judged queries,
// binary judgements), skipping t when it is absent.
func CACM(t testing.TB) *Collection { return load(t, "cacm", plainDocs("/doc/")) }

// HugoDocs returns the Hugo documentation as plain documents (945 pages,
// 30 queries, no judgements), skipping t when it is absent.
func HugoDocs(t testing.TB) *Collection { return load(t, "hugodocs", plainDocs("/doc/")) }

// PHPDocs returns the PHP manual as plain documents (10,872 pages, 30
// queries, no judgements), skipping t when it is absent.
func PHPDocs(t testing.TB) *Collection { return load(t, "phpdocs", plainDocs("/doc/")) }

// Judgements returns, per query id, each judged document's grade.
func (c *Collection) Judgements() map[int]map[string]int {
	out := map[int]map[string]int{}
	for _, r := range c.Qrels {
		if out[r.Query] == nil {
			out[r.Query] = map[string]int{}
		}
		out[r.Query][r.Doc] = r.Grade
	}
	return out
}

// Sample returns the first n documents (all when n is larger), for tests
// that need a smaller slice of a large collection.
func (c *Collection) Sample(n int) []doc.Document {
	if n > len(c.Docs) {
		n = len(c.Docs)
	}
	return c.Docs[:n]
}
