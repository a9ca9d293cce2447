package indexfile

import (
	"encoding/binary"
	"slices"
	"strings"
	"testing"
)

// varints encodes vs as the reader reads them.
func varints(vs ...uint64) []byte {
	w := &writer{}
	for _, v := range vs {
		w.uint(v)
	}
	return w.b
}

// TestUint32s: a run of numbers, each within its bound, else refused.
func TestUint32s(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		n, max  int
		want    []uint32
		wantErr string // "" for none
	}{
		{"all within", varints(0, 3, 5), 3, 5, []uint32{0, 3, 5}, ""},
		{"none", nil, 0, 5, []uint32{}, ""},
		{"one over the bound", varints(1, 6, 2), 3, 5, nil, "counts out of range"},
		{"past int31", varints(1 << 31), 1, 1<<31 - 1, nil, "number out of range"},
		{"more than the bytes", varints(1, 2), 3, 5, nil, "counts past the end"},
		{"truncated number", []byte{1, 0x80}, 2, 5, nil, "truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &reader{b: tt.data}
			got := r.uint32s(tt.n, tt.max, "counts")
			if tt.wantErr == "" {
				if r.err != nil || !slices.Equal(got, tt.want) {
					t.Errorf("got %v, %v; want %v", got, r.err, tt.want)
				}
				return
			}
			if r.err == nil || !strings.Contains(r.err.Error(), tt.wantErr) {
				t.Errorf("got %v, error %v; want an error with %q", got, r.err, tt.wantErr)
			}
		})
	}
}

// TestPartPostings: each term's document count is at least 1 and at most
// the documents, and its postings hold at least two bytes per document.
func TestPartPostings(t *testing.T) {
	blob := func(n int) []byte { return make([]byte, n) }
	entry := func(df, size int) []byte { return append(varints(uint64(df), uint64(size)), blob(size)...) }
	tests := []struct {
		name    string
		data    []byte
		wantErr string
	}{
		{"fine", append(entry(1, 2), entry(3, 7)...), ""},
		{"document count zero", append(entry(0, 2), entry(3, 7)...), "document count of a term out of range"},
		{"more documents than the index", append(entry(1, 2), entry(4, 8)...), "document count of a term out of range"},
		{"postings too short", append(entry(1, 2), entry(3, 5)...), "postings shorter than their documents"},
		{"fewer bytes than terms", []byte{1}, "postings past the end"},
		{"truncated", entry(1, 2), "truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &reader{b: tt.data}
			pf := &PartField{Terms: []string{"a", "b"}}
			r.postings(pf, 3)
			if tt.wantErr == "" {
				if r.err != nil || !slices.Equal(pf.DF, []uint32{1, 3}) || len(pf.blobs[1]) != 7 {
					t.Errorf("got DF %v, blobs %d, error %v", pf.DF, len(pf.blobs), r.err)
				}
				return
			}
			if r.err == nil || !strings.Contains(r.err.Error(), tt.wantErr) {
				t.Errorf("got error %v, want one with %q", r.err, tt.wantErr)
			}
		})
	}
}

// TestTextName: a text file's name is "text.", the first 12 hex digits of
// the CRC-64 of its set and number (8 and 4 bytes, little endian), ".qtx"
// (index format 5: names must not change within it).
func TestTextName(t *testing.T) {
	for _, tt := range []struct {
		set uint64
		i   int
	}{{0, 0}, {0x0123456789abcdef, 1}, {^uint64(0), 3136}, {42, 1 << 20}} {
		key := binary.LittleEndian.AppendUint64(nil, tt.set)
		key = binary.LittleEndian.AppendUint32(key, uint32(tt.i))
		want := "text." + sumOf(key)[:12] + TextExt
		if got := textName(tt.set, tt.i); got != want {
			t.Errorf("textName(%x, %d) = %q, want %q", tt.set, tt.i, got, want)
		}
	}
	// Two names computed apart from this package (CRC-64/XZ by hand).
	for _, tt := range []struct {
		set  uint64
		i    int
		want string
	}{{0, 0, "text.af4bc36300ba.qtx"}, {0x0123456789abcdef, 1, "text.8d1105854a20.qtx"}} {
		if got := textName(tt.set, tt.i); got != tt.want {
			t.Errorf("textName(%x, %d) = %q, want %q", tt.set, tt.i, got, tt.want)
		}
	}
}
