//go:build !quarry_lang || quarry_lang_english

package analysis

import "github.com/kljensen/snowball/english"

func init() {
	register(Language{Name: "english", Stem: snowball(english.Stem), IsStopWord: english.IsStopWord}, "en")
}
