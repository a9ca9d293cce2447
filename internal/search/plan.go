package search

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/quarry-search/quarry/internal/schema"
)

// stopWordWeight scales the weight of stop words when the query has
// other words too: kept findable, but not dominant.
var stopWordWeight = 0.2

// Tuning of plain-word queries.
const (
	// prefixWeight scales terms that only complete the last word.
	prefixWeight = 0.6
	// maxPrefixTerms is how many completions of the last word are used
	// (the most frequent ones).
	maxPrefixTerms = 24
	// minPrefixRunes is the shortest last word completed as a prefix.
	minPrefixRunes = 2
	// fuzzyWeight scales terms found by typo tolerance (per edit).
	fuzzyWeight = 0.5
	// maxFuzzyTerms is how many spelling neighbours a word brings in.
	maxFuzzyTerms = 8
	// minFuzzyRunes and maxFuzzyRunes bound the words corrected for
	// typos (a Levenshtein automaton for a very long word is costly).
	minFuzzyRunes = 4
	maxFuzzyRunes = 32
	// maxTitleMatchTerms is the longest query that gets the title bonus.
	maxTitleMatchTerms = 6
	// titleMatchWeight scales the bonus of a title made of the query's
	// words (see TitleMatchQuery); Cranfield nDCG@10 is unchanged by it.
	titleMatchWeight = 0.5
	// dropStopWordsFrom is the number of content words from which stop
	// words are left out of the query.
	dropStopWordsFrom = 3
)

// Plan is how a query text will be searched.
type Plan struct {
	// Query is the bleve query to run first, nil for an empty query.
	Query query.Query
	// Words are the distinct analyzed content words of a plain query.
	Words map[string]bool
	// Highlight lists the index terms a plain query can match, so
	// excerpts can be marked without term vectors during the search.
	// Nil for syntax queries with phrases, wildcards, regexps or
	// fuzziness, which are searched with term vectors.
	Highlight []string
	// Mode is "plain", "fuzzy" (plain with typo corrections), "syntax"
	// or "empty".
	Mode string
	// Notice explains a fallback to plain words.
	Notice string
}

// Plan turns text into a query plan. complete says the user has finished
// typing, so the last word is not completed as a prefix.
func (e *Engine) Plan(text string, complete bool) (Plan, error) {
	return PlanQuery(e.r, e.analyzerFunc(), e.lang, e.boosts.title, e.boosts.body, e.fieldSet(), text, complete)
}

func (e *Engine) fieldSet() map[string]bool {
	fs := map[string]bool{schema.FieldTitle: true, schema.FieldBody: true, schema.FieldURL: true}
	for _, f := range e.meta.FacetFields {
		fs[f] = true
	}
	return fs
}

// analyzeFunc analyzes text into tokens with the index's text analyzer.
type analyzeFunc func(text string) []token

type token struct {
	term       string // analyzed (stemmed) term
	surface    string // lower-cased text as typed
	start, end int
}

func (e *Engine) analyzerFunc() analyzeFunc {
	return func(text string) []token {
		ts := e.analyzer.Analyze([]byte(text))
		out := make([]token, 0, len(ts))
		for _, t := range ts {
			out = append(out, token{
				term: string(t.Term), start: t.Start, end: t.End,
				surface: normalizeSurface(text[t.Start:t.End]),
			})
		}
		return out
	}
}

func normalizeSurface(s string) string {
	s = strings.ToLower(s)
	return strings.NewReplacer("’", "'", "‘", "'").Replace(s)
}

// PlanQuery builds a plan over any index reader (so the same query can be
// run on a scorch index in differential tests).
func PlanQuery(ir index.IndexReader, analyze analyzeFunc, lang schema.Language, titleBoost, bodyBoost float64, fields map[string]bool, text string, complete bool) (Plan, error) {
	text = clip(text)
	if strings.TrimSpace(text) == "" {
		return Plan{Mode: "empty"}, nil
	}
	pb := &planner{ir: ir, analyze: analyze, lang: lang, tb: titleBoost, bb: bodyBoost, fields: fields}
	if looksLikeSyntax(text) {
		q, err := pb.syntax(text)
		if err == nil {
			return Plan{Query: q, Mode: "syntax", Highlight: pb.highlight}, nil
		}
		p, perr := pb.plain(stripSyntax(text), complete)
		if perr != nil {
			return Plan{}, perr
		}
		p.Notice = "query syntax not understood (" + err.Error() + "); searched for the words instead"
		return p, nil
	}
	return pb.plain(text, complete)
}

