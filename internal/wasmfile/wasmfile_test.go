package wasmfile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestLEB(t *testing.T) {
	for _, v := range []int64{0, 1, 63, 64, -1, -64, -65, 127, 128, 0x3b820, 1<<31 - 1, -1 << 31} {
		r := NewReader(AppendSleb(nil, v))
		if got := r.Sleb32(); int64(got) != v || r.Err() != nil || !r.Done() {
			t.Errorf("Sleb32(AppendSleb(%d)) = %d, %v", v, got, r.Err())
		}
	}
	for _, v := range []uint64{0, 1, 127, 128, 300, 1<<32 + 5, 1<<64 - 1} {
		r := NewReader(AppendUleb(nil, v))
		if got := r.Uleb(); got != v || r.Err() != nil || !r.Done() {
			t.Errorf("Uleb(AppendUleb(%d)) = %d, %v", v, got, r.Err())
		}
	}
	bad := []struct {
		name string
		in   []byte
		read func(*Reader)
	}{
		{"uleb cut", []byte{0x80}, func(r *Reader) { r.Uleb() }},
		{"uleb too long", bytes.Repeat([]byte{0x80}, 11), func(r *Reader) { r.Uleb() }},
		{"sleb32 past 32 bits", AppendSleb(nil, 1<<31), func(r *Reader) { r.Sleb32() }},
		{"sleb32 too long", bytes.Repeat([]byte{0xff}, 6), func(r *Reader) { r.Sleb32() }},
		{"name past the end", []byte{5, 'a'}, func(r *Reader) { r.Name() }},
		{"bytes past the end", []byte{1, 2}, func(r *Reader) { r.Bytes(3) }},
	}
	for _, c := range bad {
		r := NewReader(c.in)
		c.read(r)
		if r.Err() == nil || !r.Done() {
			t.Errorf("%s: err %v, done %v; want an error that stops reading", c.name, r.Err(), r.Done())
		}
	}
}

// module frames sections as a module.
func module(secs ...Section) []byte { return Encode(secs) }

func TestSections(t *testing.T) {
	secs := []Section{{SectionCustom, []byte("\x04name")}, {SectionCode, []byte{1, 2, 3}}, {SectionData, nil}}
	b := module(secs...)
	got, err := Sections(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(secs) {
		t.Fatalf("got %d sections, want %d", len(got), len(secs))
	}
	for i := range secs {
		if got[i].ID != secs[i].ID || !bytes.Equal(got[i].Body, secs[i].Body) {
			t.Errorf("section %d = %v, want %v", i, got[i], secs[i])
		}
	}
	if !bytes.Equal(Encode(got), b) {
		t.Error("Encode(Sections(b)) != b")
	}
	for _, c := range []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "not a WebAssembly"},
		{"html", []byte("<html><body>"), "not a WebAssembly"},
		{"version 2", []byte("\x00asm\x02\x00\x00\x00"), "not a WebAssembly"},
		{"size past the end", append([]byte(magic), SectionCode, 9, 1), "malformed header"},
		{"size cut", append([]byte(magic), SectionCode, 0x80), "malformed header"},
	} {
		if _, err := Sections(c.in); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", c.name, err, c.want)
		}
	}
}

// image is the memory segs fill, from address 0 to the last byte written.
func image(t *testing.T, segs []Segment) []byte {
	t.Helper()
	var mem []byte
	for _, s := range segs {
		end := int(s.Offset) + len(s.Data)
		if end > len(mem) {
			mem = append(mem, make([]byte, end-len(mem))...)
		}
		copy(mem[s.Offset:], s.Data)
	}
	return mem
}

func seg(off uint32, data string) Segment { return Segment{off, []byte(data)} }

