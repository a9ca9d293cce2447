// Package search is the search engine Quarry shipped before its lean core
// (internal/engine), kept as a test oracle: it builds a zap segment from
// documents with bleve's mapping, turns what a person types into a bleve
// query (plain words with BM25, prefix-as-you-type, typo tolerance, or
// bleve's query-string syntax), and runs bleve's own searchers, top-N
// collector and HTML highlighter over it. Nothing but tests uses it: the
// lean engine must give the same answers (internal/engine's differential
// test).
package search

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/quarry-search/quarry/internal/excerpt"
	"github.com/quarry-search/quarry/internal/reader"
	"github.com/quarry-search/quarry/internal/schema"
)

// Limits that keep any query bounded in time and memory.
const (
	// MaxQueryBytes is the longest query text considered; the rest is cut.
	MaxQueryBytes = 1024
	// MaxWords is the most words of a plain query that are searched.
	MaxWords = 32
	// MaxLimit is the most hits one request returns.
	MaxLimit = 100
	// DefaultLimit is the number of hits when a request names none.
	DefaultLimit = 10
	// maxClauses bounds bleve's term expansions (wildcards, fuzzy, regexp).
	maxClauses = 1024
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
	// NoExcerpt skips highlighting, for callers that only need ids.
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
	// URL links to the page.
	URL     string  `json:"url"`
	Score   float64 `json:"score"`
	Excerpt string  `json:"excerpt"`
	// ExcerptError says why the excerpt is missing when the document's
	// text file could not be loaded or was damaged.
	ExcerptError string `json:"excerpt_error,omitempty"`
	// Sections are the page's sections that matched, best first (see
	// excerpt.Choose).
	Sections []SectionHit `json:"sections,omitempty"`
}

// SectionHit is a section listed under a hit.
type SectionHit struct {
	Heading string `json:"heading"`
	URL     string `json:"url"`
	Excerpt string `json:"excerpt"`
}

// Response is the result of a search.
type Response struct {
	Total uint64 `json:"total"`
	Hits  []Hit  `json:"hits"`
	// TookMs is the time spent searching, in milliseconds.
	TookMs float64 `json:"took_ms"`
	// Mode says how the query was read: "plain", "syntax", "fuzzy" or
	// "empty".
	Mode string `json:"mode"`
	// Notice explains a fallback, e.g. a query-string syntax error.
	Notice string `json:"notice,omitempty"`
	// Facets holds, per facet type, the values found in the matching
	// documents with disjunctive counts (see Request.Filters).
	Facets map[string][]FacetValue `json:"facets,omitempty"`
	// Missing names the text files (next to the index file) this search
	// needed and the engine does not have: add them with AddText and run
	// the search again for excerpts (and, for long queries, feedback).
	Missing []string `json:"missing,omitempty"`
}

// Engine answers queries over documents indexed in memory. It is safe for
// concurrent use.
type Engine struct {
	r        *reader.Reader
	meta     Meta
	im       *mapping.IndexMappingImpl
	analyzer analysis.Analyzer
	lang     schema.Language
	boosts   boosts

	facets *facetTable
	bodies []string

	tfMu    sync.Mutex
	tfCache map[uint64]map[string]int
}

// Meta is what the oracle knows about its documents.
type Meta struct {
	Language    string
	DocCount    int
	Docs        []DocMeta
	FacetFields []string
	FieldTokens map[string]int
	TitleBoost  float64
	BodyBoost   float64
}

// DocMeta is one document as results show it.
type DocMeta struct {
	ID, Title, URL string
	Sections       []Section
}

// Section is a headed part of a body starting at byte offset Start.
type Section struct {
	Anchor, Heading string
	Start           int
}

type boosts struct{ title, body float64 }

func init() {
	// bleve's default is unbounded; a search box must not be.
	if searcherMaxClauseCount() == 0 {
		setSearcherMaxClauseCount(maxClauses)
	}
}

