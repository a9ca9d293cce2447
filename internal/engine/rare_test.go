package engine

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/index"
	"github.com/quarry-search/quarry/internal/indexfile"
)

// rareCorpus is a site large enough for a partial expansion dictionary:
// filler pages sharing common words, and one page each for a few words
// found nowhere else (so the head's dictionary leaves them out).
func rareCorpus() []doc.Document {
	var docs []doc.Document
	common := "payment wallet transfer merchant account balance invoice refund"
	for i := range 40 {
		w := strings.Fields(common)
		body := common + " " + w[(i+3)%len(w)] + fmt.Sprintf(" page%02d", i)
		if i < 6 {
			body += " mango" // in as many documents as the dictionary's threshold
		}
		docs = append(docs, doc.Document{
			ID:    fmt.Sprintf("filler-%02d", i),
			Title: "Notes " + w[i%len(w)],
			Body:  body,
		})
	}
	docs = append(docs,
		doc.Document{ID: "zebrafish", Title: "Aquarium", Body: "The zebrafish swims with the merchant."},
		doc.Document{ID: "quokka", Title: "Island fauna", Body: "A quokka smiles at the account holder and a macaw."},
	)
	return docs
}

// rareIndex builds rareCorpus whole, with a dictionary of at most 10
// terms (so the rare words are left out of it) and parts of partSize.
func rareIndex(t *testing.T, partSize int) []byte {
	t.Helper()
	return buildIndex(t, rareCorpus(), build.Options{FullDictBytes: 1, DictTerms: 10, PartSize: partSize})
}

// A word in too few documents to be in the head's dictionary is still
// completed from a prefix and corrected from a typo: its part, which the
// query's own word falls in, supplies it. The split index fetches only
// that part and answers what the whole index answers.
func TestRareTermsExpandFromTheirPart(t *testing.T) {
	whole := rareIndex(t, 512)
	e, err := Open(whole)
	if err != nil {
		t.Fatal(err)
	}
	h := e.s.head
	body := h.Fields[1]
	if body.Name != "body" || body.DictMinDF < 3 || len(h.Parts) < 4 {
		t.Fatalf("body dictionary min df %d, %d parts: want a partial dictionary and several parts", body.DictMinDF, len(h.Parts))
	}
	for _, w := range []string{"zebrafish", "quokka"} {
		if _, found := slices.BinarySearch(body.Dict, w); found {
			t.Fatalf("%s is in the head's dictionary; the test needs it left out", w)
		}
	}
	for _, typo := range [][2]string{{"zebrafsh", "zebrafish"}, {"quoka", "quokka"}} {
		if h.PartOf(typo[0]) != h.PartOf(typo[1]) {
			t.Fatalf("a part bound falls between %q and %q; the test needs them in one part", typo[0], typo[1])
		}
	}
	tests := []struct {
		query    string
		complete bool
		want     string // first hit
		stem     string // the word whose part is fetched
	}{
		{"zebrafish", true, "zebrafish", "zebrafish"},
		{"zebraf", false, "zebrafish", "zebraf"},     // a prefix as typed
		{"zebrafsh", true, "zebrafish", "zebrafsh"},  // a letter missing
		{"quoka", true, "quokka", "quoka"},           // a letter missing, short word
		{"quokk", false, "quokka", "quokk"},          // a prefix as typed
		{"merchant zebrafsh", true, "zebrafish", ""}, // with a common word
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			req := Request{Query: tt.query, Complete: tt.complete}
			want, err := e.Search(req)
			if err != nil {
				t.Fatal(err)
			}
			if len(want.Hits) == 0 || want.Hits[0].ID != tt.want {
				t.Fatalf("whole index: first hit %v, want %s", hitIDs(want), tt.want)
			}
			split := openSplit(t, whole)
			var parts []string
			got, err := split.SearchLoading(req, func(name string) ([]byte, error) {
				if strings.HasSuffix(name, indexfile.PartExt) {
					parts = append(parts, name)
				}
				return split.files[name], nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if d := sameResponse(got, want); d != "" {
				t.Errorf("split index answers differently:%s", d)
			}
			if tt.stem != "" {
				// The part of the word typed, and as a prefix those its
				// range spans.
				lo, hi := h.PartOf(tt.stem), h.PartOf(tt.stem)
				if !tt.complete {
					hi = h.PartOf(tt.stem + "\xff")
				}
				var wantParts []string
				for i := lo; i <= hi; i++ {
					wantParts = append(wantParts, h.Parts[i].Name)
				}
				slices.Sort(parts)
				slices.Sort(wantParts)
				if !slices.Equal(parts, wantParts) {
					t.Errorf("parts fetched %v, want %v (parts %d..%d, of %q)", parts, wantParts, lo, hi, tt.stem)
				}
			}
		})
	}
}

