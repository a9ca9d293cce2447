package schema

import (
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
)

// The text analyzer the mapping had before internal/analysis, kept as the
// reference the new one is compared with: bleve's unicode tokenizer and
// lowercase filter, then Quarry's apostrophe and Snowball filters.

// legacyAnalyzer returns the former text analyzer for lang.
func legacyAnalyzer(lang Language) analysis.Analyzer {
	return &analysis.DefaultAnalyzer{
		Tokenizer: unicode.NewUnicodeTokenizer(),
		TokenFilters: []analysis.TokenFilter{
			lowercase.NewLowerCaseFilter(),
			newLegacyApostrophe(lang),
			&legacySnowball{lang: lang, cache: map[string]string{}},
		},
	}
}

// legacySnowball stems AlphaNumeric tokens, memoised (not safe for
// concurrent use).
type legacySnowball struct {
	lang  Language
	cache map[string]string
}

func (f *legacySnowball) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if tok.KeyWord || tok.Type != analysis.AlphaNumeric {
			continue
		}
		s, ok := f.cache[string(tok.Term)]
		if !ok {
			s = f.lang.Stem(string(tok.Term))
			f.cache[string(tok.Term)] = s
		}
		if s != "" && s != string(tok.Term) {
			tok.Term = []byte(s)
		}
	}
	return input
}

// legacyApostrophe handles apostrophes in lower-cased tokens.
type legacyApostrophe struct {
	elisions map[string]bool
}

func newLegacyApostrophe(lang Language) *legacyApostrophe {
	f := &legacyApostrophe{elisions: map[string]bool{}}
	for _, e := range lang.Elisions {
		f.elisions[e] = true
	}
	return f
}

func (f *legacyApostrophe) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if tok.KeyWord {
			continue
		}
		term := string(tok.Term)
		if !strings.ContainsAny(term, "'’‘`") {
			continue
		}
		term = strings.NewReplacer("’", "'", "‘", "'", "`", "'").Replace(term)
		if i := strings.IndexByte(term, '\''); i > 0 && f.elisions[term[:i]] && i+1 < len(term) {
			term = term[i+1:]
		}
		term = strings.TrimSuffix(term, "'s")
		term = strings.Trim(term, "'")
		if term == "" || !utf8.ValidString(term) {
			continue
		}
		tok.Term = []byte(term)
	}
	return input
}
