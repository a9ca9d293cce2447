package engine

import (
	"fmt"
	"sync"

	"github.com/quarry-search/quarry/internal/indexfile"
	"github.com/quarry-search/quarry/internal/plan"
)

// Body positions (a third of an index) are only needed by query syntax:
// phrases, and the term vectors that mark excerpts of syntax queries. An
// index shipped in parts has a light segment without them and a positions
// segment with them (see indexfile). A light engine answers plain, prefix
// and typo-tolerant queries itself; for a syntax query it answers as well
// as it can and lists the positions segment's file in Response.Missing.
// WithPositions then returns an engine over the full segment, which the
// caller uses from then on (engines are immutable, so searches running on
// the light one are not disturbed).

// positionsState is shared by an engine and the one WithPositions makes.
type positionsState struct {
	mu     sync.Mutex
	failed error
}

// IsPositionsFile reports whether name is the file of this index's
// positions segment (to be given to WithPositions, not AddText).
func (e *Engine) IsPositionsFile(name string) bool {
	return e.meta.Positions != nil && name == e.meta.Positions.Name
}

// WithPositions checks data against the index's positions segment and
// returns an engine over it, sharing the text already loaded. On failure
// the reason is remembered: syntax queries are then answered by the light
// engine with a notice instead of asking for the file again.
func (e *Engine) WithPositions(data []byte) (*Engine, error) {
	if e.meta.Positions == nil {
		return nil, fmt.Errorf("this index has no separate positions segment")
	}
	n, err := e.withPositions(data)
	if err != nil {
		e.pos.mu.Lock()
		e.pos.failed = err
		e.pos.mu.Unlock()
		return nil, err
	}
	e.pos.mu.Lock()
	e.pos.failed = nil
	e.pos.mu.Unlock()
	return n, nil
}

func (e *Engine) withPositions(data []byte) (*Engine, error) {
	if err := e.meta.Positions.Check(data); err != nil {
		return nil, err
	}
	r, err := openSegment(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", indexfile.ErrText, e.meta.Positions.Name, err)
	}
	if n := r.NumDocs(); n != e.meta.DocCount {
		return nil, fmt.Errorf("%w: %s has %d documents, the index %d", indexfile.ErrText, e.meta.Positions.Name, n, e.meta.DocCount)
	}
	n := &Engine{r: r, meta: e.meta, stats: e.stats, analyzer: e.analyzer, isStop: e.isStop, boosts: e.boosts,
		facets: e.facets, texts: e.texts, pos: e.pos}
	n.cfg = n.planConfig()
	return n, nil
}

// PositionsFailed records that the positions segment could not be
// obtained (reason is shown in the notice of syntax queries).
func (e *Engine) PositionsFailed(reason string) {
	e.pos.mu.Lock()
	defer e.pos.mu.Unlock()
	e.pos.failed = fmt.Errorf("%s could not be loaded: %s", e.meta.Positions.Name, reason)
}

// needPositions reports whether the search planned needs the positions
// segment this light engine lacks; when it failed to load, the response
// gets a notice instead.
func (e *Engine) needPositions(pl plan.Plan, resp *Response) bool {
	if !e.light || pl.Mode != "syntax" || pl.Highlight != nil {
		return false
	}
	e.pos.mu.Lock()
	failed := e.pos.failed
	e.pos.mu.Unlock()
	if failed == nil {
		return true
	}
	note := "Phrase search is unavailable: " + failed.Error()
	if resp.Notice != "" {
		note = resp.Notice + " " + note
	}
	resp.Notice = note
	return false
}
