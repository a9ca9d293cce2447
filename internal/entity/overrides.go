package entity

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Overrides are hand corrections applied after extraction, loaded from a
// YAML file (corpus/entities.yaml for the seed corpus):
//
//	# Every entry names one entity. Keys: name (required), type, aliases, hide.
//	entities:
//	  - name: Yizhibo            # canonical name to use
//	    aliases: [Yizhibohave]   # other surface forms, merged into this entity
//	    type: product            # force the type: person, org, place, product, event
//	  - name: Dragon
//	    hide: true               # drop the entity from the output
//	  - name: New Retail         # matches nothing extracted: added as a new
//	    type: product            # entity (type defaults to org) in every document
//	                             # whose title or body has the name or an alias
//	                             # as a whole, case-sensitive phrase
//
// An entry applies to every extracted entity whose name, alias or merge key
// equals its name or one of its aliases (case and punctuation folded, as
// for "U.S."/"US"); several matches are merged into one entity named
// after the entry. Syntax errors, unknown keys, unknown types, entries
// without a name and duplicate names stop loading with "file:line: reason".
type Overrides struct {
	// Path is the file the overrides were read from (for messages).
	Path string
	// Entries are the corrections, in file order.
	Entries []OverrideEntry
}

// OverrideEntry is one entity correction.
type OverrideEntry struct {
	Name    string   // canonical name (required)
	Type    Type     // forced type; "" keeps the extracted one
	Aliases []string // extra surface forms merged into the entity
	Hide    bool     // drop the entity
	Line    int      // line of the entry in the file
}

var entryKeys = "name, type, aliases, hide"

// LoadOverrides parses an override file (YAML). Errors name the file, line
// and reason, e.g. `corpus/entities.yaml:7: unknown type "persn" (want
// person, org, place, product, event)`.
func LoadOverrides(path string) (*Overrides, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("entity: reading overrides: %w", err)
	}
	return ParseOverrides(path, data)
}

// yamlLineRe finds the line number in yaml.v3 error messages.
var yamlLineRe = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// ParseOverrides parses override YAML; path is only used in messages.
func ParseOverrides(path string, data []byte) (*Overrides, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		if m := yamlLineRe.FindStringSubmatch(err.Error()); m != nil && m[1] != "" {
			line, _ := strconv.Atoi(m[1])
			if strings.HasPrefix(m[2], "did not find expected") {
				// yaml.v3 numbers parser errors from 0 (at the enclosing
				// block or flow collection); scanner errors from 1.
				line++
			}
			return nil, fmt.Errorf("%s:%d: %s", path, line, m[2])
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	o := &Overrides{Path: path}
	if len(root.Content) == 0 {
		return o, nil // empty file
	}
	top := root.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, posErr(path, top, "want a mapping with key \"entities\"")
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		if k.Value != "entities" {
			return nil, posErr(path, k, fmt.Sprintf("unknown key %q (want entities)", k.Value))
		}
		if v.Kind != yaml.SequenceNode {
			if v.Tag == "!!null" {
				continue
			}
			return nil, posErr(path, v, "entities: want a list of entries")
		}
		for _, item := range v.Content {
			e, err := parseEntry(path, item)
			if err != nil {
				return nil, err
			}
			key := foldKey(e.Name)
			if prev, dup := seen[key]; dup {
				return nil, posErr(path, item, fmt.Sprintf("duplicate entry %q (first at line %d)", e.Name, prev))
			}
			seen[key] = e.Line
			o.Entries = append(o.Entries, e)
		}
	}
	return o, nil
}

