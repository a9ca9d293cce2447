package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

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
	recs, issues, err := parseJSON(name, bytes.NewReader(data), m, 0)
	return docsOf(recs), warningsOf(issues), err
}

// ParseJSONL parses a .jsonl file: one JSON object per line, blank lines
// ignored. An invalid line gives a warning with its line number and the
// other lines are still read. Records without an id get "name#L", L being
// their line number.
func ParseJSONL(name string, data []byte, m JSONMapping) ([]doc.Document, []Warning) {
	recs, issues, _ := parseJSONL(name, bytes.NewReader(data), m, 0)
	return docsOf(recs), warningsOf(issues)
}

// parseJSON reads a .json file from r as a stream: one record at a time,
// each at most limit bytes (0: no limit), so that a file of any size is
// read in the memory its documents take. A record over the limit is
// skipped with a warning; a syntax error anywhere skips the whole file,
// as if it had been checked first.
func parseJSON(name string, r io.Reader, m JSONMapping, limit int64) ([]record, []issue, error) {
	m = m.withDefaults()
	s := newJSONScanner(r, limit)
	var recs []record
	var issues []issue
	fail := func(err error) ([]record, []issue, error) {
		return nil, nil, fmt.Errorf("parse %s: %w", name, err)
	}
	c, err := s.skipSpace()
	if err == io.EOF {
		return fail(ErrNoText)
	}
	if err != nil {
		return fail(err)
	}
	// add decodes one record and maps it to a document.
	add := func(n int) error {
		v, err := s.value()
		if err != nil {
			return err
		}
		if v.over {
			issues = append(issues, issue{Warning{File: name, Line: v.line,
				Reason: fmt.Sprintf("record %d is %s, over the limit of %s for one record; skipped", n, byteSize(v.size), byteSize(limit))}, SkipTooLarge})
			return nil
		}
		obj, err := v.decode()
		if err != nil {
			return err
		}
		if v.badUTF8 > 0 && !s.warnedUTF8 {
			s.warnedUTF8 = true
			issues = append(issues, issue{Warning: Warning{File: name, Line: v.badUTF8, Reason: "invalid UTF-8 replaced with U+FFFD"}})
		}
		addRecord(&recs, &issues, name, v.line, n, obj, m)
		return nil
	}
	switch c {
	case '{':
		if err := add(1); err != nil {
			return fail(err)
		}
	case '[':
		s.next()
		c, err := s.skipSpace()
		if err != nil {
			return fail(s.eof(err))
		}
		if c == ']' {
			s.next()
			break
		}
		for n := 1; ; n++ {
			if err := add(n); err != nil {
				return fail(err)
			}
			c, err := s.skipSpace()
			if err != nil {
				return fail(s.eof(err))
			}
			s.next()
			if c == ']' {
				break
			}
			if c != ',' {
				return fail(s.errorBefore("invalid character " + quoteChar(c) + " after array element"))
			}
			if _, err := s.skipSpace(); err != nil {
				return fail(s.eof(err))
			}
		}
	default:
		msg := "expected an array of objects"
		if !strings.ContainsRune(`"-0123456789tfn`, rune(c)) {
			msg = "invalid character " + quoteChar(c) + " looking for beginning of value"
		}
		return fail(s.errorAt(msg))
	}
	if _, err := s.skipSpace(); err != io.EOF {
		if err != nil {
			return fail(err)
		}
		return fail(s.errorAt("unexpected data after the top-level value"))
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

// parseJSONL reads a .jsonl file from r one line at a time, each at most
// limit bytes (0: no limit); a longer line is skipped with a warning. Only
// a read error stops it.
func parseJSONL(name string, r io.Reader, m JSONMapping, limit int64) ([]record, []issue, error) {
	m = m.withDefaults()
	br := bufio.NewReaderSize(r, 64<<10)
	var recs []record
	var issues []issue
	warnedUTF8 := false
	for line := 1; ; line++ {
		l, size, err := readLine(br, limit)
		if err != nil && err != io.EOF {
			return recs, issues, err
		}
		if size == 0 && err == io.EOF {
			break
		}
		if limit > 0 && size > limit {
			issues = append(issues, issue{Warning{File: name, Line: line,
				Reason: fmt.Sprintf("line of %s, over the limit of %s for one record; skipped", byteSize(size), byteSize(limit))}, SkipTooLarge})
		} else if len(bytes.TrimSpace(l)) > 0 {
			if !utf8.Valid(l) {
				if !warnedUTF8 {
					warnedUTF8 = true
					issues = append(issues, issue{Warning: Warning{File: name, Line: line, Reason: "invalid UTF-8 replaced with U+FFFD"}})
				}
				l = bytes.ToValidUTF8(l, []byte("\uFFFD"))
			}
			if err := checkJSON(l); err != nil {
				var le *LineError
				errors.As(err, &le)
				issues = append(issues, issue{Warning{File: name, Line: line,
					Reason: fmt.Sprintf("invalid JSON at col %d: %v; line skipped", le.Col, le.Err)}, SkipMalformed})
			} else {
				dec := json.NewDecoder(bytes.NewReader(l))
				dec.UseNumber()
				var v any
				_ = dec.Decode(&v)
				addRecord(&recs, &issues, name, line, line, v, m)
			}
		}
		if err == io.EOF {
			break
		}
	}
	return recs, issues, nil
}

// readLine reads a line from r without its "\n" and returns it (nil when
// it is over limit > 0) and its length.
func readLine(r *bufio.Reader, limit int64) ([]byte, int64, error) {
	var line []byte
	var size int64
	for {
		chunk, err := r.ReadSlice('\n')
		n := len(chunk)
		if err == nil {
			n-- // the newline
		}
		if limit <= 0 || size+int64(n) <= limit {
			line = append(line, chunk[:n]...)
		} else {
			line = nil
		}
		size += int64(n)
		if err == bufio.ErrBufferFull {
			continue
		}
		if limit > 0 && size > limit {
			line = nil
		}
		return line, size, err
	}
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
