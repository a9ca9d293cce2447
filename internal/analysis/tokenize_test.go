package analysis

import (
	"runtime"
	"testing"
	"unicode/utf8"
)

func tok(term string, start, pos int, kind Kind) Token {
	return Token{Term: term, Start: start, End: start + len(term), Position: pos, Kind: kind}
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		text string
		want []Token
	}{
		{"", nil},
		{" \t\n", nil},
		{"Hello, World!", []Token{tok("Hello", 0, 1, AlphaNumeric), tok("World", 7, 2, AlphaNumeric)}},
		{"can't O’Neill", []Token{tok("can't", 0, 1, AlphaNumeric), tok("O’Neill", 6, 2, AlphaNumeric)}},
		{"'quoted' it's'", []Token{tok("quoted", 1, 1, AlphaNumeric), tok("it's", 9, 2, AlphaNumeric)}},
		{"3.5 1,000 1'000 3. x", []Token{tok("3.5", 0, 1, Numeric), tok("1,000", 4, 2, Numeric), tok("1'000", 10, 3, Numeric), tok("3", 16, 4, Numeric), tok("x", 19, 5, AlphaNumeric)}},
		{"U.S.A. example.com a..b", []Token{tok("U.S.A", 0, 1, AlphaNumeric), tok("example.com", 7, 2, AlphaNumeric), tok("a", 19, 3, AlphaNumeric), tok("b", 22, 4, AlphaNumeric)}},
		{"a:b https://x.io", []Token{tok("a:b", 0, 1, AlphaNumeric), tok("https", 4, 2, AlphaNumeric), tok("x.io", 12, 3, AlphaNumeric)}},
		{"a,b 1.a a1.5", []Token{tok("a", 0, 1, AlphaNumeric), tok("b", 2, 2, AlphaNumeric), tok("1", 4, 3, Numeric), tok("a", 6, 4, AlphaNumeric), tok("a1.5", 8, 5, AlphaNumeric)}},
		{"foo_bar _ _1 x2", []Token{tok("foo_bar", 0, 1, AlphaNumeric), tok("_", 8, 2, AlphaNumeric), tok("_1", 10, 3, Numeric), tok("x2", 13, 4, AlphaNumeric)}},
		{"cafe\u0301 \u0301x", []Token{tok("cafe\u0301", 0, 1, AlphaNumeric), tok("x", 9, 2, AlphaNumeric)}},
		{"日本のカタカナ", []Token{tok("日", 0, 1, Ideographic), tok("本", 3, 2, Ideographic), tok("の", 6, 3, Ideographic), tok("カタカナ", 9, 4, Ideographic)}},
		{"한국어 Ελλάδα", []Token{tok("한국어", 0, 1, AlphaNumeric), tok("Ελλάδα", 10, 2, AlphaNumeric)}},
		{"ไทย", nil}, // Thai letters (Line_Break=SA) are not words for segment
		// Invalid bytes are separators; segment stops at some of them.
		{"\xff\xfe\xfd alibaba", []Token{tok("alibaba", 4, 1, AlphaNumeric)}},
		{"a\xffb \xff\xfe", []Token{tok("a", 0, 1, AlphaNumeric), tok("b", 2, 2, AlphaNumeric)}},
	}
	for _, tt := range tests {
		got := Tokenize(tt.text)
		if i := firstDiff(got, tt.want); i >= 0 {
			t.Errorf("Tokenize(%q): %s", tt.text, describeDiff(tt.text, got, tt.want, i))
		}
	}
}

func TestTokenizeMatchesSegment(t *testing.T) {
	tests := []string{
		"", " ", "a", "Hello, World!", "can't won't O’Neill rock'n'roll",
		"3.5 1,000 1'000 1.2.3 3.", "U.S.A. example.com a..b", "a:b https://gohugo.io/x",
		"foo_bar _x x_ _ __ _1 1_ a_1 a_カ カ_a", "café cafe\u0301 \u0301abc", "日本語のテキスト カタカナ ひらがな",
		"한국어 텍스트 ㈀가a 가㈀", "ב\"ג ב' x'ב'", "1\u066B2 1\u066C2 \u066B", "ไทย", "🇫🇷🇩🇪 abc", "a\u200Db a\u200Bb",
		"\r\n\r\nx\ry\u2028z", " \u302E \u302E、\u302E\n\u302E", "々abc 漢々", "１２３ ＡＢＣ", "a\u02D7b a\u05F3b",
		"\xff\xfe\xfd alibaba", " \xffabc", "abc\xff", "a\xffb", "\xff\u0301x",
		// The fast paths: a word, one mid-word rune and a rune that
		// cannot continue it; an ASCII separator alone or before an
		// Extend/Format rune.
		"end. next, a; b: c' d", "1, 2. 3: 4' 5;", "ab. ab.' ab.\u00e9 ab:1 ab.. ab._", "x.\u0301y . \u0301a a.\u0301 a'\u0301 b",
		"a .b ,1 _a ._ -\u0301x \u00ad\u0301 a\u00adb", "a.", "1,", "a. \"b\" 'c'",
	}
	for _, text := range tests {
		got, want := Tokenize(text), segmentTokens(text)
		if i := firstDiff(got, want); i >= 0 {
			t.Errorf("Tokenize(%q): %s", text, describeDiff(text, got, want, i))
		}
	}
}

