package query

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	bq "github.com/blevesearch/bleve/v2/search/query"

	"github.com/quarry-search/quarry/internal/testcorpus"
)

// Parse fails where bleve's query-string parser fails, so a query is
// searched as written, or as words, alike in both. The differences are
// deliberate, each with its reason.
func TestParseErrorsMatchBleve(t *testing.T) {
	deviations := map[string]string{
		`a^0`:  "a boost of 0 (or NaN, Inf, negative) makes bleve's scores NaN or negative; Parse refuses it",
		`a^-1`: "idem",
		`/`:    "bleve's parser panics; Parse reads an empty regular expression, which the planner refuses",
		`AND`:  "bleve reads an empty query as match-none; Parse refuses it and the words are searched (there are none)",
		`NOT`:  "idem",
	}
	for _, text := range append(testcorpus.SyntaxQueries, `a^0`, `a^-1`) {
		t.Run(text, func(t *testing.T) {
			in := RewriteOperators(text)
			_, err := Parse(in)
			_, berr := bq.NewQueryStringQuery(in).Parse()
			if why, ok := deviations[text]; ok {
				if (err == nil) == (berr == nil) {
					t.Errorf("Parse(%q) error %v, bleve %v: expected to differ (%s)", in, err, berr, why)
				}
				return
			}
			if errors.Is(err, ErrRange) && berr == nil {
				return // bleve reads a range, which Quarry's index cannot hold
			}
			if (err == nil) != (berr == nil) {
				t.Errorf("Parse(%q) error = %v, bleve's parser: %v", in, err, berr)
			}
		})
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Parsed
		err  error
	}{
		{`a "b c" -d`, Parsed{Should: []Clause{{Text: "a"}, {Text: "b c", Phrase: true}}, Not: []Clause{{Text: "d"}}}, nil},
		{`+title:x^2 y~`, Parsed{Must: []Clause{{Field: "title", Text: "x", Boost: 2, HasBoost: true}}, Should: []Clause{{Text: "y", Fuzzy: true, Fuzziness: 1}}}, nil},
		{`x~0 z*`, Parsed{Should: []Clause{{Text: "x", Fuzzy: true}, {Text: "z*"}}}, nil},
		{`year:>2000`, Parsed{}, ErrRange},
		{`747`, Parsed{}, ErrRange},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if err == nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestLex(t *testing.T) {
	tests := []struct {
		in   string
		want []token
		err  bool
	}{
		{in: `a b`, want: []token{{tString, "a"}, {tString, "b"}}},
		{in: `+a -"b c"`, want: []token{{tPlus, "+"}, {tString, "a"}, {tMinus, "-"}, {tPhrase, "b c"}}},
		{in: `title:a^2`, want: []token{{tString, "title"}, {tColon, ":"}, {tString, "a"}, {tBoost, "2"}}},
		{in: `a~ b`, want: []token{{tString, "a"}, {tTilde, "1"}, {tString, "b"}}},
		{in: `12 1.5 1.5.1 12a`, want: []token{{tNumber, "12"}, {tNumber, "1.5"}, {tString, "1.5.1"}, {tString, "12a"}}},
		{in: `\+a a\*b \q`, want: []token{{tString, "+a"}, {tString, "a*b"}, {tString, `\q`}}},
		{in: `f:>=3`, want: []token{{tString, "f"}, {tColon, ":"}, {tGreater, ">"}, {tEqual, "="}, {tNumber, "3"}}},
		{in: `"a \"b\""`, want: []token{{tPhrase, `a "b"`}}},
		{in: `a-b`, want: []token{{tString, "a-b"}}},
		{in: `"open`, err: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := lex(tt.in)
			if (err != nil) != tt.err {
				t.Fatalf("lex(%q) error = %v, want error %v", tt.in, err, tt.err)
			}
			if !tt.err && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("lex(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestRewriteOperators(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a AND b", "+a +b"},
		{"a OR b", "a b"},
		{"a NOT b", "a -b"},
		{"-a AND b", "-a +b"},
		{`"a AND b" c`, `"a AND b" c`},
		{"a && b || c ! d", "a && b || c ! d"},
	}
	for _, tt := range tests {
		if got := RewriteOperators(tt.in); got != tt.want {
			t.Errorf("RewriteOperators(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheck(t *testing.T) {
	clause := func(c Clause, n int) []Clause {
		out := make([]Clause, n)
		for i := range out {
			out[i] = c
		}
		return out
	}
	tests := []struct {
		name string
		p    Parsed
		ok   bool
	}{
		{"32 words", Parsed{Should: clause(Clause{Text: "a"}, MaxClauses)}, true},
		{"33 words", Parsed{Should: clause(Clause{Text: "a"}, MaxClauses+1)}, false},
		{"4 wildcards", Parsed{Should: clause(Clause{Text: "a*"}, MaxExpandingClauses)}, true},
		{"5 wildcards", Parsed{Must: clause(Clause{Text: "a*"}, MaxExpandingClauses+1)}, false},
		{"fuzziness 2", Parsed{Should: []Clause{{Text: "abc", Fuzzy: true, Fuzziness: 2}}}, true},
		{"fuzziness 3", Parsed{Should: []Clause{{Text: "abc", Fuzzy: true, Fuzziness: 3}}}, false},
		{"fuzzy word too long", Parsed{Should: []Clause{{Text: strings.Repeat("a", MaxFuzzyRunes+1), Fuzzy: true, Fuzziness: 1}}}, false},
		{"5 expanding, one negated", Parsed{Should: clause(Clause{Text: "/a/"}, 4), Not: []Clause{{Text: "b?"}}}, false},
	}
	for _, tt := range tests {
		if err := tt.p.Check(); (err == nil) != tt.ok {
			t.Errorf("%s: Check() = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}
