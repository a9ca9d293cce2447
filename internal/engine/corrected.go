package engine

import (
	"strings"

	"github.com/quarry-search/quarry/internal/indexfile"
	"github.com/quarry-search/quarry/internal/plan"
	"github.com/quarry-search/quarry/internal/searcher"
)

// What "showing results for …" shows. The planner corrects a word that
// matches nothing to index terms, and the index holds analyzed terms
// ("compani", not "company"): not something to show a person. The word
// shown is the one the documents themselves write: the hits shown
// (whose text files a page of results has loaded for its excerpts) are
// read in rank order, title then body, for the words whose term is the
// correction, until one hit has some; of those, the closest to what was
// typed (edit distance, letter case aside) is taken, then the most
// frequent, then the first. It is lower-cased when the typed word had no
// capital. A correction no hit shown writes (the hits matched other
// words) gives no notice at all rather than a stem or a half-corrected
// query.

// corrected returns pl.Text with each of pl.Fixes replaced by the word
// the hits write for its correction, spaces folded, or "" (see above).
func (e *Engine) corrected(pl plan.Plan, hits []searcher.Hit, v view) string {
	if len(hits) == 0 {
		return ""
	}
	var docs []*indexfile.Doc
	for _, h := range hits {
		if d, err := e.doc(h.Doc, v); err == nil {
			docs = append(docs, d)
		}
	}
	var b strings.Builder
	last := 0
	for _, f := range pl.Fixes {
		if f.Start < last || f.End > len(pl.Text) || f.Start > f.End {
			return ""
		}
		typed := pl.Text[f.Start:f.End]
		w := e.surface(f.Term, typed, docs)
		if w == "" {
			return ""
		}
		b.WriteString(pl.Text[last:f.Start])
		b.WriteString(w)
		last = f.End
	}
	b.WriteString(pl.Text[last:])
	return strings.Join(strings.Fields(b.String()), " ")
}

// surface returns the word docs write for term that is closest to typed,
// or "".
func (e *Engine) surface(term, typed string, docs []*indexfile.Doc) string {
	type cand struct {
		word string
		n    int
	}
	var cands []cand
	terms := []string{term}
	for _, d := range docs {
		for _, text := range []string{d.Title, d.Body} {
			for _, t := range e.analyzer.Find(text, terms) {
				w := text[t.Start:t.End]
				k := 0
				for k < len(cands) && cands[k].word != w {
					k++
				}
				if k == len(cands) {
					cands = append(cands, cand{word: w})
				}
				cands[k].n++
			}
		}
		if len(cands) > 0 {
			break
		}
	}
	lowTyped := strings.ToLower(typed)
	best, bestDist := -1, 0
	for k, c := range cands {
		d := editDistance(strings.ToLower(c.word), lowTyped)
		if best < 0 || d < bestDist || d == bestDist && c.n > cands[best].n {
			best, bestDist = k, d
		}
	}
	if best < 0 {
		return ""
	}
	w := cands[best].word
	if lowTyped == typed {
		w = strings.ToLower(w)
	}
	return w
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return max(len(ra), len(rb))
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := prev[j-1]
			if ra[i-1] != rb[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
