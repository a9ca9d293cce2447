package plan

import (
	"math/rand"
	"regexp"
	"slices"
	"strings"
	"testing"

	lev "github.com/blevesearch/vellum/levenshtein"

	"github.com/quarry-search/quarry/internal/index"
	"github.com/quarry-search/quarry/internal/index/indextest"
	"github.com/quarry-search/quarry/internal/query"
)

// config plans over a small index whose analyzer only lower-cases and
// splits on spaces (terms are their own stems).
func config(t *testing.T, docs ...indextest.Doc) *Config {
	t.Helper()
	return &Config{
		Index: indextest.New(docs),
		Analyze: func(text string) []Token {
			var out []Token
			for i := 0; i < len(text); {
				for i < len(text) && (text[i] == ' ' || text[i] == '?') {
					i++
				}
				j := i
				for j < len(text) && text[j] != ' ' && text[j] != '?' {
					j++
				}
				if j > i {
					out = append(out, Token{Term: strings.ToLower(text[i:j]), Start: i, End: j})
				}
				i = j
			}
			return out
		},
		IsStopWord: func(w string) bool { return w == "the" || w == "of" || w == "a" },
		Fuzzy: func(term string, d int) (index.Automaton, error) {
			b, err := lev.NewLevenshteinAutomatonBuilder(uint8(d), true)
			if err != nil {
				return nil, err
			}
			return b.BuildDfa(term, uint8(d))
		},
		TitleBoost: 1.5, BodyBoost: 1,
		TextFields: []string{"title", "body", "url"}, KeywordFields: []string{"org"},
	}
}

// fieldsTerms lists the terms a plan searches with BM25F, with weights.
func fieldsTerms(n query.Node) map[string]float64 {
	out := map[string]float64{}
	query.Walk(n, func(n query.Node) {
		if f, ok := n.(*query.Fields); ok {
			out[f.Term] = f.Boost
		}
	})
	return out
}

func TestTypoDistanceByLength(t *testing.T) {
	cfg := config(t, indextest.Fields("title", "alibaba", "body", "alibaba tencent market"))
	tests := []struct {
		text    string
		correct string // expected correction, "" for none
	}{
		{"alibbaba", "alibaba"},  // 8 letters, one edit
		{"alibbabba", "alibaba"}, // 9 letters, two edits: corrected
		{"tencnet", "tencent"},   // 7 letters, a transposition (one edit)
		{"tnecnet", "tencent"},   // 7 letters, two edits
		{"markte", "market"},     // 6 letters, one edit
		{"mbrkxt", ""},           // 6 letters, two edits: not corrected
		{"mar", ""},              // too short to correct
	}
	for _, tt := range tests {
		p, err := New(cfg, tt.text, true)
		if err != nil {
			t.Fatal(err)
		}
		got := p.Corrections[tt.text]
		if got != tt.correct {
			t.Errorf("%q: correction %q, want %q (mode %s)", tt.text, got, tt.correct, p.Mode)
		}
		if tt.correct != "" && (p.Mode != "fuzzy" || fieldsTerms(p.Query)[tt.correct] == 0) {
			t.Errorf("%q: mode %s, terms %v; want fuzzy with %q", tt.text, p.Mode, fieldsTerms(p.Query), tt.correct)
		}
	}
}

func TestPlainPlans(t *testing.T) {
	cfg := config(t,
		indextest.Fields("title", "tencent games", "body", "tencent runs wechat and games the market"),
		indextest.Fields("title", "tenants", "body", "tenants of the market"),
	)
	tests := []struct {
		text     string
		complete bool
		mode     string
		terms    []string
	}{
		{"tencent", true, "plain", []string{"tencent"}},
		{"tenc", false, "plain", []string{"tenc", "tencent"}},
		{"tenc", true, "plain", []string{"tenc"}},
		{"ten", false, "plain", []string{"ten", "tenants", "tencent"}},
		{"tenc ", false, "plain", []string{"tenc"}},
		{"the market", true, "plain", []string{"market", "the"}},
		{"the games of the tencent market", true, "plain", []string{"games", "market", "tencent"}},
		{"the games of the market", true, "plain", []string{"games", "market", "of", "the"}},
		{"", true, "empty", nil},
	}
	for _, tt := range tests {
		p, err := New(cfg, tt.text, tt.complete)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for term := range fieldsTerms(p.Query) {
			got = append(got, term)
		}
		slices.Sort(got)
		if p.Mode != tt.mode || !slices.Equal(got, tt.terms) {
			t.Errorf("%q complete=%v: mode %s terms %v, want %s %v", tt.text, tt.complete, p.Mode, got, tt.mode, tt.terms)
		}
	}
	// Stop words weigh less next to other words; completions less than
	// the word typed.
	p, _ := New(cfg, "the market", true)
	if w := fieldsTerms(p.Query); w["the"] != StopWordWeight || w["market"] != 1 {
		t.Errorf("weights %v: want the=%v market=1", w, StopWordWeight)
	}
	p, _ = New(cfg, "tenc", false)
	if w := fieldsTerms(p.Query); w["tencent"] != prefixWeight || w["tenc"] != 1 {
		t.Errorf("weights %v: want tenc=1 tencent=%v", w, prefixWeight)
	}
}

