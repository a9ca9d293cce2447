package indexfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"
)

func texts(n, size int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("doc %d: %s", i, strings.Repeat("é", size/2))
	}
	return out
}

func TestEncodeTextsChunks(t *testing.T) {
	tests := []struct {
		name      string
		docs      []string
		chunk     int
		wantFiles int
	}{
		{"one small file", texts(3, 10), 1000, 1},
		{"one document per file when each exceeds the chunk", texts(4, 200), 100, 4},
		{"two per file", texts(6, 100), 230, 3},
		{"empty texts", []string{"", "", ""}, 10, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, all := EncodeTexts(tt.docs, tt.chunk)
			if len(files) != tt.wantFiles {
				t.Fatalf("got %d files, want %d", len(files), tt.wantFiles)
			}
			if err := checkTexts(files, len(tt.docs), all); err != nil {
				t.Fatalf("checkTexts: %v", err)
			}
			at := 0
			var got []string
			for _, f := range files {
				ts, err := DecodeText(f, all[at:at+f.Size])
				if err != nil {
					t.Fatalf("DecodeText(%s): %v", f.Name, err)
				}
				got = append(got, ts...)
				at += f.Size
			}
			if strings.Join(got, "|") != strings.Join(tt.docs, "|") {
				t.Errorf("decoded texts = %q, want %q", got, tt.docs)
			}
		})
	}
}

func TestDecodeTextRefuses(t *testing.T) {
	files, all := EncodeTexts(texts(4, 50), 120)
	f0, f1 := files[0], files[1]
	good := all[:f0.Size]
	other := all[f0.Size : f0.Size+f1.Size]
	flip := func(i int) []byte { b := append([]byte{}, good...); b[i] ^= 1; return b }
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"html error page", []byte("<!doctype html><title>Not found</title>"), "not a Quarry text file"},
		{"truncated", good[:len(good)-3], "the index expects"},
		{"flipped byte", flip(len(good) - 2), "checksum"},
		{"another file of the index", other, ""},
		{"empty", nil, "the index expects"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeText(f0, tt.data)
			if !errors.Is(err, ErrText) {
				t.Fatalf("DecodeText error = %v, want ErrText", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}
}

func TestExternalize(t *testing.T) {
	docs := texts(5, 60)
	files, all := EncodeTexts(docs, 150)
	meta := &Meta{Language: "english", DocCount: 5, Texts: files}
	for i := range docs {
		meta.Docs = append(meta.Docs, DocMeta{ID: fmt.Sprint(i)})
	}
	inline, err := Encode(meta, all, nil, []byte("segment"))
	if err != nil {
		t.Fatal(err)
	}
	out, got, err := Externalize(inline)
	if err != nil {
		t.Fatalf("Externalize: %v", err)
	}
	if want := len(inline) - len(all); len(out) != want {
		t.Errorf("external index has %d bytes, want %d", len(out), want)
	}
	f, err := Decode(out)
	if err != nil {
		t.Fatalf("Decode external: %v", err)
	}
	if f.Text != nil || string(f.Segment) != "segment" || len(f.Meta.Texts) != len(files) {
		t.Errorf("external index: text %d bytes, segment %q, %d text files; want none, \"segment\", %d", len(f.Text), f.Segment, len(f.Meta.Texts), len(files))
	}
	if len(got) != len(files) {
		t.Fatalf("got %d files, want %d", len(got), len(files))
	}
	for _, tf := range files {
		if _, err := DecodeText(tf, got[tf.Name]); err != nil {
			t.Errorf("file %s: %v", tf.Name, err)
		}
	}
	again, more, err := Externalize(out)
	if err != nil || !bytes.Equal(again, out) || more != nil {
		t.Errorf("Externalize of an external index: changed %v, files %d, err %v; want unchanged, none, nil", !bytes.Equal(again, out), len(more), err)
	}
}

// rawIndex assembles an index file around metadata bytes without
// Encode's checks.
func rawIndex(mj, text, seg []byte) []byte {
	total := headerSize + len(mj) + len(text) + len(seg) + 4
	b := append([]byte(Magic), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(b[8:], Version)
	b = binary.LittleEndian.AppendUint64(b, uint64(total))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(mj)))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(text)))
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = append(append(append(b, mj...), text...), seg...)
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli()))
}

func TestDecodeRefusesBadTextList(t *testing.T) {
	files, all := EncodeTexts(texts(3, 10), 1000)
	f := files[0]
	meta := func(ts ...TextFile) []byte {
		return encodeMeta(&Meta{DocCount: 3, Docs: make([]DocMeta, 3), Texts: ts})
	}
	tests := []struct {
		name string
		meta []byte
		text []byte
	}{
		{"files cover too few documents", meta(TextFile{Count: 2, Size: f.Size, Sum: f.Sum}), nil},
		{"file too small to hold a header", meta(TextFile{Count: 3, Size: 10, Sum: f.Sum}), nil},
		{"inline text without files", meta(), all},
		{"inline text of the wrong size", meta(f), all[:len(all)-1]},
		{"metadata cut short", meta(f)[:20], all},
		{"document count larger than the metadata", append(meta(f)[:0:0], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := rawIndex(tt.meta, tt.text, []byte("seg"))
			if _, err := Decode(data); !errors.Is(err, ErrCorrupt) {
				t.Errorf("Decode error = %v, want ErrCorrupt", err)
			}
		})
	}
	good := rawIndex(meta(f), all, []byte("seg"))
	if _, err := Decode(good); err != nil {
		t.Errorf("Decode of the well-formed file: %v", err)
	}
}
