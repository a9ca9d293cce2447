package porter2

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/kljensen/snowball/english"

	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/testcorpus"
)

// TestStem pins stems from the Snowball English vocabulary and the edge
// cases of the reference (apostrophes, y, regions, short words).
func TestStem(t *testing.T) {
	tests := []struct{ in, want string }{
		{"caresses", "caress"}, {"ponies", "poni"}, {"ties", "tie"}, {"cats", "cat"},
		{"gas", "gas"}, {"this", "this"}, {"kiwis", "kiwi"}, {"feed", "feed"},
		{"agreed", "agre"}, {"plastered", "plaster"}, {"bled", "bled"}, {"motoring", "motor"},
		{"sing", "sing"}, {"conflated", "conflat"}, {"troubled", "troubl"}, {"sized", "size"},
		{"hopping", "hop"}, {"tanned", "tan"}, {"falling", "fall"}, {"hissing", "hiss"},
		{"fizzed", "fizz"}, {"failing", "fail"}, {"filing", "file"}, {"happy", "happi"},
		{"relational", "relat"}, {"conditional", "condit"}, {"rational", "ration"},
		{"valenci", "valenc"}, {"digitizer", "digit"}, {"generously", "generous"},
		{"communism", "communism"}, {"arsenal", "arsenal"}, {"generate", "generat"},
		{"triplicate", "triplic"}, {"formative", "format"}, {"electrical", "electr"},
		{"hopeful", "hope"}, {"goodness", "good"}, {"revival", "reviv"}, {"allowance", "allow"},
		{"adjustment", "adjust"}, {"adoption", "adopt"}, {"controll", "control"},
		{"rolling", "roll"}, {"yelling", "yell"}, {"sayings", "say"}, {"boy's", "boy"},
		{"boys'", "boy"}, {"’tis", "tis"}, {"'''", ""}, {"''s", "s"}, {"skies", "sky"},
		{"proceeding", "proceed"}, {"innings", "inning"}, {"  Running  ", "run"},
		{"the", "the"}, {"an", "an"}, {"yourselves", "yourselves"}, {"crying", "cri"},
		{"eyeing", "eye"}, {"logically", "logic"}, {"archaeology", "archaeolog"},
		{"café", "café"}, {"naïvely", "naïv"}, {"x86s", "x86s"}, {"ied", "ie"},
	}
	for _, tt := range tests {
		if got := Stem(tt.in); got != tt.want {
			t.Errorf("Stem(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// words returns the distinct lower-cased words of texts (letters, digits
// and apostrophes), each with the inflections the stemmer's steps
// remove, so that every step meets many words.
func words(texts []string) []string {
	seen := map[string]bool{}
	for _, text := range texts {
		for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’'
		}) {
			seen[w] = true
		}
	}
	base := make([]string, 0, len(seen))
	for w := range seen {
		base = append(base, w)
	}
	for _, w := range base {
		for _, s := range []string{"s", "es", "ed", "ing", "ly", "'s", "ness", "ation", "ational", "ful", "ity", "ize"} {
			seen[w+s] = true
		}
	}
	out := make([]string, 0, len(seen))
	for w := range seen {
		out = append(out, w)
	}
	return out
}

// TestSameAsKljensen compares Stem and IsStopWord with
// kljensen/snowball/english, which built every index so far, on every
// word of the test corpora and their inflections.
func TestSameAsKljensen(t *testing.T) {
	corpora := map[string]func(t *testing.T) []doc.Document{
		"seeds":     func(t *testing.T) []doc.Document { return testcorpus.Seeds(t) },
		"cranfield": func(t *testing.T) []doc.Document { return testcorpus.Cranfield(t).Docs },
		"cacm":      func(t *testing.T) []doc.Document { return testcorpus.CACM(t).Docs },
		"hugodocs":  func(t *testing.T) []doc.Document { return testcorpus.HugoDocs(t).Docs },
		"phpdocs": func(t *testing.T) []doc.Document {
			c := testcorpus.PHPDocs(t)
			if runtime.GOOS == "js" {
				return c.Sample(2000) // the whole manual takes minutes under Node
			}
			return c.Docs
		},
	}
	for name, load := range corpora {
		t.Run(name, func(t *testing.T) {
			var texts []string
			for _, d := range load(t) {
				texts = append(texts, d.Title, d.Body)
			}
			ws := words(texts)
			bad := 0
			for _, w := range ws {
				if got, want := Stem(w), english.Stem(w, false); got != want {
					if bad++; bad <= 20 {
						t.Errorf("Stem(%q) = %q, kljensen %q", w, got, want)
					}
				}
				if got, want := IsStopWord(w), english.IsStopWord(w); got != want {
					t.Errorf("IsStopWord(%q) = %v, kljensen %v", w, got, want)
				}
			}
			if bad > 0 {
				t.Errorf("%d of %d words stem differently", bad, len(ws))
			}
			t.Logf("%d words agree", len(ws))
		})
	}
}

// randomWords returns n words of 1 to 12 runes drawn from letters, the
// same ones for the same seed.
func randomWords(seed uint64, letters string, n int) []string {
	rs := []rune(letters)
	rng := rand.New(rand.NewPCG(seed, seed+1))
	ws := make([]string, 0, n)
	for range n {
		w := make([]rune, 1+rng.IntN(12))
		for i := range w {
			w[i] = rs[rng.IntN(len(rs))]
		}
		ws = append(ws, string(w))
	}
	return ws
}

// TestRandomSameAsKljensen compares Stem with the reference on random
// words over the letters the rules look at, apostrophes included, which
// reach suffix and region combinations no corpus has.
func TestRandomSameAsKljensen(t *testing.T) {
	n := 300000
	if runtime.GOOS == "js" {
		n = 20000
	}
	bad := 0
	for _, s := range randomWords(1, "aeiouyYsltngdbcrmzpfwx'’ié", n) {
		if got, want := Stem(s), english.Stem(s, false); got != want {
			if bad++; bad <= 20 {
				t.Errorf("Stem(%q) = %q, kljensen %q", s, got, want)
			}
		}
	}
}

// TestKeptRunes checks KeptRunes and Rewritten: every lower-case word
// without apostrophes, random or from the corpora (with inflections),
// has a stem that begins with its first KeptRunes runes (or as many as
// the stem has), but the words of Rewritten, whose stems do not.
func TestKeptRunes(t *testing.T) {
	prefix := func(s string, n int) string {
		r := []rune(s)
		return string(r[:min(n, len(r))])
	}
	check := func(w string) bool {
		st := Stem(w)
		n := min(KeptRunes, len([]rune(st)))
		return prefix(st, n) == prefix(w, n)
	}
	for _, w := range Rewritten {
		if check(w) {
			t.Errorf("Stem(%q) = %q keeps its first %d runes: not a rewritten word", w, Stem(w), KeptRunes)
		}
	}
	run := func(t *testing.T, ws []string) {
		bad := 0
		for _, w := range ws {
			if strings.ContainsAny(w, "'’") || slices.Contains(Rewritten, w) {
				continue
			}
			if !check(w) {
				if bad++; bad <= 20 {
					t.Errorf("Stem(%q) = %q does not begin with the word's first %d runes", w, Stem(w), KeptRunes)
				}
			}
		}
		t.Logf("%d words", len(ws))
	}
	t.Run("random", func(t *testing.T) {
		n := 2000000
		if runtime.GOOS == "js" {
			n = 50000
		}
		run(t, randomWords(3, "aeiouysltngdbcrmzpfwxhkjqv0123456789éïß", n))
	})
	t.Run("corpora", func(t *testing.T) {
		var texts []string
		for _, d := range testcorpus.Seeds(t) {
			texts = append(texts, d.Title, d.Body)
		}
		if runtime.GOOS != "js" {
			for _, d := range testcorpus.Cranfield(t).Docs {
				texts = append(texts, d.Title, d.Body)
			}
		}
		run(t, words(texts))
	})
}
