package engine

import (
	"errors"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/quarry-search/quarry/internal/errs"
)

// Plan, fetch, search. An index served in parts gives the engine its
// head first; the engine then asks for the files a request needs:
//
//	names := e.Need(req)   // the parts holding its terms (after prefix and
//	for len(names) > 0 {   // typo expansion over the head's dictionary),
//		fetch all names, then e.Add(name, bytes) or e.Failed(name, why)
//		names = e.Need(req) // then the text files of the results shown
//	}
//	resp := e.Search(req)  // the answer Need computed, not a second search
//
// Need runs the search with what the engine has: while a part is missing
// it lists the parts (and positions parts) the query touched; once it has
// them, the text files of the hits shown (and of the top results read
// for feedback, which may call for more parts). The last Need, which
// finds nothing missing, keeps its answer for Search. Parts are chosen
// by indexed (stemmed) terms, so a word's part is known before any is
// fetched.
//
// A file that could not be fetched (Failed) or was refused (Add) is not
// asked for again by the same request: Search answers with what it has
// and says so (Response.Notice for parts, Hit.ExcerptError for text).
// A file that could not be fetched is asked for again by the next
// different request; one that was damaged is not.

// ErrUnknownFile is returned by Add and Failed for a name the index does
// not list.
var ErrUnknownFile = errors.New("not a file of this index")

// answers keeps the last complete answer and the request the engine
// last saw.
type answers struct {
	mu    sync.Mutex
	key   string // of the request last given to Need
	resp  *Response
	epoch uint64 // store epoch when resp was computed
	rkey  string // resp's request
}

// requestKey identifies a request for reusing its answer: its fields in
// order, each string preceded by its length (so no two requests share a
// key), filter types and their values sorted. It was made with
// strconv.Quote, which escapes the query rune by rune: on a first run of
// Cranfield's questions in Chromium, that and requestKey itself (10 kB of
// wasm) were among the functions V8 recompiled with its optimizing
// compiler (0.2 s of compiler CPU beside the engine on 2 cores).
func requestKey(req Request) string {
	b := make([]byte, 0, len(req.Query)+32)
	b = appendLen(b, req.Query)
	b = strconv.AppendInt(b, int64(req.Limit), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(req.Offset), 10)
	b = append(b, ' ')
	for _, f := range []bool{req.Complete, req.NoExcerpt, req.NoFacets} {
		c := byte('0')
		if f {
			c = '1'
		}
		b = append(b, c)
	}
	if len(req.Filters)+len(req.FilterModes) > 0 {
		b = appendFilters(b, req.Filters, req.FilterModes)
	}
	return string(b)
}

// appendLen appends s preceded by its length and a colon.
func appendLen(b []byte, s string) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	return append(b, s...)
}

// appendFilters appends a request's filters to its key: each type (in
// order) with its mode and its values (in order).
//
//go:noinline
func appendFilters(b []byte, filters map[string][]string, modes map[string]string) []byte {
	types := make([]string, 0, len(filters)+len(modes))
	for t := range filters {
		types = append(types, t)
	}
	for t := range modes {
		types = append(types, t)
	}
	sort.Strings(types)
	types = slices.Compact(types)
	for _, t := range types {
		vals := slices.Clone(filters[t])
		sort.Strings(vals)
		b = append(b, ' ')
		b = appendLen(b, t)
		b = appendLen(b, modes[t])
		b = strconv.AppendInt(b, int64(len(vals)), 10)
		for _, v := range vals {
			b = appendLen(b, v)
		}
	}
	return b
}

// Need returns the names of the files req needs that the engine does not
// have (none when it can answer), in the order to fetch them: parts
// first. An error is the search's own (Search returns it too).
func (e *Engine) Need(req Request) ([]string, error) {
	key := requestKey(req)
	e.ans.mu.Lock()
	if key != e.ans.key {
		e.ans.key = key
		e.s.retry()
	}
	e.ans.mu.Unlock()
	m := &misses{}
	epoch := e.s.currentEpoch()
	resp, err := e.run(req, m)
	if err != nil {
		return nil, err
	}
	if len(m.need) == 0 {
		e.keep(key, resp, epoch, m)
		return nil, nil
	}
	var ids []fileID
	index := false
	for id := range m.need {
		index = index || id.kind != kindText
		ids = append(ids, id)
	}
	if index {
		// The hits are not final while a part is missing: their text
		// files wait for the next round.
		ids = slices.DeleteFunc(ids, func(id fileID) bool { return id.kind == kindText })
	}
	slices.SortFunc(ids, func(a, b fileID) int {
		if a.kind != b.kind {
			return int(a.kind) - int(b.kind)
		}
		return a.i - b.i
	})
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = e.s.name(id)
	}
	return names, nil
}

