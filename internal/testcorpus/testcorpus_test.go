package testcorpus

import "testing"

func TestSeeds(t *testing.T) {
	docs := Seeds(t)
	if got, want := len(docs), 5; got != want {
		t.Fatalf("seed documents = %d, want %d", got, want)
	}
	titled := 0
	for _, d := range docs {
		if d.ID == "" || d.Body == "" {
			t.Errorf("seed %q: empty id or body", d.ID)
		}
		if d.Title != "" {
			titled++
		}
	}
	// One article opens with a sentence, which is not taken as a title.
	if got, want := titled, 4; got != want {
		t.Errorf("seeds with a title = %d, want %d", got, want)
	}
}

func TestCollections(t *testing.T) {
	tests := []struct {
		name    string
		load    func(testing.TB) *Collection
		docs    int
		queries int
		judged  bool
	}{
		{"cranfield", Cranfield, 1400, 225, true},
		{"cacm", CACM, 3204, 52, true},
		{"hugodocs", HugoDocs, 945, 30, false},
		{"phpdocs", PHPDocs, 10872, 30, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.load(t)
			if len(c.Docs) != tc.docs || len(c.Queries) != tc.queries {
				t.Errorf("%d documents and %d queries, want %d and %d", len(c.Docs), len(c.Queries), tc.docs, tc.queries)
			}
			if got := len(c.Qrels) > 0; got != tc.judged {
				t.Errorf("judged = %v, want %v", got, tc.judged)
			}
			seen := map[string]bool{}
			for _, d := range c.Docs {
				if seen[d.ID] {
					t.Fatalf("duplicate id %q", d.ID)
				}
				seen[d.ID] = true
			}
		})
	}
}
