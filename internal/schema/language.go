package schema

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"github.com/kljensen/snowball/hungarian"
	"github.com/kljensen/snowball/norwegian"
	"github.com/kljensen/snowball/russian"
	"github.com/kljensen/snowball/spanish"
	"github.com/kljensen/snowball/swedish"
)

// Language describes one supported index language: its Snowball stemmer,
// its stop-word list and the leading articles elided before stemming.
type Language struct {
	// Name is the language's name as used on the command line ("english").
	Name string
	// Stem stems one lower-cased word. Stop words are returned unstemmed.
	Stem func(word string) string
	// IsStopWord reports whether a lower-cased word is a stop word. Stop
	// words stay in the index; queries down-weight them.
	IsStopWord func(word string) bool
	// Elisions are articles glued to the next word with an apostrophe
	// ("l'", "d'") that are removed before stemming.
	Elisions []string
}

var languages = map[string]Language{
	"english":   {Name: "english", Stem: stemmer(english.Stem), IsStopWord: english.IsStopWord},
	"french":    {Name: "french", Stem: stemmer(french.Stem), IsStopWord: french.IsStopWord, Elisions: []string{"l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"}},
	"spanish":   {Name: "spanish", Stem: stemmer(spanish.Stem), IsStopWord: spanish.IsStopWord},
	"russian":   {Name: "russian", Stem: stemmer(russian.Stem), IsStopWord: russian.IsStopWord},
	"swedish":   {Name: "swedish", Stem: stemmer(swedish.Stem), IsStopWord: swedish.IsStopWord},
	"norwegian": {Name: "norwegian", Stem: stemmer(norwegian.Stem), IsStopWord: norwegian.IsStopWord},
	"hungarian": {Name: "hungarian", Stem: stemmer(hungarian.Stem), IsStopWord: hungarian.IsStopWord},
}

// languageAliases maps ISO 639-1 codes to language names.
var languageAliases = map[string]string{
	"en": "english", "fr": "french", "es": "spanish", "ru": "russian",
	"sv": "swedish", "no": "norwegian", "nb": "norwegian", "nn": "norwegian", "hu": "hungarian",
}

// DefaultLanguage is used when a build does not name one.
const DefaultLanguage = "english"

func stemmer(f func(string, bool) string) func(string) string {
	return func(w string) string { return f(w, false) }
}

// LookupLanguage returns the language called name (a name such as
// "english" or an ISO 639-1 code such as "en", case-insensitive).
func LookupLanguage(name string) (Language, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" {
		n = DefaultLanguage
	}
	if full, ok := languageAliases[n]; ok {
		n = full
	}
	l, ok := languages[n]
	if !ok {
		return Language{}, fmt.Errorf("unsupported language %q (supported: %s)", name, strings.Join(Languages(), ", "))
	}
	return l, nil
}

// Languages lists the supported language names, sorted.
func Languages() []string {
	out := make([]string, 0, len(languages))
	for n := range languages {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
