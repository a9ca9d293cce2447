package zap

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/vellum"
)

// probe watches readAll's calls: iterate wraps each Iterate, result sees
// each Postings and Docs result. Either may be nil.
type probe struct {
	iterate func(run func() error) error
	result  func(p *Postings, bm *roaring.Bitmap)
}

// readAll reads everything s offers — every field's dictionary with
// Iterate, and for every term DocFreq, Docs and Postings with every want,
// plus an iteration over a prefix range and a fuzzy (levenshtein)
// iteration — and returns the first error.
func readAll(s *Segment, fuzzy func(q string) vellum.Automaton, pr probe) error {
	if pr.iterate == nil {
		pr.iterate = func(run func() error) error { return run() }
	}
	if pr.result == nil {
		pr.result = func(*Postings, *roaring.Bitmap) {}
	}
	for _, field := range s.Fields() {
		d, err := s.Dict(field)
		if err != nil {
			return err
		}
		if d == nil {
			continue
		}
		var terms [][]byte
		if err := pr.iterate(func() error {
			return d.Iterate(nil, nil, nil, func(e Entry) bool {
				terms = append(terms, append([]byte(nil), e.Term...))
				return true
			})
		}); err != nil {
			return err
		}
		for _, term := range terms {
			if _, err := d.DocFreq(term); err != nil {
				return err
			}
			bm, err := d.Docs(term)
			if err != nil {
				return err
			}
			pr.result(nil, bm)
			for _, want := range []Want{0, WantFreqNorm, WantPositions, WantFreqNorm | WantPositions} {
				p, err := d.Postings(term, want)
				if err != nil {
					return err
				}
				pr.result(p, nil)
			}
		}
		q := "a"
		if len(terms) > 0 {
			q = string(terms[len(terms)/2])
		}
		p := []byte(q[:min(len(q), 2)])
		if err := pr.iterate(func() error {
			return d.Iterate(nil, p, prefixEnd(p), func(Entry) bool { return true })
		}); err != nil {
			return err
		}
		if fuzzy == nil {
			continue
		}
		if a := fuzzy(q); a != nil {
			if err := pr.iterate(func() error {
				return d.Iterate(a, nil, nil, func(Entry) bool { return true })
			}); err != nil {
				return err
			}
		}
	}
	return nil
}

// openAndRead opens data and reads it all; any error must wrap
// ErrCorrupt. It reports whether data was read without error.
func openAndRead(t *testing.T, data []byte, fuzzy func(string) vellum.Automaton) bool {
	t.Helper()
	s, err := Open(data)
	if err == nil {
		err = readAll(s, fuzzy, probe{})
	}
	if err != nil && !errors.Is(err, ErrCorrupt) {
		t.Fatalf("error does not wrap ErrCorrupt: %v", err)
	}
	return err == nil
}

// levFuzzy returns a function building (and caching) levenshtein
// automata of distance 2 with transpositions.
func levFuzzy(t testing.TB) func(string) vellum.Automaton {
	lb := levBuilders(t)
	var mu sync.Mutex
	cache := map[string]vellum.Automaton{}
	return func(q string) vellum.Automaton {
		mu.Lock()
		defer mu.Unlock()
		if a, ok := cache[q]; ok {
			return a
		}
		dfa, err := lb[2].BuildDfa(q, 2)
		if err != nil {
			return nil
		}
		if len(cache) > 1000 {
			clear(cache)
		}
		cache[q] = dfa
		return dfa
	}
}

// small is a three-document segment with positions: small enough to be
// damaged in every position.
func small(t *testing.T) []byte {
	return buildWithChunkMode(t, synthetic(3), 2)
}

func TestTruncations(t *testing.T) {
	seg := small(t)
	if !openAndRead(t, seg, nil) {
		t.Fatal("the intact segment does not read")
	}
	for n := range len(seg) {
		if openAndRead(t, seg[:n], nil) {
			t.Errorf("truncated to %d of %d bytes: read without error", n, len(seg))
		}
	}
	// Bytes cut inside, footer kept: offsets after the cut go wrong.
	for at := range len(seg) - footerSize {
		cut := append(append([]byte(nil), seg[:at]...), seg[at+1:]...)
		openAndRead(t, cut, nil)
	}
}

