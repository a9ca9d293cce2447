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

// syntax parses text as a bleve query string and points every clause that
// names no field at title (boosted) and body.
func (p *planner) syntax(text string) (q query.Query, err error) {
	defer func() {
		if r := recover(); r != nil {
			q, err = nil, fmt.Errorf("%v", r)
		}
	}()
	parsed, err := query.NewQueryStringQuery(rewriteOperators(text, p.fields)).Parse()
	if err != nil {
		return nil, err
	}
	if err := checkSyntax(parsed); err != nil {
		return nil, err
	}
	return p.expand(parsed)
}

// expand rewrites a parsed query tree: field-less leaves become a
// disjunction over title and body; raw (unanalyzed) terms are lower-cased.
func (p *planner) expand(q query.Query) (query.Query, error) {
	switch t := q.(type) {
	case *query.BooleanQuery:
		for _, sub := range []*query.Query{&t.Must, &t.Should, &t.MustNot} {
			if *sub == nil {
				continue
			}
			e, err := p.expand(*sub)
			if err != nil {
				return nil, err
			}
			*sub = e
		}
		return t, nil
	case *query.ConjunctionQuery:
		for i, c := range t.Conjuncts {
			e, err := p.expand(c)
			if err != nil {
				return nil, err
			}
			t.Conjuncts[i] = e
		}
		return t, nil
	case *query.DisjunctionQuery:
		for i, c := range t.Disjuncts {
			e, err := p.expand(c)
			if err != nil {
				return nil, err
			}
			t.Disjuncts[i] = e
		}
		return t, nil
	case *query.MatchQuery:
		return p.perField(t.FieldVal, t.BoostVal, func(f string, b float64) query.Query {
			c := *t
			c.FieldVal, c.Analyzer = f, ""
			c.SetBoost(b)
			return &c
		})
	case *query.MatchPhraseQuery:
		return p.perField(t.FieldVal, t.BoostVal, func(f string, b float64) query.Query {
			c := *t
			c.FieldVal, c.Analyzer = f, ""
			c.SetBoost(b)
			return &c
		})
	case *query.WildcardQuery:
		t.Wildcard = strings.ToLower(t.Wildcard)
		return p.perField(t.FieldVal, t.BoostVal, func(f string, b float64) query.Query {
			c := *t
			c.FieldVal = f
			c.SetBoost(b)
			return &c
		})
	case *query.RegexpQuery:
		return p.perField(t.FieldVal, t.BoostVal, func(f string, b float64) query.Query {
			c := *t
			c.FieldVal = f
			c.SetBoost(b)
			return &c
		})
	case *query.FuzzyQuery:
		t.Term = strings.ToLower(t.Term)
		return p.perField(t.FieldVal, t.BoostVal, func(f string, b float64) query.Query {
			c := *t
			c.FieldVal = f
			c.SetBoost(b)
			return &c
		})
	case *query.NumericRangeQuery, *query.DateRangeQuery:
		return nil, fmt.Errorf("range queries are not supported")
	default:
		return nil, fmt.Errorf("unsupported query clause %T", q)
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
	return query.NewDisjunctionQuery([]query.Query{
		mk(schema.FieldTitle, b*p.tb), mk(schema.FieldBody, b*p.bb),
	}), nil
}
