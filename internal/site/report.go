package site

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// FileSize is a shipped file's size raw and compressed.
type FileSize struct {
	// Path is slash-separated, relative to the bundle.
	Path string
	// Raw, Gzip and Brotli are sizes in bytes. The compressed sizes are
	// those of the precompressed siblings when the bundle has them, else
	// computed (gzip best, brotli quality 11).
	Raw, Gzip, Brotli int
	// Precompressed tells whether the sizes come from .br/.gz siblings.
	Precompressed bool
}

// Sizes measures every file of the bundle at dir except the .br and .gz
// siblings themselves, sorted by path.
func Sizes(dir string) ([]FileSize, error) {
	var out []FileSize
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasSuffix(p, ".br") || strings.HasSuffix(p, ".gz") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		s := FileSize{Path: filepath.ToSlash(rel), Raw: len(data)}
		br, errBr := os.Stat(p + ".br")
		gz, errGz := os.Stat(p + ".gz")
		if errBr == nil && errGz == nil {
			s.Brotli, s.Gzip, s.Precompressed = int(br.Size()), int(gz.Size()), true
		} else {
			s.Brotli, s.Gzip = len(BrotliQuality(data, 11)), len(Gzip(data))
		}
		out = append(out, s)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, err
}
