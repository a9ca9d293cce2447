package entity

import (
	"fmt"
	"math/rand"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/internal/doc"
)

func TestCodeLine(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{`{{ with resources.Get "images/a.jpg" }}`, true},
		{`<img src="{{ .RelPermalink }}" alt="">`, true},
		{`{{ $url := "https://example.org/api" }}`, true},
		{`"headers" (dict "Authorization" "Bearer abcd")`, true},
		{`"author": "Victor Hugo",`, true},
		{`author: Victor Hugo`, true},
		{`label = 'Deutsch'`, true},
		{`baseURL = 'https://example.org/'`, true},
		{`[params]`, true},
		{`+++`, true},
		{`- item: one`, true},
		{`$ hugo server --buildDrafts`, true},
		{`# Git settings`, true},
		{`echo "Configuring Git..."`, true},
		{`trap cleanup EXIT SIGINT SIGTERM`, true},
		{`    indented := code`, true},
		{`	tabbed line`, true},
		{`func main() {`, true},
		{`if err != nil {`, true},
		{`.site-header { color: red; }`, true},
		{"Hugo's rendering engine conforms to the CommonMark specification for Markdown.", false},
		{"Install Hugo (any edition, or later)", false},
		{"(string) Overrides the last segment of the URL path.", false},
		{"To include a header:", false},
		{"Note: Alibaba said on Monday it would expand.", false},
		{"hugo mod - Manage modules", false},
		{"By Adam Skuse Source:Global Times Published: 2013-9-26 22:23:01", false},
		{"Yin Jie, director of cross-border operation at WeChat Pay, disclosed that the U.S. is a priority.", false},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			if got := codeLine(tc.line); got != tc.want {
				t.Errorf("codeLine(%q) = %v, want %v", tc.line, got, tc.want)
			}
		})
	}
}

func TestIsCodeWord(t *testing.T) {
	tests := []struct {
		word string
		want bool
	}{
		{"resources.Get", true}, {"site.RegularPages", true}, {"time.AsTime", true}, {"safe.HTML", true},
		{"Site.Menus.main", true}, {"Resources.GetMatch", true}, {"README.md", true}, {"Config.toml", true},
		{"logLevel", true}, {"baseURL", true}, {"ignoreVendorPaths", true}, {"renderToMemory", true},
		{"GetPage", true}, {"IsHome", true}, {"IsImageResourceProcessable", true}, {"HasMenuCurrent", true},
		{"GitHub", false}, {"JavaScript", false}, {"WeChat", false}, {"WhatsApp", false}, {"CommonMark", false},
		{"eBay", false}, {"iPhone", false}, {"jQuery", false}, {"macOS", false}, {"Node.js", false},
		{"JD.com", false}, {"U.S.", false}, {"ASP.NET", false}, {"Hugo", false}, {"AWS", false},
	}
	for _, tc := range tests {
		t.Run(tc.word, func(t *testing.T) {
			if got := isCodeWord(tc.word); got != tc.want {
				t.Errorf("isCodeWord(%q) = %v, want %v", tc.word, got, tc.want)
			}
		})
	}
}

// TestGluedCode checks that words touching code punctuation in prose are
// no name candidates, and that ordinary punctuation leaves names alone.
func TestGluedCode(t *testing.T) {
	tests := []struct {
		line     string
		code     []string // words marked as code
		names    []string // words still name candidates
		startsAt []string // words that start a sentence or cell
	}{
		{line: "Use the .Permalink and $Site values.", code: []string{"Permalink", "Site"}},
		{line: "Set HUGO_ENVIRONMENT or call GetPage(path).", code: []string{"HUGO", "ENVIRONMENT", "GetPage"}},
		{line: "Run hugo --Minify with -Drafts now.", code: []string{"Minify", "Drafts"}},
		{line: "Files in layouts/Partials/Foo are used.", code: []string{"Partials", "Foo"}},
		{line: "Zones like Europe/Oslo and America/Los_Angeles work.", code: []string{"Europe", "Oslo", "America", "Los", "Angeles"}},
		{line: "It runs on Windows/Linux and talks to GitHub (GH) and Hugo's site.", names: []string{"Windows", "Linux", "GitHub", "GH", "Hugo"}},
		{line: "(string) Overrides the path.", startsAt: []string{"Overrides"}},
		{line: "nearestNeighbor Fastest resampling filter", code: []string{"nearestNeighbor"}, startsAt: []string{"Fastest"}},
		{line: "hugo mod - Manage modules", startsAt: []string{"Manage"}},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			byText := map[string]token{}
			for _, tok := range tokenize(tc.line) {
				byText[tok.text] = tok
			}
			for _, w := range tc.code {
				if tok, ok := byText[w]; !ok || !tok.code || tok.isName() {
					t.Errorf("got token %q %+v, want a code token", w, tok)
				}
			}
			for _, w := range tc.names {
				if tok, ok := byText[w]; !ok || tok.code || !tok.isName() {
					t.Errorf("got token %q %+v, want a name candidate", w, tok)
				}
			}
			for _, w := range tc.startsAt {
				if tok := byText[w]; !tok.sentStart {
					t.Errorf("got token %q %+v, want it to start a sentence", w, tok)
				}
			}
		})
	}
}

