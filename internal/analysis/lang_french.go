//go:build !quarry_lang || quarry_lang_french

package analysis

import "github.com/kljensen/snowball/french"

func init() {
	register(Language{Name: "french", Stem: snowball(french.Stem), IsStopWord: french.IsStopWord, Elisions: []string{"l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"}}, "fr")
}
