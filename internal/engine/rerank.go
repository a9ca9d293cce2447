package engine

import (
	"math"
	"slices"
	"sort"
	"unicode/utf8"

	"github.com/quarry-search/quarry/internal/searcher"
)

// Reranking by the cluster hypothesis (documents relevant to a question
// resemble each other): after feedback, a question's first rerankDepth
// results are reordered by their score mixed with their likeness to its
// first feedbackDocs results (the cosine of tf-idf vectors of title and
// body), so that a page worded unlike the question but like the pages
// that answer it comes up, and a page that shares the question's words
// but not its subject goes down. Feedback adds the best twenty words of
// the first results to the query; this compares whole documents. It
// applies exactly when feedback does: plain questions of feedbackMinWords
// content words or more.
//
// Measured (nDCG@10, Cranfield / CACM, ± one standard error of the
// questions' paired differences; README "Ranking"): +0.0076 ±0.0023 /
// +0.0100 ±0.0044. Every setting of a grid of depth 20–50 and weight
// 0.2–0.4 helped both; vectors of the body alone, without idf, or with an
// idf taken among the reranked documents helped both less.
var (
	// rerankDepth is how many first results are reordered.
	rerankDepth = defaultRerankDepth
	// rerankWeight is the share of the likeness in the mixed score (the
	// score's share is the rest, scaled to 0..1 over the reordered
	// results).
	rerankWeight = defaultRerankWeight
)

const (
	defaultRerankDepth  = 30
	defaultRerankWeight = 0.3
	// maxVectorBytes bounds the body read for a document's vector, so
	// that a question over long pages costs a bounded time: no document
	// of Cranfield (4,141 bytes at most) or CACM reaches it; Hugo's
	// documentation has pages of 80 kB.
	maxVectorBytes = 8 << 10
	// maxVectorCache bounds the words of the memoised vectors (16 bytes
	// each: 4 MB). Cranfield's 225 questions rerank 1,293 documents,
	// 81,674 words; bounded at 512 documents instead, as term counts
	// are, their vectors were computed again on every run: in the page,
	// repeated, p50 5.06 ms (lunr 3.22); natively 1.4 ms, 0.47 ms with
	// this bound (BenchmarkQueryCranfield).
	maxVectorCache = 1 << 18
)

// rerank reorders the first rerankDepth hits (see above); their scores
// keep their range, the first hit's score down to the last reordered
// one's. When a hit's text is missing it is noted in v (all of them at
// once) and hits are returned as they are.
func (e *Engine) rerank(hits []searcher.Hit, v view) []searcher.Hit {
	n := min(rerankDepth, len(hits))
	if n < 2 {
		return hits
	}
	vecs := make([][]wterm, n)
	missing := false
	for i := range n {
		vec, err := e.docVector(hits[i].Doc, v)
		missing = missing || err != nil
		vecs[i] = vec
	}
	if missing {
		return hits
	}
	k := min(feedbackDocs, n)
	top, low := hits[0].Score, hits[n-1].Score
	mixed := make([]float64, n)
	for i := range n {
		like := 0.0
		for j := range k {
			if j != i {
				like += dot(vecs[i], vecs[j])
			}
		}
		score := 1.0
		if top > low {
			score = (hits[i].Score - low) / (top - low)
		}
		mixed[i] = (1-rerankWeight)*score + rerankWeight*like/float64(k)
	}
	// By mixed score, ties in their order (an insertion sort: n is small,
	// and a generic sort would add kilobytes to quarry.wasm).
	order := make([]int, n)
	for i := range order {
		j := i
		for ; j > 0 && mixed[order[j-1]] < mixed[i]; j-- {
			order[j] = order[j-1]
		}
		order[j] = i
	}
	out := make([]searcher.Hit, 0, len(hits))
	for _, i := range order {
		h := hits[i]
		h.Score = low + mixed[i]*(top-low)
		out = append(out, h)
	}
	return append(out, hits[n:]...)
}

