package engine

import (
	"errors"
	"math"
	"slices"
	"strings"

	"github.com/quarry-search/quarry/internal/plan"
	"github.com/quarry-search/quarry/internal/query"
	"github.com/quarry-search/quarry/internal/searcher"
)

// Pseudo-relevance feedback for long queries: the first results are
// read, the terms most characteristic of them are added to the query
// with a small weight, and the query runs again. Verbose questions
// ("what problems of heat conduction in composite slabs have been
// solved") then also find pages that answer them in other words.
//
// Terms are chosen with the Bo1 model of the divergence from randomness
// framework (Amati, 2003), Terrier's default: a term occurring tfx times
// in the first feedbackDocs results, and in df of the N documents, scores
//
//	tfx × log2((1 + Pn) / Pn) + log2(1 + Pn),  Pn = df / N
//
// (Bo1 takes Pn from the collection frequency; the document frequency,
// a dictionary lookup instead of a postings scan, scored within 0.002 on
// both collections). The feedbackTerms best terms share a weight of
// feedbackWeight per query word, in proportion to their scores.
//
// Measured (nDCG@10, Cranfield / CACM, see README "Ranking"): the
// previous feedback (10 documents, terms weighted by their share of each
// document's words times the idf, total weight 4) scored +0.021 / −0.049;
// none of 27 variants of it (weights 1–4, 5–20 terms, 3–10 documents,
// title words counted, terms required in 2 or 3 documents, BM25F terms)
// helped CACM. Bo1 with Terrier's 3 documents and 10 terms helps both
// (0.3906 / 0.5269 without any feedback, against 0.4139 / 0.5450,
// before request words; with them, see the README's table).
//
// Issue 13 retuned its terms and weight jointly with BM25F's k1, b and
// title weight (see defaultFeedbackTerms). Also measured there, against
// the defaults before it, none helping both: RM3 term selection (terms
// weighted by their share of each document's words times the document's
// share of the scores; CACM −0.002 to −0.054 over 27 settings); Terrier's
// reweighting of the query's own words by their Bo1 scores (Cranfield up
// to +0.014, CACM −0.003 to −0.038); terms searched in title and body
// with BM25F; terms read from titles too; term counts divided by the
// document's length.
var (
	// feedbackMinWords is the fewest distinct content words a query
	// needs before feedback applies; short box queries never get it.
	feedbackMinWords = 4
	// feedbackDocs is how many first results are read (Terrier's
	// default; 5 and 10 scored lower on both collections, measured
	// before issue 13's retuning).
	feedbackDocs = 3
	// feedbackTerms is how many terms are added.
	feedbackTerms = defaultFeedbackTerms
	// feedbackWeight is the weight of the added terms per query word.
	feedbackWeight = defaultFeedbackWeight
	// feedbackReplay reuses the first run's scores of the original query
	// in the second run instead of computing them again (same results;
	// off only in the test that proves it).
	feedbackReplay = true
)

// The feedback's defaults: 20 terms of weight 0.4 per query word
// together, against Terrier's 10 and the 0.2 used before (0.4052 /
// 0.5353 with those). Stronger feedback helps Cranfield more (weight
// 0.6: up to 0.4265) and lowers CACM; it is safe on CACM only with the
// body's b at 0.5 (at 0.75, CACM 0.5279). Near the chosen point, 15 or
// 25 terms and weight 0.3 or 0.5 also help both (see the README).
const (
	defaultFeedbackTerms  = 20
	defaultFeedbackWeight = 0.4
)

// withFeedback returns the tree a plan runs: its query, extended with
// feedback terms when it is a plain query of feedbackMinWords content
// words or more (as typed or finished: as-typed ranking must be as good
// as finished ranking, and feedback is most of the difference). The
// scratch returned, nil without feedback, holds what the tree records:
// release it once the tree has run.
func (e *Engine) withFeedback(pl plan.Plan, v view) (query.Node, *scratch) {
	if pl.Mode == "plain" && len(pl.Words) >= feedbackMinWords {
		s := e.scratch.take()
		if x := e.expand(pl.Query, pl.Words, v, s); x != nil {
			return x, s
		}
		e.release(s)
	}
	return pl.Query, nil
}

// scratch holds what a question's feedback needs only while it is
// searched: the first run's matches, which the second run replays (12
// bytes a match: 1,000 and more for most of Cranfield's questions), and
// the feedback documents' term counts. Kept for the next question (see
// spare), they were a quarter of the bytes allocated per Cranfield
// question, appended to from nothing each time (BenchmarkQueryCranfield,
// -benchmem).
type scratch struct {
	rec query.Recorded
	tfx map[string]float64
}

