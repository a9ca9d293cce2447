package excerpt

import (
	"html"
	"slices"
	"strings"
	"testing"
)

func TestLeading(t *testing.T) {
	a50 := strings.Repeat("a", 50)
	tests := []struct {
		name string
		s    string
		n    int
		want string
	}{
		{"empty", "", 10, ""},
		{"short", "  hello world \n", 20, "hello world"},
		{"exactly n runes", "abcde fghij", 11, "abcde fghij"},
		{"cut at space", "abcde fghij klmno", 13, "abcde fghij…"},
		{"cut on the space", "abcde fghij klmno", 11, "abcde fghij…"},
		{"space at half", "abcd efghijklmnop", 10, "abcd…"},
		{"no space past half", "ab cdefghijklmnop", 10, "ab cd…"},
		{"no space", a50, 10, "aaaaa…"},
		{"runes not bytes", "éééé éééé éééé", 10, "éééé éééé…"},
		{"trailing space trimmed", "abc   defghijkl", 8, "abc…"},
		{"newline is space", "abcdef\nghijklmn", 10, "abcdef…"},
		{"non-breaking space", "abcdef\u00a0ghijklmn", 10, "abcdef…"},
		{"invalid UTF-8 kept uncut", "ab\xffcd", 10, "ab\xffcd"},
		{"invalid UTF-8 replaced when cut", "ab\xffcd efghijkl", 8, "ab\uFFFDcd…"},
		{"zero", "abc", 0, "…"},
		{"negative", "abc", -3, "…"},
	}
	for _, tt := range tests {
		if got := Leading(tt.s, tt.n); got != tt.want {
			t.Errorf("%s: Leading(%q, %d) = %q, want %q", tt.name, tt.s, tt.n, got, tt.want)
		}
		if tt.n >= 0 {
			if ref := refLeading(tt.s, tt.n); ref != tt.want {
				t.Errorf("%s: today's leading(%q, %d) = %q, want %q", tt.name, tt.s, tt.n, ref, tt.want)
			}
		}
	}
}

func TestEscape(t *testing.T) {
	tests := []string{
		"",
		"plain",
		`<a href="x">Tom & Jerry's</a>`,
		"&&&<<<>>>'''\"\"\"",
		"é<ü>\xff&",
		"&amp; already",
	}
	for _, s := range tests {
		if got, want := escape(s), html.EscapeString(s); got != want {
			t.Errorf("escape(%q) = %q, want %q", s, got, want)
		}
	}
}

// tokens returns the tokens of s split at spaces, each word its own term.
func tokens(s string) []Token { return spaceTokens(s) }

