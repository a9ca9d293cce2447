package site

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultCSP is the Content-Security-Policy Handler sends with Quarry's
// own files: nothing by default; scripts, the worker, fetches, styles and
// images from the site itself only; WebAssembly allowed
// ('wasm-unsafe-eval'); no inline script or style, no <base>, no framing.
// The demo page works under it (tested in Chromium). A site's own pages
// are not Quarry's: they get no policy from Handler (their inline styles
// and scripts are theirs to allow; README "Security" says what the
// widget needs).
const DefaultCSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; " +
	"connect-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// ServeOptions tune Handler.
type ServeOptions struct {
	// CSP is the Content-Security-Policy header value sent with Quarry's
	// own files (see Handler); "" sends none.
	CSP string
}

// generatorMark is how a page Quarry wrote says so (web/index.html).
var generatorMark = []byte(`<meta name="generator" content="Quarry `)

// sniffHead is how much of an HTML page is read to find generatorMark.
const sniffHead = 2048

// rootGrace is how long a replaced folder stays open for the requests
// still reading from it.
const rootGrace = time.Minute

// Handler serves the folder dir read-only:
//   - "/" and "/dir/" serve index.html; "/dir" redirects to "/dir/";
//     there are no listings, and names starting with "." are not served;
//     a missing /favicon.ico is "204 No Content" rather than a 404;
//   - Content-Type comes from the extension (application/wasm for .wasm,
//     UTF-8 text types), never from sniffing;
//   - when the client accepts it, a precompressed "name.br" (preferred) or
//     "name.gz" sibling is sent with Content-Encoding; files that have
//     siblings always get "Vary: Accept-Encoding";
//   - files with a content hash in their name are cached for a year
//     (immutable); everything else, including the manifest and HTML, is
//     "no-cache" (always revalidated, with Last-Modified);
//   - the Content-Security-Policy (opts.CSP) goes with Quarry's own files
//     only: everything under quarry/ and the pages Quarry wrote (the demo
//     page, marked <meta name="generator" content="Quarry ...">);
//   - a folder replaced by a rebuild (quarry build -o swaps it) is
//     followed: each request checks that dir is still the folder opened.
//
// Paths cannot escape dir, symbolic links included (os.Root).
func Handler(dir string, opts ServeOptions) (http.Handler, error) {
	s := &server{dir: dir, csp: opts.CSP}
	if _, err := s.open(); err != nil {
		return nil, err
	}
	return s, nil
}

type server struct {
	dir string
	csp string

	mu   sync.Mutex
	root *os.Root
	id   os.FileInfo // dir's identity when root was opened
}

// open returns the root of dir, reopened when dir is no longer the
// folder opened last (a rebuild renamed a new one into place). While dir
// is missing (between the renames of a swap) the last root serves.
func (s *server) open() (*os.Root, error) {
	st, err := os.Stat(s.dir)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.root != nil && (err != nil || os.SameFile(st, s.id)) {
		return s.root, nil
	}
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(s.dir)
	if err != nil {
		if s.root != nil {
			return s.root, nil
		}
		return nil, err
	}
	if old := s.root; old != nil {
		time.AfterFunc(rootGrace, func() { old.Close() })
	}
	s.root, s.id = root, st
	return root, nil
}

// folder is what the handler reads files through. It is the *os.Root of
// the served folder, which also refuses names escaping it; the handler
// keeps every name inside the folder by itself all the same (its tests
// give it a folder that does not refuse them).
type folder interface {
	Stat(name string) (fs.FileInfo, error)
	Open(name string) (*os.File, error)
}

// quarryPage reports whether the HTML file rel was written by Quarry.
func quarryPage(root folder, rel string) bool {
	f, err := root.Open(rel)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, sniffHead)
	n, _ := io.ReadFull(f, head)
	return bytes.Contains(head[:n], generatorMark)
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	root, err := s.open()
	if err != nil {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		http.Error(w, "500 cannot open the folder", http.StatusInternalServerError)
		return
	}
	s.serve(w, r, root)
}

