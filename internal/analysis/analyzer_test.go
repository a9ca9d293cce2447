package analysis

import (
	"errors"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	bleveanalysis "github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"

	"github.com/quarry-search/quarry/internal/testcorpus"
)

func mustLang(t *testing.T, name string) Language {
	t.Helper()
	l, err := LookupLanguage(name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func terms(ts []Token) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Term
	}
	return out
}

func TestAnalyze(t *testing.T) {
	tests := []struct {
		lang, text string
		want       []Token
	}{
		{"english", "Payments partnering", []Token{
			{Term: "payment", Start: 0, End: 8, Position: 1}, {Term: "partner", Start: 9, End: 19, Position: 2}}},
		{"english", "Alibaba's Tencent’s 3.5 The", []Token{
			{Term: "alibaba", Start: 0, End: 9, Position: 1}, {Term: "tencent", Start: 10, End: 21, Position: 2},
			{Term: "3.5", Start: 22, End: 25, Position: 3, Kind: Numeric}, {Term: "the", Start: 26, End: 29, Position: 4}}},
		{"english", "ÉCOLE 日本", []Token{
			{Term: "école", Start: 0, End: 6, Position: 1},
			{Term: "日", Start: 7, End: 10, Position: 2, Kind: Ideographic}, {Term: "本", Start: 10, End: 13, Position: 3, Kind: Ideographic}}},
		{"french", "l'avion des économies", []Token{
			{Term: "avion", Start: 0, End: 7, Position: 1}, {Term: "des", Start: 8, End: 11, Position: 2}, {Term: "économ", Start: 12, End: 22, Position: 3}}},
		{"spanish", "corriendo", []Token{{Term: "corr", Start: 0, End: 9, Position: 1}}},
		{"russian", "машины", []Token{{Term: "машин", Start: 0, End: 12, Position: 1}}},
		{"english", "\xff\xfe\xfd Alibaba", []Token{{Term: "alibaba", Start: 4, End: 11, Position: 1}}},
	}
	for _, tt := range tests {
		lang, err := LookupLanguage(tt.lang)
		if err != nil && quarryLangTag {
			continue // not linked in this build
		}
		got := New(must(lang, err)).Analyze(tt.text)
		if i := firstDiff(got, tt.want); i >= 0 {
			t.Errorf("%s Analyze(%q): %s", tt.lang, tt.text, describeDiff(tt.text, got, tt.want, i))
		}
	}
}

func TestApostrophes(t *testing.T) {
	tests := []struct {
		lang, term, want string
	}{
		{"english", "alibaba's", "alibaba"},
		{"english", "tencent’s", "tencent"},
		{"english", "it‘s", "it"},
		{"english", "o’neill", "o'neill"},
		{"english", "rock'n'roll", "rock'n'roll"},
		{"english", "james'", "james"},
		{"english", "o’reillys", "o'reillys"}, // only "'s" is possessive
		{"english", "o'reilly's", "o'reilly"},
		{"english", "it's's", "it's"},
		{"english", "'quoted'", "quoted"},
		{"english", "l'avion", "l'avion"},
		{"english", "'s", "'s"}, // nothing left: unchanged
		{"english", "'", "'"},
		{"english", "a`b", "a'b"},
		{"english", "plain", "plain"},
		{"french", "l'avion", "avion"},
		{"french", "qu'il", "il"},
		{"french", "jusqu’au", "au"},
		{"french", "l'", "l"},
		{"french", "x'avion", "x'avion"},
		{"french", "d'l'eau", "l'eau"},
	}
	for _, tt := range tests {
		lang, err := LookupLanguage(tt.lang)
		if err != nil && quarryLangTag {
			continue // not linked in this build
		}
		if got := New(must(lang, err)).apostrophes(tt.term); got != tt.want {
			t.Errorf("%s apostrophes(%q) = %q, want %q", tt.lang, tt.term, got, tt.want)
		}
	}
}

// bleveLower runs bleve's lowercase filter on one term.
func bleveLower(s string) string {
	ts := lowercase.NewLowerCaseFilter().Filter(bleveanalysis.TokenStream{{Term: []byte(s)}})
	return string(ts[0].Term)
}

