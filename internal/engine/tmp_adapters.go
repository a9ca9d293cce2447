package engine

// Temporary adapters while the lean packages are being written: the zapx
// reader (internal/reader), bleve's analyzer and vellum's levenshtein
// automaton. They are replaced by internal/zap, internal/analysis and
// internal/fuzzy.

import (
	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/vellum"
	lev "github.com/blevesearch/vellum/levenshtein"

	"github.com/quarry-search/quarry/internal/index"
	"github.com/quarry-search/quarry/internal/reader"
	"github.com/quarry-search/quarry/internal/schema"
)

type zapxIndex struct{ r *reader.Reader }

func openSegment(seg []byte) (index.Reader, error) {
	r, err := reader.Open(seg)
	if err != nil {
		return nil, err
	}
	return &zapxIndex{r}, nil
}

func (z *zapxIndex) NumDocs() int { n, _ := z.r.DocCount(); return int(n) }

func (z *zapxIndex) DocFreq(field, term string) (int, error) {
	t, err := z.r.TermFieldReader(nil, []byte(term), field, false, false, false)
	if err != nil {
		return 0, err
	}
	return int(t.Count()), nil
}

func (z *zapxIndex) Postings(field, term string, want index.Want) (*index.Postings, error) {
	fn := want&index.WantFreqNorm != 0
	pos := want&index.WantPositions != 0
	t, err := z.r.TermFieldReader(nil, []byte(term), field, true, true, pos)
	if err != nil {
		return nil, err
	}
	if t.Count() == 0 {
		return nil, nil
	}
	p := &index.Postings{}
	if pos {
		p.PosStart = []uint32{0}
	}
	for {
		d, err := t.Next(nil)
		if err != nil {
			return nil, err
		}
		if d == nil {
			break
		}
		num, _ := reader.DocNum(d.ID)
		p.Docs = append(p.Docs, uint32(num))
		if fn {
			p.Freqs = append(p.Freqs, uint32(d.Freq))
			p.Norms = append(p.Norms, float32(d.Norm))
		}
		if pos {
			for _, v := range d.Vectors {
				p.Pos = append(p.Pos, uint32(v.Pos))
			}
			p.PosStart = append(p.PosStart, uint32(len(p.Pos)))
		}
	}
	return p, nil
}

func (z *zapxIndex) Docs(field, term string) (*roaring.Bitmap, error) {
	p, err := z.Postings(field, term, 0)
	bm := roaring.New()
	if p != nil {
		bm.AddMany(p.Docs)
	}
	return bm, err
}

func (z *zapxIndex) Terms(field string, a vellum.Automaton, start, end []byte, fn func(index.Entry) bool) error {
	return z.r.Terms(field, a, start, end, func(term []byte, count uint64, dist uint8) bool {
		return fn(index.Entry{Term: term, DocFreq: int(count), EditDistance: dist})
	})
}

type token struct {
	Term                 string
	Start, End, Position int
}

func newAnalyzer(langName string) (func(string) []token, schema.Language, error) {
	lang, err := schema.LookupLanguage(langName)
	if err != nil {
		return nil, lang, err
	}
	im, err := schema.NewMapping(schema.Options{Language: lang.Name})
	if err != nil {
		return nil, lang, err
	}
	an := im.AnalyzerNamed(schema.TextAnalyzer)
	return func(text string) []token {
		ts := an.Analyze([]byte(text))
		out := make([]token, len(ts))
		for i, t := range ts {
			out[i] = token{Term: string(t.Term), Start: t.Start, End: t.End, Position: t.Position}
		}
		return out
	}, lang, nil
}

var levBuilders = map[int]*lev.LevenshteinAutomatonBuilder{}

func fuzzyAutomaton(term string, d int) (vellum.Automaton, error) {
	b, ok := levBuilders[d]
	if !ok {
		var err error
		b, err = lev.NewLevenshteinAutomatonBuilder(uint8(d), true)
		if err != nil {
			return nil, err
		}
		levBuilders[d] = b
	}
	return b.BuildDfa(term, uint8(d))
}
