package search

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
)

// Limits of the query language, on top of MaxQueryBytes, MaxWords,
// MaxLimit and the expansion limit (maxClauses): together they keep every
// request bounded in time and memory, whatever is typed. A query that
// exceeds one is not refused: it is cut or searched as plain words, and
// Response.Notice says what happened.
const (
	// MaxOffset is the largest offset honoured (paging stops there).
	MaxOffset = 1000
	// MaxSyntaxClauses is the most leaf clauses (words, phrases,
	// wildcards...) a query-string query may have.
	MaxSyntaxClauses = 32
	// MaxExpandingClauses is the most clauses that expand to many index
	// terms (wildcard, prefix, regexp, fuzzy) one query may have; each
	// expands to at most MaxExpansions terms per field.
	MaxExpandingClauses = 4
	// MaxExpansions is the most index terms one wildcard, prefix, regexp
	// or fuzzy clause may expand to, per field.
	MaxExpansions = maxClauses
	// MaxFuzzyTermRunes is the longest term given explicit fuzziness
	// (word~N): a Levenshtein automaton grows with the word's length.
	MaxFuzzyTermRunes = maxFuzzyRunes
	// MaxFuzziness is the largest edit distance of word~N (bleve's own maximum).
	MaxFuzziness = 2
	// MaxFilterValues is the most facet values one request may filter on.
	MaxFilterValues = 256
	// MaxHighlightTerms is the most distinct matched terms (per field)
	// used to choose and mark a hit's excerpt: the highlighter scores
	// every fragment against every term, which for "*" or /.*/ (hundreds
	// of terms) took over a second per page of hits in the browser. The
	// terms with the most occurrences in the document are kept.
	MaxHighlightTerms = 16
)

// errPrepare marks an error raised while preparing bleve's searchers (a
// term expansion over MaxExpansions, an automaton too large to build).
var errPrepare = errors.New("prepare search")

// ErrLimit is returned (wrapped) for a request that exceeds a limit that
// cannot be applied by cutting it, such as MaxFilterValues.
var ErrLimit = errors.New("request over a limit")

// Notices added to Response.Notice when a limit changed the query.
const (
	noticeCut       = "the query was cut to its first %d bytes"
	noticeWords     = "only the first %d words were searched"
	noticeOffset    = "results past the first %d cannot be paged to"
	noticeHits      = "at most %d results are returned at once"
	noticeTooBroad  = "the query matches too many words or is too complex to run as written; searched for its words instead"
	noticeSeparator = "; "
)

// Search runs req within the limits: it cuts what can be cut (query
// length, words, offset, hits per page), and when a query-string query
// proves too broad to run (a wildcard, regexp or fuzzy clause expanding
// past MaxExpansions terms, an automaton too large) it searches the
// query's words instead. Every such change is explained in
// Response.Notice. Search never panics.
func (e *Engine) Search(ctx context.Context, req Request) (*Response, error) {
	start := time.Now()
	var notes []string
	if n := 0; len(req.Filters) > 0 {
		for _, vs := range req.Filters {
			n += len(vs)
		}
		if n > MaxFilterValues {
			return nil, fmt.Errorf("%w: %d filter values (at most %d)", ErrLimit, n, MaxFilterValues)
		}
	}
	if req.Offset > MaxOffset {
		req.Offset = MaxOffset
		notes = append(notes, fmt.Sprintf(noticeOffset, MaxOffset))
	}
	if req.Limit > MaxLimit {
		notes = append(notes, fmt.Sprintf(noticeHits, MaxLimit))
	}
	if len(req.Query) > MaxQueryBytes {
		req.Query = clip(req.Query)
		notes = append(notes, fmt.Sprintf(noticeCut, MaxQueryBytes))
	}
	resp, err := e.search(ctx, req)
	if err != nil && errors.Is(err, errPrepare) {
		words := req
		words.Query = stripSyntax(req.Query)
		resp, err = e.search(ctx, words)
		if err == nil {
			resp.Notice = joinNotices(noticeTooBroad, resp.Notice)
		}
	}
	if err != nil {
		return nil, err
	}
	if (resp.Mode == "plain" || resp.Mode == "fuzzy") && len(e.analyzerFunc()(stripSyntax(req.Query))) > MaxWords {
		notes = append(notes, fmt.Sprintf(noticeWords, MaxWords))
	}
	resp.Notice = joinNotices(append([]string{resp.Notice}, notes...)...)
	// The time of the whole request, a refused first attempt included.
	resp.TookMs = float64(time.Since(start).Microseconds()) / 1000
	return resp, nil
}

// boundHighlight keeps, per field, the MaxHighlightTerms matched terms
// with the most occurrences in m (ties by term) for the highlighter.
func boundHighlight(m *search.DocumentMatch) {
	for f, tlm := range m.Locations {
		if len(tlm) <= MaxHighlightTerms {
			continue
		}
		terms := make([]string, 0, len(tlm))
		for t := range tlm {
			terms = append(terms, t)
		}
		sort.Slice(terms, func(i, j int) bool {
			a, b := len(tlm[terms[i]]), len(tlm[terms[j]])
			if a != b {
				return a > b
			}
			return terms[i] < terms[j]
		})
		kept := make(search.TermLocationMap, MaxHighlightTerms)
		for _, t := range terms[:MaxHighlightTerms] {
			kept[t] = tlm[t]
		}
		m.Locations[f] = kept
	}
}

// joinNotices joins the non-empty notices.
func joinNotices(ns ...string) string {
	out := ns[:0:0]
	for _, n := range ns {
		if n != "" {
			out = append(out, n)
		}
	}
	return strings.Join(out, noticeSeparator)
}

// checkSyntax enforces the limits of a parsed query-string query (its
// must, should and must-not clauses); an error makes the planner search
// the words instead, with a notice. The language has no parentheses, so
// a query is a flat list of clauses and needs no depth bound.
func checkSyntax(clauses ...[]qsLeaf) error {
	n, expanding := 0, 0
	for _, group := range clauses {
		for _, l := range group {
			n++
			switch {
			case l.phrase:
			case l.fuzzy:
				if l.fuzziness > MaxFuzziness {
					return fmt.Errorf("fuzziness %d, at most %d", l.fuzziness, MaxFuzziness)
				}
				if l.fuzziness > 0 {
					expanding++
					if r := utf8.RuneCountInString(l.text); r > MaxFuzzyTermRunes {
						return fmt.Errorf("fuzzy word of %d letters, at most %d", r, MaxFuzzyTermRunes)
					}
				}
			case strings.HasPrefix(l.text, "/") && strings.HasSuffix(l.text, "/"), strings.ContainsAny(l.text, "*?"):
				expanding++
			}
		}
	}
	if n > MaxSyntaxClauses {
		return fmt.Errorf("%d clauses, at most %d", n, MaxSyntaxClauses)
	}
	if expanding > MaxExpandingClauses {
		return fmt.Errorf("%d wildcard, regexp or fuzzy clauses, at most %d", expanding, MaxExpandingClauses)
	}
	return nil
}

func searcherMaxClauseCount() int     { return searcher.DisjunctionMaxClauseCount }
func setSearcherMaxClauseCount(n int) { searcher.DisjunctionMaxClauseCount = n }
