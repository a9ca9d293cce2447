package query

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// StripSyntax replaces query-syntax characters with spaces, keeping the
// words.
func StripSyntax(text string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune("\"~*?^:+-/\\(){}[]!&|", r) {
			return ' '
		}
		return r
	}, text)
}

// RewriteOperators translates AND / OR / NOT between words into +must /
// -not prefixes: "a AND b" → "+a +b", "NOT c" → "-c", "a OR b" → "a b".
// Words joined by AND become required, as people expect. text is what
// Words.String writes (see Read): the operators are words of their own.
func RewriteOperators(text string) string {
	words := splitKeepingQuotes(text)
	prefix := make([]string, len(words))
	for i, w := range words {
		switch w {
		case "AND":
			if i > 0 && prefix[i-1] == "" && !strings.HasPrefix(words[i-1], "-") {
				prefix[i-1] = "+"
			}
			if i+1 < len(words) && prefix[i+1] == "" {
				prefix[i+1] = "+"
			}
		case "NOT":
			if i+1 < len(words) {
				prefix[i+1] = "-"
			}
		}
	}
	res := make([]string, 0, len(words))
	for i, w := range words {
		switch w {
		case "AND", "OR", "NOT":
			continue
		}
		if p := prefix[i]; p != "" && !strings.HasPrefix(w, "+") && !strings.HasPrefix(w, "-") {
			w = p + w
		}
		res = append(res, w)
	}
	return strings.Join(res, " ")
}

// splitKeepingQuotes splits on spaces, tabs and newlines outside double
// quotes.
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

// Limits of the query-string language. A query over one is searched as
// plain words, with a notice.
const (
	// MaxClauses is the most clauses (words, phrases, wildcards...) a
	// query-string query may have.
	MaxClauses = 32
	// MaxExpandingClauses is the most clauses that expand to many index
	// terms (wildcard, fuzzy) one query may have.
	MaxExpandingClauses = 4
	// MaxFuzziness is the largest edit distance of word~N.
	MaxFuzziness = 2
	// MaxFuzzyRunes is the longest word given explicit fuzziness: an
	// automaton grows with the word's length.
	MaxFuzzyRunes = 32
)

// Check enforces the limits on a parsed query. The language has no
// parentheses, so a query is a flat list of clauses and needs no depth
// bound.
func (p Parsed) Check() error {
	n, expanding := 0, 0
	for _, group := range [][]Clause{p.Must, p.Should, p.Not} {
		for _, c := range group {
			n++
			switch {
			case c.Phrase:
			case c.Fuzzy:
				if c.Fuzziness > MaxFuzziness {
					return errors.New("fuzziness " + strconv.Itoa(c.Fuzziness) + ", at most " + strconv.Itoa(MaxFuzziness))
				}
				if c.Fuzziness > 0 {
					expanding++
					if r := utf8.RuneCountInString(c.Text); r > MaxFuzzyRunes {
						return errors.New("fuzzy word of " + strconv.Itoa(r) + " letters, at most " + strconv.Itoa(MaxFuzzyRunes))
					}
				}
			case c.IsRegexp(), c.IsWildcard():
				expanding++
			}
		}
	}
	if n > MaxClauses {
		return errors.New(strconv.Itoa(n) + " clauses, at most " + strconv.Itoa(MaxClauses))
	}
	if expanding > MaxExpandingClauses {
		return errors.New(strconv.Itoa(expanding) + " wildcard, regexp or fuzzy clauses, at most " + strconv.Itoa(MaxExpandingClauses))
	}
	return nil
}