func newEngine(r *reader.Reader, meta Meta, bodies []string) (*Engine, error) {
	lang, err := schema.LookupLanguage(meta.Language)
	if err != nil {
		return nil, fmt.Errorf("index language: %w", err)
	}
	im, err := schema.NewMapping(schema.Options{Language: lang.Name, FacetFields: meta.FacetFields})
	if err != nil {
		return nil, err
	}
	an := im.AnalyzerNamed(schema.TextAnalyzer)
	if an == nil {
		return nil, errors.New("text analyzer missing from mapping")
	}
	b := boosts{title: meta.TitleBoost, body: meta.BodyBoost}
	if b.title == 0 {
		b.title = schema.DefaultTitleBoost
	}
	if b.body == 0 {
		b.body = schema.DefaultBodyBoost
	}
	ft, err := loadFacets(r, meta.FacetFields, meta.DocCount)
	if err != nil {
		return nil, fmt.Errorf("facets: %v", err)
	}
	return &Engine{r: r, meta: meta, im: im, analyzer: an, lang: lang, boosts: b, facets: ft, bodies: bodies}, nil
}

// Meta returns what the engine knows about its documents.
func (e *Engine) Meta() Meta { return e.meta }

// Mapping returns the index mapping the engine queries with.
func (e *Engine) Mapping() *mapping.IndexMappingImpl { return e.im }

// Reader returns the underlying index reader.
func (e *Engine) Reader() *reader.Reader { return e.r }

// search runs req (Search applies the limits first, see limits.go). A
// panic inside bleve is recovered and returned as an error so one bad
// query never takes the engine down.
func (e *Engine) search(ctx context.Context, req Request) (resp *Response, err error) {
	defer func() {
		if r := recover(); r != nil {
			resp, err = nil, fmt.Errorf("internal error while searching: %v\n%s", r, debug.Stack())
		}
	}()
	start := time.Now()
	limit := req.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	if limit > MaxLimit {
		limit = MaxLimit
	}
	offset := req.Offset
	if offset < 0 {
		offset = 0
	}
	filters, err := e.facets.compileFilters(req.Filters, req.FilterModes)
	if err != nil {
		return nil, err
	}
	plan, err := e.Plan(req.Query, req.Complete)
	if err != nil {
		return nil, err
	}
	resp = &Response{Hits: []Hit{}, Mode: plan.Mode, Notice: plan.Notice}
	wantFacets := !req.NoFacets && len(e.meta.FacetFields) > 0
	if plan.Query == nil && len(filters) > 0 {
		plan.Query, resp.Mode = query.NewMatchAllQuery(), "browse"
	}
	if plan.Query == nil {
		if wantFacets {
			all := make([]int, e.meta.DocCount)
			for i := range all {
				all[i] = i
			}
			resp.Facets = e.facets.counts(all, nil)
		}
	} else {
		if req.Complete && plan.Mode == "plain" && len(plan.Words) >= feedbackMinWords {
			if q := e.expand(ctx, plan.Query, plan.Words); q != nil {
				plan.Query = q
			}
		}
		// Plain queries are searched without term vectors (cheaper);
		// the shown hits are then located term by term for excerpts.
		vectors := !req.NoExcerpt && plan.Mode == "syntax" && plan.Highlight == nil
		var matches search.DocumentMatchCollection
		var total uint64
		if wantFacets || len(filters) > 0 {
			var seen []int
			matches, total, seen, err = e.runFiltered(ctx, plan.Query, filters, limit, offset, vectors)
			if err == nil && wantFacets {
				resp.Facets = e.facets.counts(seen, filters)
			}
		} else {
			matches, total, err = e.Run(ctx, plan.Query, limit, offset, vectors)
		}
		if err != nil {
			return nil, err
		}
		resp.Total = total
		for _, m := range matches {
			terms := plan.Highlight
			if vectors {
				terms = matchedTerms(m)
			}
			resp.Hits = append(resp.Hits, e.hit(m, !req.NoExcerpt, terms))
		}
	}
	resp.TookMs = float64(time.Since(start).Microseconds()) / 1000
	return resp, nil
}

// Run executes q with bleve's searchers and top-N collector, exactly as
// bleve's own index does, and returns the page of matches and the total.
func (e *Engine) Run(ctx context.Context, q query.Query, size, from int, locations bool) (search.DocumentMatchCollection, uint64, error) {
	return Execute(e.WithStats(ctx), e.r, e.im, q, size, from, locations)
}

// WithStats returns ctx carrying the index's BM25 statistics: the true
// average field length (total tokens / documents) rather than bleve's
// estimate from the number of distinct terms, which over-penalises long
// documents. Any bleve index searched with this context scores alike.
func (e *Engine) WithStats(ctx context.Context) context.Context {
	if len(e.meta.FieldTokens) == 0 {
		return ctx
	}
	return context.WithValue(ctx, search.BM25StatsKey, &search.BM25Stats{
		DocCount:         float64(e.meta.DocCount),
		FieldCardinality: e.meta.FieldTokens,
	})
}

