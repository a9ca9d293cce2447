// Package entity extracts named entities (people, organisations, places,
// products, events) from a corpus at build time, so the search UI can offer
// them as filters.
//
// Extraction runs in five stages:
//
//  1. Mentions. Each document is scanned on its own, by a bounded pool of
//     runtime.GOMAXPROCS workers; the scans are merged in document order.
//     Each line of a document's title and body is classified as code
//     (template actions, config and JSON lines, shell commands, markup,
//     indented blocks: skipped, but their capitalised identifiers are
//     counted), running text, a title-case heading (one capitalised word
//     alone counts), a label line ("Categories: ...") or a byline ("By Adam
//     Skuse Source:Global Times Published: ..."). Running text is tokenised
//     and chunked into proper-name spans (capitalised words, acronyms,
//     "of"-joined names like "Department of Defence"); words shaped like
//     code ("resources.Get", "logLevel", "GetPage", "README.md") or glued to
//     code punctuation (".Permalink", "HUGO_ENV", "layouts/Foo",
//     "Europe/Oslo") are never part of a name. Leading sentence-initial
//     common words, articles, honorifics and nationality adjectives are
//     trimmed. Every mention collects type votes from its context:
//     gazetteer hits, name heads (Inc, Group, Bank, Pay, Conference), first
//     names and family names, cue nouns around it ("startup X", "apps like
//     X", "X, a broadcasting platform", "X province", "X templates").
//  2. Corpus statistics refine the mentions: one-word names used as code
//     identifiers about as often as in prose ("{{ .Permalink }}", "the
//     Permalink method", "press the Save button") are dropped;
//     sentence-initial words this corpus mostly writes in lower case are
//     trimmed ("Install Hugo" -> "Hugo"); a given name used alone as a name
//     in more documents than the full span is no person evidence ("Hugo
//     Modules" next to "Hugo").
//  3. Entities. Mentions are merged into canonical entities (possessives and
//     legal suffixes dropped, case folded, gazetteer aliases such as
//     "U.S." -> "United States", surname-only mentions joined to full names
//     unless the bare name is typed org/product by its own evidence,
//     "Long Name (ACR)" acronyms, "Showtime" -> "Showtime Analytics" when
//     the short form never occurs alone); junk is rejected (common words,
//     words the corpus writes in lower case, heading-only words, months,
//     nationality adjectives, language names, currency codes, generic
//     technical acronyms like URL or YAML, acronyms defined by lower-case
//     words); the type is decided by summing the votes of all mentions
//     across the corpus. A place needs gazetteer evidence or a place cue:
//     "in X" or "X-based" alone do not make one, and an acronym is never a
//     place unless the gazetteer knows it.
//  4. Names seen only at sentence starts are checked with the prose NER
//     model (github.com/jdkato/prose/v2), run only on the distinct sentences
//     that hold them, in parallel with one shared read-only model; its
//     labels are not used. Headings and label lines then add documents for
//     names already known.
//  5. Only confident entities are kept (confidence.go): seen in running
//     text, not made of the corpus's ordinary words, not a sentence
//     starter, and typed by evidence unless the corpus is one where most
//     names are (news: yes; software manuals: no). Overrides apply last.
//
// Output is deterministic: the same documents give byte-identical output
// whatever the scheduling or the number of workers.
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

// extractor holds the state of one Extract call: the documents and the
// merged scans of all of them.
type extractor struct {
	scan
	docs       []doc.Document
	proseLines [][]string // per document: running-text lines holding candidates

	askAll bool // ask prose about every cluster it may be asked about (tests: worthAsking's oracle)
	asked  int  // how many clusters prose was asked about
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
	return newExtractor(docs).extract(opts)
}

// extract runs the stages of Extract on x's documents.
func (x *extractor) extract(opts Options) ([]Entity, error) {
	x.scanAll()
	cs, err := x.cluster()
	if err != nil {
		return nil, fmt.Errorf("entity: %w", err)
	}
	cs = x.applyLookups(x.confident(cs, nil))
	if opts.Overrides != nil {
		cs = opts.Overrides.apply(cs, x)
	}
	return finish(cs, x.docs), nil
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
