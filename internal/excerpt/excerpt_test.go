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
			want: Result{Excerpt: "a &lt;b&gt; &amp; c", Section: -1},
		},
		{
			name:  "absent term",
			body:  "one two three",
			terms: []string{"four"},
			want:  Result{Excerpt: "one two three", Section: -1},
		},
		{
			name:  "marked and escaped",
			body:  `say "hi" & wave`,
			terms: []string{"&", `"hi"`},
			want:  Result{Excerpt: `say <mark>&#34;hi&#34;</mark> <mark>&amp;</mark> wave`, Section: -1, Terms: []string{"&", `"hi"`}},
		},
		{
			name:  "terms once each in the given order",
			body:  "b a b a",
			terms: []string{"c", "b", "a", "b"},
			want:  Result{Excerpt: "<mark>b</mark> <mark>a</mark> <mark>b</mark> <mark>a</mark>", Section: -1, Terms: []string{"b", "a"}},
		},
		{
			name:     "section with most matches",
			body:     "x intro y one x two x x",
			terms:    []string{"x"},
			sections: []Section{{Start: 8}, {Start: 14}},
			want:     Result{Excerpt: "<mark>x</mark> intro y one <mark>x</mark> two <mark>x</mark> <mark>x</mark>", Section: 1, Terms: []string{"x"}},
		},
		{
			name:     "tie between sections: the earliest",
			body:     "intro a x b x",
			terms:    []string{"x"},
			sections: []Section{{Start: 6}, {Start: 10}},
			want:     Result{Excerpt: "intro a <mark>x</mark> b <mark>x</mark>", Section: 0, Terms: []string{"x"}},
		},
		{
			name:     "tie with the text before the first section: none",
			body:     "x intro a x",
			terms:    []string{"x"},
			sections: []Section{{Start: 8}},
			want:     Result{Excerpt: "<mark>x</mark> intro a <mark>x</mark>", Section: -1, Terms: []string{"x"}},
		},
		{
			name:     "section starting on the match holds it",
			body:     "intro x",
			terms:    []string{"x"},
			sections: []Section{{Start: 6}},
			want:     Result{Excerpt: "intro <mark>x</mark>", Section: 0, Terms: []string{"x"}},
		},
		{
			name:     "section starting after the match does not",
			body:     "intro x",
			terms:    []string{"x"},
			sections: []Section{{Start: 7}},
			want:     Result{Excerpt: "intro <mark>x</mark>", Section: -1, Terms: []string{"x"}},
		},
	}
	for _, tt := range tests {
		got := Build(tt.body, tokens(tt.body), tt.terms, tt.sections)
		if got.Excerpt != tt.want.Excerpt || got.Section != tt.want.Section || !slices.Equal(got.Terms, tt.want.Terms) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

// TestMaxTerms checks the bound on marked terms: of 17 located terms,
// the one with the fewest occurrences is not marked, and among equally
// frequent terms the last in byte order is dropped. Sections still count
// every located term.
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
			// marked (ties by term) but its section, the first, wins
			// the tie between sections.
			name:      "sections count unmarked terms",
			body:      "b6 b6 a0 a0 a1 a1 a2 a2 a3 a3 a4 a4 a5 a5 a6 a6 a7 a7 a8 a8 a9 a9 b0 b0 b1 b1 b2 b2 b3 b3 b4 b4 b5 b5",
			unmarked:  "b6",
			sections:  pairSections(17),
			terms:     len(words),
			located:   17,
			wantMarks: 32,
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
		if got.Section != tt.section {
			t.Errorf("%s: section %d, want %d", tt.name, got.Section, tt.section)
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
