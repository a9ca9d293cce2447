package indexfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"reflect"
	"strings"
	"testing"
)

// TestEncodedForms: an index encoded once gives, without decoding, the
// whole file Encode writes and the head and files Externalize makes of
// it; the head lists no entities (they are in their own file).
func TestEncodedForms(t *testing.T) {
	tests := []struct {
		name        string
		docs, terms int
		opts        Options
	}{
		{"one file's worth", 20, 50, Options{}},
		{"many parts and text files", 300, 400, Options{PartSize: 4 << 10, TextChunk: 512}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idx := sampleIndex(tt.docs, tt.terms)
			idx.Entities = []EntityMeta{{Name: "Ada", Type: "person", Aliases: []string{}, Docs: []string{"d1"}}}
			enc, err := EncodeIndex(idx, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			whole, err := Encode(idx, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := enc.Whole(); !bytes.Equal(got, whole) || enc.WholeSize() != len(whole) {
				t.Fatalf("Whole: %d bytes (WholeSize %d), Encode: %d; equal %v", len(got), enc.WholeSize(), len(whole), bytes.Equal(got, whole))
			}
			head, files, err := Externalize(whole)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(enc.HeadOnly(), head) {
				t.Error("HeadOnly differs from Externalize's head")
			}
			rest, ok := enc.Rest()
			if !ok || !bytes.Equal(rest.Data, files[rest.Name]) {
				t.Fatalf("Rest = %s (%v), Externalize's %d bytes under that name; want the same bundle", rest.Name, ok, len(files[rest.Name]))
			}
			if len(enc.Files())+1 != len(files) {
				t.Fatalf("%d files and the rest bundle, Externalize %d", len(enc.Files()), len(files))
			}
			for i, f := range enc.Files() {
				if f.Name != enc.Head().FileNames()[i] || !bytes.Equal(f.Data, files[f.Name]) {
					t.Errorf("file %d (%s) differs from Externalize's", i, f.Name)
				}
			}
			readAll(t, idx, enc.HeadOnly(), files)
			if bytes.Contains(whole, []byte("Ada")) {
				t.Error("the index holds the entity list")
			}
		})
	}
}

// TestEntities: the entity list round-trips, belongs to both forms of its
// index, and refuses another index's list or damaged bytes with a
// sentence.
func TestEntities(t *testing.T) {
	idx := sampleIndex(20, 50)
	ents := []EntityMeta{
		{Name: "Ada Lovelace", Type: "person", Aliases: []string{"Lovelace", "Ada"}, Docs: []string{"d1", "d3"}},
		{Name: "Analytical Engine", Type: "product", Aliases: []string{}, Docs: []string{"d2"}},
		{Name: "é 日本", Type: "place", Aliases: []string{}, Docs: []string{}},
	}
	idx.Entities = ents
	enc, err := EncodeIndex(idx, Options{PartSize: 1 << 10})
	if err != nil {
		t.Fatal(err)
	}
	list := enc.Entities()
	for _, form := range []struct {
		name  string
		index []byte
	}{{"whole", enc.Whole()}, {"head", enc.HeadOnly()}} {
		got, err := DecodeEntities(list, form.index)
		if err != nil || !reflect.DeepEqual(got, ents) {
			t.Errorf("%s: got %+v, %v; want %+v", form.name, got, err, ents)
		}
	}
	idx.Entities = nil
	none, err := EncodeIndex(idx, Options{PartSize: 1 << 10})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := DecodeEntities(none.Entities(), none.Whole()); err != nil || len(got) != 0 || got == nil {
		t.Errorf("empty list: %v, %v; want an empty list", got, err)
	}
	other := sampleIndex(21, 50)
	otherEnc, err := EncodeIndex(other, Options{})
	if err != nil {
		t.Fatal(err)
	}
	refix := func(b []byte) []byte { // a valid checksum over changed bytes
		b = bytes.Clone(b)
		binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.Checksum(b[:len(b)-4], castagnoli()))
		return b
	}
	tests := []struct {
		name        string
		list, index []byte
		want        string
	}{
		{"another index", list, otherEnc.Whole(), "written for another build of the index"},
		{"truncated", list[:len(list)-1], enc.Whole(), "checksum mismatch"},
		{"flipped bit", func() []byte { b := bytes.Clone(list); b[20] ^= 1; return b }(), enc.Whole(), "checksum mismatch"},
		{"not a list", []byte("QUARRYIX and more bytes"), enc.Whole(), "not an entity list"},
		{"empty", nil, enc.Whole(), "not an entity list"},
		{"other version", refix(func() []byte { b := bytes.Clone(list); b[8] = 9; return b }()), enc.Whole(), "format 9"},
		{"count past the end", refix(append(bytes.Clone(list[:entitiesHeaderSize]), 0xff, 0xff, 0x03, 0, 0, 0, 0)), enc.Whole(), "count larger than the data"},
		{"trailing bytes", refix(append(append(bytes.Clone(list[:len(list)-4]), 0), 0, 0, 0, 0)), enc.Whole(), "after the end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeEntities(tt.list, tt.index)
			if !errors.Is(err, ErrEntities) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want ErrEntities containing %q", err, tt.want)
			}
		})
	}
	if _, err := DecodeEntities(list, []byte("not an index")); !errors.Is(err, ErrNotIndex) {
		t.Errorf("a list with a damaged index: %v, want ErrNotIndex", err)
	}
}
