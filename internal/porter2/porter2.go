// Package porter2 is the Snowball English ("Porter2") stemmer, as
// github.com/kljensen/snowball/english implements it: the same stem for
// every word (TestSameAsKljensen checks every word of the corpora and the
// system dictionary, with their inflections), without that module's
// imports. Its package romance imports testing for its test helpers and
// snowballword imports fmt, and a package imported is a package whose
// initialisers run and link: in quarry.wasm the kljensen stemmer cost
// 101,832 B of brotli (835,702 B with it, 733,870 B with no stemmer),
// most of it testing, flag, fmt and os. This one imports only strings.
//
// Stem works on runes, keeps R1 and R2 as rune offsets the way the
// reference does (computed once, then only clipped to the word's length,
// except after step 1b adds an e to a short word, which empties both),
// and applies its suffix lists in the reference's order: the first
// suffix of a list that ends the word is the one considered.
package porter2

import "strings"

// KeptRunes is how many leading runes of a lower-case word without
// apostrophes its stem always begins with (all of the stem when it is
// shorter), but for the words of Rewritten: steps 2 to 5 change only R1,
// which starts at the third letter at the earliest, and steps 1a to 1c
// remove or replace endings after a vowel, from the third letter too
// (TestKeptRunes checks it on random words and on every corpus word).
// It lets a search find a term's words in a text without stemming the
// words that begin otherwise.
const KeptRunes = 2

// Rewritten lists the words whose stems do not begin with their first
// KeptRunes runes: exceptional forms the stemmer maps as a whole.
var Rewritten = []string{"dying", "lying", "tying"}

// Stem returns the stem of word, lower-cased and trimmed of surrounding
// white space first. Words of at most two bytes and stop words (see
// IsStopWord) are returned as they are.
func Stem(word string) string {
	word = strings.ToLower(strings.TrimSpace(word))
	if len(word) <= 2 || IsStopWord(word) {
		return word
	}
	if s, ok := exceptions[word]; ok {
		return s
	}
	w := &stemWord{rs: []rune(word)}
	w.prepare()
	w.step0()
	w.step1a()
	w.step1b()
	w.step1c()
	w.step2()
	w.step3()
	w.step4()
	w.step5()
	for i, r := range w.rs {
		if r == 'Y' {
			w.rs[i] = 'y'
		}
	}
	return string(w.rs)
}

// exceptions are stemmed by this table alone: the Snowball algorithm's
// two lists of exceptional forms (its second list with the inflections
// the reference adds to them).
var exceptions = map[string]string{
	"skis": "ski", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie",
	"idly": "idl", "gently": "gentl", "ugly": "ugli", "early": "earli", "only": "onli",
	"singly": "singl", "sky": "sky", "news": "news", "howe": "howe", "atlas": "atlas",
	"cosmos": "cosmos", "bias": "bias", "andes": "andes",
	"inning": "inning", "innings": "inning", "outing": "outing", "outings": "outing",
	"canning": "canning", "cannings": "canning", "herring": "herring", "herrings": "herring",
	"earring": "earring", "earrings": "earring",
	"proceed": "proceed", "proceeds": "proceed", "proceeded": "proceed", "proceeding": "proceed",
	"exceed": "exceed", "exceeds": "exceed", "exceeded": "exceed", "exceeding": "exceed",
	"succeed": "succeed", "succeeds": "succeed", "succeeded": "succeed", "succeeding": "succeed",
}

// stemWord is a word being stemmed: its runes and the rune offsets where
// its regions R1 and R2 start (len(rs) when a region is empty).
type stemWord struct {
	rs     []rune
	r1, r2 int
}

