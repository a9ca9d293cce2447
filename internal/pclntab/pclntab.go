// Package pclntab reads and trims the Go runtime's symbol table (the
// "pclntab") in the memory image of a Go program built for js/wasm, for
// tools/wasmpack.
//
// The table maps code addresses to function names, files and lines, stack
// frame sizes and the pointer maps the garbage collector needs. With
// `-ldflags=-s -w` the linker drops DWARF and the symbol table but keeps
// all of this, because the runtime reads it. Only tracebacks, panics'
// messages about wrappers and runtime.Caller read the file and line tables
// and most names; measured on quarry.wasm (Go 1.26, brotli 11), the line
// and file tables were 124 kB of the 184 kB table of tables ("pctab") and
// 63 kB of brotli, and the names of functions outside the runtime 8 kB
// more (names in all: 17 kB).
//
// Strip removes what only a traceback reads: every function's file and
// line tables (pcfile, pcln: their offsets become 0, which the runtime
// reads as "no table" and prints as "?:0"), its first line and
// compilation unit (4 kB of brotli), the file and compilation-unit
// tables, and the names of functions the runtime never asks about by name.
// It keeps the names of the runtime's own functions (runtime.*,
// internal/runtime/*: it tells system goroutines apart by that prefix),
// reflect.* (the garbage collector recognises two reflect stubs by name),
// package initialisers (GODEBUG=inittrace=1 names their packages) and of
// every function with a special FuncID, which includes the
// compiler's method wrappers (runtime.panicwrap parses its caller's name
// to say which method was called on a nil pointer), and any its caller
// asks for (Quarry's own, so a panic's stack trace still names them). It
// keeps the inlining index (pcdata 2; 15 kB of brotli): recover() walks
// inlined frames to decide whether it was called directly by a deferred
// function. The tables it keeps (stack sizes, pointer maps, inlining) are
// moved to the front of pctab byte for byte and their offsets rewritten;
// the freed tail is zeroed, so a data-segment packer can leave it out of
// the module.
//
// FindFuncTab finds the runtime's function lookup table (findfunctab),
// which on js/wasm is a counter and zeros, so that the build can have a
// start function write it instead of shipping it (functab.go).
//
// The layout read is Go 1.20's and later (pcHeader magic 0xfffffff1, 64-bit
// pointers, the _func record of runtime/runtime2.go as of Go 1.26). Anything
// that does not check out (no header, two candidates, an offset outside
// its table, unsorted functions, a table without its end) is an error and
// the image is left as it was.
package pclntab

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// magic starts a pcHeader of a 64-bit js/wasm program: the Go 1.20+ table
// magic 0xfffffff1, two zero pads, the minimum instruction size (1 on wasm)
// and the pointer size (8).
var magic = []byte{0xf1, 0xff, 0xff, 0xff, 0, 0, 1, 8}

// Sizes of the records read (runtime/runtime2.go, runtime/symtab.go).
const (
	headerSize = 8 + 8*8 // magic..ptrSize, then eight 64-bit fields
	funcSize   = 44      // _func up to nfuncdata, before its pcdata offsets
	ftabEntry  = 8       // functab: entryoff, funcoff (uint32 each)
)

// Offsets of _func fields.
const (
	fNameOff = 4
	fPCSP    = 16
	fPCFile  = 20
	fPCLn    = 24
	fNPCData = 28
	fCU      = 32 // cuOffset and then startLine
	fFuncID  = 40
)

// maxFuncs bounds the function count a header may claim (quarry.wasm has
// about 2,100; Go itself about 10,000).
const maxFuncs = 1 << 20

// Stats says what Strip changed.
type Stats struct {
	Funcs       int // functions in the table
	NamesKept   int // distinct names kept
	TablesKept  int // distinct pctab tables kept (stack sizes, pcdata)
	PCTabBefore int // bytes of pctab before
	PCTabAfter  int // bytes of pctab in use after (the rest is zeros)
	Zeroed      int // bytes set to zero in all
}

// table is a parsed pclntab: positions are indexes into the image.
type table struct {
	mem                            []byte
	hdr                            int
	names, cutab, filetab, pctab   int // starts
	namesEnd, cutabEnd, filetabEnd int
	pctabEnd                       int
	pcln                           int // start of the functab and _func records
	funcs                          []int
}

func (t *table) u32(i int) uint32 { return binary.LittleEndian.Uint32(t.mem[i:]) }

// Find locates and checks the symbol table in mem.
func find(mem []byte) (*table, error) {
	var found *table
	var firstErr error
	for i := 0; ; {
		k := bytes.Index(mem[i:], magic)
		if k < 0 {
			break
		}
		at := i + k
		i = at + 1
		t, err := parse(mem, at)
		if err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("header at %#x: %w", at, err)
			}
			continue
		}
		if found != nil {
			return nil, fmt.Errorf("two Go symbol tables (at %#x and %#x)", found.hdr, at)
		}
		found = t
	}
	if found == nil {
		if firstErr != nil {
			return nil, fmt.Errorf("no Go symbol table: %w", firstErr)
		}
		return nil, errors.New("no Go symbol table (not a Go js/wasm program, or a layout before Go 1.20)")
	}
	return found, nil
}

