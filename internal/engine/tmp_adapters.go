package engine

// Temporary adapter while the segment reader is being written: the zapx
// reader (internal/reader), replaced by internal/zap.

import (
	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/vellum"

	"github.com/quarry-search/quarry/internal/index"
	"github.com/quarry-search/quarry/internal/reader"
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