// clip bounds the query length on a rune boundary.
func clip(s string) string {
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
	// highlight is set by syntax: see plainTerms.
	highlight []string
	ir        index.IndexReader
	analyze   analyzeFunc
	lang      schema.Language
	tb, bb    float64
	fields    map[string]bool
}

// termQuery matches term exactly in field with boost.
func termQuery(term, field string, boost float64) query.Query {
	return &TermQuery{Term: term, Field: field, Boost: boost}
}

// bothFields matches term in title and body, scored with BM25F. (Two
// separate BM25 clauses summed scored Cranfield nDCG@10 0.395 at title
// weight 1.5; BM25F 0.402, and stays near 0.40 for weights 1 to 3.)
func (p *planner) bothFields(term string, w float64) []query.Query {
	return []query.Query{&FieldsQuery{Term: term, Fields: []string{schema.FieldTitle, schema.FieldBody}, Weights: []float64{p.tb, p.bb}, Boost: w}}
}

// sum scores a word: the sum of its clauses (fields, completions,
// corrections), without a coordination factor.
func sum(qs []query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return &SumQuery{Clauses: qs}
}

// anyWord combines words: the sum of the matching words' scores (BM25),
// so documents with more of the words rank first. A coordination factor
// (x fraction of words matched) was measured and lowered Cranfield
// nDCG@10 from 0.405 to 0.386, so none is applied.
func anyWord(qs []query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return &SumQuery{Clauses: qs}
}

// docFreq is the number of documents having term in title or body.
func (p *planner) docFreq(term string) uint64 {
	var n uint64
	for _, f := range []string{schema.FieldTitle, schema.FieldBody} {
		tfr, err := p.ir.TermFieldReader(nil, []byte(term), f, false, false, false)
		if err != nil {
			continue
		}
		n += tfr.Count()
		tfr.Close()
	}
	return n
}

// plain builds the any-word BM25 query, with the last word completed as a
// prefix while typing and a typo-tolerant fallback.
func (p *planner) plain(text string, complete bool) (Plan, error) {
	toks := p.analyze(text)
	if len(toks) > MaxWords {
		toks = toks[:MaxWords]
	}
	if len(toks) == 0 {
		return Plan{Mode: "empty"}, nil
	}
	typing := !complete && !endsWithSeparator(text) && toks[len(toks)-1].end == len(strings.TrimRightFunc(text, unicode.IsSpace))
	allStop := true
	for _, t := range toks {
		if !p.lang.IsStopWord(t.surface) {
			allStop = false
		}
	}
	content := 0
	for _, t := range toks {
		if !p.lang.IsStopWord(t.surface) {
			content++
		}
	}
	var exact, fuzzy []query.Query
	needFuzzy := false
	corrected := map[string]string{} // misspelt term -> best correction
	seen := map[string]bool{}
	for i, t := range toks {
		if seen[t.term] {
			continue
		}
		seen[t.term] = true
		w := 1.0
		if !allStop && p.lang.IsStopWord(t.surface) {
			if content >= dropStopWordsFrom && i < len(toks)-1 {
				// Enough content words: the stop words would only add
				// a full scan of near-universal postings.
				continue
			}
			w = stopWordWeight
		}
		clauses := p.bothFields(t.term, w)
		exactOnly := len(clauses)
		df := p.docFreq(t.term)
		last := i == len(toks)-1
		if last && typing && utf8.RuneCountInString(t.surface) >= minPrefixRunes {
			clauses = append(clauses, p.prefixTerms(t, w)...)
		}
		exact = append(exact, sum(clauses))
		fz := clauses
		if n := utf8.RuneCountInString(t.term); df == 0 && len(clauses) == exactOnly && n >= minFuzzyRunes && n <= maxFuzzyRunes {
			if extra, best := p.fuzzyTerms(t.term, w); len(extra) > 0 {
				fz = append(append([]query.Query{}, clauses...), extra...)
				needFuzzy = true
				corrected[t.term] = best
			}
		}
		fuzzy = append(fuzzy, sum(fz))
	}
	words := map[string]bool{}
	var titleTerms, fixedTerms []string
	for _, t := range toks {
		if !p.lang.IsStopWord(t.surface) && !words[t.term] {
			words[t.term] = true
			titleTerms = append(titleTerms, t.term)
			if c, ok := corrected[t.term]; ok {
				fixedTerms = append(fixedTerms, c)
			} else {
				fixedTerms = append(fixedTerms, t.term)
			}
		}
	}
	// A title made of the query's words (as corrected) ranks first.
	if len(titleTerms) > 0 && len(titleTerms) <= maxTitleMatchTerms {
		exact = append(exact, &TitleMatchQuery{Terms: titleTerms, Field: schema.FieldTitle, Boost: titleMatchWeight})
		fuzzy = append(fuzzy, &TitleMatchQuery{Terms: fixedTerms, Field: schema.FieldTitle, Boost: titleMatchWeight})
	}
	// Stop words are not marked when the query has other words.
	unmarked := map[string]bool{}
	if !allStop {
		for _, t := range toks {
			if p.lang.IsStopWord(t.surface) {
				unmarked[t.term] = true
			}
		}
		for _, t := range toks {
			if !p.lang.IsStopWord(t.surface) {
				delete(unmarked, t.term)
			}
		}
	}
	if needFuzzy {
		// A word absent from the index is replaced by its spelling
		// neighbours (weighted down); words that exist stay exact, so
		// corrections never bury exact matches.
		return Plan{Query: anyWord(fuzzy), Mode: "fuzzy", Words: words, Highlight: termsOf(fuzzy, unmarked)}, nil
	}
	return Plan{Query: anyWord(exact), Mode: "plain", Words: words, Highlight: termsOf(exact, unmarked)}, nil
}

