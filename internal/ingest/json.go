package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/quarry-search/quarry/internal/doc"
)

// JSONMapping names the record fields of .json and .jsonl files that fill
// a document. Empty names take the defaults shown.
type JSONMapping struct {
	ID    string // record id (default "id"); missing ids become "file#N"
	Title string // default "title"
	Body  string // default "body"
	URL   string // default "url"
	// Description, Date and Lang fields (defaults "description", "date",
	// "lang"); absent fields simply leave the document field empty.
	Description, Date, Lang string
	// Facets lists extra fields kept as facets (string or list of strings);
	// the facet is named after the field.
	Facets []string
}

// withDefaults returns m with empty field names set to their defaults.
func (m JSONMapping) withDefaults() JSONMapping {
	def := func(s *string, d string) {
		if *s == "" {
			*s = d
		}
	}
	def(&m.ID, "id")
	def(&m.Title, "title")
	def(&m.Body, "body")
	def(&m.URL, "url")
	def(&m.Description, "description")
	def(&m.Date, "date")
	def(&m.Lang, "lang")
	return m
}

// record is one document read from a JSON file, with its line.
type record struct {
	doc  doc.Document
	line int
}

// issue is a warning about one record, with its skip category ("" when
// the record was still indexed).
type issue struct {
	Warning
	skip string
}

// ParseJSON parses a .json file holding an array of objects (a single
// object is taken as a one-record array). name is the file's slash path,
// used for warnings and for ids of records without one ("name#N", N the
// 1-based position in the array).
//
// Records that are not objects or that hold no text are skipped with a
// warning. A syntax error skips the whole file: the error wraps a
// *LineError giving the line and column.
func ParseJSON(name string, data []byte, m JSONMapping) ([]doc.Document, []Warning, error) {
	recs, issues, err := parseJSON(name, data, m)
	return docsOf(recs), warningsOf(issues), err
}

// ParseJSONL parses a .jsonl file: one JSON object per line, blank lines
// ignored. An invalid line gives a warning with its line number and the
// other lines are still read. Records without an id get "name#L", L being
// their line number.
func ParseJSONL(name string, data []byte, m JSONMapping) ([]doc.Document, []Warning) {
	recs, issues := parseJSONL(name, data, m)
	return docsOf(recs), warningsOf(issues)
}

func parseJSON(name string, data []byte, m JSONMapping) ([]record, []issue, error) {
	m = m.withDefaults()
	// Validate first so that a syntax error anywhere skips the whole file.
	if err := checkJSON(data); err != nil {
		return nil, nil, fmt.Errorf("parse %s: %w", name, err)
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, nil, fmt.Errorf("parse %s: %w", name, ErrNoText)
	}
	if trimmed[0] != '[' && trimmed[0] != '{' {
		line, col := lineCol(data, bytes.IndexByte(data, trimmed[0]))
		return nil, nil, fmt.Errorf("parse %s: %w", name, &LineError{Kind: "JSON", Line: line, Col: col,
			Err: errors.New("expected an array of objects")})
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if trimmed[0] == '{' {
		var v any
		_ = dec.Decode(&v) // valid: checked above
		line, _ := lineCol(data, bytes.IndexByte(data, '{'))
		var recs []record
		var issues []issue
		addRecord(&recs, &issues, name, line, 1, v, m)
		return recs, issues, nil
	}
	_, _ = dec.Token() // '['
	var recs []record
	var issues []issue
	line, counted := 1, 0 // line number at offset counted, kept incrementally
	for n := 1; dec.More(); n++ {
		off := int(dec.InputOffset())
		for off < len(data) && (data[off] == ',' || isJSONSpace(data[off])) {
			off++
		}
		line += bytes.Count(data[counted:off], []byte("\n"))
		counted = off
		var v any
		if err := dec.Decode(&v); err != nil { // cannot happen after checkJSON
			return nil, nil, fmt.Errorf("parse %s: %w", name, err)
		}
		addRecord(&recs, &issues, name, line, n, v, m)
	}
	return recs, issues, nil
}

// checkJSON reports the first syntax error of data as a *LineError.
func checkJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	var v json.RawMessage
	err := dec.Decode(&v)
	if err == nil {
		off := int(dec.InputOffset())
		if _, err2 := dec.Token(); err2 != io.EOF {
			for off < len(data) && isJSONSpace(data[off]) {
				off++
			}
			line, col := lineCol(data, off)
			return &LineError{Kind: "JSON", Line: line, Col: col, Err: errors.New("unexpected data after the top-level value")}
		}
		return nil
	}
	if errors.Is(err, io.EOF) && len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	off := len(data)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = int(se.Offset)
		if off > 0 {
			off-- // Offset is just past the offending byte
		}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = errors.New("unexpected end of file")
	}
	line, col := lineCol(data, off)
	return &LineError{Kind: "JSON", Line: line, Col: col, Err: err}
}

