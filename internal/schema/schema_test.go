package schema

import (
	"reflect"
	"strings"
	"testing"
)

func analyze(t *testing.T, lang, text string) []string {
	t.Helper()
	im, err := NewMapping(Options{Language: lang})
	if err != nil {
		t.Fatalf("NewMapping(%s): %v", lang, err)
	}
	a := im.AnalyzerNamed(TextAnalyzer)
	if a == nil {
		t.Fatal("text analyzer missing")
	}
	var out []string
	for _, tok := range a.Analyze([]byte(text)) {
		out = append(out, string(tok.Term))
	}
	return out
}

func TestAnalyzer(t *testing.T) {
	tests := []struct {
		lang, text string
		want       []string
	}{
		{"english", "Payments partnering", []string{"payment", "partner"}},
		{"english", "Alibaba's Tencent’s", []string{"alibaba", "tencent"}},
		{"english", "where the market is", []string{"where", "the", "market", "is"}},
		{"english", "WeChat Pay", []string{"wechat", "pay"}},
		{"en", "companies", []string{"compani"}},
		{"french", "l'avion des économies", []string{"avion", "des", "économ"}},
		{"spanish", "corriendo", []string{"corr"}},
		{"russian", "машины", []string{"машин"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.text, func(t *testing.T) {
			if got := analyze(t, tt.lang, tt.text); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("analyze(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestLookupLanguage(t *testing.T) {
	tests := []struct {
		in, want string
		err      bool
	}{
		{"", "english", false},
		{"English", "english", false},
		{"sv", "swedish", false},
		{"nb", "norwegian", false},
		{"klingon", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			l, err := LookupLanguage(tt.in)
			if (err != nil) != tt.err {
				t.Fatalf("LookupLanguage(%q) error = %v, want error %v", tt.in, err, tt.err)
			}
			if err != nil {
				if !strings.Contains(err.Error(), "supported: english") {
					t.Errorf("error %q does not list the supported languages", err)
				}
				return
			}
			if l.Name != tt.want {
				t.Errorf("LookupLanguage(%q) = %q, want %q", tt.in, l.Name, tt.want)
			}
		})
	}
}

func TestMapping(t *testing.T) {
	im, err := NewMapping(Options{FacetFields: []string{"org", "place"}})
	if err != nil {
		t.Fatal(err)
	}
	if all := im.DefaultMapping.Properties["_all"]; all == nil || all.Enabled {
		t.Errorf("_all field is enabled, want disabled")
	}
	for _, f := range []string{FieldTitle, FieldBody, FieldURL, "org", "place"} {
		if im.DefaultMapping.Properties[f] == nil {
			t.Errorf("field %q missing from mapping", f)
		}
	}
	if org := im.DefaultMapping.Properties["org"].Fields[0]; !org.DocValues || org.Store {
		t.Errorf("facet field: docValues %v store %v, want docValues and no store", org.DocValues, org.Store)
	}
	if _, err := NewMapping(Options{FacetFields: []string{"title"}}); err == nil {
		t.Error("facet field named title accepted, want error")
	}
}
