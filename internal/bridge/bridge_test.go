package bridge

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/engine"
	"github.com/quarry-search/quarry/internal/indexfile"
)

var testDocs = []doc.Document{
	{ID: "a.txt", URL: "a.txt", Title: "Alibaba abroad", Body: "Alibaba wants merchants abroad to support Alipay payments."},
	{ID: "b.txt", URL: "b.txt", Title: "Tencent games", Body: "Tencent runs WeChat and a large games business."},
	{ID: "c.txt", URL: "c.txt", Title: "Markup", Body: "A page may contain <script>alert(1)</script> & other markup."},
}

func testIndex(t *testing.T) []byte {
	t.Helper()
	data, err := build.Index(context.Background(), testDocs, build.Options{})
	if err != nil {
		t.Fatalf("build index: %v", err)
	}
	return data
}

// splitIndex builds testDocs with opts and returns the whole index, its
// head and its separate files (Externalize).
func splitIndex(t *testing.T, opts build.Options) (whole, head []byte, files map[string][]byte) {
	t.Helper()
	whole, err := build.Index(context.Background(), testDocs, opts)
	if err != nil {
		t.Fatalf("build index: %v", err)
	}
	head, files, err = indexfile.Externalize(whole)
	if err != nil {
		t.Fatal(err)
	}
	return whole, head, files
}

// failure is a decoded failure value.
type failure struct {
	Error  string `json:"error"`
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

func decodeFailure(t *testing.T, out string) failure {
	t.Helper()
	var f failure
	if err := json.Unmarshal([]byte(out), &f); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	return f
}

// toJSON checks that a bridge result is valid JSON and returns it.
func toJSON(t testing.TB, out string) string {
	t.Helper()
	if !json.Valid([]byte(out)) {
		t.Fatalf("bridge result is not valid JSON: %s", out)
	}
	return out
}

// fromJSON decodes a request written as JSON into the value the wasm
// hands over.
func fromJSON(t testing.TB, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("request %s: %v", s, err)
	}
	return v
}

func searchJSON(t testing.TB, b *Bridge, req string) string {
	t.Helper()
	return toJSON(t, b.Search(fromJSON(t, req)))
}

// openInfo is a decoded Open result.
type openInfo struct {
	Docs        int      `json:"docs"`
	Language    string   `json:"language"`
	Format      int      `json:"format"`
	FacetFields []string `json:"facet_fields"`
}

func TestOpenAndSearch(t *testing.T) {
	b := New()
	var info openInfo
	if err := json.Unmarshal([]byte(toJSON(t, b.Open(testIndex(t)))), &info); err != nil {
		t.Fatal(err)
	}
	if info.Docs != len(testDocs) || info.Language != "english" || info.Format != indexfile.Version {
		t.Fatalf("open info = %+v", info)
	}
	tests := []struct {
		req       string
		wantTotal uint64
		wantFirst string
		wantMark  string
	}{
		{`{"q":"alipay"}`, 1, "a.txt", "<mark>Alipay</mark>"},
		{`{"q":"tenc"}`, 1, "b.txt", "<mark>Tencent</mark>"},
		{`{"q":"tenc","complete":true}`, 1, "b.txt", "<mark>Tencent</mark>"}, // a finished word in no document is completed
		{`{"q":"games tenc","complete":true}`, 1, "b.txt", "<mark>Tencent</mark>"},
		{`{"q":"tencent gam","complete":true}`, 1, "b.txt", "<mark>Tencent</mark>"},
		{`{"q":"alibbaba","complete":true}`, 1, "a.txt", "<mark>Alibaba</mark>"},
		{`{"q":"script alert","complete":true}`, 1, "c.txt", "&lt;<mark>script</mark>&gt;"},
		{`{"q":"alipay","no_excerpt":true,"future_field":[1,2]}`, 1, "a.txt", ""},
		{`{}`, 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.req, func(t *testing.T) {
			out := searchJSON(t, b, tt.req)
			var resp engine.Response
			if err := json.Unmarshal([]byte(out), &resp); err != nil {
				t.Fatalf("bad JSON %v: %s", err, out)
			}
			if strings.Contains(out, `"error"`) {
				t.Fatalf("unexpected failure: %s", out)
			}
			if resp.Total != tt.wantTotal {
				t.Fatalf("total = %d, want %d: %s", resp.Total, tt.wantTotal, out)
			}
			if tt.wantFirst != "" && resp.Hits[0].ID != tt.wantFirst {
				t.Errorf("first hit = %q, want %q", resp.Hits[0].ID, tt.wantFirst)
			}
			if tt.wantMark != "" && !strings.Contains(resp.Hits[0].Excerpt, tt.wantMark) {
				t.Errorf("excerpt %q lacks %q", resp.Hits[0].Excerpt, tt.wantMark)
			}
			if strings.Contains(out, `\u003c`) {
				t.Errorf("output escapes <mark> as \\u003c: %s", out)
			}
		})
	}
}

