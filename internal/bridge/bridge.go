// Package bridge is the host-testable half of Quarry's WebAssembly engine.
// The wasm program (package main in wasm/) only converts between
// JavaScript values and the plain Go values this package takes and
// returns — map[string]any, []any, string, float64, bool and nil, the
// shapes JSON has — and everything else happens here: reading requests,
// running them on an engine.Engine, building results, and turning every
// failure — a bad index, a malformed request, even a panic — into a small
// object with one sentence a person can read:
//
//	{"error": "The search index is damaged; rebuild the site.", "code": "corrupt", "detail": "..."}
//
// Results have exactly the shape `quarry query --json` prints (a test
// compares them), without encoding/json in the browser: that package
// costs about 120 kB of brotli in quarry.wasm.
//
// No method of Bridge panics, and a failure never disables the bridge: a
// failed Open keeps the engine that was open before it, and a failed
// Search leaves the engine untouched.
package bridge

import (
	"errors"
	"fmt"
	"runtime/debug"
	"sync"

	"github.com/quarry-search/quarry/internal/engine"
	"github.com/quarry-search/quarry/internal/indexfile"
)

// Error codes returned in a failure's "code". JavaScript may branch on
// them; the sentence in "error" is what a person sees.
const (
	CodeNotIndex  = "not_index"
	CodeVersion   = "version"
	CodeTruncated = "truncated"
	CodeCorrupt   = "corrupt"
	CodeNotOpen   = "not_open"
	CodeRequest   = "request"
	CodeSearch    = "search"
	CodeInternal  = "internal"
	CodeText      = "text"
)

// Bridge holds the open engine. It is safe for concurrent use, although the
// browser calls it from one thread.
type Bridge struct {
	mu  sync.RWMutex
	eng *engine.Engine
}

// New returns a Bridge with no index open.
func New() *Bridge { return &Bridge{} }

// Open opens the index file held in data (which the engine keeps; the
// caller must not modify it afterwards) and returns {"docs", "language",
// "format", "facet_fields"}, or a failure. On failure the previously open
// index, if any, stays open.
func (b *Bridge) Open(data []byte) (out map[string]any) {
	defer recoverInto(&out)
	eng, err := engine.Open(data)
	if err != nil {
		return Failure(err)
	}
	b.mu.Lock()
	b.eng = eng
	b.mu.Unlock()
	m := eng.Meta()
	return map[string]any{
		"docs":         m.DocCount,
		"language":     m.Language,
		"format":       indexfile.Version,
		"facet_fields": list(m.FacetFields),
	}
}

// Search runs a request ({"q": "...", "limit": 10, "offset": 0,
// "complete": false, "no_excerpt": false, "no_facets": false, "filters":
// {type: [values]}, "filter_modes": {type: mode}}) and returns the
// response, or a failure.
func (b *Bridge) Search(request any) (out map[string]any) {
	defer recoverInto(&out)
	req, err := DecodeRequest(request)
	if err != nil {
		return Failure(err)
	}
	eng := b.engine()
	if eng == nil {
		return Failure(ErrNotOpen)
	}
	resp, err := eng.Search(req)
	if err != nil {
		return Failure(fmt.Errorf("%w: %w", errSearch, err))
	}
	return ResponseValue(resp)
}

// AddText hands the engine the file called name (one of the names a
// response listed in "missing"): a text file, which the engine verifies
// against the index, or the positions segment's file, which makes the
// bridge switch to an engine over it. It returns {"ok": true}, or a
// failure (code "text" for a damaged file: the results it concerns then
// show why their excerpt is missing, and searches stop asking for it).
func (b *Bridge) AddText(name string, data []byte) (out map[string]any) {
	defer recoverInto(&out)
	eng := b.engine()
	if eng == nil {
		return Failure(ErrNotOpen)
	}
	if eng.IsPositionsFile(name) {
		full, err := eng.WithPositions(data)
		if err != nil {
			return Failure(err)
		}
		b.mu.Lock()
		if b.eng == eng { // not replaced by an Open meanwhile
			b.eng = full
		}
		b.mu.Unlock()
		return ok()
	}
	if err := eng.AddText(name, data); err != nil {
		return Failure(err)
	}
	return ok()
}