func parse(mem []byte, h int) (*table, error) {
	if len(mem)-h < headerSize {
		return nil, errors.New("header cut short")
	}
	f := func(k int) uint64 { return binary.LittleEndian.Uint64(mem[h+8+8*k:]) }
	nfunc := f(0)
	if nfunc == 0 || nfunc > maxFuncs {
		return nil, fmt.Errorf("%d functions", nfunc)
	}
	offs := []uint64{f(3), f(4), f(5), f(6), f(7)} // funcname, cu, filetab, pctab, pcln
	prev := uint64(headerSize)
	for _, o := range offs {
		if o < prev || o > uint64(len(mem)-h) {
			return nil, fmt.Errorf("table offset %#x out of order or past the image", o)
		}
		prev = o
	}
	t := &table{mem: mem, hdr: h,
		names: h + int(offs[0]), cutab: h + int(offs[1]), filetab: h + int(offs[2]),
		pctab: h + int(offs[3]), pcln: h + int(offs[4])}
	t.namesEnd, t.cutabEnd, t.filetabEnd, t.pctabEnd = t.cutab, t.filetab, t.pctab, t.pcln
	n := int(nfunc)
	if len(mem)-t.pcln < (n+1)*ftabEntry {
		return nil, errors.New("function table cut short")
	}
	t.funcs = make([]int, n)
	var lastEntry uint32
	for k := 0; k <= n; k++ {
		e := t.u32(t.pcln + k*ftabEntry)
		if e < lastEntry {
			return nil, fmt.Errorf("function %d out of order", k)
		}
		lastEntry = e
		if k == n {
			break
		}
		fo := t.pcln + int(t.u32(t.pcln+k*ftabEntry+4))
		if fo < t.pcln+(n+1)*ftabEntry || fo > len(mem)-funcSize {
			return nil, fmt.Errorf("function %d's record outside the table", k)
		}
		if t.u32(fo) != e {
			return nil, fmt.Errorf("function %d's record names another entry", k)
		}
		npc := int(t.u32(fo + fNPCData))
		if npc > 64 || fo+funcSize+4*npc > len(mem) {
			return nil, fmt.Errorf("function %d: %d pcdata tables", k, npc)
		}
		if no := int(int32(t.u32(fo + fNameOff))); no < 0 || no >= t.namesEnd-t.names {
			return nil, fmt.Errorf("function %d's name outside the name table", k)
		}
		t.funcs[k] = fo
	}
	// Records do not overlap (Strip rewrites fields in each).
	spans := slices.Clone(t.funcs)
	slices.Sort(spans)
	for k := 1; k < len(spans); k++ {
		if prev := spans[k-1]; prev+funcSize+4*int(t.u32(prev+fNPCData)) > spans[k] {
			return nil, errors.New("function records overlap")
		}
	}
	return t, nil
}

// end returns the image index just past the pctab table at offset off,
// or an error if it runs past pctab. A table is pairs of varints (value
// delta, pc delta); a zero value delta after the first pair ends it.
func (t *table) end(off uint32) (int, error) {
	i := t.pctab + int(off)
	if off == 0 || i >= t.pctabEnd {
		return 0, fmt.Errorf("pctab offset %#x outside pctab", off)
	}
	first := true
	for {
		if i >= t.pctabEnd {
			return 0, fmt.Errorf("pctab table at %#x has no end", off)
		}
		if t.mem[i] == 0 && !first {
			return i + 1, nil
		}
		first = false
		for pair := 0; pair < 2; pair++ {
			for n := 0; ; n++ {
				if i >= t.pctabEnd || n == 5 {
					return 0, fmt.Errorf("pctab table at %#x has no end", off)
				}
				b := t.mem[i]
				i++
				if b < 0x80 {
					break
				}
			}
		}
	}
}

// runtimeName reports whether a function's name is one the runtime reads:
// its own (runtime.*, internal/runtime/*), reflect's stubs, special
// functions, and package initialisers (GODEBUG=inittrace=1 prints the
// package of each from its name, and fails on an empty one).
func runtimeName(name string, funcID byte) bool {
	return funcID != 0 || strings.HasPrefix(name, "runtime.") ||
		strings.HasPrefix(name, "internal/runtime/") || strings.HasPrefix(name, "reflect.") ||
		strings.HasSuffix(name, ".init") || strings.Contains(name, ".init.")
}

func (t *table) name(fo int) (string, int, int) {
	a := t.names + int(int32(t.u32(fo+fNameOff)))
	z := bytes.IndexByte(t.mem[a:t.namesEnd], 0)
	if z < 0 {
		z = t.namesEnd - a
	}
	return string(t.mem[a : a+z]), a, a + z
}