// release empties s and keeps it for the next question; s (and the tree
// holding its record) must not be used after. A nil s is left alone.
func (e *Engine) release(s *scratch) {
	if s == nil {
		return
	}
	s.rec.Docs, s.rec.Scores = s.rec.Docs[:0], s.rec.Scores[:0]
	clear(s.tfx)
	e.scratch.keep(s)
}

// expand returns q extended with feedback terms from its top matches, or
// nil when there is nothing to add; what it records is kept in s. The
// top matches' text must be loaded: when some is missing, it is noted in
// v and there is no feedback this time.
func (e *Engine) expand(q query.Node, words map[string]bool, v view, s *scratch) query.Node {
	rec := &s.rec
	scores := e.scores.take()
	top, _, err := searcher.Run(q, v, e.stats, searcher.Options{Size: feedbackDocs, Scores: scores, Seen: func(d uint32, sc float64) {
		rec.Docs = append(rec.Docs, d)
		rec.Scores = append(rec.Scores, sc)
	}})
	e.scores.keep(scores)
	if err != nil || len(top) == 0 {
		return nil
	}
	if s.tfx == nil {
		s.tfx = map[string]float64{}
	}
	tfx := s.tfx
	missing := false
	for _, h := range top {
		tf, err := e.termFreqs(h.Doc, v)
		if errors.Is(err, errTextMissing) {
			missing = true
		}
		for t, c := range tf {
			if !words[t] {
				tfx[t] += float64(c)
			}
		}
	}
	if missing {
		return nil
	}
	type cand struct {
		term string
		w    float64
	}
	// better orders candidates by descending score, then term.
	better := func(a, b cand) int {
		switch {
		case a.w > b.w:
			return -1
		case a.w < b.w:
			return 1
		}
		return strings.Compare(a.term, b.term)
	}
	n := float64(e.head.DocCount)
	var cands []cand // the best so far, best first
	for t, x := range tfx {
		df := e.feedbackDF(t, v)
		if df < 2 {
			continue // a word of one document says nothing of the others
		}
		pn := float64(df) / n
		c := cand{t, x*math.Log2((1+pn)/pn) + math.Log2(1+pn)}
		i, _ := slices.BinarySearchFunc(cands, c, better)
		if i < feedbackTerms {
			cands = slices.Insert(cands, i, c)
			if len(cands) > feedbackTerms {
				cands = cands[:feedbackTerms]
			}
		}
	}
	if len(cands) == 0 {
		return nil
	}
	sumW := 0.0
	for _, c := range cands {
		sumW += c.w
	}
	clauses := []query.Node{q}
	if feedbackReplay {
		clauses[0] = rec
	}
	total := feedbackWeight * float64(len(words))
	for _, c := range cands {
		clauses = append(clauses, &query.Term{Term: c.term, Field: FieldBody, Boost: e.boosts.body * total * c.w / sumW})
	}
	return &query.Sum{Clauses: clauses}
}

// maxTermFreqCache bounds the documents whose term counts are memoised.
const maxTermFreqCache = 512

// termFreqs analyzes a document's text and counts its terms, stop words
// left out; the counts of recently read documents are memoised. A
// document whose text is not loaded gives errTextMissing (noted in
// v).
func (e *Engine) termFreqs(num uint32, v view) (map[string]int, error) {
	e.tfMu.Lock()
	tf, ok := e.tfCache[num]
	e.tfMu.Unlock()
	if ok {
		return tf, nil
	}
	d, err := e.doc(num, v)
	if err != nil {
		return nil, err
	}
	tf = map[string]int{}
	for _, t := range e.analyzer.Analyze(d.Body) {
		if !e.isStop(t.Term) {
			tf[t.Term]++
		}
	}
	e.tfMu.Lock()
	if e.tfCache == nil || len(e.tfCache) >= maxTermFreqCache {
		e.tfCache = map[uint32]map[string]int{}
	}
	e.tfCache[num] = tf
	e.tfMu.Unlock()
	return tf, nil
}

// feedbackDF is a candidate term's document count in the body. Terms in
// fewer than two documents are never added, and the head's dictionary
// holds every body term found in two or more (DictMinDF <= 2), so
// candidates are judged without fetching a part.
func (e *Engine) feedbackDF(term string, v view) int {
	fh := &e.head.Fields[e.s.fieldIdx[FieldBody]]
	if k, found := slices.BinarySearch(fh.Dict, term); found {
		return int(fh.DictDF[k])
	}
	if fh.DictMinDF <= 2 {
		return 0
	}
	df, _ := v.DocFreq(FieldBody, term)
	return df
}