func parseJSONL(name string, data []byte, m JSONMapping) ([]record, []issue) {
	m = m.withDefaults()
	var recs []record
	var issues []issue
	line := 0
	for rest := data; len(rest) > 0; {
		var l []byte
		l, rest, _ = bytes.Cut(rest, []byte("\n"))
		line++
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		if err := checkJSON(l); err != nil {
			var le *LineError
			errors.As(err, &le)
			issues = append(issues, issue{Warning{File: name, Line: line,
				Reason: fmt.Sprintf("invalid JSON at col %d: %v; line skipped", le.Col, le.Err)}, SkipMalformed})
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(l))
		dec.UseNumber()
		var v any
		_ = dec.Decode(&v)
		addRecord(&recs, &issues, name, line, line, v, m)
	}
	return recs, issues
}

// addRecord maps one decoded value to a document; n numbers ids of
// records without one.
func addRecord(recs *[]record, issues *[]issue, name string, line, n int, v any, m JSONMapping) {
	obj, ok := v.(map[string]any)
	if !ok {
		*issues = append(*issues, issue{Warning{File: name, Line: line,
			Reason: fmt.Sprintf("record %d is %s, not an object; skipped", n, jsonKind(v))}, SkipMalformed})
		return
	}
	d := doc.Document{
		ID:          collapse(valueText(obj[m.ID], " ")),
		Title:       collapse(valueText(obj[m.Title], " ")),
		Body:        strings.TrimSpace(valueText(obj[m.Body], "\n")),
		URL:         strings.TrimSpace(valueText(obj[m.URL], " ")),
		Description: collapse(valueText(obj[m.Description], " ")),
		Date:        strings.TrimSpace(valueText(obj[m.Date], " ")),
		Lang:        strings.TrimSpace(valueText(obj[m.Lang], " ")),
	}
	if d.ID == "" {
		d.ID = name + "#" + strconv.Itoa(n)
	}
	if d.Title == "" && d.Body == "" {
		*issues = append(*issues, issue{Warning{File: name, Line: line,
			Reason: fmt.Sprintf("record %q has no text (%s and %s empty); skipped", d.ID, m.Title, m.Body)}, SkipEmpty})
		return
	}
	if d.Body == "" {
		d.Body = d.Title
	}
	if d.Title == "" {
		d.Title = deriveTitle(d.Body)
	}
	for _, f := range m.Facets {
		vals, mapping := facetValues(obj[f])
		if mapping {
			*issues = append(*issues, issue{Warning: Warning{File: name, Line: line, Reason: f + ": " + reasonMapping}})
		}
		if len(vals) > 0 {
			if d.Facets == nil {
				d.Facets = map[string][]string{}
			}
			d.Facets[f] = vals
		}
	}
	*recs = append(*recs, record{doc: d, line: line})
}

// reasonMapping is the warning for a mapping where facet values belong.
const reasonMapping = "a mapping is not a value; ignored"

// facetValues returns the values of a taxonomy as written in front matter
// or JSON: a scalar is one value, a list (nested lists flattened) its
// scalars; empty values are dropped. A mapping is no value: it is left
// out and reported by mapping.
func facetValues(v any) (vals []string, mapping bool) {
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			sub, m := facetValues(e)
			vals = append(vals, sub...)
			mapping = mapping || m
		}
		return vals, mapping
	case map[string]any:
		return nil, true
	}
	if s := collapse(valueText(v, " ")); s != "" {
		return []string{s}, false
	}
	return nil, false
}

// valueText converts a JSON value to text: strings as they are, numbers
// and booleans in JSON form, lists joined with sep, objects as their values
// in key order, null as "".
func valueText(v any, sep string) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	case []any:
		parts := make([]string, 0, len(v))
		for _, e := range v {
			if s := strings.TrimSpace(valueText(e, sep)); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, sep)
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(v))
		for _, k := range keys {
			if s := strings.TrimSpace(valueText(v[k], sep)); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, sep)
	}
	return fmt.Sprint(v)
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	}
	return "a value"
}

func docsOf(recs []record) []doc.Document {
	var out []doc.Document
	for _, r := range recs {
		out = append(out, r.doc)
	}
	return out
}

func warningsOf(issues []issue) []Warning {
	var out []Warning
	for _, is := range issues {
		out = append(out, is.Warning)
	}
	return out
}
