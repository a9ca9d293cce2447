//go:build !quarry_lang || quarry_lang_hungarian

package analysis

import "github.com/kljensen/snowball/hungarian"

func init() {
	register(Language{Name: "hungarian", Stem: snowball(hungarian.Stem), IsStopWord: hungarian.IsStopWord}, "hu")
}
