package build

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	index "github.com/blevesearch/bleve_index_api"

	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/indexfile"
	"github.com/quarry-search/quarry/internal/schema"
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
		{"terms of one document left out, title's too", 1, []int{2, 2, 2}},
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

// TestAnalyzeMatchesBleve: the builder runs the text analyzer directly;
// it must give what bleve's mapping gives for the same document (Analyze):
// per text field the length, each term's frequency and its positions.
func TestAnalyzeMatchesBleve(t *testing.T) {
	docs := []doc.Document{
		{ID: "a", Title: "Payments and payments", URL: "/a/b-c.html", Body: "Payments and more payments, paid. L'été à Paris; O'Brien's AT&T U.S. 3.14 v2.0"},
		{ID: "b", Title: "", URL: "", Body: "word"},
		{ID: "c", Title: "日本語のテキスト and Ⅻ", URL: "https://example.org/x?y=1#z", Body: "the the the The THE thé\n\nrepeated repeated"},
		{ID: "d", Title: "Only a title"},
		{ID: "e", Body: strings.Repeat("alpha beta gamma ", 200) + "’quoted’ don’t"},
	}
	for _, lang := range []string{"english", "french", "russian"} {
		im, err := schema.NewMapping(schema.Options{Language: lang})
		if err != nil {
			t.Fatal(err)
		}
		an := schema.TextAnalysis(im)
		seen := map[string]int{}
		for i := range docs {
			d := &docs[i]
			var got analyzed
			analyzeDoc(an, d, &got, seen)
			bd, err := Analyze(im, d, nil)
			if err != nil {
				t.Fatal(err)
			}
			bd.VisitFields(func(f index.Field) {
				fi := slices.IndexFunc(textFields[:], func(tf textField) bool { return tf.name == f.Name() })
				if fi < 0 {
					return
				}
				af := got.fields[fi]
				if int(af.length) != f.AnalyzedLength() {
					t.Errorf("%s %s %s: length %d, bleve %d", lang, d.ID, f.Name(), af.length, f.AnalyzedLength())
				}
				want := map[string][]uint32{}
				for _, tf := range f.AnalyzedTokenFrequencies() {
					var ps []uint32
					for _, l := range tf.Locations {
						ps = append(ps, uint32(l.Position))
					}
					slices.Sort(ps)
					if !textFields[fi].positions {
						ps = make([]uint32, tf.Frequency())
					}
					want[string(tf.Term)] = ps
				}
				gotMap := map[string][]uint32{}
				at := 0
				for k, term := range af.terms {
					fr := int(af.freqs[k])
					if textFields[fi].positions {
						gotMap[term] = af.pos[at : at+fr]
						at += fr
					} else {
						gotMap[term] = make([]uint32, fr)
					}
				}
				if !reflect.DeepEqual(gotMap, want) {
					t.Errorf("%s %s %s: terms\n got  %v\n want %v", lang, d.ID, f.Name(), gotMap, want)
				}
			})
			if len(seen) != 0 {
				t.Fatal("scratch map left non-empty")
			}
		}
	}
}

func TestDictMinDF(t *testing.T) {
	tests := []struct {
		name  string
		dfs   [][]int
		limit int
		want  int
	}{
		{"everything fits: the threshold stays 2", [][]int{{1, 2, 3}, {5}}, 10, 2},
		{"exactly the limit at 2", [][]int{{1, 2, 3}, {2, 5}}, 4, 2},
		{"one term over: 3", [][]int{{1, 2, 3}, {2, 5}}, 3, 3},
		{"fields are counted together", [][]int{{4, 4}, {4, 9}}, 3, 5},
		{"only the most frequent fits", [][]int{{7, 8, 9}, {9}}, 2, 9},
		{"nothing fits", [][]int{{3, 3}}, 0, 4},
		{"no terms", nil, 5, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dictMinDF(tt.dfs, tt.limit); got != tt.want {
				t.Errorf("dictMinDF(%v, %d) = %d, want %d", tt.dfs, tt.limit, got, tt.want)
			}
		})
	}
}
