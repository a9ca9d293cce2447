package plan

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/quarry-search/quarry/internal/analysis"
	"github.com/quarry-search/quarry/internal/index"
	"github.com/quarry-search/quarry/internal/query"
)

// errRegexp refuses /regular expressions/: see package query.
var errRegexp = errors.New("regular expressions are not supported")

func (p *planner) fields() map[string]bool {
	fs := map[string]bool{}
	for _, f := range p.TextFields {
		fs[f] = true
	}
	for _, f := range p.KeywordFields {
		fs[f] = true
	}
	return fs
}

// weighStopWords gives the stop words of a syntax query the weight they
// have in a plain query (Ranking.StopWordWeight, when the query has other
// words): a word searched alone, not negated, without fuzziness or
// wildcard, that analyzes to one stop word gets its boost multiplied.
// Before, "what is it?" read as syntax weighed its stop words fully and
// matched 1,135 of CACM's 3,204 documents.
func (p *planner) weighStopWords(ws query.Words) query.Words {
	stop := make([]bool, len(ws))
	content := false
	for i, w := range ws {
		switch w.Kind {
		case query.WordOperator, query.WordRegexp:
			continue
		}
		if w.Op == "-" {
			continue
		}
		if (w.Kind == query.WordProse || w.Kind == query.WordTerm) && w.Fuzzy == "" && !slices.Contains(p.KeywordFields, w.Field) {
			if ts := p.Analyze(w.Body); len(ts) == 1 && p.IsStopWord(analysis.NormalizeSurface(w.Body[ts[0].Start:ts[0].End])) {
				stop[i] = true
				continue
			}
		}
		content = true
	}
	if !content {
		return ws
	}
	out := slices.Clone(ws)
	for i := range out {
		if !stop[i] {
			continue
		}
		b := 1.0
		if out[i].Boost != "" {
			b, _ = strconv.ParseFloat(out[i].Boost[1:], 64)
		}
		out[i].Boost = "^" + strconv.FormatFloat(b*p.Ranking.StopWordWeight, 'f', -1, 64)
	}
	return out
}

// syntax reads text in the query-string language and builds bleve's tree
// for it: every clause that names no field searches title (boosted) and
// body. It also returns the terms to mark when every clause is a plain
// word (see plainTerms).
func (p *planner) syntax(text string) (query.Node, []string, error) {
	fields := p.fields()
	parsed, err := query.Parse(query.RewriteOperators(text))
	if err != nil {
		return nil, nil, err
	}
	if err := parsed.Check(); err != nil {
		return nil, nil, err
	}
	hl := p.plainTerms(parsed)
	group := func(cs []query.Clause, all bool) (query.Node, error) {
		if len(cs) == 0 {
			return nil, nil
		}
		nodes := make([]query.Node, 0, len(cs))
		for _, c := range cs {
			n, err := p.leaf(c, fields)
			if err != nil {
				return nil, err
			}
			nodes = append(nodes, n)
		}
		return &query.Any{Clauses: nodes, All: all, SkipNone: true}, nil
	}
	b := &query.Bool{}
	if b.Must, err = group(parsed.Must, true); err != nil {
		return nil, nil, err
	}
	if b.Should, err = group(parsed.Should, false); err != nil {
		return nil, nil, err
	}
	if b.Not, err = group(parsed.Not, false); err != nil {
		return nil, nil, err
	}
	return b, hl, nil
}

// leaf builds one clause: a match (analyzed words), a phrase, a fuzzy
// match or a wildcard, on its field or on title and body.
func (p *planner) leaf(c query.Clause, fields map[string]bool) (query.Node, error) {
	boost := 1.0
	if c.HasBoost {
		boost = c.Boost
	}
	var mk func(field string, b float64) (query.Node, error)
	switch {
	case c.Phrase:
		mk = func(f string, b float64) (query.Node, error) {
			terms := p.analyzeField(f, c.Text)
			if len(terms) == 0 {
				return &query.None{}, nil
			}
			return &query.Phrase{Field: f, Terms: terms, Boost: b}, nil
		}
	case c.IsRegexp():
		return nil, errRegexp
	case c.IsWildcard():
		pattern := strings.ToLower(c.Text)
		mk = func(f string, b float64) (query.Node, error) { return p.wildcard(f, pattern, b) }
	default:
		mk = func(f string, b float64) (query.Node, error) {
			terms := p.analyzeField(f, c.Text)
			if len(terms) == 0 {
				return &query.None{}, nil
			}
			words := make([]query.Node, 0, len(terms))
			for _, t := range terms {
				if !c.Fuzzy || c.Fuzziness == 0 {
					words = append(words, &query.BTerm{Field: f, Term: t, Boost: b})
					continue
				}
				w, err := p.fuzzy(f, t, c.Fuzziness, b)
				if err != nil {
					return nil, err
				}
				words = append(words, w)
			}
			return &query.Any{Clauses: words, Min: 1}, nil
		}
	}
	if c.Field != "" {
		if !fields[c.Field] {
			return nil, errors.New("unknown field " + strconv.Quote(c.Field))
		}
		return mk(c.Field, boost)
	}
	title, err := mk(FieldTitle, boost*p.TitleBoost)
	if err != nil {
		return nil, err
	}
	body, err := mk(FieldBody, boost*p.BodyBoost)
	if err != nil {
		return nil, err
	}
	return &query.Any{Clauses: []query.Node{title, body}}, nil
}