func TestByteDamage(t *testing.T) {
	fuzzy := levFuzzy(t)
	segs := seedSegments(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct {
		name  string
		seg   []byte
		tries int
	}{
		{"small-every-byte", small(t), 0},
		{"seed-light", segs.light, 1500},
		{"seed-full", segs.full, 1500},
		{"seed-merged", merged(t, segs.light), 500},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.tries > 0 {
				skipOnJS(t, "thousands of full reads")
			}
			refused := 0
			damage := func(at int, b byte) {
				data := append([]byte(nil), c.seg...)
				data[at] = b
				if !openAndRead(t, data, fuzzy) {
					refused++
				}
			}
			if c.tries == 0 { // every byte: flipped, zeroed, set
				for at := range c.seg {
					for _, b := range []byte{c.seg[at] ^ 0xff, 0, 0x80, c.seg[at] + 1} {
						damage(at, b)
					}
				}
				t.Logf("%d of %d damaged copies refused", refused, 4*len(c.seg))
				return
			}
			for range c.tries {
				damage(rng.IntN(len(c.seg)), byte(rng.Uint32()))
			}
			t.Logf("%d of %d damaged copies refused", refused, c.tries)
		})
	}
}

func TestOpenRefuses(t *testing.T) {
	seg := seedSegments(t).light
	ft := len(seg) - footerSize
	patch := func(f func(b []byte)) []byte {
		b := append([]byte(nil), seg...)
		f(b)
		return b
	}
	for _, c := range []struct {
		name, want string
		data       []byte
	}{
		{"empty", "shorter than the zap footer", nil},
		{"version", "zap version 15", patch(func(b []byte) { binary.BigEndian.PutUint32(b[ft+44:], 15) })},
		{"chunk mode", "unknown chunk mode", patch(func(b []byte) { binary.BigEndian.PutUint32(b[ft+40:], 2000) })},
		{"num docs", "stored fields index", patch(func(b []byte) { binary.BigEndian.PutUint64(b[ft:], 1<<40) })},
		{"sections index", "sections index offset", patch(func(b []byte) { binary.BigEndian.PutUint64(b[ft+24:], uint64(ft)) })},
		{"field count", "field count", patch(func(b []byte) {
			at := binary.BigEndian.Uint64(b[ft+24:])
			b[at]++
		})},
		{"field entry", "entry offset out of range", patch(func(b []byte) {
			at := binary.BigEndian.Uint64(b[ft+24:])
			binary.BigEndian.PutUint64(b[at+1:], uint64(ft))
		})},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := Open(c.data)
			if err == nil || !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Open = %v, %v; want an ErrCorrupt error saying %q", s, err, c.want)
			}
		})
	}
}

// fstBytes wraps vellum v1 nodes in a header and a footer.
func fstBytes(nodes []byte, keys, root uint64) []byte {
	b := make([]byte, fstHeader, fstHeader+len(nodes)+fstFooter)
	binary.LittleEndian.PutUint64(b, 1)
	b = append(b, nodes...)
	b = binary.LittleEndian.AppendUint64(b, keys)
	return binary.LittleEndian.AppendUint64(b, root)
}

// selfLoop is an FST whose only node, non-final, has a transition on 'a'
// to itself. It is a one-transition node: header byte 0x80 (one
// transition, input byte not among vellum's common ones, so it follows),
// 'a', pack size byte 0x80 (an 8-byte destination delta, no output), and
// a delta of -10 which vellum's unsigned arithmetic turns into the node's
// own address.
func selfLoop() []byte {
	node := binary.LittleEndian.AppendUint64(nil, ^uint64(9)) // -10
	node = append(node, 0x80, 'a', 0x80)
	return fstBytes(node, 1, fstHeader+10)
}