// TextFailed tells the engine that the file called name could not be
// fetched (reason, e.g. "HTTP 404", is shown with the results it
// concerns). It returns {"ok": true} or a failure.
func (b *Bridge) TextFailed(name, reason string) (out map[string]any) {
	defer recoverInto(&out)
	eng := b.engine()
	if eng == nil {
		return Failure(ErrNotOpen)
	}
	if eng.IsPositionsFile(name) {
		eng.PositionsFailed(reason)
		return ok()
	}
	if err := eng.TextFailed(name, reason); err != nil {
		return Failure(err)
	}
	return ok()
}

func ok() map[string]any { return map[string]any{"ok": true} }

func (b *Bridge) engine() *engine.Engine {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.eng
}

// ErrNotOpen is returned by Search before any index was opened.
var ErrNotOpen = errors.New("no index is open")

// ErrRequest wraps every request decoding error.
var ErrRequest = errors.New("malformed search request")

var errSearch = errors.New("search failed")

// Bounds on a request: the engine cuts the query itself to
// engine.MaxQueryBytes and refuses more than engine.MaxFilterValues
// filter values; these keep a hostile caller from handing over more
// than that in the first place.
const (
	maxRequestString = 64 << 10
	maxFilterTypes   = 64
)

// DecodeRequest reads a request value. Unknown fields are ignored so that
// newer pages can talk to older engines; a missing "q" is an empty query,
// which the engine answers with no hits.
func DecodeRequest(v any) (engine.Request, error) {
	var req engine.Request
	m, isMap := v.(map[string]any)
	if !isMap {
		return req, fmt.Errorf("%w: not an object", ErrRequest)
	}
	bad := func(field, want string) error {
		return fmt.Errorf("%w: %q must be %s", ErrRequest, field, want)
	}
	if x, ok := m["q"]; ok && x != nil {
		s, isStr := x.(string)
		if !isStr {
			return req, bad("q", "a string")
		}
		if len(s) > maxRequestString {
			return req, fmt.Errorf("%w: query of %d bytes (at most %d)", ErrRequest, len(s), maxRequestString)
		}
		req.Query = s
	}
	for _, f := range []struct {
		name string
		dst  *int
	}{{"limit", &req.Limit}, {"offset", &req.Offset}} {
		x, ok := m[f.name]
		if !ok || x == nil {
			continue
		}
		n, isNum := x.(float64)
		if !isNum || n != float64(int64(n)) || n > 1<<31 {
			return req, bad(f.name, "a whole number")
		}
		if n < 0 {
			return req, fmt.Errorf("%w: limit and offset must not be negative", ErrRequest)
		}
		*f.dst = int(n)
	}
	for _, f := range []struct {
		name string
		dst  *bool
	}{{"complete", &req.Complete}, {"no_excerpt", &req.NoExcerpt}, {"no_facets", &req.NoFacets}} {
		x, ok := m[f.name]
		if !ok || x == nil {
			continue
		}
		v, isBool := x.(bool)
		if !isBool {
			return req, bad(f.name, "true or false")
		}
		*f.dst = v
	}
	if x, ok := m["filters"]; ok && x != nil {
		fm, isMap := x.(map[string]any)
		if !isMap || len(fm) > maxFilterTypes {
			return req, bad("filters", "an object of at most 64 types")
		}
		req.Filters = make(map[string][]string, len(fm))
		for k, vs := range fm {
			list, isList := vs.([]any)
			if !isList && vs != nil {
				return req, bad("filters", "an object of string lists")
			}
			if len(list) > engine.MaxFilterValues {
				return req, fmt.Errorf("%w: %d filter values (at most %d)", engine.ErrLimit, len(list), engine.MaxFilterValues)
			}
			for _, v := range list {
				s, isStr := v.(string)
				if !isStr || len(s) > maxRequestString {
					return req, bad("filters", "an object of string lists")
				}
				req.Filters[k] = append(req.Filters[k], s)
			}
		}
	}
	if x, ok := m["filter_modes"]; ok && x != nil {
		fm, isMap := x.(map[string]any)
		if !isMap || len(fm) > maxFilterTypes {
			return req, bad("filter_modes", "an object of at most 64 types")
		}
		req.FilterModes = make(map[string]string, len(fm))
		for k, v := range fm {
			s, isStr := v.(string)
			if !isStr {
				return req, bad("filter_modes", "an object of strings")
			}
			req.FilterModes[k] = s
		}
	}
	return req, nil
}

