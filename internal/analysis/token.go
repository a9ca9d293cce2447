package analysis

// Kind is the type of a token, as bleve's unicode tokenizer types it.
type Kind uint8

// Token kinds.
const (
	// AlphaNumeric is a word: letters, possibly mixed with digits,
	// connectors and the punctuation allowed inside words.
	AlphaNumeric Kind = iota
	// Numeric is a number: digits joined by "." "," ";" "'" or "_".
	Numeric
	// Ideographic is one Han ideograph or Hiragana character, or a run
	// of Katakana.
	Ideographic
)

// Token is one word of a text.
type Token struct {
	// Term is the word: the input bytes for Tokenize, the indexed form
	// (lower-cased, apostrophes handled, stemmed) for Analyze.
	Term string
	// Start and End are the byte offsets of the word in the input.
	Start, End int
	// Position is the word's 1-based rank among the text's words.
	Position int
	// Kind is the word's type.
	Kind Kind
}
