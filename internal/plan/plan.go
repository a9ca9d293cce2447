// Package plan turns what a person typed into a query tree (package
// query) whose leaves are index terms: plain words with BM25F over title
// and body, the last word also completed as a prefix while typing,
// spelling neighbours for words absent from the index, a bonus for titles
// made of the query's words; or, for text written in the query-string
// language, the same tree bleve would search. Expansions (prefixes, typos,
// wildcards) are resolved here against the index's dictionaries, so the
// tree names every term a search will read.
package plan

import (
	"errors"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/quarry-search/quarry/internal/analysis"
	"github.com/quarry-search/quarry/internal/index"
	"github.com/quarry-search/quarry/internal/query"
)

// Field names the planner targets.
const (
	FieldTitle = "title"
	FieldBody  = "body"
)

// Ranking is the tuning of plain-word queries. Every feature was kept
// because it raised nDCG@10 on both Cranfield and CACM and lowered
// neither beyond two standard errors (issue 13; the body's b helps CACM
// only), or, for the title-match bonus, put a page titled as the query
// first (see the README's "Ranking" table, which TestRankingFeatures in
// package engine recomputes). The figures in the comments are Cranfield
// / CACM nDCG@10 with the feature left out, against 0.4139 / 0.5450 with
// everything (0.4041 / 0.5342 before issue 13's retuning of K1, BodyB,
// the title weight and the feedback), measured before request words
// were weighed as stop words (Config.IsStopWord; 0.4145 / 0.5657 with
// them, the README's table has today's figures).
type Ranking struct {
	// K1 is BM25F's saturation. 2: 0.4034 / 0.5232 at 1.2 (the usual
	// default). Chosen with the title weight, the b's and the feedback
	// on a joint grid over both collections (engine.TestTuningGrid),
	// the rest as chosen: 1.5 scored 0.4045 / 0.5384, 2.5 0.4128 /
	// 0.5444, 3 0.4101 / 0.5382.
	K1 float64
	// TitleB and BodyB are BM25F's length normalisation per field (b).
	// Body 0.5: 0.4159 / 0.5279 at 0.75 (CACM's documents are titles
	// with authors' names or whole abstracts; Cranfield's abstracts are
	// of similar lengths, and there it is within a standard error of
	// nothing); 0.4 and 0.6 also help CACM. Title 0.75: 1 scored 0.4149
	// / 0.5415 (it lowered CACM at three of the four points tried).
	TitleB, BodyB float64
	// StopWordWeight scales stop words when the query has other words
	// (0.4015 / 0.5025 at full weight); DropStopWordsFrom is the number
	// of content words from which they are left out (a cost: the
	// longest postings lists; 1, 2 and 3 gave the same rankings).
	StopWordWeight    float64
	DropStopWordsFrom int
	// QueryTermFrequency weighs a word repeated in the query by the
	// square root of its count (0.4121 / 0.4995 without: long questions
	// and pasted paragraphs repeat their topic).
	QueryTermFrequency bool
	// PairWeight rewards two consecutive words of the query found in a
	// title, by PairWeight times their mean idf (0.4075 / 0.5323
	// without), within PairWindow positions of each other, or anywhere
	// in the title when PairWindow is 0. Anywhere: titles are short, and
	// reading no positions spares a plain query the positions parts of
	// its terms, which in index formats 4 and 5 hold the bodies' positions too
	// (cold, as typed, on the Hugo docs and PHP manual queries: 18–23%
	// fewer fetch rounds, 37–41% fewer bytes). Within 2 positions at
	// weight 0.25 scored 0.4064 / 0.5368 (against anywhere: 38 Cranfield
	// questions better, 37 worse; CACM 5 and 8); anywhere at 0.1, 0.2,
	// 0.25, 0.35 scored lower on one or both (measured before issue 13's
	// retuning, against 0.4041 / 0.5342). Pairs in the body were measured
	// too (see the README) and helped Cranfield nowhere.
	PairWeight float64
	PairWindow int
	// TitleMatchWeight scales the bonus of a title made of the query's
	// words (up to maxTitleMatchTerms). No Cranfield or CACM question
	// is that short (0.000 / 0.000), but of the Hugo docs queries that
	// are a page's exact title, 15 of 17 find it first with the bonus,
	// 9 without.
	TitleMatchWeight float64
	// PrefixBudget is the weight the completions of a last word being
	// typed share when the word itself is in the index, as a fraction of
	// the word's weight; when it is not, they share the whole weight.
	// MaxPrefixTerms completions are used, the most frequent, each
	// weighted by its share of their document counts. See prefixTerms.
	PrefixBudget   float64
	MaxPrefixTerms int
}

