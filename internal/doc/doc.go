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
