// Package doc defines the document model shared by every ingester, the
// entity extractor and the index builder: one Document is one searchable
// page (or record) of a corpus, already reduced to plain text.
package doc

// Document is one searchable unit of a corpus, reduced to plain text by an
// ingester. Only ID and Body are required; the rest is optional.
type Document struct {
	// ID is stable across builds: the path relative to the corpus root
	// (slash-separated), or a record's id for JSON input.
	ID string `json:"id"`
	// Title is the display title; ingesters derive one when the source has none.
	Title string `json:"title"`
	// URL is where a result links to (relative URLs allowed).
	URL string `json:"url"`
	// Body is the plain text of the main content.
	Body string `json:"body"`
	// Description is a short summary (HTML meta description, front matter).
	Description string `json:"description,omitempty"`
	// Lang is the document's language tag when known (e.g. "en").
	Lang string `json:"lang,omitempty"`
	// Date is the publication date as written in the source, when known.
	Date string `json:"date,omitempty"`
	// Sections split Body into headed parts with anchors (sub-results).
	Sections []Section `json:"sections,omitempty"`
	// Facets holds author-supplied taxonomies (front-matter tags,
	// categories, authors, extra JSON fields): facet name -> values.
	Facets map[string][]string `json:"facets,omitempty"`
}

// Section is a headed part of a document that can be linked to directly.
type Section struct {
	// Anchor is the fragment id (without '#') the heading carries.
	Anchor string `json:"anchor"`
	// Heading is the heading's text.
	Heading string `json:"heading"`
	// Text is the plain text of the section (heading excluded).
	Text string `json:"text"`
}

// Limits on what one document carries into the index. Every title, tag
// and entity is loaded by every search and shown in results and filters,
// so one hostile file could otherwise slow every query. Measured here (2
// cores): a Markdown page with a 10 MB title took 108 s and 6 GB to build
// and 5 s per query; one with 10 MB of front-matter tags (1.1 million) 193
// s and 3.2 GB to build, and a query answered 28 MB of filter values. The
// ingesters cut or drop what goes over them, with a warning naming the
// file; the builder applies MaxFacetValues to the entities it finds.
//
// The values leave generous room over real corpora (measured with
// ingest.Dir and build.Corpus): the longest title is 79 characters in the
// PHP manual (10,872 pages), 51 in the Hugo docs (991 pages) and 57 in the
// seed articles; the longest heading 60; no page has more than 1 value in
// a front-matter taxonomy, the longest value is 9 characters; the most
// entities of one type on a page is 20 (Hugo docs), 16 (seeds).
const (
	// MaxTitleRunes is the longest title or section heading kept, in
	// characters; longer ones are cut at a word boundary and end in "…".
	MaxTitleRunes = 200
	// MaxFacetValues is the most values a document has in one facet (a
	// taxonomy such as tags, or an entity type); further ones are dropped.
	MaxFacetValues = 100
	// MaxFacetValueRunes is the longest facet value kept, in characters;
	// a longer one is dropped (cut, it would not name the same thing).
	MaxFacetValueRunes = 100
)
