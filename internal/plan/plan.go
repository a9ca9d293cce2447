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

// Tuning of plain-word queries.
const (
	// StopWordWeight scales the weight of stop words when the query has
	// other words too: kept findable, but not dominant.
	StopWordWeight = 0.2
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
	// minFuzzyRunes and MaxFuzzyRunes bound the words corrected for
	// typos (an automaton for a very long word is costly).
	minFuzzyRunes = 4
	MaxFuzzyRunes = 32
	// longWordRunes is the length from which a word may be two edits
	// away from its correction (one edit below it).
	longWordRunes = 7
	// maxTitleMatchTerms is the longest query that gets the title bonus.
	maxTitleMatchTerms = 6
	// titleMatchWeight scales the bonus of a title made of the query's
	// words; Cranfield nDCG@10 is unchanged by it.
	titleMatchWeight = 0.5
	// dropStopWordsFrom is the number of content words from which stop
	// words are left out of the query.
	dropStopWordsFrom = 3
	// dictScan bounds the dictionary entries read per prefix or typo
	// expansion and field.
	dictScan = 4 * MaxExpansions
	// MaxExpansions is the most index terms one wildcard or fuzzy clause
	// may expand to per field; past it the query is searched as words.
	MaxExpansions = 1024
	// MaxQueryBytes is the longest query text considered; the rest is cut.
	MaxQueryBytes = 1024
	// MaxWords is the most words of a plain query that are searched.
	MaxWords = 32
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
	// IsStopWord reports whether a lower-cased word is a stop word.
	IsStopWord func(word string) bool
	// Fuzzy builds a Levenshtein automaton (transpositions count one
	// edit) that reports edit distances.
	Fuzzy func(term string, distance int) (index.Automaton, error)
	// TitleBoost and BodyBoost weight the two text fields.
	TitleBoost, BodyBoost float64
	// TextFields and KeywordFields are the fields query syntax may name:
	// analyzed text (title, body, url) and facet keywords.
	TextFields, KeywordFields []string
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
	// Corrections maps each misspelt term to the correction ranked first.
	Corrections map[string]string
	// Fixes are the words of Text that were corrected (mode "fuzzy"), in
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
	if query.LooksLikeSyntax(text) {
		q, hl, err := p.syntax(text)
		if err == nil {
			return Plan{Query: q, Mode: "syntax", Highlight: hl}, nil
		}
		if errors.Is(err, ErrTooBroad) {
			return Plan{}, err
		}
		pl, perr := p.plain(query.StripSyntax(text), complete)
		if perr != nil {
			return Plan{}, perr
		}
		pl.Notice = "query syntax not understood (" + err.Error() + "); searched for the words instead"
		return pl, nil
	}
	return p.plain(text, complete)
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
	return &query.Fields{Term: term, Fields: []string{FieldTitle, FieldBody}, Weights: []float64{p.TitleBoost, p.BodyBoost}, Boost: w}
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

// plain builds the any-word query, with the last word completed as a
// prefix while typing and typo-tolerant corrections.
func (p *planner) plain(text string, complete bool) (Plan, error) {
	var toks []surfaceToken
	for _, t := range p.Analyze(text) {
		toks = append(toks, surfaceToken{t, analysis.NormalizeSurface(text[t.Start:t.End])})
	}
	if len(toks) > MaxWords {
		toks = toks[:MaxWords]
	}
	if len(toks) == 0 {
		return Plan{Mode: "empty"}, nil
	}
	typing := !complete && !endsWithSeparator(text) && toks[len(toks)-1].End == len(strings.TrimRightFunc(text, unicode.IsSpace))
	allStop, content := true, 0
	for _, t := range toks {
		if !p.IsStopWord(t.surface) {
			allStop = false
			content++
		}
	}
	var exact, fuzzy []query.Node
	needFuzzy := false
	corrected := map[string]string{} // misspelt term -> best correction
	seen := map[string]bool{}
	for i, t := range toks {
		if seen[t.Term] {
			continue
		}
		seen[t.Term] = true
		w := 1.0
		if !allStop && p.IsStopWord(t.surface) {
			if content >= dropStopWordsFrom && i < len(toks)-1 {
				// Enough content words: the stop words would only add a
				// full scan of near-universal postings.
				continue
			}
			w = StopWordWeight
		}
		clauses := []query.Node{p.bothFields(t.Term, w)}
		df := p.docFreq(t.Term)
		if i == len(toks)-1 && typing && utf8.RuneCountInString(t.surface) >= minPrefixRunes {
			clauses = append(clauses, p.prefixTerms(t, w)...)
		}
		exact = append(exact, sum(clauses))
		fz := clauses
		if n := utf8.RuneCountInString(t.Term); df == 0 && len(clauses) == 1 && n >= minFuzzyRunes && n <= MaxFuzzyRunes {
			if extra, best := p.fuzzyTerms(t.Term, w); len(extra) > 0 {
				fz = append(slices.Clone(clauses), extra...)
				needFuzzy = true
				corrected[t.Term] = best
			}
		}
		fuzzy = append(fuzzy, sum(fz))
	}
	words := map[string]bool{}
	var titleTerms, fixedTerms []string
	for _, t := range toks {
		if !p.IsStopWord(t.surface) && !words[t.Term] {
			words[t.Term] = true
			titleTerms = append(titleTerms, t.Term)
			if c, ok := corrected[t.Term]; ok {
				fixedTerms = append(fixedTerms, c)
			} else {
				fixedTerms = append(fixedTerms, t.Term)
			}
		}
	}
	// A title made of the query's words (as corrected) ranks first.
	if len(titleTerms) > 0 && len(titleTerms) <= maxTitleMatchTerms {
		exact = append(exact, &query.TitleMatch{Terms: titleTerms, Field: FieldTitle, Boost: titleMatchWeight})
		fuzzy = append(fuzzy, &query.TitleMatch{Terms: fixedTerms, Field: FieldTitle, Boost: titleMatchWeight})
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
	if needFuzzy {
		// A word absent from the index is replaced by its spelling
		// neighbours (weighted down); words that exist stay exact, so
		// corrections never bury exact matches.
		var fixes []Fix
		for _, t := range toks {
			if c, ok := corrected[t.Term]; ok {
				fixes = append(fixes, Fix{Start: t.Start, End: t.End, Term: c})
			}
		}
		return Plan{Query: sum(fuzzy), Mode: "fuzzy", Words: words, Highlight: termsOf(fuzzy, unmarked), Corrections: corrected,
			Fixes: fixes, Text: text}, nil
	}
	return Plan{Query: sum(exact), Mode: "plain", Words: words, Highlight: termsOf(exact, unmarked), Text: text}, nil
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

// prefixTerms completes the last word: the most frequent index terms
// starting with what was typed (and with its stem), the term itself
// excluded.
func (p *planner) prefixTerms(t surfaceToken, w float64) []query.Node {
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
	var out []query.Node
	for _, dt := range topTerms(counts, nil, maxPrefixTerms) {
		out = append(out, p.bothFields(dt.term, w*prefixWeight))
	}
	return out
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
	for _, dt := range topTerms(counts, dists, maxFuzzyTerms) {
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
