package pclntab

import (
	"bytes"
	"encoding/binary"
	"slices"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/internal/testcorpus"
	"github.com/quarry-search/quarry/internal/wasmfile"
)

// memory returns the image a module's data fills.
func memory(t *testing.T, mod []byte) []byte {
	t.Helper()
	secs, err := wasmfile.Sections(mod)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secs {
		if s.ID == wasmfile.SectionData {
			segs, err := wasmfile.DataSegments(s.Body)
			if err != nil {
				t.Fatal(err)
			}
			mem, err := wasmfile.Image(segs)
			if err != nil {
				t.Fatal(err)
			}
			return mem
		}
	}
	t.Fatal("no data section")
	return nil
}

// values decodes a pctab table as (pc delta, value) pairs, independently
// of the package's end().
func values(pctab []byte, off uint32) [][2]int64 {
	var out [][2]int64
	p := pctab[off:]
	val := int64(-1)
	for first := true; ; first = false {
		uv, n := binary.Uvarint(p)
		if uv == 0 && !first {
			return out
		}
		p = p[n:]
		val += int64(uv>>1) ^ -int64(uv&1)
		pc, n := binary.Uvarint(p)
		p = p[n:]
		out = append(out, [2]int64{int64(pc), val})
	}
}

type funcView struct {
	name   string
	funcID byte
	pcsp   [][2]int64
	pcdata [][][2]int64
	file   uint32
	line   uint32
	cu     uint64 // cuOffset, startLine
}

func view(t *testing.T, mem []byte) []funcView {
	t.Helper()
	tab, err := find(mem)
	if err != nil {
		t.Fatal(err)
	}
	pctab := mem[tab.pctab:tab.pctabEnd]
	var out []funcView
	for _, fo := range tab.funcs {
		name, _, _ := tab.name(fo)
		v := funcView{name: name, funcID: mem[fo+fFuncID], file: tab.u32(fo + fPCFile), line: tab.u32(fo + fPCLn), cu: binary.LittleEndian.Uint64(mem[fo+fCU:])}
		if o := tab.u32(fo + fPCSP); o != 0 {
			v.pcsp = values(pctab, o)
		}
		for j := range int(tab.u32(fo + fNPCData)) {
			var d [][2]int64
			if o := tab.u32(fo + funcSize + 4*j); o != 0 {
				d = values(pctab, o)
			}
			v.pcdata = append(v.pcdata, d)
		}
		out = append(out, v)
	}
	return out
}

// TestStripTables checks Strip's result on a real program's table: the
// stack-size and pcdata tables read the same, file and line tables are
// gone, names are kept exactly for the runtime's, reflect's and special
// functions, nothing outside the symbol table changed, and stripping
// again changes nothing.
func TestStripTables(t *testing.T) {
	mem := memory(t, testcorpus.GoWasmProgram(t))
	orig := bytes.Clone(mem)
	before := view(t, mem)
	st, err := Strip(mem, func(name string) bool { return strings.HasPrefix(name, "main.") })
	if err != nil {
		t.Fatal(err)
	}
	after := view(t, mem)
	if len(after) != len(before) || st.Funcs != len(before) {
		t.Fatalf("%d functions after, %d before (stats %+v)", len(after), len(before), st)
	}
	kept, userNames := 0, 0
	for i, b := range before {
		a := after[i]
		if !slices.EqualFunc(a.pcsp, b.pcsp, func(x, y [2]int64) bool { return x == y }) {
			t.Errorf("%s: pcsp %v, was %v", b.name, a.pcsp, b.pcsp)
		}
		if len(a.pcdata) != len(b.pcdata) {
			t.Fatalf("%s: %d pcdata tables, was %d", b.name, len(a.pcdata), len(b.pcdata))
		}
		for j := range b.pcdata {
			if !slices.Equal(a.pcdata[j], b.pcdata[j]) {
				t.Errorf("%s: pcdata %d differs", b.name, j)
			}
		}
		if a.file != 0 || a.line != 0 || a.cu != 0 {
			t.Errorf("%s: pcfile %d, pcln %d, cuOffset/startLine %#x after Strip", b.name, a.file, a.line, a.cu)
		}
		runtimeName := strings.HasPrefix(b.name, "runtime.") || strings.HasPrefix(b.name, "internal/runtime/") || strings.HasPrefix(b.name, "reflect.") ||
			strings.HasSuffix(b.name, ".init") || strings.Contains(b.name, ".init.")
		switch wantKept := runtimeName || b.funcID != 0 || strings.HasPrefix(b.name, "main."); {
		case wantKept && a.name != b.name:
			t.Errorf("name %q became %q", b.name, a.name)
		case wantKept:
			kept++
		case a.name != "":
			t.Errorf("name %q kept as %q", b.name, a.name)
		default:
			userNames++
		}
	}
	if kept == 0 || userNames == 0 || !slices.ContainsFunc(before, func(f funcView) bool { return f.name == "main.deep" }) {
		t.Errorf("kept %d names, cleared %d; main.deep among the functions: a test that checks nothing", kept, userNames)
	}
	tab, _ := find(mem)
	for i := range mem {
		inTables := i >= tab.names && i < tab.pctabEnd
		inFuncs := i >= tab.pcln && slices.ContainsFunc(tab.funcs, func(fo int) bool { return i >= fo && i < fo+funcSize+4*int(tab.u32(fo+fNPCData)) })
		if mem[i] != orig[i] && !inTables && !inFuncs {
			t.Fatalf("byte at %#x changed outside the symbol table", i)
		}
	}
	if st.PCTabAfter >= st.PCTabBefore/2 || st.Zeroed == 0 {
		t.Errorf("stats %+v: pctab not halved", st)
	}
	again := bytes.Clone(mem)
	if _, err := Strip(again, func(name string) bool { return strings.HasPrefix(name, "main.") }); err != nil || !bytes.Equal(again, mem) {
		t.Errorf("second Strip changed the image (err %v)", err)
	}
}