// DefaultRanking is the ranking searches use.
var DefaultRanking = Ranking{
	K1:                 2.0,
	TitleB:             0.75,
	BodyB:              0.5,
	StopWordWeight:     0.2,
	DropStopWordsFrom:  3,
	QueryTermFrequency: true,
	PairWeight:         0.15,
	PairWindow:         0,
	TitleMatchWeight:   0.5,
	PrefixBudget:       0.3,
	MaxPrefixTerms:     4,
}

// Limits and expansions of plain-word queries.
const (
	// minPrefixRunes is the shortest last word completed as a prefix.
	minPrefixRunes = 2
	// fuzzyWeight scales terms found by typo tolerance (per edit).
	fuzzyWeight = 0.5
	// MaxFuzzyTerms is how many spelling neighbours a word brings in.
	MaxFuzzyTerms = 8
	// minFuzzyRunes and MaxFuzzyRunes bound the words corrected for
	// typos (an automaton for a very long word is costly).
	minFuzzyRunes = 4
	MaxFuzzyRunes = 32
	// MaxFuzzyWords is the most words of one query corrected for typos
	// (each builds an automaton and scans the dictionary).
	MaxFuzzyWords = 8
	// longWordRunes is the length from which a word may be two edits
	// away from its correction (one edit below it).
	longWordRunes = 7
	// maxTitleMatchTerms is the longest query that gets the title bonus.
	maxTitleMatchTerms = 6
	// dictScan bounds the dictionary entries read per prefix or typo
	// expansion and field.
	dictScan = 4 * MaxExpansions
	// MaxExpansions is the most index terms one wildcard or fuzzy clause
	// may expand to per field; past it the query is searched as words.
	MaxExpansions = 1024
	// MaxQueryBytes is the longest query text considered; the rest is
	// cut. 4096 bytes hold a pasted paragraph of 500 to 600 words.
	MaxQueryBytes = 4096
	// MaxTerms is the most distinct words of a plain query searched: a
	// longer query keeps its most discriminative words (the fewest
	// documents), and Plan.Dropped says how many were left out.
	MaxTerms = 64
)

// ErrTooBroad is wrapped by expansion errors (too many terms, a word the
// automaton refuses): the caller searches the query's words instead.
var ErrTooBroad = errors.New("query too broad")

// Token is one analyzed word of the query.
type Token struct {
	// Term is the analyzed (stemmed) form.
	Term string
	// Start and End are byte offsets in the text.
	Start, End int
}

// Config is what the planner knows about the index.
type Config struct {
	// Index gives dictionary access for expansions and frequencies.
	Index index.Reader
	// Analyze analyzes text as the index's text fields were.
	Analyze func(text string) []Token
	// IsStopWord reports whether a lower-cased word is weighed as a stop
	// word: the language's stop words and, in the engine, its request
	// words (analysis.Language.IsQueryStopWord).
	IsStopWord func(word string) bool
	// Fuzzy builds a Levenshtein automaton (transpositions count one
	// edit) that reports edit distances.
	Fuzzy func(term string, distance int) (index.Automaton, error)
	// TitleBoost and BodyBoost weight the two text fields.
	TitleBoost, BodyBoost float64
	// TextFields and KeywordFields are the fields query syntax may name:
	// analyzed text (title, body, url) and facet keywords.
	TextFields, KeywordFields []string
	// Ranking tunes plain-word queries (DefaultRanking).
	Ranking Ranking
}

