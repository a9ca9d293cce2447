package facet

import (
	"slices"
	"testing"
)

// members lists the documents in b by testing every one below the bound
// (and a few past it, which must never be members).
func members(b *Bits) []uint {
	var out []uint
	for d := uint(0); d < b.n+70; d++ {
		if b.Test(d) {
			out = append(out, d)
		}
	}
	return out
}

func bitsOf(n uint, docs ...uint) *Bits {
	b := NewBits(n)
	for _, d := range docs {
		b.Set(d)
	}
	return b
}

func TestBits(t *testing.T) {
	tests := []struct {
		name string
		got  *Bits
		want []uint
	}{
		{"empty", NewBits(130), nil},
		{"set", bitsOf(130, 0, 63, 64, 129, 130, 500), []uint{0, 63, 64, 129}},
		{"invert partial word", func() *Bits { b := bitsOf(67, 1, 64); b.Invert(); return b }(),
			[]uint{0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 65, 66}},
		{"invert whole words", func() *Bits { b := NewBits(128); b.Invert(); b.And(bitsOf(128, 5, 127)); return b }(), []uint{5, 127}},
		{"invert nothing", func() *Bits { b := NewBits(0); b.Invert(); return b }(), nil},
		{"and", func() *Bits { b := bitsOf(200, 1, 70, 150, 199); b.And(bitsOf(200, 70, 199, 3)); return b }(), []uint{70, 199}},
		{"clone is a copy", func() *Bits { b := bitsOf(10, 2); c := b.Clone(); b.Set(3); c.Set(4); return c }(), []uint{2, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := members(tt.got); !slices.Equal(got, tt.want) {
				t.Errorf("members = %v, want %v", got, tt.want)
			}
		})
	}
}
