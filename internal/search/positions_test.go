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
