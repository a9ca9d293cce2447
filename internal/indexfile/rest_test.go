package indexfile

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// The rest bundle of a small index in parts holds its parts then its
// text files, no positions part; its name follows from the head; the
// bundle cuts back into the very files; a whole index, an index above
// RestLimit and a bundle of the wrong length have none or are refused.
func TestRestBundle(t *testing.T) {
	idx := sampleIndex(300, 400)
	enc, err := EncodeIndex(idx, Options{PartSize: 4 << 10, TextChunk: 512})
	if err != nil {
		t.Fatal(err)
	}
	rest, ok := enc.Rest()
	if !ok {
		t.Fatal("no rest bundle for a small index")
	}
	h, err := Decode(enc.HeadOnly())
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Rest(); got != rest.Name || !strings.HasPrefix(got, "rest.") || !strings.HasSuffix(got, RestExt) || len(got) != len("rest.")+12+len(RestExt) {
		t.Errorf("decoded head's Rest() = %q, the encoder's %q; want the same rest.<12 hex>%s", got, rest.Name, RestExt)
	}
	whole, err := Decode(enc.Whole())
	if err != nil {
		t.Fatal(err)
	}
	if got := whole.Rest(); got != "" {
		t.Errorf("a whole index's Rest() = %q, want none", got)
	}
	byName := map[string][]byte{}
	var posBytes int
	for _, f := range enc.Files() {
		byName[f.Name] = f.Data
		if strings.HasSuffix(f.Name, PositionsExt) {
			posBytes += len(f.Data)
		}
	}
	if posBytes == 0 || len(h.Parts) < 3 || len(h.Texts) < 3 {
		t.Fatalf("%d parts, %d text files, %d bytes of positions: the test needs several of each", len(h.Parts), len(h.Texts), posBytes)
	}
	parts, texts, err := h.SplitRest(rest.Data)
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != len(h.Parts) || len(texts) != len(h.Texts) {
		t.Fatalf("SplitRest: %d parts, %d texts; want %d, %d", len(parts), len(texts), len(h.Parts), len(h.Texts))
	}
	for i, r := range h.Parts {
		if !bytes.Equal(parts[i], byName[r.Name]) || r.Check(parts[i]) != nil {
			t.Errorf("part %d of the bundle differs from %s", i, r.Name)
		}
	}
	for i, r := range h.Texts {
		if !bytes.Equal(texts[i], byName[r.Name]) || r.Check(texts[i]) != nil {
			t.Errorf("text %d of the bundle differs from %s", i, r.Name)
		}
	}
	for _, bad := range [][]byte{rest.Data[1:], append(bytes.Clone(rest.Data), 0), nil} {
		if _, _, err := h.SplitRest(bad); !errors.Is(err, ErrText) {
			t.Errorf("SplitRest of %d bytes (want %d): %v, want ErrText", len(bad), len(rest.Data), err)
		}
	}

	// Another index, even one file apart, names another bundle.
	idx2 := sampleIndex(301, 400)
	enc2, err := EncodeIndex(idx2, Options{PartSize: 4 << 10, TextChunk: 512})
	if err != nil {
		t.Fatal(err)
	}
	if r2, _ := enc2.Rest(); r2.Name == rest.Name {
		t.Errorf("two indexes name the same bundle %s", rest.Name)
	}

	// Above RestLimit: no bundle.
	big := *h
	big.Parts = append([]FileRef{{Name: "part.x.qpt", Size: RestLimit}}, h.Parts...)
	if got := big.Rest(); got != "" {
		t.Errorf("Rest() above RestLimit = %q, want none", got)
	}
	at := *h
	at.Parts = append([]FileRef(nil), h.Parts...)
	at.Parts[0].Size += RestLimit - h.restSize()
	if got := at.Rest(); got == "" {
		t.Errorf("Rest() at exactly RestLimit = none, want a bundle")
	}
}
