// Package engine is Quarry's search engine, natively (CLI, tests) and in
// the browser as WebAssembly: it opens an index file, plans what a
// person typed (package plan), runs the plan over the index's postings
// (package searcher; a question with feedback, feedback.go, and reranked,
// rerank.go), filters and counts facets (package facet), and
// builds results with excerpts from the documents' text files (package
// excerpt), fetched on demand.
package engine

import (
	"errors"
	"strings"
	"sync"

	"github.com/quarry-search/quarry/internal/analysis"
	"github.com/quarry-search/quarry/internal/errs"
	"github.com/quarry-search/quarry/internal/excerpt"
	"github.com/quarry-search/quarry/internal/facet"
	"github.com/quarry-search/quarry/internal/fuzzy"
	"github.com/quarry-search/quarry/internal/index"
	"github.com/quarry-search/quarry/internal/indexfile"
	"github.com/quarry-search/quarry/internal/plan"
	"github.com/quarry-search/quarry/internal/query"
	"github.com/quarry-search/quarry/internal/searcher"
)

// Field names of the index.
const (
	FieldTitle = "title"
	FieldBody  = "body"
	FieldURL   = "url"
)

// Default field weights, when the index names none.
const (
	DefaultTitleBoost = 2.0
	DefaultBodyBoost  = 1.0
)

// Paging limits.
const (
	// MaxLimit is the most hits one request returns.
	MaxLimit = 100
	// DefaultLimit is the number of hits when a request names none.
	DefaultLimit = 10
)

// Request is one search.
type Request struct {
	// Query is the text typed by the user.
	Query string `json:"q"`
	// Limit is the number of hits to return (default 10, at most 100).
	Limit int `json:"limit,omitempty"`
	// Offset skips that many hits (paging).
	Offset int `json:"offset,omitempty"`
	// Complete marks Query as finished (e.g. Enter pressed, or the CLI):
	// the last word is then not also treated as a prefix.
	Complete bool `json:"complete,omitempty"`
	// NoExcerpt skips excerpts, for callers that only need ids.
	NoExcerpt bool `json:"no_excerpt,omitempty"`
	// Filters selects facet values per type, e.g. {"org": ["Tencent"]}:
	// values of one type combine with OR (see FilterModes), types with
	// AND. Filters work without query text (browsing by entity).
	Filters map[string][]string `json:"filters,omitempty"`
	// FilterModes sets, per type, "any" (default), "all" or "none".
	FilterModes map[string]string `json:"filter_modes,omitempty"`
	// NoFacets skips facet counts.
	NoFacets bool `json:"no_facets,omitempty"`
}

// Hit is one result.
type Hit struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// URL links to the page (its top: the sections that matched have
	// links of their own).
	URL   string  `json:"url"`
	Score float64 `json:"score"`
	// Excerpt is HTML (text escaped, matches in <mark>): the best
	// fragment of the text before the page's first section when
	// Sections lists some, else of the whole body; so that it shows
	// what the hit's link leads to.
	Excerpt string `json:"excerpt"`
	// ExcerptError says why the excerpt is missing when the document's
	// text file could not be loaded or was damaged.
	ExcerptError string `json:"excerpt_error,omitempty"`
	// Sections are the page's headed sections whose text (or heading)
	// matched, at most excerpt.MaxSections, best first: most distinct
	// query terms, then most matches, then page order (see
	// excerpt.Choose). Matches only in the title or before the first
	// heading list none. Without excerpts (Request.NoExcerpt), none.
	Sections []SectionHit `json:"sections,omitempty"`
}

// SectionHit is a section listed under a hit.
type SectionHit struct {
	// Heading is the section's heading, as text.
	Heading string `json:"heading"`
	// URL is the page's URL with the heading's anchor ("page#anchor").
	URL string `json:"url"`
	// Excerpt is HTML, as Hit.Excerpt, from the section's text (its
	// heading excluded).
	Excerpt string `json:"excerpt"`
}