// isVowel reports whether r is a vowel of the algorithm (y is one; a y
// marked consonant is Y).
func isVowel(r rune) bool {
	switch r {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// prepare normalises apostrophes, drops leading ones, marks consonant
// y's as Y and finds R1 and R2.
func (w *stemWord) prepare() {
	for i, r := range w.rs {
		if r == '\u2019' || r == '\u2018' || r == '\u201b' {
			w.rs[i] = '\''
		}
	}
	lead := 0
	for lead < len(w.rs) && w.rs[lead] == '\'' {
		lead++
	}
	w.rs = w.rs[lead:]
	for i, r := range w.rs {
		if r == 'y' && (i == 0 || isVowel(w.rs[i-1])) {
			w.rs[i] = 'Y'
		}
	}
	w.r1 = -1
	for _, p := range []string{"gener", "commun", "arsen"} {
		if w.hasPrefix(p) {
			w.r1 = len(p)
			break
		}
	}
	if w.r1 < 0 {
		w.r1 = w.afterVowelConsonant(0)
	}
	w.r2 = w.afterVowelConsonant(w.r1)
}

// afterVowelConsonant returns the offset just after the first non-vowel
// that follows a vowel, looking from from on (len(rs) if none).
func (w *stemWord) afterVowelConsonant(from int) int {
	for j := from + 1; j < len(w.rs); j++ {
		if isVowel(w.rs[j-1]) && !isVowel(w.rs[j]) {
			return j + 1
		}
	}
	return len(w.rs)
}

func (w *stemWord) hasPrefix(p string) bool {
	if len(p) > len(w.rs) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if w.rs[i] != rune(p[i]) {
			return false
		}
	}
	return true
}

// ends reports whether the word ends with the ASCII suffix s.
func (w *stemWord) ends(s string) bool {
	n := len(w.rs)
	if len(s) > n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if w.rs[n-len(s)+i] != rune(s[i]) {
			return false
		}
	}
	return true
}

// first returns the first suffix of list that ends the word, or "".
func (w *stemWord) first(list []string) string {
	for _, s := range list {
		if w.ends(s) {
			return s
		}
	}
	return ""
}

// replace replaces the word's last n runes by repl and clips the
// regions to the new length.
func (w *stemWord) replace(n int, repl string) {
	w.rs = w.rs[:len(w.rs)-n]
	for _, r := range repl {
		w.rs = append(w.rs, r)
	}
	w.r1 = min(w.r1, len(w.rs))
	w.r2 = min(w.r2, len(w.rs))
}

// inR1 and inR2 report whether a suffix of n runes lies in the region.
func (w *stemWord) inR1(n int) bool { return n <= len(w.rs)-w.r1 }
func (w *stemWord) inR2(n int) bool { return n <= len(w.rs)-w.r2 }

// endsShortSyllable reports whether rs[:i] ends in a short syllable: a
// vowel then a non-vowel other than w, x or Y, after a non-vowel; or,
// when i is 2, a vowel then a non-vowel.
func (w *stemWord) endsShortSyllable(i int) bool {
	rs := w.rs
	if i == 2 {
		return isVowel(rs[0]) && !isVowel(rs[1])
	}
	if i < 3 {
		return false
	}
	c := rs[i-1]
	return !isVowel(c) && c != 'w' && c != 'x' && c != 'Y' && isVowel(rs[i-2]) && !isVowel(rs[i-3])
}

func (w *stemWord) step0() {
	if s := w.first(step0Suffixes); s != "" {
		w.replace(len(s), "")
	}
}

var step0Suffixes = []string{"'s'", "'s", "'"}

func (w *stemWord) step1a() {
	switch s := w.first(step1aSuffixes); s {
	case "sses":
		w.replace(4, "ss")
	case "ied", "ies":
		if len(w.rs) > 4 {
			w.replace(3, "i")
		} else {
			w.replace(3, "ie")
		}
	case "s":
		for _, r := range w.rs[:max(len(w.rs)-2, 0)] {
			if isVowel(r) {
				w.replace(1, "")
				return
			}
		}
	}
}

var step1aSuffixes = []string{"sses", "ied", "ies", "us", "ss", "s"}

func (w *stemWord) step1b() {
	s := w.first(step1bSuffixes)
	switch s {
	case "":
		return
	case "eed", "eedly":
		if w.inR1(len(s)) {
			w.replace(len(s), "ee")
		}
		return
	}
	vowel := false
	for _, r := range w.rs[:len(w.rs)-len(s)] {
		if isVowel(r) {
			vowel = true
			break
		}
	}
	if !vowel {
		return
	}
	r1, r2 := w.r1, w.r2
	w.replace(len(s), "")
	switch t := w.first(step1bEndings); t {
	case "":
		// A short word: R1 empty and ending in a short syllable.
		if w.r1 >= len(w.rs) && w.endsShortSyllable(len(w.rs)) {
			w.rs = append(w.rs, 'e')
			w.r1, w.r2 = len(w.rs), len(w.rs)
			return
		}
	case "at", "bl", "iz":
		w.replace(0, "e")
	default: // a double consonant
		w.replace(1, "")
	}
	w.r1, w.r2 = min(r1, len(w.rs)), min(r2, len(w.rs))
}

