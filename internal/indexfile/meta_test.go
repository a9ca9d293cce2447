package indexfile

import (
	"errors"
	"reflect"
	"testing"
)

func TestMetaRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		meta Meta
	}{
		{"empty", Meta{Docs: []DocMeta{}}},
		{"full", Meta{
			Language: "english", Generator: "quarry", TitleBoost: 1.5, BodyBoost: 0.25,
			FacetFields: []string{"org", "tags"},
			FieldTokens: map[string]int{"title": 12, "body": 3400, "url": 9},
			Docs: []DocMeta{
				{ID: "a.txt", Title: "Alibaba — ünïcode", URL: "/a/", Sections: []SectionMeta{{Anchor: "x", Heading: "X", Start: 0}, {Anchor: "y", Heading: "Y", Start: 1 << 20}}},
				{ID: "b", Title: "", URL: ""},
			},
			DocCount:  2,
			Entities:  []EntityMeta{{Name: "Tencent", Type: "org", Aliases: []string{"Tencent Holdings"}, Docs: []string{"a.txt", "b"}}, {Name: "X", Type: "place", Aliases: []string{}}},
			Texts:     []TextFile{{Count: 2, Size: 99, Sum: "0123456789abcdef"}},
			Positions: &PositionsFile{Size: 4096, Sum: "fedcba9876543210"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeMeta(encodeMeta(&tt.meta))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			want := tt.meta
			want.DocCount = len(want.Docs)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

// Every truncation of valid metadata is refused, never read past its end.
func TestMetaTruncated(t *testing.T) {
	b := encodeMeta(&Meta{Language: "english", Docs: []DocMeta{{ID: "a", Title: "t", URL: "u", Sections: []SectionMeta{{Anchor: "s", Heading: "h", Start: 3}}}}, FieldTokens: map[string]int{"body": 5}, Texts: []TextFile{{Count: 1, Size: 30, Sum: "0011223344556677"}}})
	for n := 0; n < len(b); n++ {
		if _, err := decodeMeta(b[:n]); !errors.Is(err, errMetaShort) {
			t.Errorf("decode of %d of %d bytes: err %v, want errMetaShort", n, len(b), err)
		}
	}
}