// FacetValue is one value of a facet type with its count.
type FacetValue = facet.Value

// Response is the result of a search.
type Response struct {
	Total uint64 `json:"total"`
	Hits  []Hit  `json:"hits"`
	// TookMs is the time spent searching, in milliseconds.
	TookMs float64 `json:"took_ms"`
	// Mode says how the query was read: "plain", "syntax", "fuzzy",
	// "browse" or "empty".
	Mode string `json:"mode"`
	// Notice explains a fallback, e.g. a query-string syntax error, or a
	// file of the index that could not be loaded.
	Notice string `json:"notice,omitempty"`
	// Corrected is the query as searched when words were corrected for
	// typos (mode "fuzzy"), for "showing results for …": the text typed
	// with each corrected word replaced by the word found in the hits
	// shown (see corrected.go). Empty when nothing was corrected, when
	// there are no hits or no excerpts, or when a correction could not
	// be written as a word.
	Corrected string `json:"corrected,omitempty"`
	// Facets holds, per facet type, the values found in the matching
	// documents with disjunctive counts (see Request.Filters).
	Facets map[string][]FacetValue `json:"facets,omitempty"`
}

// Engine answers queries over one index. It is safe for concurrent use.
type Engine struct {
	s        *store
	head     *indexfile.Head
	stats    searcher.Stats
	cfg      plan.Config // Index is set per search
	analyzer *analysis.Analyzer
	isStop   func(string) bool // the language's stop words: feedback counts no others
	boosts   struct{ title, body float64 }
	facets   *facet.Table

	tfMu      sync.Mutex
	tfCache   map[uint32]map[string]int
	vecCache  map[uint32][]wterm // see docVector
	vecCached int                // words in vecCache

	// Kept from one search to the next (see searcher.Scores, scratch).
	scores  spare[searcher.Scores]
	scratch spare[scratch]

	ans answers // see load.go
}

// spare keeps one value from a search for the next to reuse. Searches
// running at once take it in turn: take gives it to one (a new zero
// value to the others), keep stores the last one given back.
type spare[T any] struct {
	mu sync.Mutex
	v  *T
}

// take returns the value kept, or a new zero one, and keeps nothing.
func (s *spare[T]) take() *T {
	s.mu.Lock()
	v := s.v
	s.v = nil
	s.mu.Unlock()
	if v == nil {
		v = new(T)
	}
	return v
}

// keep stores v for the next take.
func (s *spare[T]) keep(v *T) {
	s.mu.Lock()
	s.v = v
	s.mu.Unlock()
}

// Open checks and opens an index file held in data (not copied): a head
// with its files inline (one self-contained file) or without them, which
// the engine then asks for (see Need).
func Open(data []byte) (*Engine, error) {
	h, err := indexfile.Decode(data)
	if err != nil {
		return nil, err
	}
	lang, err := analysis.LookupLanguage(h.Language)
	if err != nil {
		return nil, errs.Wrap("index language: "+err.Error(), err)
	}
	s, err := newStore(h)
	if err != nil {
		return nil, err
	}
	e := &Engine{s: s, head: h, analyzer: analysis.New(lang), isStop: lang.IsStopWord,
		stats: searcher.Stats{Docs: h.DocCount, Tokens: h.FieldTokens()}}
	e.boosts.title, e.boosts.body = h.TitleBoost, h.BodyBoost
	if e.boosts.title == 0 {
		e.boosts.title = DefaultTitleBoost
	}
	if e.boosts.body == 0 {
		e.boosts.body = DefaultBodyBoost
	}
	// Facets live in the head: loading them touches no other file.
	if e.facets, err = facet.Load(view{s, &misses{}}, h.FacetFields()); err != nil {
		return nil, errs.Wrap(indexfile.ErrCorrupt.Error()+": "+err.Error(), indexfile.ErrCorrupt)
	}
	e.cfg = plan.Config{
		Analyze: func(text string) []plan.Token {
			ts := e.analyzer.Analyze(text)
			out := make([]plan.Token, len(ts))
			for i, t := range ts {
				out[i] = plan.Token{Term: t.Term, Start: t.Start, End: t.End}
			}
			return out
		},
		IsStopWord:    lang.IsQueryStopWord,
		Fuzzy:         fuzzyAutomaton,
		TitleBoost:    e.boosts.title,
		BodyBoost:     e.boosts.body,
		TextFields:    []string{FieldTitle, FieldBody, FieldURL},
		KeywordFields: h.FacetFields(),
		Ranking:       plan.DefaultRanking,
	}
	return e, nil
}