// keep remembers a complete answer for Search, with the notice its
// failed files call for.
func (e *Engine) keep(key string, resp *Response, epoch uint64, m *misses) {
	e.notice(resp, m)
	e.ans.mu.Lock()
	e.ans.resp, e.ans.rkey, e.ans.epoch = resp, key, epoch
	e.ans.mu.Unlock()
}

// Search answers req with the files the engine has: the answer the last
// Need computed for it when no file arrived since, else a new search. A
// part it lacks leaves its terms unmatched and is named in
// Response.Notice; a text file it lacks leaves its results without
// title and excerpt, with Hit.ExcerptError saying why. Search never
// panics. The response must not be modified.
func (e *Engine) Search(req Request) (*Response, error) {
	key := requestKey(req)
	epoch := e.s.currentEpoch()
	e.ans.mu.Lock()
	resp := e.ans.resp
	if resp != nil && e.ans.rkey == key && e.ans.epoch == epoch {
		e.ans.mu.Unlock()
		return resp, nil
	}
	e.ans.mu.Unlock()
	m := &misses{}
	resp, err := e.run(req, m)
	if err != nil {
		return nil, err
	}
	e.notice(resp, m)
	return resp, nil
}

// Notices for files of the index a search lacked.
func noticePart(what string) string {
	return "part of the search index could not be loaded (" + what + "), so some results may be missing"
}

func noticePositions(what string) string { return "phrase search is unavailable (" + what + ")" }

func noticeNotLoaded(what string) string {
	return "part of the search index was not loaded yet (" + what + "), so some results may be missing"
}

// notice adds to resp what the files it lacked mean for it (text files
// are reported on their hits).
func (e *Engine) notice(resp *Response, m *misses) {
	if len(m.failed) > 0 || len(m.need) > 0 {
		e.noticeMissing(resp, m)
	}
}

// noticeMissing is notice when files were missing: apart, so that notice,
// called by every search, stays small (the whole of it, 5.9 kB of wasm,
// was recompiled by V8's optimizing compiler during the first run of
// Cranfield's questions; see searcher's compile).
//
//go:noinline
func (e *Engine) noticeMissing(resp *Response, m *misses) {
	var parts, positions, notLoaded []string
	for id, err := range m.failed {
		switch id.kind {
		case kindPart:
			parts = append(parts, err.Error())
		case kindPositions:
			positions = append(positions, err.Error())
		}
	}
	for id := range m.need {
		if id.kind != kindText {
			notLoaded = append(notLoaded, e.s.name(id))
		}
	}
	var notes []string
	for _, n := range []struct {
		format func(string) string
		what   []string
	}{{noticePart, parts}, {noticePositions, positions}, {noticeNotLoaded, notLoaded}} {
		if len(n.what) > 0 {
			sort.Strings(n.what)
			notes = append(notes, n.format(strings.Join(n.what, "; ")))
		}
	}
	if len(notes) > 0 {
		resp.Notice = joinNotices(append([]string{resp.Notice}, notes...)...)
	}
}

// Add verifies the file called name (one Need asked for: its size,
// checksum and header against the head) and makes it available. A file
// that fails verification is refused with an error wrapping
// indexfile.ErrText and remembered as damaged: searches then answer
// without it and say why, instead of asking for it again.
func (e *Engine) Add(name string, data []byte) error {
	id, ok := e.s.byName[name]
	if !ok && name != "" && name == e.s.rest {
		return e.s.addRest(data)
	}
	if !ok {
		return errs.Wrap(errs.Q(name)+": "+ErrUnknownFile.Error(), ErrUnknownFile)
	}
	return e.s.add(id, data)
}

// Failed records that the file called name could not be fetched (reason,
// e.g. "HTTP 404", is shown with the answers it concerns). The next
// different request asks for it again.
func (e *Engine) Failed(name, reason string) error {
	id, ok := e.s.byName[name]
	if !ok && name != "" && name == e.s.rest {
		return nil // its files are asked for one by one, as before
	}
	if !ok {
		return errs.Wrap(errs.Q(name)+": "+ErrUnknownFile.Error(), ErrUnknownFile)
	}
	e.s.fail(id, errors.New(name+": "+reason))
	return nil
}

