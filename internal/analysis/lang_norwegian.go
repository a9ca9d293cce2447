//go:build !quarry_lang || quarry_lang_norwegian

package analysis

import "github.com/kljensen/snowball/norwegian"

func init() {
	register(Language{Name: "norwegian", Stem: snowball(norwegian.Stem), IsStopWord: norwegian.IsStopWord}, "no", "nb", "nn")
}
