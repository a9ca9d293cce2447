package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/internal/doc"
)

func TestParseJSONFixture(t *testing.T) {
	m := JSONMapping{Facets: []string{"author", "year"}}
	docs, warns, err := ParseJSON("json/records.json", readFixture(t, "json/records.json"), m)
	if err != nil {
		t.Fatalf("ParseJSON error: %v", err)
	}
	want := []doc.Document{
		{ID: "r1", Title: "First record", Body: "Body of the first record.", URL: "/r/1",
			Facets: map[string][]string{"author": {"Ada"}, "year": {"2024"}}},
		{ID: "json/records.json#2", Title: "42", Body: "paragraph one\nparagraph two",
			Facets: map[string][]string{"author": {"Ada", "Grace"}}},
		{ID: "3", Title: "Record three has no title", Body: "Record three has no title. It is derived."},
	}
	if !reflect.DeepEqual(docs, want) {
		t.Errorf("docs:\ngot  %#v\nwant %#v", docs, want)
	}
	wantWarns := []Warning{
		{File: "json/records.json", Line: 5, Reason: "record 4 is a string, not an object; skipped"},
		{File: "json/records.json", Line: 6, Reason: `record "r5" has no text (title and body empty); skipped`},
	}
	if !reflect.DeepEqual(warns, wantWarns) {
		t.Errorf("warnings:\ngot  %#v\nwant %#v", warns, wantWarns)
	}
}

func TestParseJSONLFixture(t *testing.T) {
	docs, warns := ParseJSONL("records.jsonl", readFixture(t, "json/records.jsonl"), JSONMapping{Facets: []string{"tags"}})
	want := []doc.Document{
		{ID: "l1", Title: "Line one", Body: "First line record."},
		{ID: "l2", Title: "Line two", Body: "Second line record.", Facets: map[string][]string{"tags": {"a", "b"}}},
		{ID: "l6", Title: "Line six", Body: "true"},
	}
	if !reflect.DeepEqual(docs, want) {
		t.Errorf("docs:\ngot  %#v\nwant %#v", docs, want)
	}
	wantWarns := []string{
		"records.jsonl:4: invalid JSON at col 61: unexpected end of file; line skipped",
		"records.jsonl:5: record 5 is an array, not an object; skipped",
	}
	var got []string
	for _, w := range warns {
		got = append(got, w.String())
	}
	if !reflect.DeepEqual(got, wantWarns) {
		t.Errorf("warnings:\ngot  %q\nwant %q", got, wantWarns)
	}
}

func TestParseJSONInvalid(t *testing.T) {
	tests := []struct {
		name, in          string
		wantLine, wantCol int
		wantErr           string
	}{
		{"fixture: missing comma", string(readFixture(t, "json/invalid.json")), 3, 41,
			"parse f.json: JSON line 3 col 41: invalid character '\"' after object key:value pair"},
		{"truncated", "[{\"id\": 1},\n{\"id\":", 2, 7, "parse f.json: JSON line 2 col 7: unexpected end of file"},
		{"trailing data", "[]\n[]", 2, 1, "parse f.json: JSON line 2 col 1: unexpected data after the top-level value"},
		{"scalar top level", "\n  42", 2, 3, "parse f.json: JSON line 2 col 3: expected an array of objects"},
		{"unicode columns", "[\"héllo\" x]", 1, 10, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, _, err := ParseJSON("f.json", []byte(tt.in), JSONMapping{})
			if err == nil {
				t.Fatalf("no error, docs %v", docs)
			}
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("error %v is not a *LineError", err)
			}
			if le.Line != tt.wantLine || le.Col != tt.wantCol {
				t.Errorf("at %d:%d, want %d:%d (%v)", le.Line, le.Col, tt.wantLine, tt.wantCol, err)
			}
			if tt.wantErr != "" && err.Error() != tt.wantErr {
				t.Errorf("error = %q, want %q", err, tt.wantErr)
			}
			if docs != nil {
				t.Errorf("docs = %v, want none", docs)
			}
		})
	}
}

