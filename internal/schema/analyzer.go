package schema

import (
	"fmt"

	bleveanalysis "github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/quarry-search/quarry/internal/analysis"
)

// AnalyzerType is the registry name of the analyzer type that runs
// internal/analysis, so that the builder indexes exactly the terms the
// search engine computes. Its config takes "language" (see Languages).
const AnalyzerType = "quarry_analysis"

func init() {
	registry.RegisterAnalyzer(AnalyzerType, func(config map[string]interface{}, _ *registry.Cache) (bleveanalysis.Analyzer, error) {
		name, _ := config["language"].(string)
		lang, err := LookupLanguage(name)
		if err != nil {
			return nil, fmt.Errorf("%s analyzer: %w", AnalyzerType, err)
		}
		return &bleveAnalyzer{a: analysis.New(lang)}, nil
	})
}

// TextAnalysis returns the analysis.Analyzer behind the text analyzer of
// a mapping NewMapping made (nil for another mapping): the builder runs
// it directly on the text fields, which gives the tokens bleve's mapping
// gives (build's TestAnalyzeMatchesBleve) without building bleve
// documents.
func TextAnalysis(im interface {
	AnalyzerNamed(string) bleveanalysis.Analyzer
}) *analysis.Analyzer {
	if b, ok := im.AnalyzerNamed(TextAnalyzer).(*bleveAnalyzer); ok {
		return b.a
	}
	return nil
}

// bleveAnalyzer adapts an analysis.Analyzer to bleve.
type bleveAnalyzer struct {
	a *analysis.Analyzer
}

// Analyze implements bleveanalysis.Analyzer. A term that is the input's
// bytes unchanged is a slice of input, as with bleve's own tokenizers.
func (b *bleveAnalyzer) Analyze(input []byte) bleveanalysis.TokenStream {
	text := string(input)
	toks := b.a.Analyze(text)
	ts := make([]bleveanalysis.Token, len(toks))
	out := make(bleveanalysis.TokenStream, len(toks))
	for i, t := range toks {
		term := input[t.Start:t.End:t.End]
		if t.Term != text[t.Start:t.End] {
			term = []byte(t.Term)
		}
		ts[i] = bleveanalysis.Token{Term: term, Start: t.Start, End: t.End, Position: t.Position, Type: tokenType(t.Kind)}
		out[i] = &ts[i]
	}
	return out
}

func tokenType(k analysis.Kind) bleveanalysis.TokenType {
	switch k {
	case analysis.Numeric:
		return bleveanalysis.Numeric
	case analysis.Ideographic:
		return bleveanalysis.Ideographic
	}
	return bleveanalysis.AlphaNumeric
}
