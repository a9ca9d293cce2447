package fuzzy

import (
	"errors"
	"strconv"
	"unicode/utf8"
)

// MaxDistance is the largest edit distance New accepts.
const MaxDistance = 2

// maxStates bounds the states of one automaton (a very long term).
const maxStates = 1 << 16

// ErrTooManyStates is returned by New for a term whose automaton would
// exceed the state bound.
var ErrTooManyStates = errors.New("fuzzy: automaton has too many states")

// Automaton accepts the byte strings within an edit distance of a term.
// It is immutable and safe for concurrent use.
type Automaton struct {
	term   string
	d      uint8
	nclass int         // classes: the term's distinct runes, then "other"
	trans  []int32     // per char state × class: next char state (0 is dead)
	dist   []uint8     // per char state: distance to the term, d+1 if more
	ascii  [0xC0]uint8 // class of a one-byte character
	multi  []uint32    // the term's distinct multi-byte runes, as packed bytes
	mclass []uint8     // their classes
}

// State layout: the char state in the high 32 bits; below, for a
// multi-byte character being read, the count of its bytes read (bits
// 24-25) and those bytes (bits 0-23).
const (
	charShift = 32
	cntShift  = 24
)

// New returns the automaton of the words within distance edits of term.
func New(term string, distance int) (*Automaton, error) {
	if distance < 0 || distance > MaxDistance {
		return nil, errors.New("fuzzy: distance " + strconv.Itoa(distance) + " out of range 0.." + strconv.Itoa(MaxDistance))
	}
	q := []rune(term)
	a := &Automaton{term: term, d: uint8(distance)}

	// Classes: each distinct rune of the term, then "other".
	var runes []rune
	class := make([]int, len(q))
	for i, r := range q {
		c := -1
		for j, s := range runes {
			if s == r {
				c = j
				break
			}
		}
		if c < 0 {
			c = len(runes)
			runes = append(runes, r)
		}
		class[i] = c
	}
	a.nclass = len(runes) + 1
	other := uint8(len(runes))
	for i := range a.ascii {
		a.ascii[i] = other
	}
	for c, r := range runes {
		if r < utf8.RuneSelf {
			a.ascii[r] = uint8(c)
			continue
		}
		a.multi = append(a.multi, pack(r))
		a.mclass = append(a.mclass, uint8(c))
	}
	if err := a.build(class); err != nil {
		return nil, err
	}
	return a, nil
}

// pack returns r's UTF-8 bytes as a big-endian number.
func pack(r rune) uint32 {
	var buf [utf8.UTFMax]byte
	var v uint32
	for _, b := range buf[:utf8.EncodeRune(buf[:], r)] {
		v = v<<8 | uint32(b)
	}
	return v
}

// build computes the char-level states breadth-first from the start.
//
// A state holds, for the input read so far (t[:j]) and each i, row[i] =
// the distance between the term's first i runes and t[:j], and tp[i] = a
// bound for row'[i] after the next rune c, valid when c is the term's
// rune i-2 and t[j-1] its rune i-1 (a transposition): distance(q[:i-2],
// t[:j-1]) + 1. Values above d are clipped to d+1, so finitely many
// states are reachable.
func (a *Automaton) build(class []int) error {
	n := len(class)
	d1 := a.d + 1
	width := 2 * (n + 1)
	keys := map[string]int32{}
	var states [][]uint8 // per char state: row then tp

	// add returns the id of state s, a scratch buffer copied when new.
	add := func(s []uint8) int32 {
		if id, ok := keys[string(s)]; ok {
			return id
		}
		id := int32(len(states))
		k := string(s)
		keys[k] = id
		states = append(states, []uint8(k))
		return id
	}
	// State 0 is dead: every distance above d.
	dead := make([]uint8, width)
	for i := range dead {
		dead[i] = d1
	}
	add(dead)
	start := make([]uint8, width)
	for i := 0; i <= n; i++ {
		start[i] = min(uint8(i), d1)
		start[n+1+i] = d1
	}
	add(start)

	next := make([]uint8, width)
	for id := 0; id < len(states); id++ {
		if len(states) > maxStates {
			return ErrTooManyStates
		}
		row, tp := states[id][:n+1], states[id][n+1:]
		a.dist = append(a.dist, row[n])
		for c := 0; c < a.nclass; c++ {
			if id == 0 {
				a.trans = append(a.trans, 0)
				continue
			}
			nrow, ntp := next[:n+1], next[n+1:]
			nrow[0] = min(row[0]+1, d1)
			alive := nrow[0] < d1
			for i := 1; i <= n; i++ {
				v := min(row[i]+1, nrow[i-1]+1) // insert c, delete q[i-1]
				if class[i-1] == c {
					v = min(v, row[i-1]) // match
				} else {
					v = min(v, row[i-1]+1) // substitute
				}
				if i >= 2 && class[i-2] == c {
					v = min(v, tp[i]) // transpose q[i-2] q[i-1]
				}
				nrow[i] = min(v, d1)
				alive = alive || nrow[i] < d1
				ntp[i] = d1
				if i >= 2 && class[i-1] == c {
					ntp[i] = min(row[i-2]+1, d1)
				}
			}
			ntp[0] = d1
			if len(ntp) > 1 {
				ntp[1] = d1
			}
			if !alive {
				a.trans = append(a.trans, 0)
				continue
			}
			a.trans = append(a.trans, add(next))
		}
	}
	return nil
}

