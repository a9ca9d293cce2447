package indexfile

// Index is what the builder hands Encode: the documents, the postings of
// every searchable text field, and the facets.
type Index struct {
	// Language is the analyzer language the index was built with.
	Language string
	// Generator names the program that wrote the index.
	Generator string
	// TitleBoost and BodyBoost are the query-time field weights.
	TitleBoost, BodyBoost float64
	// Docs are the documents, numbered by their position.
	Docs []Doc
	// Fields are the searchable text fields (title, body, url).
	Fields []Field
	// Facets are the keyword fields that filter and count.
	Facets []Facet
	// Entities lists the entities found at build time. They are not in
	// the index the browser reads but in a file of their own that only
	// the command line reads (Encoded.Entities, DecodeEntities).
	Entities []EntityMeta
}

// Doc is what results show about a document.
type Doc struct {
	ID, Title, URL string
	// Sections are the document's headed parts that can be linked to.
	Sections []SectionMeta
	// Body is the display text excerpts are cut from.
	Body string
}

// SectionMeta locates a headed section inside a document's body text.
type SectionMeta struct {
	// Anchor is the fragment id of the heading (without '#').
	Anchor string
	// Heading is the heading's text.
	Heading string
	// Start is the byte offset in the body where the section begins.
	Start int
}

// EntityMeta is an entity found in the corpus: its canonical name (the
// value of its facet field), type (the facet field), the other forms it
// was written in, and the ids of the documents mentioning it.
type EntityMeta struct {
	Name    string   `json:"name"`
	Type    string   `json:"type"`
	Aliases []string `json:"aliases"`
	Docs    []string `json:"docs"`
}

// Field is one searchable text field.
type Field struct {
	Name string
	// Positions says whether token positions are kept (phrases).
	Positions bool
	// Lengths holds each document's number of tokens in the field.
	Lengths []uint32
	// ExpandMinDF is the fewest documents a term needs to be in the
	// head's dictionary, which prefix and typo expansion read before any
	// part is fetched (1: every term; see dictTerms in the builder).
	ExpandMinDF int
	// Terms are the field's terms in byte order.
	Terms []Term
}

// Term is one term's postings in one field.
type Term struct {
	Text string
	// Docs are ascending document numbers; Freqs their term frequencies.
	Docs  []uint32
	Freqs []uint32
	// Pos holds, when the field keeps positions, each document's token
	// positions (1-based, ascending; len(Pos[i]) == Freqs[i]).
	Pos [][]uint32
}

// Facet is a keyword field: its values in byte order and the documents
// having each.
type Facet struct {
	Field  string
	Values []FacetValue
}

// FacetValue is one value of a facet and its documents (ascending).
type FacetValue struct {
	Value string
	Docs  []uint32
}
