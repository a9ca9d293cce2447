package pclntab

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/quarry-search/quarry/internal/wasmfile"
)

// The runtime's table for finding a function from a program counter
// (runtime.findfunc): one 20-byte bucket per 4 kB of code addresses, a
// function index and 16 one-byte offsets (cmd/link's findfunctab). On
// js/wasm a program counter is a function's index << 16 plus a block
// number, so every function spans 16 buckets, and the table is a counter
// and zeros: quarry.wasm's is 679 kB, a fifth of the module's raw bytes,
// though only 5 kB of brotli. FindFuncTab finds it; the build can then leave
// it out of the data segments and have a start function write it back
// (FillCode) when the module is instantiated.
const (
	bucketSize = 4096
	subBuckets = 16
	bucketLen  = 4 + subBuckets
)

// Offsets in runtime.moduledata (runtime/symtab.go, Go 1.26): the header
// pointer, six slices (pointer, length, capacity), then findfunctab,
// minpc and maxpc.
const (
	mdSlices      = 8
	mdFindFuncTab = 8 + 6*24
	mdMinPC       = mdFindFuncTab + 8
	mdMaxPC       = mdMinPC + 8
	mdSize        = mdMaxPC + 8
)

// FuncTab is where the table lies in memory and how many buckets it has.
type FuncTab struct {
	Addr    int // address of the first bucket
	Buckets int
	Size    int // bytes: 4 per bucket and one per sub-bucket
}

// FindFuncTab locates the table through runtime.moduledata and checks
// that it holds exactly what FillCode writes: bucket b's function index
// b/16 and no sub-bucket offsets. Any other content is an error.
func FindFuncTab(mem []byte) (FuncTab, error) {
	t, err := find(mem)
	if err != nil {
		return FuncTab{}, err
	}
	md, err := t.moduledata()
	if err != nil {
		return FuncTab{}, err
	}
	u64 := func(i int) uint64 { return binary.LittleEndian.Uint64(mem[md+i:]) }
	addr, minpc, maxpc := u64(mdFindFuncTab), u64(mdMinPC), u64(mdMaxPC)
	if maxpc <= minpc || maxpc-minpc > 1<<40 {
		return FuncTab{}, fmt.Errorf("moduledata: pc range %#x-%#x", minpc, maxpc)
	}
	span := maxpc - minpc
	ft := FuncTab{Addr: int(addr), Buckets: int((span + bucketSize - 1) / bucketSize)}
	ft.Size = 4*ft.Buckets + int((span+bucketSize/subBuckets-1)/(bucketSize/subBuckets))
	if addr > uint64(len(mem)) || uint64(ft.Size) > uint64(len(mem))-addr || ft.Buckets >= 1<<31 {
		return FuncTab{}, fmt.Errorf("findfunctab at %#x (%d bytes) outside the image", addr, ft.Size)
	}
	for b := range ft.Buckets {
		at := ft.Addr + bucketLen*b
		if got := binary.LittleEndian.Uint32(mem[at:]); got != uint32(b/subBuckets) {
			return FuncTab{}, fmt.Errorf("findfunctab bucket %d: function %d, not %d", b, got, b/subBuckets)
		}
		end := min(at+bucketLen, ft.Addr+ft.Size)
		if slices.ContainsFunc(mem[at+4:end], func(c byte) bool { return c != 0 }) {
			return FuncTab{}, fmt.Errorf("findfunctab bucket %d: sub-bucket offsets", b)
		}
	}
	return ft, nil
}

// moduledata finds runtime.firstmoduledata: 8-byte aligned, pointing at
// the header, with the name table, pctab and function table slices the
// header describes.
func (t *table) moduledata() (int, error) {
	var want [8]byte
	binary.LittleEndian.PutUint64(want[:], uint64(t.hdr))
	nfunc := len(t.funcs)
	slice := func(md, k int) (ptr, n uint64) {
		at := md + mdSlices + 24*k
		return binary.LittleEndian.Uint64(t.mem[at:]), binary.LittleEndian.Uint64(t.mem[at+8:])
	}
	found := -1
	for at := 0; at+mdSize <= len(t.mem); at += 8 {
		if [8]byte(t.mem[at:at+8]) != want {
			continue
		}
		names, nn := slice(at, 0)
		pct, _ := slice(at, 3)
		ftab, nf := slice(at, 5)
		if names != uint64(t.names) || nn != uint64(t.namesEnd-t.names) || pct != uint64(t.pctab) ||
			ftab != uint64(t.pcln) || nf != uint64(nfunc+1) {
			continue
		}
		if found >= 0 {
			return 0, errors.New("two runtime.moduledata for one symbol table")
		}
		found = at
	}
	if found < 0 {
		return 0, errors.New("no runtime.moduledata for the symbol table")
	}
	return found, nil
}

// Clear zeros the table in mem.
func (ft FuncTab) Clear(mem []byte) { clear(mem[ft.Addr : ft.Addr+ft.Size]) }

// FillCode returns the body of a WebAssembly function (type [] -> [],
// one i32 local) that writes the table into zeroed memory as FindFuncTab
// found it:
//
//	for i := 0; i < Buckets; i++ { *(*uint32)(Addr + 20*i) = i / 16 }
//
// Measured under Node: instantiating quarry.wasm (33,953 buckets) takes
// 6.46 ms with this start function and 6.39 ms with the table as data
// (medians of 15, alternating).
func (ft FuncTab) FillCode() []byte {
	b := []byte{
		1, 1, 0x7f, // one local: i32
		0x03, 0x40, // loop
		0x20, 0, 0x41, bucketLen, 0x6c, // local.get 0; i32.const 20; i32.mul
		0x20, 0, 0x41, 4, 0x76, // local.get 0; i32.const 4; i32.shr_u (i / 16)
		0x36, 2, // i32.store align=4 offset=Addr
	}
	b = wasmfile.AppendUleb(b, uint64(ft.Addr))
	b = append(b, 0x20, 0, 0x41, 1, 0x6a, 0x22, 0) // local.get 0; i32.const 1; i32.add; local.tee 0
	b = append(b, 0x41)                            // i32.const Buckets
	b = wasmfile.AppendSleb(b, int64(ft.Buckets))
	b = append(b, 0x49, 0x0d, 0, 0x0b, 0x0b) // i32.lt_u; br_if 0; end loop; end
	return b
}
