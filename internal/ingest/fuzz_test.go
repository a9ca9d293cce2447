package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/quarry-search/quarry/internal/doc"
)

func FuzzParseHTML(f *testing.F) {
	for _, s := range []string{
		"",
		"<p>hello</p>",
		`<html lang="en"><title>T</title><main><h2 id="a">A</h2>x<div data-quarry-ignore>y</div></main>`,
		"<h1 id=x><h2 id=y>nested</h2></h1><pre>a\nb</pre><img alt=z>",
		"<table><td>1<td>2</table><br><hr><template>t</template>",
		"\xff\xfe<p>\x00bad bytes</p>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseHTML("f.html", data)
		if err != nil {
			if !errors.Is(err, ErrNoText) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if d.Body == "" || d.Title == "" {
			t.Fatalf("empty body or title: %+v", d)
		}
		checkCollapsed(t, d.Body)
	})
}

func FuzzParseMarkdown(f *testing.F) {
	for _, s := range []string{
		"",
		"# Title\n\ntext",
		"---\ntitle: x\ntags: [a, b]\ndraft: true\n---\n## H {#id}\nbody",
		"+++\ntitle = 'x'\ndate = 2024-01-01\n+++\n{{< note >}}in{{< /note >}}",
		"{{< highlight go >}}\n# c\n{{< /highlight >}}\n{{</* x */>}}{{% y %}}{{< z",
		"---\na: &x [1]\nb: *x\n---\n> [!NOTE]\n> t\n\n| a | b |\n|---|---|\n| 1 | 2 |",
		"{{{{< x >}}<\n{{\\<\n&#123;&#123;&lt;",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, draft, err := ParseMarkdown("f.md", data)
		if err != nil {
			var le *LineError
			if !errors.Is(err, ErrNoText) && !errors.As(err, &le) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if draft {
			// Drafts are skipped by the caller, text or not
			// (testdata/fuzz/FuzzParseMarkdown/8f2515b97650cbf0: a draft
			// made of front matter only).
			return
		}
		if d.Body == "" || d.Title == "" || d.URL == "" {
			t.Fatalf("empty body, title or URL: %+v", d)
		}
		for _, s := range append([]string{d.Body}, sectionTexts(d.Sections)...) {
			if strings.Contains(s, "{{<") || strings.Contains(s, "{{%") {
				t.Fatalf("shortcode syntax left in %q", s)
			}
		}
	})
}

func FuzzParseJSONL(f *testing.F) {
	for _, s := range []string{
		"",
		`{"id":"a","title":"t","body":"b"}`,
		"{\"body\":[1,{\"x\":null}]}\n\nnot json\n[1]\n{\"id\":2}",
		"{\"title\":\"\\ud800\"}\r\n{\"body\":\"é\"}",
	} {
		f.Add([]byte(s))
	}
	m := JSONMapping{Facets: []string{"tags"}}
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, warns := ParseJSONL("f.jsonl", data, m)
		for _, d := range docs {
			if d.ID == "" || d.Body == "" {
				t.Fatalf("record without id or body: %+v", d)
			}
		}
		for _, w := range warns {
			if w.File != "f.jsonl" || w.Line < 1 {
				t.Fatalf("bad warning %+v", w)
			}
		}
		if utf8.Valid(data) {
			for _, d := range docs {
				if !utf8.ValidString(d.Body) {
					t.Fatalf("invalid UTF-8 body from valid input: %q", d.Body)
				}
			}
		}
	})
}

func sectionTexts(secs []doc.Section) []string {
	var out []string
	for _, s := range secs {
		out = append(out, s.Heading, s.Text)
	}
	return out
}

// checkCollapsed fails when text has runs of whitespace or edge spaces.
func checkCollapsed(t *testing.T, s string) {
	t.Helper()
	if strings.TrimSpace(s) != s || strings.Contains(s, "  ") || strings.Contains(s, "\n\n") {
		t.Fatalf("whitespace not collapsed: %q", s)
	}
}

// FuzzParseJSON holds the stream reader of .json files to the standard
// decoder: it accepts exactly the valid documents whose top level is an
// array or an object, and gives one document or warning per record.
func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{
		"", "[]", `{"id":"a","body":"b"}`, `[{"body":"a"}, 1, "s", null, [2]]`,
		`[{"body":"x \" ] }"}, {"body":[{"a":[]}]}]`, "[1 2]", "[01]", "[tru e]", `[{"a" 1}]`, "[1,]", "[\"\xff\"]",
		"[{\"body\":\"a\"}]\n[]", "  42", "[{\"body\":\"\\ud800\"}]",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, warns, err := ParseJSON("f.json", data, JSONMapping{})
		trimmed := bytes.TrimLeft(data, " \t\r\n")
		wantOK := json.Valid(data) && len(trimmed) > 0 && (trimmed[0] == '[' || trimmed[0] == '{')
		if (err == nil) != wantOK {
			t.Fatalf("error %v, want ok=%v for %q", err, wantOK, data)
		}
		if err != nil {
			var le *LineError
			if len(trimmed) > 0 && !errors.As(err, &le) {
				t.Fatalf("error %v is not a *LineError", err)
			}
			return
		}
		var all any
		json.Unmarshal(data, &all)
		n := 1
		if arr, ok := all.([]any); ok {
			n = len(arr)
		}
		records := len(docs)
		for _, w := range warns {
			if !strings.Contains(w.Reason, "UTF-8") && !strings.Contains(w.Reason, "a mapping is not a value") {
				records++
			}
		}
		if records != n {
			t.Fatalf("%d documents and record warnings %v for %d records in %q", len(docs), warns, n, data)
		}
	})
}
