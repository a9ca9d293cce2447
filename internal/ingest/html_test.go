package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/internal/doc"
)

func readFixture(t *testing.T, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseHTMLFixtures(t *testing.T) {
	tests := []struct {
		file string // under testdata/site
		want doc.Document
	}{
		{"index.html", doc.Document{
			ID: "index.html", URL: "/", Title: "Quarry Demo Site", Lang: "en",
			Description: "A demo site for Quarry.",
			Body:        "Welcome to the demo site home page.\nFirst block\nsecond block",
		}},
		{"a/index.html", doc.Document{
			ID: "a/index.html", URL: "/a/", Title: "The Guide", Lang: "fr-CA", Date: "2024-05-01",
			Body: "The Guide\nIntro text before any anchored heading.\nInstalling quarry\nRun the installer.\n" +
				"Unanchored subheading\nMore install text.\nUsage\nquarry build\nquarry serve\n" +
				"Search magnifier icon with\nease.\ncell one cell two",
			Sections: []doc.Section{
				{Anchor: "install", Heading: "Installing quarry", Text: "Run the installer.\nUnanchored subheading\nMore install text."},
				{Anchor: "usage", Heading: "Usage", Text: "quarry build\nquarry serve\nSearch magnifier icon with\nease.\ncell one cell two"},
			},
		}},
		{"b.html", doc.Document{
			ID: "b.html", URL: "/b.html", Title: "News item", Description: "Latest news.",
			Body: "Breaking: Quarry 1.0 released & ready.\nRelated note kept inside the marked body.",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ParseHTML(tt.file, readFixture(t, "site/"+tt.file))
			if err != nil {
				t.Fatalf("ParseHTML error: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestParseHTMLCases(t *testing.T) {
	tests := []struct {
		name, in            string
		wantTitle, wantBody string
		wantSections        int
	}{
		{"h1 in content beats title", `<title>T</title><main><h1>Main H1</h1>text</main>`, "Main H1", "Main H1\ntext", 0},
		{"title beats h1 in removed header", `<title>Page</title><body><header><h1>Logo</h1></header><p>x</p>`, "Page", "x", 0},
		{"h1 anywhere when no title", `<body><header><h1>Logo</h1></header><p>x</p>`, "Logo", "x", 0},
		{"derived title", `<p>First sentence here. Second one.</p>`, "First sentence here", "First sentence here. Second one.", 0},
		{"article used without main", `<nav>n</nav><article><footer>by me</footer><p>a</p></article><p>outside</p>`, "by me", "by me\na", 0},
		{"data-quarry-body beats main", `<main>m</main><section data-quarry-body>marked</section>`, "marked", "marked", 0},
		{"ignore inside main", `<main>keep <span data-quarry-ignore>drop</span> keep2</main>`, "keep keep2", "keep keep2", 0},
		{"hidden attribute", `<main>a<p hidden>b</p></main>`, "a", "a", 0},
		{"inline elements join words", `<p>foo<b>bar</b> baz<i>!</i></p>`, "foobar baz!", "foobar baz!", 0},
		{"blocks separate words", `<div>foo</div><div>bar</div><li>baz</li>`, "foo", "foo\nbar\nbaz", 0},
		{"headings with ids split sections", `<h2 id="a">A</h2>x<h2 id="b">B</h2>y<h2>C</h2>z`, "A", "A\nx\nB\ny\nC\nz", 2},
		{"heading without id is no section", `<h2>A</h2>x`, "A", "A\nx", 0},
		{"entities decoded", `<p>a &lt;b&gt; &amp; c&#39;s&nbsp;d</p>`, "a <b> & c's d", "a <b> & c's d", 0},
		{"malformed html still parsed", `<p>unclosed <div>tags <b>bold`, "unclosed", "unclosed\ntags bold", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseHTML("p.html", []byte(tt.in))
			if err != nil {
				t.Fatalf("ParseHTML error: %v", err)
			}
			if got.Title != tt.wantTitle {
				t.Errorf("Title = %q, want %q", got.Title, tt.wantTitle)
			}
			if got.Body != tt.wantBody {
				t.Errorf("Body = %q, want %q", got.Body, tt.wantBody)
			}
			if len(got.Sections) != tt.wantSections {
				t.Errorf("len(Sections) = %d, want %d (%+v)", len(got.Sections), tt.wantSections, got.Sections)
			}
		})
	}
}

func TestParseHTMLNoText(t *testing.T) {
	tests := []struct{ name, in string }{
		{"fixture", string(readFixture(t, "site/empty.html"))},
		{"empty", ""},
		{"only whitespace", "<p>  \n </p>"},
		{"only script", "<script>x()</script>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseHTML("e.html", []byte(tt.in))
			if !errors.Is(err, ErrNoText) {
				t.Fatalf("error = %v, want ErrNoText", err)
			}
			if want := "parse e.html: no text content"; err.Error() != want {
				t.Errorf("error = %q, want %q", err, want)
			}
		})
	}
}

func TestHTMLURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"index.html", "/"},
		{"a/index.html", "/a/"},
		{"a/b/index.htm", "/a/b/"},
		{"b.html", "/b.html"},
		{"x/page.htm", "/x/page.htm"},
		{"myindex.html", "/myindex.html"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := htmlURL(tt.in); got != tt.want {
				t.Errorf("htmlURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseHTMLNoChromeLeaks(t *testing.T) {
	got, err := ParseHTML("a/index.html", readFixture(t, "site/a/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{"Navigation", "Table of contents", "Edit this page", "console.log", "template text", "Enable JavaScript", "Footer"} {
		if strings.Contains(got.Body, leak) {
			t.Errorf("Body contains %q: %q", leak, got.Body)
		}
	}
}
