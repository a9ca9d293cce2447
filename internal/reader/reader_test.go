package reader_test

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"

	index "github.com/blevesearch/bleve_index_api"
	zap "github.com/blevesearch/zapx/v16"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/reader"
	"github.com/quarry-search/quarry/internal/schema"
)

var docs = []doc.Document{
	{ID: "a", Title: "Alpha payments", Body: "Alipay handles payments. Alipay is big.", URL: "/a"},
	{ID: "b", Title: "Beta", Body: "WeChat Pay and Alipay compete on payment.", URL: "/b"},
	{ID: "c", Title: "Gamma", Body: "Nothing about money here at all.", URL: "/c"},
}

// open opens a zap segment of docs, analyzed as the builder does.
func open(t *testing.T) *reader.Reader {
	t.Helper()
	im, err := schema.NewMapping(schema.Options{Language: "english"})
	if err != nil {
		t.Fatal(err)
	}
	var analyzed []index.Document
	for i := range docs {
		bd, err := build.Analyze(im, &docs[i], nil)
		if err != nil {
			t.Fatal(err)
		}
		analyzed = append(analyzed, bd)
	}
	seg, _, err := (&zap.ZapPlugin{}).New(analyzed)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := seg.(*zap.SegmentBase).WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	r, err := reader.Open(buf.Bytes())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return r
}

// drainer returns a function listing a field dictionary's terms.
func drainer(t *testing.T) func(index.FieldDict, error) []string {
	return func(fd index.FieldDict, err error) []string { return drainDict(t, fd, err) }
}

func drainDict(t *testing.T, fd index.FieldDict, err error) []string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer fd.Close()
	var out []string
	for {
		e, err := fd.Next()
		if err != nil {
			t.Fatal(err)
		}
		if e == nil {
			return out
		}
		out = append(out, e.Term)
	}
}

func TestIDs(t *testing.T) {
	r := open(t)
	if n, _ := r.DocCount(); n != 3 {
		t.Fatalf("DocCount = %d, want 3", n)
	}
	for _, id := range []string{"a", "b", "c"} {
		iid, err := r.InternalID(id)
		if err != nil || iid == nil {
			t.Fatalf("InternalID(%q) = %v, %v", id, iid, err)
		}
		ext, err := r.ExternalID(iid)
		if err != nil || ext != id {
			t.Errorf("ExternalID(InternalID(%q)) = %q, %v", id, ext, err)
		}
	}
	if iid, err := r.InternalID("nope"); iid != nil || err != nil {
		t.Errorf("InternalID(unknown) = %v, %v, want nil, nil", iid, err)
	}
}

func TestDocIDReaders(t *testing.T) {
	r := open(t)
	collect := func(dr index.DocIDReader, err error) []string {
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for {
			id, err := dr.Next()
			if err != nil {
				t.Fatal(err)
			}
			if id == nil {
				return out
			}
			ext, _ := r.ExternalID(id)
			out = append(out, ext)
		}
	}
	if got, want := collect(r.DocIDReaderAll()), []string{"a", "b", "c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("DocIDReaderAll = %v, want %v", got, want)
	}
	if got, want := collect(r.DocIDReaderOnly([]string{"c", "a", "zz"})), []string{"a", "c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("DocIDReaderOnly = %v, want %v", got, want)
	}
	dr, _ := r.DocIDReaderAll()
	bID, _ := r.InternalID("b")
	got, _ := dr.Advance(bID)
	if ext, _ := r.ExternalID(got); ext != "b" {
		t.Errorf("Advance(b) = %q, want b", ext)
	}
}

