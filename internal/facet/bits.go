package facet

// Bits is a set of document numbers below a fixed bound, one bit per
// document. It replaces bits-and-blooms/bitset, which imports fmt and
// encoding/json (their package initialisers and everything they reach
// stay in quarry.wasm even though the engine never prints a bitmap); the
// engine needs these five operations.
type Bits struct {
	words []uint64
	n     uint
}

// NewBits returns an empty set of documents below n.
func NewBits(n uint) *Bits { return &Bits{words: make([]uint64, (n+63)/64), n: n} }

// Set adds doc; a doc past the bound is ignored.
func (b *Bits) Set(doc uint) {
	if doc < b.n {
		b.words[doc/64] |= 1 << (doc % 64)
	}
}

// Test reports whether doc is in the set.
func (b *Bits) Test(doc uint) bool {
	return doc < b.n && b.words[doc/64]&(1<<(doc%64)) != 0
}

// Invert replaces the set by its complement below the bound (the bits
// past it in the last word are set too; Test never reads them).
func (b *Bits) Invert() {
	for i := range b.words {
		b.words[i] = ^b.words[i]
	}
}

// And keeps only the documents also in o (sets of the same bound).
func (b *Bits) And(o *Bits) {
	for i := range b.words {
		if i < len(o.words) {
			b.words[i] &= o.words[i]
		} else {
			b.words[i] = 0
		}
	}
}

// Clone returns a copy of b.
func (b *Bits) Clone() *Bits {
	return &Bits{words: append([]uint64(nil), b.words...), n: b.n}
}
