package query

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Natural punctuation is never query syntax. People type questions
// ("how do I install hugo on windows?"), paste sentences and code, and
// write French with a space before "?" and "!": before this reader, any
// "?", ":", "*", "~", "^" or quote anywhere made the whole text query
// syntax, so "research?" became a one-character wildcard matching
// nothing and "what is it?" was scored with full-weight stop words.
//
// Read recognises syntax only where it is unambiguous, word by word:
//
//   - the operators AND, OR and NOT, written in capitals, alone;
//   - a "+" or "-" glued to the start of a word that begins with a
//     letter, a paired quote or a known field ("+alipay", "-tencent";
//     "-5", a lone "-" and "a - b" are prose);
//   - a known field before a colon, glued to a value ("title:alibaba";
//     "http://x", "Note: this" and "title: x" are prose);
//   - a pair of quotes ("wechat pay"); an unpaired quote is prose;
//   - "*" or "?" inside a word or "*" at its end ("lazad*", "ali?aba");
//     a word's trailing "?" is a question mark, and a word that starts
//     with "*" or "?" (*emphasis*, ?quoted?) holds no wildcard;
//   - "~" with an optional number, or "^" with a number, at the end of a
//     word ("thailnd~1", "thailnd~", "retail^3"; not both);
//   - a whole word written /like this/ (a regular expression).
//
// Before a word is read, the punctuation that ends sentences and clauses
// (? ! . , ; : and closing brackets) is removed from its end, and
// opening brackets from its start. Everything else is prose: the
// words' syntax characters are removed, and the analyzer reads them as
// it reads plain words.

// Kind says how a word of a query is read.
type Kind uint8

// Word kinds.
const (
	// WordProse is a word without syntax (its punctuation is removed when
	// the query is searched as syntax).
	WordProse Kind = iota
	// WordOperator is AND, OR or NOT.
	WordOperator
	// WordTerm is a word with syntax: a +/- prefix, a field, fuzziness or a
	// boost.
	WordTerm
	// WordPhrase is a quoted phrase.
	WordPhrase
	// WordWildcard is a word with * or ?.
	WordWildcard
	// WordRegexp is a /regular expression/.
	WordRegexp
)

// Word is one word of a query as Read reads it.
type Word struct {
	Kind Kind
	// Op is "+", "-" or "".
	Op string
	// Field is the field named before a colon, or "".
	Field string
	// Body is the word, the phrase with its quotes, the pattern or the
	// /regexp/; for WordProse, one piece of the text without syntax
	// characters (see prose).
	Body string
	// Fuzzy is "~" or "~N" (WordTerm and WordWildcard), Boost "^N".
	Fuzzy, Boost string
}

// String writes w in the query-string language.
func (w Word) String() string {
	var b strings.Builder
	b.WriteString(w.Op)
	if w.Field != "" {
		b.WriteString(w.Field)
		b.WriteByte(':')
	}
	b.WriteString(w.Body)
	b.WriteString(w.Fuzzy)
	b.WriteString(w.Boost)
	return b.String()
}

// Words is a query read word by word.
type Words []Word

// Syntax reports whether any word uses the query language (operators
// alone are words).
func (ws Words) Syntax() bool {
	syntax, words := false, false
	for _, w := range ws {
		switch w.Kind {
		case WordOperator:
		case WordProse:
			words = true
		default:
			return true
		}
		syntax = syntax || w.Kind == WordOperator
	}
	return syntax && words
}

// String writes the words in the query-string language, for Parse.
func (ws Words) String() string {
	parts := make([]string, 0, len(ws))
	for _, w := range ws {
		if s := w.String(); strings.TrimSpace(s) != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

// Read splits text into words and tells syntax from prose (see above).
// fields are the field names a "field:" prefix may use.
func Read(text string, fields map[string]bool) Words {
	paired := pairQuotes(text)
	var out Words
	start := -1
	inQuote := false
	for i, r := range text {
		switch {
		case r == '"' && paired[i]:
			if start < 0 {
				start = i
			}
			inQuote = !inQuote
		case unicode.IsSpace(r) && !inQuote:
			if start >= 0 {
				out = append(out, readWord(text[start:i], start, paired, fields)...)
				start = -1
			}
		default:
			if start < 0 {
				start = i
			}
		}
	}
	if start >= 0 {
		out = append(out, readWord(text[start:], start, paired, fields)...)
	}
	return out
}

// pairQuotes marks the byte offsets of the quotes that pair up, left to
// right; an escaped quote (\") is not a quote, and a last quote without
// a partner is prose.
func pairQuotes(text string) map[int]bool {
	var qs []int
	esc := false
	for i, r := range text {
		switch {
		case esc:
			esc = false
		case r == '\\':
			esc = true
		case r == '"':
			qs = append(qs, i)
		}
	}
	if len(qs)%2 == 1 {
		qs = qs[:len(qs)-1]
	}
	m := make(map[int]bool, len(qs))
	for _, i := range qs {
		m[i] = true
	}
	return m
}

const (
	// trailing is the punctuation removed from the end of a word.
	trailing = "?!.,;:)]}"
	// leading is the punctuation removed from its start.
	leading = "([{"
)

// readWord reads one space-delimited word starting at offset off of the
// query (to look up paired quotes).
func readWord(w string, off int, paired map[int]bool, fields map[string]bool) []Word {
	switch w {
	case "AND", "OR", "NOT":
		return []Word{{Kind: WordOperator, Body: w}}
	}
	// Trim clause punctuation, never an escaped character or a quote.
	for len(w) > 0 && strings.IndexByte(leading, w[0]) >= 0 {
		w, off = w[1:], off+1
	}
	for len(w) > 0 && strings.IndexByte(trailing, w[len(w)-1]) >= 0 && !(len(w) > 1 && w[len(w)-2] == '\\') {
		w = w[:len(w)-1]
	}
	if w == "" {
		return nil
	}
	if alphanumeric(w) {
		return prose(w) // most words: no syntax applies
	}
	return readSyntax(w, off, paired, fields)
}

// alphanumeric reports whether w is ASCII letters and digits only.
func alphanumeric(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i] | 0x20; !('a' <= c && c <= 'z') && !('0' <= w[i] && w[i] <= '9') {
			return false
		}
	}
	return true
}

