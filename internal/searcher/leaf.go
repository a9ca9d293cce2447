package searcher

import "math"

// Scoring constants. Plain words: BM25 with k1 1.2 and b 0.75 for single
// fields (feedback terms); BM25F, where fields' frequencies add up before
// the saturation, takes its k1 and each field's b from the query
// (plan.Ranking: K1, TitleB, BodyB; b 0.75 when the query names none). Query syntax: bleve's BM25 constants (search.BM25_k1,
// search.BM25_b).
const (
	bm25K1  = 1.2
	bm25B   = 0.75
	bleveK1 = 1.2
	bleveB  = 0.75
)

// bterm scores one term as bleve's term searcher with its BM25 model.
type bterm struct {
	cursor
	term    string
	record  bool // record the term as matched when it has positions
	df      int
	boost   float64
	idf     float64
	avg     float64 // average field length rounded up; 0 selects tf-idf
	qw      float64 // boost × idf × query norm once a norm is set
	hasNorm bool
}

func newBTerm(c cursor, term string, df int, n float64, avg, boost float64, record bool) *bterm {
	t := &bterm{cursor: c, term: term, record: record, df: df, boost: boost, avg: avg, qw: 1}
	if avg > 0 {
		t.idf = idf(n, float64(df))
	} else {
		t.idf = 1 + math.Log(n/float64(df+1))
	}
	return t
}

func (t *bterm) next() bool            { return t.cursor.next() }
func (t *bterm) advance(d uint32) bool { return t.cursor.advance(d) }
func (t *bterm) doc() uint32           { return t.cursor.doc() }
func (t *bterm) weight() float64       { w := t.boost * t.idf; return w * w }
func (t *bterm) setNorm(q float64)     { t.qw = t.boost * t.idf * q }
func (t *bterm) count() int            { return t.df }
func (t *bterm) min() int              { return 0 }
func (t *bterm) score() float64 {
	tf := math.Sqrt(t.freq())
	norm := t.norm()
	var s float64
	if t.avg > 0 {
		length := 1 / (norm * norm)
		s = t.idf * (tf * bleveK1) / (tf + bleveK1*(1-bleveB+(bleveB*length/t.avg)))
	} else {
		s = tf * norm * t.idf
	}
	if t.qw != 1 {
		s *= t.qw
	}
	return s
}
func (t *bterm) terms(dst []string) []string {
	if t.record && len(t.positions()) > 0 {
		dst = append(dst, t.term)
	}
	return dst
}

// term scores one term in one field with standard BM25 (feedback terms).
type term struct {
	cursor
	weight_ float64 // boost × idf
	avg     float64
	df      int
}

func (t *term) next() bool                { return t.cursor.next() }
func (t *term) advance(d uint32) bool     { return t.cursor.advance(d) }
func (t *term) doc() uint32               { return t.cursor.doc() }
func (t *term) weight() float64           { return 1 }
func (t *term) setNorm(float64)           {}
func (t *term) count() int                { return t.df }
func (t *term) min() int                  { return 0 }
func (t *term) terms(d []string) []string { return d }
func (t *term) score() float64 {
	tf := t.freq()
	norm := 1.0
	if nv := t.norm(); t.avg > 0 && nv > 0 {
		norm = 1 - bm25B + bm25B*(1/(nv*nv))/t.avg
	}
	return t.weight_ * tf * (bm25K1 + 1) / (tf + bm25K1*norm)
}

// fieldCursor is one field of a BM25F term.
type fieldCursor struct {
	cursor
	w   float64
	b   float64 // length normalisation
	avg float64
}

// fields scores one term over several fields with BM25F.
type fields struct {
	fs      []fieldCursor
	k1      float64
	weight_ float64
	cur     uint32
	started bool
	done    bool
	df      int
}

func (f *fields) settle() bool {
	found := false
	for i := range f.fs {
		c := &f.fs[i]
		if c.valid() && (!found || c.doc() < f.cur) {
			f.cur, found = c.doc(), true
		}
	}
	f.done = !found
	return found
}

func (f *fields) next() bool {
	if !f.started {
		f.started = true
		for i := range f.fs {
			f.fs[i].next()
		}
		return f.settle()
	}
	if f.done {
		return false
	}
	for i := range f.fs {
		if c := &f.fs[i]; c.valid() && c.doc() == f.cur {
			c.next()
		}
	}
	return f.settle()
}

func (f *fields) advance(d uint32) bool {
	f.started = true
	for i := range f.fs {
		if c := &f.fs[i]; c.i < 0 || (c.valid() && c.doc() < d) {
			c.advance(d)
		}
	}
	return f.settle()
}

func (f *fields) doc() uint32               { return f.cur }
func (f *fields) weight() float64           { return 1 }
func (f *fields) setNorm(float64)           {}
func (f *fields) count() int                { return f.df }
func (f *fields) min() int                  { return 0 }
func (f *fields) terms(d []string) []string { return d }
func (f *fields) score() float64 {
	tf := 0.0
	for i := range f.fs {
		c := &f.fs[i]
		if !c.valid() || c.doc() != f.cur {
			continue
		}
		norm := 1.0
		if nv := c.norm(); c.avg > 0 && nv > 0 {
			norm = 1 - c.b + c.b*(1/(nv*nv))/c.avg
		}
		tf += c.w * c.freq() / norm
	}
	return f.weight_ * tf * (f.k1 + 1) / (tf + f.k1)
}

// titleMatch rewards documents whose field holds every term, by the
// covered fraction of the field.
type titleMatch struct {
	cs      []cursor
	weight_ float64
	cur     uint32
	started bool
	done    bool
}

