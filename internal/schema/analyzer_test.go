package schema

import (
	"runtime"
	"strconv"
	"testing"

	bleveanalysis "github.com/blevesearch/bleve/v2/analysis"

	"github.com/quarry-search/quarry/internal/analysis"
	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/testcorpus"
)

func fmtToken(t *bleveanalysis.Token) string {
	return strconv.Quote(string(t.Term)) + "@" + strconv.Itoa(t.Start) + "-" + strconv.Itoa(t.End) +
		"#" + strconv.Itoa(t.Position) + " type " + strconv.Itoa(int(t.Type))
}

// sameTokens returns a description of the first difference between two
// token streams, or "".
func sameTokens(got, want bleveanalysis.TokenStream) string {
	for i := range min(len(got), len(want)) {
		g, w := got[i], want[i]
		if string(g.Term) != string(w.Term) || g.Start != w.Start || g.End != w.End || g.Position != w.Position || g.Type != w.Type {
			return "token " + strconv.Itoa(i) + ": got " + fmtToken(g) + ", want " + fmtToken(w)
		}
	}
	if len(got) != len(want) {
		return "got " + strconv.Itoa(len(got)) + " tokens, want " + strconv.Itoa(len(want))
	}
	return ""
}

// fromAnalysis converts analysis tokens to bleve's.
func fromAnalysis(toks []analysis.Token) bleveanalysis.TokenStream {
	out := make(bleveanalysis.TokenStream, len(toks))
	for i, t := range toks {
		out[i] = &bleveanalysis.Token{Term: []byte(t.Term), Start: t.Start, End: t.End, Position: t.Position, Type: tokenType(t.Kind)}
	}
	return out
}

var corpora = []struct {
	name string
	load func(t *testing.T) []doc.Document
}{
	{"seeds", func(t *testing.T) []doc.Document { return testcorpus.Seeds(t) }},
	{"cranfield", func(t *testing.T) []doc.Document { return testcorpus.Cranfield(t).Docs }},
	{"cacm", func(t *testing.T) []doc.Document { return testcorpus.CACM(t).Docs }},
	{"hugodocs", func(t *testing.T) []doc.Document { return testcorpus.HugoDocs(t).Docs }},
	{"phpdocs", func(t *testing.T) []doc.Document {
		c := testcorpus.PHPDocs(t)
		if runtime.GOOS == "js" {
			return c.Sample(1000) // the whole manual takes minutes under Node
		}
		return c.Docs
	}},
}

// TestMappingAnalyzerCorpora checks, on every test corpus, that the
// mapping's text analyzer gives the tokens of analysis.Analyzer (what the
// engine computes) and of the analyzer the mapping had before (bleve's
// unicode tokenizer and lowercase filter, Quarry's former filters).
func TestMappingAnalyzerCorpora(t *testing.T) {
	im, err := NewMapping(Options{Language: "english"})
	if err != nil {
		t.Fatal(err)
	}
	mapped := im.AnalyzerNamed(TextAnalyzer)
	lang, _ := LookupLanguage("english")
	direct, legacy := analysis.New(lang), legacyAnalyzer(lang)
	for _, c := range corpora {
		t.Run(c.name, func(t *testing.T) {
			var texts, toks, legacyDiffs int
			for _, d := range c.load(t) {
				for _, text := range []string{d.Title, d.Body} {
					got := mapped.Analyze([]byte(text))
					if diff := sameTokens(got, fromAnalysis(direct.Analyze(text))); diff != "" {
						t.Fatalf("doc %s: mapping analyzer and analysis.Analyzer differ: %s", d.ID, diff)
					}
					if diff := sameTokens(got, legacy.Analyze([]byte(text))); diff != "" {
						if legacyDiffs++; legacyDiffs <= 5 {
							t.Errorf("doc %s: mapping analyzer and the former analyzer differ: %s", d.ID, diff)
						}
					}
					texts++
					toks += len(got)
				}
			}
			t.Logf("%s: %d texts, %d tokens, identical to analysis.Analyzer; %d texts differ from the former analyzer", c.name, texts, toks, legacyDiffs)
		})
	}
}

// TestMappingAnalyzerLanguages checks each language's mapping analyzer
// against the former analyzer on text with elisions and possessives.
func TestMappingAnalyzerLanguages(t *testing.T) {
	text := "L'avion d’Alibaba's Tencent’s O’Reillys it's's l' qu'il \"Économies\" ΣΑΣ Ⱥb машины corriendo 3.5 日本 _x"
	for _, name := range Languages() {
		im, err := NewMapping(Options{Language: name})
		if err != nil {
			t.Fatal(err)
		}
		lang, _ := LookupLanguage(name)
		got := im.AnalyzerNamed(TextAnalyzer).Analyze([]byte(text))
		if diff := sameTokens(got, legacyAnalyzer(lang).Analyze([]byte(text))); diff != "" {
			t.Errorf("%s: %s", name, diff)
		}
	}
}
