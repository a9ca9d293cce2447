package engine

import (
	"bytes"
	"slices"
	"testing"

	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/indexfile"
)

// restQueries are run after the rest bundle: words, a typo, a prefix as
// typed, an exclusion.
var restQueries = []struct {
	text     string
	complete bool
}{{"merchant account", true}, {"quoka", true}, {"zebraf", false}, {"payment -refund", true}}

// Rest offers the rest bundle of a small index in parts until its files
// are there; once it is added, searches need nothing more and answer as
// the whole index does.
func TestRest(t *testing.T) {
	whole := rareIndex(t, 512)
	ref, err := Open(whole)
	if err != nil {
		t.Fatal(err)
	}
	if got := ref.Rest(); len(got) != 0 {
		t.Errorf("Rest of a whole index = %v, want none", got)
	}
	sp := openSplit(t, whole)
	name := sp.head.Rest()
	if name == "" || sp.files[name] == nil {
		t.Fatalf("no rest bundle (%q) for a small index in parts", name)
	}
	if got := sp.Rest(); !slices.Equal(got, []string{name}) {
		t.Errorf("Rest = %v, want [%s]", got, name)
	}
	// After a search that fetched some files, the bundle is still offered.
	if _, err := sp.search(Request{Query: "zebrafish", Complete: true, Limit: 10}); err != nil {
		t.Fatal(err)
	}
	if got := sp.Rest(); !slices.Equal(got, []string{name}) {
		t.Errorf("Rest after a search = %v, want [%s]", got, name)
	}
	if err := sp.Failed(name, "HTTP 404"); err != nil {
		t.Errorf("Failed(%s) = %v, want nil", name, err)
	}
	if err := sp.Add(name, sp.files[name]); err != nil {
		t.Fatalf("Add(%s): %v", name, err)
	}
	if got := sp.Rest(); len(got) != 0 {
		t.Errorf("Rest after the bundle = %v, want none", got)
	}
	if p, _, x := sp.Loaded(); p != len(sp.head.Parts) || x != len(sp.head.Texts) {
		t.Errorf("after the bundle: %d of %d parts, %d of %d text files", p, len(sp.head.Parts), x, len(sp.head.Texts))
	}
	sp.loads = 0
	for _, q := range restQueries {
		req := Request{Query: q.text, Complete: q.complete, Limit: 10}
		got, err := sp.search(req)
		if err != nil {
			t.Fatal(err)
		}
		want, err := ref.Search(req)
		if err != nil {
			t.Fatal(err)
		}
		if d := sameResponse(got, want); d != "" {
			t.Errorf("%q after the bundle:%s", q.text, d)
		}
	}
	if sp.loads != 0 {
		t.Errorf("searches after the bundle loaded %d files, want 0", sp.loads)
	}
}

// A bundle of the wrong length is refused and not offered again (the
// files are then fetched one by one); a damaged file inside a bundle is
// dropped when first read and fetched on its own.
func TestRestDamaged(t *testing.T) {
	whole := rareIndex(t, 512)
	sp := openSplit(t, whole)
	name := sp.head.Rest()
	if err := sp.Add(name, sp.files[name][1:]); err == nil {
		t.Fatal("a short bundle was taken")
	}
	if got := sp.Rest(); len(got) != 0 {
		t.Errorf("Rest after a refused bundle = %v, want none", got)
	}
	resp, err := sp.search(Request{Query: "zebrafish", Complete: true, Limit: 10})
	if err != nil || len(resp.Hits) == 0 || resp.Hits[0].ExcerptError != "" || sp.loads == 0 {
		t.Fatalf("after a refused bundle: %+v, %v, %d loads; want a hit with its text, fetched", resp, err, sp.loads)
	}

	// Damage the text file of the quokka's page inside the bundle.
	sp2 := openSplit(t, whole)
	num := slices.IndexFunc(rareCorpus(), func(d doc.Document) bool { return d.ID == "quokka" })
	ti := slices.IndexFunc(sp2.head.Texts, func(tf indexfile.TextFile) bool { return num >= tf.First && num < tf.First+tf.Count })
	tname := sp2.head.Texts[ti].Name
	bundle := bytes.Clone(sp2.files[name])
	at := bytes.Index(bundle, sp2.files[tname])
	if num < 0 || ti < 0 || at < 0 || sp2.head.Texts[0].Count > num {
		t.Fatalf("quokka is document %d, in text file %d at %d of the bundle; the first text file holds %d", num, ti, at, sp2.head.Texts[0].Count)
	}
	bundle[at+len(sp2.files[tname])/2] ^= 0x55
	if err := sp2.Add(name, bundle); err != nil {
		t.Fatalf("Add(bundle with one damaged file) = %v; the files are checked when read", err)
	}
	sp2.loads = 0
	resp, err = sp2.search(Request{Query: "quokka", Complete: true, Limit: 10})
	if err != nil || len(resp.Hits) != 1 || resp.Hits[0].ExcerptError != "" || resp.Hits[0].Title != "Island fauna" {
		t.Fatalf("quokka with its text file damaged in the bundle: %+v, %v; want its hit whole, from the file fetched on its own", resp, err)
	}
	if sp2.loads != 1 {
		t.Errorf("quokka loaded %d files, want 1 (its text file, damaged in the bundle)", sp2.loads)
	}
	// Document 0, in the first text file, comes from the bundle.
	resp, err = sp2.search(Request{Query: "page00", Complete: true, Limit: 10})
	if err != nil || len(resp.Hits) != 1 || resp.Hits[0].ExcerptError != "" || resp.Hits[0].Title == "" {
		t.Fatalf("page00, its text file sound: %+v, %v", resp, err)
	}
	if sp2.loads != 1 {
		t.Errorf("page00 loaded %d more files, want none", sp2.loads-1)
	}
}