// fuzzyAutomaton builds the planner's typo automaton.
func fuzzyAutomaton(term string, d int) (index.Automaton, error) {
	a, err := fuzzy.New(term, d)
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Head returns the index's head (read only).
func (e *Engine) Head() *indexfile.Head { return e.head }

// planConfig returns the planner's configuration reading through r.
func (e *Engine) planConfig(r index.Reader) *plan.Config {
	c := e.cfg
	c.Index = r
	return &c
}

// Plan returns how text would be searched (with the files the engine
// has).
func (e *Engine) Plan(text string, complete bool) (plan.Plan, error) {
	return plan.New(e.planConfig(view{e.s, &misses{}}), text, complete)
}

// errPrepare marks a query that could not be prepared as written (an
// expansion too broad, a field without statistics): Search then
// searches its words.
var errPrepare = errors.New("prepare search")

// search runs req (Search applies the limits first, see limits.go) with
// the files the engine has, noting in m those it lacked. A panic is
// recovered and returned as an error so one bad query never takes the
// engine down.
func (e *Engine) search(req Request, m *misses) (resp *Response, err error) {
	defer func() {
		if r := recover(); r != nil {
			resp, err = nil, errors.New("internal error while searching: "+errs.Value(r)+"\n"+errs.Stack())
		}
	}()
	start := now()
	v := view{e.s, m}
	limit := req.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	offset := max(req.Offset, 0)
	filters, err := e.facets.Compile(req.Filters, req.FilterModes)
	if err != nil {
		return nil, err
	}
	pl, err := plan.New(e.planConfig(v), req.Query, req.Complete)
	if err != nil {
		if errors.Is(err, plan.ErrTooBroad) {
			return nil, errs.Wrap(errPrepare.Error()+": "+err.Error(), errPrepare, err)
		}
		return nil, err
	}
	resp = &Response{Hits: []Hit{}, Mode: pl.Mode, Notice: pl.Notice}
	if pl.Dropped > 0 {
		resp.Notice = joinNotices(resp.Notice, noticeTerms(pl.Dropped+MaxTerms, MaxTerms))
	}
	wantFacets := !req.NoFacets && len(e.head.Facets) > 0
	if pl.Query == nil && filters.Active() {
		pl.Query, resp.Mode = &query.All{}, "browse"
	}
	if pl.Query == nil {
		if wantFacets {
			all := e.facets.NewMatches()
			all.Invert()
			resp.Facets = e.facets.Counts(all, nil)
		}
	} else {
		q, fb := e.withFeedback(pl, v)
		// Plain queries are searched without positions (cheaper); the
		// shown hits are then located term by term for excerpts.
		vectors := !req.NoExcerpt && pl.Mode == "syntax" && pl.Highlight == nil
		opts := searcher.Options{Size: limit, From: offset, Vectors: vectors}
		if fb != nil {
			// A question with feedback is reranked: its page is cut
			// from the reranked first results.
			opts.Size, opts.From = max(rerankDepth, offset+limit), 0
		}
		var matched *facet.Bits
		if wantFacets || filters.Active() {
			matched = e.facets.NewMatches()
			opts.Seen = func(d uint32, _ float64) { matched.Set(uint(d)) }
			opts.Keep = filters.Keep
		}
		opts.Scores = e.scores.take()
		hits, total, err := searcher.Run(q, v, e.stats, opts)
		e.scores.keep(opts.Scores)
		e.release(fb)
		if err != nil {
			if errors.Is(err, searcher.ErrPrepare) {
				return nil, errs.Wrap(errPrepare.Error()+": "+err.Error(), errPrepare, err)
			}
			return nil, errs.Wrap("search: "+err.Error(), err)
		}
		if wantFacets {
			resp.Facets = e.facets.Counts(matched, filters)
		}
		resp.Total = uint64(total)
		if fb != nil {
			hits = e.rerank(hits, v)
			hits = hits[min(offset, len(hits)):min(offset+limit, len(hits))]
		}
		for _, h := range hits {
			terms := pl.Highlight
			if vectors {
				terms = h.Terms
			}
			resp.Hits = append(resp.Hits, e.hit(h, !req.NoExcerpt, terms, v))
		}
		if len(pl.Fixes) > 0 && !req.NoExcerpt {
			resp.Corrected = e.corrected(pl, hits, v)
		}
	}
	resp.TookMs = since(start)
	return resp, nil
}

// doc returns document num's record from its text file, noting the file
// in v when it is missing.
func (e *Engine) doc(num uint32, v view) (*indexfile.Doc, error) {
	i := e.head.TextOf(int(num))
	if i < 0 {
		return nil, errs.Wrap(indexfile.ErrCorrupt.Error()+": document "+errs.I(num)+" has no text file", indexfile.ErrCorrupt)
	}
	id := fileID{kindText, i}
	sl, err := v.s.get(id)
	if err != nil {
		v.m.note(id, err)
		if errors.Is(err, errNotLoaded) {
			return nil, errTextMissing
		}
		return nil, err
	}
	return &sl.docs[int(num)-e.head.Texts[i].First], nil
}

// errTextMissing is returned for a document whose text file is not there.
var errTextMissing = errors.New("document text not loaded")

// hit turns a collected document into a result, from the document's
// record in its text file (noted in v when missing): with excerpt, the
// terms found in its body choose the sections listed and are marked in
// the excerpts.
func (e *Engine) hit(h searcher.Hit, withExcerpt bool, terms []string, v view) Hit {
	out := Hit{Score: h.Score}
	d, err := e.doc(h.Doc, v)
	if err != nil {
		out.ExcerptError = "This result could not be loaded: " + e.docError(h.Doc, err)
		return out
	}
	out.ID, out.Title, out.URL = d.ID, d.Title, d.URL
	if !withExcerpt {
		return out
	}
	secs := make([]excerpt.Section, len(d.Sections))
	for i, s := range d.Sections {
		secs[i] = excerpt.Section{Start: s.Start, Heading: s.Heading}
	}
	res := excerpt.Build(d.Body, e.excerptTokens(d.Body, terms), terms, secs)
	out.Excerpt = res.Excerpt
	if len(res.Sections) > 0 {
		base, _, _ := strings.Cut(d.URL, "#")
		out.Sections = make([]SectionHit, len(res.Sections))
		for i, s := range res.Sections {
			sec := d.Sections[s.Section]
			out.Sections[i] = SectionHit{Heading: sec.Heading, URL: base + "#" + sec.Anchor, Excerpt: s.Excerpt}
		}
	}
	return out
}

// docError says why document num's record is missing.
func (e *Engine) docError(num uint32, err error) string {
	if errors.Is(err, errTextMissing) {
		return e.head.Texts[e.head.TextOf(int(num))].Name + " was not loaded"
	}
	return err.Error()
}

// excerptTokens returns the words of body whose terms are among terms
// (only those matter to the excerpt; the rest are not stemmed).
func (e *Engine) excerptTokens(body string, terms []string) []excerpt.Token {
	if len(terms) > excerpt.MaxLocated {
		terms = terms[:excerpt.MaxLocated]
	}
	ts := e.analyzer.Find(body, terms)
	out := make([]excerpt.Token, len(ts))
	for i, t := range ts {
		out[i] = excerpt.Token{Term: t.Term, Start: t.Start, End: t.End, Position: t.Position}
	}
	return out
}