// readSyntax is readWord for a word with other runes than ASCII letters
// and digits, trimmed. Apart, so that readWord, called for every word of
// every query, stays small: V8 recompiles a wasm function with its
// optimizing compiler once its calls have used up a budget charged by
// the size of its code, and readWord was 8.6 kB of wasm, recompiled during
// the first run of Cranfield's questions (0.14–0.18 s of compiler CPU).
//
//go:noinline
func readSyntax(w string, off int, paired map[int]bool, fields map[string]bool) []Word {
	word := Word{Kind: WordProse, Body: w}
	rest, at := w, off
	if (rest[0] == '+' || rest[0] == '-') && len(rest) > 1 {
		r, _ := utf8.DecodeRuneInString(rest[1:])
		if unicode.IsLetter(r) || rest[1] == '"' && paired[at+1] {
			word.Op, rest, at = rest[:1], rest[1:], at+1
		}
	}
	if c := strings.IndexByte(rest, ':'); c > 0 && c < len(rest)-1 && fields[rest[:c]] {
		word.Field, rest, at = rest[:c], rest[c+1:], at+c+1
	}
	syntax := word.Op != "" || word.Field != ""
	if word.Field != "" && strings.IndexByte("<>=", rest[0]) >= 0 {
		// A range on a known field: read as written, so that the
		// reader explains that ranges are not supported.
		word.Kind, word.Body = WordTerm, rest
		return []Word{word}
	}
	switch {
	case rest[0] == '"' && paired[at]:
		end := strings.IndexByte(rest[1:], '"') + 1
		for !paired[at+end] {
			end += strings.IndexByte(rest[end+1:], '"') + 1
		}
		word.Kind, word.Body = WordPhrase, rest[:end+1]
		suffix := rest[end+1:]
		if b, ok := boost(suffix); ok {
			word.Boost = b
			return []Word{word}
		}
		if suffix == "" {
			return []Word{word}
		}
		// What follows the closing quote is prose.
		return append([]Word{word}, prose(suffix)...)
	case len(rest) >= 3 && rest[0] == '/' && rest[len(rest)-1] == '/':
		word.Kind, word.Body = WordRegexp, rest
		return []Word{word}
	}
	r, _ := utf8.DecodeRuneInString(rest)
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		return prose(w)
	}
	term, suffix := rest, ""
	if i := strings.IndexAny(rest, "~^"); i >= 0 {
		term, suffix = rest[:i], rest[i:]
	}
	if suffix != "" {
		fz, bst, ok := fuzzyBoost(suffix)
		if !ok {
			return prose(w)
		}
		word.Fuzzy, word.Boost = fz, bst
		syntax = true
	}
	if strings.ContainsAny(term, "\":\\") {
		// Quotes, colons and escapes inside a word: prose (an unknown
		// field, a URL, a path).
		return prose(w)
	}
	word.Body = term
	switch {
	case strings.ContainsAny(term, "*?"):
		word.Kind = WordWildcard
	case syntax:
		word.Kind = WordTerm
	default:
		return prose(w)
	}
	return []Word{word}
}

// boost reads "^N" with N a number.
func boost(s string) (string, bool) {
	if len(s) < 2 || s[0] != '^' || !number(s[1:]) {
		return "", false
	}
	return s, true
}

// fuzzyBoost reads "~", "~N" or "^N" (the reader takes everything after
// "~" or "^" up to a space as the value: "~1^2" is not fuzziness).
func fuzzyBoost(s string) (fuzzy, bst string, ok bool) {
	if s[0] == '^' {
		b, ok := boost(s)
		return "", b, ok
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", "", false
		}
	}
	return s, "", true
}

// number reports whether s is digits with at most one dot.
func number(s string) bool {
	digits, dots := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			dots++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}

// prose returns the words of prose without the characters the
// query-string reader would take as syntax: quotes, colons, wildcards,
// fuzziness and boost marks, escapes, slashes and brackets split it, and
// each piece loses the signs and comparisons before it; a piece starting
// with a digit is escaped so that it is read as a word, not as a number
// (which the reader takes for a numeric range).
func prose(s string) []Word {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune("\":*?~^\\/()[]{}!&|", r) {
			return ' '
		}
		return r
	}, s)
	var out []Word
	for _, p := range strings.Fields(s) {
		p = strings.TrimLeft(p, "+-<>=")
		if p == "" {
			continue
		}
		if p[0] >= '0' && p[0] <= '9' {
			p = "\\" + p
		}
		out = append(out, Word{Kind: WordProse, Body: p})
	}
	return out
}
