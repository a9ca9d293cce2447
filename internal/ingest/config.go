package ingest

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"gopkg.in/yaml.v3"
)

// ConfigFile is the name of the project configuration file at a corpus root.
const ConfigFile = "quarry.yaml"

// Config is the content of a quarry.yaml file. Every key is optional:
//
//	language: en                  # BCP 47 tag of the corpus language
//	base_url: https://example.org/docs   # prefix for document URLs
//	include: ["content/**/*.md"]  # globs on slash paths relative to the root
//	exclude: ["drafts/**", "**/_*.md"]
//	max_file_size: 10MiB          # bytes, or a number with B, KB, MB, GB, KiB, MiB, GiB
//	json:                         # field mapping for .json and .jsonl records
//	  id: id
//	  title: title
//	  body: body
//	  url: url
//	  description: description
//	  date: date
//	  lang: lang
//	  facets: [author, year]      # extra record fields kept as facets
//	weights:                      # field boosts for ranking (positive numbers)
//	  title: 2.5
//	  body: 1
//	facets: [tags, categories]    # the filter groups the search box shows, in order
//
// A single string is accepted wherever a list is expected. Unknown keys
// and bad values are errors of the form "quarry.yaml:LINE: reason".
type Config struct {
	Language    string      // language: corpus language tag ("" when not set)
	BaseURL     string      // base_url: see Options.BaseURL
	Include     []string    // include: see Options.Include
	Exclude     []string    // exclude: see Options.Exclude
	MaxFileSize int64       // max_file_size in bytes, 0 when not set
	JSON        JSONMapping // json: record field mapping
	Weights     Weights     // weights: ranking boosts
	Facets      []string    // facets: the filter groups the widget shows (manifest "facets")
}

// Weights are ranking boosts per field; 0 means "not set".
type Weights struct {
	Title float64 // weights.title
	Body  float64 // weights.body
}

// Options returns ingestion options set from the configuration.
func (c *Config) Options() Options {
	return Options{
		Include:     c.Include,
		Exclude:     c.Exclude,
		MaxFileSize: c.MaxFileSize,
		JSON:        c.JSON,
		BaseURL:     c.BaseURL,
	}
}

// FindConfig returns the path of root/quarry.yaml and true when it exists.
func FindConfig(root string) (string, bool) {
	p := filepath.Join(root, ConfigFile)
	st, err := os.Stat(p)
	if err != nil || st.IsDir() {
		return "", false
	}
	return p, true
}

var (
	langRE = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)
	sizeRE = regexp.MustCompile(`^(\d+(?:\.\d+)?)\s*([KMGT]i?B|[KMGT]|B)?$`)
)

// LoadConfig reads and validates a quarry.yaml file (schema: see Config).
// Errors name the file and line: "quarry.yaml:3: unknown key "langauge"".
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load config: %w", err)
	}
	c, line, err := parseConfig(data)
	if err != nil {
		if line > 0 {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// cfgError is a config error at a line.
type cfgError struct {
	line int
	err  error
}

func fail(n *yaml.Node, format string, args ...any) *cfgError {
	return &cfgError{line: n.Line, err: fmt.Errorf(format, args...)}
}

// failKey is an error reported at the line of the current key.
func failKey(format string, args ...any) *cfgError {
	return &cfgError{err: fmt.Errorf(format, args...)}
}

func parseConfig(data []byte) (c *Config, line int, err error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		l, msg := yamlError(err)
		return nil, l, errors.New(msg)
	}
	c = &Config{}
	if len(root.Content) == 0 {
		return c, 0, nil // empty file
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return nil, doc.Line, errors.New("expected a mapping of keys to values")
	}
	ce := walkMapping(doc, "", func(key string, v *yaml.Node) *cfgError {
		var ce *cfgError
		switch key {
		case "language":
			if c.Language, ce = scalar(v, key); ce == nil && !langRE.MatchString(c.Language) {
				ce = fail(v, "language: %q is not a language tag such as \"en\" or \"pt-BR\"", c.Language)
			}
		case "base_url":
			c.BaseURL, ce = scalar(v, key)
		case "include":
			c.Include, ce = globs(v, key)
		case "exclude":
			c.Exclude, ce = globs(v, key)
		case "facets":
			c.Facets, ce = strList(v, key)
		case "max_file_size":
			c.MaxFileSize, ce = size(v, key)
		case "json":
			ce = jsonMapping(v, &c.JSON)
		case "weights":
			ce = walkMapping(v, "weights.", func(k string, w *yaml.Node) *cfgError {
				switch k {
				case "title":
					c.Weights.Title, ce = weight(w, "weights."+k)
				case "body":
					c.Weights.Body, ce = weight(w, "weights."+k)
				default:
					return failKey("unknown key \"weights.%s\" (known: title, body)", k)
				}
				return ce
			})
		default:
			return failKey("unknown key %q (known: language, base_url, include, exclude, max_file_size, json, weights, facets)", key)
		}
		return ce
	})
	if ce != nil {
		return nil, ce.line, ce.err
	}
	return c, 0, nil
}

// walkMapping calls fn for each key of mapping n; duplicate keys and
// non-mappings are errors. prefix names n in messages.
func walkMapping(n *yaml.Node, prefix string, fn func(key string, v *yaml.Node) *cfgError) *cfgError {
	if n.Kind != yaml.MappingNode {
		return fail(n, "%s: expected a mapping", strings.TrimSuffix(prefix, "."))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			return &cfgError{line: k.Line, err: fmt.Errorf("duplicate key %q", prefix+k.Value)}
		}
		seen[k.Value] = true
		if ce := fn(k.Value, v); ce != nil {
			if ce.line == 0 {
				ce.line = k.Line
			}
			return ce
		}
	}
	return nil
}