// docsPage builds a documentation-like corpus: n pages about the product
// "Hugo", with code blocks, inline identifiers and headings.
func docsPage(n int) []doc.Document {
	var docs []doc.Document
	for i := range n {
		body := strings.Join([]string{
			"Overview",
			fmt.Sprintf("Hugo renders page %d quickly. The RelPermalink method returns a path; use .RelPermalink in templates.", i),
			"{{ with resources.Get \"images/a.jpg\" }}",
			"<img src=\"{{ .RelPermalink }}\" alt=\"\">",
			"{{ end }}",
			"In HTML and CSS files, set the logLevel and call site.RegularPages or time.AsTime in your Hugo project.",
			"label = 'Deutsch'",
			"Deutsch and Français are available in the language switcher, and the URL uses Go templates hosted on GitHub.",
			"Unable to find the file? Check the URL in YAML, then deploy the Git-based site to Netlify.",
		}, "\n")
		docs = append(docs, doc.Document{ID: fmt.Sprintf("p%02d.md", i), Title: "Page", Body: body})
	}
	docs = append(docs, doc.Document{ID: "books.md", Title: "Books",
		Body: "The Hunchback of Notre Dame was written by Victor Hugo, the French author. Hugo builds this page."})
	return docs
}

func TestDocsJunk(t *testing.T) {
	got := extract(t, docsPage(6), nil)
	for _, junk := range []string{"RelPermalink", "resources.Get", "logLevel", "site.RegularPages", "time.AsTime",
		"HTML", "CSS", "URL", "YAML", "Deutsch", "Français", "Overview", "Unable"} {
		if e := find(got, junk); e != nil {
			t.Errorf("got junk entity %q (%s, %d docs), want it rejected; all: %v", junk, e.Type, len(e.Docs), names(got))
		}
	}
	want := map[string][]Type{"Hugo": {Product, Org}, "GitHub": {Product, Org}, "Netlify": {Product, Org},
		"Git": {Product, Org}, "Victor Hugo": {Person}} // "Go" alone is the verb here
	for name, types := range want {
		e := find(got, name)
		switch {
		case e == nil:
			t.Errorf("got %v, want %q", names(got), name)
		case !slices.Contains(types, e.Type):
			t.Errorf("got %q typed %s, want one of %v", name, e.Type, types)
		}
	}
	if e := find(got, "Hugo"); e != nil && len(e.Docs) != 7 {
		t.Errorf("got Hugo in %d docs, want 7 (not merged into Victor Hugo)", len(e.Docs))
	}
	if e := find(got, "Victor Hugo"); e != nil && slices.Contains(e.Aliases, "Hugo") {
		t.Errorf("got Victor Hugo with alias Hugo, want the product kept apart")
	}
}

// TestPlaceEvidence checks that a place needs a gazetteer entry or a
// place cue, not a preposition or "-based" alone.
func TestPlaceEvidence(t *testing.T) {
	tests := []struct {
		name string
		body string
		ent  string
		want Type // "" = not an entity
	}{
		{"preposition before an acronym", "Convert the file to XYZ and store it in XYZ.", "XYZ", Org},
		{"preposition before a tech name", "The site runs in Gizmo and exports from Gizmo.", "Gizmo", Org},
		{"tech -based", "A Gizmo-based site is fast.", "Gizmo", Org},
		{"gazetteer city -based", "The Hangzhou-based startup grew.", "Hangzhou", Place},
		{"place noun after", "Farmers in Zhangbei county grow wheat.", "Zhangbei", Place},
		{"comma and province", "The wind farm in Zhangbei, Hebei province is huge.", "Zhangbei", Place},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := extract(t, docsOf(tc.body), nil)
			e := find(got, tc.ent)
			switch {
			case e == nil && tc.want != "":
				t.Errorf("got %v, want %q (%s)", names(got), tc.ent, tc.want)
			case e != nil && e.Type != tc.want:
				t.Errorf("got %q typed %s, want %s", tc.ent, e.Type, tc.want)
			}
		})
	}
}

// TestSurnameMerge checks when a bare name joins a full personal name.
func TestSurnameMerge(t *testing.T) {
	tests := []struct {
		name      string
		bodies    []string
		wantAlias bool // "Hugo" becomes an alias of "Victor Hugo"
	}{
		{"product used alone far more often", []string{
			"Victor Hugo wrote novels. Hugo builds sites.", "Hugo builds sites fast.", "The Hugo site is live.",
			"The Hugo platform grows.", "Hugo users love the Hugo app."}, false},
		{"same document, person cue", []string{"Victor Hugo wrote novels. Later, Hugo said he was tired."}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := extract(t, docsOf(tc.bodies...), nil)
			e := find(got, "Victor Hugo")
			if e == nil {
				t.Fatalf("got %v, want Victor Hugo", names(got))
			}
			if has := slices.Contains(e.Aliases, "Hugo"); has != tc.wantAlias {
				t.Errorf("got aliases %v for Victor Hugo, want Hugo among them: %v", e.Aliases, tc.wantAlias)
			}
		})
	}
}

