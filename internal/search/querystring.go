package search

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// This file reads the query-string syntax (the language of bleve's
// QueryStringQuery: +must, -not, field:value, "phrase", word~N, wild*card,
// /regexp/, ^boost) with a small hand-written lexer and parser, and builds
// the tree from Quarry's own compound nodes over bleve's searchers.
//
// Why not bleve's own parser: its Boolean, Conjunction and Disjunction
// query types unmarshal any query from JSON (query.ParseQuery), and the
// linker cannot drop that path once the types are used, so every geo query
// type, the S2 geometry library and json-iterator came along — about a
// fifth of quarry.wasm. The language read here is the same: the host test
// TestQueryStringMatchesBleve runs both parsers on the same inputs and
// compares errors and search results.

// errRange is returned for numeric and date ranges (and bare numbers,
// which bleve's syntax also reads as a numeric range): the index has no
// numeric fields.
var errRange = errors.New("range queries are not supported")

type qsKind uint8

const (
	qsString qsKind = iota
	qsNumber
	qsPhrase
	qsPlus
	qsMinus
	qsColon
	qsGreater
	qsLess
	qsEqual
	qsBoost
	qsTilde
)

// qsOps are the kinds of the one-character operators "+-:><=".
var qsOps = [...]qsKind{qsPlus, qsMinus, qsColon, qsGreater, qsLess, qsEqual}

type qsToken struct {
	kind qsKind
	text string
}

// qsReserved are the characters a backslash escapes; before any other
// character the backslash is kept.
const qsReserved = "+-=&|><!(){}[]^\"~*?:\\/ "

func qsUnescape(r rune) string {
	if strings.ContainsRune(qsReserved, r) {
		return string(r)
	}
	return "\\" + string(r)
}

// lexQueryString splits text into query-string tokens. Words end at a
// space, ':', '^' or '~'; '^' and '~' take everything up to the next
// space as their value.
func lexQueryString(text string) ([]qsToken, error) {
	rs := []rune(text)
	var out []qsToken
	i := 0
	// word reads a word starting at rs[i] (the first rune already in buf
	// when start > i); number says it may still be a number.
	word := func(buf []rune, number bool) {
		esc, dot := false, false
		for ; i < len(rs); i++ {
			r := rs[i]
			if !esc && (r == ' ' || r == ':' || r == '^' || r == '~') {
				if r == ' ' {
					i++
				}
				break
			}
			switch {
			case !esc && r == '\\':
				esc = true
			case esc:
				esc, number = false, false
				buf = append(buf, []rune(qsUnescape(r))...)
			case number && !dot && r == '.':
				dot = true
				buf = append(buf, r)
			case number && unicode.IsDigit(r):
				buf = append(buf, r)
			default:
				number = false
				buf = append(buf, r)
			}
		}
		k := qsString
		if number {
			k = qsNumber
		}
		out = append(out, qsToken{k, string(buf)})
	}
	// value reads the value of '^' or '~' up to the next space.
	value := func(k qsKind) {
		var buf []rune
		esc := false
		for ; i < len(rs); i++ {
			r := rs[i]
			if !esc && r == ' ' {
				i++
				break
			}
			switch {
			case !esc && r == '\\':
				esc = true
			case esc:
				esc = false
				buf = append(buf, []rune(qsUnescape(r))...)
			default:
				buf = append(buf, r)
			}
		}
		if len(buf) == 0 {
			buf = []rune("1")
		}
		out = append(out, qsToken{k, string(buf)})
	}
	for i < len(rs) {
		r := rs[i]
		switch {
		case r == '"':
			var buf []rune
			esc, closed := false, false
			for i++; i < len(rs); i++ {
				c := rs[i]
				if !esc && c == '"' {
					closed = true
					i++
					break
				}
				switch {
				case !esc && c == '\\':
					esc = true
				case esc:
					esc = false
					buf = append(buf, []rune(qsUnescape(c))...)
				default:
					buf = append(buf, c)
				}
			}
			if !closed {
				return nil, errors.New("unterminated quote")
			}
			out = append(out, qsToken{qsPhrase, string(buf)})
		case strings.ContainsRune("+-:><=", r):
			i++
			out = append(out, qsToken{qsOps[strings.IndexRune("+-:><=", r)], string(r)})
		case r == '^':
			i++
			value(qsBoost)
		case r == '~':
			i++
			value(qsTilde)
		case r == '\\':
			if i+1 == len(rs) {
				return out, nil // a trailing backslash escapes nothing
			}
			i += 2
			word([]rune(qsUnescape(rs[i-1])), false)
		case unicode.IsDigit(r):
			i++
			word([]rune{r}, true)
		case !unicode.IsSpace(r):
			i++
			word([]rune{r}, false)
		default:
			i++
		}
	}
	return out, nil
}

// qsLeaf is one parsed clause before it is pointed at fields.
type qsLeaf struct {
	field     string
	text      string
	phrase    bool
	fuzziness int
	fuzzy     bool
	boost     *float64
}

