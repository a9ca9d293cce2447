package zap

import (
	"errors"
	"runtime"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
)

// FuzzSegment damages real segments and reads everything from those that
// open: nothing may panic, every error must wrap ErrCorrupt, and no call
// may allocate more than 64 bytes per segment byte plus 16 MiB. zap's
// CRC-32 is not checked by Open (see doc.go), so damage needs no fixing
// up.
//
// The input is a segment and a patch written over it at offset at
// (modulo its length). The fuzzer's own mutations of the segment often
// insert or delete bytes, which shifts every offset after them: Open
// refuses such inputs, and fuzzing them alone mostly exercises Open's
// first checks. A patch damages bytes in place, so that the reads behind
// Open get fuzzed too.
//
// Most new inputs the fuzzer finds are new ways for Open to refuse, and
// minimizing each for the default minute leaves no time to fuzz; cap it:
//
//	go test -run '^$' -fuzz FuzzSegment -fuzztime 10m -fuzzminimizetime 100x ./internal/zap/
func FuzzSegment(f *testing.F) {
	segs := seedSegments(f)
	fuzzy := levFuzzy(f)
	for _, seed := range [][]byte{
		segs.light,
		segs.full,
		merged(f, segs.light),                  // 1-hit postings
		buildWithChunkMode(f, synthetic(3), 2), // small, several chunks
		merged(f, buildWithChunkMode(f, synthetic(4), 2)), // small, 1-hit
	} {
		s, err := Open(seed)
		if err == nil {
			err = readAll(s, fuzzy, probe{})
		}
		if err != nil {
			f.Fatalf("seed of %d bytes does not read: %v", len(seed), err)
		}
		f.Add(seed, uint32(0), []byte(nil))
		f.Add(seed, uint32(len(seed)/2), []byte{0xff})
	}
	f.Fuzz(func(t *testing.T, seg []byte, at uint32, patch []byte) {
		data := seg
		if len(seg) > 0 && len(patch) > 0 {
			data = append([]byte(nil), seg...)
			copy(data[int(at%uint32(len(data))):], patch)
		}
		limit := uint64(64*len(data) + 16<<20)
		s, err := Open(data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Open: error does not wrap ErrCorrupt: %v", err)
			}
			return
		}
		var ms runtime.MemStats
		err = readAll(s, fuzzy, probe{
			// Iterate's allocations (vellum's stacks and states, the
			// terms readAll keeps) are measured.
			iterate: func(run func() error) error {
				runtime.ReadMemStats(&ms)
				before := ms.TotalAlloc
				err := run()
				runtime.ReadMemStats(&ms)
				if n := ms.TotalAlloc - before; n > limit {
					t.Fatalf("Iterate allocated %d bytes for a %d-byte segment", n, len(data))
				}
				return err
			},
			// Postings' and Docs' allocations are their results.
			result: func(p *Postings, bm *roaring.Bitmap) {
				var n uint64
				if p != nil {
					n = 4 * uint64(cap(p.Docs)+cap(p.Freqs)+cap(p.Norms)+cap(p.PosStart)+cap(p.Pos))
				}
				if bm != nil {
					n = bm.GetSizeInBytes()
				}
				if n > limit {
					t.Fatalf("a result of %d bytes for a %d-byte segment", n, len(data))
				}
			},
		})
		if err != nil && !errors.Is(err, ErrCorrupt) {
			t.Fatalf("error does not wrap ErrCorrupt: %v", err)
		}
	})
}