func TestImage(t *testing.T) {
	for _, c := range []struct {
		name   string
		in     []Segment
		want   string
		errSub string
	}{
		{"unsorted, gaps zero", []Segment{seg(6, "z"), seg(1, "ab"), seg(4, "c")}, "\x00ab\x00c\x00z", ""},
		{"touching", []Segment{seg(0, "ab"), seg(2, "cd")}, "abcd", ""},
		{"none", nil, "", ""},
		{"overlap", []Segment{seg(10, "abcd"), seg(12, "x")}, "", "overlap"},
		{"past 64 MiB", []Segment{seg(0x7fffffff, "x")}, "", "past 64 MiB"},
	} {
		got, err := Image(c.in)
		if c.errSub != "" {
			if err == nil || !strings.Contains(err.Error(), c.errSub) {
				t.Errorf("%s: err %v, want %q", c.name, err, c.errSub)
			}
			continue
		}
		if err != nil || string(got) != c.want {
			t.Errorf("%s: got %q, %v, want %q", c.name, got, err, c.want)
		}
	}
}

func TestSegments(t *testing.T) {
	for _, c := range []struct {
		name string
		mem  string
		gap  int
		want []Segment
	}{
		{"gap at the limit is joined", "\x00\x00ab\x00\x00\x00\x00cd", 4, []Segment{seg(2, "ab\x00\x00\x00\x00cd")}},
		{"gap over the limit splits", "ab\x00\x00\x00\x00\x00cd", 4, []Segment{seg(0, "ab"), seg(7, "cd")}},
		{"no gap allowed", "a\x00b", 0, []Segment{seg(0, "a"), seg(2, "b")}},
		{"trailing zeros left out", "ab\x00\x00", 8, []Segment{seg(0, "ab")}},
		{"runs of three", "a\x00b\x00c\x00\x00\x00d\x00e", 1, []Segment{seg(0, "a\x00b\x00c"), seg(8, "d\x00e")}},
		{"all zeros", "\x00\x00\x00", 1, nil},
		{"empty", "", 1, nil},
	} {
		got := Segments([]byte(c.mem), c.gap)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
		if !bytes.Equal(image(t, got), bytes.TrimRight([]byte(c.mem), "\x00")) {
			t.Errorf("%s: memory differs", c.name)
		}
	}
}

func TestDataSegments(t *testing.T) {
	segs := []Segment{seg(0x84c2, "go"), seg(0x3b820, "\xf1\xff\xff\xff"), seg(0x7fffffff, "x")}
	got, err := DataSegments(EncodeData(segs))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, segs) {
		t.Errorf("DataSegments(EncodeData(segs)) = %+v, want %+v", got, segs)
	}
	one := func(kind, op byte) []byte { return []byte{1, kind, op, 5, opEnd, 1, 'a'} }
	for _, c := range []struct {
		name string
		in   []byte
		want string
	}{
		{"passive segment", []byte{1, 1, 1, 'a'}, "kind 1"},
		{"global offset", one(0, 0x23), "not an i32.const"},
		{"longer expression", []byte{1, 0, opI32Const, 5, opI32Const}, "longer than i32.const"},
		{"data past the end", []byte{1, 0, opI32Const, 5, opEnd, 9, 'a'}, "past the section's end"},
		{"count past the end", []byte{9, 0}, "9 segments"},
		{"bytes after", append(EncodeData(segs[:1]), 7), "1 bytes after"},
		{"cut in an offset", []byte{1, 0, opI32Const, 0x80}, "data section"},
		{"cut in the count", bytes.Repeat([]byte{0x95}, 9), "data section"},
	} {
		if _, err := DataSegments(c.in); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", c.name, err, c.want)
		}
	}
	if _, err := DataSegments([]byte{1, 0, opI32Const, 0x80}); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("cut offset: err %v, want io.ErrUnexpectedEOF", err)
	}
}

