package site

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/quarry-search/quarry/internal/indexfile"
)

// TestPrecompressWhatPays: in a bundle whose index is split, the files
// every page load fetches have .br and .gz siblings; the parts and text
// files a search fetches have a .br sibling only, at the lower quality;
// small files and the entity list (which no browser fetches) have none.
// Every sibling decodes to its file.
func TestPrecompressWhatPays(t *testing.T) {
	fakeEngine(t)
	out := filepath.Join(t.TempDir(), "site")
	index := makeIndex(200, 2000, "pays")
	if index.WholeSize() <= WholeIndexLimit {
		t.Fatalf("index of %d bytes ships whole; want it split", index.WholeSize())
	}
	w, err := WriteBundle(out, index, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, f := range w.Files {
		p := filepath.Join(out, filepath.FromSlash(f.Path))
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		br, hasBr := readIf(p + ".br")
		gz, hasGz := readIf(p + ".gz")
		var kind string
		var wantBr, wantGz bool
		switch e := ext(f.Path); {
		case strings.HasSuffix(f.Path, indexfile.EntitiesFile):
			kind = "entity list"
		case len(data) < minCompressSize:
			kind = "small"
		case e == indexfile.PartExt || e == indexfile.PositionsExt || e == indexfile.TextExt:
			kind, wantBr = "on demand", true
		case e == indexfile.RestExt:
			kind, wantBr = "background", true
		default:
			kind, wantBr, wantGz = "page load", true, true
		}
		kinds[kind]++
		if hasBr != wantBr || hasGz != wantGz {
			t.Errorf("%s (%s, %d bytes): .br %v .gz %v, want %v %v", f.Path, kind, len(data), hasBr, hasGz, wantBr, wantGz)
		}
		if hasBr {
			if got, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br))); err != nil || !bytes.Equal(got, data) {
				t.Errorf("%s.br does not decode to it: %v", f.Path, err)
			}
		}
		if hasGz && len(gz) >= len(data) {
			t.Errorf("%s.gz is not smaller", f.Path)
		}
	}
	for _, k := range []string{"small", "on demand", "background", "entity list", "page load"} {
		if kinds[k] == 0 {
			t.Errorf("no file of kind %q in the bundle (%v)", k, kinds)
		}
	}
	// The ownership list covers every file written, siblings included.
	var written []string
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(out, p)
			written = append(written, filepath.ToSlash(rel))
		}
		return nil
	})
	for _, rel := range written {
		if _, ok := w.hashes[rel]; !ok && rel != bundleOwnPath {
			t.Errorf("%s written but not in the ownership list", rel)
		}
	}
}

func readIf(p string) ([]byte, bool) {
	b, err := os.ReadFile(p)
	return b, err == nil
}

// TestBrotliReusedWriters: writers taken from the pool give the bytes a
// new writer gives, whatever was compressed before with them.
func TestBrotliReusedWriters(t *testing.T) {
	inputs := [][]byte{
		[]byte(strings.Repeat("alpha beta gamma ", 300)),
		bytes.Repeat([]byte{0, 1, 2, 3, 255}, 1000),
		[]byte("x"),
		{},
		[]byte(strings.Repeat("a much longer text with other words in it, ", 5000)),
		[]byte(strings.Repeat("alpha beta gamma ", 301)),
	}
	for _, q := range []int{5, 11} {
		for round := range 3 {
			for i, in := range inputs {
				lgwin := 10
				for lgwin < 24 && 1<<lgwin-16 < len(in) {
					lgwin++
				}
				var fresh bytes.Buffer
				w := brotli.NewWriterOptions(&fresh, brotli.WriterOptions{Quality: q, LGWin: lgwin})
				w.Write(in)
				w.Close()
				if got := BrotliQuality(in, q); !bytes.Equal(got, fresh.Bytes()) {
					t.Errorf("quality %d, round %d, input %d: pooled writer gave %d bytes, a new one %d", q, round, i, len(got), fresh.Len())
				}
			}
		}
	}
}

// TestBrotliQualityBySize: page-load files get brotli 11 up to 64 kB,
// 10 up to loadBrotliMax and 5 past it (see compress.go for the figures).
func TestBrotliQualityBySize(t *testing.T) {
	text := func(n int) []byte {
		var b bytes.Buffer
		for i := 0; b.Len() < n; i++ {
			fmt.Fprintf(&b, "word%d term%d ", i%977, i%131)
		}
		return b.Bytes()[:n]
	}
	tests := []struct {
		size, want int
	}{
		{4 << 10, 11},
		{64 << 10, 11},
		{64<<10 + 1, 10},
		{loadBrotliMax + 1, 5},
	}
	for _, tt := range tests {
		data := text(tt.size)
		got := Brotli(data)
		if want := BrotliQuality(data, tt.want); !bytes.Equal(got, want) {
			t.Errorf("Brotli(%d bytes) gave %d bytes, want brotli %d's %d", tt.size, len(got), tt.want, len(want))
		}
	}
	// By role: a file fetched on demand, and the rest bundle.
	data := text(200 << 10)
	for _, tt := range []struct {
		name     string
		onDemand bool
		want     int
	}{
		{"quarry/quarry.0123456789ab.idx", false, 10},
		{"quarry/part.0123456789ab.qpt", true, onDemandBrotli},
		{"quarry/text.0123456789ab.qtx", true, onDemandBrotli},
		{"quarry/rest.0123456789ab.qrs", true, restBrotli},
	} {
		if got, want := brotliFor(tt.name, data, tt.onDemand), BrotliQuality(data, tt.want); !bytes.Equal(got, want) {
			t.Errorf("brotliFor(%s) gave %d bytes, want brotli %d's %d", tt.name, len(got), tt.want, len(want))
		}
	}
}

// TestEntitiesFileWritten: the bundle and a site's search files carry the
// entity list beside the index, which reads back with it; the single
// file, which the command line does not read, does not.
func TestEntitiesFileWritten(t *testing.T) {
	fakeEngine(t)
	for _, tt := range []struct {
		name  string
		write func(dir string) error
		index string // the index's folder below dir
	}{
		{"bundle", func(dir string) error { _, err := WriteBundle(dir, testIndex, testOptions(t)); return err }, AssetDir},
		{"site", func(dir string) error {
			os.MkdirAll(dir, 0o755)
			_, err := WriteIntoSite(dir, testIndex, testOptions(t))
			return err
		}, AssetDir},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			if err := tt.write(dir); err != nil {
				t.Fatal(err)
			}
			p, err := IndexPath(dir)
			if err != nil {
				t.Fatal(err)
			}
			index, _ := os.ReadFile(p)
			list, err := os.ReadFile(filepath.Join(dir, tt.index, indexfile.EntitiesFile))
			if err != nil {
				t.Fatal(err)
			}
			ents, err := indexfile.DecodeEntities(list, index)
			if err != nil || len(ents) != 1 || ents[0].Name != "Ada Lovelace" {
				t.Errorf("entity list: %+v, %v", ents, err)
			}
		})
	}
	page, err := SingleFile(testIndex, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(page, []byte("Ada Lovelace")) {
		t.Error("the single file carries the entity list")
	}
}

func ExampleBrotli() {
	small := Brotli([]byte(strings.Repeat("quarry ", 100)))
	fmt.Println(len(small) < 100)
	// Output: true
}
