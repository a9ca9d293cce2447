//go:build !quarry_lang || quarry_lang_swedish

package analysis

import "github.com/kljensen/snowball/swedish"

func init() {
	register(Language{Name: "swedish", Stem: snowball(swedish.Stem), IsStopWord: swedish.IsStopWord}, "sv")
}