func TestPackData(t *testing.T) {
	segs := []Segment{seg(0x1000, "ab"), seg(0x1003, "c"), seg(0x2000, "far")}
	code := Section{SectionCode, []byte{1, 2, 3}}
	in := module(Section{SectionDataCount, AppendUleb(nil, 3)}, code, Section{SectionData, EncodeData(segs)}, Section{SectionCustom, []byte("\x04name")})
	out, before, after, err := PackData(in, 16, nil)
	if err != nil {
		t.Fatal(err)
	}
	if before != 3 || after != 2 {
		t.Errorf("segments %d -> %d, want 3 -> 2", before, after)
	}
	secs, err := Sections(out)
	if err != nil {
		t.Fatal(err)
	}
	want := []Section{{SectionDataCount, []byte{2}}, code, {SectionData, EncodeData([]Segment{seg(0x1000, "ab\x00c"), seg(0x2000, "far")})}, {SectionCustom, []byte("\x04name")}}
	if !reflect.DeepEqual(secs, want) {
		t.Errorf("sections %q, want %q", secs, want)
	}
	if _, _, _, err := PackData(module(code), 16, nil); !errors.Is(err, ErrNoData) {
		t.Errorf("module without data: err %v, want ErrNoData", err)
	}
	if _, _, _, err := PackData([]byte("not wasm"), 16, nil); !errors.Is(err, ErrNotWasm) {
		t.Errorf("not a module: err %v, want ErrNotWasm", err)
	}
	// An edit sees memory by address; what it zeros is left out, and an
	// edit that fails fails the packing.
	out, _, after, err = PackData(in, 16, func(mem []byte) error {
		if string(mem[0x1000:0x1004]) != "ab\x00c" || string(mem[0x2000:]) != "far" {
			t.Errorf("edit sees %q", mem[0x1000:])
		}
		mem[0x1003] = 0
		mem[0x2000] = 'F'
		return nil
	})
	secs, _ = Sections(out)
	if err != nil || after != 2 || !bytes.Equal(secs[2].Body, EncodeData([]Segment{seg(0x1000, "ab"), seg(0x2000, "Far")})) {
		t.Errorf("edited: %d segments, %q, %v", after, secs[2].Body, err)
	}
	boom := errors.New("boom")
	if _, _, _, err := PackData(in, 16, func([]byte) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("failing edit: err %v", err)
	}
}

// TestPackEngine packs the engine `make build` wrote, as the build does,
// and checks that memory is filled the same.
func TestPackEngine(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	p := filepath.Join(filepath.Dir(file), "../assets/files/quarry.wasm")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Skipf("engine not built (make build): %v", err)
	}
	out, _, after, err := PackData(b, 256, nil)
	if err != nil {
		t.Fatal(err)
	}
	segs := func(m []byte) []Segment {
		secs, err := Sections(m)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range secs {
			if s.ID == SectionData {
				d, err := DataSegments(s.Body)
				if err != nil {
					t.Fatal(err)
				}
				return d
			}
		}
		t.Fatal("no data section")
		return nil
	}
	if !bytes.Equal(image(t, segs(out)), bytes.TrimRight(image(t, segs(b)), "\x00")) {
		t.Error("packed engine fills memory differently")
	}
	if after > 100 {
		t.Errorf("packed engine has %d data segments", after)
	}
}

// FuzzPackData: any input is either refused with an error or packed into a
// module that fills memory exactly as the input did; nothing panics.
func FuzzPackData(f *testing.F) {
	segs := []Segment{seg(0x1000, "ab"), seg(0x1003, "c"), seg(0x2000, "far")}
	f.Add(module(Section{SectionDataCount, []byte{3}}, Section{SectionData, EncodeData(segs)}), 8)
	f.Add(module(Section{SectionData, EncodeData(segs[:1])}), 0)
	f.Add([]byte(magic), 4)
	f.Fuzz(func(t *testing.T, b []byte, gap int) {
		gap &= 0xfff
		out, _, after, err := PackData(b, gap, nil)
		if err != nil {
			return
		}
		data := func(m []byte) []Segment {
			secs, err := Sections(m)
			if err != nil {
				t.Fatalf("packed module unreadable: %v", err)
			}
			for _, s := range secs {
				if s.ID == SectionData {
					d, err := DataSegments(s.Body)
					if err != nil {
						t.Fatalf("packed data section unreadable: %v", err)
					}
					return d
				}
			}
			t.Fatal("packed module lost its data section")
			return nil
		}
		in, got := data(b), data(out)
		if len(got) != after || !bytes.Equal(bytes.TrimRight(imageOf(in), "\x00"), imageOf(got)) {
			t.Fatal("packed module fills memory differently")
		}
		for i := 1; i < len(got); i++ {
			if end := int(got[i-1].Offset) + len(got[i-1].Data); int(got[i].Offset)-end <= gap {
				t.Fatalf("segments %d and %d only %d bytes apart (gap %d)", i-1, i, int(got[i].Offset)-end, gap)
			}
		}
	})
}

