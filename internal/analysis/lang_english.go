//go:build !quarry_lang || quarry_lang_english

package analysis

import "github.com/quarry-search/quarry/internal/porter2"

// English stems with internal/porter2, which gives the stems of
// kljensen/snowball/english without that module's imports of testing and
// fmt (102 kB of brotli in quarry.wasm).
func init() {
	register(Language{Name: "english", Stem: porter2.Stem, IsStopWord: porter2.IsStopWord,
		IsRequestWord: englishRequestWord, StemKeeps: porter2.KeptRunes, StemRewrites: porter2.Rewritten}, "en")
}

// englishRequestWord reports the words of a question that ask for
// documents rather than name their subject: who asks ("anyone",
// "someone", "interested", "please") and what kind of document is asked
// for ("articles", "papers", "publications"). Words often a subject in
// their own right are not among them: "documents" and "literature"
// (document retrieval, literature surveys), "information", "research",
// "studies", "methods". Measured (nDCG@10, Cranfield / CACM, README
// "Ranking"): 0.4139 / 0.5450 as content words, 0.4145 / 0.5657 weighed
// as stop words; the asker's words alone 0.4139 / 0.5595; with
// "documents" and "literature" too, 0.4145 / 0.5659; adding verbs of
// asking ("describe", "discuss", "concerning", "regarding"), "want",
// "looking", "available" and "exist" lowered both (0.4132 / 0.5610).
// A switch: no map is built when the engine starts.
func englishRequestWord(w string) bool {
	switch w {
	case "anyone", "anybody", "someone", "somebody", "interested", "please",
		"article", "articles", "paper", "papers", "publication", "publications":
		return true
	}
	return false
}
