package site

import (
	"bytes"
	"compress/gzip"
	"sync"

	"github.com/andybalholm/brotli"

	"github.com/quarry-search/quarry/internal/indexfile"
)

// minCompressSize is the smallest file given .br and .gz siblings: below
// it the saving is a few hundred bytes and not worth a second request path.
const minCompressSize = 1024

// Precompression pays for itself only where it is served: the .br and
// .gz siblings serve hosts that send precompressed files (quarry serve,
// nginx's brotli_static/gzip_static, Caddy's precompressed); most static
// hosts compress on the fly and ignore them. Measured on the PHP manual's
// bundle (10,872 pages), CPU seconds on one core, bytes:
//
//	files (raw)                  brotli 5        brotli 9        brotli 10       brotli 11       gzip 6
//	head, 488 kB                 187 k  0.04 s   183 k  0.24 s   174 k  0.74 s   172 k  1.2 s    215 k  0.02 s
//	31 parts, 2.07 MB            916 k  0.16 s   906 k  0.92 s                   825 k  7.3 s    963 k  0.17 s
//	31 positions parts, 1.90 MB  1.53 M 0.07 s   1.52 M 0.90 s                   1.48 M 12.3 s   1.53 M 0.11 s
//	3,137 text files, 12.3 MB    3.88 M 1.06 s   3.87 M 2.4 s                    3.40 M 25.4 s   4.24 M 0.74 s
//	quarry.js, worker, css 73 kB 21.9 k 3 ms     21.6 k 9 ms     20.3 k 55 ms    19.8 k 0.13 s   22.9 k 4 ms
//
// Brotli 11 packs 4–12% tighter than 5 at 20–170 times the cost: 46 s for
// this bundle, which Pagefind indexes and writes whole in 5 s. So:
//   - the files every page load fetches (page, script, stylesheet,
//     worker, the head or whole index) get brotli 11 up to 64 kB and 10
//     above (as small within 1–2%, 40% faster), and gzip 9: every visitor
//     gains, for about a second of build at most. The Hugo docs' head
//     (67 kB) packs to 32,675 B at 10 in 72 ms and to 32,887 B at 11 in
//     138 ms, the last step of that build (200 ms there, 1/3 of it);
//     the seeds' whole index (51 kB) is 1.5% larger at 10 and stays at 11;
//   - the files fetched for some searches only (parts, positions parts,
//     text files) get brotli 5, the knee of the curve, and no .gz: the
//     engine's worker fetches them, and browsers send "br" over HTTPS and
//     to localhost, where Quarry's files are served; over plain HTTP
//     they come uncompressed (or compressed by the host on the fly);
//   - the rest bundle (a small index's parts and text files again, fetched
//     in the background) gets brotli 3: the Hugo docs' 1.47 MB bundle
//     packs to 428 kB in 26 ms, against 380 kB in 69 ms at 5 (1: 464 kB
//     in 20 ms), and that was a tenth of the build's 0.6 s.
//
// Past loadBrotliMax (a head of some 40,000 pages) even brotli 10 would
// take tens of seconds: such files get brotli 5 too.
const (
	loadBrotli      = 11
	loadBrotliLarge = 10
	loadBrotliSmall = 64 << 10
	loadBrotliMax   = 2 << 20
	onDemandBrotli  = 5
	restBrotli      = 3
)

// Brotli compresses data as the files every page load fetches are:
// quality 11 up to 64 kB, 10 up to loadBrotliMax, 5 past it.
func Brotli(data []byte) []byte {
	switch {
	case len(data) > loadBrotliMax:
		return BrotliQuality(data, onDemandBrotli)
	case len(data) > loadBrotliSmall:
		return BrotliQuality(data, loadBrotliLarge)
	}
	return BrotliQuality(data, loadBrotli)
}

// brotliFor compresses the file called name at the quality its role pays
// for (see above): onDemand files are fetched for some searches only.
func brotliFor(name string, data []byte, onDemand bool) []byte {
	switch {
	case ext(name) == indexfile.RestExt:
		return BrotliQuality(data, restBrotli)
	case onDemand:
		return BrotliQuality(data, onDemandBrotli)
	}
	return Brotli(data)
}

// BrotliQuality compresses data at the given quality (0–11) with a window
// of up to 16 MB, no larger than data needs: a small file (such as a 4 kB
// text file) then does not pay for setting up a 16 MB window. Writers are
// reused (per quality and window): setting one up allocates and clears
// its hash tables, which for thousands of small files cost more than
// compressing them.
func BrotliQuality(data []byte, quality int) []byte {
	lgwin := 10
	for lgwin < 24 && 1<<lgwin-16 < len(data) {
		lgwin++
	}
	var buf bytes.Buffer
	buf.Grow(len(data)/3 + 64)
	pool := brotliPool(quality, lgwin)
	w, _ := pool.Get().(*brotli.Writer)
	if w == nil {
		w = brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: quality, LGWin: lgwin})
	} else {
		w.Reset(&buf)
	}
	w.Write(data) // writes to a bytes.Buffer cannot fail
	w.Close()
	w.Reset(nil) // let go of buf
	pool.Put(w)
	return buf.Bytes()
}

// brotliPools holds reusable brotli writers by quality and window bits.
var brotliPools [12][25]sync.Pool

func brotliPool(quality, lgwin int) *sync.Pool {
	return &brotliPools[max(0, min(quality, 11))][lgwin]
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

// gzipLarge compresses the single file's inline data (the whole index,
// the documents): level 9 up to loadBrotliMax, 6 past it (as small within
// 1%, several times faster on megabytes).
func gzipLarge(data []byte) []byte {
	level := gzip.BestCompression
	if len(data) > loadBrotliMax {
		level = gzip.DefaultCompression
	}
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, level) // the level is valid
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
	case ".js", ".css", ".wasm", ".idx", ".qpt", ".qps", ".qtx", ".qrs", ".json", ".html", ".txt", ".svg":
		return true
	}
	return false
}