// Strip trims the symbol table in mem (a js/wasm program's memory image:
// index = address) as the package comment describes; keep (if not nil)
// names more functions whose names stay, so that a panic's stack trace
// still names them. On error mem is unchanged.
func Strip(mem []byte, keep func(name string) bool) (Stats, error) {
	t, err := find(mem)
	if err != nil {
		return Stats{}, err
	}
	st := Stats{Funcs: len(t.funcs), PCTabBefore: t.pctabEnd - t.pctab}

	// The tables kept, by offset, in pctab order; pcfile and pcln dropped
	// unless another field shares the table.
	kept := map[uint32]int{} // offset -> end index
	keepTable := func(off uint32) error {
		if off == 0 {
			return nil
		}
		if _, ok := kept[off]; ok {
			return nil
		}
		e, err := t.end(off)
		if err != nil {
			return err
		}
		kept[off] = e
		return nil
	}
	for k, fo := range t.funcs {
		if err := keepTable(t.u32(fo + fPCSP)); err != nil {
			return Stats{}, fmt.Errorf("function %d: %w", k, err)
		}
		for j := range int(t.u32(fo + fNPCData)) {
			if err := keepTable(t.u32(fo + funcSize + 4*j)); err != nil {
				return Stats{}, fmt.Errorf("function %d: %w", k, err)
			}
		}
	}
	order := make([]uint32, 0, len(kept))
	for off := range kept {
		order = append(order, off)
	}
	slices.Sort(order)

	// New pctab: a zero byte (offset 0 means "no table"), then each kept
	// table. Tables may overlap (the linker shares equal ones), so they
	// are copied from a snapshot, not in place.
	var pct []byte
	moved := make(map[uint32]uint32, len(order))
	pct = append(pct, 0)
	for _, off := range order {
		moved[off] = uint32(len(pct))
		pct = append(pct, t.mem[t.pctab+int(off):kept[off]]...)
	}
	if len(pct) > t.pctabEnd-t.pctab {
		return Stats{}, errors.New("kept tables larger than pctab (overlapping tables)")
	}

	// Names to keep (start -> end in mem): those of functions with a
	// special FuncID, and every name in the table (functions and the
	// functions inlined into them, which only the inlining trees name)
	// that the runtime reads or keep asks for.
	names := map[int]int{}
	wanted := func(n string) bool { return runtimeName(n, 0) || (keep != nil && keep(n)) }
	cleared := make([]bool, len(t.funcs))
	for k, fo := range t.funcs {
		n, a, z := t.name(fo)
		switch {
		case t.mem[fo+fFuncID] != 0:
			names[a] = z
		case !wanted(n):
			cleared[k] = true
		}
	}
	for a := t.names; a < t.namesEnd; {
		z := bytes.IndexByte(t.mem[a:t.namesEnd], 0)
		if z < 0 {
			z = t.namesEnd - a
		}
		if z > 0 && wanted(string(t.mem[a:a+z])) {
			names[a] = a + z
		}
		a += z + 1
	}

	// Everything checked: write. The names kept are copied back from
	// before, the region being cleared first.
	before := bytes.Clone(t.mem[t.names:t.pctabEnd])
	for _, fo := range t.funcs {
		binary.LittleEndian.PutUint32(t.mem[fo+fPCSP:], moved[t.u32(fo+fPCSP)])
		binary.LittleEndian.PutUint32(t.mem[fo+fPCFile:], 0)
		binary.LittleEndian.PutUint32(t.mem[fo+fPCLn:], 0)
		binary.LittleEndian.PutUint64(t.mem[fo+fCU:], 0) // cuOffset, startLine
		for j := range int(t.u32(fo + fNPCData)) {
			at := fo + funcSize + 4*j
			binary.LittleEndian.PutUint32(t.mem[at:], moved[t.u32(at)])
		}
	}
	clear(t.mem[t.names:t.pctabEnd]) // names, cutab, filetab, pctab
	for a, z := range names {
		copy(t.mem[a:z], before[a-t.names:])
	}
	copy(t.mem[t.pctab:], pct)
	// A cleared name points at the table's first zero byte, the same for
	// all (2 kB of brotli less than offsets to 816 separate empty names).
	if empty := bytes.IndexByte(t.mem[t.names:t.namesEnd], 0); empty >= 0 {
		for k, fo := range t.funcs {
			if cleared[k] {
				binary.LittleEndian.PutUint32(t.mem[fo+fNameOff:], uint32(empty))
			}
		}
	}
	for i, b := range before {
		if b != 0 && t.mem[t.names+i] == 0 {
			st.Zeroed++
		}
	}
	st.NamesKept = len(names)
	st.TablesKept = len(order)
	st.PCTabAfter = len(pct)
	return st, nil
}
