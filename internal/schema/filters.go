package schema

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// SnowballFilterType is the registry name of the Snowball stemming token
// filter backed by github.com/kljensen/snowball. Its config takes
// "language" (see Languages).
const SnowballFilterType = "quarry_snowball"

// ApostropheFilterType is the registry name of the token filter that
// normalises typographic apostrophes, drops English possessives ('s) and
// trailing apostrophes, and removes elided articles (French l', d'...).
const ApostropheFilterType = "quarry_apostrophe"

func init() {
	registry.RegisterTokenFilter(SnowballFilterType, snowballConstructor)
	registry.RegisterTokenFilter(ApostropheFilterType, apostropheConstructor)
}

// SnowballFilter stems every token with a Snowball stemmer. Stems are
// memoised (up to maxStemCache words): stemming dominates analysis time
// and natural text repeats words.
type SnowballFilter struct {
	lang  Language
	mu    sync.Mutex
	cache map[string]string
}

// maxStemCache bounds the memoised stems per filter.
const maxStemCache = 1 << 16

// NewSnowballFilter returns a stemming filter for lang.
func NewSnowballFilter(lang Language) *SnowballFilter {
	return &SnowballFilter{lang: lang, cache: map[string]string{}}
}

func (f *SnowballFilter) stem(w []byte) string {
	f.mu.Lock()
	s, ok := f.cache[string(w)]
	f.mu.Unlock()
	if ok {
		return s
	}
	word := string(w)
	s = f.lang.Stem(word)
	f.mu.Lock()
	if len(f.cache) < maxStemCache {
		f.cache[word] = s
	}
	f.mu.Unlock()
	return s
}

// Filter implements analysis.TokenFilter.
func (f *SnowballFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if tok.KeyWord || tok.Type != analysis.AlphaNumeric {
			continue
		}
		s := f.stem(tok.Term)
		if s != "" && s != string(tok.Term) {
			tok.Term = []byte(s)
		}
	}
	return input
}

func languageFromConfig(config map[string]interface{}) (Language, error) {
	name, _ := config["language"].(string)
	return LookupLanguage(name)
}

func snowballConstructor(config map[string]interface{}, _ *registry.Cache) (analysis.TokenFilter, error) {
	lang, err := languageFromConfig(config)
	if err != nil {
		return nil, fmt.Errorf("snowball filter: %w", err)
	}
	return NewSnowballFilter(lang), nil
}

// ApostropheFilter handles apostrophes in lower-cased tokens.
type ApostropheFilter struct {
	elisions map[string]bool
}

// NewApostropheFilter returns an apostrophe filter for lang.
func NewApostropheFilter(lang Language) *ApostropheFilter {
	f := &ApostropheFilter{elisions: map[string]bool{}}
	for _, e := range lang.Elisions {
		f.elisions[e] = true
	}
	return f
}

// Filter implements analysis.TokenFilter.
func (f *ApostropheFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
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

func apostropheConstructor(config map[string]interface{}, _ *registry.Cache) (analysis.TokenFilter, error) {
	lang, err := languageFromConfig(config)
	if err != nil {
		return nil, fmt.Errorf("apostrophe filter: %w", err)
	}
	return NewApostropheFilter(lang), nil
}