// imageOf is image without a *testing.T, capped for fuzzing.
func imageOf(segs []Segment) []byte {
	var mem []byte
	for _, s := range segs {
		end := int(s.Offset) + len(s.Data)
		if end > 1<<24 {
			return nil
		}
		if end > len(mem) {
			mem = append(mem, make([]byte, end-len(mem))...)
		}
		copy(mem[s.Offset:], s.Data)
	}
	return mem
}

func TestAddStart(t *testing.T) {
	voidT := []byte{0x60, 0, 0}
	i32T := []byte{0x60, 1, 0x7f, 0}
	vec := func(entries ...[]byte) []byte {
		out := AppendUleb(nil, uint64(len(entries)))
		for _, e := range entries {
			out = append(out, e...)
		}
		return out
	}
	// Two imported functions, a memory import, then one defined function.
	imports := vec([]byte("\x04gojs\x01a\x00\x00"), []byte("\x04gojs\x01m\x02\x01\x01\x02"), []byte("\x04gojs\x01b\x00\x00"))
	body := []byte{0, 0x0b}
	code := vec(append([]byte{byte(len(body))}, body...))
	export := Section{7, vec([]byte("\x03run\x00\x02"))}
	data := Section{SectionData, EncodeData([]Segment{seg(8, "x")})}
	for _, c := range []struct {
		name      string
		in        []Section
		wantTypes []byte
		wantStart uint64
		err       string
	}{
		{"void type added", []Section{{SectionType, vec(i32T)}, {SectionImport, imports}, {SectionFunction, vec([]byte{0})}, export, {SectionCode, code}, data},
			vec(i32T, voidT), 3, ""},
		{"void type reused", []Section{{SectionType, vec(i32T, voidT)}, {SectionFunction, vec([]byte{1})}, {SectionCode, code}},
			vec(i32T, voidT), 1, ""},
		{"already has one", []Section{{SectionType, vec(voidT)}, {SectionFunction, vec([]byte{0})}, {SectionStart, []byte{0}}, {SectionCode, code}}, nil, 0, "already has a start"},
		{"no code section", []Section{{SectionType, vec(voidT)}, {SectionFunction, vec([]byte{0})}}, nil, 0, "without type, function or code"},
		{"bodies and declarations differ", []Section{{SectionType, vec(voidT)}, {SectionFunction, vec([]byte{0}, []byte{0})}, {SectionCode, code}}, nil, 0, "3 function declarations but 2 bodies"},
		{"bad import", []Section{{SectionType, vec(voidT)}, {SectionImport, vec([]byte("\x01a\x01b\x07"))}, {SectionFunction, vec([]byte{0})}, {SectionCode, code}}, nil, 0, "kind 7"},
	} {
		out, err := AddStart(module(c.in...), []byte{0, 0x01, 0x0b})
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: err %v, want %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		secs, _ := Sections(out)
		var ids []byte
		for _, s := range secs {
			ids = append(ids, s.ID)
			switch s.ID {
			case SectionType:
				if !bytes.Equal(s.Body, c.wantTypes) {
					t.Errorf("%s: types %x, want %x", c.name, s.Body, c.wantTypes)
				}
			case SectionStart:
				if r := NewReader(s.Body); r.Uleb() != c.wantStart || !r.Done() {
					t.Errorf("%s: start %x, want function %d", c.name, s.Body, c.wantStart)
				}
			case SectionCode:
				if want := vec(append([]byte{byte(len(body))}, body...), []byte{3, 0, 0x01, 0x0b}); !bytes.Equal(s.Body, want) {
					t.Errorf("%s: code %x, want %x", c.name, s.Body, want)
				}
			}
		}
		// Sections stay in the binary format's order: start after export,
		// before code and data.
		order := map[byte]int{1: 1, 2: 2, 3: 3, 7: 7, 8: 8, 9: 9, 12: 10, 10: 11, 11: 12}
		if !slices.IsSortedFunc(ids, func(a, b byte) int { return order[a] - order[b] }) || !slices.Contains(ids, SectionStart) {
			t.Errorf("%s: sections %v", c.name, ids)
		}
		if has, err := HasStart(out); !has || err != nil {
			t.Errorf("%s: HasStart = %v, %v", c.name, has, err)
		}
	}
}