// parseQueryString parses text into must, should and must-not clauses.
func parseQueryString(text string) (must, should, not []qsLeaf, err error) {
	toks, err := lexQueryString(text)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(toks) == 0 {
		return nil, nil, nil, errors.New("syntax error: empty query")
	}
	pos := 0
	peek := func(k qsKind) bool { return pos < len(toks) && toks[pos].kind == k }
	for pos < len(toks) {
		var list *[]qsLeaf
		switch {
		case peek(qsPlus):
			list = &must
			pos++
		case peek(qsMinus):
			list = &not
			pos++
		default:
			list = &should
		}
		leaf, err := parseClause(toks, &pos)
		if err != nil {
			return nil, nil, nil, err
		}
		if pos < len(toks) && toks[pos].kind == qsBoost {
			b, err := strconv.ParseFloat(toks[pos].text, 64)
			if err != nil {
				return nil, nil, nil, errors.New("invalid boost value " + strconv.Quote(toks[pos].text))
			}
			leaf.boost = &b
			pos++
		}
		*list = append(*list, leaf)
	}
	return must, should, not, nil
}

// parseClause reads one clause without its prefix and boost.
func parseClause(toks []qsToken, pos *int) (qsLeaf, error) {
	at := func(k qsKind) bool { return *pos < len(toks) && toks[*pos].kind == k }
	syntaxErr := func() error {
		if *pos < len(toks) {
			return errors.New("syntax error near " + strconv.Quote(toks[*pos].text))
		}
		return errors.New("syntax error at the end of the query")
	}
	var leaf qsLeaf
	if (at(qsString) || at(qsPhrase)) && *pos+1 < len(toks) && toks[*pos+1].kind == qsColon {
		leaf.field = toks[*pos].text
		*pos += 2
		switch {
		case at(qsNumber), at(qsGreater), at(qsLess):
			return leaf, errRange
		case at(qsMinus) && *pos+1 < len(toks) && toks[*pos+1].kind == qsNumber:
			return leaf, errRange
		case !at(qsString) && !at(qsPhrase):
			return leaf, syntaxErr()
		}
	}
	switch {
	case at(qsPhrase):
		leaf.text, leaf.phrase = toks[*pos].text, true
		*pos++
	case at(qsString):
		leaf.text = toks[*pos].text
		*pos++
		if at(qsTilde) {
			f, err := strconv.ParseFloat(toks[*pos].text, 64)
			if err != nil {
				return leaf, errors.New("invalid fuzziness value " + strconv.Quote(toks[*pos].text))
			}
			leaf.fuzzy, leaf.fuzziness = true, int(f)
			*pos++
		}
	case at(qsNumber):
		return leaf, errRange
	default:
		return leaf, syntaxErr()
	}
	return leaf, nil
}

// boolNode is a query-string query: required, optional and excluded
// clauses, combined with bleve's boolean searcher.
type boolNode struct {
	must, should, not query.Query
}

// Searcher builds the boolean searcher; a part that matches nothing is
// left out, and only excluded clauses search all documents but those.
func (q *boolNode) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, o search.SearcherOptions) (search.Searcher, error) {
	part := func(sub query.Query) (search.Searcher, error) {
		if sub == nil {
			return nil, nil
		}
		s, err := sub.Searcher(ctx, i, m, o)
		if _, none := s.(*searcher.MatchNoneSearcher); none {
			return nil, err
		}
		return s, err
	}
	not, err := part(q.not)
	if err != nil {
		return nil, err
	}
	must, err := part(q.must)
	if err != nil {
		return nil, err
	}
	should, err := part(q.should)
	if err != nil {
		return nil, err
	}
	switch {
	case must == nil && should == nil && not == nil:
		return searcher.NewMatchNoneSearcher(i)
	case should == nil && not == nil:
		return must, nil
	case must == nil && not == nil:
		return should, nil
	case must == nil && should == nil:
		if must, err = searcher.NewMatchAllSearcher(ctx, i, 1.0, o); err != nil {
			return nil, err
		}
	}
	return searcher.NewBooleanSearcher(ctx, i, must, should, not, o)
}

// anyNode matches documents matching at least one clause (all clauses
// when all is set), summing their scores with bleve's disjunction (or
// conjunction) searcher. With skipNone, clauses that can match nothing
// are left out, as in the query-string language.
type anyNode struct {
	clauses  []query.Query
	all      bool
	skipNone bool
}

// Searcher builds the disjunction (or conjunction) searcher.
func (q *anyNode) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, o search.SearcherOptions) (search.Searcher, error) {
	ss := make([]search.Searcher, 0, len(q.clauses))
	for _, c := range q.clauses {
		s, err := c.Searcher(ctx, i, m, o)
		if err != nil {
			for _, s := range ss {
				_ = s.Close()
			}
			return nil, err
		}
		if _, none := s.(*searcher.MatchNoneSearcher); none && q.skipNone {
			continue
		}
		ss = append(ss, s)
	}
	if len(ss) == 0 {
		return searcher.NewMatchNoneSearcher(i)
	}
	if q.all {
		return searcher.NewConjunctionSearcher(ctx, i, ss, o)
	}
	return searcher.NewDisjunctionSearcher(ctx, i, ss, 0, o)
}
