//go:build !quarry_lang || quarry_lang_spanish

package analysis

import "github.com/kljensen/snowball/spanish"

func init() {
	register(Language{Name: "spanish", Stem: snowball(spanish.Stem), IsStopWord: spanish.IsStopWord}, "es")
}
