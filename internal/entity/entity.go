// Package entity extracts named entities (people, organisations, places,
// products, events) from a corpus at build time, so the search UI can offer
// them as filters.
//
// Extraction runs in three stages:
//
//  1. Mentions. Each line of a document's title and body is classified as
//     running text, a title-case heading, a label line ("Categories: ...") or a
//     byline ("By Adam Skuse Source:Global Times Published: ..."). Running text
//     is tokenised and chunked into proper-name spans (capitalised words,
//     acronyms, "of"-joined names like "Department of Defence"); leading
//     sentence-initial common words, articles, honorifics and nationality
//     adjectives are trimmed. Every mention collects type votes from its
//     context: gazetteer hits, name heads (Inc, Group, Bank, Pay, Conference),
//     first names and family names, cue nouns around it ("startup X", "apps
//     like X", "X, a broadcasting platform", "X province", "X-based").
//  2. Corpus statistics. The prose NER model (github.com/jdkato/prose/v2) is run
//     on the lines that hold candidates; its spans count as evidence that a
//     name is an entity, its labels only break ties (they are unreliable).
//  3. Entities. Mentions are merged into canonical entities (possessives and
//     legal suffixes dropped, case folded, gazetteer aliases such as
//     "U.S." -> "United States", surname-only mentions joined to full names,
//     "Long Name (ACR)" acronyms, "Showtime" -> "Showtime Analytics"); junk is
//     rejected (common words, months, nationality adjectives, currency codes,
//     acronyms defined by lower-case words); the type is decided by summing
//     the votes of all mentions across the corpus. Headings and label lines
//     then add documents for names already known. Overrides apply last.
//
// Text without any capital letter (e.g. lower-cased abstracts) gives no
// name cues; there only unambiguous countries and regions are matched.
//
// Nothing here is used at query time; the package is build-time only and does
// not depend on bleve.
package entity

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/quarry-search/quarry/internal/doc"
)

// Type is an entity type: "person", "org", "place", "product" (open to
// more, e.g. "event").
type Type string

// The entity types the extractor assigns.
const (
	Person  Type = "person"
	Org     Type = "org"
	Place   Type = "place"
	Product Type = "product"
	Event   Type = "event"
)

// Types lists the valid types in output order.
var Types = []Type{Person, Org, Place, Product, Event}

// Valid reports whether t is one of Types.
func (t Type) Valid() bool {
	for _, v := range Types {
		if t == v {
			return true
		}
	}
	return false
}

// Entity is one canonical entity found across a corpus.
type Entity struct {
	Name    string   `json:"name"`    // canonical name, e.g. "Mark Zuckerberg", "United States"
	Type    Type     `json:"type"`    // one of Types
	Aliases []string `json:"aliases"` // other surface forms seen (sorted, deduplicated, excluding Name)
	Docs    []string `json:"docs"`    // ids of documents mentioning it (sorted)
}

// Options tunes Extract.
type Options struct {
	// Overrides are applied after extraction; nil means none.
	Overrides *Overrides
}

// extractor holds the state of one Extract call.
type extractor struct {
	docs         []doc.Document
	mentions     []*mention
	lookups      []lookupLine
	proseLines   [][]string        // per document: running-text lines holding candidates
	proseKeys    []map[string]bool // per document: fold keys of prose NER spans
	acronyms     [][2]string       // {acronym, long name} from "Long Name (ACR)"
	junkAcronyms map[string]bool   // acronyms spelled out in lower case: "(AI)", "(O2O)"
	lowerVocab   map[string]int    // word -> times seen starting lower case
	capVocab     map[string]int    // word -> times seen capitalised mid-sentence
}

// Extract finds entities in docs (uses Title+Body; Sections' text is
// already part of Body). Output is deterministic and ordered by type (in
// the order of Types), then by descending document count, then name.
func Extract(docs []doc.Document, opts Options) ([]Entity, error) {
	seen := make(map[string]bool, len(docs))
	for i, d := range docs {
		if d.ID == "" {
			return nil, fmt.Errorf("entity: document %d has an empty id", i)
		}
		if seen[d.ID] {
			return nil, fmt.Errorf("entity: duplicate document id %q", d.ID)
		}
		seen[d.ID] = true
	}
	x := &extractor{
		docs:         docs,
		proseLines:   make([][]string, len(docs)),
		junkAcronyms: map[string]bool{},
		lowerVocab:   map[string]int{},
		capVocab:     map[string]int{},
	}
	for i := range docs {
		x.readDoc(i)
	}
	if err := x.runProse(); err != nil {
		return nil, fmt.Errorf("entity: %w", err)
	}
	cs := x.cluster()
	cs = x.applyLookups(cs)
	if opts.Overrides != nil {
		cs = opts.Overrides.apply(cs, x)
	}
	return finish(cs, docs), nil
}