func TestTermFieldReader(t *testing.T) {
	r := open(t)
	tfr, err := r.TermFieldReader(context.Background(), []byte("alipay"), "body", true, true, true)
	if err != nil {
		t.Fatal(err)
	}
	if tfr.Count() != 2 {
		t.Errorf("Count = %d, want 2", tfr.Count())
	}
	first, err := tfr.Next(nil)
	if err != nil || first == nil {
		t.Fatalf("Next = %v, %v", first, err)
	}
	if first.Freq != 2 || len(first.Vectors) != 2 || first.Norm <= 0 {
		t.Errorf("first posting freq %d vectors %d norm %v, want 2, 2, >0", first.Freq, len(first.Vectors), first.Norm)
	}
	if v := first.Vectors[0]; v.Field != "body" || v.Pos != 1 || v.Start != 0 || v.End != 6 {
		t.Errorf("first vector = %+v, want body position 1, offsets 0-6 (Alipay)", *v)
	}
	firstID := append(index.IndexInternalID{}, first.ID...)
	second, _ := tfr.Next(nil)
	// Advancing backwards restarts the postings.
	again, err := tfr.Advance(firstID, nil)
	if err != nil || again == nil || !again.ID.Equals(firstID) {
		t.Errorf("Advance back to first = %v, %v", again, err)
	}
	again, _ = tfr.Advance(second.ID, nil)
	if again == nil || !again.ID.Equals(second.ID) {
		t.Errorf("Advance to second = %v", again)
	}
	if end, _ := tfr.Next(nil); end != nil {
		t.Errorf("Next past end = %v, want nil", end)
	}
	missing, _ := r.TermFieldReader(context.Background(), []byte("zebra"), "body", true, true, false)
	if missing.Count() != 0 {
		t.Errorf("missing term count = %d", missing.Count())
	}
}

func TestFieldDicts(t *testing.T) {
	r := open(t)
	drain := drainer(t)
	if got, want := drain(r.FieldDictPrefix("body", []byte("pay"))), []string{"pay", "payment"}; !reflect.DeepEqual(got, want) {
		t.Errorf("FieldDictPrefix(pay) = %v, want %v", got, want)
	}
	if got, want := drain(r.FieldDictRange("body", []byte("alipay"), []byte("big"))), []string{"alipay", "all", "and", "at", "big"}; !reflect.DeepEqual(got, want) {
		t.Errorf("FieldDictRange(alipay..big) = %v, want %v", got, want)
	}
	if got := drain(r.FieldDict("title")); !reflect.DeepEqual(got, []string{"alpha", "beta", "gamma", "payment"}) {
		t.Errorf("FieldDict(title) = %v, want alpha beta gamma payment", got)
	}
	if got, want := drain(r.FieldDictFuzzy("body", "alipya", 2, "")), []string{"alipay"}; !reflect.DeepEqual(got, want) {
		t.Errorf("FieldDictFuzzy(alipya) = %v, want %v", got, want)
	}
	if _, err := r.FieldDictFuzzy("body", "x", 3, ""); err == nil {
		t.Error("fuzziness 3 accepted, want error")
	}
	c, _ := r.FieldCardinality("body")
	all := drain(r.FieldDict("body"))
	if c != len(all) {
		t.Errorf("FieldCardinality = %d, want %d", c, len(all))
	}
}

func TestDocumentAndDocValues(t *testing.T) {
	r := open(t)
	d, err := r.Document("b")
	if err != nil || d == nil {
		t.Fatalf("Document(b) = %v, %v", d, err)
	}
	// Title and body are not stored in the segment (the metadata and the
	// text files hold them): only the document's id is.
	got := map[string]string{}
	d.VisitFields(func(f index.Field) { got[f.Name()] = string(f.Value()) })
	if d.ID() != "b" || len(got) != 0 {
		t.Errorf("Document(b): id %q, stored fields %v; want b and none", d.ID(), got)
	}
	if d, err := r.Document("nope"); d != nil || err != nil {
		t.Errorf("Document(unknown) = %v, %v", d, err)
	}
	fields, _ := r.Fields()
	if !reflect.DeepEqual(fields, []string{"_id", "body", "title", "url"}) {
		t.Errorf("Fields = %v", fields)
	}
}

func TestOpenRefusesGarbage(t *testing.T) {
	tests := map[string][]byte{
		"empty":       nil,
		"short":       []byte("zap"),
		"zeros":       make([]byte, 200),
		"wrong magic": []byte(strings.Repeat("x", 100)),
	}
	for name, b := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := reader.Open(b); err == nil {
				t.Errorf("Open(%s) succeeded, want error", name)
			}
		})
	}
}