func TestBuild(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		terms    []string
		sections []Section
		want     Result
	}{
		{
			name: "no terms: leading text, escaped",
			body: "a <b> & c",
			want: Result{Excerpt: "a &lt;b&gt; &amp; c"},
		},
		{
			name:  "absent term",
			body:  "one two three",
			terms: []string{"four"},
			want:  Result{Excerpt: "one two three"},
		},
		{
			name:  "marked and escaped",
			body:  `say "hi" & wave`,
			terms: []string{"&", `"hi"`},
			want:  Result{Excerpt: `say <mark>&#34;hi&#34;</mark> <mark>&amp;</mark> wave`, Terms: []string{"&", `"hi"`}},
		},
		{
			name:  "terms once each in the given order",
			body:  "b a b a",
			terms: []string{"c", "b", "a", "b"},
			want:  Result{Excerpt: "<mark>b</mark> <mark>a</mark> <mark>b</mark> <mark>a</mark>", Terms: []string{"b", "a"}},
		},
		{
			name:     "matches only before the first section: no section, the whole body",
			body:     "x intro a Setup b c",
			terms:    []string{"x"},
			sections: []Section{{Start: 10, Heading: "Setup"}},
			want:     Result{Excerpt: "<mark>x</mark> intro a Setup b c", Terms: []string{"x"}},
		},
		{
			name:     "a section's excerpt comes from its text, the hit's from the top",
			body:     "intro a. One x y. Two z.",
			terms:    []string{"x"},
			sections: []Section{{Start: 9, Heading: "One"}, {Start: 18, Heading: "Two"}},
			want:     Result{Excerpt: "intro a.", Sections: []SectionExcerpt{{0, "<mark>x</mark> y."}}, Terms: []string{"x"}},
		},
		{
			name:     "a match in the heading lists the section, its text unmarked",
			body:     "intro. Install x now. Use y.",
			terms:    []string{"install"},
			sections: []Section{{Start: 7, Heading: "Install"}, {Start: 22, Heading: "Use"}},
			want:     Result{Excerpt: "intro.", Sections: []SectionExcerpt{{0, "x now."}}, Terms: []string{"install"}},
		},
		{
			name:     "more distinct terms first, then more matches, then page order",
			body:     "top A x x x B x y C y D x",
			terms:    []string{"x", "y"},
			sections: []Section{{Start: 4}, {Start: 12}, {Start: 18}, {Start: 22}},
			want: Result{Excerpt: "top", Sections: []SectionExcerpt{
				{1, "B <mark>x</mark> <mark>y</mark>"}, {0, "A <mark>x</mark> <mark>x</mark> <mark>x</mark>"}, {2, "C <mark>y</mark>"},
			}, Terms: []string{"x", "y"}},
		},
		{
			name:     "the top's own matches mark its excerpt",
			body:     "x top. A x y",
			terms:    []string{"x"},
			sections: []Section{{Start: 7, Heading: "A"}},
			want:     Result{Excerpt: "<mark>x</mark> top.", Sections: []SectionExcerpt{{0, "<mark>x</mark> y"}}, Terms: []string{"x"}},
		},
		{
			name:     "no text before the first section: an empty excerpt",
			body:     "A x B y",
			terms:    []string{"x"},
			sections: []Section{{Start: 0, Heading: "A"}, {Start: 4, Heading: "B"}},
			want:     Result{Sections: []SectionExcerpt{{0, "<mark>x</mark>"}}, Terms: []string{"x"}},
		},
		{
			name:     "section starting on the match holds it",
			body:     "intro x",
			terms:    []string{"x"},
			sections: []Section{{Start: 6}},
			want:     Result{Excerpt: "intro", Sections: []SectionExcerpt{{0, "<mark>x</mark>"}}, Terms: []string{"x"}},
		},
		{
			name:     "section starting after the match does not",
			body:     "intro x",
			terms:    []string{"x"},
			sections: []Section{{Start: 7}},
			want:     Result{Excerpt: "intro <mark>x</mark>", Terms: []string{"x"}},
		},
		{
			name:     "of sections starting together the last holds the text",
			body:     "intro. H x",
			terms:    []string{"x"},
			sections: []Section{{Start: 7, Heading: "H"}, {Start: 7, Heading: "H"}},
			want:     Result{Excerpt: "intro.", Sections: []SectionExcerpt{{1, "<mark>x</mark>"}}, Terms: []string{"x"}},
		},
	}
	for _, tt := range tests {
		got := Build(tt.body, tokens(tt.body), tt.terms, tt.sections)
		if got.Excerpt != tt.want.Excerpt || !slices.Equal(got.Sections, tt.want.Sections) || !slices.Equal(got.Terms, tt.want.Terms) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
		if ref, _ := reference(tt.body, tokens(tt.body), tt.terms, tt.sections); ref.Excerpt != tt.want.Excerpt || !slices.Equal(ref.Sections, tt.want.Sections) {
			t.Errorf("%s: reference\n got %+v\nwant %+v", tt.name, ref, tt.want)
		}
	}
}

// TestChooseLimit checks that at most MaxSections sections are listed,
// the best, in rank order, that each part ends where the next section
// starts, and that sections out of order list none.
func TestChooseLimit(t *testing.T) {
	body := "top s0 s1 s2 s3 s4"
	var secs []Section
	var spans []Span
	for i := range 5 {
		secs = append(secs, Section{Start: 4 + 3*i, Heading: "s"})
		for range i + 1 {
			spans = append(spans, Span{Start: 5 + 3*i, End: 6 + 3*i, Term: 0})
		}
	}
	got := Choose(body, secs, spans)
	want := Choice{Top: Part{-1, 0, 4}, Sections: []Part{{4, 17, 18}, {3, 14, 16}, {2, 11, 13}}}
	if got.Top != want.Top || !slices.Equal(got.Sections, want.Sections) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got := Choose(body, nil, spans); got.Top != (Part{-1, 0, len(body)}) || got.Sections != nil {
		t.Errorf("without sections: %+v", got)
	}
	// Out of order (a damaged index): none listed.
	secs[1], secs[2] = secs[2], secs[1]
	if got := Choose(body, secs, spans); got.Top != (Part{-1, 0, len(body)}) || got.Sections != nil {
		t.Errorf("sections out of order: %+v", got)
	}
}

