package ingest

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/quarry-search/quarry/internal/doc"
)

// ErrNoText is wrapped by parse errors for input that holds no text.
var ErrNoText = errors.New("no text content")

// ErrNoIndex is wrapped by the error for an HTML page that asks not to be
// indexed (robots noindex); it wraps ErrNoText.
var ErrNoIndex = fmt.Errorf("%w: the page asks not to be indexed (robots noindex)", ErrNoText)

// ErrRedirect is wrapped by the error for an HTML page that only sends
// the reader elsewhere (<meta http-equiv="refresh"> with a URL, as Hugo's
// aliases and other generators' redirect pages do); it wraps ErrNoText.
var ErrRedirect = fmt.Errorf("%w: the page redirects to another", ErrNoText)

// LineError is a syntax error at a known place in a file (front matter,
// JSON). Parse functions return it wrapped: use errors.As to get the line.
type LineError struct {
	// Kind names what failed to parse: "front matter" or "JSON".
	Kind string
	// Line is the 1-based line in the file; Col the 1-based column or 0.
	Line, Col int
	// Err is the underlying parser's error.
	Err error
}

// Error formats the error as "front matter line 3: ..." or
// "JSON line 3 col 7: ...".
func (e *LineError) Error() string {
	if e.Col > 0 {
		return fmt.Sprintf("%s line %d col %d: %v", e.Kind, e.Line, e.Col, e.Err)
	}
	return fmt.Sprintf("%s line %d: %v", e.Kind, e.Line, e.Err)
}

// Unwrap returns the underlying error.
func (e *LineError) Unwrap() error { return e.Err }

// reason is the warning text for Dir, where the line is shown separately.
func (e *LineError) reason() string {
	if e.Col > 0 {
		return fmt.Sprintf("invalid %s at col %d: %v", e.Kind, e.Col, e.Err)
	}
	return fmt.Sprintf("invalid %s: %v", e.Kind, e.Err)
}

// lineCol converts a byte offset into 1-based line and column (in runes).
func lineCol(data []byte, off int) (line, col int) {
	off = max(0, min(off, len(data)))
	line, start := 1, 0
	for i := 0; i < off; i++ {
		if data[i] == '\n' {
			line++
			start = i + 1
		}
	}
	return line, utf8.RuneCount(data[start:off]) + 1
}

// textBuilder accumulates plain text, collapsing runs of whitespace to one
// space and separating blocks with one newline.
type textBuilder struct {
	b                strings.Builder
	space, brk, soft bool
	last             rune // last rune written
}

// text appends s; whitespace inside s is collapsed.
func (t *textBuilder) text(s string) {
	for _, r := range s {
		if unicode.IsSpace(r) {
			t.space = true
			continue
		}
		if t.b.Len() > 0 {
			if t.brk {
				t.b.WriteByte('\n')
			} else if t.space || (t.soft && isWordRune(t.last) && isWordRune(r)) {
				t.b.WriteByte(' ')
			}
		}
		t.space, t.brk, t.soft = false, false, false
		t.b.WriteRune(r)
		t.last = r
	}
}

// block ends the current block: the next text starts on a new line.
func (t *textBuilder) block() { t.brk = true }

// sep separates words (a soft break) without starting a new block.
func (t *textBuilder) sep() { t.space = true }

// softSep separates words only where two letters or digits would touch
// (around an image's alt text).
func (t *textBuilder) softSep() { t.soft = true }

func (t *textBuilder) String() string { return t.b.String() }

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// collector writes text to a body and to sections. Before the first
// section starts, text goes to the body only.
type collector struct {
	body textBuilder
	secs []doc.Section
	cur  *textBuilder // text of the last section, nil before the first
	txts []*textBuilder
}

func (c *collector) text(s string) {
	c.body.text(s)
	if c.cur != nil {
		c.cur.text(s)
	}
}

func (c *collector) block() {
	c.body.block()
	if c.cur != nil {
		c.cur.block()
	}
}

