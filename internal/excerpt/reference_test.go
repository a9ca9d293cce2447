package excerpt

// The reference: the pipeline of internal/search (engine.go hit,
// excerpt.go locateIn, excerpt, wordFragmenter and leading, limits.go
// boundHighlight) run with bleve's real highlighter, fed the same tokens
// as Build, and the sections chosen by refChoose, written apart from
// Choose. Kept as close to that code as the signatures allow: it is what
// Build must reproduce.

import (
	"html"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight"
	hlhtml "github.com/blevesearch/bleve/v2/search/highlight/format/html"
	fragsimple "github.com/blevesearch/bleve/v2/search/highlight/fragmenter/simple"
	hlsimple "github.com/blevesearch/bleve/v2/search/highlight/highlighter/simple"

	"github.com/quarry-search/quarry/internal/schema"
)

const refField = "body"

var refHighlighter = hlsimple.NewHighlighter(
	refWordFragmenter{fragsimple.NewFragmenter(Chars)},
	hlhtml.NewFragmentFormatter("<mark>", "</mark>"),
	"…",
)

type refWordFragmenter struct{ inner highlight.Fragmenter }

const refMaxTrim = 24

func (w refWordFragmenter) Fragment(orig []byte, ot highlight.TermLocations) []*highlight.Fragment {
	frags := w.inner.Fragment(orig, ot)
	for _, f := range frags {
		firstTerm, lastTerm := f.End, f.Start
		for _, tl := range ot {
			if tl.Start >= f.Start && tl.End <= f.End {
				firstTerm, lastTerm = min(firstTerm, tl.Start), max(lastTerm, tl.End)
			}
		}
		if f.Start > 0 && f.Start < len(orig) && refInWord(orig, f.Start) {
			for i := f.Start; i < len(orig) && i-f.Start <= refMaxTrim && i < firstTerm; i++ {
				if orig[i] == ' ' || orig[i] == '\n' {
					f.Start = i + 1
					break
				}
			}
		}
		if f.End < len(orig) && f.End > f.Start && refInWord(orig, f.End) {
			for i := f.End - 1; i > f.Start && f.End-i <= refMaxTrim && i >= lastTerm; i-- {
				if orig[i] == ' ' || orig[i] == '\n' {
					f.End = i
					break
				}
			}
		}
	}
	return frags
}

func refInWord(b []byte, i int) bool {
	if i <= 0 || i >= len(b) {
		return false
	}
	r1, _ := utf8.DecodeLastRune(b[:i])
	r2, _ := utf8.DecodeRune(b[i:])
	isW := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' }
	return isW(r1) && isW(r2)
}

