package excerpt

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/quarry-search/quarry/internal/testcorpus"
)

// diffCase is one input of the differential test.
type diffCase struct {
	name     string
	body     string
	tokens   []Token
	terms    []string
	sections []Section
}

// differ runs cases through Build and the bleve reference and reports
// every difference (the first few in full).
type differ struct {
	t              *testing.T
	n, bad, listed int
}

func (d *differ) check(c diffCase) {
	d.t.Helper()
	d.n++
	want, located := reference(c.body, c.tokens, c.terms, c.sections)
	got := Build(c.body, c.tokens, c.terms, c.sections)
	// Terms: the located ones, in the order given, each once.
	var wantTerms []string
	seen := map[string]bool{}
	for _, term := range c.terms[:min(len(c.terms), MaxLocated)] {
		if located[term] && !seen[term] {
			seen[term] = true
			wantTerms = append(wantTerms, term)
		}
	}
	if len(got.Sections) > 0 {
		d.listed++
	}
	if got.Excerpt == want.Excerpt && slices.Equal(got.Sections, want.Sections) && slices.Equal(got.Terms, wantTerms) {
		return
	}
	d.bad++
	if d.bad <= 10 {
		d.t.Errorf("%s: terms %q, sections %v\n got excerpt %q, sections %+v, terms %q\nwant excerpt %q, sections %+v, terms %q",
			c.name, c.terms, c.sections, got.Excerpt, got.Sections, got.Terms, want.Excerpt, want.Sections, wantTerms)
	}
}

func (d *differ) done(what string) {
	d.t.Logf("%s: %d cases compared (%d listing sections), %d differ", what, d.n, d.listed, d.bad)
	if d.n == 0 {
		d.t.Error("no case compared")
	}
}

// freq returns the distinct terms of tokens in order of first occurrence
// and their counts.
func freq(tokens []Token) ([]string, map[string]int) {
	var vocab []string
	n := map[string]int{}
	for _, tok := range tokens {
		if n[tok.Term] == 0 {
			vocab = append(vocab, tok.Term)
		}
		n[tok.Term]++
	}
	return vocab, n
}

// termSets returns the query-term sets tried on a body: single terms
// (all of them with all, else a sample), pairs of terms at distances
// around the fragment size, the most and least frequent terms (around
// MaxTerms and MaxLocated), stop words, absent and stemmed forms, terms
// only near the start or the end, duplicates, random mixes.
func termSets(t testing.TB, tokens []Token, all bool, rng *rand.Rand) [][]string {
	vocab, n := freq(tokens)
	var sets [][]string
	add := func(s ...string) { sets = append(sets, s) }
	step := 1
	if !all {
		step = max(1, len(vocab)/12)
	}
	for i := 0; i < len(vocab); i += step {
		add(vocab[i])
	}
	pstep := max(1, len(tokens)/40)
	if !all {
		pstep = max(1, len(tokens)/6)
	}
	for k := 0; k < len(tokens); k += pstep {
		for _, dist := range []int{1, 3, 10, 25, 33, 36, 38, 40, 42, 45, 55, 70} {
			if k+dist < len(tokens) {
				add(tokens[k].Term, tokens[k+dist].Term)
			}
		}
	}
	byCount := slices.Clone(vocab)
	slices.SortStableFunc(byCount, func(a, b string) int { return n[b] - n[a] })
	for _, k := range []int{2, 3, 5, 15, 16, 17, 20, 40, 63, 64, 65, 100, len(byCount)} {
		if k <= len(byCount) {
			add(byCount[:k]...)
			add(byCount[len(byCount)-k:]...) // the rarest: ties by term
		}
	}
	add("the")
	add("the", "and", "of", "a", "to", "in", "is")
	add("zzzabsent")
	add("zzzabsent", "qqqnone")
	if len(vocab) > 0 {
		add("zzzabsent", vocab[len(vocab)-1])
		add(vocab[0], vocab[0], vocab[0])
		// 64 absent terms, then a present one: past the cut.
		long := make([]string, 0, 66)
		for i := range 64 {
			long = append(long, "absent"+strconv.Itoa(i))
		}
		add(append(long, vocab[0])...)
		// Duplicates count towards the 64.
		dup := make([]string, 0, 66)
		for range 63 {
			dup = append(dup, "zzz")
		}
		add(append(dup, vocab[len(vocab)-1], vocab[0])...)
	}
	// Stemmed forms of words of the body, as a query would give them.
	var stems []string
	for i := 0; i < len(vocab) && len(stems) < 6; i += max(1, len(vocab)/6) {
		for _, suf := range []string{"s", "ing", "ed"} {
			stems = append(stems, termsOf(t, vocab[i]+suf)...)
		}
	}
	add(stems...)
	// Terms only in the first Chars bytes, and the last terms.
	var early []string
	late := map[string]bool{}
	for _, tok := range tokens {
		if tok.Start > Chars {
			late[tok.Term] = true
		}
	}
	for _, tok := range tokens {
		if tok.End <= Chars && !late[tok.Term] && !slices.Contains(early, tok.Term) {
			early = append(early, tok.Term)
		}
	}
	if len(early) > 0 {
		add(early...)
		add(early[len(early)-1])
	}
	if k := len(tokens); k > 0 {
		add(tokens[k-1].Term)
		add(tokens[max(0, k-3)].Term, tokens[k-1].Term)
		add(tokens[0].Term, tokens[k-1].Term)
	}
	// Random mixes of present and absent terms.
	for range map[bool]int{true: 12, false: 4}[all] {
		k := 1 + rng.IntN(80)
		var s []string
		for range k {
			if len(vocab) == 0 || rng.IntN(5) == 0 {
				s = append(s, "nope"+strconv.Itoa(rng.IntN(10)))
			} else {
				s = append(s, vocab[rng.IntN(len(vocab))])
			}
		}
		add(s...)
	}
	return sets
}

