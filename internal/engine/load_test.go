package engine

import "testing"

// requestKey tells requests apart by every field, and only by them: the
// order of filter values and of map entries does not matter, a string's
// content never passes for another field.
func TestRequestKey(t *testing.T) {
	base := Request{Query: "alipay", Limit: 10}
	tests := []struct {
		name string
		a, b Request
		same bool
	}{
		{"equal", base, base, true},
		{"query", base, Request{Query: "alipa", Limit: 10}, false},
		{"limit", base, Request{Query: "alipay", Limit: 20}, false},
		{"offset", base, Request{Query: "alipay", Limit: 10, Offset: 10}, false},
		{"limit and offset", Request{Query: "a", Limit: 1, Offset: 12}, Request{Query: "a", Limit: 11, Offset: 2}, false},
		{"complete", base, Request{Query: "alipay", Limit: 10, Complete: true}, false},
		{"no excerpt", base, Request{Query: "alipay", Limit: 10, NoExcerpt: true}, false},
		{"no facets", base, Request{Query: "alipay", Limit: 10, NoFacets: true}, false},
		{"digits in the query", Request{Query: "a 1", Limit: 1}, Request{Query: "a", Limit: 11}, false},
		{"a query ending in digits", Request{Query: "a", Limit: 10}, Request{Query: "a1"}, false},
		{"a mode holding another type",
			Request{FilterModes: map[string]string{"a": "0 1:b"}},
			Request{FilterModes: map[string]string{"a": "", "b": ""}}, false},
		{"a filter", base, Request{Query: "alipay", Limit: 10, Filters: map[string][]string{"org": {"Ant"}}}, false},
		{"filter values in any order",
			Request{Filters: map[string][]string{"org": {"Ant", "Alibaba"}, "place": {"China"}}},
			Request{Filters: map[string][]string{"place": {"China"}, "org": {"Alibaba", "Ant"}}}, true},
		{"a value moved to another type",
			Request{Filters: map[string][]string{"org": {"Ant", "China"}}},
			Request{Filters: map[string][]string{"org": {"Ant"}, "place": {"China"}}}, false},
		{"a value split in two",
			Request{Filters: map[string][]string{"org": {"ab"}}},
			Request{Filters: map[string][]string{"org": {"a", "b"}}}, false},
		{"a mode", Request{Filters: map[string][]string{"org": {"Ant"}}},
			Request{Filters: map[string][]string{"org": {"Ant"}}, FilterModes: map[string]string{"org": "all"}}, false},
		{"a mode alone", base, Request{Query: "alipay", Limit: 10, FilterModes: map[string]string{"org": "none"}}, false},
		{"modes differ", Request{FilterModes: map[string]string{"org": "all"}}, Request{FilterModes: map[string]string{"org": "none"}}, false},
		{"a query looking like a filter", Request{Query: `x 3:org`}, Request{Query: "x", Filters: map[string][]string{"org": nil}}, false},
	}
	vals := []string{"b", "a"}
	requestKey(Request{Filters: map[string][]string{"org": vals}})
	if vals[0] != "b" {
		t.Errorf("requestKey sorted the request's own filter values: %q", vals)
	}
	for _, tt := range tests {
		if got := requestKey(tt.a) == requestKey(tt.b); got != tt.same {
			t.Errorf("%s: same key = %v, want %v (%q, %q)", tt.name, got, tt.same, requestKey(tt.a), requestKey(tt.b))
		}
	}
}
