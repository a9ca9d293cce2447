package excerpt

// The reference: today's pipeline of internal/search (engine.go hit and
// bestSection, excerpt.go locateIn, excerpt, wordFragmenter and leading,
// limits.go boundHighlight) run with bleve's real highlighter, fed the
// same tokens as Build. Kept as close to that code as the signatures
// allow: it is what Build must reproduce.

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

func refBestSection(secs []Section, locs search.TermLocationMap) int {
	if len(secs) == 0 || len(locs) == 0 {
		return -1
	}
	counts := make([]int, len(secs))
	top := 0
	for _, ls := range locs {
		for _, l := range ls {
			i := sort.Search(len(secs), func(i int) bool { return uint64(secs[i].Start) > l.Start }) - 1
			if i >= 0 {
				counts[i]++
			} else {
				top++
			}
		}
	}
	best := -1
	for i, c := range counts {
		if c > 0 && (best < 0 || c > counts[best]) {
			best = i
		}
	}
	if best < 0 || top >= counts[best] {
		return -1
	}
	return best
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

// reference is hit()'s body logic: locate, choose the section, bound,
// highlight. It also returns the located terms.
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
	sec := refBestSection(sections, m.Locations[refField])
	refBound(m)
	return Result{Excerpt: refExcerpt(m, body), Section: sec}, located
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
