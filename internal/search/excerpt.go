package search

import (
	"context"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight"
	hlhtml "github.com/blevesearch/bleve/v2/search/highlight/format/html"
	fragsimple "github.com/blevesearch/bleve/v2/search/highlight/fragmenter/simple"
	hlsimple "github.com/blevesearch/bleve/v2/search/highlight/highlighter/simple"

	"github.com/quarry-search/quarry/internal/reader"
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

// excerpt returns the best body fragment of m with <mark> around matched
// terms; all document text in it is HTML-escaped. Without a body match it
// is the start of the body.
func (e *Engine) excerpt(m *search.DocumentMatch) string {
	num, err := reader.DocNum(m.IndexInternalID)
	if err != nil {
		return ""
	}
	d, err := e.r.DocumentByNumber(num)
	if err != nil || d == nil {
		return ""
	}
	if len(m.Locations[schema.FieldBody]) > 0 {
		if frags := highlighter.BestFragmentsInField(m, d, schema.FieldBody, 1); len(frags) > 0 && frags[0] != "" {
			return strings.TrimSpace(frags[0])
		}
	}
	for _, f := range d.Fields {
		if f.Name() == schema.FieldBody {
			return html.EscapeString(leading(string(f.Value()), ExcerptChars))
		}
	}
	return ""
}

// maxHighlightTerms bounds the terms looked up to mark one excerpt.
const maxHighlightTerms = 64

// locate fills m.Locations with the body positions of terms, as a search
// with term vectors would have.
func (e *Engine) locate(ctx context.Context, m *search.DocumentMatch, terms []string) {
	if len(terms) > maxHighlightTerms {
		terms = terms[:maxHighlightTerms]
	}
	for _, term := range terms {
		tfr, err := e.r.TermFieldReader(ctx, []byte(term), schema.FieldBody, false, false, true)
		if err != nil {
			continue
		}
		d, err := tfr.Advance(m.IndexInternalID, nil)
		if err == nil && d != nil && d.ID.Equals(m.IndexInternalID) {
			if m.Locations == nil {
				m.Locations = search.FieldTermLocationMap{}
			}
			if m.Locations[schema.FieldBody] == nil {
				m.Locations[schema.FieldBody] = search.TermLocationMap{}
			}
			for _, v := range d.Vectors {
				m.Locations[schema.FieldBody].AddLocation(term, &search.Location{Pos: v.Pos, Start: v.Start, End: v.End})
			}
		}
		tfr.Close()
	}
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
