package entity

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// quoteReplacer maps typographic quotes and spaces to ASCII so that
// "Group’s" and "Group's" are the same surface.
var quoteReplacer = strings.NewReplacer(
	"\u2019", "'", "\u2018", "'", "\u201c", `"`, "\u201d", `"`, "\u00a0", " ",
	"\u2032", "'", "\u00b4", "'", "\u2013", " – ", "\u2014", " — ",
)

// normalize returns text with ASCII quotes and spaced dashes.
func normalize(s string) string { return quoteReplacer.Replace(s) }

// token is one word or punctuation mark of a line.
type token struct {
	text      string // surface, possessive removed
	word      bool   // letters/digits (else punctuation)
	poss      bool   // followed by a possessive 's or '
	possText  string // the possessive as written ("'s" or "'")
	glued     bool   // joined to the previous token by a hyphen (no space)
	sentStart bool   // first word of a sentence, line or quotation after ':'
	code      bool   // a code identifier, file name or path (see isCodeWord, gluedCode)
	pos       int    // byte offset of the token in its line
}

// isName reports whether the token can be part of a proper name:
// capitalised, an acronym, or mixed case like "eBay".
func (t token) isName() bool {
	if !t.word || t.code {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t.text)
	if unicode.IsUpper(r) {
		return true
	}
	if unicode.IsLower(r) {
		for _, c := range t.text[1:] {
			if unicode.IsUpper(c) {
				return !getLexicon().isCommon(t.text)
			}
		}
	}
	return false
}

// isNumber reports whether the token is made of digits (and separators).
func (t token) isNumber() bool {
	if !t.word {
		return false
	}
	for _, r := range t.text {
		if !unicode.IsDigit(r) && r != '.' && r != ',' {
			return false
		}
	}
	return true
}

// isAcronym reports whether the token is all upper-case letters (>= 2).
func isAcronym(s string) bool {
	n := 0
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			n++
		case r == '.' || unicode.IsDigit(r):
		default:
			return false
		}
	}
	return n >= 2
}

// matchWord returns the word at the start of s, with inner dots,
// apostrophes, ampersands and hyphens ("U.S.", "JD.com", "O'Brien",
// "AT&T", "York-based"): what `^[\p{L}\p{N}]+(?:[.'&\-][\p{L}\p{N}]+)*`
// matches (TestMatchWord), without a regular expression: it runs on every
// word of the corpus.
func matchWord(s string) string {
	alnum := func(i int) int { // the length of the letters and digits at s[i:]
		j := i
		for j < len(s) {
			r, size := rune(s[j]), 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(s[j:])
			}
			if !unicode.IsLetter(r) && !unicode.IsNumber(r) {
				break
			}
			j += size
		}
		return j - i
	}
	end := alnum(0)
	if end == 0 {
		return ""
	}
	for end < len(s) && strings.IndexByte(".'&-", s[end]) >= 0 {
		n := alnum(end + 1)
		if n == 0 {
			break
		}
		end += 1 + n
	}
	return s[:end]
}

// abbrevRe matches letter-dot abbreviations that keep their final dot.
var abbrevRe = regexp.MustCompile(`^(?:\p{Lu}\.){1,3}\p{Lu}?$`)

// keepDot lists abbreviations whose trailing period is part of the word.
var keepDot = map[string]bool{
	"Inc": true, "Corp": true, "Ltd": true, "Co": true, "Mr": true, "Mrs": true,
	"Ms": true, "Dr": true, "Prof": true, "St": true, "Jr": true, "Sr": true,
	"Nov": true, "Dec": true, "Jan": true, "Feb": true, "Aug": true, "Sept": true,
	"Sep": true, "Oct": true, "Vs": true, "vs": true, "No": false,
}

