package engine

import (
	"errors"
	"strings"

	"github.com/quarry-search/quarry/internal/errs"
	"github.com/quarry-search/quarry/internal/plan"
	"github.com/quarry-search/quarry/internal/query"
)

// Limits that keep every request bounded in time and memory, whatever is
// typed, on top of the query language's (package query: clauses,
// expanding clauses, fuzziness) and the planner's (query bytes, words,
// expansions). A query over a limit is not refused: it is cut or
// searched as plain words, and Response.Notice says what happened.
// A plain query is not cut to its first words: all its words count, and
// only past MaxTerms distinct words are the least discriminative left
// out (a pasted paragraph keeps its topic, wherever it comes).
const (
	// MaxQueryBytes is the longest query text considered; the rest is cut.
	MaxQueryBytes = plan.MaxQueryBytes
	// MaxTerms is the most distinct words of a plain query searched: a
	// longer one keeps its most discriminative words, with a notice.
	MaxTerms = plan.MaxTerms
	// MaxOffset is the largest offset honoured (paging stops there).
	MaxOffset = 1000
	// MaxSyntaxClauses is the most clauses a query-string query may have.
	MaxSyntaxClauses = query.MaxClauses
	// MaxExpandingClauses is the most wildcard or fuzzy clauses one query
	// may have.
	MaxExpandingClauses = query.MaxExpandingClauses
	// MaxExpansions is the most index terms one wildcard or fuzzy clause
	// may expand to, per field.
	MaxExpansions = plan.MaxExpansions
	// MaxFuzziness is the largest edit distance of word~N.
	MaxFuzziness = query.MaxFuzziness
	// MaxFilterValues is the most facet values one request may filter on.
	MaxFilterValues = 256
)

// ErrLimit is returned (wrapped) for a request that exceeds a limit that
// cannot be applied by cutting it, such as MaxFilterValues.
var ErrLimit = errors.New("request over a limit")

// Notices added to Response.Notice when a limit changed the query.
func noticeCut(n int) string { return "the query was cut to its first " + errs.I(n) + " bytes" }

func noticeTerms(n, kept int) string {
	return "the query has " + errs.I(n) + " distinct words; the " + errs.I(kept) + " that fewest pages contain were searched"
}

func noticeOffset(n int) string { return "results past the first " + errs.I(n) + " cannot be paged to" }

func noticeHits(n int) string { return "at most " + errs.I(n) + " results are returned at once" }

const (
	noticeTooBroad  = "the query matches too many words or is too complex to run as written; searched for its words instead"
	noticeSeparator = "; "
)

// run runs req within the limits: it cuts what can be cut (query
// length, words, offset, hits per page), and when a query-string query
// proves too broad to run (a wildcard or fuzzy clause expanding past
// MaxExpansions terms) it searches the query's words instead. Every such
// change is explained in Response.Notice. It never panics. The files
// the search lacked are noted in m.
func (e *Engine) run(req Request, m *misses) (*Response, error) {
	start := now()
	var notes []string
	if n := 0; len(req.Filters) > 0 {
		for _, vs := range req.Filters {
			n += len(vs)
		}
		if n > MaxFilterValues {
			return nil, errs.Wrap(ErrLimit.Error()+": "+errs.I(n)+" filter values (at most "+errs.I(MaxFilterValues)+")", ErrLimit)
		}
	}
	if req.Offset > MaxOffset {
		req.Offset = MaxOffset
		notes = append(notes, noticeOffset(MaxOffset))
	}
	if req.Limit > MaxLimit {
		notes = append(notes, noticeHits(MaxLimit))
	}
	if len(req.Query) > MaxQueryBytes {
		req.Query = plan.Clip(req.Query)
		notes = append(notes, noticeCut(MaxQueryBytes))
	}
	resp, err := e.search(req, m)
	if err != nil && errors.Is(err, errPrepare) {
		words := req
		words.Query = query.StripSyntax(req.Query)
		resp, err = e.search(words, m)
		if err == nil {
			resp.Notice = joinNotices(noticeTooBroad, resp.Notice)
		}
	}
	if err != nil {
		return nil, err
	}
	resp.Notice = joinNotices(append([]string{resp.Notice}, notes...)...)
	// The time of the whole request, a refused first attempt included.
	resp.TookMs = since(start)
	return resp, nil
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