// align moves the cursors to the next document they all share, starting
// from their current positions.
func (t *titleMatch) align() bool {
	if len(t.cs) == 0 {
		t.done = true
		return false
	}
	for {
		var max uint32
		for i := range t.cs {
			if !t.cs[i].valid() {
				t.done = true
				return false
			}
			if d := t.cs[i].doc(); i == 0 || d > max {
				max = d
			}
		}
		same := true
		for i := range t.cs {
			if t.cs[i].doc() != max {
				same = false
				t.cs[i].advance(max)
			}
		}
		if same {
			t.cur = max
			return true
		}
	}
}

func (t *titleMatch) next() bool {
	if t.done {
		return false
	}
	if !t.started {
		t.started = true
		for i := range t.cs {
			t.cs[i].next()
		}
		return t.align()
	}
	for i := range t.cs {
		t.cs[i].next()
	}
	return t.align()
}

func (t *titleMatch) advance(d uint32) bool {
	if t.done {
		return false
	}
	t.started = true
	for i := range t.cs {
		if c := &t.cs[i]; c.i < 0 || (c.valid() && c.doc() < d) {
			c.advance(d)
		}
	}
	return t.align()
}

func (t *titleMatch) doc() uint32               { return t.cur }
func (t *titleMatch) weight() float64           { return 1 }
func (t *titleMatch) setNorm(float64)           {}
func (t *titleMatch) count() int                { return 0 }
func (t *titleMatch) min() int                  { return 0 }
func (t *titleMatch) terms(d []string) []string { return d }
func (t *titleMatch) score() float64 {
	matched, length := 0.0, 0.0
	for i := range t.cs {
		matched += t.cs[i].freq()
		if nv := t.cs[i].norm(); nv > 0 {
			length = 1 / (nv * nv)
		}
	}
	cover := 1.0
	if length > 0 {
		cover = math.Min(1, matched/length)
	}
	return t.weight_ * cover
}

// near rewards documents where two terms occur within a window of
// positions of each other, in either order, with a constant weight.
type near struct {
	a, b    cursor
	window  int
	weight_ float64
	started bool
}

func (n *near) next() bool {
	if !n.started {
		n.started = true
		if !n.a.next() || !n.b.next() {
			return false
		}
	} else if !n.a.next() {
		return false
	}
	return n.align()
}

func (n *near) advance(d uint32) bool {
	n.started = true
	if !n.a.advance(d) || !n.b.advance(d) {
		return false
	}
	return n.align()
}

// align moves both cursors to the next document, from theirs, where the
// terms are near each other.
func (n *near) align() bool {
	for {
		da, db := n.a.doc(), n.b.doc()
		switch {
		case da < db:
			if !n.a.advance(db) {
				return false
			}
		case db < da:
			if !n.b.advance(da) {
				return false
			}
		case n.close():
			return true
		default:
			if !n.a.next() {
				return false
			}
		}
	}
}

// close reports whether a position of a and one of b are at most
// window apart (both lists ascending).
func (n *near) close() bool {
	if n.window <= 0 {
		return true
	}
	pa, pb := n.a.positions(), n.b.positions()
	i, j := 0, 0
	for i < len(pa) && j < len(pb) {
		d := int(pa[i]) - int(pb[j])
		if d <= n.window && -d <= n.window {
			return true
		}
		if d < 0 {
			i++
		} else {
			j++
		}
	}
	return false
}

func (n *near) doc() uint32               { return n.a.doc() }
func (n *near) score() float64            { return n.weight_ }
func (n *near) weight() float64           { return 1 }
func (n *near) setNorm(float64)           {}
func (n *near) count() int                { return 0 }
func (n *near) min() int                  { return 0 }
func (n *near) terms(d []string) []string { return d }

// allDocs matches every document with a constant score (bleve's
// match-all searcher).
type allDocs struct {
	n   uint32
	cur uint32
	on  bool
	qw  float64
}

func (a *allDocs) next() bool {
	if !a.on {
		a.on = true
		a.cur = 0
	} else if a.cur < a.n {
		a.cur++
	}
	return a.cur < a.n
}
func (a *allDocs) advance(d uint32) bool {
	a.on = true
	if d > a.cur || a.cur >= a.n {
		a.cur = d
	}
	return a.cur < a.n
}
func (a *allDocs) doc() uint32               { return a.cur }
func (a *allDocs) score() float64            { return a.qw }
func (a *allDocs) weight() float64           { return 1 }
func (a *allDocs) setNorm(q float64)         { a.qw = q }
func (a *allDocs) count() int                { return int(a.n) }
func (a *allDocs) min() int                  { return 0 }
func (a *allDocs) terms(d []string) []string { return d }

// recorded replays the matches and scores of an earlier run.
type recorded struct {
	docs   []uint32
	scores []float64
	i      int
}

func (r *recorded) next() bool {
	if r.i < len(r.docs) {
		r.i++
	}
	return r.i < len(r.docs)
}
func (r *recorded) advance(d uint32) bool {
	for r.i < len(r.docs) && (r.i < 0 || r.docs[r.i] < d) {
		r.i++
	}
	return r.i < len(r.docs)
}
func (r *recorded) doc() uint32               { return r.docs[r.i] }
func (r *recorded) score() float64            { return r.scores[r.i] }
func (r *recorded) weight() float64           { return 1 }
func (r *recorded) setNorm(float64)           {}
func (r *recorded) count() int                { return len(r.docs) }
func (r *recorded) min() int                  { return 0 }
func (r *recorded) terms(d []string) []string { return d }
