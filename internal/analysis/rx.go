package analysis

import "math/bits"

// The word patterns are small regular expressions over units (a rune and
// the Extend/Format runes after it), compiled once into a position
// (Glushkov) automaton: one state per symbol occurrence, no epsilon moves,
// simulated with a 64-bit set of live positions.

type rxKind uint8

const (
	rxSym rxKind = iota
	rxSeq
	rxAlt
	rxStar
	rxPlus
)

type rx struct {
	kind rxKind
	mask uint32 // rxSym: the unit matches when its props intersect mask
	subs []*rx
}

func sym(mask uint32) *rx { return &rx{kind: rxSym, mask: mask} }
func seq(subs ...*rx) *rx { return &rx{kind: rxSeq, subs: subs} }
func alt(subs ...*rx) *rx { return &rx{kind: rxAlt, subs: subs} }
func star(sub *rx) *rx    { return &rx{kind: rxStar, subs: []*rx{sub}} }
func plus(sub *rx) *rx    { return &rx{kind: rxPlus, subs: []*rx{sub}} }
func forEach(s uint64, f func(int)) {
	for s != 0 {
		f(bits.TrailingZeros64(s))
		s &= s - 1
	}
}

// glushkov is a position automaton shared by several patterns.
type glushkov struct {
	masks  []uint32 // per position: the props it accepts
	follow []uint64 // per position: the positions that may come next
}

// add compiles r into g and returns its first and last positions.
func (g *glushkov) add(r *rx) (first, last uint64) {
	_, first, last = g.build(r)
	return first, last
}

func (g *glushkov) build(r *rx) (nullable bool, first, last uint64) {
	switch r.kind {
	case rxSym:
		p := len(g.masks)
		if p == 64 {
			panic("analysis: word pattern has more than 64 positions")
		}
		g.masks = append(g.masks, r.mask)
		g.follow = append(g.follow, 0)
		return false, 1 << p, 1 << p
	case rxSeq:
		nullable = true
		for _, s := range r.subs {
			n, f, l := g.build(s)
			forEach(last, func(p int) { g.follow[p] |= f })
			if nullable {
				first |= f
			}
			if n {
				last |= l
			} else {
				last = l
			}
			nullable = nullable && n
		}
		return nullable, first, last
	case rxAlt:
		for _, s := range r.subs {
			n, f, l := g.build(s)
			nullable, first, last = nullable || n, first|f, last|l
		}
		return nullable, first, last
	default: // rxStar, rxPlus
		n, f, l := g.build(r.subs[0])
		forEach(l, func(p int) { g.follow[p] |= f })
		return n || r.kind == rxStar, f, l
	}
}