// lineSections returns a section at the start of every line for which
// heading says yes, the line its heading when it is short (as the index
// builder has them: the heading, then the section's text).
func lineSections(body string, heading func(line string) bool) []Section {
	var secs []Section
	off := 0
	for line := range strings.SplitAfterSeq(body, "\n") {
		if l := strings.TrimRight(line, "\n"); heading(l) {
			s := Section{Start: off}
			if len(l) <= 80 {
				s.Heading = l
			}
			secs = append(secs, s)
		}
		off += len(line)
	}
	return secs
}

// sectionSets returns the section layouts tried on a body.
func sectionSets(body string) [][]Section {
	paras := lineSections(body, func(l string) bool { return strings.TrimSpace(l) != "" })
	every := []Section{}
	for off := 150; off < len(body); off += 300 {
		every = append(every, Section{Start: off})
	}
	sets := [][]Section{nil, paras, every, {{Start: 0}}, {{Start: len(body) / 2}}}
	if len(paras) > 2 {
		// Not the first paragraph: matches before the first section.
		sets = append(sets, paras[1:])
		// Unsorted and duplicated starts.
		sets = append(sets, []Section{paras[2], paras[1], paras[1]})
	}
	return sets
}

func TestDifferentialSeeds(t *testing.T) {
	d := &differ{t: t}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, doc := range testcorpus.Seeds(t) {
		tokens := analyze(t, doc.Body)
		secs := sectionSets(doc.Body)
		for i, terms := range termSets(t, tokens, true, rng) {
			for j, s := range secs {
				if j > 1 && i%7 != 0 {
					continue // all layouts on a seventh of the sets
				}
				d.check(diffCase{name: doc.ID, body: doc.Body, tokens: tokens, terms: terms, sections: s})
			}
		}
	}
	d.done("seed documents")
}

// queryTerms returns the analyzed terms of each query of c.
func queryTerms(t testing.TB, c *testcorpus.Collection) map[int][]string {
	out := map[int][]string{}
	for _, q := range c.Queries {
		out[q.ID] = termsOf(t, q.Text)
	}
	return out
}

// testCollection compares, for every judged (query, document) pair and
// every query with a few other documents, the document's excerpt for the
// query's terms.
func testCollection(t *testing.T, c *testcorpus.Collection) {
	d := &differ{t: t}
	qt := queryTerms(t, c)
	byID := map[string]int{}
	for i, doc := range c.Docs {
		byID[doc.ID] = i
	}
	type pair struct{ q, doc int }
	var pairs []pair
	for _, r := range c.Qrels {
		if i, ok := byID[r.Doc]; ok {
			pairs = append(pairs, pair{r.Query, i})
		}
	}
	for k, q := range c.Queries {
		for j := range 4 {
			pairs = append(pairs, pair{q.ID, (k*131 + j*977) % len(c.Docs)})
		}
	}
	if testing.Short() {
		pairs = pairs[:len(pairs)/10]
	}
	tokens := map[int][]Token{}
	for _, p := range pairs {
		doc := c.Docs[p.doc]
		toks, ok := tokens[p.doc]
		if !ok {
			toks = analyze(t, doc.Body)
			tokens[p.doc] = toks
		}
		secs := sectionSets(doc.Body)
		d.check(diffCase{name: c.Name + "/" + doc.ID, body: doc.Body, tokens: toks, terms: qt[p.q], sections: secs[2]})
	}
	d.done(c.Name + " judged and sampled (query, document) pairs")
}