// The bridge's values have exactly the shape `quarry query --json` prints
// (encoding/json over engine.Response), for every kind of response.
func TestResponseJSONMatchesEncodingJSON(t *testing.T) {
	tagged := append([]doc.Document{}, testDocs...)
	for i := range tagged {
		tagged[i].Facets = map[string][]string{"org": {[]string{"Alibaba", "Tencent", "Markup Inc"}[i]}}
	}
	tagged = append(tagged, sectionDocs...)
	data, err := build.Index(context.Background(), tagged, build.Options{FacetFields: []string{"org"}, TextChunk: 1})
	if err != nil {
		t.Fatal(err)
	}
	idx, _, err := indexfile.Externalize(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range [][]byte{data, idx} {
		eng, err := engine.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, req := range []engine.Request{
			{Query: "alibaba", Limit: 2}, {Query: "alibbaba", Complete: true}, {Query: ""},
			{Query: "\"alipay payments\""}, {Query: "a:b:c"}, {Query: "x", Offset: 5000, Limit: 500},
			{Filters: map[string][]string{"org": {"Tencent"}}}, {Query: "tenc", NoFacets: true, NoExcerpt: true},
			{Query: "windows", Complete: true}, {Query: "instll windws", Complete: true},
		} {
			resp, err := eng.Search(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(resp)
			var want, got any
			json.Unmarshal(b, &want)
			if err := json.Unmarshal([]byte(ResponseJSON(resp)), &got); err != nil {
				t.Fatalf("%+v: %v", req, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%+v:\n got %#v\nwant %#v", req, got, want)
			}
		}
	}
}

// sectionDocs are pages with headed sections.
var sectionDocs = []doc.Document{
	{ID: "install.html", URL: "/install/", Title: "Install Hugo",
		Body:     "Hugo runs on every system.\n\nmacOS\n\nUse Homebrew.\n\nLinux\n\nUse the package manager.\n\nWindows\n\nUse winget on Windows to install \"Hugo\" <extended>.",
		Sections: []doc.Section{{Anchor: "macos", Heading: "macOS"}, {Anchor: "linux", Heading: "Linux"}, {Anchor: "windows", Heading: "Windows"}}},
}

// TestSectionsAndCorrected checks the shape the widget reads: the
// sections that matched under their hit (heading, url, excerpt) and the
// corrected query, and that stop words are not marked.
func TestSectionsAndCorrected(t *testing.T) {
	data, err := build.Index(context.Background(), append(append([]doc.Document{}, testDocs...), sectionDocs...), build.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := New()
	toJSON(t, b.Open(data))
	type section struct {
		Heading string `json:"heading"`
		URL     string `json:"url"`
		Excerpt string `json:"excerpt"`
	}
	type response struct {
		Hits []struct {
			URL      string    `json:"url"`
			Excerpt  string    `json:"excerpt"`
			Sections []section `json:"sections"`
		} `json:"hits"`
		Mode      string  `json:"mode"`
		Corrected *string `json:"corrected"`
	}
	str := func(s string) *string { return &s }
	tests := []struct {
		req       string
		url       string
		excerpt   string
		sections  []section
		corrected *string
	}{
		{`{"q":"winget","complete":true}`, "/install/", "Hugo runs on every system.",
			[]section{{"Windows", "/install/#windows", "Use <mark>winget</mark> on Windows to install &#34;Hugo&#34; &lt;extended&gt;."}}, nil},
		// A heading matches: the section is listed, its text unmarked.
		{`{"q":"linux","complete":true}`, "/install/", "Hugo runs on every system.",
			[]section{{"Linux", "/install/#linux", "Use the package manager."}}, nil},
		// Only the top of the page matches: no section, the page's
		// link, the excerpt from the whole page.
		{`{"q":"system","complete":true}`, "/install/", "Hugo runs on every <mark>system</mark>.\n\nmacOS\n\nUse Homebrew.\n\nLinux\n\nUse the package manager.\n\nWindows\n\nUse winget on Windows to install &#34;Hugo&#34; &lt;extended&gt;.", nil, nil},
		// "on" is searched but not marked; sections ranked by distinct
		// terms.
		{`{"q":"hugo on windows","complete":true}`, "/install/", "<mark>Hugo</mark> runs on every system.",
			[]section{{"Windows", "/install/#windows", "Use winget on <mark>Windows</mark> to install &#34;<mark>Hugo</mark>&#34; &lt;extended&gt;."}}, nil},
		// Typos: the words as the page writes them, lower-cased as typed.
		{`{"q":"instll  windws ","complete":true}`, "/install/", "Hugo runs on every system.",
			[]section{{"Windows", "/install/#windows", "Use winget on <mark>Windows</mark> to <mark>install</mark> &#34;Hugo&#34; &lt;extended&gt;."}}, str("install windows")},
		{`{"q":"Windws","complete":true}`, "/install/", "Hugo runs on every system.",
			[]section{{"Windows", "/install/#windows", "Use winget on <mark>Windows</mark> to install &#34;Hugo&#34; &lt;extended&gt;."}}, str("Windows")},
		// Without excerpts, neither sections nor a correction.
		{`{"q":"windws","complete":true,"no_excerpt":true}`, "/install/", "", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.req, func(t *testing.T) {
			out := searchJSON(t, b, tt.req)
			var resp response
			if err := json.Unmarshal([]byte(out), &resp); err != nil || len(resp.Hits) == 0 {
				t.Fatalf("%v: %s", err, out)
			}
			h := resp.Hits[0]
			if h.URL != tt.url || h.Excerpt != tt.excerpt || !reflect.DeepEqual(h.Sections, tt.sections) {
				t.Errorf("first hit %q %q %+v\nwant %q %q %+v", h.URL, h.Excerpt, h.Sections, tt.url, tt.excerpt, tt.sections)
			}
			if !reflect.DeepEqual(resp.Corrected, tt.corrected) {
				t.Errorf("corrected %v, want %v (%s)", deref(resp.Corrected), deref(tt.corrected), out)
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return "(none)"
	}
	return fmt.Sprintf("%q", *s)
}

func TestFailures(t *testing.T) {
	good := testIndex(t)
	flip := func(off int) []byte {
		d := append([]byte(nil), good...)
		d[off] ^= 0xff
		return d
	}
	version := append([]byte(nil), good...)
	binary.LittleEndian.PutUint32(version[8:], indexfile.Version+1)
	tests := []struct {
		name string
		data []byte
		code string
	}{
		{"empty", nil, CodeNotIndex},
		{"html page", []byte("<!doctype html><title>404</title>"), CodeNotIndex},
		{"other version", version, CodeVersion},
		{"truncated", good[:len(good)/2], CodeTruncated},
		{"bit flip", flip(len(good) / 2), CodeCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := New()
			f := decodeFailure(t, toJSON(t, b.Open(tt.data)))
			if f.Code != tt.code || f.Error == "" || f.Detail == "" {
				t.Fatalf("failure = %+v, want code %s with sentence and detail", f, tt.code)
			}
			if f := decodeFailure(t, searchJSON(t, b, `{"q":"alipay"}`)); f.Code != CodeNotOpen {
				t.Errorf("search after failed open = %+v, want %s", f, CodeNotOpen)
			}
		})
	}
}

func TestFailedOpenKeepsEngine(t *testing.T) {
	b := New()
	b.Open(testIndex(t))
	if f := decodeFailure(t, toJSON(t, b.Open([]byte("garbage")))); f.Code != CodeNotIndex {
		t.Fatalf("failure = %+v", f)
	}
	if out := searchJSON(t, b, `{"q":"alipay"}`); !strings.Contains(out, `"total":1`) {
		t.Fatalf("engine lost after failed open: %s", out)
	}
}

func TestDecodeRequest(t *testing.T) {
	tests := []struct {
		in      string
		want    engine.Request
		wantErr bool
	}{
		{`{"q":"a b","limit":5,"offset":10,"complete":true,"no_excerpt":true,"no_facets":true}`, engine.Request{Query: "a b", Limit: 5, Offset: 10, Complete: true, NoExcerpt: true, NoFacets: true}, false},
		{`{"q":"x","filters":{"tag":["go"]},"filter_modes":{"tag":"all"},"unknown":1}`, engine.Request{Query: "x", Filters: map[string][]string{"tag": {"go"}}, FilterModes: map[string]string{"tag": "all"}}, false},
		{`{"q":null,"limit":null}`, engine.Request{}, false},
		{`{}`, engine.Request{}, false},
		{`"q"`, engine.Request{}, true},
		{`[{"q":"x"}]`, engine.Request{}, true},
		{`{"q":1}`, engine.Request{}, true},
		{`{"q":"x","limit":-1}`, engine.Request{}, true},
		{`{"q":"x","offset":-3}`, engine.Request{}, true},
		{`{"q":"x","limit":2.5}`, engine.Request{}, true},
		{`{"q":"x","limit":"10"}`, engine.Request{}, true},
		{`{"q":"x","limit":1e300}`, engine.Request{}, true},
		{`{"q":"x","complete":"yes"}`, engine.Request{}, true},
		{`{"q":"x","filters":["go"]}`, engine.Request{}, true},
		{`{"q":"x","filters":{"tag":"go"}}`, engine.Request{}, true},
		{`{"q":"x","filters":{"tag":[1]}}`, engine.Request{}, true},
		{`{"q":"x","filter_modes":{"tag":1}}`, engine.Request{}, true},
		{`{"q":"` + strings.Repeat("a", maxRequestString+1) + `"}`, engine.Request{}, true},
	}
	for _, tt := range tests {
		name := tt.in
		if len(name) > 40 {
			name = name[:40]
		}
		t.Run(name, func(t *testing.T) {
			got, err := DecodeRequest(fromJSON(t, tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrRequest) {
				t.Errorf("error %v does not wrap ErrRequest", err)
			}
			if !tt.wantErr && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	if _, err := DecodeRequest(map[string]any{"filters": map[string]any{"org": make([]any, 300)}}); !errors.Is(err, engine.ErrLimit) {
		t.Errorf("300 filter values: err %v, want ErrLimit", err)
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		err  error
		code string
		word string
	}{
		{indexfile.ErrNotIndex, CodeNotIndex, "missing"},
		{fmt.Errorf("x: %w", indexfile.ErrVersion), CodeVersion, "different version"},
		{indexfile.ErrTruncated, CodeTruncated, "incomplete"},
		{indexfile.ErrChecksum, CodeCorrupt, "damaged"},
		{fmt.Errorf("%w: bad segment", indexfile.ErrCorrupt), CodeCorrupt, "damaged"},
		{ErrNotOpen, CodeNotOpen, "not loaded"},
		{fmt.Errorf("%w: eof", ErrRequest), CodeRequest, "request"},
		{fmt.Errorf("%w: %w", errSearch, errors.New("boom")), CodeSearch, "could not be run"},
		{errors.New("index language: unsupported"), CodeInternal, "could not be opened"},
	}
	for _, tt := range tests {
		code, s := Describe(tt.err)
		if code != tt.code || !strings.Contains(s, tt.word) {
			t.Errorf("Describe(%v) = %q, %q; want code %q and a sentence with %q", tt.err, code, s, tt.code, tt.word)
		}
		if !strings.HasSuffix(s, ".") || strings.Count(s, ". ") > 0 {
			t.Errorf("Describe(%v) sentence %q is not one sentence", tt.err, s)
		}
	}
}

func TestRecoverInto(t *testing.T) {
	f := func() (out string) {
		defer recoverInto(&out)
		var m map[string]int
		m["x"] = 1 // panics: assignment to entry in nil map
		return "unreachable"
	}
	fail := decodeFailure(t, toJSON(t, f()))
	if fail.Code != CodeInternal || !strings.Contains(fail.Detail, "nil map") || !strings.Contains(fail.Detail, "bridge_test.go") {
		t.Fatalf("failure = %+v", fail)
	}
}

func TestOpenInfoFacetFields(t *testing.T) {
	tagged := []doc.Document{
		{ID: "a.md", URL: "a.md", Title: "Tagged", Body: "Alipay in China.", Facets: map[string][]string{"tags": {"pay"}}},
		{ID: "b.md", URL: "b.md", Title: "Other", Body: "Tencent in Shenzhen."},
	}
	tests := []struct {
		name   string
		docs   []doc.Document
		fields []string
		want   []string
	}{
		{"no facet fields", testDocs, nil, []string{}},
		{"front matter taxonomies", tagged, []string{"categories", "tags"}, []string{"categories", "tags"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := build.Index(context.Background(), tt.docs, build.Options{FacetFields: tt.fields})
			if err != nil {
				t.Fatalf("build index: %v", err)
			}
			out := toJSON(t, New().Open(data))
			var info openInfo
			if err := json.Unmarshal([]byte(out), &info); err != nil {
				t.Fatalf("open output is not JSON: %v\n%s", err, out)
			}
			if !reflect.DeepEqual(info.FacetFields, tt.want) {
				t.Errorf("facet_fields = %#v, want %#v (output %s)", info.FacetFields, tt.want, out)
			}
			if !strings.Contains(out, `"facet_fields":`) {
				t.Errorf("facet_fields missing from %s", out)
			}
		})
	}
}

// need decodes a Need result.
func need(t *testing.T, b *Bridge, req string) []string {
	t.Helper()
	out := toJSON(t, b.Need(fromJSON(t, req)))
	var r struct {
		Need  []string `json:"need"`
		Error string   `json:"error"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Error != "" || r.Need == nil {
		t.Fatalf("need %s = %s", req, out)
	}
	return r.Need
}

func searchResp(t *testing.T, b *Bridge, req string) engine.Response {
	t.Helper()
	var r engine.Response
	if err := json.Unmarshal([]byte(searchJSON(t, b, req)), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// The bridge carries the engine's plan, fetch, search protocol: Need lists
// parts, then the text files of the hits; Add takes them (refusing
// damaged and unknown ones with their codes); Failed records a fetch
// failure; Search answers with what it has.
func TestNeedAddFailed(t *testing.T) {
	_, idx, files := splitIndex(t, build.Options{TextChunk: 1, PartSize: 1})
	b := New()
	if f := decodeFailure(t, toJSON(t, b.Add("x", nil))); f.Code != CodeNotOpen {
		t.Errorf("Add before open: code %q, want %q", f.Code, CodeNotOpen)
	}
	if f := decodeFailure(t, toJSON(t, b.Need(fromJSON(t, `{"q":"x"}`)))); f.Code != CodeNotOpen {
		t.Errorf("Need before open: code %q, want %q", f.Code, CodeNotOpen)
	}
	if out := toJSON(t, b.Open(idx)); strings.Contains(out, `"error"`) {
		t.Fatalf("open: %s", out)
	}
	const req = `{"q":"alipay tencent","complete":true}`
	parts := need(t, b, req)
	if len(parts) == 0 {
		t.Fatal("need lists nothing for a query over a head alone")
	}
	for _, name := range parts {
		if !strings.HasSuffix(name, indexfile.PartExt) {
			t.Errorf("first round lists %s, want only parts", name)
		}
		if out := toJSON(t, b.Add(name, files[name])); out != `{"ok":true}` {
			t.Fatalf("Add(%s) = %s", name, out)
		}
	}
	texts := need(t, b, req)
	if len(texts) != 2 || !strings.HasSuffix(texts[0], indexfile.TextExt) || !strings.HasSuffix(texts[1], indexfile.TextExt) {
		t.Fatalf("second round lists %v, want the 2 hits' text files", texts)
	}
	good, bad := texts[0], texts[1]
	tests := []struct {
		name, file string
		data       []byte
		wantCode   string
	}{
		{"good file", good, files[good], ""},
		{"damaged file", bad, append([]byte("X"), files[bad][1:]...), CodeText},
		{"unknown name", "text.ffffffffffff.qtx", files[good], CodeRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := toJSON(t, b.Add(tt.file, tt.data))
			if tt.wantCode == "" {
				if out != `{"ok":true}` {
					t.Errorf("Add = %s, want ok", out)
				}
				return
			}
			if f := decodeFailure(t, out); f.Code != tt.wantCode || f.Error == "" {
				t.Errorf("Add failure = %+v, want code %q and a sentence", f, tt.wantCode)
			}
		})
	}
	if n := need(t, b, req); len(n) != 0 {
		t.Errorf("after Add: need %v, want nothing (a damaged file is not asked for again)", n)
	}
	r := searchResp(t, b, req)
	marked, failed := 0, 0
	for _, h := range r.Hits {
		if strings.Contains(h.Excerpt, "<mark>") && h.Title != "" {
			marked++
		}
		if strings.Contains(h.ExcerptError, bad) {
			failed++
		}
	}
	if len(r.Hits) != 2 || marked != 1 || failed != 1 {
		t.Errorf("after one good and one damaged file: %d marked excerpts, %d hits naming the damaged file; want 1 and 1: %+v", marked, failed, r.Hits)
	}
	if out := toJSON(t, b.Failed("text.ffffffffffff.qtx", "HTTP 404")); decodeFailure(t, out).Code != CodeRequest {
		t.Errorf("Failed(unknown) = %s, want a request failure", out)
	}
	if out := toJSON(t, b.Failed(bad, "HTTP 404")); out != `{"ok":true}` {
		t.Errorf("Failed = %s, want ok", out)
	}
}

// Rest offers the rest bundle of a small index in parts, as {"need":
// [name]}, and nothing before open, for a whole index, or once Add has
// taken it; then no request needs a file.
func TestRest(t *testing.T) {
	data, idx, files := splitIndex(t, build.Options{TextChunk: 1, PartSize: 1})
	b := New()
	if f := decodeFailure(t, toJSON(t, b.Rest())); f.Code != CodeNotOpen {
		t.Errorf("Rest before open: code %q, want %q", f.Code, CodeNotOpen)
	}
	rest := func() []string {
		t.Helper()
		var r struct{ Need []string }
		if err := json.Unmarshal([]byte(toJSON(t, b.Rest())), &r); err != nil || r.Need == nil {
			t.Fatalf("Rest = %s (%v), want {\"need\": [...]}", b.Rest(), err)
		}
		return r.Need
	}
	if out := toJSON(t, b.Open(data)); strings.Contains(out, `"error"`) {
		t.Fatalf("open: %s", out)
	}
	if got := rest(); len(got) != 0 {
		t.Errorf("Rest of a whole index = %v, want none", got)
	}
	if out := toJSON(t, b.Open(idx)); strings.Contains(out, `"error"`) {
		t.Fatalf("open: %s", out)
	}
	got := rest()
	if len(got) != 1 || !strings.HasSuffix(got[0], indexfile.RestExt) || files[got[0]] == nil {
		t.Fatalf("Rest = %v, want the rest bundle", got)
	}
	if out := toJSON(t, b.Add(got[0], files[got[0]][1:])); decodeFailure(t, out).Code != CodeText {
		t.Errorf("Add(short bundle) = %s, want code %q", out, CodeText)
	}
	if out := toJSON(t, b.Open(idx)); strings.Contains(out, `"error"`) {
		t.Fatalf("open: %s", out)
	}
	if out := toJSON(t, b.Add(got[0], files[got[0]])); out != `{"ok":true}` {
		t.Fatalf("Add(%s) = %s", got[0], out)
	}
	if got := rest(); len(got) != 0 {
		t.Errorf("Rest after the bundle = %v, want none", got)
	}
	if n := need(t, b, `{"q":"alipay tencent","complete":true}`); len(n) != 0 {
		t.Errorf("need after the bundle = %v, want none", n)
	}
}

// A phrase needs the positions of its part; damaged ones leave phrase
// search off with a notice, good ones turn it on.
func TestPositionsFile(t *testing.T) {
	_, idx, files := splitIndex(t, build.Options{})
	b := New()
	b.Open(idx)
	const phrase = `{"q":"\"alipay payments\"","complete":true}`
	for _, name := range need(t, b, `{"q":"alipay payments","complete":true}`) {
		b.Add(name, files[name])
	}
	n := need(t, b, phrase)
	if len(n) != 1 || !strings.HasSuffix(n[0], indexfile.PositionsExt) {
		t.Fatalf("phrase with its parts: need %v, want the positions file", n)
	}
	name := n[0]
	if f := decodeFailure(t, toJSON(t, b.Add(name, files[name][:50]))); f.Code != CodeText {
		t.Errorf("Add(truncated positions) code %q, want %q", f.Code, CodeText)
	}
	for _, name := range need(t, b, phrase) {
		if strings.HasSuffix(name, indexfile.PositionsExt) {
			t.Errorf("need asks again for the damaged %s", name)
		}
		b.Add(name, files[name])
	}
	if r := searchResp(t, b, phrase); r.Total != 0 || !strings.Contains(r.Notice, "phrase search is unavailable") {
		t.Errorf("phrase with damaged positions: total %d, notice %q; want 0 and a notice", r.Total, r.Notice)
	}
	if out := toJSON(t, b.Add(name, files[name])); out != `{"ok":true}` {
		t.Fatalf("Add(positions) = %s", out)
	}
	for _, name := range need(t, b, phrase) {
		b.Add(name, files[name])
	}
	if r := searchResp(t, b, phrase); r.Total != 1 || r.Notice != "" || !strings.Contains(r.Hits[0].Excerpt, "<mark>Alipay</mark> <mark>payments</mark>") {
		t.Errorf("phrase after positions: %+v; want one marked hit and no notice", r)
	}
}

// Strings are escaped exactly as encoding/json escapes them (with HTML
// escaping off, as `quarry query --json` prints).
func TestJSONStrings(t *testing.T) {
	for _, s := range []string{
		"", "plain", `quote " backslash \ slash /`, "<mark>a & b</mark>", "line\nbreak\ttab\rcr",
		"\x00\x01\x1f\x7f", "é ü 日本 🙂", "\u2028 and \u2029", "bad \xff\xfe utf8 \xe2\x82", "\u202e bidi",
	} {
		var want strings.Builder
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.Encode(s)
		w := &jsonWriter{}
		w.str(s)
		if got := w.String(); got != strings.TrimSuffix(want.String(), "\n") {
			t.Errorf("str(%q) = %s, encoding/json %s", s, got, want.String())
		}
	}
	for _, f := range []float64{0, 1, -2.5, 1e-7, 123456789, 1e21, 0.1 + 0.2} {
		w := &jsonWriter{}
		w.num(f)
		var back float64
		if err := json.Unmarshal(w.b, &back); err != nil || back != f {
			t.Errorf("num(%v) = %s, reads back %v (%v)", f, w.b, back, err)
		}
	}
	w := &jsonWriter{}
	w.num(math.NaN())
	if w.String() != "null" {
		t.Errorf("num(NaN) = %s, want null", w.b)
	}
}
