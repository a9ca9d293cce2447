package query

import (
	"errors"
	"testing"

	"github.com/quarry-search/quarry/internal/testcorpus"
)

// Read tells syntax from natural punctuation: each text, whether it is
// syntax, and the text searched: what the query-string reader is given
// (operators rewritten), or the prose searched as plain words.
func TestRead(t *testing.T) {
	fields := map[string]bool{"title": true, "body": true, "org": true}
	tests := []struct {
		in     string
		syntax bool
		want   string
	}{
		// Natural punctuation: prose.
		{"how do I install hugo on windows?", false, "how do I install hugo on windows"},
		{"research?", false, "research"},
		{"Comment ça va ?", false, "Comment ça va"},
		{"wow! great.", false, "wow great"},
		{"first, second; third:", false, "first second third"},
		{"Note: this", false, "Note this"},
		{"title: x", false, "title x"}, // a field needs its value glued
		{"nosuch:alipay", false, "nosuch alipay"},
		{"http://x.com/a", false, "http x.com a"},
		{`the "best`, false, "the best"},
		{`say "a" and "b`, true, `say "a" and b`}, // the last quote is unpaired
		{"(TSS) systems", false, "TSS systems"},
		{"a - b + c", false, "a b c"},
		{"a && b || c ! d", false, "a b c d"},
		{"-5 degrees", false, `\5 degrees`},
		{"*emphasis* ?slip?", false, "emphasis slip"},
		{"retail^ retail^x retail~x", false, "retail retail x retail x"},
		{"~5 x^2y", false, `\5 x \2y`},
		{"AND", false, "AND"}, // an operator alone is a word
		{"x~1^2", false, `x \1 \2`},
		{"can't stop", false, "can't stop"},
		// Syntax, where it is unambiguous.
		{`"wechat pay"`, true, `"wechat pay"`},
		{`"wechat pay". alipay?`, true, `"wechat pay" alipay`},
		{"+alipay -tencent", true, "+alipay -tencent"},
		{"-dash exact", true, "-dash exact"},
		{"title:alibaba", true, "title:alibaba"},
		{"org:Ant", true, "org:Ant"},
		{"lazad* ali?aba", true, "lazad* ali?aba"},
		{"wh?t?", true, "wh?t"}, // the trailing "?" is a question mark
		{"thailnd~1 thailnd~ retail^3", true, "thailnd~1 thailnd~ retail^3"},
		{"/ali.*/", true, "/ali.*/"},
		{"alipay AND wechat NOT tencent", true, "+alipay +wechat -tencent"},
		{"alipay and wechat", false, "alipay and wechat"},
		{`+"wechat pay" -"jack ma"`, true, `+"wechat pay" -"jack ma"`},
		{`title:"jack ma"^2`, true, `title:"jack ma"^2`},
		{"+boeing 747", true, `+boeing \747`}, // a number among syntax is a word
		{"title:>5", true, "title:>5"},        // a range, refused by Parse
		{"mobile? +payment*", true, "mobile +payment*"},
	}
	for _, tt := range tests {
		ws := Read(tt.in, fields)
		got := ws.String()
		if ws.Syntax() {
			got = RewriteOperators(got)
		}
		if ws.Syntax() != tt.syntax || got != tt.want {
			t.Errorf("Read(%q): syntax %v, %q; want %v, %q", tt.in, ws.Syntax(), got, tt.syntax, tt.want)
		}
	}
}

// Whatever Read gives the reader parses, except a range (which the
// index cannot hold): prose never makes a parse error.
func TestReadParses(t *testing.T) {
	fields := map[string]bool{"title": true, "body": true}
	for _, in := range append(testcorpus.SyntaxQueries, "what is it?", `a "b`, "x: y", "-5", "+ -", `\`, `"`, `""`, "AND OR", "a^2~1", "a~1^2", "x AND", "NOT x", `"a"~`, "a~~", "a^^2", "title:", "+title:", "-title:x:y", `title:"a`, "a:b:c") {
		ws := Read(in, fields)
		if !ws.Syntax() {
			continue
		}
		_, err := Parse(RewriteOperators(ws.String()))
		if err != nil && !errors.Is(err, ErrRange) {
			t.Errorf("Read(%q) = %q: %v", in, ws.String(), err)
		}
	}
}
