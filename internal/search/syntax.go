package search

import (
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/quarry-search/quarry/internal/schema"
)

// looksLikeSyntax reports whether text uses bleve's query-string syntax
// (quotes, +must, -not, field:word, word~N, prefix*, ^boost, /regexp/) or
// the AND / OR / NOT operators.
func looksLikeSyntax(text string) bool {
	if strings.ContainsAny(text, "\"~*?^:") {
		return true
	}
	for _, w := range strings.Fields(text) {
		switch {
		case w == "AND" || w == "OR" || w == "NOT" || w == "&&" || w == "||":
			return true
		case len(w) > 1 && (w[0] == '+' || w[0] == '-'):
			return true
		case len(w) > 2 && w[0] == '/' && w[len(w)-1] == '/':
			return true
		}
	}
	return false
}

// stripSyntax removes query-syntax characters, keeping the words.
func stripSyntax(text string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune("\"~*?^:+-/\\(){}[]!&|", r) {
			return ' '
		}
		return r
	}, text)
}

// rewriteOperators translates AND / OR / NOT between words into bleve's
// +must / -not prefixes: "a AND b" → "+a +b", "NOT c" → "-c", "a OR b" →
// "a b". Words joined by AND become required, as people expect. Unknown
// field prefixes ("http:") lose their colon so they are searched as words.
func rewriteOperators(text string, fields map[string]bool) string {
	words := splitKeepingQuotes(text)
	out := make([]string, 0, len(words))
	prefix := make([]string, len(words))
	for i, w := range words {
		switch w {
		case "AND", "&&":
			if i > 0 && prefix[i-1] == "" && !strings.HasPrefix(out[len(out)-1], "-") {
				prefix[i-1] = "+"
			}
			if i+1 < len(words) && prefix[i+1] == "" {
				prefix[i+1] = "+"
			}
		case "NOT", "!":
			if i+1 < len(words) {
				prefix[i+1] = "-"
			}
		}
		out = append(out, w)
	}
	res := make([]string, 0, len(words))
	for i, w := range out {
		switch w {
		case "AND", "OR", "NOT", "&&", "||", "!":
			continue
		}
		if c := strings.IndexByte(w, ':'); c > 0 && !strings.HasPrefix(w, "\"") {
			f := strings.TrimLeft(w[:c], "+-")
			if !fields[f] {
				w = w[:c] + " " + w[c+1:]
			}
		}
		if p := prefix[i]; p != "" && !strings.HasPrefix(w, "+") && !strings.HasPrefix(w, "-") {
			w = p + w
		}
		res = append(res, w)
	}
	return strings.Join(res, " ")
}

// splitKeepingQuotes splits on spaces outside double quotes.
func splitKeepingQuotes(s string) []string {
	var out []string
	var b strings.Builder
	inQ := false
	for _, r := range s {
		switch {
		case r == '"':
			inQ = !inQ
			b.WriteRune(r)
		case (r == ' ' || r == '\t' || r == '\n') && !inQ:
			if b.Len() > 0 {
				out = append(out, b.String())
				b.Reset()
			}
		default:
			b.WriteRune(r)
		}
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}

// syntax parses text in the query-string language (see querystring.go)
// and points every clause that names no field at title (boosted) and body.
func (p *planner) syntax(text string) (q query.Query, err error) {
	defer func() {
		if r := recover(); r != nil {
			q, err = nil, fmt.Errorf("%v", r)
		}
	}()
	must, should, not, err := parseQueryString(rewriteOperators(text, p.fields))
	if err != nil {
		return nil, err
	}
	if err := checkSyntax(must, should, not); err != nil {
		return nil, err
	}
	p.highlight = p.plainTerms(not, must, should)
	group := func(leaves []qsLeaf, all bool) (query.Query, error) {
		if len(leaves) == 0 {
			return nil, nil
		}
		qs := make([]query.Query, 0, len(leaves))
		for _, l := range leaves {
			c, err := p.leaf(l)
			if err != nil {
				return nil, err
			}
			qs = append(qs, c)
		}
		return &anyNode{clauses: qs, all: all, skipNone: true}, nil
	}
	b := &boolNode{}
	if b.must, err = group(must, true); err != nil {
		return nil, err
	}
	if b.should, err = group(should, false); err != nil {
		return nil, err
	}
	if b.not, err = group(not, false); err != nil {
		return nil, err
	}
	return b, nil
}

// leaf turns one parsed clause into bleve's match, phrase, fuzzy,
// wildcard or regexp query on its field, or on title and body. Raw
// (unanalyzed) wildcard terms are lower-cased.
func (p *planner) leaf(l qsLeaf) (query.Query, error) {
	var boost *query.Boost
	if l.boost != nil {
		b := query.Boost(*l.boost)
		boost = &b
	}
	switch {
	case l.phrase:
		return p.perField(l.field, boost, func(f string, b float64) query.Query {
			q := query.NewMatchPhraseQuery(l.text)
			q.SetField(f)
			q.SetBoost(b)
			return q
		})
	case !l.fuzzy && strings.HasPrefix(l.text, "/") && strings.HasSuffix(l.text, "/"):
		if len(l.text) < 2 {
			return nil, fmt.Errorf("empty regular expression")
		}
		return p.perField(l.field, boost, func(f string, b float64) query.Query {
			q := query.NewRegexpQuery(l.text[1 : len(l.text)-1])
			q.SetField(f)
			q.SetBoost(b)
			return q
		})
	case !l.fuzzy && strings.ContainsAny(l.text, "*?"):
		w := strings.ToLower(l.text)
		return p.perField(l.field, boost, func(f string, b float64) query.Query {
			q := query.NewWildcardQuery(w)
			q.SetField(f)
			q.SetBoost(b)
			return q
		})
	default:
		return p.perField(l.field, boost, func(f string, b float64) query.Query {
			q := query.NewMatchQuery(l.text)
			q.SetField(f)
			if l.fuzzy {
				q.SetFuzziness(l.fuzziness)
			}
			q.SetBoost(b)
			return q
		})
	}
}

// perField applies mk to field, or to title and body when field is empty.
func (p *planner) perField(field string, boost *query.Boost, mk func(string, float64) query.Query) (query.Query, error) {
	b := 1.0
	if boost != nil {
		b = boost.Value()
	}
	if field != "" {
		if !p.fields[field] {
			return nil, fmt.Errorf("unknown field %q", field)
		}
		return mk(field, b), nil
	}
	return &anyNode{clauses: []query.Query{
		mk(schema.FieldTitle, b*p.tb), mk(schema.FieldBody, b*p.bb),
	}}, nil
}

// plainTerms returns the analyzed terms of the positive clauses when
// every clause, negated ones included, is a plain word (no phrase,
// wildcard, regexp or fuzziness), else nil. Such a query ("+alipay
// -tencent", "what methods -dash") can be searched without term vectors
// and its hits located by these terms, like a plain query: a light index
// then needs no positions file for it.
func (p *planner) plainTerms(not []qsLeaf, positive ...[]qsLeaf) []string {
	seen := map[string]bool{}
	out := []string{}
	for i, g := range append([][]qsLeaf{not}, positive...) {
		for _, l := range g {
			if l.phrase || l.fuzzy || strings.ContainsAny(l.text, "*?") ||
				(strings.HasPrefix(l.text, "/") && strings.HasSuffix(l.text, "/")) {
				return nil
			}
			if i == 0 {
				continue // negated: checked, not highlighted
			}
			for _, t := range p.analyze(l.text) {
				if !seen[t.term] {
					seen[t.term] = true
					out = append(out, t.term)
				}
			}
		}
	}
	return out
}
