package schema

import "github.com/quarry-search/quarry/internal/analysis"

// Language describes one supported index language (see analysis.Language).
type Language = analysis.Language

// DefaultLanguage is used when a build does not name one.
const DefaultLanguage = analysis.DefaultLanguage

// LookupLanguage returns the language called name (a name such as
// "english" or an ISO 639-1 code such as "en", case-insensitive).
func LookupLanguage(name string) (Language, error) {
	return analysis.LookupLanguage(name)
}

// Languages lists the supported language names, sorted.
func Languages() []string { return analysis.Languages() }
