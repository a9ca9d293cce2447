package analysis

import (
	"runtime"
	"testing"

	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/testcorpus"
)

// corpusTexts returns the titles and bodies of a test corpus.
func corpusTexts(docs []doc.Document) []string {
	out := make([]string, 0, 2*len(docs))
	for _, d := range docs {
		out = append(out, d.Title, d.Body)
	}
	return out
}

// corpora are the test corpora, and whether each must agree exactly.
var corpora = []struct {
	name  string
	exact bool
	load  func(t *testing.T) []doc.Document
}{
	{"seeds", true, func(t *testing.T) []doc.Document { return testcorpus.Seeds(t) }},
	{"cranfield", true, func(t *testing.T) []doc.Document { return testcorpus.Cranfield(t).Docs }},
	{"cacm", true, func(t *testing.T) []doc.Document { return testcorpus.CACM(t).Docs }},
	{"hugodocs", true, func(t *testing.T) []doc.Document { return testcorpus.HugoDocs(t).Docs }},
	{"phpdocs", true, func(t *testing.T) []doc.Document {
		c := testcorpus.PHPDocs(t)
		if runtime.GOOS == "js" {
			return c.Sample(2000) // the whole manual takes minutes under Node
		}
		return c.Docs
	}},
}

// TestTokenizeCorpora compares Tokenize with segment on every text of the
// test corpora.
func TestTokenizeCorpora(t *testing.T) {
	for _, c := range corpora {
		t.Run(c.name, func(t *testing.T) {
			texts := corpusTexts(c.load(t))
			var same, toks, diffs int
			for _, text := range texts {
				got, want := Tokenize(text), segmentTokens(text)
				toks += len(want)
				i := firstDiff(got, want)
				if i < 0 {
					same++
					continue
				}
				diffs++
				if diffs <= 5 {
					msg := describeDiff(text, got, want, i)
					if c.exact {
						t.Errorf("%s", msg)
					} else {
						t.Logf("difference: %s", msg)
					}
				}
			}
			t.Logf("%s: %d of %d texts (%d tokens) tokenized as segment does (%.4f%%)", c.name, same, len(texts), toks, 100*float64(same)/float64(max(1, len(texts))))
			if c.exact && diffs > 0 {
				t.Errorf("%d texts differ", diffs)
			}
		})
	}
}