// synth writes a minimal symbol table: one function per name, each with
// a stack-size table, a line table and one pcdata table.
func synth(names ...string) []byte {
	const h = 16
	var nametab []byte
	nameOff := make([]int, len(names))
	for i, n := range names {
		nameOff[i] = len(nametab)
		nametab = append(append(nametab, n...), 0)
	}
	cutab := []byte{1, 0, 0, 0}
	filetab := []byte("a.go\x00")
	pctab := []byte{0}
	tables := make([][3]uint32, len(names))
	for i := range names {
		for k := range 3 {
			tables[i][k] = uint32(len(pctab))
			pctab = append(pctab, byte(2+2*k+4*i), 8, 2, 4, 0) // two entries, then the end
		}
	}
	n := len(names)
	funcs := make([]byte, (n+1)*ftabEntry)
	for i := range names {
		fo := len(funcs)
		binary.LittleEndian.PutUint32(funcs[i*8:], uint32(i*16))
		binary.LittleEndian.PutUint32(funcs[i*8+4:], uint32(fo))
		rec := make([]byte, funcSize+4)
		binary.LittleEndian.PutUint32(rec[0:], uint32(i*16))
		binary.LittleEndian.PutUint32(rec[fNameOff:], uint32(nameOff[i]))
		binary.LittleEndian.PutUint32(rec[fPCSP:], tables[i][0])
		binary.LittleEndian.PutUint32(rec[fPCLn:], tables[i][1])
		binary.LittleEndian.PutUint32(rec[fNPCData:], 1)
		binary.LittleEndian.PutUint32(rec[funcSize:], tables[i][2])
		funcs = append(funcs, rec...)
	}
	binary.LittleEndian.PutUint32(funcs[n*8:], uint32(n*16))
	mem := make([]byte, h)
	mem = append(mem, magic...)
	hdr := make([]byte, 8*8)
	off := uint64(headerSize)
	fields := []uint64{uint64(n), 1, 0}
	for _, part := range [][]byte{nametab, cutab, filetab, pctab} {
		fields = append(fields, off)
		off += uint64(len(part))
	}
	fields = append(fields, off)
	for k, v := range fields {
		binary.LittleEndian.PutUint64(hdr[8*k:], v)
	}
	mem = append(mem, hdr...)
	for _, part := range [][]byte{nametab, cutab, filetab, pctab, funcs} {
		mem = append(mem, part...)
	}
	return append(mem, make([]byte, 8)...)
}

