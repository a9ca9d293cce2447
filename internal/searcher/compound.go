package searcher

import (
	"math"
	"slices"
)

// union positions its clauses and reports the smallest current document
// and which clauses are on it.
type union struct {
	subs    []iterator
	live    []bool
	at      []bool // clause i is on cur
	cur     uint32
	nAt     int
	started bool
	done    bool
}

func newUnion(subs []iterator) union {
	return union{subs: subs, live: make([]bool, len(subs)), at: make([]bool, len(subs))}
}

func (u *union) settle() bool {
	found := false
	for i, s := range u.subs {
		if u.live[i] && (!found || s.doc() < u.cur) {
			u.cur, found = s.doc(), true
		}
	}
	u.nAt = 0
	for i, s := range u.subs {
		u.at[i] = found && u.live[i] && s.doc() == u.cur
		if u.at[i] {
			u.nAt++
		}
	}
	u.done = !found
	return found
}

func (u *union) step() bool {
	if !u.started {
		u.started = true
		for i, s := range u.subs {
			u.live[i] = s.next()
		}
		return u.settle()
	}
	if u.done {
		return false
	}
	for i, s := range u.subs {
		if u.at[i] {
			u.live[i] = s.next()
		}
	}
	return u.settle()
}

func (u *union) seek(d uint32) bool {
	if !u.started {
		u.started = true
		for i, s := range u.subs {
			u.live[i] = s.advance(d)
		}
		return u.settle()
	}
	if u.done {
		return false
	}
	for i, s := range u.subs {
		if u.live[i] && s.doc() < d {
			u.live[i] = s.advance(d)
		}
	}
	return u.settle()
}

func (u *union) sum() float64 {
	s := 0.0
	for i, sub := range u.subs {
		if u.at[i] {
			s += sub.score()
		}
	}
	return s
}

func (u *union) matched(dst []string) []string {
	for i, sub := range u.subs {
		if u.at[i] {
			dst = sub.terms(dst)
		}
	}
	return dst
}

// sum is a plain-word union scored with the sum of the matching clauses.
type sum struct{ union }

func (s *sum) next() bool                { return s.step() }
func (s *sum) advance(d uint32) bool     { return s.seek(d) }
func (s *sum) doc() uint32               { return s.cur }
func (s *sum) score() float64            { return s.union.sum() }
func (s *sum) weight() float64           { return 1 }
func (s *sum) setNorm(float64)           {}
func (s *sum) min() int                  { return 0 }
func (s *sum) terms(d []string) []string { return s.matched(d) }
func (s *sum) count() int {
	n := 0
	for _, c := range s.subs {
		n += c.count()
	}
	return n
}

// disjunction is bleve's disjunction searcher: documents matching at
// least minimum clauses, scored with the sum times matched/total.
type disjunction struct {
	union
	minimum int
}

func newDisjunction(subs []iterator, minimum int) *disjunction {
	d := &disjunction{union: newUnion(subs), minimum: minimum}
	normalize(d)
	return d
}

func (d *disjunction) next() bool {
	for d.step() {
		if d.nAt >= d.minimum {
			return true
		}
	}
	return false
}

func (d *disjunction) advance(t uint32) bool {
	if !d.seek(t) {
		return false
	}
	if d.nAt >= d.minimum {
		return true
	}
	return d.next()
}

func (d *disjunction) doc() uint32 { return d.cur }
func (d *disjunction) score() float64 {
	return d.union.sum() * (float64(d.nAt) / float64(len(d.subs)))
}
func (d *disjunction) weight() float64 { return sumWeights(d.subs) }
func (d *disjunction) setNorm(q float64) {
	for _, s := range d.subs {
		s.setNorm(q)
	}
}
func (d *disjunction) count() int {
	n := 0
	for _, c := range d.subs {
		n += c.count()
	}
	return n
}
func (d *disjunction) min() int                  { return d.minimum }
func (d *disjunction) terms(t []string) []string { return d.matched(t) }

