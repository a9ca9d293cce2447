package search

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/internal/indexfile"
)

// loadAll adds every text file to e.
func loadAll(t *testing.T, e *Engine, files map[string][]byte) {
	t.Helper()
	for name, data := range files {
		if e.IsPositionsFile(name) {
			continue
		}
		if err := e.AddText(name, data); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLightEngineMatchesFull(t *testing.T) {
	light, files, full := externalEngine(t)
	if !light.light {
		t.Fatal("external engine is not light")
	}
	loadAll(t, light, files)
	for _, req := range []Request{
		{Query: "alipay payments", Complete: true},
		{Query: "tenc"},
		{Query: "alibbaba", Complete: true},
		{Query: "mobile payment companies in china", Complete: true},
		{Query: "", Filters: map[string][]string{}},
	} {
		t.Run(req.Query, func(t *testing.T) {
			got, err := light.Search(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := full.Search(context.Background(), req)
			got.TookMs, want.TookMs = 0, 0
			if !reflect.DeepEqual(got, want) {
				t.Errorf("light engine:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestSyntaxQueryAsksForPositions(t *testing.T) {
	light, files, full := externalEngine(t)
	loadAll(t, light, files)
	req := Request{Query: `"wechat pay"`, Complete: true}
	resp, err := light.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	name := light.meta.Positions.Name
	if len(resp.Missing) != 1 || resp.Missing[0] != name {
		t.Fatalf("phrase on the light engine: missing %v, want [%s]", resp.Missing, name)
	}
	if _, err := light.WithPositions(files[name][:100]); !errors.Is(err, indexfile.ErrText) {
		t.Errorf("WithPositions(truncated) = %v, want ErrText", err)
	}
	// A failed positions file is not asked for again; the notice says why.
	resp, _ = light.Search(context.Background(), req)
	if len(resp.Missing) != 0 || !strings.Contains(resp.Notice, "Phrase search is unavailable") {
		t.Errorf("after a failed positions file: missing %v, notice %q; want none and a notice", resp.Missing, resp.Notice)
	}
	heavy, err := light.WithPositions(files[name])
	if err != nil {
		t.Fatalf("WithPositions: %v", err)
	}
	got, _ := heavy.Search(context.Background(), req)
	want, _ := full.Search(context.Background(), req)
	got.TookMs, want.TookMs = 0, 0
	if !reflect.DeepEqual(got, want) || len(got.Hits) == 0 || !strings.Contains(got.Hits[0].Excerpt, "<mark>") {
		t.Errorf("with positions:\n got %+v\nwant %+v (and marked hits)", got, want)
	}
}

// TestWhichSyntaxNeedsPositions: syntax made of plain words (+, -, NOT,
// field:) is answered by the light engine exactly like the full one, with
// marked excerpts; phrases, wildcards, regexps and fuzziness ask for the
// positions file.
func TestWhichSyntaxNeedsPositions(t *testing.T) {
	light, files, full := externalEngine(t)
	loadAll(t, light, files)
	for _, tc := range []struct {
		q         string
		positions bool
	}{
		{"+alipay -tencent", false},
		{"alipay NOT tencent", false},
		{"title:alibaba +payments", false},
		{"what mobile payments -wechat", false},
		{`"wechat pay"`, true},
		{"+alipay -\"jack ma\"", true},
		{"lazad*", true},
		{"thailnd~1", true},
		{"/ali.*/", true},
	} {
		t.Run(tc.q, func(t *testing.T) {
			req := Request{Query: tc.q, Complete: true}
			got, err := light.Search(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if asked := len(got.Missing) == 1 && got.Missing[0] == light.meta.Positions.Name; asked != tc.positions {
				t.Fatalf("missing %v; want the positions file asked for: %v", got.Missing, tc.positions)
			}
			if tc.positions {
				return
			}
			want, _ := full.Search(context.Background(), req)
			got.TookMs, want.TookMs = 0, 0
			if !reflect.DeepEqual(got, want) {
				t.Errorf("light engine:\n got %+v\nwant %+v", got, want)
			}
			if len(got.Hits) == 0 || !strings.Contains(got.Hits[0].Excerpt, "<mark>") {
				t.Errorf("want hits with marked excerpts, got %+v", got.Hits)
			}
		})
	}
}