func endsWithSeparator(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsSpace(r) || unicode.IsPunct(r) && r != '\'' && r != '’'
}

type dictTerm struct {
	term  string
	count uint64
	dist  uint8
}

// prefixTerms completes the last word: the most frequent index terms
// starting with what was typed (and with its stem), excluding the term
// itself.
func (p *planner) prefixTerms(t token, w float64) []query.Query {
	counts := map[string]uint64{}
	for _, pre := range uniq(t.surface, t.term) {
		for _, f := range []string{schema.FieldTitle, schema.FieldBody} {
			fd, err := p.ir.FieldDictPrefix(f, []byte(pre))
			if err != nil {
				continue
			}
			for n := 0; n < 4*maxClauses; n++ {
				e, err := fd.Next()
				if err != nil || e == nil {
					break
				}
				if e.Term != t.term {
					counts[e.Term] += e.Count
				}
			}
			fd.Close()
		}
	}
	terms := topTerms(counts, nil, maxPrefixTerms)
	var out []query.Query
	for _, dt := range terms {
		out = append(out, p.bothFields(dt.term, w*prefixWeight)...)
	}
	return out
}

// fuzzyTerms finds index terms within a small edit distance of term, and
// returns their clauses and the best of them.
func (p *planner) fuzzyTerms(term string, w float64) ([]query.Query, string) {
	d := 1
	if utf8.RuneCountInString(term) >= 7 {
		d = 2
	}
	counts := map[string]uint64{}
	dists := map[string]uint8{}
	fr, ok := p.ir.(index.IndexReaderFuzzy)
	if !ok {
		return nil, ""
	}
	for _, f := range []string{schema.FieldTitle, schema.FieldBody} {
		fd, err := fr.FieldDictFuzzy(f, term, d, "")
		if err != nil {
			continue
		}
		for n := 0; n < 4*maxClauses; n++ {
			e, err := fd.Next()
			if err != nil || e == nil {
				break
			}
			counts[e.Term] += e.Count
			if old, ok := dists[e.Term]; !ok || e.EditDistance < old {
				dists[e.Term] = e.EditDistance
			}
		}
		fd.Close()
	}
	var out []query.Query
	best := ""
	for _, dt := range topTerms(counts, dists, maxFuzzyTerms) {
		dist := dt.dist
		if dist == 0 {
			dist = 1
		}
		if best == "" {
			best = dt.term
		}
		out = append(out, p.bothFields(dt.term, w*fuzzyWeight/float64(dist))...)
	}
	return out, best
}

// topTerms orders terms by edit distance (when given), then by descending
// document count, then alphabetically, and keeps n.
func topTerms(counts map[string]uint64, dists map[string]uint8, n int) []dictTerm {
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

// termsOf lists the distinct terms of plain-query clauses.
func termsOf(qs []query.Query, skip map[string]bool) []string {
	seen := map[string]bool{}
	for t := range skip {
		seen[t] = true
	}
	var out []string
	var walk func(q query.Query)
	walk = func(q query.Query) {
		switch t := q.(type) {
		case *TermQuery:
			if !seen[t.Term] {
				seen[t.Term] = true
				out = append(out, t.Term)
			}
		case *FieldsQuery:
			if !seen[t.Term] {
				seen[t.Term] = true
				out = append(out, t.Term)
			}
		case *SumQuery:
			for _, c := range t.Clauses {
				walk(c)
			}
		}
	}
	for _, q := range qs {
		walk(q)
	}
	return out
}