// A prefix spanning more parts than maxRareParts completes only to the
// dictionary's words: it fetches no part for rare ones.
func TestShortPrefixFetchesNoPartForRareWords(t *testing.T) {
	whole := rareIndex(t, 64)
	split := openSplit(t, whole)
	h := split.s.head
	lo, hi := h.PartOf("p"), h.PartOf("q")
	if hi-lo+1 <= maxRareParts {
		t.Fatalf("prefix p spans parts %d..%d; the test needs more than %d", lo, hi, maxRareParts)
	}
	m := &misses{}
	var walked []string
	_ = view{split.s, m}.Terms(FieldBody, nil, []byte("p"), []byte("q"), func(e index.Entry) bool {
		walked = append(walked, string(e.Term))
		return true
	})
	if len(walked) == 0 {
		t.Fatal("prefix p walked nothing; the test needs dictionary words under it")
	}
	for _, term := range walked {
		if _, found := slices.BinarySearch(h.Fields[1].Dict, term); !found {
			t.Errorf("prefix p walked %q, which is not in the dictionary", term)
		}
	}
	if len(m.need) != 0 {
		t.Errorf("prefix p asked for parts %v", m.need)
	}
}

// Over a range of at most maxRareParts parts, the dictionary and the
// parts' rare terms together are every term of the range, each once, in
// byte order, with its document count.
func TestTermsMergesDictionaryAndRareTerms(t *testing.T) {
	whole := rareIndex(t, 512)
	e, err := Open(whole)
	if err != nil {
		t.Fatal(err)
	}
	h := e.s.head
	if k, found := slices.BinarySearch(h.Fields[1].Dict, "mango"); !found || int(h.Fields[1].DictDF[k]) != h.Fields[1].DictMinDF {
		t.Fatalf("mango: want it in the dictionary with exactly the threshold's %d documents", h.Fields[1].DictMinDF)
	}
	checked := 0
	for _, pre := range []string{"m", "me", "merchant", "quo", "z", "page0"} {
		end := index.PrefixEnd([]byte(pre))
		lo, hi := h.PartOf(pre), h.PartOf(string(end))
		if h.Bounds[hi] == string(end) {
			hi--
		}
		if hi-lo+1 > maxRareParts {
			continue
		}
		var want []string
		for i := lo; i <= hi; i++ {
			p, err := indexfile.DecodePart(h, i, h.Inline()[h.Parts[i].Name], true)
			if err != nil {
				t.Fatal(err)
			}
			pf := p.Fields[1]
			for k, term := range pf.Terms {
				if strings.HasPrefix(term, pre) {
					want = append(want, fmt.Sprintf("%s:%d", term, pf.DF[k]))
				}
			}
		}
		var got []string
		_ = view{e.s, &misses{}}.Terms(FieldBody, nil, []byte(pre), end, func(en index.Entry) bool {
			got = append(got, fmt.Sprintf("%s:%d", en.Term, en.DocFreq))
			return true
		})
		if !slices.Equal(got, want) {
			t.Errorf("prefix %q: walked %v, want %v", pre, got, want)
		}
		// The walk stops as soon as fn says so, rare terms included.
		for stop := 1; stop <= len(want); stop++ {
			n := 0
			_ = view{e.s, &misses{}}.Terms(FieldBody, nil, []byte(pre), end, func(index.Entry) bool {
				n++
				return n < stop
			})
			if n != stop {
				t.Errorf("prefix %q: fn called %d times after asking to stop at %d", pre, n, stop)
			}
		}
		checked++
	}
	if checked < 4 {
		t.Fatalf("%d prefixes within %d parts; want most of them", checked, maxRareParts)
	}
}