// Execute runs q over any index reader with bleve's searchers and top-N
// collector (BM25 scoring), as bleve's own index does.
func Execute(ctx context.Context, ir index.IndexReader, im mapping.IndexMapping, q query.Query, size, from int, locations bool) (search.DocumentMatchCollection, uint64, error) {
	ctx = context.WithValue(ctx, search.GetScoringModelCallbackKey,
		search.GetScoringModelCallbackFn(func() string { return index.BM25Scoring }))
	s, err := q.Searcher(ctx, ir, im, search.SearcherOptions{IncludeTermVectors: locations})
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %w", errPrepare, err)
	}
	defer s.Close()
	coll := collector.NewTopNCollector(size, from, search.SortOrder{&search.SortScore{Desc: true}})
	if err := coll.Collect(ctx, s, ir); err != nil {
		return nil, 0, fmt.Errorf("search: %w", err)
	}
	return coll.Results(), coll.Total(), nil
}

// hit turns a match into a result. With excerpt, the body locations of
// terms found in the document's text choose the section and mark the
// excerpt.
func (e *Engine) hit(m *search.DocumentMatch, withExcerpt bool, terms []string) Hit {
	h := Hit{ID: m.ID, Score: m.Score}
	num, err := reader.DocNum(m.IndexInternalID)
	var body string
	haveBody := false
	if withExcerpt && err == nil {
		// Locations from the index carry positions only (no offsets).
		delete(m.Locations, schema.FieldBody)
		if num < uint64(len(e.bodies)) {
			body, haveBody = e.bodies[num], true
			e.locateIn(m, body, terms)
		}
	}
	var dm DocMeta
	if err == nil && num < uint64(len(e.meta.Docs)) {
		dm = e.meta.Docs[num]
		h.Title, h.URL = dm.Title, dm.URL
	}
	if !haveBody {
		return h
	}
	// The sections are chosen as the lean engine chooses them (one
	// place decides, excerpt.Choose); the excerpts of the parts are
	// bleve's highlighter's.
	secs := make([]excerpt.Section, len(dm.Sections))
	for i, s := range dm.Sections {
		secs[i] = excerpt.Section{Start: s.Start, Heading: s.Heading}
	}
	var spans []excerpt.Span
	ids := map[string]int{}
	for t, ls := range m.Locations[schema.FieldBody] {
		if _, ok := ids[t]; !ok {
			ids[t] = len(ids)
		}
		for _, l := range ls {
			spans = append(spans, excerpt.Span{Start: int(l.Start), End: int(l.End), Term: ids[t]})
		}
	}
	ch := excerpt.Choose(body, secs, spans)
	if len(ch.Sections) == 0 {
		boundHighlight(m)
		h.Excerpt = e.excerpt(m, body)
		return h
	}
	h.Excerpt = e.partExcerpt(m, body, ch.Top)
	base, _, _ := strings.Cut(dm.URL, "#")
	for _, p := range ch.Sections {
		sec := dm.Sections[p.Section]
		h.Sections = append(h.Sections, SectionHit{Heading: sec.Heading, URL: base + "#" + sec.Anchor, Excerpt: e.partExcerpt(m, body, p)})
	}
	return h
}

// partExcerpt returns the excerpt of part p of body, for m's body
// locations lying wholly inside it.
func (e *Engine) partExcerpt(m *search.DocumentMatch, body string, p excerpt.Part) string {
	sub := &search.DocumentMatch{ID: m.ID}
	for t, ls := range m.Locations[schema.FieldBody] {
		for _, l := range ls {
			if int(l.Start) >= p.Start && int(l.End) <= p.End {
				if sub.Locations == nil {
					sub.Locations = search.FieldTermLocationMap{schema.FieldBody: search.TermLocationMap{}}
				}
				sub.Locations[schema.FieldBody].AddLocation(t, &search.Location{Pos: l.Pos, Start: l.Start - uint64(p.Start), End: l.End - uint64(p.Start)})
			}
		}
	}
	boundHighlight(sub)
	return e.excerpt(sub, body[p.Start:p.End])
}
