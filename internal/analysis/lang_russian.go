//go:build !quarry_lang || quarry_lang_russian

package analysis

import "github.com/kljensen/snowball/russian"

func init() {
	register(Language{Name: "russian", Stem: snowball(russian.Stem), IsStopWord: russian.IsStopWord}, "ru")
}