// readDoc splits one document into lines and collects its mentions.
func (x *extractor) readDoc(i int) {
	d := x.docs[i]
	if t := strings.TrimSpace(normalize(d.Title)); t != "" {
		x.lookups = append(x.lookups, lookupLine{doc: i, toks: tokenize(t)})
	}
	if !hasUpper(d.Title) && !hasUpper(d.Body) {
		x.caselessPlaces(i, normalize(d.Title+"\n"+d.Body))
		return
	}
	for _, line := range strings.Split(normalize(d.Body), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if author, source, ok := byline(line); ok {
			x.bylineMentions(i, author, source)
			continue
		}
		toks := tokenize(line)
		x.countVocab(toks)
		if classifyLine(line) != lineNormal {
			x.lookups = append(x.lookups, lookupLine{doc: i, toks: toks})
			continue
		}
		before := len(x.mentions)
		x.chunkLine(i, toks)
		if len(x.mentions) > before {
			x.proseLines[i] = append(x.proseLines[i], line)
		}
	}
}

// bylineMentions records a byline's author (person) and source (org).
func (x *extractor) bylineMentions(i int, author, source string) {
	if author != "" {
		m := &mention{doc: i, surface: author, words: strings.Fields(author), strong: true}
		m.votes[tPerson] = 5
		x.mentions = append(x.mentions, m)
	}
	if source != "" {
		m := &mention{doc: i, surface: source, words: strings.Fields(source), strong: true}
		m.votes[tOrg] = 5
		x.mentions = append(x.mentions, m)
	}
}

// countVocab counts lower-case and mid-sentence capitalised word forms.
func (x *extractor) countVocab(toks []token) {
	for _, t := range toks {
		if !t.word {
			continue
		}
		w := strings.ToLower(t.text)
		if !hasLetter(w) {
			continue
		}
		switch {
		case t.text == w:
			x.lowerVocab[w]++
		case !t.sentStart:
			x.capVocab[w]++
		}
	}
}

// finish converts clusters to sorted entities.
func finish(cs []*cluster, docs []doc.Document) []Entity {
	order := make(map[string]int, len(docs))
	for i, d := range docs {
		order[d.ID] = i
	}
	var out []Entity
	for _, c := range cs {
		if c.hidden || len(c.docs) == 0 {
			continue
		}
		e := Entity{Name: c.name, Type: c.typ, Aliases: []string{}, Docs: []string{}}
		seen := map[string]bool{c.name: true}
		for _, a := range c.aliases() {
			if !seen[a] {
				seen[a] = true
				e.Aliases = append(e.Aliases, a)
			}
		}
		sort.Strings(e.Aliases)
		for d := range c.docs {
			e.Docs = append(e.Docs, docs[d].ID)
		}
		sort.Strings(e.Docs)
		out = append(out, e)
	}
	rank := func(t Type) int {
		for i, v := range Types {
			if v == t {
				return i
			}
		}
		return len(Types)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if rank(a.Type) != rank(b.Type) {
			return rank(a.Type) < rank(b.Type)
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		if len(a.Docs) != len(b.Docs) {
			return len(a.Docs) > len(b.Docs)
		}
		return a.Name < b.Name
	})
	return out
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func hasUpper(s string) bool {
	for _, r := range s {
		if unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// caselessPlaces handles text without any capital letter (e.g. lower-cased
// abstracts), where proper names cannot be told from words: only
// unambiguous countries and curated places are matched.
func (x *extractor) caselessPlaces(i int, text string) {
	l := getLexicon()
	for _, line := range strings.Split(text, "\n") {
		toks := tokenize(line)
		for j := 0; j < len(toks); j++ {
			for n := 4; n >= 1; n-- {
				if j+n > len(toks) {
					continue
				}
				surface := joinWords(toks[j : j+n])
				if p, ok := l.caseless[surface]; ok {
					m := &mention{doc: i, surface: p, words: strings.Fields(p), place: p, strong: true}
					m.votes[tPlace] = 5
					x.mentions = append(x.mentions, m)
					j += n - 1
					break
				}
			}
		}
	}
}