// conjunction is bleve's conjunction searcher: documents matching every
// clause, scored with the sum. Clauses are visited rarest first.
type conjunction struct {
	subs    []iterator
	cur     uint32
	started bool
	done    bool
}

func newConjunction(subs []iterator) *conjunction {
	subs = slices.Clone(subs)
	// Rarest first, stably (an insertion sort: there are a few clauses).
	for i := 1; i < len(subs); i++ {
		for j := i; j > 0 && subs[j].count() < subs[j-1].count(); j-- {
			subs[j], subs[j-1] = subs[j-1], subs[j]
		}
	}
	c := &conjunction{subs: subs}
	normalize(c)
	return c
}

// align moves every clause to the next document they share.
func (c *conjunction) align(ok bool) bool {
	if !ok || len(c.subs) == 0 {
		c.done = true
		return false
	}
	target := c.subs[0].doc()
	for {
		same := true
		for _, s := range c.subs {
			if s.doc() < target {
				if !s.advance(target) {
					c.done = true
					return false
				}
			}
			if d := s.doc(); d > target {
				target, same = d, false
			}
		}
		if same {
			c.cur = target
			return true
		}
	}
}

func (c *conjunction) next() bool {
	if c.done {
		return false
	}
	ok := true
	if !c.started {
		c.started = true
		for _, s := range c.subs {
			ok = s.next() && ok
		}
	} else {
		for _, s := range c.subs {
			ok = s.next() && ok
		}
	}
	return c.align(ok)
}

func (c *conjunction) advance(d uint32) bool {
	if c.done {
		return false
	}
	ok := true
	for _, s := range c.subs {
		if !c.started || s.doc() < d {
			ok = s.advance(d) && ok
		}
	}
	c.started = true
	return c.align(ok)
}

func (c *conjunction) doc() uint32 { return c.cur }
func (c *conjunction) score() float64 {
	s := 0.0
	for _, sub := range c.subs {
		s += sub.score()
	}
	return s
}
func (c *conjunction) weight() float64 { return sumWeights(c.subs) }
func (c *conjunction) setNorm(q float64) {
	for _, s := range c.subs {
		s.setNorm(q)
	}
}
func (c *conjunction) count() int {
	n := 0
	for _, s := range c.subs {
		n += s.count()
	}
	return n
}
func (c *conjunction) min() int { return 0 }
func (c *conjunction) terms(dst []string) []string {
	for _, s := range c.subs {
		dst = s.terms(dst)
	}
	return dst
}

// phrase matches its terms at consecutive positions (bleve's phrase
// searcher over a conjunction of term searchers).
type phrase struct {
	*conjunction
	words  []*bterm // in phrase order
	record bool
}

func (p *phrase) matches() bool {
	var at func(i int, pos uint32) bool
	at = func(i int, pos uint32) bool {
		if i == len(p.words) {
			return true
		}
		_, ok := slices.BinarySearch(p.words[i].positions(), pos)
		return ok && at(i+1, pos+1)
	}
	for _, pos := range p.words[0].positions() {
		if at(1, pos+1) {
			return true
		}
	}
	return false
}

func (p *phrase) next() bool {
	for p.conjunction.next() {
		if p.matches() {
			return true
		}
	}
	return false
}

func (p *phrase) advance(d uint32) bool {
	if !p.conjunction.advance(d) {
		return false
	}
	return p.matches() || p.next()
}

func (p *phrase) terms(dst []string) []string {
	if p.record {
		for _, w := range p.words {
			dst = append(dst, w.term)
		}
	}
	return dst
}

// boolean is bleve's boolean searcher: candidates from must (or, without
// must, from should), minus those matching not; should adds its score
// where it matches.
type boolean struct {
	must, should, not iterator
	mustOn, shouldOn  bool // positioned on a document
	notOn             bool
	notStarted        bool
	cur               uint32
	started, done     bool
	shouldHere        bool
}