// tokenize splits one line into tokens, marking sentence starts.
func tokenize(line string) []token {
	toks := make([]token, 0, len(line)/6+1)
	startNext, leadParen := true, false
	i := 0
	for i < len(line) {
		r, size := utf8.DecodeRuneInString(line[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		m := matchWord(line[i:])
		if m == "" {
			p := string(r)
			toks = append(toks, token{text: p, pos: i})
			switch p {
			case ".", "!", "?", ":", "…", "|", ">", "•", "→", "»":
				startNext = true
			case "(":
				leadParen = startNext // "(string) Overrides the ..."
			case ")":
				startNext, leadParen = leadParen, false
			case "-", "–", "—": // "hugo mod - Manage modules"
				startNext = startNext || (i > 0 && line[i-1] == ' ' && i+size < len(line) && line[i+size] == ' ')
			}
			i += size
			continue
		}
		end := i + len(m)
		// Keep the dot of "U.S." and "Inc.".
		if end < len(line) && line[end] == '.' && (abbrevRe.MatchString(m+".") || keepDot[m]) {
			m += "."
			end++
		}
		// Email addresses and URLs are skipped whole.
		if end < len(line) && (line[end] == '@' || strings.HasPrefix(line[end:], "://")) {
			for end < len(line) && !unicode.IsSpace(rune(line[end])) {
				end++
			}
			i = end
			startNext = false
			continue
		}
		possText := ""
		switch {
		case strings.HasSuffix(m, "'s") || strings.HasSuffix(m, "'S"):
			m, possText = m[:len(m)-2], "'s"
		case end < len(line) && line[end] == '\'' && strings.HasSuffix(m, "s") &&
			(end+1 == len(line) || !unicode.IsLetter(rune(line[end+1]))):
			possText = "'" // plural possessive: "Consumers' Association"
			end++
		}
		code := isCodeWord(m) || gluedCode(line, i, i+len(m))
		at := i
		for k, part := range splitHyphen(m) {
			toks = append(toks, token{text: part, word: true, glued: k > 0, sentStart: startNext && k == 0,
				code: code, pos: at})
			at += len(part) + 1
		}
		toks[len(toks)-1].poss = possText != ""
		toks[len(toks)-1].possText = possText
		// After code or a lower-case first word, a capital starts a new
		// table cell or description: "nearestNeighbor Fastest resampling
		// filter", "photo Outdoor photograph".
		startNext = code || (len(toks) == 1 && m == strings.ToLower(m))
		i = end
	}
	return toks
}

// splitHyphen splits "York-based" or "US-China" into parts, keeping
// "Coca-Cola"-like names (every part capitalised, none a place or
// nationality) and lower-case compounds ("e-commerce") whole.
func splitHyphen(w string) []string {
	if !strings.Contains(w, "-") {
		return []string{w}
	}
	parts := strings.Split(w, "-")
	l := getLexicon()
	caps, lower, known := 0, 0, 0
	for _, p := range parts {
		r, _ := utf8.DecodeRuneInString(p)
		if unicode.IsUpper(r) {
			caps++
		} else {
			lower++
		}
		if _, ok := l.place(p); ok || l.isDemonym(p) {
			known++
		}
	}
	if caps == 0 || (lower == 0 && known == 0) {
		return []string{w}
	}
	return parts
}

// lineKind says how a line of text is read.
type lineKind int

const (
	lineNormal   lineKind = iota // running text: chunk proper names
	lineHeadline                 // title-case heading: only known names count
	lineLabel                    // "Categories: ...": only known names count
)

// smallWords stay lower-case in title-case headings.
var smallWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "in": true, "on": true, "for": true,
	"to": true, "and": true, "or": true, "with": true, "its": true, "at": true, "by": true,
	"from": true, "as": true, "is": true, "vs": true, "not": true, "but": true, "into": true,
}

// labelRe recognises boilerplate label lines of blogs and news sites.
var labelRe = regexp.MustCompile(`(?i)^(categories|category|tags|tagged as|tagged|posted in|filed under|related|topics|share this|share)\s*:`)

// classifyLine decides whether a body line is running text, a title-case
// heading, or a label line.
func classifyLine(line string) lineKind {
	if labelRe.MatchString(strings.TrimSpace(line)) {
		return lineLabel
	}
	words, caps := 0, 0
	for _, f := range strings.Fields(line) {
		f = strings.Trim(f, `"'()[],;:!?.`)
		r, _ := utf8.DecodeRuneInString(f)
		if f == "" || !unicode.IsLetter(r) || smallWords[strings.ToLower(f)] {
			continue
		}
		words++
		if unicode.IsUpper(r) {
			caps++
		}
	}
	trimmed := strings.TrimSpace(line)
	// One capitalised word alone on a line is a heading too ("Overview",
	// "Synopsis", "Returns").
	if words >= 1 && words <= 12 && caps*5 >= words*4 && !strings.HasSuffix(trimmed, ".") {
		return lineHeadline
	}
	return lineNormal
}
