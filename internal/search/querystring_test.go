package search

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/quarry-search/quarry/internal/schema"
)

// The query-string language is read by Quarry's own parser (querystring.go)
// so that bleve's JSON query parsing stays out of quarry.wasm. These tests
// hold it to bleve's parser: the same inputs must fail alike and, when
// they parse, find the same documents with the same scores. The reference
// below is the previous implementation, kept in the test only: bleve's
// QueryStringQuery and a rewrite of its tree.

// legacySyntax parses text with bleve's own query-string parser.
func (p *planner) legacySyntax(text string) (q query.Query, err error) {
	defer func() {
		if r := recover(); r != nil {
			q, err = nil, fmt.Errorf("%v", r)
		}
	}()
	parsed, err := query.NewQueryStringQuery(rewriteOperators(text, p.fields)).Parse()
	if err != nil {
		return nil, err
	}
	return p.legacyExpand(parsed)
}

// legacyExpand rewrites a parsed query tree: field-less leaves become a
// disjunction over title and body; raw (unanalyzed) terms are lower-cased.
func (p *planner) legacyExpand(q query.Query) (query.Query, error) {
	switch t := q.(type) {
	case *query.BooleanQuery:
		for _, sub := range []*query.Query{&t.Must, &t.Should, &t.MustNot} {
			if *sub == nil {
				continue
			}
			e, err := p.legacyExpand(*sub)
			if err != nil {
				return nil, err
			}
			*sub = e
		}
		return t, nil
	case *query.ConjunctionQuery:
		for i, c := range t.Conjuncts {
			e, err := p.legacyExpand(c)
			if err != nil {
				return nil, err
			}
			t.Conjuncts[i] = e
		}
		return t, nil
	case *query.DisjunctionQuery:
		for i, c := range t.Disjuncts {
			e, err := p.legacyExpand(c)
			if err != nil {
				return nil, err
			}
			t.Disjuncts[i] = e
		}
		return t, nil
	case *query.MatchQuery:
		return p.legacyPerField(t.FieldVal, t.BoostVal, func(f string, b float64) query.Query {
			c := *t
			c.FieldVal, c.Analyzer = f, ""
			c.SetBoost(b)
			return &c
		})
	case *query.MatchPhraseQuery:
		return p.legacyPerField(t.FieldVal, t.BoostVal, func(f string, b float64) query.Query {
			c := *t
			c.FieldVal, c.Analyzer = f, ""
			c.SetBoost(b)
			return &c
		})
	case *query.WildcardQuery:
		t.Wildcard = strings.ToLower(t.Wildcard)
		return p.legacyPerField(t.FieldVal, t.BoostVal, func(f string, b float64) query.Query {
			c := *t
			c.FieldVal = f
			c.SetBoost(b)
			return &c
		})
	case *query.RegexpQuery:
		return p.legacyPerField(t.FieldVal, t.BoostVal, func(f string, b float64) query.Query {
			c := *t
			c.FieldVal = f
			c.SetBoost(b)
			return &c
		})
	case *query.FuzzyQuery:
		t.Term = strings.ToLower(t.Term)
		return p.legacyPerField(t.FieldVal, t.BoostVal, func(f string, b float64) query.Query {
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

// legacyPerField applies mk to field, or to title and body when field is empty.
func (p *planner) legacyPerField(field string, boost *query.Boost, mk func(string, float64) query.Query) (query.Query, error) {
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

// querySyntaxCases are inputs in (and around) the query-string language.
var querySyntaxCases = []string{
	`"wechat pay"`, `"mobile payment" alipay`, `+alipay -tencent`, `alipay AND tencent`,
	`alipay NOT tencent`, `alipay OR tencent`, `title:alibaba`, `body:zuckerberg^2`,
	`title:"jack ma"`, `lazad*`, `ali?aba`, `LAZAD*`, `thailnd~1`, `thailnd~`, `zuckerburg~2`,
	`title:alibbaba~1`, `/ali.*/`, `title:/tenc.*/`, `retail^3 payment`, `retail^ payment`,
	`retail^x`, `retail~x`, `+"wechat pay" +alipay -"jack ma"`, `-tencent`, `-tencent -alibaba`,
	`+the +alipay`, `+... +alipay`, `"..." alipay`, `"whatsapp`, `747`, `+boeing 747`,
	`title:747`, `title:>5`, `title:>=5`, `title:<5`, `title:<="2020-01-01"`, `title:-5`,
	`title:`, `:alipay`, `title::x`, `^2`, `~1`, `alipay~1^2`, `alipay^2~1`, `7.5.1 alipay`,
	`alipay\+pay`, `\+alipay`, `alipay\`, `"wechat \"pay\""`, `foo-bar +alipay`, `+ alipay`,
	`++alipay`, `+-alipay`, `"jack ma":x`, `unknown:alipay`, `http://alibaba.com`, `/`,
	`AND`, `alipay &&`, `NOT`, `"a" > b`, `alipay > "b"`, `tencent=alipay`, `a~1 b~2 c~3`,
	`ali*ba~1`, `title:ali*`, `"wechat pay"^2`, `"wechat pay"~1`, `+title:alibaba -body:tencent`,
	`mobile? +payment*`, `e-commerce +"jack ma"`, "alipay\ttencent +x", `(alipay)`, `[x]`,
	`über* +straße`, `Tencent +WeChat`,
}

func TestQueryStringMatchesBleve(t *testing.T) {
	e, _ := openDocs(t, seedDocs(t))
	p := &planner{ir: e.Reader(), analyze: e.analyzerFunc(), lang: e.lang, tb: e.boosts.title, bb: e.boosts.body, fields: e.fieldSet()}
	for _, text := range querySyntaxCases {
		t.Run(text, func(t *testing.T) {
			got, gerr := p.syntax(text)
			want, werr := p.legacySyntax(text)
			if gerr != nil && werr == nil {
				// The limits (checkSyntax) refuse at parse time what
				// bleve refuses only when searching (fuzziness over 2).
				if _, err := searchAll(e, want); err != nil {
					return
				}
			}
			if (gerr == nil) != (werr == nil) {
				t.Fatalf("syntax(%q) error = %v, bleve's parser: %v", text, gerr, werr)
			}
			if gerr != nil {
				return
			}
			g, gErr := searchAll(e, got)
			w, wErr := searchAll(e, want)
			if (gErr == nil) != (wErr == nil) {
				t.Fatalf("search(%q) error = %v, with bleve's parser %v", text, gErr, wErr)
			}
			if !reflect.DeepEqual(g, w) {
				t.Errorf("search(%q)\n got %v\nwant %v", text, g, w)
			}
		})
	}
}

// searchAll returns every match of q as "id:score".
func searchAll(e *Engine, q query.Query) ([]string, error) {
	ms, total, err := e.Run(context.Background(), q, 1000, 0, false)
	if err != nil {
		return nil, err
	}
	out := []string{fmt.Sprint(total)}
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%s:%v", m.ID, m.Score))
	}
	return out, nil
}

func TestLexQueryString(t *testing.T) {
	tests := []struct {
		in   string
		want []qsToken
		err  bool
	}{
		{in: `a b`, want: []qsToken{{qsString, "a"}, {qsString, "b"}}},
		{in: `+a -"b c"`, want: []qsToken{{qsPlus, "+"}, {qsString, "a"}, {qsMinus, "-"}, {qsPhrase, "b c"}}},
		{in: `title:a^2`, want: []qsToken{{qsString, "title"}, {qsColon, ":"}, {qsString, "a"}, {qsBoost, "2"}}},
		{in: `a~ b`, want: []qsToken{{qsString, "a"}, {qsTilde, "1"}, {qsString, "b"}}},
		{in: `12 1.5 1.5.1 12a`, want: []qsToken{{qsNumber, "12"}, {qsNumber, "1.5"}, {qsString, "1.5.1"}, {qsString, "12a"}}},
		{in: `\+a a\*b \q`, want: []qsToken{{qsString, "+a"}, {qsString, "a*b"}, {qsString, `\q`}}},
		{in: `f:>=3`, want: []qsToken{{qsString, "f"}, {qsColon, ":"}, {qsGreater, ">"}, {qsEqual, "="}, {qsNumber, "3"}}},
		{in: `"a \"b\""`, want: []qsToken{{qsPhrase, `a "b"`}}},
		{in: `a-b`, want: []qsToken{{qsString, "a-b"}}},
		{in: `"open`, err: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := lexQueryString(tt.in)
			if (err != nil) != tt.err {
				t.Fatalf("lexQueryString(%q) error = %v, want error %v", tt.in, err, tt.err)
			}
			if !tt.err && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("lexQueryString(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
