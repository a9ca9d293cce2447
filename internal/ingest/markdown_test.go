package ingest

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/internal/doc"
)

func TestParseMarkdownFixtures(t *testing.T) {
	tests := []struct {
		file      string // under testdata/markdown
		want      doc.Document
		wantDraft bool
	}{
		{file: "yaml.md", want: doc.Document{
			ID: "yaml.md", Title: "YAML Page", URL: "/yaml-page/",
			Description: "A page with YAML front matter.", Date: "2024-03-15",
			Body: "Intro paragraph with a link text and inline code and an alt text of image.\n" +
				"Some inline raw HTML.\nFirst Section\nfunc main() { fmt.Println(\"code is searchable\") }\n" +
				"Second Section: Q&A!\nText of the second section with bold and emphasis and *escaped* & entities.\n" +
				"list item one\nlist item two\nCol A Col B\na1 b1\nSecond Section: Q&A!\n" +
				"Duplicate heading text gets a numbered anchor.",
			Sections: []doc.Section{
				{Anchor: "custom-id", Heading: "First Section", Text: "func main() { fmt.Println(\"code is searchable\") }"},
				{Anchor: "second-section-qa", Heading: "Second Section: Q&A!",
					Text: "Text of the second section with bold and emphasis and *escaped* & entities.\nlist item one\nlist item two\nCol A Col B\na1 b1"},
				{Anchor: "second-section-qa-1", Heading: "Second Section: Q&A!", Text: "Duplicate heading text gets a numbered anchor."},
			},
			Facets: map[string][]string{"tags": {"search", "wasm"}, "categories": {"guides"}, "author": {"Ada Lovelace"}},
		}},
		{file: "toml.md", want: doc.Document{
			ID: "toml.md", Title: "TOML Page", URL: "/custom/toml-url/",
			Description: "Summary used as description.", Date: "2023-01-02",
			Body:   "Body of the TOML page.\nAlerts keep their text but not the marker.",
			Facets: map[string][]string{"tags": {"toml"}, "author": {"Grace Hopper", "Alan Turing"}},
		}},
		{file: "draft.md", wantDraft: true, want: doc.Document{
			ID: "draft.md", Title: "Draft page", URL: "/draft/", Body: "Not published yet.",
		}},
		{file: "shortcodes.md", want: doc.Document{
			ID: "shortcodes.md", Title: "Shortcodes", URL: "/shortcodes/",
			Body: "Before inline shortcode.\nPaired note content is kept.\n" +
				"# a TOML comment, not a heading\nbaseURL = 'https://example.org/'\n" +
				"Escaped: and are removed.\nInner markdown of a percent shortcode.\n" +
				"inside a fenced block\nUnterminated opener stays as text.",
		}},
		{file: "docs/_index.md", want: doc.Document{
			ID: "docs/_index.md", Title: "Docs section", URL: "/docs/",
			Description: "Section page with front matter only.", Body: "Section page with front matter only.",
		}},
		{file: "docs/intro.md", want: doc.Document{
			ID: "docs/intro.md", Title: "Introduction Heading", URL: "/docs/intro/",
			Body: "Introduction Heading\nNo front matter: the title comes from the first level-1 heading.\n" +
				"Getting started\nSteps.\nSub step\nMore.",
			Sections: []doc.Section{
				{Anchor: "introduction-heading", Heading: "Introduction Heading", Text: "No front matter: the title comes from the first level-1 heading."},
				{Anchor: "start", Heading: "Getting started", Text: "Steps."},
				{Anchor: "sub-step", Heading: "Sub step", Text: "More."},
			},
		}},
		{file: "docs/plain.markdown", want: doc.Document{
			ID: "docs/plain.markdown", Title: "plain", URL: "/docs/plain/",
			Body: "Just a paragraph, no heading, no front matter.",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, draft, err := ParseMarkdown(tt.file, readFixture(t, "markdown/"+tt.file))
			if err != nil {
				t.Fatalf("ParseMarkdown error: %v", err)
			}
			if draft != tt.wantDraft {
				t.Errorf("draft = %v, want %v", draft, tt.wantDraft)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestParseMarkdownFrontMatterErrors(t *testing.T) {
	tests := []struct {
		name, in string
		wantLine int
		wantErr  string
	}{
		{"fixture: unclosed YAML list", string(readFixture(t, "markdown/broken.md")), 3,
			"parse p.md: front matter line 3: did not find expected ',' or ']'"},
		{"YAML bad indentation", "---\na: 1\nb: 2\n  c: 3\n---\nbody", 4,
			"parse p.md: front matter line 4: mapping values are not allowed in this context"},
		{"YAML error on the first line", "---\na: b: c\n---\nbody", 2,
			"parse p.md: front matter line 2: mapping values are not allowed in this context"},
		{"YAML not a mapping", "---\n- a\n- b\n---\nbody", 2,
			"parse p.md: front matter line 2: not a mapping of keys to values"},
		{"YAML unterminated", "---\ntitle: x\nbody without closing line\n", 1,
			"parse p.md: front matter line 1: no closing --- line"},
		{"TOML syntax error", "+++\ntitle = \"ok\"\ntags = [\"a\"\n+++\nbody", 3, ""},
		{"TOML unterminated", "+++\ntitle = \"x\"\n", 1, "parse p.md: front matter line 1: no closing +++ line"},
		{"TOML duplicate key", "+++\na = 1\na = 2\n+++\n", 3, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseMarkdown("p.md", []byte(tt.in))
			if err == nil {
				t.Fatal("no error, want one")
			}
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("error %v is not a *LineError", err)
			}
			if le.Line != tt.wantLine {
				t.Errorf("line = %d, want %d (%v)", le.Line, tt.wantLine, err)
			}
			if tt.wantErr != "" && err.Error() != tt.wantErr {
				t.Errorf("error = %q, want %q", err, tt.wantErr)
			}
			if !strings.HasPrefix(err.Error(), "parse p.md: front matter line ") {
				t.Errorf("error = %q, want prefix %q", err, "parse p.md: front matter line ")
			}
		})
	}
}

func TestParseMarkdownCases(t *testing.T) {
	tests := []struct {
		name, in            string
		wantTitle, wantBody string
		wantURL             string
		wantDraft           bool
		wantFacets          map[string][]string
		wantAnchors         []string
	}{
		{name: "linkTitle fallback", in: "---\nlinkTitle: Short\n---\nx", wantTitle: "Short", wantBody: "x", wantURL: "/p/"},
		{name: "draft as string", in: "---\ntitle: D\ndraft: \"true\"\n---\nx", wantTitle: "D", wantBody: "x", wantURL: "/p/", wantDraft: true},
		{name: "draft without text", in: "---\ndraft: true\n---\n", wantTitle: "p", wantURL: "/p/", wantDraft: true},
		{name: "TOML draft", in: "+++\ntitle = 'D'\ndraft = true\n+++\nx", wantTitle: "D", wantBody: "x", wantURL: "/p/", wantDraft: true},
		{name: "single-string taxonomies become lists", in: "---\ntags: one\nauthors: [A, B]\nauthor: C\n---\nx",
			wantTitle: "p", wantBody: "x", wantURL: "/p/", wantFacets: map[string][]string{"tags": {"one"}, "author": {"C", "A", "B"}}},
		{name: "case-insensitive keys", in: "---\nTitle: Upper\nLinkTitle: no\n---\nx", wantTitle: "Upper", wantBody: "x", wantURL: "/p/"},
		{name: "slug", in: "---\nslug: other\n---\nx", wantTitle: "p", wantBody: "x", wantURL: "/other/"},
		{name: "url without slash", in: "---\nurl: a/b/\n---\nx", wantTitle: "p", wantBody: "x", wantURL: "/a/b/"},
		{name: "empty front matter", in: "---\n---\n# H\ntext", wantTitle: "H", wantBody: "H\ntext", wantURL: "/p/", wantAnchors: []string{"h"}},
		{name: "CRLF and BOM", in: "\uFEFF---\r\ntitle: W\r\n---\r\nline\r\n", wantTitle: "W", wantBody: "line", wantURL: "/p/"},
		{name: "raw HTML dropped, text kept", in: "<div>\nblock\n</div>\n\na <kbd>Ctrl</kbd> b", wantTitle: "p", wantBody: "a Ctrl b", wantURL: "/p/"},
		{name: "autolink and hard break", in: "see <https://x.org>  \nnext", wantTitle: "p", wantBody: "see https://x.org\nnext", wantURL: "/p/"},
		{name: "heading anchors", in: "## Hello, World!\n## Hello, World!\n### Ünïcode héading\n## A {#x}\n## x",
			wantTitle: "p", wantBody: "Hello, World!\nHello, World!\nÜnïcode héading\nA\nx", wantURL: "/p/",
			wantAnchors: []string{"hello-world", "hello-world-1", "ünïcode-héading", "x", "x-1"}},
		{name: "footnotes and task lists", in: "text[^1]\n\n- [x] done\n\n[^1]: note", wantTitle: "p", wantBody: "text\ndone\nnote", wantURL: "/p/"},
		{name: "escaped shortcode in markdown escape", in: "{{\\< x >}}", wantTitle: "p", wantBody: "{{ < x >}}", wantURL: "/p/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, draft, err := ParseMarkdown("p.md", []byte(tt.in))
			if err != nil {
				t.Fatalf("ParseMarkdown error: %v", err)
			}
			if got.Title != tt.wantTitle || got.Body != tt.wantBody || got.URL != tt.wantURL || draft != tt.wantDraft {
				t.Errorf("got title %q body %q url %q draft %v\nwant title %q body %q url %q draft %v",
					got.Title, got.Body, got.URL, draft, tt.wantTitle, tt.wantBody, tt.wantURL, tt.wantDraft)
			}
			if !reflect.DeepEqual(got.Facets, tt.wantFacets) {
				t.Errorf("Facets = %v, want %v", got.Facets, tt.wantFacets)
			}
			var anchors []string
			for _, s := range got.Sections {
				anchors = append(anchors, s.Anchor)
			}
			if !reflect.DeepEqual(anchors, tt.wantAnchors) {
				t.Errorf("anchors = %q, want %q", anchors, tt.wantAnchors)
			}
		})
	}
}

func TestParseMarkdownNoText(t *testing.T) {
	for _, in := range []string{"", "---\ntags: [a]\n---\n", "<!-- only a comment -->", "{{< only-a-shortcode >}}"} {
		_, _, err := ParseMarkdown("e.md", []byte(in))
		if !errors.Is(err, ErrNoText) {
			t.Errorf("ParseMarkdown(%q) error = %v, want ErrNoText", in, err)
		}
	}
}

func TestMarkdownURL(t *testing.T) {
	tests := []struct {
		id   string
		fm   frontMatter
		want string
	}{
		{"docs/intro.md", nil, "/docs/intro/"},
		{"x/_index.md", nil, "/x/"},
		{"x/index.md", nil, "/x/"},
		{"_index.md", nil, "/"},
		{"a/b/page.markdown", nil, "/a/b/page/"},
		{"docs/intro.md", frontMatter{"slug": "start"}, "/docs/start/"},
		{"docs/x/_index.md", frontMatter{"slug": "y"}, "/docs/y/"},
		{"docs/intro.md", frontMatter{"url": "/custom/", "slug": "ignored"}, "/custom/"},
		{"docs/intro.md", frontMatter{"url": "https://other.org/p"}, "https://other.org/p"},
	}
	for _, tt := range tests {
		t.Run(tt.id+tt.want, func(t *testing.T) {
			if got := markdownURL(tt.id, tt.fm); got != tt.want {
				t.Errorf("markdownURL(%q, %v) = %q, want %q", tt.id, tt.fm, got, tt.want)
			}
		})
	}
}

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Hello World", "hello-world"},
		{"Example -- headless page", "example----headless-page"},
		{"Firebase & GitHub CI/CD", "firebase--github-cicd"},
		{"snake_case and kebab-case", "snake_case-and-kebab-case"},
		{"  trimmed  ", "trimmed"},
		{"Ça va? Très bien!", "ça-va-très-bien"},
		{"v0.120.0", "v01200"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := slugify(tt.in); got != tt.want {
				t.Errorf("slugify(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestStripShortcodes(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"none", "plain {{ .Title }} text", "plain {{ .Title }} text"},
		{"inline", "a {{< x 1 >}} b", "a  b"},
		{"paired keeps inner", "{{< note >}}inner{{< /note >}}", "inner"},
		{"percent paired", "{{% n %}}\n**md**\n{{% /n %}}", "\n**md**\n"},
		{"self-closing", "a {{< x y=1 />}} b", "a  b"},
		{"multi-line", "a {{< fig\n  src=\"x\"\n  alt=\"y\"\n>}} b", "a  b"},
		{"quoted closer", `a {{< x t=">}}" >}} b`, "a  b"},
		{"escaped", "a {{</* x */>}} b {{%/* y */%}} c", "a  b  c"},
		{"unterminated", "a {{< b", "a  b"},
		{"code shortcode becomes fence", "{{< highlight go >}}\n# x\n{{< /highlight >}}", "~~~\n# x\n~~~"},
		{"indented code shortcode", "- i\n  {{< code-toggle >}}\n  a ~~~ b\n  {{< /code-toggle >}}\n", "- i\n  ~~~~\n  a ~~~ b\n  ~~~~\n"},
		{"inline code shortcode is not fenced", "x {{< highlight go >}}y{{< /highlight >}}", "x y"},
		{"unpaired code shortcode", "{{< highlight go >}}\ny", "\ny"},
		{"closer-like text in other delim", "{{% a >}} b %}}", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stripShortcodes(tt.in); got != tt.want {
				t.Errorf("stripShortcodes(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFrontMatterValues(t *testing.T) {
	tests := []struct {
		name, format, text string
		want               frontMatter
	}{
		{"TOML types", "toml", "Date = 2024-01-02T10:00:00Z\nlocal = 2024-01-02T10:00:00\nday = 2024-01-02\nat = 10:30:00\n" +
			"n = 3\nf = 2.5\nok = true\nlist = [1, 'a']\n[params]\nX = 'y'\n[[items]]\nk = 1\n",
			frontMatter{"date": "2024-01-02T10:00:00Z", "local": "2024-01-02T10:00:00", "day": "2024-01-02", "at": "10:30:00",
				"n": "3", "f": "2.5", "ok": true, "list": []any{"1", "a"}, "params": map[string]any{"x": "y"},
				"items": []any{map[string]any{"k": "1"}}}},
		{"YAML types", "yaml", "Date: 2024-01-02\nn: 007\nok: yes\nb: True\nnil: ~\nlist: [1, a]\nanchor: &a x\nalias: *a\nseqanchor: &s [1]\nseqalias: *s\nmap: {K: v}\n",
			frontMatter{"date": "2024-01-02", "n": "007", "ok": "yes", "b": true, "nil": nil, "list": []any{"1", "a"},
				"anchor": "x", "alias": "x", "seqanchor": []any{"1"}, "seqalias": nil, "map": map[string]any{"k": "v"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseFrontMatter(tt.text, tt.format, 2)
			if err != nil {
				t.Fatalf("parseFrontMatter error: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

// TestParseMarkdownRawElements checks that the text inside raw <script>,
// <style> and <template> elements written inline in Markdown is not
// indexed as prose (as the HTML ingester drops it), while a tag merely
// mentioned, never closed, leaves the text after it alone.
func TestParseMarkdownRawElements(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"inline script", "Hello <script>alert(1)</script> world", "Hello world"},
		{"inline style", "Hi <style>body{color:red}</style> there", "Hi there"},
		{"upper case, attributes", "A <SCRIPT type=\"x\">var s = 1;</SCRIPT> b", "A b"},
		{"template", "x <template><p>tpl</p></template> y", "x y"},
		{"across paragraphs", "para <script>\nvar z = 4;\n\nstill script\n</script> end", "para\nend"},
		{"block script", "<script>\nvar secret = 1;\n</script>\n\nAfter.", "After."},
		{"never closed: a mention", "Use a <script> tag to load it.", "Use a tag to load it."},
		{"other inline HTML kept", "a <kbd>Ctrl</kbd> b", "a Ctrl b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, _, err := ParseMarkdown("p.md", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if d.Body != tt.want {
				t.Errorf("body %q, want %q", d.Body, tt.want)
			}
		})
	}
}

// TestDirTaxonomyShapes checks that taxonomies written as nested lists
// are flattened, in Markdown and JSON alike, and that a mapping, which
// is no value, is reported instead of silently dropped.
func TestDirTaxonomyShapes(t *testing.T) {
	tests := []struct {
		name, file, content string
		opts                Options
		want                []string
		wantWarns           []string
	}{
		{"yaml nested lists", "a.md", "---\ntitle: A\ntags: [[a, b], c, [[d]]]\n---\nText.\n", Options{}, []string{"a", "b", "c", "d"}, nil},
		{"toml nested lists", "a.md", "+++\ntitle = 'A'\ntags = [['a', 'b'], 'c']\n+++\nText.\n", Options{}, []string{"a", "b", "c"}, nil},
		{"yaml mapping in a list", "a.md", "---\ntitle: A\ntags: [a, {b: c}]\n---\nText.\n", Options{}, []string{"a"},
			[]string{"a.md: tags: a mapping is not a value; ignored"}},
		{"yaml mapping", "a.md", "---\ntitle: A\ntags: {b: c}\n---\nText.\n", Options{}, nil,
			[]string{"a.md: tags: a mapping is not a value; ignored"}},
		{"json nested lists", "r.jsonl", `{"id":"r","title":"T","body":"Text.","tags":[["a","b"],"c"]}` + "\n",
			Options{JSON: JSONMapping{Facets: []string{"tags"}}}, []string{"a", "b", "c"}, nil},
		{"json mapping", "r.jsonl", `{"id":"r","title":"T","body":"Text.","tags":["a",{"b":"c"}]}` + "\n",
			Options{JSON: JSONMapping{Facets: []string{"tags"}}}, []string{"a"},
			[]string{"r.jsonl:1: tags: a mapping is not a value; ignored"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			writeFile(t, filepath.Join(root, tt.file), tt.content)
			_, warns, _, res := dirRun(t, root, tt.opts)
			if len(res.Docs) != 1 {
				t.Fatalf("got %d documents", len(res.Docs))
			}
			if got := res.Docs[0].Facets["tags"]; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("tags = %q, want %q", got, tt.want)
			}
			if !reflect.DeepEqual(warns, tt.wantWarns) {
				t.Errorf("warnings %q, want %q", warns, tt.wantWarns)
			}
		})
	}
}
