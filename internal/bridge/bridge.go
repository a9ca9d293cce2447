// Package bridge is the host-testable half of Quarry's WebAssembly engine.
// The wasm program (package wasm) only moves bytes and strings between
// JavaScript and a Bridge; everything else happens here: decoding the JSON
// requests the browser sends, running them on a search.Engine, encoding
// results, and turning every failure — a bad index, a malformed request,
// even a panic — into a small JSON object with one sentence a person can
// read:
//
//	{"error": "The search index is damaged; rebuild the site.", "code": "corrupt", "detail": "..."}
//
// No method of Bridge panics, and a failure never disables the bridge: a
// failed Open keeps the engine that was open before it, and a failed
// Search leaves the engine untouched.
package bridge

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/quarry-search/quarry/internal/indexfile"
	"github.com/quarry-search/quarry/internal/search"
)

// Error codes returned in Failure.Code. JavaScript may branch on them; the
// sentence in Failure.Error is what a person sees.
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

// Failure is the JSON object returned instead of a result when something
// goes wrong.
type Failure struct {
	// Error is one plain sentence for the person using the page.
	Error string `json:"error"`
	// Code classifies the failure (one of the Code constants).
	Code string `json:"code"`
	// Detail is the technical message, for the console.
	Detail string `json:"detail,omitempty"`
}

// OpenInfo is what a successful Open returns.
type OpenInfo struct {
	// Docs is the number of documents in the index.
	Docs int `json:"docs"`
	// Language is the analyzer language the index was built with.
	Language string `json:"language"`
	// Format is the index file format version.
	Format int `json:"format"`
	// FacetFields lists the types a search can filter on and count
	// (e.g. person, org, tags), so that a page can check filters it reads
	// from a URL before sending them.
	FacetFields []string `json:"facet_fields"`
}

// Bridge holds the open engine. It is safe for concurrent use, although the
// browser calls it from one thread.
type Bridge struct {
	mu  sync.RWMutex
	eng *search.Engine
}

// New returns a Bridge with no index open.
func New() *Bridge { return &Bridge{} }

// Open opens the index file held in data (which the engine keeps; the
// caller must not modify it afterwards) and returns OpenInfo as JSON, or a
// Failure. On failure the previously open index, if any, stays open.
func (b *Bridge) Open(data []byte) (out string) {
	defer recoverInto(&out)
	eng, err := search.Open(data)
	if err != nil {
		return FailureJSON(err)
	}
	b.mu.Lock()
	b.eng = eng
	b.mu.Unlock()
	m := eng.Meta()
	fields := m.FacetFields
	if fields == nil {
		fields = []string{}
	}
	return encode(OpenInfo{Docs: m.DocCount, Language: m.Language, Format: indexfile.Version, FacetFields: fields})
}

// Search runs the request encoded in reqJSON (search.Request's JSON form:
// {"q": "...", "limit": 10, "offset": 0, "complete": false, "no_excerpt":
// false}) and returns the search.Response as JSON, or a Failure.
func (b *Bridge) Search(reqJSON string) (out string) {
	defer recoverInto(&out)
	req, err := DecodeRequest(reqJSON)
	if err != nil {
		return FailureJSON(err)
	}
	b.mu.RLock()
	eng := b.eng
	b.mu.RUnlock()
	if eng == nil {
		return FailureJSON(ErrNotOpen)
	}
	resp, err := eng.Search(context.Background(), req)
	if err != nil {
		return FailureJSON(fmt.Errorf("%w: %w", errSearch, err))
	}
	return encode(resp)
}

// AddText hands the engine the text file called name (one of the names a
// search response listed in "missing"), which the engine verifies against
// the index. The positions segment's file, listed the same way, makes the
// bridge switch to an engine over it. It returns {"ok":true}, or a Failure (code "text" for a
// damaged file: the results it concerns then show why their excerpt is
// missing, and searches stop asking for it).
func (b *Bridge) AddText(name string, data []byte) (out string) {
	defer recoverInto(&out)
	eng := b.engine()
	if eng == nil {
		return FailureJSON(ErrNotOpen)
	}
	if eng.IsPositionsFile(name) {
		full, err := eng.WithPositions(data)
		if err != nil {
			return FailureJSON(err)
		}
		b.mu.Lock()
		if b.eng == eng { // not replaced by an Open meanwhile
			b.eng = full
		}
		b.mu.Unlock()
		return `{"ok":true}`
	}
	if err := eng.AddText(name, data); err != nil {
		return FailureJSON(err)
	}
	return `{"ok":true}`
}

// TextFailed tells the engine that the text file called name could not
// be fetched (reason, e.g. "HTTP 404", is shown with the results it
// concerns). It returns {"ok":true} or a Failure.
func (b *Bridge) TextFailed(name, reason string) (out string) {
	defer recoverInto(&out)
	eng := b.engine()
	if eng == nil {
		return FailureJSON(ErrNotOpen)
	}
	if eng.IsPositionsFile(name) {
		eng.PositionsFailed(reason)
		return `{"ok":true}`
	}
	if err := eng.TextFailed(name, reason); err != nil {
		return FailureJSON(err)
	}
	return `{"ok":true}`
}

func (b *Bridge) engine() *search.Engine {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.eng
}

// ErrNotOpen is returned by Search before any index was opened.
var ErrNotOpen = errors.New("no index is open")

// ErrRequest wraps every request decoding error.
var ErrRequest = errors.New("malformed search request")

var errSearch = errors.New("search failed")

// maxRequestBytes bounds the JSON a request may take; the engine cuts the
// query itself to search.MaxQueryBytes.
const maxRequestBytes = 64 << 10

// DecodeRequest parses a request's JSON. Unknown fields are ignored so
// that newer pages can talk to older engines; a missing "q" is an empty
// query, which the engine answers with no hits.
func DecodeRequest(s string) (search.Request, error) {
	var req search.Request
	if len(s) > maxRequestBytes {
		return req, fmt.Errorf("%w: %d bytes (at most %d)", ErrRequest, len(s), maxRequestBytes)
	}
	dec := json.NewDecoder(strings.NewReader(s))
	if err := dec.Decode(&req); err != nil {
		return search.Request{}, fmt.Errorf("%w: %v", ErrRequest, err)
	}
	if dec.More() {
		return search.Request{}, fmt.Errorf("%w: trailing data after the JSON object", ErrRequest)
	}
	if req.Limit < 0 || req.Offset < 0 {
		return search.Request{}, fmt.Errorf("%w: limit and offset must not be negative", ErrRequest)
	}
	return req, nil
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
	case errors.Is(err, search.ErrUnknownText):
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

// FailureJSON encodes err as a Failure.
func FailureJSON(err error) string {
	code, sentence := Describe(err)
	return encode(Failure{Error: sentence, Code: code, Detail: err.Error()})
}

var errPanic = errors.New("panic")

// PanicJSON encodes a recovered panic value as a Failure (code internal),
// with the panic and its stack as the detail.
func PanicJSON(r any) string {
	return FailureJSON(fmt.Errorf("%w: %v\n%s", errPanic, r, debug.Stack()))
}

// recoverInto turns a panic in the calling function into a Failure stored
// in *out. It must be called directly by defer.
func recoverInto(out *string) {
	if r := recover(); r != nil {
		*out = PanicJSON(r)
	}
}

// encode marshals v without escaping <, > and & (excerpts carry <mark>).
// Marshalling the package's own types cannot fail; if it somehow does the
// result is still a valid Failure object.
func encode(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return `{"error":"Search failed because of an internal error; try again.","code":"internal"}`
	}
	return strings.TrimSuffix(buf.String(), "\n")
}