// analyzeField analyzes text as field was indexed: keyword fields take
// the whole text as one term.
func (p *planner) analyzeField(field, text string) []string {
	if slices.Contains(p.KeywordFields, field) {
		return []string{text}
	}
	var out []string
	for _, t := range p.Analyze(text) {
		out = append(out, t.Term)
	}
	return out
}

// tooBroad is the error for an expansion past MaxExpansions terms.
func tooBroad(field string, n int) error {
	return errors.Join(ErrTooBroad, errors.New("too many terms over field "+field+": "+strconv.Itoa(n)+" > "+strconv.Itoa(MaxExpansions)))
}

// fuzzy expands term to the index terms within distance edits, each
// weighted by 1/(edits+1), as bleve's fuzzy searcher does; a term with no
// other neighbour stays a plain term.
func (p *planner) fuzzy(field, term string, distance int, boost float64) (query.Node, error) {
	if distance < 0 {
		return nil, errors.Join(ErrTooBroad, errors.New("invalid fuzziness, negative"))
	}
	a, err := p.Fuzzy(term, distance)
	if err != nil {
		return nil, errors.Join(ErrTooBroad, err)
	}
	var terms []string
	var dists []uint8
	seen := map[string]bool{}
	err = p.Index.Terms(field, a, nil, nil, func(e index.Entry) bool {
		if !seen[string(e.Term)] {
			seen[string(e.Term)] = true
			terms = append(terms, string(e.Term))
			dists = append(dists, e.EditDistance)
		}
		return len(terms) <= MaxExpansions
	})
	if err != nil {
		return nil, err
	}
	if len(terms) > MaxExpansions {
		return nil, tooBroad(field, len(terms))
	}
	if len(terms) == 0 || len(terms) == 1 && terms[0] == term {
		return &query.BTerm{Field: field, Term: term, Boost: boost}, nil
	}
	out := make([]query.Node, len(terms))
	for i, t := range terms {
		out[i] = &query.BTerm{Field: field, Term: t, Boost: boost * (1 / float64(dists[i]+1))}
	}
	return &query.Any{Clauses: out}, nil
}

// wildcard expands a pattern (* any run of characters, ? one character)
// to the index terms it matches entirely, searched from the literal
// prefix before the first wildcard character.
func (p *planner) wildcard(field, pattern string, boost float64) (query.Node, error) {
	prefix := pattern[:strings.IndexAny(pattern, "*?")]
	var start, end []byte
	if prefix != "" {
		start, end = []byte(prefix), index.PrefixEnd([]byte(prefix))
	}
	var terms []string
	err := p.Index.Terms(field, nil, start, end, func(e index.Entry) bool {
		if Glob(pattern, string(e.Term)) {
			terms = append(terms, string(e.Term))
		}
		return len(terms) <= MaxExpansions
	})
	if err != nil {
		return nil, err
	}
	if len(terms) > MaxExpansions {
		return nil, tooBroad(field, len(terms))
	}
	out := make([]query.Node, len(terms))
	for i, t := range terms {
		out[i] = &query.BTerm{Field: field, Term: t, Boost: boost}
	}
	return &query.Any{Clauses: out}, nil
}

// Glob reports whether s matches pattern entirely, where * stands for
// any run of characters and ? for exactly one (a rune); every other
// character stands for itself.
func Glob(pattern, s string) bool {
	// Classic greedy matching with one backtrack point per star.
	px, sx := 0, 0
	starP, starS := -1, -1
	for sx < len(s) {
		if px < len(pattern) {
			switch c := pattern[px]; c {
			case '*':
				starP, starS = px, sx
				px++
				continue
			case '?':
				_, w := utf8.DecodeRuneInString(s[sx:])
				px++
				sx += w
				continue
			default:
				if s[sx] == c {
					px++
					sx++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		// Let the last star swallow one more rune and retry.
		_, w := utf8.DecodeRuneInString(s[starS:])
		starS += w
		px, sx = starP+1, starS
	}
	for px < len(pattern) && pattern[px] == '*' {
		px++
	}
	return px == len(pattern)
}

// plainTerms returns the analyzed terms of the positive clauses when
// every clause, negated ones included, is a plain word (no phrase,
// wildcard, regexp or fuzziness), else nil. Such a query ("+alipay
// -tencent", "what methods -dash") can be searched without positions and
// its hits located by these terms, like a plain query: a light index
// then needs no positions file for it.
func (p *planner) plainTerms(q query.Parsed) []string {
	seen := map[string]bool{}
	out := []string{}
	for i, g := range [][]query.Clause{q.Not, q.Must, q.Should} {
		for _, c := range g {
			if c.Phrase || c.Fuzzy || strings.ContainsAny(c.Text, "*?") || (strings.HasPrefix(c.Text, "/") && strings.HasSuffix(c.Text, "/")) {
				return nil
			}
			if i == 0 {
				continue // negated: checked, not marked
			}
			for _, t := range p.Analyze(c.Text) {
				if !seen[t.Term] {
					seen[t.Term] = true
					out = append(out, t.Term)
				}
			}
		}
	}
	return out
}
