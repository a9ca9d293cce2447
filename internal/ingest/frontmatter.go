package ingest

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v3"
)

// frontMatter holds front matter fields by lower-cased key. YAML scalars
// keep their text as written (dates, numbers), booleans become bool, lists
// []any and maps map[string]any.
type frontMatter map[string]any

// maxFrontMatterDepth bounds how deeply nested front matter is converted.
const maxFrontMatterDepth = 32

// splitFrontMatter separates front matter from a Markdown source whose
// newlines are normalized. It returns the front matter text, its format
// ("yaml", "toml" or "" for none), the body, and the file line of the
// front matter's first line.
func splitFrontMatter(s string) (fm, format, body string, firstLine int, err error) {
	first, rest, _ := strings.Cut(s, "\n")
	var delim string
	switch strings.TrimRight(first, " \t") {
	case "---":
		delim, format = "---", "yaml"
	case "+++":
		delim, format = "+++", "toml"
	default:
		return "", "", s, 0, nil
	}
	off := 0
	for off <= len(rest) {
		l, _, found := strings.Cut(rest[off:], "\n")
		if strings.TrimRight(l, " \t") == delim {
			body = ""
			if found {
				body = rest[off+len(l)+1:]
			}
			return rest[:off], format, body, 2, nil
		}
		if !found {
			break
		}
		off += len(l) + 1
	}
	return "", "", "", 0, &LineError{Kind: "front matter", Line: 1,
		Err: fmt.Errorf("no closing %s line", delim)}
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlParserErrors are the yaml.v3 messages of parser (not scanner)
// errors, whose reported line is 0-based where scanner errors are 1-based.
var yamlParserErrors = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// yamlError extracts the 1-based line and the message of a yaml.v3 error,
// correcting yaml.v3's inconsistent line numbering.
func yamlError(err error) (line int, msg string) {
	msg = strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	if yamlParserErrors[msg] || line == 0 { // a missing line means 0-based line 0
		line++
	}
	return line, msg
}

// parseFrontMatter decodes front matter text of the given format; errors
// are *LineError with lines counted in the file (firstLine is the file
// line of the text's first line).
func parseFrontMatter(text, format string, firstLine int) (fm frontMatter, err error) {
	defer func() { // never let a third-party parser's panic escape
		if r := recover(); r != nil {
			fm, err = nil, &LineError{Kind: "front matter", Line: firstLine, Err: fmt.Errorf("parser failure: %v", r)}
		}
	}()
	if format == "toml" {
		var m map[string]any
		if _, err := toml.Decode(text, &m); err != nil {
			var pe toml.ParseError
			line, msg := 0, err.Error()
			if errors.As(err, &pe) {
				line, msg = pe.Position.Line, pe.Message
			}
			return nil, &LineError{Kind: "front matter", Line: firstLine + max(line, 1) - 1, Err: errors.New(msg)}
		}
		fm = frontMatter{}
		for k, v := range m {
			fm[strings.ToLower(k)] = tomlValue(v, 0)
		}
		return fm, nil
	}
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(text), &n); err != nil {
		line, msg := yamlError(err)
		return nil, &LineError{Kind: "front matter", Line: firstLine + line - 1, Err: errors.New(msg)}
	}
	fm = frontMatter{}
	if len(n.Content) == 0 {
		return fm, nil // empty front matter
	}
	root := n.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &LineError{Kind: "front matter", Line: firstLine + root.Line - 1,
			Err: errors.New("not a mapping of keys to values")}
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		fm[strings.ToLower(root.Content[i].Value)] = yamlValue(root.Content[i+1], 0)
	}
	return fm, nil
}

// yamlValue converts a YAML node, keeping scalars as written. Aliases to
// scalars are resolved; aliases to collections are dropped (no expansion
// bombs).
func yamlValue(n *yaml.Node, depth int) any {
	if depth > maxFrontMatterDepth {
		return nil
	}
	switch n.Kind {
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil
		case "!!bool":
			b, err := strconv.ParseBool(strings.ToLower(n.Value))
			if err == nil {
				return b
			}
		}
		return n.Value
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			out = append(out, yamlValue(c, depth+1))
		}
		return out
	case yaml.MappingNode:
		out := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			out[strings.ToLower(n.Content[i].Value)] = yamlValue(n.Content[i+1], depth+1)
		}
		return out
	case yaml.AliasNode:
		if n.Alias != nil && n.Alias.Kind == yaml.ScalarNode {
			return yamlValue(n.Alias, depth+1)
		}
	}
	return nil
}

// tomlValue converts a decoded TOML value: dates and times become text in
// their TOML form, numbers text, other scalars stay as they are.
func tomlValue(v any, depth int) any {
	if depth > maxFrontMatterDepth {
		return nil
	}
	switch v := v.(type) {
	case time.Time:
		switch v.Location().String() {
		case "date-local":
			return v.Format("2006-01-02")
		case "datetime-local":
			return v.Format("2006-01-02T15:04:05.999999999")
		case "time-local":
			return v.Format("15:04:05.999999999")
		}
		return v.Format(time.RFC3339Nano)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = tomlValue(e, depth+1)
		}
		return out
	case []map[string]any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = tomlValue(e, depth+1)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[strings.ToLower(k)] = tomlValue(e, depth+1)
		}
		return out
	}
	return v
}

// str returns the first non-empty scalar among keys, as text.
func (fm frontMatter) str(keys ...string) string {
	for _, k := range keys {
		switch v := fm[k].(type) {
		case string:
			if s := strings.TrimSpace(v); s != "" {
				return s
			}
		case bool:
			return strconv.FormatBool(v)
		}
	}
	return ""
}

// list returns the values of keys as one list of strings (see
// facetValues: a single string is a one-element list, nested lists are
// flattened), and whether a mapping was found and left out.
func (fm frontMatter) list(keys ...string) (out []string, mapping bool) {
	for _, k := range keys {
		vals, m := facetValues(fm[k])
		out = append(out, vals...)
		mapping = mapping || m
	}
	return out, mapping
}

// draft reports whether the front matter marks the page as a draft.
func (fm frontMatter) draft() bool {
	switch v := fm["draft"].(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(strings.TrimSpace(v), "true")
	}
	return false
}
