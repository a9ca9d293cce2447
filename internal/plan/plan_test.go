package plan

import (
	"fmt"
	"math"
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
		TitleBoost: 1.5, BodyBoost: 1, Ranking: DefaultRanking,
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
		{"mbr", ""},              // too short to correct
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
		{"tenc", true, "plain", []string{"tenc", "tencent"}}, // finished, absent: completed
		{"tencent", false, "plain", []string{"tencent"}},
		{"ten", false, "plain", []string{"ten", "tenants", "tencent"}},
		{"tenc ", false, "plain", []string{"tenc", "tencent"}}, // finished, absent: completed
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
}

// Weights of plain queries: stop words weigh less next to other words; a
// word typed keeps its weight and its completions share a budget in
// proportion to their documents (the whole weight when the word itself
// is not in the index); a repeated word weighs the square root of its
// count.
func TestPlainWeights(t *testing.T) {
	cfg := config(t,
		indextest.Fields("title", "files", "body", "file files filesystem market"),
		indextest.Fields("title", "file", "body", "files filename the market"),
		indextest.Fields("title", "filesystem", "body", "files file market"),
	)
	b := DefaultRanking.PrefixBudget
	tests := []struct {
		text     string
		complete bool
		want     map[string]float64
	}{
		{"the market", true, map[string]float64{"the": DefaultRanking.StopWordWeight, "market": 1}},
		{"the", true, map[string]float64{"the": 1}},
		// Documents per field, added: files 4, filesystem 2, filename 1.
		{"file", false, map[string]float64{"file": 1, "files": b * 4 / 7, "filesystem": b * 2 / 7, "filename": b * 1 / 7}},
		{"file", true, map[string]float64{"file": 1}},
		// "filen" is in no document: its one completion takes its weight.
		{"filen", false, map[string]float64{"filen": 1, "filename": 1}},
		{"filen", true, map[string]float64{"filen": 1, "filename": 1}},
		{"market file market", true, map[string]float64{"market": math.Sqrt(2), "file": 1}},
	}
	for _, tt := range tests {
		p, err := New(cfg, tt.text, tt.complete)
		if err != nil {
			t.Fatal(err)
		}
		got := fieldsTerms(p.Query)
		if len(got) != len(tt.want) {
			t.Errorf("%q complete=%v: weights %v, want %v", tt.text, tt.complete, got, tt.want)
			continue
		}
		for term, w := range tt.want {
			if math.Abs(got[term]-w) > 1e-12 {
				t.Errorf("%q complete=%v: weights %v, want %v", tt.text, tt.complete, got, tt.want)
				break
			}
		}
	}
}