// parseEntry reads one entry mapping.
func parseEntry(path string, n *yaml.Node) (OverrideEntry, error) {
	e := OverrideEntry{Line: n.Line}
	if n.Kind != yaml.MappingNode {
		return e, posErr(path, n, "entry: want a mapping with keys "+entryKeys)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "name":
			if v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" {
				return e, posErr(path, v, "name: want a non-empty string")
			}
			e.Name = strings.TrimSpace(v.Value)
		case "type":
			t := Type(strings.TrimSpace(v.Value))
			if v.Kind != yaml.ScalarNode || !t.Valid() {
				return e, posErr(path, v, fmt.Sprintf("unknown type %q (want %s)", v.Value, typeList()))
			}
			e.Type = t
		case "aliases":
			switch v.Kind {
			case yaml.ScalarNode:
				e.Aliases = append(e.Aliases, strings.TrimSpace(v.Value))
			case yaml.SequenceNode:
				for _, a := range v.Content {
					if a.Kind != yaml.ScalarNode || strings.TrimSpace(a.Value) == "" {
						return e, posErr(path, a, "aliases: want a list of strings")
					}
					e.Aliases = append(e.Aliases, strings.TrimSpace(a.Value))
				}
			default:
				return e, posErr(path, v, "aliases: want a list of strings")
			}
		case "hide":
			b, err := strconv.ParseBool(v.Value)
			if v.Kind != yaml.ScalarNode || err != nil {
				return e, posErr(path, v, fmt.Sprintf("hide: want true or false, got %q", v.Value))
			}
			e.Hide = b
		default:
			return e, posErr(path, k, fmt.Sprintf("unknown key %q (want %s)", k.Value, entryKeys))
		}
	}
	if e.Name == "" {
		return e, posErr(path, n, "entry has no name")
	}
	return e, nil
}

func posErr(path string, n *yaml.Node, msg string) error {
	return fmt.Errorf("%s:%d: %s", path, n.Line, msg)
}

func typeList() string {
	s := make([]string, len(Types))
	for i, t := range Types {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// matches reports whether cluster c is named by one of the fold keys.
func (c *cluster) matches(targets map[string]bool) bool {
	if targets[foldKey(c.name)] || targets[mergeKey(c.name)] {
		return true
	}
	for _, k := range c.keys {
		if targets[k] {
			return true
		}
	}
	for s := range c.surfaces {
		if targets[foldKey(s)] {
			return true
		}
	}
	return false
}

// apply runs the entries in order over the extracted clusters.
func (o *Overrides) apply(cs []*cluster, x *extractor) []*cluster {
	for _, e := range o.Entries {
		targets := map[string]bool{foldKey(e.Name): true, mergeKey(e.Name): true}
		for _, a := range e.Aliases {
			targets[foldKey(a)], targets[mergeKey(a)] = true, true
		}
		var hit *cluster
		for _, c := range cs {
			if c.hidden || !c.matches(targets) {
				continue
			}
			if e.Hide {
				c.hidden = true
				continue
			}
			if hit == nil {
				hit = c
				continue
			}
			hit.absorb(c) // several extracted entities are one
		}
		if e.Hide {
			continue
		}
		if hit == nil {
			hit = x.phraseCluster(e)
			if hit == nil {
				continue
			}
			cs = append(cs, hit)
		}
		if hit.name != e.Name {
			hit.extra = append(hit.extra, hit.name)
			hit.name = e.Name
		}
		hit.extra = append(hit.extra, e.Aliases...)
		if e.Type != "" {
			hit.typ = e.Type
		}
	}
	return cs
}

// absorb moves the mentions of d into c and hides d.
func (c *cluster) absorb(d *cluster) {
	c.mentions = append(c.mentions, d.mentions...)
	for s, n := range d.surfaces {
		c.surfaces[s] += n
	}
	for doc := range d.docs {
		c.docs[doc] = true
	}
	c.keys = append(c.keys, d.keys...)
	c.extra = append(c.extra, d.extra...)
	c.extra = append(c.extra, d.name)
	d.hidden = true
}

// phraseCluster builds an added entity from exact phrase matches of the
// entry's name and aliases; nil when no document contains them.
func (x *extractor) phraseCluster(e OverrideEntry) *cluster {
	c := &cluster{name: e.Name, typ: Org, surfaces: map[string]int{}, docs: map[int]bool{},
		keys: []string{mergeKey(e.Name)}}
	if e.Type != "" {
		c.typ = e.Type
	}
	for _, p := range append([]string{e.Name}, e.Aliases...) {
		re := regexp.MustCompile(`(?:^|[^\p{L}\p{N}])` + regexp.QuoteMeta(normalize(p)) + `(?:$|[^\p{L}\p{N}])`)
		for i, d := range x.docs {
			if re.MatchString(normalize(d.Title)) || re.MatchString(normalize(d.Body)) {
				c.docs[i] = true
			}
		}
	}
	if len(c.docs) == 0 {
		return nil
	}
	return c
}