// Plan is how a query text will be searched.
type Plan struct {
	// Query is the tree to run, nil for an empty query.
	Query query.Node
	// Words are the distinct analyzed content words of a plain query.
	Words map[string]bool
	// Highlight lists the index terms a plain query (or a syntax query
	// made only of plain words) can match, so excerpts can be marked
	// without term positions. Nil when the search must report them.
	// The stop words of a plain query with other words are searched
	// (weighted down) but not marked: "on" in "hugo on windows" would
	// mark every "on" of an excerpt.
	Highlight []string
	// Mode is "plain", "fuzzy" (plain with typo corrections), "syntax"
	// or "empty".
	Mode string
	// Notice explains a fallback to plain words.
	Notice string
	// Corrections maps each misspelt term (or a finished query's last
	// word absent from the index) to the replacement ranked first.
	Corrections map[string]string
	// Dropped is the number of distinct words left out of a long plain
	// query (see MaxTerms).
	Dropped int
	// Syntax is the query-string text searched in syntax mode: the
	// typed text with its natural punctuation removed (see query.Read)
	// and stop words weighted down.
	Syntax string
	// Fixes are the words of Text that were corrected (misspelt, or a finished
	// last word completed), in
	// order: what "showing results for …" replaces.
	Fixes []Fix
	// Text is the text the plain words were read from: the query,
	// clipped, or its words when its syntax was not understood.
	Text string
}

// Fix is one corrected word of a plain query.
type Fix struct {
	// Start and End are the word's byte offsets in Plan.Text.
	Start, End int
	// Term is the correction ranked first: an index term (analyzed,
	// e.g. stemmed), not necessarily a word a person would write.
	Term string
}

// New plans text; complete says the user has finished typing, so the
// last word is not completed as a prefix.
func New(cfg *Config, text string, complete bool) (Plan, error) {
	text = Clip(text)
	if strings.TrimSpace(text) == "" {
		return Plan{Mode: "empty"}, nil
	}
	p := &planner{Config: cfg}
	words := query.Read(text, p.fields())
	if words.Syntax() {
		syn := p.weighStopWords(words).String()
		q, hl, err := p.syntax(syn)
		if err == nil {
			return Plan{Query: q, Mode: "syntax", Highlight: hl, Syntax: syn}, nil
		}
		if errors.Is(err, ErrTooBroad) {
			return Plan{}, err
		}
		pl, perr := p.plain(query.StripSyntax(text), complete)
		if perr != nil {
			return Plan{}, perr
		}
		pl.Notice = "query syntax not understood (" + err.Error() + "); searched for the words instead"
		pl.Syntax = syn
		return pl, nil
	}
	// Prose: its words without the characters the analyzer would keep
	// inside a word ("nosuch:alipay" is one word to it). Punctuation
	// after the last word finishes it.
	return p.plain(words.String(), complete || endsWithSeparator(text))
}

