package engine

import (
	"fmt"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/testcorpus"
)

// hitsOf renders a response's hits as "id:score".
func hitsOf(r *Response) string {
	var b strings.Builder
	for _, h := range r.Hits {
		fmt.Fprintf(&b, "%s:%.9f ", h.ID, h.Score)
	}
	return b.String()
}

// Natural punctuation is never query syntax (issue 13): each form below
// is searched as plain words, without a notice, with the same hits and
// scores as the same words without the punctuation — finished, and as
// typed (punctuation after the last word finishes it).
func TestNaturalPunctuationIsPlain(t *testing.T) {
	e, err := Open(buildIndex(t, testcorpus.Seeds(t), build.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ typed, bare string }{
		{"what is alipay?", "what is alipay"},
		{"research?", "research"},
		{"alibaba payments ?", "alibaba payments"}, // French spacing
		{"wechat!", "wechat"},
		{"alipay.", "alipay"},
		{"alipay, wechat; tencent: payments", "alipay wechat tencent payments"},
		{"Note: alibaba retail", "Note alibaba retail"},
		{`the "mobile payment`, "the mobile payment"}, // an unpaired quote
		{`mobile payment"`, "mobile payment"},
		{"alibaba's partners", "alibaba partners"},
		{"(alipay) payments", "alipay payments"},
		{"alipay [wechat] {tencent}", "alipay wechat tencent"},
		{"nosuch:alipay", "nosuch alipay"}, // a field the index lacks
		{"https://www.alibaba.com/ alipay", "https www.alibaba.com alipay"},
		{"alipay - tencent", "alipay tencent"}, // a lone minus or plus
		{"alipay + tencent", "alipay tencent"},
		{"alipay && tencent || wechat ! facebook", "alipay tencent wechat facebook"},
		{"*emphasis* on alipay", "emphasis on alipay"},
		{"the ?slip? payments", "the slip payments"},
		{"retail^ payments", "retail payments"},
		{"~5 million users", "5 million users"},
		{"-5 degrees in zhangbei", "5 degrees in zhangbei"},
		{"e-commerce platform", "e commerce platform"},
	}
	for _, tt := range tests {
		for _, complete := range []bool{true, false} {
			// Punctuation after the last word finishes it.
			finished := complete || strings.ContainsAny(tt.typed[len(tt.typed)-1:], "?!.,;:\"*)]}")
			want, err := e.Search(Request{Query: tt.bare, Complete: finished})
			if err != nil {
				t.Fatal(err)
			}
			if want.Total == 0 || want.Mode == "syntax" {
				t.Fatalf("%q: mode %s, total %d: a useless test case", tt.bare, want.Mode, want.Total)
			}
			got, err := e.Search(Request{Query: tt.typed, Complete: complete})
			if err != nil {
				t.Fatal(err)
			}
			if got.Mode != want.Mode || got.Notice != "" || hitsOf(got) != hitsOf(want) || got.Total != want.Total {
				t.Errorf("%q complete=%v: mode %s notice %q total %d hits %s\nwant mode %s, no notice, total %d hits %s (as %q)",
					tt.typed, complete, got.Mode, got.Notice, got.Total, hitsOf(got), want.Mode, want.Total, hitsOf(want), tt.bare)
			}
		}
	}
}

// Real query syntax still works where it is unambiguous.
func TestQuerySyntaxStillWorks(t *testing.T) {
	docs := testcorpus.Seeds(t)
	e, err := Open(buildIndex(t, docs, build.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	text := map[string]string{} // id -> lower-cased title and body
	title := map[string]string{}
	for _, d := range docs {
		text[d.ID] = strings.ToLower(d.Title + "\n" + d.Body)
		title[d.ID] = strings.ToLower(d.Title)
	}
	tests := []struct {
		q string
		// ok checks one hit's document; every hit must pass.
		ok func(id string) bool
	}{
		{`"wechat pay"`, func(id string) bool { return strings.Contains(text[id], "wechat pay") }},
		{`+alipay -tencent`, func(id string) bool {
			return strings.Contains(text[id], "alipay") && !strings.Contains(text[id], "tencent")
		}},
		{`title:alibaba`, func(id string) bool { return strings.Contains(title[id], "alibaba") }},
		{`lazad*`, func(id string) bool { return strings.Contains(text[id], "lazad") }},
		{`thailnd~1`, func(id string) bool { return strings.Contains(text[id], "thailand") }},
		{`alipay AND wechat`, func(id string) bool {
			return strings.Contains(text[id], "alipay") && strings.Contains(text[id], "wechat")
		}},
		{`"wechat pay"?`, func(id string) bool { return strings.Contains(text[id], "wechat pay") }},
	}
	for _, tt := range tests {
		for _, complete := range []bool{true, false} {
			got, err := e.Search(Request{Query: tt.q, Complete: complete})
			if err != nil {
				t.Fatal(err)
			}
			if got.Mode != "syntax" || got.Notice != "" || got.Total == 0 {
				t.Errorf("%q complete=%v: mode %s notice %q total %d, want syntax matching something", tt.q, complete, got.Mode, got.Notice, got.Total)
				continue
			}
			for _, h := range got.Hits {
				if !tt.ok(h.ID) {
					t.Errorf("%q: hit %s does not satisfy the query", tt.q, h.ID)
				}
			}
		}
	}
}