func (c *collector) sep() {
	c.body.sep()
	if c.cur != nil {
		c.cur.sep()
	}
}

func (c *collector) softSep() {
	c.body.softSep()
	if c.cur != nil {
		c.cur.softSep()
	}
}

// section writes heading to the body as its own block and starts a new
// section with the given anchor.
func (c *collector) section(anchor, heading string) {
	c.body.block()
	c.body.text(heading)
	c.body.block()
	c.cur = &textBuilder{}
	c.txts = append(c.txts, c.cur)
	c.secs = append(c.secs, doc.Section{Anchor: anchor, Heading: heading})
}

// sections returns the finished sections.
func (c *collector) sections() []doc.Section {
	for i := range c.secs {
		c.secs[i].Text = c.txts[i].String()
	}
	return c.secs
}

// collapse trims s and collapses its whitespace runs to single spaces.
func collapse(s string) string {
	var t textBuilder
	t.text(s)
	return t.String()
}

// slugify makes a GitHub/Hugo-style heading anchor: lower case, spaces
// become '-', letters, digits, '-' and '_' are kept, the rest is dropped.
func slugify(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-':
			b.WriteRune(unicode.ToLower(r))
		case unicode.IsSpace(r):
			b.WriteByte('-')
		}
	}
	return b.String()
}

// uniqueAnchors makes anchors unique the way Hugo does: the second "a"
// becomes "a-1", the third "a-2".
type uniqueAnchors map[string]int

func (u uniqueAnchors) make(a string) string {
	n, seen := u[a]
	u[a] = n + 1
	if !seen {
		return a
	}
	for {
		cand := fmt.Sprintf("%s-%d", a, n)
		if _, taken := u[cand]; !taken {
			u[cand] = 1
			return cand
		}
		n++
		u[a] = n + 1
	}
}

// deriveTitle makes a title from the first paragraph of text: its first
// sentence when that is short, else its first words cut on a word boundary and
// followed by "…".
func deriveTitle(text string) string {
	// The first paragraph: lines up to the first blank line after text.
	var para []string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) == "" {
			if len(para) > 0 {
				break
			}
			continue
		}
		para = append(para, l)
	}
	line := collapse(strings.Join(para, " "))
	if line == "" {
		return ""
	}
	const maxRunes, maxWords = 80, 10
	if s := strings.TrimSuffix(firstSentence(line), "."); s != "" && utf8.RuneCountInString(s) <= maxRunes {
		return s
	}
	var out []string
	n := 0
	for _, w := range strings.Fields(line) {
		wl := utf8.RuneCountInString(w)
		if len(out) == maxWords || (len(out) > 0 && n+1+wl > maxRunes) {
			break
		}
		if len(out) == 0 && wl > maxRunes {
			return string([]rune(w)[:maxRunes]) + "…"
		}
		out = append(out, w)
		n += wl + 1
	}
	return strings.TrimRight(strings.Join(out, " "), ",;:-–—(") + "…"
}

// firstLine returns the first non-blank line of s.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			return l
		}
	}
	return ""
}

// firstSentence returns s up to and including the first '.', '!' or '?'
// followed by a space and an upper-case letter or digit (or the end).
func firstSentence(s string) string {
	rs := []rune(s)
	for i, r := range rs {
		if i == 0 || (r != '.' && r != '!' && r != '?') {
			continue
		}
		if i+1 == len(rs) {
			return s
		}
		if rs[i+1] == ' ' && i+2 < len(rs) && (unicode.IsUpper(rs[i+2]) || unicode.IsDigit(rs[i+2])) {
			// "U.S. President": a single letter before the dot is an initial.
			if i >= 2 && unicode.IsLetter(rs[i-1]) && (rs[i-2] == '.' || rs[i-2] == ' ') {
				continue
			}
			return string(rs[:i+1])
		}
	}
	return s
}

// normalizeNewlines turns CRLF and lone CR line endings into LF and drops
// a leading byte order mark.
func normalizeNewlines(data []byte) string {
	s := strings.TrimPrefix(string(data), "\uFEFF")
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}
