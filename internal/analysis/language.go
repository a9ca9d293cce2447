package analysis

import (
	"errors"
	"slices"
	"strings"
)

// Language is one supported index language: its Snowball stemmer, its
// stop words and the articles elided before a word with an apostrophe.
type Language struct {
	// Name is the language's name as used on the command line ("english").
	Name string
	// Stem stems one lower-cased word. Stop words are returned unstemmed.
	Stem func(word string) string
	// IsStopWord reports whether a lower-cased word is a stop word. Stop
	// words stay in the index; queries down-weight them.
	IsStopWord func(word string) bool
	// IsRequestWord, nil when the language has none, reports whether a
	// lower-cased word asks for documents rather than naming what they
	// are about ("anyone", "interested", "papers" in "has anyone written
	// papers on shell buckling"). Rare in documents, such words take a
	// rare word's weight (idf) and rank first the few pages that happen to
	// hold them; queries weigh them as stop words (IsQueryStopWord). The
	// index and the feedback's term counts keep them as words.
	IsRequestWord func(word string) bool
	// Elisions are articles glued to the next word with an apostrophe
	// ("l'", "d'") that are removed before stemming.
	Elisions []string
	// StemKeeps is how many leading runes of a lower-cased word without
	// apostrophes its stem always begins with (all of the stem when it is
	// shorter), but for the words of StemRewrites; 0 counts as 1 (Snowball
	// stemmers only remove and alter endings). Find uses it to stem only
	// the words that may give one of the terms it looks for.
	StemKeeps    int
	StemRewrites []string
}

// IsQueryStopWord reports whether a query weighs a lower-cased word as a
// stop word: a stop word or a request word.
func (l Language) IsQueryStopWord(word string) bool {
	return l.IsStopWord(word) || l.IsRequestWord != nil && l.IsRequestWord(word)
}

// DefaultLanguage is the language of an empty name.
const DefaultLanguage = "english"

// ErrUnsupportedLanguage is wrapped by LookupLanguage's errors.
var ErrUnsupportedLanguage = errors.New("unsupported language")

// languages are the languages linked in, each registered by its own file
// (lang_*.go) unless the build selects languages with tags: with
// "quarry_lang", only those named by "quarry_lang_NAME" tags are linked.
var languages []langEntry

type langEntry struct {
	lang  Language
	codes []string // ISO 639-1 codes
}

// register adds a language, keeping languages sorted by name (without
// package sort or slices.Sort, whose code the engine need not link).
func register(l Language, codes ...string) {
	i := len(languages)
	for i > 0 && languages[i-1].lang.Name > l.Name {
		i--
	}
	languages = slices.Insert(languages, i, langEntry{lang: l, codes: codes})
}

// LookupLanguage returns the language called name: a name such as
// "english" or an ISO 639-1 code such as "en", case-insensitively; the
// empty name is DefaultLanguage.
func LookupLanguage(name string) (Language, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" {
		n = DefaultLanguage
	}
	for _, e := range languages {
		if e.lang.Name == n || slices.Contains(e.codes, n) {
			return e.lang, nil
		}
	}
	return Language{}, &languageError{name: name}
}

type languageError struct{ name string }

func (e *languageError) Error() string {
	return ErrUnsupportedLanguage.Error() + " \"" + e.name + "\" (supported: " + strings.Join(Languages(), ", ") + ")"
}

func (e *languageError) Unwrap() error { return ErrUnsupportedLanguage }

// Languages lists the names of the languages linked in, sorted.
func Languages() []string {
	out := make([]string, 0, len(languages))
	for _, e := range languages {
		out = append(out, e.lang.Name)
	}
	return out
}

// snowball adapts a kljensen/snowball stemmer, which leaves stop words
// alone when its second argument is false.
func snowball(stem func(string, bool) string) func(string) string {
	return func(w string) string { return stem(w, false) }
}