// serve answers r from root.
func (s *server) serve(w http.ResponseWriter, r *http.Request, root folder) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	policy := func() {
		if s.csp != "" {
			h.Set("Content-Security-Policy", s.csp)
		}
	}
	if first, _, _ := strings.Cut(strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/"), "/"); first == AssetDir {
		policy()
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := path.Clean("/" + r.URL.Path)
	rel := strings.TrimPrefix(name, "/")
	for _, seg := range strings.Split(rel, "/") {
		if strings.HasPrefix(seg, ".") {
			http.NotFound(w, r)
			return
		}
	}
	if rel == "" {
		rel = "."
	}
	st, err := root.Stat(rel)
	if err != nil {
		if rel == "favicon.ico" {
			// Browsers ask for it on every page (the text documents too);
			// "no icon" without a 404 in the console.
			w.WriteHeader(http.StatusNoContent)
			return
		}
		http.NotFound(w, r)
		return
	}
	if st.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			target := path.Base(name) + "/"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return
		}
		rel = path.Join(rel, "index.html")
		if st, err = root.Stat(rel); err != nil || !st.Mode().IsRegular() {
			http.NotFound(w, r)
			return
		}
	} else if !st.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	if ct := ContentType(rel); strings.HasPrefix(ct, "text/html") && quarryPage(root, rel) {
		policy()
	}
	h.Set("Content-Type", ContentType(rel))
	h.Set("Cache-Control", CacheControl(rel))
	served := rel
	if ext(rel) != ".br" && ext(rel) != ".gz" {
		vs := variants(root, rel)
		if len(vs) > 0 {
			h.Add("Vary", "Accept-Encoding")
			if enc := negotiate(r.Header.Get("Accept-Encoding"), vs); enc != "" {
				h.Set("Content-Encoding", enc)
				served = rel + encodingSuffix[enc]
			}
		}
	}
	f, err := root.Open(served)
	if err != nil {
		http.Error(w, "500 cannot open file", http.StatusInternalServerError)
		return
	}
	defer f.Close()
	fst, err := f.Stat()
	if err != nil {
		http.Error(w, "500 cannot open file", http.StatusInternalServerError)
		return
	}
	// ServeContent answers Range and If-Modified-Since; a name without an
	// extension keeps it from overriding the Content-Type set above.
	http.ServeContent(w, r, "", fst.ModTime(), f)
}

var encodingSuffix = map[string]string{"br": ".br", "gzip": ".gz"}

// variants lists the encodings rel has precompressed siblings for, best first.
func variants(root folder, rel string) []string {
	var out []string
	for _, enc := range []string{"br", "gzip"} {
		if st, err := root.Stat(rel + encodingSuffix[enc]); err == nil && st.Mode().IsRegular() {
			out = append(out, enc)
		}
	}
	return out
}

// negotiate picks the first of available (in order of preference) that
// the Accept-Encoding header allows: listed with q > 0, or covered by "*"
// with q > 0 and not refused by name. It returns "" for identity.
func negotiate(header string, available []string) string {
	q := map[string]float64{}
	for _, part := range strings.Split(header, ",") {
		token, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		token = strings.ToLower(strings.TrimSpace(token))
		if token == "" {
			continue
		}
		weight := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					weight = f
				}
			}
		}
		q[token] = weight
	}
	for _, enc := range available {
		w, named := q[enc]
		if !named && enc == "gzip" {
			w, named = q["x-gzip"]
		}
		if !named {
			w, named = q["*"]
		}
		if named && w > 0 {
			return enc
		}
	}
	return ""
}

var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".htm":  "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".json": "application/json",
	".wasm": "application/wasm",
	".idx":  "application/octet-stream",
	".qtx":  "application/octet-stream",
	".qpt":  "application/octet-stream",
	".qps":  "application/octet-stream",
	".qrs":  "application/octet-stream",
	".txt":  "text/plain; charset=utf-8",
	".md":   "text/markdown; charset=utf-8",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".ico":  "image/x-icon",
	".br":   "application/octet-stream",
	".gz":   "application/gzip",
}

// ContentType returns the Content-Type for a file name.
func ContentType(name string) string {
	e := ext(name)
	if t, ok := contentTypes[e]; ok {
		return t
	}
	if t := mime.TypeByExtension(e); t != "" {
		return t
	}
	return "application/octet-stream"
}

// hashedFile matches names written by hashedName: name.<12 hex>.ext.
var hashedFile = regexp.MustCompile(`\.[0-9a-f]{12}\.[a-z0-9]+$`)

// CacheControl returns the Cache-Control header for a file name.
func CacheControl(name string) string {
	if hashedFile.MatchString(path.Base(name)) {
		return "public, max-age=31536000, immutable"
	}
	return "no-cache"
}

// ErrNotFolder is returned by CheckFolder for a path that is not a folder.
var ErrNotFolder = errors.New("not a folder")

// CheckFolder verifies that dir is a folder that looks servable and
// returns a note when it has no index.html.
func CheckFolder(dir string) (note string, err error) {
	st, err := os.Stat(dir)
	if err != nil {
		return "", err
	}
	if !st.IsDir() {
		return "", ErrNotFolder
	}
	if _, err := fs.Stat(os.DirFS(dir), "index.html"); err != nil {
		return "no index.html in " + dir + ": only the files in it are served", nil
	}
	return "", nil
}
