package build

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/indexfile"
)

func TestIndexErrors(t *testing.T) {
	tests := []struct {
		name string
		docs []doc.Document
		opts Options
		want string
	}{
		{"no documents", nil, Options{}, "no documents"},
		{"missing id", []doc.Document{{Body: "x"}}, Options{}, "has no id"},
		{"duplicate id", []doc.Document{{ID: "a", Body: "x"}, {ID: "a", Body: "y"}}, Options{}, `duplicate document id "a"`},
		{"unknown language", []doc.Document{{ID: "a", Body: "x"}}, Options{Language: "elvish"}, `unsupported language "elvish"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Index(context.Background(), tt.docs, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Index error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestIndexMeta(t *testing.T) {
	docs := []doc.Document{
		{ID: "one", Title: "One", URL: "/1", Body: "first words here"},
		{ID: "two", Title: "Two", URL: "/2", Body: "second"},
	}
	data, err := Index(context.Background(), docs, Options{Language: "fr"})
	if err != nil {
		t.Fatal(err)
	}
	f, err := indexfile.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	m := f.Meta
	if m.Language != "french" || m.DocCount != 2 || m.Docs[1].URL != "/2" || m.Docs[0].Title != "One" {
		t.Errorf("meta = %+v", m)
	}
	if got, want := m.FieldTokens["body"], 4; got != want {
		t.Errorf("body tokens = %d, want %d", got, want)
	}
}

// TestIndexReproducible builds the same documents twice.
func TestIndexReproducible(t *testing.T) {
	docs := []doc.Document{
		{ID: "a", Title: "Alibaba", Body: "Alibaba and Alipay and Tencent and WeChat Pay."},
		{ID: "b", Title: "Tencent", Body: "WeChat is a messaging app by Tencent."},
	}
	a, err := Index(context.Background(), docs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Index(context.Background(), docs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("two builds of the same documents differ (%d vs %d bytes)", len(a), len(b))
	}
}

func TestIndexCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Index(ctx, []doc.Document{{ID: "a", Body: "x"}}, Options{}); err == nil {
		t.Error("cancelled build succeeded")
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "quarry.idx")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(p, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "new" {
		t.Errorf("content = %q, want new", b)
	}
	// Renaming onto a directory fails: the old content must survive and
	// no temporary file may be left behind.
	sub := filepath.Join(dir, "sub")
	if err := os.MkdirAll(filepath.Join(sub, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(sub, []byte("data")); err == nil {
		t.Error("writing over a non-empty directory succeeded")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
	if err := WriteFileAtomic(filepath.Join(dir, "missing", "f"), []byte("x")); err == nil {
		t.Error("write into a missing folder succeeded")
	}
}
