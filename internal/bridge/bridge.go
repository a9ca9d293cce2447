// Package bridge is the host-testable half of Quarry's WebAssembly engine.
// The wasm program (package main in wasm/) only converts JavaScript values:
// a request arrives as the plain Go values of a JavaScript object
// (map[string]any, []any, string, float64, bool, nil), and every result
// leaves as JSON text written here. Everything else happens here too:
// reading requests, running them on an engine.Engine, and turning every
// failure — a bad index, a malformed request, even a panic — into a small
// object with one sentence a person can read:
//
//	{"error": "The search index is damaged; rebuild the site.", "code": "corrupt", "detail": "..."}
//
// Results have exactly the shape `quarry query --json` prints (a test
// compares them with encoding/json's output), without encoding/json in
// the browser (about 120 kB of brotli in quarry.wasm). They leave as
// text because building them as JavaScript objects value by value cost
// more than the search itself: 0.75 ms per seed search under Node,
// against one JSON.parse.
//
// No method of Bridge panics, and a failure never disables the bridge: a
// failed Open keeps the engine that was open before it, and a failed
// Search leaves the engine untouched.
package bridge

import (
	"errors"
	"sort"
	"sync"

	"github.com/quarry-search/quarry/internal/engine"
	"github.com/quarry-search/quarry/internal/errs"
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

// Open opens the index held in data — one whole file, or the head of an
// index served in parts — (the engine keeps data; the caller must not
// modify it afterwards) and returns {"docs", "language", "format",
// "facet_fields"}, or a failure. On failure the previously open index,
// if any, stays open.
func (b *Bridge) Open(data []byte) (out string) {
	defer recoverInto(&out)
	eng, err := engine.Open(data)
	if err != nil {
		return Failure(err)
	}
	b.mu.Lock()
	b.eng = eng
	b.mu.Unlock()
	h := eng.Head()
	w := &jsonWriter{}
	w.raw(`{"docs":`)
	w.num(float64(h.DocCount))
	w.raw(`,"language":`)
	w.str(h.Language)
	w.raw(`,"format":`)
	w.num(indexfile.Version)
	w.raw(`,"facet_fields":`)
	w.strs(h.FacetFields())
	w.raw(`}`)
	return w.String()
}

// Need returns the files a request needs that the engine lacks, in the
// order to fetch them, as {"need": [names]} (empty when it can answer),
// or a failure. See engine.Engine.Need for the protocol.
func (b *Bridge) Need(request any) (out string) {
	defer recoverInto(&out)
	eng, req, err := b.request(request)
	if err != nil {
		return Failure(err)
	}
	names, err := eng.Need(req)
	if err != nil {
		return Failure(errs.Wrap(errSearch.Error()+": "+err.Error(), errSearch, err))
	}
	return needJSON(names)
}

// needJSON writes the files to fetch as {"need": [names]}.
func needJSON(names []string) string {
	w := &jsonWriter{}
	w.raw(`{"need":`)
	w.strs(names)
	w.raw(`}`)
	return w.String()
}

// Rest returns, as {"need": [names]}, the files of a small index served
// in parts that the engine lacks, to fetch in the background once a
// first answer is shown (see engine.Engine.Rest): none for a large or
// whole index. Each is then given to Add as any other.
func (b *Bridge) Rest() (out string) {
	defer recoverInto(&out)
	eng := b.engine()
	if eng == nil {
		return Failure(ErrNotOpen)
	}
	return needJSON(eng.Rest())
}

// Search runs a request ({"q": "...", "limit": 10, "offset": 0,
// "complete": false, "no_excerpt": false, "no_facets": false, "filters":
// {type: [values]}, "filter_modes": {type: mode}}) with the files the
// engine has and returns the response, or a failure.
func (b *Bridge) Search(request any) (out string) {
	defer recoverInto(&out)
	eng, req, err := b.request(request)
	if err != nil {
		return Failure(err)
	}
	resp, err := eng.Search(req)
	if err != nil {
		return Failure(errs.Wrap(errSearch.Error()+": "+err.Error(), errSearch, err))
	}
	return ResponseJSON(resp)
}

// Add hands the engine the file called name (one Need listed), which it
// verifies against the index. It returns {"ok": true}, or a failure
// (code "text" for a damaged file: the answers it concerns then say so,
// and the engine stops asking for it).
func (b *Bridge) Add(name string, data []byte) (out string) {
	defer recoverInto(&out)
	eng := b.engine()
	if eng == nil {
		return Failure(ErrNotOpen)
	}
	if err := eng.Add(name, data); err != nil {
		return Failure(err)
	}
	return ok()
}

// Failed tells the engine that the file called name could not be fetched
// (reason, e.g. "HTTP 404", is shown with the answers it concerns). It
// returns {"ok": true} or a failure.
func (b *Bridge) Failed(name, reason string) (out string) {
	defer recoverInto(&out)
	eng := b.engine()
	if eng == nil {
		return Failure(ErrNotOpen)
	}
	if err := eng.Failed(name, reason); err != nil {
		return Failure(err)
	}
	return ok()
}

func ok() string { return `{"ok":true}` }

func (b *Bridge) engine() *engine.Engine {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.eng
}

// request decodes a request for the open engine (Need and Search).
func (b *Bridge) request(v any) (*engine.Engine, engine.Request, error) {
	req, err := DecodeRequest(v)
	if err != nil {
		return nil, req, err
	}
	eng := b.engine()
	if eng == nil {
		return nil, req, ErrNotOpen
	}
	return eng, req, nil
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
		return req, errs.Wrap(ErrRequest.Error()+": not an object", ErrRequest)
	}
	if x, ok := m["q"]; ok && x != nil {
		s, isStr := x.(string)
		if !isStr {
			return req, badField("q", "a string")
		}
		if len(s) > maxRequestString {
			return req, errs.Wrap(ErrRequest.Error()+": query of "+errs.I(len(s))+" bytes (at most "+errs.I(maxRequestString)+")", ErrRequest)
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
			return req, badField(f.name, "a whole number")
		}
		if n < 0 {
			return req, errs.Wrap(ErrRequest.Error()+": limit and offset must not be negative", ErrRequest)
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
			return req, badField(f.name, "true or false")
		}
		*f.dst = v
	}
	if m["filters"] != nil || m["filter_modes"] != nil {
		if err := decodeFilters(m, &req); err != nil {
			return req, err
		}
	}
	return req, nil
}

