// Package query holds Quarry's query tree and the reader of its query
// language.
//
// The tree is the value passed from the planner (package plan), which
// turns typed text into nodes whose leaves are index terms, to the
// searchers (package searcher), which compile it against an index and
// score it. Two families of nodes score differently:
//
//   - plain-word nodes (Fields, Term, Sum, TitleMatch, Near, All) use
//     Quarry's own BM25 and BM25F (see package searcher);
//   - query-syntax nodes (Bool, Any, BTerm, Phrase, None) reproduce
//     bleve's query-string scoring exactly — idf-squared weights, a query
//     norm and a coordination factor — so that a query written with
//     +must, -not, field:, "phrases", word~N or wild*cards ranks as it
//     always has (checked by a differential test against bleve).
//
// The language is bleve's query-string syntax (+must, -not, field:value,
// "phrase", word~N, wild*card, ^boost) read by a small hand-written lexer
// and parser (Parse), plus AND / OR / NOT between words
// (RewriteOperators). Read decides first, word by word, what is syntax
// and what is natural punctuation (a question's "?", a sentence's ":",
// a quote left open), so that prose is never read as syntax. Regular expressions (/re/) are not supported in
// the browser engine: Go's regexp package costs 101 kB of brotli in
// quarry.wasm (measured), more than the whole query layer.
package query