func TestParseJSONCases(t *testing.T) {
	tests := []struct {
		name, in string
		m        JSONMapping
		want     []doc.Document
		warns    int
	}{
		{"single object", `{"id":"a","body":"b"}`, JSONMapping{}, []doc.Document{{ID: "a", Title: "b", Body: "b"}}, 0},
		{"custom mapping", `[{"slug":"s","name":"N","text":"T","link":"/l","desc":" d ","when":"2020","lng":"de"}]`,
			JSONMapping{ID: "slug", Title: "name", Body: "text", URL: "link", Description: "desc", Date: "when", Lang: "lng"},
			[]doc.Document{{ID: "s", Title: "N", Body: "T", URL: "/l", Description: "d", Date: "2020", Lang: "de"}}, 0},
		{"numbers, booleans, null, objects", `[{"id":1.5,"title":true,"body":{"b":"two","a":"one","c":null}}]`, JSONMapping{},
			[]doc.Document{{ID: "1.5", Title: "true", Body: "one\ntwo"}}, 0},
		{"title only", `[{"title":"Only title"}]`, JSONMapping{}, []doc.Document{{ID: "f.json#1", Title: "Only title", Body: "Only title"}}, 0},
		// Mappings are no facet values: left out, with a warning each.
		{"facet kinds", `[{"id":"x","body":"b","f":[1,"",{"k":"v"}," s "],"g":{"k":"v"},"h":null}]`, JSONMapping{Facets: []string{"f", "g", "h"}},
			[]doc.Document{{ID: "x", Title: "b", Body: "b", Facets: map[string][]string{"f": {"1", "s"}}}}, 2},
		{"empty array", `[]`, JSONMapping{}, nil, 0},
		{"null record", `[null]`, JSONMapping{}, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, warns, err := ParseJSON("f.json", []byte(tt.in), tt.m)
			if err != nil {
				t.Fatalf("ParseJSON error: %v", err)
			}
			if !reflect.DeepEqual(docs, tt.want) {
				t.Errorf("got  %#v\nwant %#v", docs, tt.want)
			}
			if len(warns) != tt.warns {
				t.Errorf("warnings = %v, want %d", warns, tt.warns)
			}
		})
	}
}

func TestParseJSONEmpty(t *testing.T) {
	_, _, err := ParseJSON("e.json", []byte("  \n"), JSONMapping{})
	if !errors.Is(err, ErrNoText) {
		t.Errorf("error = %v, want ErrNoText", err)
	}
}

func TestParseJSONLCases(t *testing.T) {
	tests := []struct {
		name, in  string
		wantIDs   []string
		wantWarns []string
	}{
		{"CRLF and blank lines", "{\"body\":\"a\"}\r\n\r\n{\"body\":\"b\"}\r\n", []string{"f.jsonl#1", "f.jsonl#3"}, nil},
		{"no trailing newline", `{"id":"x","body":"y"}`, []string{"x"}, nil},
		{"all bad", "nope\n{\n", nil, []string{
			"f.jsonl:1: invalid JSON at col 2: invalid character 'o' in literal null (expecting 'u'); line skipped",
			"f.jsonl:2: invalid JSON at col 2: unexpected end of file; line skipped"}},
		{"two values on a line", `{"body":"a"} {"body":"b"}`, nil, []string{
			"f.jsonl:1: invalid JSON at col 14: unexpected data after the top-level value; line skipped"}},
		{"empty record", `{"id":"e"}`, nil, []string{`f.jsonl:1: record "e" has no text (title and body empty); skipped`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, warns := ParseJSONL("f.jsonl", []byte(tt.in), JSONMapping{})
			var ids, ws []string
			for _, d := range docs {
				ids = append(ids, d.ID)
			}
			for _, w := range warns {
				ws = append(ws, w.String())
			}
			if !reflect.DeepEqual(ids, tt.wantIDs) {
				t.Errorf("ids = %q, want %q", ids, tt.wantIDs)
			}
			if !reflect.DeepEqual(ws, tt.wantWarns) {
				t.Errorf("warnings = %q, want %q", ws, tt.wantWarns)
			}
		})
	}
}