func newBoolean(must, should, not iterator) *boolean {
	b := &boolean{must: must, should: should, not: not, notStarted: true}
	normalize(b)
	return b
}

// lead is the iterator candidates come from.
func (b *boolean) lead() iterator {
	if b.must != nil {
		return b.must
	}
	return b.should
}

// settle decides whether the lead's current document matches, moving
// the lead on until one does.
func (b *boolean) settle(ok bool) bool {
	for ok {
		d := b.lead().doc()
		if b.not != nil && (b.notStarted || b.notOn && b.not.doc() < d) {
			b.notOn, b.notStarted = b.not.advance(d), false
		}
		excluded := b.not != nil && b.notOn && b.not.doc() == d
		if !excluded {
			b.shouldHere = false
			if b.must == nil {
				b.shouldHere = true
			} else if b.should != nil {
				if b.shouldOn && b.should.doc() < d {
					b.shouldOn = b.should.advance(d)
				}
				b.shouldHere = b.shouldOn && b.should.doc() == d
			}
			if b.must == nil || b.shouldHere || b.should == nil || b.should.min() == 0 {
				b.cur = d
				return true
			}
		}
		ok = b.lead().next()
	}
	b.done = true
	return false
}

func (b *boolean) next() bool {
	if b.done {
		return false
	}
	if !b.started {
		b.started = true
		if b.should != nil {
			b.shouldOn = b.should.next()
		}
		if b.must != nil {
			return b.settle(b.must.next())
		}
		return b.settle(b.shouldOn)
	}
	if b.must != nil {
		return b.settle(b.must.next())
	}
	b.shouldOn = b.should.next()
	return b.settle(b.shouldOn)
}

func (b *boolean) advance(d uint32) bool {
	if b.done {
		return false
	}
	if !b.started {
		b.started = true
		if b.should != nil {
			b.shouldOn = b.should.advance(d)
		}
		if b.must != nil {
			return b.settle(b.must.advance(d))
		}
		return b.settle(b.shouldOn)
	}
	if b.cur >= d {
		return true
	}
	if b.must != nil {
		if b.shouldOn && b.should.doc() < d {
			b.shouldOn = b.should.advance(d)
		}
		return b.settle(b.must.advance(d))
	}
	b.shouldOn = b.should.advance(d)
	return b.settle(b.shouldOn)
}

func (b *boolean) doc() uint32 { return b.cur }
func (b *boolean) score() float64 {
	s := 0.0
	if b.must != nil {
		s += b.must.score()
	}
	if b.should != nil && b.shouldHere {
		s += b.should.score()
	}
	return s
}
func (b *boolean) weight() float64 {
	w := 0.0
	if b.must != nil {
		w += b.must.weight()
	}
	if b.should != nil {
		w += b.should.weight()
	}
	return w
}
func (b *boolean) setNorm(q float64) {
	if b.must != nil {
		b.must.setNorm(q)
	}
	if b.should != nil {
		b.should.setNorm(q)
	}
}
func (b *boolean) count() int {
	n := 0
	if b.must != nil {
		n += b.must.count()
	}
	if b.should != nil {
		n += b.should.count()
	}
	return n
}
func (b *boolean) min() int { return 0 }
func (b *boolean) terms(dst []string) []string {
	if b.must != nil {
		dst = b.must.terms(dst)
	}
	if b.should != nil && b.shouldHere {
		dst = b.should.terms(dst)
	}
	return dst
}

func sumWeights(its []iterator) float64 {
	w := 0.0
	for _, s := range its {
		w += s.weight()
	}
	return w
}

// normalize hands an iterator's clauses bleve's query norm, as every
// bleve compound searcher does when it is built; the outermost one's
// norm is the one that stays.
func normalize(it iterator) {
	it.setNorm(1 / math.Sqrt(it.weight()))
}
