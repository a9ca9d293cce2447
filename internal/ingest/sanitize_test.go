package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/internal/doc"
)

func TestLinkURL(t *testing.T) {
	for _, tc := range []struct {
		url    string
		ok     bool
		scheme string
	}{
		{"", true, ""},
		{"/docs/a/", true, ""},
		{"a/b.html#x", true, ""},
		{"?q=1", true, ""},
		{"#top", true, ""},
		{"//example.org/x", true, ""},
		{"3:00.html", true, ""},
		{"a/b:c", true, ""},
		{"http://example.org/", true, "http"},
		{"HTTPS://example.org/", true, "https"},
		{"javascript:alert(1)", false, "javascript"},
		{" JaVa\tScRiPt:alert(1)", false, "javascript"},
		{"\x01java\nscript:alert(1)", false, "javascript"},
		{"data:text/html,<script>alert(1)</script>", false, "data"},
		{"vbscript:msgbox(1)", false, "vbscript"},
		{"file:///etc/passwd", false, "file"},
		{"mailto:a@example.org", false, "mailto"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			ok, scheme := LinkURL(tc.url)
			if ok != tc.ok || scheme != tc.scheme {
				t.Fatalf("LinkURL(%q) = %v, %q; want %v, %q", tc.url, ok, scheme, tc.ok, tc.scheme)
			}
		})
	}
}

func TestSanitize(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      doc.Document
		want    doc.Document
		warning string
	}{
		{
			name: "bidi controls removed from displayed text",
			in: doc.Document{Title: "\u202eevil\u202c title", Body: "a \u2066b\u2069 c \u200fd", URL: "/x", Description: "\u202bd",
				Sections: []doc.Section{{Anchor: "s", Heading: "\u202dh", Text: "t\u2067"}}, Facets: map[string][]string{"tags": {"\u202etag"}}},
			want: doc.Document{Title: "evil title", Body: "a b c \u200fd", URL: "/x", Description: "d",
				Sections: []doc.Section{{Anchor: "s", Heading: "h", Text: "t"}}, Facets: map[string][]string{"tags": {"tag"}}},
		},
		{
			name: "homoglyphs and markup are kept as text",
			in:   doc.Document{Title: "<script>alert(1)</script> \u0430pple", Body: "b", URL: "https://example.org/"},
			want: doc.Document{Title: "<script>alert(1)</script> \u0430pple", Body: "b", URL: "https://example.org/"},
		},
		{
			name:    "javascript URL dropped",
			in:      doc.Document{Title: "t", Body: "b", URL: "javascript:alert(1)"},
			want:    doc.Document{Title: "t", Body: "b"},
			warning: `url "javascript:alert(1)" uses the javascript: scheme`,
		},
		{
			name:    "data URL dropped",
			in:      doc.Document{Title: "t", Body: "b", URL: "data:text/html," + strings.Repeat("x", 100)},
			want:    doc.Document{Title: "t", Body: "b"},
			warning: "…\" uses the data: scheme",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, warning := sanitize(tc.in)
			if got.Title != tc.want.Title || got.Body != tc.want.Body || got.URL != tc.want.URL || got.Description != tc.want.Description {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
			for i := range tc.want.Sections {
				if got.Sections[i] != tc.want.Sections[i] {
					t.Errorf("section %d: got %+v, want %+v", i, got.Sections[i], tc.want.Sections[i])
				}
			}
			for k, vs := range tc.want.Facets {
				if strings.Join(got.Facets[k], "|") != strings.Join(vs, "|") {
					t.Errorf("facet %s: got %q, want %q", k, got.Facets[k], vs)
				}
			}
			if (tc.warning == "") != (warning == "") || !strings.Contains(warning, tc.warning) {
				t.Errorf("got warning %q, want one containing %q", warning, tc.warning)
			}
		})
	}
}

// TestDirDropsUnsafeURLs checks the whole ingestion path: a JSON record or
// Markdown front matter with a script URL is indexed without a link and
// with a warning naming the file and line. (Markdown URLs are made
// site-absolute paths, so "data:..." there becomes a harmless relative path.)
func TestDirDropsUnsafeURLs(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"r.jsonl": `{"id":"ok","title":"Fine","body":"kumquat","url":"https://example.org/k"}
{"id":"js","title":"<b>Bad</b>","body":"kumquat","url":"javascript:alert(1)"}
{"id":"vb","title":"Bad","body":"kumquat","url":" VBScript:msgbox(1)"}
`,
		"p.md": "---\ntitle: \"\u202eT\"\nurl: \"data:text/html,x\"\n---\nkumquat text\n",
	}
	for name, s := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Dir(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	urls := map[string]string{}
	for _, d := range res.Docs {
		urls[d.ID] = d.URL
		if strings.ContainsFunc(d.Title, isBidiControl) {
			t.Errorf("%s: bidi control left in title %q", d.ID, d.Title)
		}
	}
	want := map[string]string{"ok": "https://example.org/k", "js": "", "vb": "", "p.md": "/data:text/html,x"}
	for id, u := range want {
		if got, ok := urls[id]; !ok || got != u {
			t.Errorf("%s: got URL %q (present %v), want %q", id, got, ok, u)
		}
	}
	var warned []string
	for _, w := range res.Warnings {
		if strings.Contains(w.Reason, "scheme") {
			warned = append(warned, w.File+":"+strconv.Itoa(w.Line))
		}
	}
	if got := strings.Join(warned, " "); got != "r.jsonl:2 r.jsonl:3" {
		t.Errorf("got scheme warnings at %q, want %q", got, "r.jsonl:2 r.jsonl:3")
	}
}
