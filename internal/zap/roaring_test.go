package zap

import (
	"encoding/binary"
	"slices"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
)

// TestRoaringDecode decodes bitmaps serialized by the roaring library —
// arrays, bitmaps (above 4,096 values in a container), runs (after
// RunOptimize), with and without the offset table — and compares with the
// library. The builder's segments hold array containers only, so this is
// where the other kinds are checked.
func TestRoaringDecode(t *testing.T) {
	rangeOf := func(from, to uint32) []uint32 {
		var out []uint32
		for v := from; v < to; v++ {
			out = append(out, v)
		}
		return out
	}
	every := func(from, to, step uint32) []uint32 {
		var out []uint32
		for v := from; v < to; v += step {
			out = append(out, v)
		}
		return out
	}
	for _, c := range []struct {
		name string
		vals []uint32
	}{
		{"empty", nil},
		{"one", []uint32{7}},
		{"array", []uint32{0, 1, 5, 65535}},
		{"containers", []uint32{3, 65536, 65537, 3 << 16, 5<<16 + 9, 9 << 16}},
		{"bitmap", every(0, 60000, 3)},
		{"bitmap and arrays", append(every(0, 65536, 2), 70000, 1<<17+5)},
		{"range", rangeOf(100, 20000)},
		{"ranges in containers", append(append(rangeOf(10, 70000), rangeOf(1<<17, 1<<17+300)...), rangeOf(5<<16, 5<<16+2)...)},
		{"full container", rangeOf(1<<16, 2<<16)},
	} {
		for _, runs := range []bool{false, true} {
			bm := roaring.BitmapOf(c.vals...)
			if runs {
				bm.RunOptimize()
			}
			b, err := bm.ToBytes()
			if err != nil {
				t.Fatal(err)
			}
			name := c.name
			if runs {
				name += "/runs"
			}
			t.Run(name, func(t *testing.T) {
				numDocs := uint64(1)
				if !bm.IsEmpty() {
					numDocs = uint64(bm.Maximum()) + 1
				}
				got, msg := decodeRoaring(b, numDocs, true)
				if msg != "" || !slices.Equal(got, bm.ToArray()) {
					t.Fatalf("decodeRoaring = %d values, %q; want %d", len(got), msg, bm.GetCardinality())
				}
				n, containers, msg := roaringCount(b, numDocs)
				if msg != "" || n != int(bm.GetCardinality()) || containers != containersOf(c.vals) {
					t.Errorf("roaringCount = %d, %d containers, %q; want %d", n, containers, msg, bm.GetCardinality())
				}
				if bm.GetCardinality() > 0 {
					if _, msg := decodeRoaring(b, numDocs-1, false); msg != "document out of range" {
						t.Errorf("with one document less: %q, want document out of range", msg)
					}
				}
			})
		}
	}
}

func containersOf(vals []uint32) int {
	n, last := 0, int64(-1)
	for _, v := range vals {
		if int64(v>>16) != last {
			n, last = n+1, int64(v>>16)
		}
	}
	return n
}

// TestRoaringRefuses damages serialized bitmaps.
func TestRoaringRefuses(t *testing.T) {
	ser := func(runs bool, vals ...uint32) []byte {
		bm := roaring.BitmapOf(vals...)
		if runs {
			bm.RunOptimize()
		}
		b, _ := bm.ToBytes()
		return b
	}
	patch := func(b []byte, f func(b []byte)) []byte {
		b = slices.Clone(b)
		f(b)
		return b
	}
	arr := ser(false, 1, 2, 3)                 // cookie, count, key/card, offset, values at 16
	run := ser(true, 10, 11, 12, 13, 20, 21)   // cookie with count, run bits, key/card, runs at 9
	four := ser(false, 1, 1<<16, 2<<16, 3<<16) // four containers
	for _, c := range []struct {
		name, want string
		b          []byte
	}{
		{"short", "truncated", arr[:3]},
		{"cookie", "unknown cookie", patch(arr, func(b []byte) { b[1]++ })},
		{"too many containers", "too many containers", patch(arr, func(b []byte) { binary.LittleEndian.PutUint32(b[4:], 1<<16+1) })},
		{"cut value", "container out of range", arr[:len(arr)-1]},
		{"trailing byte", "trailing bytes", append(slices.Clone(arr), 0)},
		{"offset table", "container out of range", patch(arr, func(b []byte) { b[12]++ })},
		{"values out of order", "values out of order", patch(arr, func(b []byte) { b[18] = 0 })},
		{"repeated value", "values out of order", patch(arr, func(b []byte) { b[18] = 1 })},
		{"keys out of order", "containers out of order", patch(four, func(b []byte) { b[12] = 0 })},
		{"runs overlap", "runs out of order", patch(run, func(b []byte) { b[len(b)-4] = 12 })},
		{"run cardinality", "container cardinality mismatch", patch(run, func(b []byte) { b[len(b)-2] = 5 })},
		{"run beyond container", "runs out of order", patch(run, func(b []byte) { b[len(b)-3], b[len(b)-1] = 1, 0xff })},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, msg := decodeRoaring(c.b, 1<<20, true); msg != c.want {
				t.Errorf("decodeRoaring: %q, want %q", msg, c.want)
			}
		})
	}
	if _, _, msg := roaringCount(arr, 2); msg != "more documents than the segment" {
		t.Errorf("roaringCount(3 values, 2 documents): %q", msg)
	}
}
