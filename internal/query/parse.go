package query

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// ErrRange is returned for numeric and date ranges (and bare numbers,
// which the query-string syntax also reads as a numeric range): Quarry's
// index has no numeric fields.
var ErrRange = errors.New("range queries are not supported")

// Clause is one parsed clause of a query-string query, before it is
// pointed at fields.
type Clause struct {
	// Field is the field named with "field:", or "".
	Field string
	// Text is the word, phrase, wildcard pattern or /regexp/ as written
	// (escapes resolved).
	Text string
	// Phrase is set for a quoted phrase.
	Phrase bool
	// Fuzzy is set for word~N, with N in Fuzziness.
	Fuzzy     bool
	Fuzziness int
	// Boost is the ^N boost; HasBoost says whether one was given.
	Boost    float64
	HasBoost bool
}

// IsRegexp reports whether the clause is written as a /regular
// expression/ (a lone "/" counts, and is an empty one).
func (c Clause) IsRegexp() bool {
	return !c.Phrase && !c.Fuzzy && strings.HasPrefix(c.Text, "/") && strings.HasSuffix(c.Text, "/")
}

// IsWildcard reports whether the clause is a wildcard pattern (* or ?).
func (c Clause) IsWildcard() bool {
	return !c.Phrase && !c.Fuzzy && !c.IsRegexp() && strings.ContainsAny(c.Text, "*?")
}

// Parsed is a query-string query: required, optional and excluded clauses.
type Parsed struct {
	Must, Should, Not []Clause
}

type tokKind uint8

const (
	tString tokKind = iota
	tNumber
	tPhrase
	tPlus
	tMinus
	tColon
	tGreater
	tLess
	tEqual
	tBoost
	tTilde
)

// opChars are the one-character operators, in the order of opKinds.
const opChars = "+-:><="

var opKinds = [...]tokKind{tPlus, tMinus, tColon, tGreater, tLess, tEqual}

type token struct {
	kind tokKind
	text string
}

// reserved are the characters a backslash escapes; before any other
// character the backslash is kept.
const reserved = "+-=&|><!(){}[]^\"~*?:\\/ "

func unescape(r rune) string {
	if strings.ContainsRune(reserved, r) {
		return string(r)
	}
	return "\\" + string(r)
}

// lex splits text into tokens. Words end at a space, ':', '^' or '~';
// '^' and '~' take everything up to the next space as their value.
func lex(text string) ([]token, error) {
	rs := []rune(text)
	var out []token
	i := 0
	// word reads a word whose first runes are already in buf; number
	// says it may still be a number.
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
				buf = append(buf, []rune(unescape(r))...)
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
		k := tString
		if number {
			k = tNumber
		}
		out = append(out, token{k, string(buf)})
	}
	// value reads the value of '^' or '~' up to the next space.
	value := func(k tokKind) {
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
				buf = append(buf, []rune(unescape(r))...)
			default:
				buf = append(buf, r)
			}
		}
		if len(buf) == 0 {
			buf = []rune("1")
		}
		out = append(out, token{k, string(buf)})
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
					buf = append(buf, []rune(unescape(c))...)
				default:
					buf = append(buf, c)
				}
			}
			if !closed {
				return nil, errors.New("unterminated quote")
			}
			out = append(out, token{tPhrase, string(buf)})
		case strings.ContainsRune(opChars, r):
			i++
			out = append(out, token{opKinds[strings.IndexRune(opChars, r)], string(r)})
		case r == '^':
			i++
			value(tBoost)
		case r == '~':
			i++
			value(tTilde)
		case r == '\\':
			if i+1 == len(rs) {
				return out, nil // a trailing backslash escapes nothing
			}
			i += 2
			word([]rune(unescape(rs[i-1])), false)
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

// Parse reads text in the query-string language. Its errors are the
// ones bleve's query-string parser gives for the same text (checked by a
// test), so that a query either parses in both or is searched as plain
// words in both.
func Parse(text string) (Parsed, error) {
	var p Parsed
	toks, err := lex(text)
	if err != nil {
		return p, err
	}
	if len(toks) == 0 {
		return p, errors.New("syntax error: empty query")
	}
	pos := 0
	for pos < len(toks) {
		list := &p.Should
		switch toks[pos].kind {
		case tPlus:
			list = &p.Must
			pos++
		case tMinus:
			list = &p.Not
			pos++
		}
		c, err := parseClause(toks, &pos)
		if err != nil {
			return Parsed{}, err
		}
		if pos < len(toks) && toks[pos].kind == tBoost {
			// A boost must be a positive number: bleve accepts 0, NaN and
			// Inf, which make every score NaN (and its collector loop
			// forever).
			b, err := strconv.ParseFloat(toks[pos].text, 64)
			if err != nil || !(b > 0) || math.IsInf(b, 0) {
				return Parsed{}, errors.New("invalid boost value " + strconv.Quote(toks[pos].text))
			}
			c.Boost, c.HasBoost = b, true
			pos++
		}
		*list = append(*list, c)
	}
	return p, nil
}

// parseClause reads one clause without its prefix and boost.
func parseClause(toks []token, pos *int) (Clause, error) {
	at := func(k tokKind) bool { return *pos < len(toks) && toks[*pos].kind == k }
	syntaxErr := func() error {
		if *pos < len(toks) {
			return errors.New("syntax error near " + strconv.Quote(toks[*pos].text))
		}
		return errors.New("syntax error at the end of the query")
	}
	var c Clause
	if (at(tString) || at(tPhrase)) && *pos+1 < len(toks) && toks[*pos+1].kind == tColon {
		c.Field = toks[*pos].text
		*pos += 2
		switch {
		case at(tNumber), at(tGreater), at(tLess):
			return c, ErrRange
		case at(tMinus) && *pos+1 < len(toks) && toks[*pos+1].kind == tNumber:
			return c, ErrRange
		case !at(tString) && !at(tPhrase):
			return c, syntaxErr()
		}
	}
	switch {
	case at(tPhrase):
		c.Text, c.Phrase = toks[*pos].text, true
		*pos++
	case at(tString):
		c.Text = toks[*pos].text
		*pos++
		if at(tTilde) {
			f, err := strconv.ParseFloat(toks[*pos].text, 64)
			if err != nil {
				return c, errors.New("invalid fuzziness value " + strconv.Quote(toks[*pos].text))
			}
			c.Fuzzy, c.Fuzziness = true, int(f)
			*pos++
		}
	case at(tNumber):
		return c, ErrRange
	default:
		return c, syntaxErr()
	}
	return c, nil
}