func TestLowerMatchesBleve(t *testing.T) {
	tests := []struct{ in, want string }{
		{"abc", "abc"},
		{"ABC", "abc"},
		{"ΟΔΟΣ", "οδος"},
		{"ΣΑΣ", "σας"},
		{"Σ", "ς"},
		{"σ", "σ"},
		{"ȺΣ", "ⱥσ"}, // after a wider rune, no final sigma
		{"aȺB", "aⱥb"},
		{"İSTANBUL", "istanbul"},
		{"\u212A", "k"},
		{"ÉCOLE", "école"},
		{"ABΣ", "abς"},           // upper-case ASCII, then the final sigma
		{"AbȺΣ", "abⱥσ"},         // upper-case ASCII, then a wider rune
		{"AbcÉcole", "abcécole"}, // ASCII, a rune, ASCII again
		{"aBC", "abc"},
	}
	for _, tt := range tests {
		got, ref := lower(tt.in), bleveLower(tt.in)
		if got != tt.want || ref != tt.want {
			t.Errorf("lower(%q) = %q, bleve %q, want %q", tt.in, got, ref, tt.want)
		}
	}
	step := rune(1)
	if runtime.GOOS == "js" {
		step = 7
	}
	for r := rune(0); r < 0x20000; r += step {
		for _, s := range []string{string(r), "a" + string(r), string(r) + "Σ", "Σ" + string(r) + "Σ", "aB" + string(r) + "CΣ"} {
			if got, want := lower(s), bleveLower(s); got != want {
				t.Fatalf("lower(%q) = %q, bleve's filter gives %q", s, got, want)
			}
		}
	}
}

// TestAnalyzeLowerCorpora compares the lower-casing of every word of the
// test corpora with bleve's lowercase filter.
func TestAnalyzeLowerCorpora(t *testing.T) {
	for _, c := range corpora {
		t.Run(c.name, func(t *testing.T) {
			n := 0
			for _, text := range corpusTexts(c.load(t)) {
				for _, tk := range Tokenize(text) {
					if got, want := lower(tk.Term), bleveLower(tk.Term); got != want {
						t.Fatalf("lower(%q) = %q, bleve's filter gives %q", tk.Term, got, want)
					}
					n++
				}
			}
			t.Logf("%s: %d words lower-cased as bleve does", c.name, n)
		})
	}
}

func TestNormalizeSurface(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Alibaba’s", "alibaba's"},
		{"‘Quoted’", "'quoted'"},
		{"ΣΑΣ", "σασ"}, // strings.ToLower: no final sigma
		{"a`b", "a`b"},
		{"plain", "plain"},
	}
	for _, tt := range tests {
		if got := NormalizeSurface(tt.in); got != tt.want {
			t.Errorf("NormalizeSurface(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLookupLanguage(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", "english"}, {"english", "english"}, {"English", "english"}, {" EN ", "english"},
		{"french", "french"}, {"fr", "french"}, {"spanish", "spanish"}, {"es", "spanish"},
		{"russian", "russian"}, {"ru", "russian"}, {"swedish", "swedish"}, {"sv", "swedish"},
		{"norwegian", "norwegian"}, {"no", "norwegian"}, {"nb", "norwegian"}, {"NN", "norwegian"},
		{"hungarian", "hungarian"}, {"hu", "hungarian"},
	}
	linked := map[string]bool{}
	for _, name := range Languages() {
		linked[name] = true
	}
	for _, tt := range tests {
		l, err := LookupLanguage(tt.in)
		if !linked[tt.want] { // a build with quarry_lang tags leaves it out
			if !errors.Is(err, ErrUnsupportedLanguage) {
				t.Errorf("LookupLanguage(%q) = %q, %v; want ErrUnsupportedLanguage (not linked)", tt.in, l.Name, err)
			}
			continue
		}
		if err != nil || l.Name != tt.want {
			t.Errorf("LookupLanguage(%q) = %q, %v; want %q", tt.in, l.Name, err, tt.want)
			continue
		}
		if l.Stem == nil || l.IsStopWord == nil {
			t.Errorf("LookupLanguage(%q): no stemmer or stop words", tt.in)
		}
	}
	all := []string{"english", "french", "hungarian", "norwegian", "russian", "spanish", "swedish"}
	var want []string
	for _, name := range all {
		if linked[name] {
			want = append(want, name)
		}
	}
	if got := Languages(); strings.Join(got, ",") != strings.Join(want, ",") || (len(got) < len(all) && !quarryLangTag) {
		t.Errorf("Languages() = %q, want %q", got, all)
	}
	_, err := LookupLanguage("klingon")
	if !errors.Is(err, ErrUnsupportedLanguage) || !strings.Contains(err.Error(), `"klingon" (supported: `+strings.Join(want, ", ")+")") {
		t.Errorf("LookupLanguage(klingon) error = %v, want ErrUnsupportedLanguage listing the languages", err)
	}
	if !linked["english"] {
		return
	}
	if en := mustLang(t, "en"); !en.IsStopWord("the") || en.Stem("companies") != "compani" || en.Stem("the") != "the" {
		t.Errorf("english: stop word or stem wrong")
	}
}