// TestDirJSONStreamed: JSON and JSONL files are read as streams, so no
// file size limit applies to them (a 13.7 MB docs.json was refused by
// the 10 MiB file limit); each record is held to MaxRecordSize instead,
// and one over it is skipped with a warning naming the file, the line,
// the record and the limit, while the other records are indexed.
func TestDirJSONStreamed(t *testing.T) {
	rec := func(id string, size int) string {
		return fmt.Sprintf(`{"id":%q,"title":"T %s","body":%q}`, id, id, strings.Repeat("word ", size/5))
	}
	many := make([]string, 200)
	for i := range many {
		many[i] = rec(fmt.Sprint("r", i), 100)
	}
	tests := []struct {
		name        string
		file, data  string
		opts        Options
		wantDocs    int
		wantWarns   []string
		wantSummary string
	}{
		{"a file over the file limit, records under it", "docs.json", "[\n" + strings.Join(many, ",\n") + "\n]",
			Options{MaxFileSize: 4 << 10}, 200, nil, "indexed 200 documents, skipped 0; 0 warnings"},
		{"one record over the record limit", "docs.json", "[\n" + rec("a", 100) + ",\n" + rec("big", 5120) + ",\n" + rec("c", 100) + "\n]",
			Options{MaxRecordSize: 2 << 10}, 2,
			[]string{"docs.json:3: record 2 is 5.0 KiB, over the limit of 2.0 KiB for one record; skipped"},
			"indexed 2 documents, skipped 1: 1 too large; 1 warning"},
		{"the record limit defaults to the file limit", "docs.json", "[" + rec("big", 5120) + "," + rec("c", 100) + "]",
			Options{MaxFileSize: 2 << 10}, 1,
			[]string{"docs.json:1: record 1 is 5.0 KiB, over the limit of 2.0 KiB for one record; skipped"},
			"indexed 1 document, skipped 1: 1 too large; 1 warning"},
		{"a single object over the limit", "one.json", rec("big", 5120),
			Options{MaxRecordSize: 1 << 10}, 0,
			[]string{"one.json:1: record 1 is 5.0 KiB, over the limit of 1.0 KiB for one record; skipped"}, ""},
		{"a JSONL line over the limit", "docs.jsonl", rec("a", 100) + "\n" + rec("big", 5120) + "\n" + rec("c", 100) + "\n",
			Options{MaxRecordSize: 2 << 10}, 2,
			[]string{"docs.jsonl:2: line of 5.0 KiB, over the limit of 2.0 KiB for one record; skipped"},
			"indexed 2 documents, skipped 1: 1 too large; 1 warning"},
		{"a JSONL file over the file limit", "docs.jsonl", strings.Join(many, "\n"),
			Options{MaxFileSize: 4 << 10}, 200, nil, "indexed 200 documents, skipped 0; 0 warnings"},
		{"a syntax error after a large record still skips the file", "docs.json", "[" + rec("big", 5120) + ",\n" + rec("c", 100) + " x]",
			Options{MaxRecordSize: 1 << 10}, 0,
			[]string{"docs.json:2: invalid JSON at col " + fmt.Sprint(len(rec("c", 100))+2) + ": invalid character 'x' after array element; skipped"}, ""},
		{"a UTF-8 byte order mark", "bom.json", "\xEF\xBB\xBF[" + rec("a", 10) + "]", Options{}, 1, nil, "indexed 1 document, skipped 0; 0 warnings"},
		{"binary content", "bin.json", "\x00\x01\x02[]", Options{}, 0, []string{"bin.json: binary file (contains NUL bytes); skipped"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, tt.file), tt.data)
			res, err := Dir(context.Background(), dir, tt.opts)
			if tt.wantDocs == 0 {
				if !errors.Is(err, ErrNoDocuments) {
					t.Fatalf("error %v, want no documents", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			var warns []string
			for _, w := range res.Warnings {
				warns = append(warns, w.String())
			}
			if len(res.Docs) != tt.wantDocs || !reflect.DeepEqual(warns, tt.wantWarns) {
				t.Errorf("%d documents, warnings %q; want %d, %q", len(res.Docs), warns, tt.wantDocs, tt.wantWarns)
			}
			if tt.wantSummary != "" && res.Summary() != tt.wantSummary {
				t.Errorf("summary %q, want %q", res.Summary(), tt.wantSummary)
			}
		})
	}
}

// TestParseJSONStreamMatchesDecoder: on valid input the stream reader
// gives what decoding the whole array at once gives, one record per
// element, wherever the whitespace and however deep the values.
func TestParseJSONStreamMatchesDecoder(t *testing.T) {
	inputs := []string{
		`[{"id":"a","body":"x"},{"id":"b","body":"y \"quoted\" ] } [ {"}]`,
		"\n\t[ {\"id\" : \"a\" , \"body\" : [\"p\", {\"q\": [1, 2, {\"r\": null}]}]} ,\r\n 12 , \"s\" , true , null , [ ] ]  \n",
		`[{"id":"esc","body":"back\\slash \\\" \u00e9 \ud83d\ude00"}]`,
		`{"id":"solo","body":"one object"}`,
		`[]`,
	}
	for _, in := range inputs {
		docs, warns, err := ParseJSON("f.json", []byte(in), JSONMapping{})
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		var all any
		if err := json.Unmarshal([]byte(in), &all); err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		n := 1
		if arr, ok := all.([]any); ok {
			n = len(arr)
		}
		if len(docs)+len(warns) != n {
			t.Errorf("%q: %d documents and %d warnings for %d records", in, len(docs), len(warns), n)
		}
		for _, d := range docs {
			if d.Body == "" {
				t.Errorf("%q: empty body in %+v", in, d)
			}
		}
	}
}
