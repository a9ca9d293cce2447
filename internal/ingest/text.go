package ingest

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/quarry-search/quarry/internal/doc"
)

// Title-line limits for plain text.
const (
	titleMaxRunes       = 120
	titleMaxWords       = 20
	headingLikeMaxRunes = 80
	headingLikeMaxWords = 10
)

// ParseText parses a plain-text document. id is used as the document's ID
// and, percent-encoded, its URL (Dir passes the slash path relative to the
// root).
//
// The first non-blank line is the title when it reads like one: at most
// 120 characters and 20 words, not ending like a sentence, and either
// followed by a blank line (then a closing '?' or '!' is allowed, as in
// question headlines) or heading-like itself (at most 10 words, starting
// with an upper-case letter or digit, no closing punctuation). The rest is
// the body. Otherwise the whole text is the body and the title is derived
// from its first sentence or first words. Text with no visible characters
// is an error wrapping ErrNoText.
func ParseText(id string, data []byte) (doc.Document, error) {
	s := strings.TrimSpace(normalizeNewlines(data))
	if s == "" {
		return doc.Document{}, fmt.Errorf("parse %s: %w", id, ErrNoText)
	}
	d := doc.Document{ID: id, URL: fileURL(id)}
	first, rest, _ := strings.Cut(s, "\n")
	next, _, _ := strings.Cut(rest, "\n")
	if isTitleLine(first, next, rest != "") {
		d.Title = collapse(first)
		d.Body = strings.TrimSpace(rest)
		if d.Body == "" {
			d.Body = d.Title
		}
	} else {
		d.Title = deriveTitle(s)
		d.Body = s
	}
	return d, nil
}

// isTitleLine decides whether line (followed by next, when hasNext) is a
// title line.
func isTitleLine(line, next string, hasNext bool) bool {
	t := strings.TrimSpace(line)
	if t == "" || !hasNext {
		return false // a one-line text is all body
	}
	runes, words := utf8.RuneCountInString(t), len(strings.Fields(t))
	if runes > titleMaxRunes || words > titleMaxWords {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(t)
	if strings.TrimSpace(next) == "" {
		return !strings.ContainsRune(`.,;"”`, last)
	}
	first, _ := utf8.DecodeRuneInString(t)
	return runes <= headingLikeMaxRunes && words <= headingLikeMaxWords &&
		!strings.ContainsRune(`.,;:!?"”`, last) &&
		(unicode.IsUpper(first) || unicode.IsDigit(first))
}