// unicodeDrift are the BMP code points whose word-break properties
// changed after Unicode 8.0, the version segment's tables follow, mostly
// characters assigned since: Tokenize follows the unicode package's
// tables (Unicode 15.0) there.
var unicodeDrift = [][2]rune{
	{0x0560, 0x0560}, {0x0588, 0x0588}, {0x05EF, 0x05EF}, {0x07FD, 0x07FD}, {0x0860, 0x08E2},
	{0x09FC, 0x09FE}, {0x0AFA, 0x0AFF}, {0x0B55, 0x0B55}, {0x0C04, 0x0C04}, {0x0C3C, 0x0C3C},
	{0x0C5D, 0x0C5D}, {0x0C80, 0x0C80}, {0x0CDD, 0x0CDD}, {0x0CF3, 0x0CF3}, {0x0D00, 0x0D04},
	{0x0D3B, 0x0D3C}, {0x0D54, 0x0D56}, {0x0D81, 0x0D81}, {0x0EBA, 0x0EBA}, {0x0ECE, 0x0ECE},
	{0x170D, 0x171F}, {0x180F, 0x180F}, {0x1878, 0x1878}, {0x1885, 0x1886}, {0x1ABF, 0x1ACE},
	{0x1B4C, 0x1B4C}, {0x1C80, 0x1CBF}, {0x1CF2, 0x1CFA}, {0x1DF6, 0x1DFB}, {0x2C2F, 0x2C2F},
	{0x2C5F, 0x2C5F}, {0x312E, 0x312F}, {0x31BB, 0x31BF}, {0x4DB6, 0x4DBF}, {0x9FD6, 0x9FFF},
	{0xA7AE, 0xA7F6}, {0xA82C, 0xA82C}, {0xA8C5, 0xA8C5}, {0xA8FE, 0xA8FF}, {0xAB66, 0xAB69},
}

func drifted(r rune) bool {
	for _, d := range unicodeDrift {
		if d[0] <= r && r <= d[1] {
			return true
		}
	}
	return false
}

// TestTokenizeCodePoints compares Tokenize with segment for every BMP code
// point alone and in contexts that reveal its word-break properties.
func TestTokenizeCodePoints(t *testing.T) {
	step := rune(1)
	if runtime.GOOS == "js" || testing.Short() {
		step = 13
	}
	contexts := []func(s string) string{
		func(s string) string { return s },
		func(s string) string { return s + s },
		func(s string) string { return "a" + s + "a" },
		func(s string) string { return "1" + s + "1" },
		func(s string) string { return "_" + s },
		func(s string) string { return s + "a" },
		func(s string) string { return "カ" + s },
		func(s string) string { return "ב" + s + "ב" },
		func(s string) string { return " " + s },
		func(s string) string { return "、" + s },
		func(s string) string { return "가" + s },
	}
	var bad, drift int
	for r := rune(0); r <= 0xFFFF; r += step {
		if !utf8.ValidRune(r) {
			continue
		}
		for _, c := range contexts {
			text := c(string(r))
			got, want := Tokenize(text), segmentTokens(text)
			i := firstDiff(got, want)
			if i < 0 {
				continue
			}
			if drifted(r) {
				drift++
				break
			}
			if bad++; bad <= 20 {
				t.Errorf("%U: Tokenize(%q): %s", r, text, describeDiff(text, got, want, i))
			}
			break
		}
	}
	t.Logf("code points differing from segment: %d, all assigned or changed after Unicode 8.0", drift)
}

// FuzzTokenize compares Tokenize with segment and checks its invariants.
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"can't 3.5 U.S.A", "日本語カタカナ", "\xff\xfe a", "a\u0301_1", "ב\"ג x'ב'", "\r\n\u302E"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got := Tokenize(text)
		boundary := map[int]bool{len(text): true} // where decoding puts a rune (or an invalid byte)
		for i := range text {
			boundary[i] = true
		}
		prevEnd := 0
		for i, tk := range got {
			if tk.Start < prevEnd || tk.End <= tk.Start || tk.End > len(text) {
				t.Fatalf("token %d %+v out of order or outside the input (len %d)", i, tk, len(text))
			}
			if !utf8.ValidString(tk.Term) || tk.Term != text[tk.Start:tk.End] || tk.Position != i+1 {
				t.Fatalf("token %d %+v: invalid term, offsets or position", i, tk)
			}
			if !boundary[tk.Start] || !boundary[tk.End] {
				t.Fatalf("token %d %+v not on rune boundaries", i, tk)
			}
			prevEnd = tk.End
		}
		want := segmentTokens(text)
		if i := firstDiff(got, want); i >= 0 {
			for _, r := range text {
				if drifted(r) || r > 0xFFFF {
					return // segment's Unicode 8.0 tables differ there
				}
			}
			t.Errorf("Tokenize(%q): %s", text, describeDiff(text, got, want, i))
		}
	})
}

// TestCachedProps: the cache gives props' answer for every rune of the
// Basic Multilingual Plane, asked for the first time and again, and
// leaves runes past it to props.
func TestCachedProps(t *testing.T) {
	for r := rune(0); r < 1<<16; r++ {
		want := props(r)
		if want&propsKnown != 0 {
			t.Fatalf("props(%U) = %#x uses the cache's known bit", r, want)
		}
		for pass := 1; pass <= 2; pass++ {
			if got := cachedProps(r); got != want {
				t.Fatalf("pass %d: cachedProps(%U) = %#x, want %#x", pass, r, got, want)
			}
		}
	}
	for _, r := range []rune{0x10000, 0x1F1E6, 0x1F600, 0x20000, 0x10FFFF, -1} {
		if got, want := cachedProps(r), props(r); got != want {
			t.Errorf("cachedProps(%U) = %#x, want %#x", r, got, want)
		}
	}
}
