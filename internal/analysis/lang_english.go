//go:build !quarry_lang || quarry_lang_english

package analysis

import "github.com/quarry-search/quarry/internal/porter2"

// English stems with internal/porter2, which gives the stems of
// kljensen/snowball/english without that module's imports of testing and
// fmt (102 kB of brotli in quarry.wasm).
func init() {
	register(Language{Name: "english", Stem: porter2.Stem, IsStopWord: porter2.IsStopWord,
		StemKeeps: porter2.KeptRunes, StemRewrites: porter2.Rewritten}, "en")
}
