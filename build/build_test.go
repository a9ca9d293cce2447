package build

import (
	"bytes"
	"context"
	"fmt"
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

func TestIndexHead(t *testing.T) {
	docs := []doc.Document{
		{ID: "one", Title: "One", URL: "/1", Body: "first words here"},
		{ID: "two", Title: "Two", URL: "/2", Body: "second"},
	}
	data, err := Index(context.Background(), docs, Options{Language: "fr"})
	if err != nil {
		t.Fatal(err)
	}
	h, err := indexfile.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if h.Language != "french" || h.DocCount != 2 || len(h.Texts) != 1 {
		t.Errorf("head = %+v", h)
	}
	if got, want := h.FieldTokens()["body"], 4; got != want {
		t.Errorf("body tokens = %d, want %d", got, want)
	}
	tf := h.Texts[0]
	recs, err := indexfile.DecodeText(tf, h.Inline()[tf.Name], true)
	if err != nil || len(recs) != 2 || recs[1].URL != "/2" || recs[0].Title != "One" || recs[0].Body != "first words here" {
		t.Errorf("records = %+v, %v", recs, err)
	}
}

// analyze gathers each field's postings as bleve's analysis reports
// them: stemmed terms (stop words kept) in byte order, documents
// ascending, frequencies,
// positions from 1, lengths; and the dictionary threshold.
func TestAnalyze(t *testing.T) {
	docs := []doc.Document{
		{ID: "a", Title: "Payments", URL: "/a", Body: "Payments and more payments, paid."},
		{ID: "b", Title: "Games", URL: "/b", Body: "Games pay."},
	}
	tests := []struct {
		name      string
		fullDict  int
		wantMinDF []int // title, body, url
	}{
		{"every term in the dictionary", 0, []int{1, 1, 1}},
		{"body and url terms of one document left out", 1, []int{1, 2, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idx, err := analyze(context.Background(), docs, Options{FullDictBytes: tt.fullDict}, nil)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for i, f := range idx.Fields {
				names = append(names, f.Name)
				if f.ExpandMinDF != tt.wantMinDF[i] {
					t.Errorf("%s: ExpandMinDF %d, want %d", f.Name, f.ExpandMinDF, tt.wantMinDF[i])
				}
			}
			if got := strings.Join(names, ","); got != "title,body,url" {
				t.Fatalf("fields %s", got)
			}
			body := idx.Fields[1]
			if got, want := fmt.Sprint(body.Lengths), "[5 2]"; got != want {
				t.Errorf("body lengths %s, want %s", got, want)
			}
			var got []string
			for _, term := range body.Terms {
				got = append(got, fmt.Sprintf("%s%v%v%v", term.Text, term.Docs, term.Freqs, term.Pos))
			}
			want := "and[0][1][[2]] game[1][1][[1]] more[0][1][[3]] paid[0][1][[5]] pay[1][1][[2]] payment[0][2][[1 4]]"
			if strings.Join(got, " ") != want {
				t.Errorf("body postings\n got %s\nwant %s", strings.Join(got, " "), want)
			}
		})
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
