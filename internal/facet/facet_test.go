package facet

import (
	"errors"
	"fmt"
	"testing"

	"github.com/quarry-search/quarry/internal/index/indextest"
)

func table(t *testing.T) *Table {
	t.Helper()
	x := indextest.New([]indextest.Doc{
		{"org": {"Tencent"}, "place": {"China"}},            // 0
		{"org": {"Tencent", "Alibaba"}, "place": {"China"}}, // 1
		{"org": {"Alibaba"}, "place": {"US"}},               // 2
		{"place": {"US"}},                                   // 3
		{"org": {"Meta"}},                                   // 4
	})
	tb, err := Load(x, []string{"org", "place"})
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func kept(f *Filters, n int) string {
	var out []int
	for d := 0; d < n; d++ {
		if f.Keep(uint32(d)) {
			out = append(out, d)
		}
	}
	return fmt.Sprint(out)
}

func TestFilterModes(t *testing.T) {
	tb := table(t)
	tests := []struct {
		name  string
		sel   map[string][]string
		modes map[string]string
		want  string
	}{
		{"none selected", nil, nil, "[0 1 2 3 4]"},
		{"any", map[string][]string{"org": {"Tencent", "Meta"}}, nil, "[0 1 4]"},
		{"all", map[string][]string{"org": {"Tencent", "Alibaba"}}, map[string]string{"org": "all"}, "[1]"},
		{"none", map[string][]string{"org": {"Tencent"}}, map[string]string{"org": "none"}, "[2 3 4]"},
		{"types combine with AND", map[string][]string{"org": {"Alibaba"}, "place": {"China"}}, nil, "[1]"},
		{"unknown value, any", map[string][]string{"org": {"Nobody"}}, nil, "[]"},
		{"unknown value among others, any", map[string][]string{"org": {"Nobody", "Meta"}}, nil, "[4]"},
		{"unknown value, all", map[string][]string{"org": {"Nobody", "Tencent"}}, map[string]string{"org": "all"}, "[]"},
		{"unknown value, none", map[string][]string{"org": {"Nobody"}}, map[string]string{"org": "none"}, "[0 1 2 3 4]"},
		{"empty list is no filter", map[string][]string{"org": {}}, nil, "[0 1 2 3 4]"},
	}
	for _, tt := range tests {
		f, err := tb.Compile(tt.sel, tt.modes)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := kept(f, 5); got != tt.want {
			t.Errorf("%s: kept %s, want %s", tt.name, got, tt.want)
		}
	}
	for _, bad := range []struct {
		sel   map[string][]string
		modes map[string]string
	}{
		{map[string][]string{"person": {"x"}}, nil},
		{map[string][]string{"org": {"Meta"}}, map[string]string{"org": "some"}},
		{nil, map[string]string{"person": "all"}},
		{nil, map[string]string{"org": "some"}},
	} {
		if _, err := tb.Compile(bad.sel, bad.modes); !errors.Is(err, ErrFilter) {
			t.Errorf("Compile(%v, %v) error %v, want ErrFilter", bad.sel, bad.modes, err)
		}
	}
}

// Counts are disjunctive: a type's counts apply the other types'
// filters, not its own; they match counting document by document.
func TestCountsDisjunctive(t *testing.T) {
	tb := table(t)
	matched := bitsOf(5, 0, 1, 2, 3, 4)
	f, _ := tb.Compile(map[string][]string{"org": {"Tencent"}}, nil)
	got := fmt.Sprint(tb.Counts(matched, f))
	want := "map[org:[{Alibaba 2} {Tencent 2} {Meta 1}] place:[{China 2}]]"
	if got != want {
		t.Errorf("counts %s\nwant   %s", got, want)
	}
	f, _ = tb.Compile(map[string][]string{"org": {"Alibaba"}, "place": {"US"}}, nil)
	got = fmt.Sprint(tb.Counts(bitsOf(5, 1, 2, 3), f))
	want = "map[org:[{Alibaba 1}] place:[{China 1} {US 1}]]"
	if got != want {
		t.Errorf("counts %s\nwant   %s", got, want)
	}
}

// TestBelow: Load refuses a value whose documents reach past the index.
func TestBelow(t *testing.T) {
	tests := []struct {
		docs []uint32
		n    uint
		want bool
	}{
		{nil, 0, true},
		{[]uint32{0, 3, 4}, 5, true},
		{[]uint32{0, 5}, 5, false},
		{[]uint32{9}, 5, false},
	}
	for _, tt := range tests {
		if got := below(tt.docs, tt.n); got != tt.want {
			t.Errorf("below(%v, %d) = %v, want %v", tt.docs, tt.n, got, tt.want)
		}
	}
}