func TestStemCache(t *testing.T) {
	a := New(mustLang(t, "english"))
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				text := "running runners " + strconv.Itoa(g) + "x" + strconv.Itoa(i) + "ing"
				if got := terms(a.Analyze(text)); got[0] != "run" || got[1] != "runner" {
					t.Errorf("Analyze(%q) = %q", text, got)
					return
				}
			}
		}()
	}
	wg.Wait()
	for i := 0; len(a.stems) < maxStems+10 && i < maxStems+10; i++ {
		a.Analyze("w" + strconv.Itoa(i) + "ing")
	}
	if len(a.stems) != maxStems {
		t.Errorf("stem cache holds %d words, want the bound %d", len(a.stems), maxStems)
	}
	if got := terms(a.Analyze("jumping")); got[0] != "jump" {
		t.Errorf("Analyze(jumping) with a full cache = %q, want jump", got)
	}
}

func TestHasApostrophe(t *testing.T) {
	for _, s := range []string{"", "abc", "a'b", "a`b", "a’b", "a‘b", "’", "a\u2018", "a\u201Cb", "\xe2\x80", "é", "…"} {
		if got, want := hasApostrophe(s), strings.ContainsAny(s, "'’‘`"); got != want {
			t.Errorf("hasApostrophe(%q) = %v, want %v", s, got, want)
		}
	}
}

func benchTexts(b *testing.B) []string {
	return corpusTexts(testcorpus.Cranfield(b).Docs)
}

func BenchmarkTokenize(b *testing.B) {
	texts := benchTexts(b)
	b.Run("analysis", func(b *testing.B) {
		for b.Loop() {
			for _, t := range texts {
				Tokenize(t)
			}
		}
	})
	b.Run("segment", func(b *testing.B) {
		tok := unicode.NewUnicodeTokenizer()
		for b.Loop() {
			for _, t := range texts {
				tok.Tokenize([]byte(t))
			}
		}
	})
}

func BenchmarkAnalyze(b *testing.B) {
	texts := benchTexts(b)
	a := New(must(LookupLanguage("english")))
	for b.Loop() {
		for _, t := range texts {
			a.Analyze(t)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestQueryStopWords(t *testing.T) {
	en, err := LookupLanguage("english")
	if err != nil {
		t.Skip("english not linked in this build")
	}
	tests := []struct {
		word             string
		request, weighed bool
	}{
		{"anyone", true, true},
		{"someone", true, true},
		{"interested", true, true},
		{"please", true, true},
		{"paper", true, true},
		{"papers", true, true},
		{"articles", true, true},
		{"publications", true, true},
		{"the", false, true}, // a stop word, not a request word
		{"what", false, true},
		{"documents", false, false}, // often a subject: document retrieval
		{"literature", false, false},
		{"information", false, false},
		{"interest", false, false}, // interest rates
		{"paperback", false, false},
		{"buckling", false, false},
		{"Papers", false, false}, // callers lower-case first
		{"", false, false},
	}
	for _, tt := range tests {
		if got := en.IsRequestWord(tt.word); got != tt.request {
			t.Errorf("IsRequestWord(%q) = %v, want %v", tt.word, got, tt.request)
		}
		if got := en.IsQueryStopWord(tt.word); got != tt.weighed {
			t.Errorf("IsQueryStopWord(%q) = %v, want %v", tt.word, got, tt.weighed)
		}
		if got := en.IsStopWord(tt.word); got != (tt.weighed && !tt.request) {
			t.Errorf("IsStopWord(%q) = %v: request words must not be stop words (the index and feedback keep them)", tt.word, got)
		}
	}
	// A language without request words weighs its stop words only.
	for _, name := range Languages() {
		l := mustLang(t, name)
		if name != "english" && l.IsRequestWord != nil {
			t.Errorf("%s: request words; the table above tests English only", name)
		}
		if !l.IsQueryStopWord(stopWordOf(t, l)) || l.IsQueryStopWord("zzqx") {
			t.Errorf("%s: IsQueryStopWord wrong for a stop word or a made-up word", name)
		}
	}
}

// stopWordOf returns one of l's stop words.
func stopWordOf(t *testing.T, l Language) string {
	t.Helper()
	for _, w := range []string{"the", "le", "a", "og", "и", "el", "och", "de"} {
		if l.IsStopWord(w) {
			return w
		}
	}
	t.Fatalf("%s: none of the usual stop words is one", l.Name)
	return ""
}