// Clip bounds the query length on a rune boundary.
func Clip(s string) string {
	if len(s) <= MaxQueryBytes {
		return s
	}
	s = s[:MaxQueryBytes]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

type planner struct {
	*Config
}

// bothFields matches term in title and body, scored with BM25F. (Two
// separate BM25 clauses summed scored Cranfield nDCG@10 0.395 at title
// weight 1.5; BM25F 0.402, and stays near 0.40 for weights 1 to 3.)
func (p *planner) bothFields(term string, w float64) query.Node {
	return &query.Fields{Term: term, Fields: []string{FieldTitle, FieldBody}, Weights: []float64{p.TitleBoost, p.BodyBoost}, Boost: w, K1: p.Ranking.K1,
		B: []float64{p.Ranking.TitleB, p.Ranking.BodyB}}
}

// sum scores clauses with the sum of the matching ones, without a
// coordination factor (which lowered Cranfield nDCG@10 from 0.405 to
// 0.386).
func sum(qs []query.Node) query.Node {
	if len(qs) == 1 {
		return qs[0]
	}
	return &query.Sum{Clauses: qs}
}

// docFreq is the number of documents having term in title plus in body.
func (p *planner) docFreq(term string) int {
	n := 0
	for _, f := range []string{FieldTitle, FieldBody} {
		if df, err := p.Index.DocFreq(f, term); err == nil {
			n += df
		}
	}
	return n
}

type surfaceToken struct {
	Token
	surface string // lower-cased text as typed
}

// qword is one distinct word of a plain query.
type qword struct {
	surfaceToken
	qtf  int  // occurrences in the query
	df   int  // documents having it in title plus in body
	stop bool // a stop word
	last bool // the query's last word
}

// plain builds the any-word query, with the last word completed as a
// prefix while typing and typo-tolerant corrections.
func (p *planner) plain(text string, complete bool) (Plan, error) {
	var toks []surfaceToken
	for _, t := range p.Analyze(text) {
		toks = append(toks, surfaceToken{t, analysis.NormalizeSurface(text[t.Start:t.End])})
	}
	if len(toks) == 0 {
		return Plan{Mode: "empty"}, nil
	}
	typing := !complete && !endsWithSeparator(text) && toks[len(toks)-1].End == len(strings.TrimRightFunc(text, unicode.IsSpace))
	// Distinct words in query order, with their counts.
	var ws []*qword
	byTerm := map[string]*qword{}
	content := 0
	for i, t := range toks {
		w := byTerm[t.Term]
		if w == nil {
			w = &qword{surfaceToken: t, stop: p.IsStopWord(t.surface)}
			byTerm[t.Term] = w
			ws = append(ws, w)
			if !w.stop {
				content++
			}
		}
		w.qtf++
		if i == len(toks)-1 {
			w.last = true
		}
	}
	allStop := content == 0
	kept := ws[:0:0]
	for _, w := range ws {
		if !allStop && w.stop && content >= p.Ranking.DropStopWordsFrom && !w.last {
			// Enough content words: the stop words would only add a
			// full scan of near-universal postings.
			continue
		}
		w.df = p.docFreq(w.Term)
		kept = append(kept, w)
	}
	dropped := 0
	if len(kept) > MaxTerms {
		kept, dropped = discriminative(kept, MaxTerms), len(kept)-MaxTerms
	}
	var clauses []query.Node
	needFuzzy, fuzzyWords := false, 0
	corrected := map[string]string{} // misspelt or unfinished term -> best replacement
	for _, w := range kept {
		weight := 1.0
		if p.Ranking.QueryTermFrequency {
			weight = math.Sqrt(float64(w.qtf))
		}
		if !allStop && w.stop {
			weight *= p.Ranking.StopWordWeight
		}
		word := []query.Node{p.bothFields(w.Term, weight)}
		// The last word is completed while it is typed, and when a
		// finished query's last word matches nothing.
		if w.last && (typing || w.df == 0) && utf8.RuneCountInString(w.surface) >= minPrefixRunes {
			extra, best := p.prefixTerms(w.surfaceToken, weight, w.df > 0)
			word = append(word, extra...)
			if best != "" && w.df == 0 {
				corrected[w.Term] = best
			}
		}
		if n := utf8.RuneCountInString(w.Term); w.df == 0 && len(word) == 1 && n >= minFuzzyRunes && n <= MaxFuzzyRunes && fuzzyWords < MaxFuzzyWords {
			fuzzyWords++
			if extra, best := p.fuzzyTerms(w.Term, weight); len(extra) > 0 {
				word = append(word, extra...)
				needFuzzy = true
				corrected[w.Term] = best
			}
		}
		clauses = append(clauses, sum(word))
	}
	words := map[string]bool{}
	var terms []string // content words in query order, as corrected
	for _, w := range kept {
		if !w.stop && !words[w.Term] {
			words[w.Term] = true
			if c, ok := corrected[w.Term]; ok {
				terms = append(terms, c)
			} else {
				terms = append(terms, w.Term)
			}
		}
	}
	if r := p.Ranking; r.PairWeight > 0 {
		// Consecutive words of the query close together in a title.
		for i := 0; i+1 < len(terms); i++ {
			if terms[i] != terms[i+1] {
				clauses = append(clauses, &query.Near{Field: FieldTitle, A: terms[i], B: terms[i+1], Window: r.PairWindow, Boost: r.PairWeight})
			}
		}
	}
	// A title made of the query's words (as corrected) ranks first.
	if w := p.Ranking.TitleMatchWeight; len(terms) > 0 && len(terms) <= maxTitleMatchTerms && w > 0 {
		clauses = append(clauses, &query.TitleMatch{Terms: terms, Field: FieldTitle, Boost: w})
	}
	// Stop words are not marked when the query has other words.
	unmarked := map[string]bool{}
	if !allStop {
		for _, t := range toks {
			if p.IsStopWord(t.surface) {
				unmarked[t.Term] = true
			}
		}
		for _, t := range toks {
			if !p.IsStopWord(t.surface) {
				delete(unmarked, t.Term)
			}
		}
	}
	pl := Plan{Query: sum(clauses), Mode: "plain", Words: words, Highlight: termsOf(clauses, unmarked), Dropped: dropped, Text: text}
	if needFuzzy {
		// A word absent from the index is replaced by its spelling
		// neighbours (weighted down); words that exist stay exact, so
		// corrections never bury exact matches.
		pl.Mode = "fuzzy"
	}
	if len(corrected) > 0 {
		pl.Corrections = corrected
		for _, t := range toks {
			if c, ok := corrected[t.Term]; ok {
				pl.Fixes = append(pl.Fixes, Fix{Start: t.Start, End: t.End, Term: c})
			}
		}
	}
	return pl, nil
}

// discriminative keeps the n words of ws with the fewest documents (the
// highest idf), in query order; the query's last word is always kept.
func discriminative(ws []*qword, n int) []*qword {
	order := slices.Clone(ws)
	slices.SortStableFunc(order, func(a, b *qword) int {
		switch {
		case a.last != b.last:
			if a.last {
				return -1
			}
			return 1
		case a.df != b.df:
			return a.df - b.df
		}
		return 0
	})
	keep := map[*qword]bool{}
	for _, w := range order[:n] {
		keep[w] = true
	}
	out := ws[:0:0]
	for _, w := range ws {
		if keep[w] {
			out = append(out, w)
		}
	}
	return out
}

func endsWithSeparator(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsSpace(r) || unicode.IsPunct(r) && r != '\'' && r != '’'
}

type dictTerm struct {
	term  string
	count int
	dist  uint8
}

// prefixTerms completes the last word: the index terms starting with
// what was typed (and with its stem), the term itself excluded. The
// Ranking.MaxPrefixTerms with the most documents share a budget of
// weight, each in proportion to its documents: when the word typed is
// itself in the index, Ranking.PrefixBudget times its weight (the word
// keeps its own full weight), else the word's whole weight. It returns
// their clauses and the completion with the most documents.
//
// Before, up to 24 completions each had 0.6 of the word's weight, so a
// finished common word ("file" → file, files, filesystem, filename…)
// outweighed the words before it. Measured on the Hugo docs and PHP
// manual queries (finished first hit in the as-typed top 3, whole query
// typed / at each keystroke of its last word): before 26 / 0.56 and
// 21 / 0.53 of 30; now 30 / 0.77 and 30 / 0.63. Alternatives: budget
// 0 (completions only for words not in the index) 30 / 0.73 and 30 /
// 0.57; 0.5 scored 29 of 30 on PHP; shares by documents divided by the
// extra letters (preferring short completions) 30 / 0.74 and 30 / 0.61;
// equal shares 30 / 0.74 and 30 / 0.54; 8 and 24 completions 0.77 and
// 0.61 / 0.60 on PHP; 1 completion 29 of 30 on PHP. Cranfield and CACM
// questions run as typed score within 0.001 of finished ones with any of
// these.
func (p *planner) prefixTerms(t surfaceToken, w float64, exists bool) ([]query.Node, string) {
	counts := map[string]int{}
	for _, pre := range uniq(t.surface, t.Term) {
		for _, f := range []string{FieldTitle, FieldBody} {
			n := 0
			_ = p.Index.Terms(f, nil, []byte(pre), index.PrefixEnd([]byte(pre)), func(e index.Entry) bool {
				if string(e.Term) != t.Term {
					counts[string(e.Term)] += e.DocFreq
				}
				n++
				return n < dictScan
			})
		}
	}
	top := topTerms(counts, nil, p.Ranking.MaxPrefixTerms)
	if len(top) == 0 {
		return nil, ""
	}
	budget := w
	if exists {
		budget = w * p.Ranking.PrefixBudget
	}
	total := 0
	for _, dt := range top {
		total += dt.count
	}
	var out []query.Node
	for _, dt := range top {
		if cw := budget * float64(dt.count) / float64(total); cw > 0 {
			out = append(out, p.bothFields(dt.term, cw))
		}
	}
	return out, top[0].term
}

// fuzzyTerms finds index terms within a small edit distance of term (one
// edit, two from longWordRunes letters), and returns their clauses and
// the best of them.
func (p *planner) fuzzyTerms(term string, w float64) ([]query.Node, string) {
	d := 1
	if utf8.RuneCountInString(term) >= longWordRunes {
		d = 2
	}
	a, err := p.Fuzzy(term, d)
	if err != nil {
		return nil, ""
	}
	counts := map[string]int{}
	dists := map[string]uint8{}
	for _, f := range []string{FieldTitle, FieldBody} {
		n := 0
		_ = p.Index.Terms(f, a, nil, nil, func(e index.Entry) bool {
			counts[string(e.Term)] += e.DocFreq
			if old, ok := dists[string(e.Term)]; !ok || e.EditDistance < old {
				dists[string(e.Term)] = e.EditDistance
			}
			n++
			return n < dictScan
		})
	}
	var out []query.Node
	best := ""
	for _, dt := range topTerms(counts, dists, MaxFuzzyTerms) {
		dist := dt.dist
		if dist == 0 {
			dist = 1
		}
		if best == "" {
			best = dt.term
		}
		out = append(out, p.bothFields(dt.term, w*fuzzyWeight/float64(dist)))
	}
	return out, best
}

// topTerms orders terms by edit distance (when given), then by
// descending document count, then alphabetically, and keeps n.
func topTerms(counts map[string]int, dists map[string]uint8, n int) []dictTerm {
	out := make([]dictTerm, 0, len(counts))
	for t, c := range counts {
		out = append(out, dictTerm{term: t, count: c, dist: dists[t]})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.dist != b.dist {
			return a.dist < b.dist
		}
		if a.count != b.count {
			return a.count > b.count
		}
		return a.term < b.term
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func uniq(a, b string) []string {
	if a == b || strings.HasPrefix(a, b) {
		return []string{b}
	}
	if strings.HasPrefix(b, a) {
		return []string{a}
	}
	return []string{a, b}
}

// termsOf lists the distinct terms of plain-query clauses, but those of
// skip.
func termsOf(qs []query.Node, skip map[string]bool) []string {
	seen := map[string]bool{}
	for t := range skip {
		seen[t] = true
	}
	var out []string
	for _, q := range qs {
		query.Walk(q, func(n query.Node) {
			if f, ok := n.(*query.Fields); ok && !seen[f.Term] {
				seen[f.Term] = true
				out = append(out, f.Term)
			}
		})
	}
	return out
}