// Every BM25F clause of a plain query (its words, a word's completions,
// a misspelt word's corrections) carries the ranking's k1 and each
// field's b, in the order of its fields.
func TestPlainBM25FParameters(t *testing.T) {
	cfg := config(t,
		indextest.Fields("title", "files", "body", "file files filesystem market"),
		indextest.Fields("title", "file", "body", "files filename the market"),
	)
	for _, r := range []Ranking{DefaultRanking, {K1: 1.2, TitleB: 1, BodyB: 0.3, StopWordWeight: 0.2, PrefixBudget: 0.3, MaxPrefixTerms: 4}} {
		cfg.Ranking = r
		for _, tt := range []struct {
			text     string
			complete bool
			clauses  int // BM25F clauses expected
		}{
			{"market file", true, 2},
			{"market fil", false, 6}, // market, fil and its four completions
			{"markett", true, 2},     // markett and its correction market
		} {
			p, err := New(cfg, tt.text, tt.complete)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			query.Walk(p.Query, func(q query.Node) {
				f, ok := q.(*query.Fields)
				if !ok {
					return
				}
				n++
				if f.K1 != r.K1 || !slices.Equal(f.Fields, []string{FieldTitle, FieldBody}) || !slices.Equal(f.B, []float64{r.TitleB, r.BodyB}) {
					t.Errorf("%q: clause %q: k1 %v, fields %v, b %v; want k1 %v, b %v %v", tt.text, f.Term, f.K1, f.Fields, f.B, r.K1, r.TitleB, r.BodyB)
				}
			})
			if n != tt.clauses {
				t.Errorf("%q: %d BM25F clauses, want %d", tt.text, n, tt.clauses)
			}
		}
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
		{`nosuch:alipay`, "plain", ""}, // an unknown field is prose
		{`"jack ma":alipay`, "syntax", ""},
		{`/ali.*/`, "plain", "regular expressions are not supported"},
		{`"open`, "plain", ""}, // an unpaired quote is prose
		{`alipay^0`, "plain", "invalid boost"},
		{`org:Ant`, "syntax", ""},
		{`alipay~3`, "plain", "fuzziness 3"},
		{`title:>5`, "plain", "range queries are not supported"},
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

// Stop words weigh in syntax mode what they weigh in plain mode: their
// boost is multiplied by the stop-word weight when the query has other
// words (bleve's scoring otherwise unchanged).
func TestSyntaxStopWords(t *testing.T) {
	cfg := config(t, indextest.Fields("title", "alipay", "body", "the alipay of wechat"))
	sw := DefaultRanking.StopWordWeight
	tests := []struct {
		text   string
		syntax string
		want   map[string]float64 // body boosts of BTerm nodes
	}{
		{"+alipay the", "+alipay the^" + fmt.Sprint(sw), map[string]float64{"alipay": 1, "the": sw}},
		{"of is +alipay?", "of^0.2 is +alipay", map[string]float64{"alipay": 1, "of": sw, "is": 1}},
		{"+the^3 alipay", "+the^0.6000000000000001 alipay", map[string]float64{"alipay": 1, "the": 3 * sw}},
		{"-the alipay~1", "-the alipay~1", map[string]float64{"alipay": 1, "the": 1}},
		{"the AND of", "+the +of", map[string]float64{"the": 1, "of": 1}},
		{`"of the" +alipay`, `"of the" +alipay`, map[string]float64{"alipay": 1}},
	}
	for _, tt := range tests {
		p, err := New(cfg, tt.text, true)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{}
		query.Walk(p.Query, func(n query.Node) {
			if b, ok := n.(*query.BTerm); ok && b.Field == "body" {
				got[b.Term] = b.Boost
			}
		})
		if p.Mode != "syntax" || query.RewriteOperators(p.Syntax) != tt.syntax || fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%q: mode %s, syntax %q, boosts %v; want syntax %q, boosts %v", tt.text, p.Mode, p.Syntax, got, tt.syntax, tt.want)
		}
	}
}

// A long query is searched with all its words up to MaxTerms distinct
// ones; past it, those in the fewest documents are kept (the last word
// always), wherever they come, and Dropped says how many were left out.
func TestLongQueryKeepsDiscriminativeWords(t *testing.T) {
	n := MaxTerms + 6
	var docs []indextest.Doc
	for d := 0; d < n; d++ {
		var words []string
		for k := d + 1; k <= n; k++ {
			words = append(words, fmt.Sprintf("w%d", k)) // word wk is in k documents
		}
		docs = append(docs, indextest.Fields("body", strings.Join(words, " ")))
	}
	cfg := config(t, docs...)
	words := func(from, to int) []string {
		var out []string
		for k := from; k <= to; k++ {
			out = append(out, fmt.Sprintf("w%d", k))
		}
		return out
	}
	tests := []struct {
		query   []string
		want    []string
		dropped int
	}{
		// Exactly MaxTerms distinct words, each twice: all searched.
		{append(words(1, MaxTerms), words(1, MaxTerms)...), words(1, MaxTerms), 0},
		// The rarest words come last: they are kept, not the first ones.
		{append(words(7, n), words(1, 6)...), words(1, MaxTerms), 6},
		// The commonest word comes last: kept with the 63 rarest.
		{words(1, n), append(words(1, MaxTerms-1), fmt.Sprintf("w%d", n)), 6},
	}
	for i, tt := range tests {
		p, err := New(cfg, strings.Join(tt.query, " "), true)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for term := range fieldsTerms(p.Query) {
			got = append(got, term)
		}
		slices.Sort(got)
		want := slices.Clone(tt.want)
		slices.Sort(want)
		if !slices.Equal(got, want) || p.Dropped != tt.dropped {
			t.Errorf("%d: searched %v, dropped %d; want %v, dropped %d", i, got, p.Dropped, want, tt.dropped)
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