// refLocate is locateIn, with the analyzer's tokens given.
func refLocate(m *search.DocumentMatch, tokens []Token, terms []string) {
	if len(terms) == 0 {
		return
	}
	if len(terms) > 64 {
		terms = terms[:64]
	}
	want := make(map[string]bool, len(terms))
	for _, t := range terms {
		want[t] = true
	}
	var locs search.TermLocationMap
	for _, tok := range tokens {
		t := tok.Term
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
	m.Locations[refField] = locs
}

// refChoose is Choose written plainly: each section's spans and
// distinct terms counted by scanning, the sections sorted by rank.
func refChoose(body string, secs []Section, locs search.TermLocationMap) (top Part, listed []Part) {
	top = Part{Section: -1, End: len(body)}
	clamp := func(i int) int { return min(max(secs[i].Start, 0), len(body)) }
	if !sort.SliceIsSorted(secs, func(i, j int) bool { return clamp(i) < clamp(j) }) {
		return top, nil // out of order: none listed
	}
	// owner: the section a span starting at off belongs to: the greatest
	// start at or before off; among equal starts the one sorted last
	// (by index).
	owner := func(off int) int {
		o := -1
		for i := range secs {
			if clamp(i) <= off && (o < 0 || clamp(i) > clamp(o) || clamp(i) == clamp(o) && i > o) {
				o = i
			}
		}
		return o
	}
	n := make([]int, len(secs))
	terms := make([]map[string]bool, len(secs))
	for t, ls := range locs {
		for _, l := range ls {
			if o := owner(int(l.Start)); o >= 0 {
				n[o]++
				if terms[o] == nil {
					terms[o] = map[string]bool{}
				}
				terms[o][t] = true
			}
		}
	}
	var idx []int
	for i := range secs {
		if n[i] > 0 {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return top, nil
	}
	sort.SliceStable(idx, func(a, b int) bool {
		x, y := idx[a], idx[b]
		if len(terms[x]) != len(terms[y]) {
			return len(terms[x]) > len(terms[y])
		}
		if n[x] != n[y] {
			return n[x] > n[y]
		}
		return clamp(x) < clamp(y) || clamp(x) == clamp(y) && x < y
	})
	if len(idx) > MaxSections {
		idx = idx[:MaxSections]
	}
	first := len(body)
	for i := range secs {
		first = min(first, clamp(i))
	}
	top.End = first
	for _, i := range idx {
		end := len(body)
		for j := range secs {
			if clamp(j) > clamp(i) {
				end = min(end, clamp(j))
			}
		}
		start := clamp(i)
		if h := secs[i].Heading; h != "" && strings.HasPrefix(body[start:], h) {
			start = min(start+len(h), end)
		}
		listed = append(listed, Part{Section: i, Start: start, End: end})
	}
	return top, listed
}

// refPart returns the match holding m's locations lying wholly inside
// part p, shifted to the part's text.
func refPart(m *search.DocumentMatch, p Part) *search.DocumentMatch {
	sub := &search.DocumentMatch{ID: m.ID}
	for t, ls := range m.Locations[refField] {
		for _, l := range ls {
			if int(l.Start) >= p.Start && int(l.End) <= p.End {
				if sub.Locations == nil {
					sub.Locations = search.FieldTermLocationMap{refField: search.TermLocationMap{}}
				}
				sub.Locations[refField].AddLocation(t, &search.Location{Pos: l.Pos, Start: l.Start - uint64(p.Start), End: l.End - uint64(p.Start)})
			}
		}
	}
	return sub
}

func refBound(m *search.DocumentMatch) {
	for f, tlm := range m.Locations {
		if len(tlm) <= 16 {
			continue
		}
		terms := make([]string, 0, len(tlm))
		for t := range tlm {
			terms = append(terms, t)
		}
		sort.Slice(terms, func(i, j int) bool {
			a, b := len(tlm[terms[i]]), len(tlm[terms[j]])
			if a != b {
				return a > b
			}
			return terms[i] < terms[j]
		})
		kept := make(search.TermLocationMap, 16)
		for _, t := range terms[:16] {
			kept[t] = tlm[t]
		}
		m.Locations[f] = kept
	}
}

func refExcerpt(m *search.DocumentMatch, body string) string {
	if len(m.Locations[refField]) > 0 {
		d := document.NewDocument(m.ID)
		d.AddField(document.NewTextField(refField, nil, []byte(body)))
		if frags := refHighlighter.BestFragmentsInField(m, d, refField, 1); len(frags) > 0 && frags[0] != "" {
			return strings.TrimSpace(frags[0])
		}
	}
	return html.EscapeString(refLeading(body, Chars))
}

func refLeading(s string, n int) string {
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

// reference is hit()'s body logic: locate, choose the sections, bound
// and highlight each part. It also returns the located terms.
func reference(body string, tokens []Token, terms []string, sections []Section) (Result, map[string]bool) {
	m := &search.DocumentMatch{ID: "doc"}
	refLocate(m, tokens, terms)
	var located map[string]bool
	for t := range m.Locations[refField] {
		if located == nil {
			located = map[string]bool{}
		}
		located[t] = true
	}
	top, listed := refChoose(body, sections, m.Locations[refField])
	if len(listed) == 0 {
		refBound(m)
		return Result{Excerpt: refExcerpt(m, body)}, located
	}
	res := Result{}
	for k, p := range append([]Part{top}, listed...) {
		sub := refPart(m, p)
		refBound(sub)
		ex := refExcerpt(sub, body[p.Start:p.End])
		if k == 0 {
			res.Excerpt = ex
		} else {
			res.Sections = append(res.Sections, SectionExcerpt{Section: p.Section, Excerpt: ex})
		}
	}
	return res, located
}

var (
	analyzerOnce sync.Once
	analyzer     analysis.Analyzer
)

// analyze returns the tokens of s by the index's analyzer (English).
func analyze(t testing.TB, s string) []Token {
	t.Helper()
	analyzerOnce.Do(func() {
		im, err := schema.NewMapping(schema.Options{Language: "english"})
		if err != nil {
			t.Fatal(err)
		}
		analyzer = im.AnalyzerNamed(schema.TextAnalyzer)
	})
	if analyzer == nil {
		t.Fatal("text analyzer missing")
	}
	ts := analyzer.Analyze([]byte(s))
	out := make([]Token, len(ts))
	for i, tok := range ts {
		out[i] = Token{Term: string(tok.Term), Start: tok.Start, End: tok.End, Position: tok.Position}
	}
	return out
}

// terms returns the distinct analyzed terms of s, in order.
func termsOf(t testing.TB, s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, tok := range analyze(t, s) {
		if !seen[tok.Term] {
			seen[tok.Term] = true
			out = append(out, tok.Term)
		}
	}
	return out
}