func scalar(n *yaml.Node, key string) (string, *cfgError) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", fail(n, "%s: expected a single value", key)
	}
	return strings.TrimSpace(n.Value), nil
}

func strList(n *yaml.Node, key string) ([]string, *cfgError) {
	if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		return []string{n.Value}, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, fail(n, "%s: expected a list of strings", key)
	}
	var out []string
	for _, e := range n.Content {
		s, ce := scalar(e, key)
		if ce != nil {
			return nil, fail(e, "%s: expected a list of strings", key)
		}
		if s == "" {
			return nil, fail(e, "%s: empty value", key)
		}
		out = append(out, s)
	}
	return out, nil
}

func globs(n *yaml.Node, key string) ([]string, *cfgError) {
	l, ce := strList(n, key)
	if ce != nil {
		return nil, ce
	}
	for i, p := range l {
		if !doublestar.ValidatePattern(p) {
			at := n
			if n.Kind == yaml.SequenceNode {
				at = n.Content[i]
			}
			return nil, fail(at, "%s: invalid glob pattern %q", key, p)
		}
	}
	return l, nil
}

func weight(n *yaml.Node, key string) (float64, *cfgError) {
	s, ce := scalar(n, key)
	if ce != nil {
		return 0, ce
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f <= 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fail(n, "%s: expected a positive number, got %q", key, s)
	}
	return f, nil
}

var sizeUnits = map[string]float64{
	"": 1, "B": 1, "K": 1e3, "KB": 1e3, "M": 1e6, "MB": 1e6, "G": 1e9, "GB": 1e9, "T": 1e12, "TB": 1e12,
	"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40,
}

func size(n *yaml.Node, key string) (int64, *cfgError) {
	s, ce := scalar(n, key)
	if ce != nil {
		return 0, ce
	}
	m := sizeRE.FindStringSubmatch(s)
	if m == nil {
		return 0, fail(n, "%s: invalid size %q (use bytes, or a number with KB, MB, GB, KiB, MiB or GiB)", key, s)
	}
	f, _ := strconv.ParseFloat(m[1], 64)
	f *= sizeUnits[m[2]]
	if f < 1 || f > math.MaxInt64/2 {
		return 0, fail(n, "%s: size %q out of range", key, s)
	}
	return int64(f), nil
}

func jsonMapping(n *yaml.Node, m *JSONMapping) *cfgError {
	return walkMapping(n, "json.", func(k string, v *yaml.Node) *cfgError {
		var ce *cfgError
		fields := map[string]*string{
			"id": &m.ID, "title": &m.Title, "body": &m.Body, "url": &m.URL,
			"description": &m.Description, "date": &m.Date, "lang": &m.Lang,
		}
		if k == "facets" {
			m.Facets, ce = strList(v, "json.facets")
			return ce
		}
		p, ok := fields[k]
		if !ok {
			return failKey("unknown key \"json.%s\" (known: id, title, body, url, description, date, lang, facets)", k)
		}
		if *p, ce = scalar(v, "json."+k); ce == nil && *p == "" {
			ce = fail(v, "json.%s: empty field name", k)
		}
		return ce
	})
}
