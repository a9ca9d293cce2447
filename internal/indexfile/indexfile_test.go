package indexfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"strings"
	"testing"
)

func sample(t *testing.T) []byte {
	t.Helper()
	files, text := EncodeTexts([]string{"body of a"}, 0)
	data, err := Encode(&Meta{Language: "english", DocCount: 1, Docs: []DocMeta{{ID: "a", Title: "A", URL: "/a"}}, Texts: files}, text, nil, []byte("segment-bytes"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestRoundTrip(t *testing.T) {
	f, err := Decode(sample(t))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if got, want := string(f.Segment), "segment-bytes"; got != want {
		t.Errorf("segment = %q, want %q", got, want)
	}
	if got, want := f.Meta.Docs[0].Title, "A"; got != want {
		t.Errorf("title = %q, want %q", got, want)
	}
}

func TestDecodeRefuses(t *testing.T) {
	good := sample(t)
	mutate := func(f func(b []byte) []byte) []byte { return f(append([]byte{}, good...)) }
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrNotIndex},
		{"wrong magic", mutate(func(b []byte) []byte { b[0] = 'X'; return b }), ErrNotIndex},
		{"html page", []byte("<!doctype html><title>404</title>"), ErrNotIndex},
		{"header only", good[:16], ErrTruncated},
		{"older version", mutate(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[8:], Version-1); return b }), ErrVersion},
		{"text length past the end", mutate(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[24:], 1<<20); return fixCRC(b) }), ErrCorrupt},
		{"newer version", mutate(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[8:], Version+1); return b }), ErrVersion},
		{"damaged version field", mutate(func(b []byte) []byte { copy(b[8:], "junk"); return b }), ErrCorrupt},
		{"truncated", good[:len(good)-10], ErrTruncated},
		{"trailing garbage", append(append([]byte{}, good...), 0), ErrCorrupt},
		{"flipped byte in metadata", mutate(func(b []byte) []byte { b[30] ^= 0x01; return b }), ErrChecksum},
		{"flipped byte in segment", mutate(func(b []byte) []byte { b[len(b)-6] ^= 0x80; return b }), ErrChecksum},
		{"flipped checksum", mutate(func(b []byte) []byte { b[len(b)-1] ^= 0xff; return b }), ErrChecksum},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.data)
			if !errors.Is(err, tt.want) {
				t.Errorf("Decode error = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestEveryTruncationAndFlip refuses every prefix and every single-bit
// flip of a small index file.
func TestEveryTruncationAndFlip(t *testing.T) {
	good := sample(t)
	for n := 0; n < len(good); n++ {
		if _, err := Decode(good[:n]); err == nil {
			t.Fatalf("Decode of the first %d of %d bytes succeeded", n, len(good))
		}
	}
	for i := range good {
		for bit := 0; bit < 8; bit++ {
			b := append([]byte{}, good...)
			b[i] ^= 1 << bit
			if _, err := Decode(b); err == nil {
				t.Fatalf("Decode with bit %d of byte %d flipped succeeded", bit, i)
			}
		}
	}
}

func TestEncodeDeterministic(t *testing.T) {
	if a, b := sample(t), sample(t); !bytes.Equal(a, b) {
		t.Error("Encode of equal inputs differs")
	}
}

// fixCRC recomputes the checksum of a deliberately altered file, so that
// the check behind it is reached.
func fixCRC(b []byte) []byte {
	binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.Checksum(b[:len(b)-4], castagnoli()))
	return b
}

func TestOlderVersionMessage(t *testing.T) {
	b := sample(t)
	binary.LittleEndian.PutUint32(b[8:], 1)
	_, err := Decode(b)
	if err == nil || !strings.Contains(err.Error(), "older Quarry") || !strings.Contains(err.Error(), "rebuild") {
		t.Errorf("Decode of a version 1 file: error %v, want one saying it was built by an older Quarry and must be rebuilt", err)
	}
}