func TestStripSynthetic(t *testing.T) {
	mem := synth("main.a", "runtime.b")
	st, err := Strip(mem, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Two stack tables and two pcdata tables kept of six; line tables gone.
	if st.Funcs != 2 || st.NamesKept != 1 || st.TablesKept != 4 || st.PCTabBefore != 31 || st.PCTabAfter != 21 {
		t.Errorf("stats %+v", st)
	}
	v := view(t, mem)
	if v[0].name != "" || v[1].name != "runtime.b" || v[0].line != 0 || len(v[1].pcsp) != 2 || v[1].pcdata[0][0] != [2]int64{8, 4} {
		t.Errorf("after Strip: %+v", v)
	}
}

// TestStripRefuses: a table that does not check out is an error and the
// image is left as it was.
func TestStripRefuses(t *testing.T) {
	good := synth("main.a", "main.b")
	tab, err := find(bytes.Clone(good))
	if err != nil {
		t.Fatal(err)
	}
	fo := tab.funcs[1]
	put := func(at int, v uint32) func([]byte) []byte {
		return func(m []byte) []byte { binary.LittleEndian.PutUint32(m[at:], v); return m }
	}
	for _, c := range []struct {
		name  string
		edit  func([]byte) []byte
		error string
	}{
		{"no table", func(m []byte) []byte { return make([]byte, 200) }, "no Go symbol table"},
		{"no functions", func(m []byte) []byte { binary.LittleEndian.PutUint64(m[tab.hdr+8:], 0); return m }, "0 functions"},
		{"offsets out of order", func(m []byte) []byte { binary.LittleEndian.PutUint64(m[tab.hdr+8+8*4:], 1<<40); return m }, "out of order"},
		{"two tables", func(m []byte) []byte { return append(m, m...) }, "two Go symbol tables"},
		{"functions out of order", put(tab.pcln+2*ftabEntry, 5), "out of order"},
		{"record outside", put(tab.pcln+12, 1<<30), "record outside"},
		{"record of another function", put(fo, 3), "names another entry"},
		{"name outside", put(fo+fNameOff, 1<<20), "name outside"},
		{"pcsp outside", put(fo+fPCSP, 1<<20), "outside pctab"},
		{"pcdata without end", func(m []byte) []byte {
			for i := tab.pctab + int(tab.u32(fo+funcSize)); i < tab.pctabEnd; i++ {
				m[i] = 0x80
			}
			return m
		}, "has no end"},
		{"cut short", func(m []byte) []byte { return m[:tab.pcln+4] }, "cut short"},
	} {
		mem := c.edit(bytes.Clone(good))
		keep := bytes.Clone(mem)
		_, err := Strip(mem, nil)
		if err == nil || !strings.Contains(err.Error(), c.error) {
			t.Errorf("%s: err %v, want %q", c.name, err, c.error)
		}
		if !bytes.Equal(mem, keep) {
			t.Errorf("%s: image changed", c.name)
		}
	}
}

// FuzzStrip: any image is either refused, unchanged, or stripped into one
// whose table still reads and strips again to itself; nothing panics.
func FuzzStrip(f *testing.F) {
	f.Add(synth("main.a", "runtime.b"))
	f.Add(synth("x"))
	f.Add(append(make([]byte, 8), magic...))
	f.Fuzz(func(t *testing.T, mem []byte) {
		keep := bytes.Clone(mem)
		if _, err := Strip(mem, nil); err != nil {
			if !bytes.Equal(mem, keep) {
				t.Fatalf("refused (%v) but changed the image", err)
			}
			return
		}
		again := bytes.Clone(mem)
		if _, err := Strip(again, nil); err != nil || !bytes.Equal(again, mem) {
			t.Fatalf("stripped image does not strip to itself: %v", err)
		}
	})
}

// TestFindFuncTab finds a real program's findfunctab and checks it
// against the function table (16 buckets per function); a table that
// differs from what FillCode writes is refused.
func TestFindFuncTab(t *testing.T) {
	mem := memory(t, testcorpus.GoWasmProgram(t))
	ft, err := FindFuncTab(mem)
	if err != nil {
		t.Fatal(err)
	}
	tab, _ := find(mem)
	if got, want := ft.Buckets, subBuckets*len(tab.funcs); got < want-subBuckets || got > want {
		t.Errorf("%d buckets for %d functions", got, len(tab.funcs))
	}
	if ft.Size != 4*ft.Buckets+subBuckets*ft.Buckets-(subBuckets-1) && ft.Size != 4*ft.Buckets+subBuckets*ft.Buckets {
		t.Errorf("size %d for %d buckets", ft.Size, ft.Buckets)
	}
	for _, c := range []struct {
		name string
		at   int
		val  byte
		want string
	}{
		{"a function index off", ft.Addr + bucketLen*40, 7, "bucket 40: function 7"},
		{"a sub-bucket offset", ft.Addr + bucketLen*3 + 9, 1, "bucket 3: sub-bucket"},
		{"the last sub-bucket", ft.Addr + ft.Size - 1, 1, "sub-bucket"},
	} {
		m := bytes.Clone(mem)
		m[c.at] = c.val
		if _, err := FindFuncTab(m); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", c.name, err, c.want)
		}
	}
	// Past the table's end (the next symbol's bytes) is not the table's.
	m := bytes.Clone(mem)
	m[ft.Addr+ft.Size] ^= 0xff
	if _, err := FindFuncTab(m); err != nil {
		t.Errorf("a byte after the table: %v", err)
	}
	cleared := bytes.Clone(mem)
	ft.Clear(cleared)
	if !bytes.Equal(cleared[:ft.Addr], mem[:ft.Addr]) || !bytes.Equal(cleared[ft.Addr+ft.Size:], mem[ft.Addr+ft.Size:]) ||
		bytes.ContainsFunc(cleared[ft.Addr:ft.Addr+ft.Size], func(r rune) bool { return r != 0 }) {
		t.Error("Clear did not zero exactly the table")
	}
	if _, err := FindFuncTab(cleared); err == nil {
		t.Error("a cleared table accepted")
	}
}