// ResponseValue returns resp as the value `quarry query --json` prints
// (the same keys, and the same ones left out when empty).
func ResponseValue(r *engine.Response) map[string]any {
	hits := make([]any, len(r.Hits))
	for i, h := range r.Hits {
		hv := map[string]any{"id": h.ID, "title": h.Title, "url": h.URL, "score": h.Score, "excerpt": h.Excerpt}
		if h.Section != "" {
			hv["section"] = h.Section
		}
		if h.ExcerptError != "" {
			hv["excerpt_error"] = h.ExcerptError
		}
		hits[i] = hv
	}
	out := map[string]any{"total": float64(r.Total), "hits": hits, "took_ms": r.TookMs, "mode": r.Mode}
	if r.Notice != "" {
		out["notice"] = r.Notice
	}
	if len(r.Facets) > 0 {
		fs := make(map[string]any, len(r.Facets))
		for k, vs := range r.Facets {
			list := make([]any, len(vs))
			for i, v := range vs {
				list[i] = map[string]any{"value": v.Value, "count": float64(v.Count)}
			}
			fs[k] = list
		}
		out["facets"] = fs
	}
	if len(r.Missing) > 0 {
		out["missing"] = list(r.Missing)
	}
	return out
}

func list(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// Describe maps an error to its code and the sentence shown to a person.
func Describe(err error) (code, sentence string) {
	switch {
	case errors.Is(err, indexfile.ErrNotIndex):
		return CodeNotIndex, "The search index is missing: the file found in its place is not a Quarry index."
	case errors.Is(err, indexfile.ErrVersion):
		return CodeVersion, "The search index was built by a different version of Quarry; rebuild the site with this version."
	case errors.Is(err, indexfile.ErrTruncated):
		return CodeTruncated, "The search index is incomplete; reload the page, or rebuild the site if this persists."
	case errors.Is(err, indexfile.ErrChecksum), errors.Is(err, indexfile.ErrCorrupt):
		return CodeCorrupt, "The search index is damaged; rebuild the site."
	case errors.Is(err, indexfile.ErrText):
		return CodeText, "Part of the search index (the text of some results) is damaged; rebuild the site."
	case errors.Is(err, engine.ErrUnknownText):
		return CodeRequest, "The search engine was sent a file that does not belong to its index."
	case errors.Is(err, ErrNotOpen):
		return CodeNotOpen, "The search index is not loaded yet."
	case errors.Is(err, ErrRequest):
		return CodeRequest, "The search request could not be read."
	case errors.Is(err, errSearch):
		return CodeSearch, "This search could not be run; try different words."
	case errors.Is(err, errPanic):
		return CodeInternal, "Search failed because of an internal error; try again."
	default:
		return CodeInternal, "The search index could not be opened; rebuild the site."
	}
}

// Failure returns err as a failure value.
func Failure(err error) map[string]any {
	code, sentence := Describe(err)
	return map[string]any{"error": sentence, "code": code, "detail": err.Error()}
}

var errPanic = errors.New("panic")

// PanicValue returns a recovered panic value as a failure (code
// internal), with the panic and its stack as the detail.
func PanicValue(r any) map[string]any {
	return Failure(fmt.Errorf("%w: %v\n%s", errPanic, r, debug.Stack()))
}

// recoverInto turns a panic in the calling function into a failure stored
// in *out. It must be called directly by defer.
func recoverInto(out *map[string]any) {
	if r := recover(); r != nil {
		*out = PanicValue(r)
	}
}
