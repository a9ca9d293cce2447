package ingest

import (
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/quarry-search/quarry/internal/doc"
)

// words returns n distinct words separated by spaces.
func words(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "w%d", i)
	}
	return b.String()
}

// yamlList is a YAML flow list of the values.
func yamlList(vals []string) string { return "[" + strings.Join(vals, ", ") + "]" }

func tagNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("tag%d", i)
	}
	return out
}

// TestDirCapsTitles checks that a huge title or heading, from any input
// format, is cut to doc.MaxTitleRunes with a warning naming the file.
func TestDirCapsTitles(t *testing.T) {
	long := words(50000) // about 340 kB
	tests := []struct {
		name, file, content string
		wantWarns           []string
	}{
		{"markdown front matter", "a.md", "---\ntitle: " + long + "\n---\nBody text.\n", []string{"a.md: title of 338889 characters cut to 200"}},
		{"markdown h1", "b.md", "# " + long + "\n\nBody text.\n", []string{"b.md: title of 338889 characters cut to 200", "b.md: 1 section heading over 200 characters cut"}},
		{"html title", "c.html", "<html><title>" + long + "</title><body><p>Body text.</p></body></html>", []string{"c.html: title of 338889 characters cut to 200"}},
		{"json record", "d.jsonl", `{"id":"r","title":"` + long + `","body":"Body text."}` + "\n", []string{"d.jsonl:1: title of 338889 characters cut to 200"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			writeFile(t, filepath.Join(root, tt.file), tt.content)
			_, warns, _, res := dirRun(t, root, Options{})
			if len(res.Docs) != 1 {
				t.Fatalf("got %d documents, want 1", len(res.Docs))
			}
			title := res.Docs[0].Title
			if n := utf8.RuneCountInString(title); n > doc.MaxTitleRunes || n < doc.MaxTitleRunes-10 {
				t.Errorf("title has %d characters, want about %d", n, doc.MaxTitleRunes)
			}
			if !strings.HasPrefix(title, "w0 w1 w2") || !strings.HasSuffix(title, "…") {
				t.Errorf("title %q is not the start of the original cut with …", title)
			}
			if !reflect.DeepEqual(warns, tt.wantWarns) {
				t.Errorf("warnings %q, want %q", warns, tt.wantWarns)
			}
		})
	}
}

func TestDirCapsHeadings(t *testing.T) {
	root := t.TempDir()
	long := words(2000)
	writeFile(t, filepath.Join(root, "a.md"), "---\ntitle: A\n---\n## "+long+"\n\nText.\n\n## Short\n\nMore.\n")
	_, warns, _, res := dirRun(t, root, Options{})
	if len(res.Docs) != 1 {
		t.Fatalf("got %d documents", len(res.Docs))
	}
	var heads []int
	for _, s := range res.Docs[0].Sections {
		heads = append(heads, utf8.RuneCountInString(s.Heading))
	}
	if len(heads) != 2 || heads[0] > doc.MaxTitleRunes || heads[1] != len("Short") {
		t.Errorf("heading lengths %v, want the first cut to at most %d and the second kept", heads, doc.MaxTitleRunes)
	}
	if want := []string{"a.md: 1 section heading over 200 characters cut"}; !reflect.DeepEqual(warns, want) {
		t.Errorf("warnings %q, want %q", warns, want)
	}
}

// TestDirCapsFacets checks the limits on taxonomy values: at most
// doc.MaxFacetValues per facet and document, none longer than
// doc.MaxFacetValueRunes, duplicates merged, with warnings.
func TestDirCapsFacets(t *testing.T) {
	longValue := strings.Repeat("x", doc.MaxFacetValueRunes+1)
	okValue := strings.Repeat("y", doc.MaxFacetValueRunes)
	many := tagNames(doc.MaxFacetValues + 50)
	jsonTags := `["` + strings.Join(many, `","`) + `"]`
	tests := []struct {
		name, file, content string
		opts                Options
		facet               string
		want                []string
		wantWarns           []string
	}{
		{"markdown, too many tags", "a.md", "---\ntitle: A\ntags: " + yamlList(many) + "\n---\nText.\n", Options{},
			"tags", many[:doc.MaxFacetValues], []string{"a.md: tags: 150 values, kept the first 100"}},
		{"markdown, a value too long", "a.md", "---\ntitle: A\ntags: [" + longValue + ", " + okValue + ", b]\n---\nText.\n", Options{},
			"tags", []string{okValue, "b"}, []string{"a.md: tags: 1 value over 100 characters dropped"}},
		{"markdown, duplicates merged silently", "a.md", "---\ntitle: A\ntags: [a, b, a, b]\n---\nText.\n", Options{},
			"tags", []string{"a", "b"}, nil},
		{"json, too many values", "r.jsonl", `{"id":"r","title":"T","body":"Text.","tags":` + jsonTags + "}\n",
			Options{JSON: JSONMapping{Facets: []string{"tags"}}},
			"tags", many[:doc.MaxFacetValues], []string{"r.jsonl:1: tags: 150 values, kept the first 100"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			writeFile(t, filepath.Join(root, tt.file), tt.content)
			_, warns, _, res := dirRun(t, root, tt.opts)
			if len(res.Docs) != 1 {
				t.Fatalf("got %d documents", len(res.Docs))
			}
			if got := res.Docs[0].Facets[tt.facet]; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s = %q, want %q", tt.facet, got, tt.want)
			}
			if !reflect.DeepEqual(warns, tt.wantWarns) {
				t.Errorf("warnings %q, want %q", warns, tt.wantWarns)
			}
		})
	}
}

func TestCutTitle(t *testing.T) {
	tests := []struct {
		s    string
		max  int
		want string
	}{
		{"alpha beta gamma delta", 12, "alpha beta…"},
		{"alpha beta, gamma delta", 13, "alpha beta…"}, // punctuation before the cut dropped
		{"abcdefghijklmnop", 8, "abcdefg…"},            // no space: cut inside the word
		{"a bcdefghijklmnop", 8, "a bcdef…"},           // a space in the first half is no boundary
		{"中文标题没有空格的很长标题", 6, "中文标题没…"},                 // characters, not bytes
		{"ab\u00a0cdefgh ijkl", 10, "ab\u00a0cdefgh…"}, // U+00A0 is a space
	}
	for _, tt := range tests {
		got := cutTitle(tt.s, tt.max)
		if got != tt.want {
			t.Errorf("cutTitle(%q, %d) = %q, want %q", tt.s, tt.max, got, tt.want)
		}
		if n := utf8.RuneCountInString(got); n > tt.max {
			t.Errorf("cutTitle(%q, %d) has %d characters", tt.s, tt.max, n)
		}
	}
}
