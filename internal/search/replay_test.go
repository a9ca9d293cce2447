package search

import (
	"context"
	"fmt"
	"reflect"
	"testing"
)

// TestFeedbackReplay checks that replaying the first run's scores in
// pseudo-relevance feedback gives exactly the results of scoring the
// original query again: same total, documents and scores.
func TestFeedbackReplay(t *testing.T) {
	seeds := []string{
		"mobile payment companies in china and their competitors",
		"messaging apps owned by tencent and their users",
		"what did alibaba buy in south east asia lazada",
	}
	type corpus struct {
		name    string
		queries func(t *testing.T) (*Engine, []string)
	}
	corpora := []corpus{
		{"seeds", func(t *testing.T) (*Engine, []string) {
			e, _ := openDocs(t, seedDocs(t))
			return e, seeds
		}},
		{"cranfield", func(t *testing.T) (*Engine, []string) {
			docs, qs, _ := cranfield(t)
			e, _ := openDocs(t, docs)
			var texts []string
			for _, q := range qs {
				texts = append(texts, q.Text)
			}
			return e, texts
		}},
	}
	for _, c := range corpora {
		t.Run(c.name, func(t *testing.T) {
			e, queries := c.queries(t)
			run := func(replay bool, q string) []string {
				defer func(old bool) { feedbackReplay = old }(feedbackReplay)
				feedbackReplay = replay
				resp, err := e.Search(context.Background(), Request{Query: q, Limit: 20, Complete: true, NoExcerpt: true, NoFacets: true})
				if err != nil {
					t.Fatalf("Search(%q): %v", q, err)
				}
				out := []string{fmt.Sprint(resp.Total)}
				for _, h := range resp.Hits {
					out = append(out, fmt.Sprintf("%s:%v", h.ID, h.Score))
				}
				return out
			}
			for _, q := range queries {
				got, want := run(true, q), run(false, q)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("Search(%q) with replay\n got %v\nwant %v", q, got, want)
				}
			}
		})
	}
}