// wterm is a word of a document's vector: its number (its index in the
// body's dictionary, or after them in the title's) and its weight.
type wterm struct {
	id uint32
	w  float64
}

// dot is the scalar product of two vectors sorted by word number.
func dot(a, b []wterm) float64 {
	s := 0.0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i].id < b[j].id:
			i++
		case a[i].id > b[j].id:
			j++
		default:
			s += a[i].w * b[j].w
			i++
			j++
		}
	}
	return s
}

// docVector returns document num's vector: each word of its title and
// body (the first maxVectorBytes), stop words left out, weighted (1 + ln
// tf) × ln(N / df), df the body's count (the title's for a word in no
// body: one lookup per word; the larger of the two scored the same on
// both collections); of length 1. Vectors are memoised (maxVectorCache).
// A word the head's dictionaries lack (in fewer documents than a large
// index's head keeps) counts in the length but is never shared.
func (e *Engine) docVector(num uint32, v view) ([]wterm, error) {
	e.tfMu.Lock()
	vec, ok := e.vecCache[num]
	e.tfMu.Unlock()
	if ok {
		return vec, nil
	}
	d, err := e.doc(num, v)
	if err != nil {
		return nil, err
	}
	tf := map[string]int{}
	var words []string // in order of first use, for a sum in a fixed order
	for _, text := range [2]string{d.Title, cutText(d.Body, maxVectorBytes)} {
		for _, t := range e.analyzer.Analyze(text) {
			if !e.isStop(t.Term) {
				if tf[t.Term] == 0 {
					words = append(words, t.Term)
				}
				tf[t.Term]++
			}
		}
	}
	body := &e.head.Fields[e.s.fieldIdx[FieldBody]]
	title := &e.head.Fields[e.s.fieldIdx[FieldTitle]]
	n := float64(e.head.DocCount)
	vec = make([]wterm, 0, len(words))
	sq := 0.0
	for _, t := range words {
		df, id := 1, uint32(math.MaxUint32)
		if k, found := slices.BinarySearch(body.Dict, t); found {
			df, id = int(body.DictDF[k]), uint32(k)
		} else if body.DictMinDF > 2 {
			df = body.DictMinDF - 1
		}
		if id == math.MaxUint32 {
			if k, found := slices.BinarySearch(title.Dict, t); found {
				df, id = max(df, int(title.DictDF[k])), uint32(len(body.Dict)+k)
			}
		}
		// At least 1: a crafted head may say 0 (and an infinite
		// weight would make every score NaN).
		x := (1 + math.Log(float64(tf[t]))) * math.Log(n/float64(max(df, 1)))
		sq += x * x
		if id != math.MaxUint32 {
			vec = append(vec, wterm{id, x})
		}
	}
	if sq > 0 {
		r := 1 / math.Sqrt(sq)
		for i := range vec {
			vec[i].w *= r
		}
	}
	// sort.Slice rather than slices.SortFunc: a new instance of the
	// generic sort would add kilobytes to quarry.wasm.
	sort.Slice(vec, func(i, j int) bool { return vec[i].id < vec[j].id })
	e.tfMu.Lock()
	if e.vecCache == nil || e.vecCached+len(vec) > maxVectorCache {
		e.vecCache, e.vecCached = map[uint32][]wterm{}, 0
	}
	e.vecCache[num], e.vecCached = vec, e.vecCached+len(vec)
	e.tfMu.Unlock()
	return vec, nil
}

// cutText returns text's first n bytes or fewer, cut before a word (at
// a space) or at least between two characters.
func cutText(text string, n int) string {
	if len(text) <= n {
		return text
	}
	for i := n; i > n/2; i-- {
		if text[i] == ' ' || text[i] == '\n' {
			return text[:i]
		}
	}
	for n > 0 && !utf8.RuneStart(text[n]) {
		n--
	}
	return text[:n]
}