// IsIndexFile reports whether name is a file the head lists.
func (e *Engine) IsIndexFile(name string) bool {
	_, ok := e.s.byName[name]
	return ok
}

func (s *store) currentEpoch() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.epoch
}

func (s *store) add(id fileID, data []byte) error {
	var err error
	if id.kind == kindPositions {
		// Checked now, decoded once its part is there (see ready).
		err = s.head.PosParts[id.i].Check(data)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.epoch++
	sl := &s.files[id.kind][id.i]
	if sl.loaded() {
		return nil
	}
	if err == nil {
		if id.kind == kindPositions {
			sl.raw = data
		} else {
			var fresh slot
			if err = s.decode(id, &fresh, data, true); err == nil {
				*sl = fresh
				return nil
			}
		}
	}
	if err != nil {
		sl.err, sl.failed = err, nil
		return err
	}
	sl.err, sl.failed = nil, nil
	return nil
}

func (s *store) fail(id fileID, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.epoch++
	if sl := &s.files[id.kind][id.i]; !sl.loaded() && sl.raw == nil {
		sl.failed = err
	}
}

// retry forgets the files that could not be fetched, for a new request.
func (s *store) retry() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.files {
		for i := range s.files[k] {
			if s.files[k][i].failed != nil {
				s.files[k][i].failed = nil
				s.epoch++
			}
		}
	}
}

// Loader reads the file of the index called name.
type Loader func(name string) ([]byte, error)

// maxLoadRounds bounds the rounds of SearchLoading: parts; text files
// (for feedback: the top results'); the parts of the feedback terms;
// the text files of the results then shown.
const maxLoadRounds = 6

// SearchLoading runs req, loading with load every file Need asks for, as
// the browser's worker does: for callers that read files synchronously
// (the CLI, tests). A file that cannot be loaded or is damaged is
// reported in the answer (see Search), not as an error of the search.
func (e *Engine) SearchLoading(req Request, load Loader) (*Response, error) {
	for round := 0; round < maxLoadRounds; round++ {
		names, err := e.Need(req)
		if err != nil {
			return nil, err
		}
		if len(names) == 0 {
			break
		}
		for _, name := range names {
			data, err := load(name)
			if err != nil {
				e.Failed(name, err.Error())
				continue
			}
			e.Add(name, data) // a damaged file is remembered as such
		}
	}
	return e.Search(req)
}

// Loaded reports how many of the index's parts, positions parts and text
// files the engine holds (for tests and the CLI's statistics).
func (e *Engine) Loaded() (parts, positions, texts int) {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	count := func(k fileKind) int {
		n := 0
		for i := range s.files[k] {
			if sl := &s.files[k][i]; sl.loaded() || sl.raw != nil && sl.err == nil {
				n++
			}
		}
		return n
	}
	return count(kindPart), count(kindPositions), count(kindText)
}

// Rest returns the files to fetch ahead, in the background, once a
// first answer is shown: the index's rest bundle (indexfile.Head.Rest:
// its parts and text files in one file, for a small index served in
// parts) while the engine lacks any of them and has not refused the
// bundle; none otherwise. Add takes the bundle as any other file.
func (e *Engine) Rest() []string {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rest == "" || s.restErr != nil || !s.lacks(kindPart) && !s.lacks(kindText) {
		return nil
	}
	return []string{s.rest}
}

// lacks reports whether a file of kind k is missing (s.mu held).
func (s *store) lacks(k fileKind) bool {
	for i := range s.files[k] {
		if s.files[k][i].missing() {
			return true
		}
	}
	return false
}

// addRest takes the rest bundle: each file the engine lacks is kept as
// it came, checked against the head when first read (so that taking it
// costs no decoding between a person's queries).
func (s *store) addRest(data []byte) error {
	parts, texts, err := s.head.SplitRest(data)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.epoch++
	if err != nil {
		s.restErr = err
		return err
	}
	s.keepUnchecked(kindPart, parts)
	s.keepUnchecked(kindText, texts)
	return nil
}

// keepUnchecked keeps data[i] as file i of kind k where the engine
// lacks it (s.mu held).
func (s *store) keepUnchecked(k fileKind, data [][]byte) {
	for i, b := range data {
		if sl := &s.files[k][i]; sl.missing() {
			sl.raw, sl.unchecked, sl.failed = b, true, nil
		}
	}
}
