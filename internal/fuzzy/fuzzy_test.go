package fuzzy

import (
	"bytes"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/vellum"
	"github.com/blevesearch/vellum/levenshtein"

	"github.com/quarry-search/quarry/internal/analysis"
	"github.com/quarry-search/quarry/internal/testcorpus"
)

var _ vellum.FuzzyAutomaton = (*Automaton)(nil)

// vellumBuilders are vellum's Levenshtein builders with transpositions,
// per distance (slow to make: made once).
var vellumBuilders = sync.OnceValues(func() ([]*levenshtein.LevenshteinAutomatonBuilder, error) {
	var out []*levenshtein.LevenshteinAutomatonBuilder
	for d := range MaxDistance + 1 {
		b, err := levenshtein.NewLevenshteinAutomatonBuilder(uint8(d), true)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
})

func vellumDFA(t testing.TB, term string, d int) *levenshtein.DFA {
	t.Helper()
	bs, err := vellumBuilders()
	if err != nil {
		t.Fatal(err)
	}
	dfa, err := bs[d].BuildDfa(term, uint8(d))
	if err != nil {
		t.Fatalf("vellum BuildDfa(%q, %d): %v", term, d, err)
	}
	return dfa
}

// vellumAgrees reports whether vellum's automaton is right for term:
// vellum computes the characteristic vectors of a term longer than 32
// bytes over 32-byte chunks indexed by rune, which misaligns them when
// the term has multi-byte runes.
func vellumAgrees(term string) bool {
	return len(term) <= 32 || utf8.RuneCountInString(term) == len(term)
}

// osa is the reference distance: restricted Damerau-Levenshtein over
// runes (vellum's reading of invalid bytes aside).
func osa(a, b string) int {
	x, y := []rune(a), []rune(b)
	prev2 := make([]int, len(y)+1)
	prev := make([]int, len(y)+1)
	cur := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(y)]
}

func TestMatchAndDistance(t *testing.T) {
	tests := []struct {
		term  string
		d     int
		input string
		match bool
		dist  uint8
	}{
		{"hello", 0, "hello", true, 0},
		{"hello", 0, "hallo", false, 0},
		{"hello", 1, "hallo", true, 1},
		{"hello", 1, "helo", true, 1},
		{"hello", 1, "helllo", true, 1},
		{"hello", 1, "ehllo", true, 1}, // transposition: one edit
		{"hello", 1, "hlelo", true, 1},
		{"hello", 1, "ehlol", false, 0},
		{"hello", 2, "ehlol", true, 2},
		{"ca", 2, "abc", false, 0}, // restricted: not "ca" -> "ac" -> "abc"
		{"ca", 2, "ac", true, 1},
		{"hello", 2, "help", true, 2},
		{"hello", 2, "hel", true, 2},
		{"hello", 2, "he", false, 0},
		{"", 1, "a", true, 1},
		{"", 1, "ab", false, 0},
		{"", 0, "", true, 0},
		{"a", 2, "", true, 1},
		{"münchen", 1, "munchen", true, 1}, // distances in runes, not bytes
		{"münchen", 1, "mnüchen", true, 1},
		{"naïve", 1, "naive", true, 1},
		{"Ελλάδα", 1, "Ελλαδα", true, 1},
		{"日本語", 1, "日本", true, 1},
		{"日本語", 1, "本日語", true, 1},
		{"日本語", 1, "日本人", true, 1},
		{"日本語", 1, "本語", true, 1},
		{"日本語", 1, "語", false, 0},
		{"ab", 1, "a\x80b", true, 1},   // a stray continuation byte is one character
		{"ab", 1, "a\xffb", false, 0},  // a lead byte takes the next bytes: "b" is inside it
		{"ab", 2, "a\xffbcd", true, 1}, // "\xffbcd" is one character
	}
	for _, tt := range tests {
		a, err := New(tt.term, tt.d)
		if err != nil {
			t.Fatal(err)
		}
		match, dist := a.MatchAndDistance(tt.input)
		if match != tt.match || dist != tt.dist {
			t.Errorf("New(%q, %d).MatchAndDistance(%q) = %v, %d; want %v, %d", tt.term, tt.d, tt.input, match, dist, tt.match, tt.dist)
		}
		if vm, vd := vellumDFA(t, tt.term, tt.d).MatchAndDistance(tt.input); vm != tt.match || vd != tt.dist {
			t.Errorf("vellum(%q, %d).MatchAndDistance(%q) = %v, %d; the table is wrong", tt.term, tt.d, tt.input, vm, vd)
		}
	}
}

func TestNewErrors(t *testing.T) {
	for _, d := range []int{-1, 3} {
		if _, err := New("word", d); err == nil {
			t.Errorf("New(word, %d) = nil error, want one", d)
		}
	}
}