var (
	step1bSuffixes = []string{"eedly", "ingly", "edly", "ing", "eed", "ed"}
	step1bEndings  = []string{"at", "bl", "iz", "bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"}
)

func (w *stemWord) step1c() {
	n := len(w.rs)
	if n > 2 && (w.rs[n-1] == 'y' || w.rs[n-1] == 'Y') && !isVowel(w.rs[n-2]) {
		w.rs[n-1] = 'i'
	}
}

func (w *stemWord) step2() {
	s := w.first(step2Suffixes)
	if s == "" || !w.inR1(len(s)) {
		return
	}
	n := len(w.rs)
	switch s {
	case "li":
		if n >= 3 && strings.ContainsRune("cdeghkmnrt", w.rs[n-3]) {
			w.replace(2, "")
		}
	case "ogi":
		if n >= 4 && w.rs[n-4] == 'l' {
			w.replace(3, "og")
		}
	default:
		w.replace(len(s), step2Repl[s])
	}
}

var step2Suffixes = []string{
	"ational", "fulness", "iveness", "ization", "ousness",
	"biliti", "lessli", "tional", "alism", "aliti", "ation",
	"entli", "fulli", "iviti", "ousli", "anci", "abli",
	"alli", "ator", "enci", "izer", "bli", "ogi", "li",
}

var step2Repl = map[string]string{
	"tional": "tion", "enci": "ence", "anci": "ance", "abli": "able", "entli": "ent",
	"izer": "ize", "ization": "ize", "ational": "ate", "ation": "ate", "ator": "ate",
	"alism": "al", "aliti": "al", "alli": "al", "fulness": "ful", "ousli": "ous",
	"ousness": "ous", "iveness": "ive", "iviti": "ive", "biliti": "ble", "bli": "ble",
	"fulli": "ful", "lessli": "less",
}

func (w *stemWord) step3() {
	s := w.first(step3Suffixes)
	if s == "" || !w.inR1(len(s)) {
		return
	}
	if s == "ative" {
		if w.inR2(5) {
			w.replace(5, "")
		}
		return
	}
	w.replace(len(s), step3Repl[s])
}

var step3Suffixes = []string{"ational", "tional", "alize", "icate", "ative", "iciti", "ical", "ful", "ness"}

var step3Repl = map[string]string{
	"ational": "ate", "tional": "tion", "alize": "al", "icate": "ic", "iciti": "ic", "ical": "ic",
}

func (w *stemWord) step4() {
	s := w.first(step4Suffixes)
	if s == "" || !w.inR2(len(s)) {
		return
	}
	if s == "ion" {
		n := len(w.rs)
		if n >= 4 && (w.rs[n-4] == 's' || w.rs[n-4] == 't') {
			w.replace(3, "")
		}
		return
	}
	w.replace(len(s), "")
}

var step4Suffixes = []string{
	"ement", "ance", "ence", "able", "ible", "ment",
	"ent", "ant", "ism", "ate", "iti", "ous", "ive",
	"ize", "ion", "al", "er", "ic",
}

func (w *stemWord) step5() {
	last := len(w.rs) - 1
	if w.r1 > last {
		return
	}
	switch w.rs[last] {
	case 'e':
		if w.r2 <= last || !w.endsShortSyllable(last) {
			w.replace(1, "")
		}
	case 'l':
		if w.r2 <= last && last >= 1 && w.rs[last-1] == 'l' {
			w.replace(1, "")
		}
	}
}

// IsStopWord reports whether word is one of the Snowball English stop
// words, which Stem leaves as they are.
func IsStopWord(word string) bool {
	_, ok := stopWords[word]
	return ok
}

var stopWords = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, w := range strings.Fields(`a about above after again against all am an
		and any are as at be because been before being below between both but by
		can did do does doing don down during each few for from further had has
		have having he her here hers herself him himself his how i if in into is
		it its itself just me more most my myself no nor not now of off on once
		only or other our ours ourselves out over own s same she should so some
		such t than that the their theirs them themselves then there these they
		this those through to too under until up very was we were what when where
		which while who whom why will with you your yours yourself yourselves`) {
		m[w] = struct{}{}
	}
	return m
}()