// TestMaxTerms checks the bound on marked terms: of 17 located terms,
// the one with the fewest occurrences is not marked, and among equally
// frequent terms the last in byte order is dropped. Sections are chosen
// by every located term.
func TestMaxTerms(t *testing.T) {
	words := []string{"a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "b0", "b1", "b2", "b3", "b4", "b5", "b6"}
	tests := []struct {
		name      string
		body      string
		unmarked  string
		sections  []Section
		section   int
		terms     int
		located   int
		wantMarks int
	}{
		{
			name:      "fewest occurrences dropped",
			body:      strings.Join(words, " ") + " " + strings.Join(words[1:], " "), // a0 once
			unmarked:  "a0",
			terms:     len(words),
			located:   17,
			wantMarks: 33 - 1,
			section:   -1,
		},
		{
			name:      "ties: last term dropped",
			body:      strings.Join(words, " "),
			unmarked:  "b6",
			terms:     len(words),
			located:   17,
			wantMarks: 16,
			section:   -1,
		},
		{
			name:      "ties by term, not by order",
			body:      strings.Join(reversed(words), " "),
			unmarked:  "b6",
			terms:     len(words),
			located:   17,
			wantMarks: 16,
			section:   -1,
		},
		{
			name:      "16 terms: all marked",
			body:      strings.Join(words[:16], " "),
			terms:     16,
			located:   16,
			wantMarks: 16,
			section:   -1,
		},
		{
			// All terms twice, each pair its own section: b6 is not
			// marked in the body, but its section, the first, wins the
			// tie between sections and marks it.
			name:      "sections count unmarked terms",
			body:      "b6 b6 a0 a0 a1 a1 a2 a2 a3 a3 a4 a4 a5 a5 a6 a6 a7 a7 a8 a8 a9 a9 b0 b0 b1 b1 b2 b2 b3 b3 b4 b4 b5 b5",
			sections:  pairSections(17),
			terms:     len(words),
			located:   17,
			wantMarks: 0,
			section:   0,
		},
	}
	for _, tt := range tests {
		got := Build(tt.body, tokens(tt.body), words[:tt.terms], tt.sections)
		if n := strings.Count(got.Excerpt, "<mark>"); n != tt.wantMarks {
			t.Errorf("%s: %d marks, want %d in %q", tt.name, n, tt.wantMarks, got.Excerpt)
		}
		if tt.unmarked != "" && strings.Contains(got.Excerpt, "<mark>"+tt.unmarked+"</mark>") {
			t.Errorf("%s: %s marked in %q", tt.name, tt.unmarked, got.Excerpt)
		}
		if len(got.Terms) != tt.located {
			t.Errorf("%s: %d terms located, want %d", tt.name, len(got.Terms), tt.located)
		}
		if first := -1; tt.section != first && (len(got.Sections) == 0 || got.Sections[0].Section != tt.section) || tt.section == first && len(got.Sections) > 0 {
			t.Errorf("%s: sections %+v, want the first %d", tt.name, got.Sections, tt.section)
		}
	}
}

// TestMaxLocated checks that only the first MaxLocated terms (duplicates
// included) are looked for.
func TestMaxLocated(t *testing.T) {
	terms := make([]string, MaxLocated+1)
	for i := range terms {
		terms[i] = "zz"
	}
	terms[MaxLocated-1] = "in"
	terms[MaxLocated] = "out"
	got := Build("in out", tokens("in out"), terms, nil)
	if want := "<mark>in</mark> out"; got.Excerpt != want {
		t.Errorf("excerpt %q, want %q", got.Excerpt, want)
	}
}

// TestFragmentEdges checks the choice and trimming of the fragment on a
// long body: the fragment holding most distinct terms wins, its edges
// fall on word boundaries, "…" marks cut edges.
func TestFragmentEdges(t *testing.T) {
	filler := strings.Repeat("lorem ipsum dolor sit amet ", 20) // 540 bytes
	tests := []struct {
		name  string
		body  string
		terms []string
		want  string
	}{
		{
			name:  "term at the start: no leading ellipsis",
			body:  "alpha " + filler,
			terms: []string{"alpha"},
			want:  "<mark>alpha</mark> lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit…",
		},
		{
			name:  "term at the end: no trailing ellipsis, cut at a word",
			body:  filler + "omega",
			terms: []string{"omega"},
			want:  "…ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet <mark>omega</mark>",
		},
		{
			name:  "two distinct terms beat one repeated",
			body:  "alpha alpha alpha " + filler + "beta gamma " + filler,
			terms: []string{"alpha", "beta", "gamma"},
			want:  "…ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet <mark>beta</mark> <mark>gamma</mark> lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit…",
		},
	}
	for _, tt := range tests {
		got := Build(tt.body, tokens(tt.body), tt.terms, nil)
		if got.Excerpt != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got.Excerpt, tt.want)
		}
		if ref, _ := reference(tt.body, tokens(tt.body), tt.terms, nil); ref.Excerpt != tt.want {
			t.Errorf("%s: today's excerpt\n got %q\nwant %q", tt.name, ref.Excerpt, tt.want)
		}
	}
}

func reversed(s []string) []string {
	r := slices.Clone(s)
	slices.Reverse(r)
	return r
}

// pairSections returns n sections of 6 bytes ("xx xx ") each.
func pairSections(n int) []Section {
	secs := make([]Section, n)
	for i := range secs {
		secs[i].Start = 6 * i
	}
	return secs
}

// TestSortByStart checks the merge sort against the library's stable
// sort, on all lengths up to 40 with many equal starts.
func TestSortByStart(t *testing.T) {
	for n := range 41 {
		for seed := range 5 {
			locs := make([]loc, n)
			for i := range locs {
				locs[i] = loc{start: (i*7919 + seed*104729) % (n/2 + 1), term: i}
			}
			want := slices.Clone(locs)
			slices.SortStableFunc(want, func(a, b loc) int { return a.start - b.start })
			sortByStart(locs)
			if !slices.Equal(locs, want) {
				t.Errorf("n=%d seed=%d:\n got %v\nwant %v", n, seed, locs, want)
			}
		}
	}
}
