package search

import (
	"html"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight"
	hlhtml "github.com/blevesearch/bleve/v2/search/highlight/format/html"
	fragsimple "github.com/blevesearch/bleve/v2/search/highlight/fragmenter/simple"
	hlsimple "github.com/blevesearch/bleve/v2/search/highlight/highlighter/simple"

	"github.com/quarry-search/quarry/internal/schema"
)

// ExcerptChars is the approximate length of an excerpt in characters.
const ExcerptChars = 220

var highlighter = hlsimple.NewHighlighter(
	wordFragmenter{fragsimple.NewFragmenter(ExcerptChars)},
	hlhtml.NewFragmentFormatter("<mark>", "</mark>"),
	"…",
)

// wordFragmenter trims the fragments of bleve's simple fragmenter so that
// excerpts start and end on word boundaries ("…nch of" becomes "of"),
// never cutting into a matched term.
type wordFragmenter struct{ inner highlight.Fragmenter }

// maxTrim bounds how far a fragment edge moves to reach a word boundary.
const maxTrim = 24

// Fragment implements highlight.Fragmenter.
func (w wordFragmenter) Fragment(orig []byte, ot highlight.TermLocations) []*highlight.Fragment {
	frags := w.inner.Fragment(orig, ot)
	for _, f := range frags {
		firstTerm, lastTerm := f.End, f.Start
		for _, tl := range ot {
			if tl.Start >= f.Start && tl.End <= f.End {
				firstTerm, lastTerm = min(firstTerm, tl.Start), max(lastTerm, tl.End)
			}
		}
		if f.Start > 0 && f.Start < len(orig) && inWord(orig, f.Start) {
			for i := f.Start; i < len(orig) && i-f.Start <= maxTrim && i < firstTerm; i++ {
				if orig[i] == ' ' || orig[i] == '\n' {
					f.Start = i + 1
					break
				}
			}
		}
		if f.End < len(orig) && f.End > f.Start && inWord(orig, f.End) {
			for i := f.End - 1; i > f.Start && f.End-i <= maxTrim && i >= lastTerm; i-- {
				if orig[i] == ' ' || orig[i] == '\n' {
					f.End = i
					break
				}
			}
		}
	}
	return frags
}

// inWord reports whether byte offset i falls between two word characters.
func inWord(b []byte, i int) bool {
	if i <= 0 || i >= len(b) {
		return false
	}
	r1, _ := utf8.DecodeLastRune(b[:i])
	r2, _ := utf8.DecodeRune(b[i:])
	isW := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' }
	return isW(r1) && isW(r2)
}

// excerpt returns the best fragment of body (m's display text) with
// <mark> around the locations in m.Locations; all document text in it is
// HTML-escaped. Without a body match it is the start of the body.
func (e *Engine) excerpt(m *search.DocumentMatch, body string) string {
	if len(m.Locations[schema.FieldBody]) > 0 {
		d := document.NewDocument(m.ID)
		d.AddField(document.NewTextField(schema.FieldBody, nil, []byte(body)))
		if frags := highlighter.BestFragmentsInField(m, d, schema.FieldBody, 1); len(frags) > 0 && frags[0] != "" {
			return strings.TrimSpace(frags[0])
		}
	}
	return html.EscapeString(leading(body, ExcerptChars))
}

// maxHighlightTerms bounds the terms marked in one excerpt.
const maxHighlightTerms = 64

// locateIn fills m.Locations with the positions and byte offsets of terms
// (indexed, i.e. analyzed, forms) in body, found by analyzing body as the
// index did: the index keeps positions but not offsets.
func (e *Engine) locateIn(m *search.DocumentMatch, body string, terms []string) {
	if len(terms) == 0 {
		return
	}
	if len(terms) > maxHighlightTerms {
		terms = terms[:maxHighlightTerms]
	}
	want := make(map[string]bool, len(terms))
	for _, t := range terms {
		want[t] = true
	}
	var locs search.TermLocationMap
	for _, tok := range e.analyzer.Analyze([]byte(body)) {
		t := string(tok.Term)
		if !want[t] {
			continue
		}
		if locs == nil {
			locs = search.TermLocationMap{}
		}
		locs.AddLocation(t, &search.Location{Pos: uint64(tok.Position), Start: uint64(tok.Start), End: uint64(tok.End)})
	}
	if locs == nil {
		return
	}
	if m.Locations == nil {
		m.Locations = search.FieldTermLocationMap{}
	}
	m.Locations[schema.FieldBody] = locs
}

// matchedTerms lists the body terms a search with term vectors matched in
// m, sorted.
func matchedTerms(m *search.DocumentMatch) []string {
	var out []string
	for t := range m.Locations[schema.FieldBody] {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// leading returns about n characters from the start of s, cut at a word
// boundary, with an ellipsis when cut.
func leading(s string, n int) string {
	s = strings.TrimSpace(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := n
	for cut > n/2 && !unicode.IsSpace(r[cut]) {
		cut--
	}
	return strings.TrimSpace(string(r[:cut])) + "…"
}