// TestProseConcurrent checks that tagging sentences with the shared
// prose model from several workers gives the sequential results (run
// with -race to check the sharing itself).
func TestProseConcurrent(t *testing.T) {
	var sents []string
	for _, d := range loadSeeds(t) {
		for _, s := range strings.SplitAfter(d.Body, ". ") {
			if s = strings.TrimSpace(s); s != "" {
				sents = append(sents, s)
			}
		}
	}
	want, err := func() ([]map[string]bool, error) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
		return tagSentences(sents)
	}()
	if err != nil {
		t.Fatalf("tagSentences (1 worker): %v", err)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	got, err := tagSentences(sents)
	if err != nil {
		t.Fatalf("tagSentences (4 workers): %v", err)
	}
	for i := range sents {
		if fmt.Sprint(got[i]) != fmt.Sprint(want[i]) {
			t.Errorf("sentence %q: got spans %v with 4 workers, want %v", sents[i], got[i], want[i])
		}
	}
}

// TestCorpusRefinement checks the passes that use corpus statistics.
func TestCorpusRefinement(t *testing.T) {
	tests := []struct {
		name   string
		bodies []string
		want   map[string]Type // entity -> type ("" = any type)
		reject []string
	}{
		{
			name: "sentence-initial verb trimmed when the corpus writes it in lower case",
			bodies: []string{"Install Hugo first.", "You install it once and install themes later.",
				"Then run Hugo daily."},
			want: map[string]Type{"Hugo": ""}, reject: []string{"Install Hugo", "Install"},
		},
		{
			name: "given name used alone as a product",
			bodies: []string{"Hugo Modules are handy.", "Hugo builds sites.", "We like Hugo a lot.",
				"The Hugo app is fast."},
			want: map[string]Type{"Hugo": Product, "Hugo Modules": ""},
		},
		{
			name:   "short form used alone is no descriptor alias",
			bodies: []string{"Add Google Analytics to your site, as Google suggests.", "Google hosts the fonts."},
			want:   map[string]Type{"Google": "", "Google Analytics": ""},
		},
		{
			name:   "word the corpus writes in lower case",
			bodies: []string{"The Feature state is shown.", strings.Repeat("This feature is new. ", 12)},
			reject: []string{"Feature"},
		},
		{
			name:   "language names",
			bodies: []string{"Switch to Deutsch, Español or Hindi in the menu, as Tencent does."},
			want:   map[string]Type{"Tencent": ""}, reject: []string{"Deutsch", "Español", "Hindi"},
		},
		{
			name:   "heading words",
			bodies: []string{"Overview\nThe Overview page lists Netlify sites.", "Overview\nMore text.", "Overview\nEven more."},
			want:   map[string]Type{"Netlify": ""}, reject: []string{"Overview"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := extract(t, docsOf(tc.bodies...), nil)
			for name, typ := range tc.want {
				e := find(got, name)
				switch {
				case e == nil:
					t.Errorf("got %v, want %q", names(got), name)
				case typ != "" && e.Type != typ:
					t.Errorf("got %q typed %s, want %s", name, e.Type, typ)
				case e.Type == Person:
					t.Errorf("got %q typed person, want no person", name)
				}
			}
			for _, name := range tc.reject {
				if e := find(got, name); e != nil {
					t.Errorf("got %q (%s), want it rejected; all: %v", name, e.Type, names(got))
				}
			}
		})
	}
}

// TestMatchWord holds matchWord to the regular expression it replaces.
func TestMatchWord(t *testing.T) {
	wordRe := regexp.MustCompile(`^[\p{L}\p{N}]+(?:[.'&\-][\p{L}\p{N}]+)*`)
	inputs := []string{"", "U.S.", "JD.com rocks", "O'Brien's", "AT&T", "York-based", "a--b", "x.", "-a", "é.ü-ß'2",
		"Ⅻ-Ⅳ", "日本語.テスト", "word\u0301s", "a.b.c.d-e&f'g.", "12.5%", "a'", "'a", "a&&b", "\xffab", "ab\xff", "a.\xff"}
	rng := rand.New(rand.NewSource(1))
	alphabet := []rune("aZ9é.'&- _Ⅻ\u0301日\xff")
	for range 5000 {
		r := make([]rune, rng.Intn(8))
		for i := range r {
			r[i] = alphabet[rng.Intn(len(alphabet))]
		}
		inputs = append(inputs, string(r))
	}
	for _, in := range inputs {
		if got, want := matchWord(in), wordRe.FindString(in); got != want {
			t.Errorf("matchWord(%q) = %q, want %q", in, got, want)
		}
	}
}