func TestSyntaxFallbacks(t *testing.T) {
	cfg := config(t, indextest.Fields("title", "alipay", "body", "alipay wechat"))
	tests := []struct {
		text   string
		mode   string
		notice string
	}{
		{`"wechat pay"`, "syntax", ""},
		{`nosuch:alipay`, "syntax", ""},
		{`"jack ma":alipay`, "plain", "unknown field"},
		{`/ali.*/`, "plain", "regular expressions are not supported"},
		{`"open`, "plain", "unterminated quote"},
		{`alipay^0`, "plain", "invalid boost"},
		{`org:Ant`, "syntax", ""},
	}
	for _, tt := range tests {
		p, err := New(cfg, tt.text, true)
		if err != nil {
			t.Fatalf("%q: %v", tt.text, err)
		}
		if p.Mode != tt.mode || !strings.Contains(p.Notice, tt.notice) || (tt.notice == "") != (p.Notice == "") {
			t.Errorf("%q: mode %s notice %q, want %s with %q", tt.text, p.Mode, p.Notice, tt.mode, tt.notice)
		}
	}
}

// Glob agrees with bleve's wildcard matching, which rewrites the pattern
// as a regular expression and keeps terms it matches entirely.
func TestGlobMatchesRegexp(t *testing.T) {
	toRegexp := strings.NewReplacer("+", `\+`, "(", `\(`, ")", `\)`, "^", `\^`, "$", `\$`, ".", `\.`,
		"{", `\{`, "}", `\}`, "[", `\[`, "]", `\]`, "|", `\|`, `\`, `\\`, "*", ".*", "?", ".")
	rng := rand.New(rand.NewSource(1))
	alphabet := []string{"a", "b", "c", "é", "日", ".", "*", "?", "\\", "+"}
	word := func(n int, wild bool) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			c := alphabet[rng.Intn(len(alphabet))]
			if !wild && (c == "*" || c == "?") {
				c = "a"
			}
			b.WriteString(c)
		}
		return b.String()
	}
	for i := 0; i < 20000; i++ {
		pattern, s := word(1+rng.Intn(6), true), word(rng.Intn(8), false)
		re := regexp.MustCompile(toRegexp.Replace(pattern))
		loc := re.FindStringIndex(s)
		want := loc != nil && loc[0] == 0 && loc[1] == len(s)
		if got := Glob(pattern, s); got != want {
			t.Fatalf("Glob(%q, %q) = %v, regexp %v", pattern, s, got, want)
		}
	}
}

// TestHighlightAndFixes checks what a plain plan marks and corrects:
// stop words next to other words are searched but not marked (all stop
// words: marked); each corrected word is named with its offsets in Text,
// every time it occurs.
func TestHighlightAndFixes(t *testing.T) {
	cfg := config(t, indextest.Fields("title", "tencent games", "body", "tencent runs the market of games"))
	tests := []struct {
		text      string
		highlight []string
		fixes     []Fix
	}{
		{"games of the market", []string{"games", "market"}, nil},
		{"the games", []string{"games"}, nil},
		{"the of", []string{"the", "of"}, nil},
		{"tencnet games tencnet", []string{"tencnet", "tencent", "games"},
			[]Fix{{0, 7, "tencent"}, {14, 21, "tencent"}}},
	}
	for _, tt := range tests {
		p, err := New(cfg, tt.text, true)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(p.Highlight, tt.highlight) || !slices.Equal(p.Fixes, tt.fixes) || p.Text != tt.text {
			t.Errorf("%q: highlight %q, fixes %+v, text %q; want %q, %+v", tt.text, p.Highlight, p.Fixes, p.Text, tt.highlight, tt.fixes)
		}
	}
}