// badField is the error of a request field that is not what it must be.
func badField(field, want string) error {
	return errs.Wrap(ErrRequest.Error()+": "+errs.Q(field)+" must be "+want, ErrRequest)
}

// decodeFilters reads a request's filters and filter modes into req.
// Apart, so that DecodeRequest, called twice by every search, stays small:
// with them it was 8.8 kB of wasm, recompiled by V8's optimizing compiler
// during the first run of Cranfield's questions (see searcher's compile).
//
//go:noinline
func decodeFilters(m map[string]any, req *engine.Request) error {
	if x, ok := m["filters"]; ok && x != nil {
		fm, isMap := x.(map[string]any)
		if !isMap || len(fm) > maxFilterTypes {
			return badField("filters", "an object of at most 64 types")
		}
		req.Filters = make(map[string][]string, len(fm))
		for k, vs := range fm {
			list, isList := vs.([]any)
			if !isList && vs != nil {
				return badField("filters", "an object of string lists")
			}
			if len(list) > engine.MaxFilterValues {
				return errs.Wrap(engine.ErrLimit.Error()+": "+errs.I(len(list))+" filter values (at most "+errs.I(engine.MaxFilterValues)+")", engine.ErrLimit)
			}
			for _, v := range list {
				s, isStr := v.(string)
				if !isStr || len(s) > maxRequestString {
					return badField("filters", "an object of string lists")
				}
				req.Filters[k] = append(req.Filters[k], s)
			}
		}
	}
	if x, ok := m["filter_modes"]; ok && x != nil {
		fm, isMap := x.(map[string]any)
		if !isMap || len(fm) > maxFilterTypes {
			return badField("filter_modes", "an object of at most 64 types")
		}
		req.FilterModes = make(map[string]string, len(fm))
		for k, v := range fm {
			s, isStr := v.(string)
			if !isStr {
				return badField("filter_modes", "an object of strings")
			}
			req.FilterModes[k] = s
		}
	}
	return nil
}