// mutate applies n random edits (insert, delete, substitute, transpose)
// to w, drawing new runes from alphabet.
func mutate(rng *rand.Rand, w string, n int, alphabet []rune) string {
	r := []rune(w)
	for range n {
		switch op := rng.IntN(4); {
		case op == 0 || len(r) == 0:
			i := rng.IntN(len(r) + 1)
			r = slices.Insert(r, i, alphabet[rng.IntN(len(alphabet))])
		case op == 1:
			i := rng.IntN(len(r))
			r = slices.Delete(r, i, i+1)
		case op == 2:
			r[rng.IntN(len(r))] = alphabet[rng.IntN(len(alphabet))]
		case len(r) >= 2:
			i := rng.IntN(len(r) - 1)
			r[i], r[i+1] = r[i+1], r[i]
		}
	}
	return string(r)
}

// dictionary returns the sorted distinct terms of texts as analyzed for
// English.
func dictionary(texts func(yield func(string) bool)) []string {
	an := analysis.New(must(analysis.LookupLanguage("english")))
	seen := map[string]bool{}
	for text := range texts {
		for _, tk := range an.Analyze(text) {
			seen[tk.Term] = true
		}
	}
	out := make([]string, 0, len(seen))
	for w := range seen {
		out = append(out, w)
	}
	slices.Sort(out)
	return out
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

var extraWords = []string{"münchen", "munchen", "muenchen", "mnüchen", "naïve", "naive", "naïf", "ελλάδα", "Ελλάδα", "ελλαδα", "日本", "日本語", "日本人", "本日", "a", "ab", "ba"}

func buildFST(t testing.TB, words []string) *vellum.FST {
	t.Helper()
	words = slices.Clone(words)
	slices.Sort(words)
	words = slices.Compact(words)
	var buf bytes.Buffer
	b, err := vellum.New(&buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range words {
		if err := b.Insert([]byte(w), uint64(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	fst, err := vellum.Load(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return fst
}

type hit struct {
	term string
	dist uint8
}

// search returns the FST's keys that aut accepts, in order, with the
// distances the iterator reports.
func search(t testing.TB, fst *vellum.FST, aut vellum.Automaton) []hit {
	t.Helper()
	var out []hit
	it, err := fst.Search(aut, nil, nil)
	for err == nil {
		k, _ := it.Current()
		out = append(out, hit{string(k), it.EditDistance()})
		err = it.Next()
	}
	if err != vellum.ErrIteratorDone {
		t.Fatalf("search: %v", err)
	}
	return out
}

// TestSearchMatchesVellum runs FST searches over corpus dictionaries with
// both automata and requires the same terms, order and distances.
func TestSearchMatchesVellum(t *testing.T) {
	stride := 50
	if runtime.GOOS == "js" || testing.Short() {
		stride = 400
	}
	dicts := []struct {
		name  string
		texts func(t *testing.T) func(yield func(string) bool)
	}{
		{"seeds", func(t *testing.T) func(func(string) bool) {
			docs := testcorpus.Seeds(t)
			return func(yield func(string) bool) {
				for _, d := range docs {
					if !yield(d.Title) || !yield(d.Body) {
						return
					}
				}
			}
		}},
		{"cranfield", func(t *testing.T) func(func(string) bool) {
			docs := testcorpus.Cranfield(t).Docs
			return func(yield func(string) bool) {
				for _, d := range docs {
					if !yield(d.Title) || !yield(d.Body) {
						return
					}
				}
			}
		}},
		{"hugodocs", func(t *testing.T) func(func(string) bool) {
			docs := testcorpus.HugoDocs(t).Docs
			return func(yield func(string) bool) {
				for _, d := range docs {
					if !yield(d.Title) || !yield(d.Body) {
						return
					}
				}
			}
		}},
	}
	for _, dc := range dicts {
		t.Run(dc.name, func(t *testing.T) {
			dict := dictionary(dc.texts(t))
			fst := buildFST(t, append(slices.Clone(dict), extraWords...))
			rng := rand.New(rand.NewPCG(1, uint64(len(dict))))
			alphabet := []rune("abcdefghijklmnopqrstuvwxyzéü日")
			queries := slices.Clone(extraWords)
			queries = append(queries, "", "x", "Ελλάδα", "naïve", "münchen", "日本語")
			for i := 0; i < len(dict); i += stride {
				w := dict[i]
				queries = append(queries, w, mutate(rng, w, 1, alphabet), mutate(rng, w, 2, alphabet))
			}
			var searches, hits int
			for _, q := range queries {
				if !vellumAgrees(q) {
					continue
				}
				for d := range MaxDistance + 1 {
					ours, err := New(q, d)
					if err != nil {
						t.Fatalf("New(%q, %d): %v", q, d, err)
					}
					got, want := search(t, fst, ours), search(t, fst, vellumDFA(t, q, d))
					if !slices.Equal(got, want) {
						t.Errorf("query %q d=%d: got %v, want %v", q, d, got, want)
					}
					for _, h := range got {
						if int(h.dist) != osa(q, h.term) {
							t.Errorf("query %q d=%d: %q at distance %d, the reference says %d", q, d, h.term, h.dist, osa(q, h.term))
						}
					}
					searches++
					hits += len(got)
				}
			}
			t.Logf("%s: %d terms, %d searches (%d queries x d=0..2), %d hits, identical to vellum", dc.name, len(dict), searches, len(queries), hits)
		})
	}
}

// TestRandomPairs compares our automaton with vellum's and with the
// reference distance on random words and keys over a small alphabet.
func TestRandomPairs(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	alphabet := []rune("abcü日")
	n := 3000
	if runtime.GOOS == "js" {
		n = 300
	}
	for i := range n {
		w := mutate(rng, "", rng.IntN(7), alphabet)
		k := mutate(rng, w, rng.IntN(4), alphabet)
		d := i % (MaxDistance + 1)
		a := must(New(w, d))
		gm, gd := a.MatchAndDistance(k)
		vm, vd := vellumDFA(t, w, d).MatchAndDistance(k)
		ref := osa(w, k)
		if gm != vm || gd != vd || gm != (ref <= d) || (gm && int(gd) != ref) {
			t.Fatalf("(%q, d=%d) on %q: got %v %d, vellum %v %d, reference distance %d", w, d, k, gm, gd, vm, vd, ref)
		}
	}
}

// FuzzAutomaton compares our automaton with vellum's on (word, key)
// pairs, byte by byte as vellum.AutomatonContains walks them.
func FuzzAutomaton(f *testing.F) {
	f.Add("hello", "ehllo", uint8(1))
	f.Add("münchen", "munchen", uint8(2))
	f.Add("日本語", "本日語", uint8(1))
	f.Add("ab", "a\xffb", uint8(1))
	f.Add("", "", uint8(0))
	f.Fuzz(func(t *testing.T, word, key string, d uint8) {
		dist := int(d % (MaxDistance + 1))
		if !vellumAgrees(word) || len(word) > 64 {
			return
		}
		ours := must(New(word, dist))
		theirs := vellumDFA(t, word, dist)
		gm, gd := ours.MatchAndDistance(key)
		vm, vd := theirs.MatchAndDistance(key)
		if gm != vm || gd != vd {
			t.Fatalf("New(%q, %d) on %q: got %v %d, vellum %v %d", word, dist, key, gm, gd, vm, vd)
		}
		if vellum.AutomatonContains(ours, []byte(key)) != gm {
			t.Fatalf("AutomatonContains disagrees with MatchAndDistance")
		}
		// Every prefix: the same matches, and at each character boundary
		// (as vellum reads bytes) the same liveness; ours may die inside
		// a character where vellum notices at its end.
		s, vs := ours.Start(), theirs.Start()
		need := 0
		for i := 0; i < len(key); i++ {
			b := key[i]
			s, vs = ours.Accept(s, b), theirs.Accept(vs, b)
			switch {
			case need > 0:
				need--
			case b >= 0xF0:
				need = 3
			case b >= 0xE0:
				need = 2
			case b >= 0xC0:
				need = 1
			}
			if ours.IsMatch(s) != theirs.IsMatch(vs) {
				t.Fatalf("New(%q, %d) after %q: IsMatch %v, vellum %v", word, dist, key[:i+1], ours.IsMatch(s), theirs.IsMatch(vs))
			}
			if need == 0 && ours.CanMatch(s) != theirs.CanMatch(vs) {
				t.Fatalf("New(%q, %d) after %q: CanMatch %v, vellum %v", word, dist, key[:i+1], ours.CanMatch(s), theirs.CanMatch(vs))
			}
		}
	})
}

func benchWords(b *testing.B) []string {
	dict := dictionary(func(yield func(string) bool) {
		for _, d := range testcorpus.Cranfield(b).Docs {
			if !yield(d.Title) || !yield(d.Body) {
				return
			}
		}
	})
	var words []string
	for i, w := range dict {
		if n := utf8.RuneCountInString(w); n >= 5 && n <= 12 && i%20 == 0 {
			words = append(words, w)
		}
	}
	return words
}

func BenchmarkBuild(b *testing.B) {
	words := benchWords(b)
	for d := 1; d <= 2; d++ {
		b.Run("quarry/d="+strconv.Itoa(d), func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				must(New(words[i%len(words)], d))
			}
		})
		b.Run("vellum/d="+strconv.Itoa(d), func(b *testing.B) {
			vellumDFA(b, "warm", d)
			for i := 0; b.Loop(); i++ {
				vellumDFA(b, words[i%len(words)], d)
			}
		})
	}
}

func BenchmarkSearch(b *testing.B) {
	words := benchWords(b)
	dict := dictionary(func(yield func(string) bool) {
		for _, d := range testcorpus.Cranfield(b).Docs {
			if !yield(d.Title) || !yield(d.Body) {
				return
			}
		}
	})
	fst := buildFST(b, dict)
	for d := 1; d <= 2; d++ {
		b.Run("quarry/d="+strconv.Itoa(d), func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				search(b, fst, must(New(words[i%len(words)], d)))
			}
		})
		b.Run("vellum/d="+strconv.Itoa(d), func(b *testing.B) {
			vellumDFA(b, "warm", d)
			for i := 0; b.Loop(); i++ {
				search(b, fst, vellumDFA(b, words[i%len(words)], d))
			}
		})
	}
}
