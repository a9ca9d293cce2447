package site

import (
	"bytes"
	"compress/gzip"

	"github.com/andybalholm/brotli"
)

// minCompressSize is the smallest file given .br and .gz siblings: below
// it the saving is a few hundred bytes and not worth a second request path.
const minCompressSize = 1024

// Brotli compresses data. Quality falls with size so that a large index
// does not take minutes (pure-Go brotli at quality 11 runs at roughly
// 0.3–1 MB/s): 11 up to 2 MB, 9 up to 32 MB, 5 beyond.
func Brotli(data []byte) []byte {
	q := 11
	switch {
	case len(data) > 32<<20:
		q = 5
	case len(data) > 2<<20:
		q = 9
	}
	return BrotliQuality(data, q)
}

// BrotliQuality compresses data at the given quality (0–11) with a window
// of up to 16 MB, no larger than data needs: a small file (such as a 4 kB
// text file) then does not pay for setting up a 16 MB window, which made
// compressing a few hundred of them take seconds.
func BrotliQuality(data []byte, quality int) []byte {
	lgwin := 10
	for lgwin < 24 && 1<<lgwin-16 < len(data) {
		lgwin++
	}
	var buf bytes.Buffer
	w := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: quality, LGWin: lgwin})
	w.Write(data) // writes to a bytes.Buffer cannot fail
	w.Close()
	return buf.Bytes()
}

// Gzip compresses data at the best compression level, with no name or
// time in the header so that the output depends on data alone.
func Gzip(data []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
	w.Write(data)
	w.Close()
	return buf.Bytes()
}

// worthCompressing reports whether a file of this name and size gets
// precompressed siblings.
func worthCompressing(name string, size int) bool {
	if size < minCompressSize {
		return false
	}
	switch ext(name) {
	case ".js", ".css", ".wasm", ".idx", ".qpt", ".qps", ".qtx", ".json", ".html", ".txt", ".svg":
		return true
	}
	return false
}
