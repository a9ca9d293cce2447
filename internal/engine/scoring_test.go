package engine

import (
	"fmt"
	"slices"
	"testing"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/doc"
)

// Small ranking tests over hand-made documents: they need nothing from
// ../shared/data, so a clone without it still catches a scoring change
// in the planner (field weights, typo distances) or in the searcher
// (length normalisation) as the engine answers.

// order returns the ids of the hits for text, in rank order.
func order(t *testing.T, e *Engine, text string) []string {
	t.Helper()
	resp, err := e.Search(Request{Query: text, Complete: true, NoExcerpt: true})
	if err != nil {
		t.Fatalf("%q: %v", text, err)
	}
	ids := make([]string, len(resp.Hits))
	for i, h := range resp.Hits {
		ids[i] = h.ID
	}
	return ids
}

func TestRankingBasics(t *testing.T) {
	tests := []struct {
		name string
		docs []doc.Document
		text string
		want string // ids in rank order
	}{
		{
			// Every title and every body is two words long, so no field
			// length favours either: only the title weight (2 against
			// 1) puts the title match first. "heat" keeps the title bonus
			// (a title holding every word typed) out of it; doc order
			// would put the body match first on a tie.
			name: "a title match outranks the same word in an equally long body",
			docs: []doc.Document{
				{ID: "body", Title: "other tables", Body: "gas measured"},
				{ID: "title", Title: "gas tables", Body: "values measured"},
				{ID: "heat", Title: "heat notes", Body: "heat values"},
			},
			text: "gas heat",
			want: "[heat title body]",
		},
		{
			// The same frequency in a shorter body weighs more (BM25F's
			// length normalisation); doc order would put the long one
			// first on a tie.
			name: "a shorter body outranks a longer one",
			docs: []doc.Document{
				{ID: "long", Title: "notes", Body: "gas flows through a long and narrow tube at low speed"},
				{ID: "short", Title: "notes", Body: "gas flows"},
				{ID: "other", Title: "notes", Body: "heat flux in a wall"},
			},
			text: "gas",
			want: "[short long]",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := openDocs(t, tt.docs)
			if got := fmt.Sprint(order(t, e, tt.text)); got != tt.want {
				t.Errorf("%q ranks %s, want %s", tt.text, got, tt.want)
			}
		})
	}
}

// A word absent from the index is corrected within one edit, or two from
// seven letters on: a long word with two typos still finds its page, a
// six-letter one does not.
func TestTypoDistance(t *testing.T) {
	e := openDocs(t, []doc.Document{
		{ID: "alibaba", Title: "Alibaba", Body: "alibaba sells online"},
		{ID: "market", Title: "Markets", Body: "the market opened"},
	})
	tests := []struct {
		text string
		want string
	}{
		{"alibbaba", "[alibaba]"},  // 8 letters, one edit
		{"alibbabba", "[alibaba]"}, // 9 letters, two edits
		{"alibabba", "[alibaba]"},  // 8 letters, one edit
		{"akibabba", "[alibaba]"},  // 8 letters, two edits
		{"markte", "[market]"},     // 6 letters, one edit
		{"mbrkxt", "[]"},           // 6 letters, two edits: not corrected
	}
	for _, tt := range tests {
		if got := fmt.Sprint(order(t, e, tt.text)); got != tt.want {
			t.Errorf("%q finds %s, want %s", tt.text, got, tt.want)
		}
	}
}

func openDocs(t *testing.T, docs []doc.Document) *Engine {
	t.Helper()
	for i := range docs {
		docs[i].URL = docs[i].ID
	}
	e, err := Open(buildIndex(t, docs, build.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// questionDocs are ten short documents on two topics, for questions long
// enough for feedback.
func questionDocs() []doc.Document {
	var docs []doc.Document
	for i, body := range []string{
		"gas turbine blade cooling with film of cold air",
		"turbine blade stress under thermal load and vibration",
		"film cooling of gas turbine vanes at high temperature",
		"cold air jets for turbine cooling tested in a rig",
		"boundary layer transition on a flat plate in supersonic flow",
		"supersonic boundary layer heat transfer on a cone",
		"flat plate transition measured with hot wire probes",
		"shock wave boundary layer interaction on a ramp",
		"heat transfer at a stagnation point in hypersonic flow",
		"wind tunnel tests of a wing at transonic speed",
	} {
		docs = append(docs, doc.Document{ID: fmt.Sprintf("d%d", i), Title: fmt.Sprintf("note %d", i), Body: body})
	}
	return docs
}

var feedbackQuestions = []string{
	"how is a turbine blade cooled by a film of air",
	"where does boundary layer transition happen in supersonic flow",
	"what heat transfer is measured at a stagnation point",
}

// scoredHits returns "id:score" of text's hits.
func scoredHits(e *Engine, text string, limit int) ([]string, error) {
	resp, err := e.Search(Request{Query: text, Limit: limit, Complete: true, NoExcerpt: true, NoFacets: true})
	if err != nil {
		return nil, fmt.Errorf("%q: %w", text, err)
	}
	var out []string
	for _, h := range resp.Hits {
		out = append(out, fmt.Sprintf("%s:%.9f", h.ID, h.Score))
	}
	return out, nil
}

// TestFeedbackScratchReused: a question's feedback records its first
// run's matches and counts its feedback documents' terms in a pooled
// scratch: a question searched after another (both long enough for
// feedback) ranks and scores as it did before it. Limits differ so that
// the response cache does not answer the second time.
func TestFeedbackScratchReused(t *testing.T) {
	e := openDocs(t, questionDocs())
	hits := func(text string, limit int) []string {
		t.Helper()
		out, err := scoredHits(e, text, limit)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	questions := feedbackQuestions
	first := map[string][]string{}
	for _, q := range questions {
		first[q] = hits(q, 10)
		if len(first[q]) < 2 {
			t.Fatalf("%q: %d hits, want several", q, len(first[q]))
		}
	}
	for i := range questions {
		q := questions[(i+1)%len(questions)] // after another question
		if got := hits(q, 9); !slices.Equal(got, first[q][:min(9, len(first[q]))]) {
			t.Errorf("%q after %q:\n got %v\nwant %v", q, questions[i], got, first[q])
		}
	}
}

// Searches running at once on one engine each take their own score
// arrays and scratch (spare hands the kept ones to one search at a time):
// every answer equals the one the question gets alone. Limits vary so
// that the response cache does not answer.
func TestConcurrentSearches(t *testing.T) {
	e := openDocs(t, questionDocs())
	want := map[string][]string{}
	for _, q := range feedbackQuestions {
		h, err := scoredHits(e, q, 10)
		if err != nil {
			t.Fatal(err)
		}
		want[q] = h
	}
	const workers, rounds = 4, 200
	errc := make(chan error, workers)
	for w := 0; w < workers; w++ {
		go func(w int) {
			for i := 0; i < rounds; i++ {
				q := feedbackQuestions[(w+i)%len(feedbackQuestions)]
				limit := 4 + (w*rounds+i)%6
				got, err := scoredHits(e, q, limit)
				if err == nil && !slices.Equal(got, want[q][:min(limit, len(want[q]))]) {
					err = fmt.Errorf("%q (limit %d) beside other searches: %v, want %v", q, limit, got, want[q])
				}
				if err != nil {
					errc <- err
					return
				}
			}
			errc <- nil
		}(w)
	}
	for w := 0; w < workers; w++ {
		if err := <-errc; err != nil {
			t.Error(err)
		}
	}
}
