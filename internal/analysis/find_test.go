package analysis

import (
	"slices"
	"testing"
)

// Find returns exactly the tokens of Analyze whose terms are wanted, in
// every language this build has, on every corpus: its shortcut (words
// whose first runes begin no term are not stemmed) must never drop a
// match.
func TestFindMatchesAnalyze(t *testing.T) {
	for _, c := range corpora[:3] {
		t.Run(c.name, func(t *testing.T) {
			texts := corpusTexts(c.load(t))
			for _, name := range Languages() {
				a := New(mustLang(t, name))
				checked := 0
				for i, text := range texts {
					if i%7 != 0 {
						continue
					}
					all := a.Analyze(text)
					if len(all) == 0 {
						continue
					}
					// Wanted: every fifth term of the text, one absent
					// term and one term sharing a first letter.
					var want []string
					for j := 0; j < len(all); j += 5 {
						want = append(want, all[j].Term)
					}
					want = append(want, "zzzabsent", all[0].Term+"x")
					var exp []Token
					for _, tk := range all {
						if slices.Contains(want, tk.Term) {
							exp = append(exp, tk)
						}
					}
					got := a.Find(text, want)
					if !slices.Equal(got, exp) {
						t.Fatalf("%s: Find(%.60q, %d terms) = %d tokens, Analyze has %d", name, text, len(want), len(got), len(exp))
					}
					checked += len(exp)
				}
				if checked == 0 {
					t.Fatalf("%s: nothing compared", name)
				}
			}
		})
	}
}

func TestFind(t *testing.T) {
	a := New(mustLang(t, "english"))
	tests := []struct {
		text  string
		terms []string
		want  []string
	}{
		{"Payments and PAYMENT paid", []string{"payment"}, []string{"Payments", "PAYMENT"}},
		{"Alipay's rise", []string{"alipay"}, []string{"Alipay's"}},
		// Stems begin with their word's first two letters in English
		// (lower-cased), but for the rewritten words.
		{"LAYERS of a Layered layer", []string{"layer"}, []string{"LAYERS", "Layered", "layer"}},
		{"Dying stars, a dying sun; DYING, lying and tying", []string{"die", "lie"}, []string{"Dying", "dying", "DYING", "lying"}},
		{"X-rays and x, X and xy", []string{"x"}, []string{"X", "x", "X"}},
		{"Oed and aed, OED", []string{"o"}, []string{"Oed", "OED"}}, // stemmed to one letter
		{"An aim, Aiming", []string{"aim"}, []string{"aim", "Aiming"}},
		{"nothing here", []string{"payment"}, nil},
		{"anything", nil, nil},
	}
	for _, tt := range tests {
		var got []string
		for _, tk := range a.Find(tt.text, tt.terms) {
			got = append(got, tt.text[tk.Start:tk.End])
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Find(%q, %v) = %v, want %v", tt.text, tt.terms, got, tt.want)
		}
	}
}

func BenchmarkFind(b *testing.B) {
	texts := benchTexts(b)
	a := New(must(LookupLanguage("english")))
	terms := []string{"boundari", "layer", "flow"}
	for b.Loop() {
		for _, t := range texts {
			a.Find(t, terms)
		}
	}
}