// ResponseJSON returns resp as the JSON `quarry query --json` prints
// (the same keys, and the same ones left out when empty).
func ResponseJSON(r *engine.Response) string {
	w := &jsonWriter{}
	w.raw(`{"total":`)
	w.num(float64(r.Total))
	w.raw(`,"hits":[`)
	for i, h := range r.Hits {
		if i > 0 {
			w.raw(",")
		}
		w.raw(`{"id":`)
		w.str(h.ID)
		w.raw(`,"title":`)
		w.str(h.Title)
		w.raw(`,"url":`)
		w.str(h.URL)
		w.raw(`,"score":`)
		w.num(h.Score)
		w.raw(`,"excerpt":`)
		w.str(h.Excerpt)
		if h.ExcerptError != "" {
			w.raw(`,"excerpt_error":`)
			w.str(h.ExcerptError)
		}
		if len(h.Sections) > 0 {
			w.raw(`,"sections":[`)
			for j, s := range h.Sections {
				if j > 0 {
					w.raw(",")
				}
				w.raw(`{"heading":`)
				w.str(s.Heading)
				w.raw(`,"url":`)
				w.str(s.URL)
				w.raw(`,"excerpt":`)
				w.str(s.Excerpt)
				w.raw("}")
			}
			w.raw("]")
		}
		w.raw("}")
	}
	w.raw(`],"took_ms":`)
	w.num(r.TookMs)
	w.raw(`,"mode":`)
	w.str(r.Mode)
	if r.Notice != "" {
		w.raw(`,"notice":`)
		w.str(r.Notice)
	}
	if r.Corrected != "" {
		w.raw(`,"corrected":`)
		w.str(r.Corrected)
	}
	if len(r.Facets) > 0 {
		w.raw(`,"facets":{`)
		names := make([]string, 0, len(r.Facets))
		for k := range r.Facets {
			names = append(names, k)
		}
		sort.Strings(names)
		for i, k := range names {
			if i > 0 {
				w.raw(",")
			}
			w.str(k)
			w.raw(":[")
			for j, v := range r.Facets[k] {
				if j > 0 {
					w.raw(",")
				}
				w.raw(`{"value":`)
				w.str(v.Value)
				w.raw(`,"count":`)
				w.num(float64(v.Count))
				w.raw("}")
			}
			w.raw("]")
		}
		w.raw("}")
	}
	w.raw("}")
	return w.String()
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
		return CodeText, "Part of the search index is damaged; rebuild the site."
	case errors.Is(err, engine.ErrUnknownFile):
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

// Failure returns err as a failure, in JSON.
func Failure(err error) string {
	code, sentence := Describe(err)
	w := &jsonWriter{}
	w.raw(`{"error":`)
	w.str(sentence)
	w.raw(`,"code":`)
	w.str(code)
	w.raw(`,"detail":`)
	w.str(err.Error())
	w.raw("}")
	return w.String()
}

var errPanic = errors.New("panic")

// PanicJSON returns a recovered panic value as a failure (code
// internal), with the panic and its stack as the detail.
func PanicJSON(r any) string {
	return Failure(errs.Wrap(errPanic.Error()+": "+errs.Value(r)+"\n"+errs.Stack(), errPanic))
}

// recoverInto turns a panic in the calling function into a failure stored
// in *out. It must be called directly by defer.
func recoverInto(out *string) {
	if r := recover(); r != nil {
		*out = PanicJSON(r)
	}
}