func TestDifferentialCranfield(t *testing.T) { testCollection(t, testcorpus.Cranfield(t)) }
func TestDifferentialCACM(t *testing.T)      { testCollection(t, testcorpus.CACM(t)) }

// testPages compares, on every step-th page, the excerpt and section for
// the terms of a few of the collection's queries and of some of the
// page's own terms, with sections at the lines heading says are headings.
func testPages(t *testing.T, c *testcorpus.Collection, step int, heading func(string) bool) {
	d := &differ{t: t}
	qt := queryTerms(t, c)
	rng := rand.New(rand.NewPCG(3, 4))
	withSections := 0
	if testing.Short() {
		step *= 10
	}
	for i := 0; i < len(c.Docs); i += step {
		doc := c.Docs[i]
		tokens := analyze(t, doc.Body)
		secs := lineSections(doc.Body, heading)
		if len(secs) > 0 {
			withSections++
		}
		for k := range 3 {
			q := c.Queries[(i+k*7)%len(c.Queries)]
			d.check(diffCase{name: c.Name + "/" + doc.ID, body: doc.Body, tokens: tokens, terms: qt[q.ID], sections: secs})
		}
		for _, terms := range termSets(t, tokens, false, rng) {
			d.check(diffCase{name: c.Name + "/" + doc.ID, body: doc.Body, tokens: tokens, terms: terms, sections: secs})
		}
	}
	t.Logf("%s: %d pages with sections", c.Name, withSections)
	d.done(c.Name + " pages")
}

func TestDifferentialHugoDocs(t *testing.T) {
	testPages(t, testcorpus.HugoDocs(t), 3, func(l string) bool { return strings.HasPrefix(l, "#") })
}

func TestDifferentialPHPDocs(t *testing.T) {
	// The manual's text has no markup: short lines without a full stop
	// stand for headings.
	testPages(t, testcorpus.PHPDocs(t), 25, func(l string) bool {
		l = strings.TrimSpace(l)
		return l != "" && utf8.RuneCountInString(l) < 50 && !strings.HasSuffix(l, ".")
	})
}