// pathExplosion is an FST of a chain of n nodes, each with transitions
// 'a' and 'b' to the next, ending in a non-final node: 2^n paths that
// never reach a key.
func pathExplosion(n int) []byte {
	// The leaf: pack byte, transition count 0, header 0.
	nodes := []byte{0, 0, 0}
	for range n {
		// Destinations (delta 1: the node just below), keys reversed,
		// pack byte (1-byte destinations), header (2 transitions).
		nodes = append(nodes, 1, 1, 'b', 'a', 0x10, 0x02)
	}
	return fstBytes(nodes, 0, uint64(fstHeader+len(nodes)-1))
}

// testDict wraps a crafted FST in a dictionary of a segment of size
// bytes.
func testDict(t *testing.T, fst []byte, size int) *Dict {
	t.Helper()
	f, err := loadFST(fst, size)
	if err != nil {
		t.Fatalf("loadFST: %v", err)
	}
	s := &Segment{numDocs: 1, chunkMode: 1026, steps: stepsPerByte*size + minSteps, fields: []string{"f"}}
	return &Dict{s: s, field: "f", fst: f}
}

func TestCraftedFST(t *testing.T) {
	for _, c := range []struct {
		name, want string
		fst        []byte
	}{
		{"self loop", "term longer than 32767 bytes", selfLoop()},
		{"path explosion", "step budget", pathExplosion(48)},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := testDict(t, c.fst, 1000)
			t0 := time.Now()
			err := d.Iterate(nil, nil, nil, func(Entry) bool { return true })
			if err == nil || !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Iterate = %v; want an ErrCorrupt error saying %q", err, c.want)
			}
			if el := time.Since(t0); el > 5*time.Second {
				t.Errorf("Iterate took %v", el)
			}
			// A lookup follows the term's bytes only.
			if n, err := d.DocFreq([]byte(strings.Repeat("a", 100))); n != 0 || err != nil {
				t.Errorf("DocFreq = %d, %v", n, err)
			}
		})
	}
	// vellum panics on a node whose transitions lie before the FST: the
	// guard turns the panic into an error.
	d := testDict(t, fstBytes([]byte{0x3f}, 1, fstHeader), 1000)
	for name, err := range map[string]error{
		"Iterate": d.Iterate(nil, nil, nil, func(Entry) bool { return true }),
		"DocFreq": func() error { _, err := d.DocFreq([]byte("x")); return err }(),
	} {
		if err == nil || !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "panicked") {
			t.Errorf("%s = %v; want an ErrCorrupt error from a recovered panic", name, err)
		}
	}
}

func TestLoadFSTRefuses(t *testing.T) {
	good := pathExplosion(1)
	for _, c := range []struct {
		name, want string
		fst        []byte
		size       int
	}{
		{"short", "shorter than its header", good[:31], 1000},
		{"version", "FST version 2", append([]byte{2}, good[1:]...), 1000},
		{"keys", "claims 1001 keys", fstBytes(good[16:len(good)-16], 1001, 24), 1000},
		{"root in header", "root out of range", fstBytes(good[16:len(good)-16], 0, 15), 1000},
		{"root in footer", "root out of range", fstBytes(good[16:len(good)-16], 0, uint64(len(good)-16)), 1000},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := loadFST(c.fst, c.size); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("loadFST = %v; want an error saying %q", err, c.want)
			}
		})
	}
	if _, err := loadFST(good, 1000); err != nil {
		t.Errorf("loadFST(valid) = %v", err)
	}
}

// bigState is an automaton whose states do not fit beside the depth.
type bigState struct{}

func (bigState) Start() int                            { return 1 << 60 }
func (bigState) IsMatch(int) bool                      { return true }
func (bigState) CanMatch(int) bool                     { return true }
func (bigState) WillAlwaysMatch(int) bool              { return false }
func (bigState) Accept(s int, _ byte) int              { return s }
func (bigState) EditDistance(int) uint8                { return 0 }
func (bigState) MatchAndDistance(string) (bool, uint8) { return true, 0 }