// Anchor returns the term the automaton was built for (index.Anchored).
func (a *Automaton) Anchor() string { return a.term }

// Start returns the start state.
func (a *Automaton) Start() int { return 1 << charShift }

// IsMatch reports whether the input read to state is within the distance.
func (a *Automaton) IsMatch(state int) bool {
	return state&(1<<charShift-1) == 0 && a.dist[state>>charShift] <= a.d
}

// CanMatch reports whether some continuation from state can match.
func (a *Automaton) CanMatch(state int) bool { return state>>charShift != 0 }

// WillAlwaysMatch is false: a longer input always ends up too far.
func (a *Automaton) WillAlwaysMatch(int) bool { return false }

// EditDistance returns the distance of the input read to state, or the
// distance bound plus one when it does not match.
func (a *Automaton) EditDistance(state int) uint8 {
	if state&(1<<charShift-1) != 0 {
		return a.d + 1
	}
	return a.dist[state>>charShift]
}

// Accept returns the state after reading b in state.
func (a *Automaton) Accept(state int, b byte) int {
	s := state >> charShift
	if s == 0 {
		return 0
	}
	cnt := state >> cntShift & 3
	pending := uint32(state) & (1<<cntShift - 1)
	if cnt == 0 {
		if b < 0xC0 {
			return int(a.trans[s*a.nclass+int(a.ascii[b])]) << charShift
		}
		return a.partial(s, 1, uint32(b))
	}
	return a.partial(s, cnt+1, pending<<8|uint32(b))
}

// partial continues a multi-byte character: cnt of its bytes are read,
// packed in v.
func (a *Automaton) partial(s, cnt int, v uint32) int {
	lead := v >> (8 * (cnt - 1))
	size := 4
	switch {
	case lead < 0xE0:
		size = 2
	case lead < 0xF0:
		size = 3
	}
	if cnt == size {
		c := a.nclass - 1
		for i, m := range a.multi {
			if m == v {
				c = int(a.mclass[i])
				break
			}
		}
		return int(a.trans[s*a.nclass+c]) << charShift
	}
	if a.trans[s*a.nclass+a.nclass-1] == 0 && !a.prefixOfTerm(v, cnt) {
		return 0 // only the term's runes could go on, and this is none
	}
	return s<<charShift | cnt<<cntShift | int(v)
}

// prefixOfTerm reports whether the cnt bytes in v begin one of the
// term's multi-byte runes.
func (a *Automaton) prefixOfTerm(v uint32, cnt int) bool {
	for _, m := range a.multi {
		size := 2
		switch {
		case m > 0xFFFFFF:
			size = 4
		case m > 0xFFFF:
			size = 3
		}
		if size > cnt && m>>(8*(size-cnt)) == v {
			return true
		}
	}
	return false
}

// MatchAndDistance reports whether input matches and its distance.
func (a *Automaton) MatchAndDistance(input string) (bool, uint8) {
	s := a.Start()
	for i := 0; i < len(input) && a.CanMatch(s); i++ {
		s = a.Accept(s, input[i])
	}
	if a.IsMatch(s) {
		return true, a.EditDistance(s)
	}
	return false, 0
}