// syntheticBodies are bodies built to reach the edges: non-ASCII text,
// HTML special characters, empty and short bodies, very long words,
// U+FFFD and invalid UTF-8 (bleve's fragmenter gives up on those), no
// spaces at all, apostrophes inside words, tabs and newlines.
func syntheticBodies() map[string]string {
	lorem := "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. "
	long := strings.Repeat("x", 300)
	return map[string]string{
		"empty":         "",
		"spaces":        "   \n\t  ",
		"one word":      "search",
		"short":         "Quarry searches static sites in the browser.",
		"exact 220":     strings.Repeat("abcd ", 44),
		"221 runes":     strings.Repeat("abcd ", 44) + "z",
		"lorem":         strings.Repeat(lorem, 8),
		"html chars":    strings.Repeat(`Use <mark> & "quotes" or 'single' <b>bold</b> & more; a<b && c>d. `, 12),
		"french":        strings.Repeat("Élève à l'école, où l'été est déjà là : ça coûte très cher, naïve façon. ", 10),
		"german":        strings.Repeat("Die Straße führt über größere Brücken; Äpfel und Öl kosten müßig viel. ", 10),
		"cjk":           strings.Repeat("検索エンジンは静的サイトのために 文書を索引します。 中文搜索 ", 12),
		"emoji":         strings.Repeat("search 🔍 the web 🌍 with quarry ⛏️ fast 🚀 and small. ", 12),
		"long word":     "start " + long + " middle search " + long + " end search",
		"long words":    strings.Repeat(long+" search ", 5),
		"no spaces":     strings.Repeat("search,engine;static-site_browser.", 20),
		"apostrophes":   strings.Repeat("don't can't it's the owner's rock’n’roll O'Brien's search engine isn't here. ", 8),
		"newlines":      strings.Repeat("line one search\nline two\n\nparagraph\tsearch tab\n", 15),
		"fffd":          strings.Repeat("text with \uFFFD replacement search char here. ", 10),
		"fffd early":    "bad \uFFFD start " + strings.Repeat("plain words around the search term go here. ", 10),
		"fffd late":     strings.Repeat("plain words around the search term go here. ", 10) + "bad \uFFFD end",
		"invalid":       strings.Repeat("valid search text ", 20) + "\xff\xfe bad search bytes " + strings.Repeat("more text ", 20),
		"invalid early": "alpha one \xff beta gamma delta end",
		"invalid cut":   strings.Repeat("abc\xe2\x82 ", 60),
		// bleve's fragmenter gives up when centring the fragment crosses
		// invalid UTF-8 before the term.
		"invalid before":  strings.Repeat("word ", 20) + "\xff" + strings.Repeat("y", 8) + strings.Repeat("y", 172) + " search " + strings.Repeat("z ", 20),
		"invalid before2": strings.Repeat("word ", 20) + "\xff" + strings.Repeat("y", 30) + strings.Repeat("y", 172) + " search " + strings.Repeat("z ", 20),
		"lead spaces":     "   \n  " + strings.Repeat("words and search here ", 20) + "  \n ",
		"digits":          strings.Repeat("version 2.5.7 released 2024-01-02 with 1,000 fixes search ", 8),
		"mixed space":     strings.Repeat("search\u00a0nbsp\u2003em\u3000ideographic word ", 15),
	}
}

func TestDifferentialSynthetic(t *testing.T) {
	d := &differ{t: t}
	rng := rand.New(rand.NewPCG(5, 6))
	bodies := syntheticBodies()
	names := make([]string, 0, len(bodies))
	for name := range bodies {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		body := bodies[name]
		tokens := analyze(t, body)
		sets := termSets(t, tokens, true, rng)
		sets = append(sets, []string{"search"}, []string{"mark", "b", "quot"}, nil)
		for _, terms := range sets {
			for _, secs := range sectionSets(body)[:3] {
				d.check(diffCase{name: name, body: body, tokens: tokens, terms: terms, sections: secs})
			}
		}
		// Tokens not from a plain analysis: overlapping (each spans two
		// words), zero-length, out of order. Starts stay distinct, which
		// keeps bleve's own order of locations deterministic.
		if len(tokens) < 2 {
			tokens = spaceTokens(body)
			if len(tokens) < 2 {
				continue
			}
		}
		over := make([]Token, len(tokens)-1)
		zero := make([]Token, len(tokens))
		for i := range over {
			over[i] = tokens[i]
			over[i].End = tokens[i+1].End
		}
		for i, tok := range tokens {
			zero[i] = tok
			if i%3 == 0 {
				zero[i].End = tok.Start
			}
		}
		rev := slices.Clone(tokens)
		slices.Reverse(rev)
		// Tokens starting one byte early (on the space before a word).
		wide := slices.Clone(tokens)
		for i := range wide {
			if wide[i].Start > 0 && (i == 0 || wide[i].Start-1 > wide[i-1].Start) {
				wide[i].Start--
			}
		}
		for _, toks := range [][]Token{over, zero, rev, wide} {
			for _, terms := range sets {
				d.check(diffCase{name: name + " (odd tokens)", body: body, tokens: toks, terms: terms})
			}
		}
		// Words split at spaces, past invalid UTF-8 (where the analyzer
		// stops), with sets of their own terms.
		words := spaceTokens(body)
		for _, terms := range append(sets, termSets(t, words, true, rng)...) {
			d.check(diffCase{name: name + " (space tokens)", body: body, tokens: words, terms: terms})
		}
	}
	d.done("synthetic bodies")
}

// spaceTokens splits s at ASCII spaces, unlike the analyzer going on past
// invalid UTF-8 (where the analyzer stops).
func spaceTokens(s string) []Token {
	var out []Token
	start := -1
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' || s[i] == '\n' {
			if start >= 0 {
				out = append(out, Token{Term: strings.ToLower(s[start:i]), Start: start, End: i, Position: len(out) + 1})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	return out
}