func TestIterateAutomatonStateRange(t *testing.T) {
	s := mustOpen(t, seedSegments(t).light)
	d, _ := s.Dict("body")
	err := d.Iterate(bigState{}, nil, nil, func(Entry) bool { return true })
	if err == nil || errors.Is(err, ErrCorrupt) {
		t.Errorf("Iterate(automaton with 61-bit states) = %v; want an error not blaming the segment", err)
	}
}

// TestIterateCountBudget: terms of a crafted dictionary all point to one
// bitmap of 65,536 containers; counting them for each term is charged to
// the walk's budget, which ends the iteration.
func TestIterateCountBudget(t *testing.T) {
	const containers = 1 << 16
	bm := binary.LittleEndian.AppendUint32(nil, cookieNoRuns)
	bm = binary.LittleEndian.AppendUint32(bm, containers)
	for k := range containers { // key k, cardinality 1
		bm = binary.LittleEndian.AppendUint32(bm, uint32(k))
	}
	off := uint32(8 + 8*containers)
	for k := range containers {
		bm = binary.LittleEndian.AppendUint32(bm, off+uint32(2*k))
	}
	bm = append(bm, make([]byte, 2*containers)...)
	const at = 8 // the postings record: no freq/norm, no locations, the bitmap
	mem := append(make([]byte, at), 0, 0)
	mem = binary.AppendUvarint(mem, uint64(len(bm)))
	mem = append(mem, bm...)

	var buf bytes.Buffer
	b, err := vellum.New(&buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	const terms = 1000
	for i := range terms {
		if err := b.Insert([]byte("k"+strconv.Itoa(10000+i)), at); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	d := testDict(t, buf.Bytes(), len(mem))
	d.s.mem, d.s.lo, d.end, d.s.numDocs = mem, at, len(mem), containers
	if n, err := d.DocFreq([]byte("k10000")); n != containers || err != nil {
		t.Fatalf("DocFreq = %d, %v; want %d", n, err, containers)
	}
	n := 0
	err = d.Iterate(nil, nil, nil, func(Entry) bool { n++; return true })
	if err == nil || !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "step budget") {
		t.Fatalf("Iterate = %v after %d terms; want the step budget error", err, n)
	}
	if max := d.s.steps/containers + 1; n > max {
		t.Errorf("Iterate stopped after %d terms, want at most %d", n, max)
	}
}

// TestLocationFieldRange patches the field number of a location: the last
// field is accepted, one beyond is refused.
func TestLocationFieldRange(t *testing.T) {
	seg := small(t)
	s := mustOpen(t, seg)
	d, _ := s.Dict("body")
	v, _, _ := d.lookup([]byte("common"))
	p, err := d.postings([]byte("common"), v)
	if err != nil {
		t.Fatal(err)
	}
	locs, _, msg := openChunks(s.mem, p.locAt, p.at)
	if msg != "" {
		t.Fatal(msg)
	}
	locs.load(0)
	if _, ok := locs.cur.uvarint(); !ok { // the document's location bytes
		t.Fatal("no location")
	}
	at := locs.cur.off // the first location's field
	if f := int(seg[at]); s.Fields()[f] != "body" {
		t.Fatalf("location field %d is %q", f, s.Fields()[f])
	}
	for _, c := range []struct {
		field byte
		ok    bool
	}{{byte(len(s.Fields()) - 1), true}, {byte(len(s.Fields())), false}, {0x7f, false}} {
		data := append([]byte(nil), seg...)
		data[at] = c.field
		_, err := dict(t, data, "body").Postings([]byte("common"), WantPositions)
		if (err == nil) != c.ok || err != nil && !strings.Contains(err.Error(), "location out of range") {
			t.Errorf("location field %d: %v, want ok %v", c.field, err, c.ok)
		}
	}
}
