package analysis

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/segment"
)

// segmentTokens is the reference: blevesearch/segment's words as bleve's
// unicode tokenizer keeps them (None segments dropped, positions counted
// over the rest), on text whose invalid bytes are made spaces: Tokenize
// treats them as separators, segment stops at some of them.
func segmentTokens(text string) []Token {
	b := []byte(text)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			b[i] = ' '
		}
		i += size
	}
	var out []Token
	seg := segment.NewWordSegmenterDirect(b)
	start := 0
	for seg.Segment() {
		end := start + len(seg.Bytes())
		if typ := seg.Type(); typ != segment.None {
			kind := AlphaNumeric
			switch typ {
			case segment.Number:
				kind = Numeric
			case segment.Ideo, segment.Kana:
				kind = Ideographic
			}
			out = append(out, Token{Term: text[start:end], Start: start, End: end, Position: len(out) + 1, Kind: kind})
		}
		start = end
	}
	return out
}

// firstDiff returns the index of the first token where got and want
// differ, or -1.
func firstDiff(got, want []Token) int {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return i
		}
	}
	if len(got) != len(want) {
		return min(len(got), len(want))
	}
	return -1
}

func describeDiff(text string, got, want []Token, i int) string {
	var b strings.Builder
	lo := max(0, i-1)
	b.WriteString("got ")
	b.WriteString(fmtTokens(got[lo:min(len(got), i+2)]))
	b.WriteString(" want ")
	b.WriteString(fmtTokens(want[lo:min(len(want), i+2)]))
	at := len(text)
	if i < len(want) {
		at = want[i].Start
	} else if i < len(got) {
		at = got[i].Start
	}
	b.WriteString(" near ")
	b.WriteString(strconvQuote(text[max(0, at-20):min(len(text), at+30)]))
	return b.String()
}

func TestTokenizeMatchesSegment(t *testing.T) {
	tests := []string{
		"", " ", "a", "Hello, World!", "can't won't O’Neill rock'n'roll",
		"3.5 1,000 1'000 1.2.3 3.", "U.S.A. example.com a..b", "a:b https://gohugo.io/x",
		"foo_bar _x x_ _ __ _1 1_ a_1", "café cafe\u0301 \u0301abc", "日本語のテキスト カタカナ ひらがな",
		"한국어 텍스트", "ב\"ג ב' x'ב'", "1\u066B2 1\u066C2", "ไทย", "🇫🇷🇩🇪 abc", "a\u200Db a\u200Bb",
		"\r\n\r\nx\ry\u2028z", " \u302E \u302E、\u302E\n\u302E", "々abc 漢々", "１２３ ＡＢＣ",
		"\xff\xfe\xfd alibaba", " \xffabc", "abc\xff", "a\xffb", "\xff\u0301x",
	}
	for _, text := range tests {
		got, want := Tokenize(text), segmentTokens(text)
		if i := firstDiff(got, want); i >= 0 {
			t.Errorf("Tokenize(%q): %s", text, describeDiff(text, got, want, i))
		}
	}
}
