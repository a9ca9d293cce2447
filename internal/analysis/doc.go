// Package analysis is Quarry's text analysis, shared by the native index
// builder (through internal/schema, which registers it in bleve's
// registry) and the WebAssembly search engine (which links neither bleve
// nor its registry): a word tokenizer, lower-casing, apostrophe handling
// and Snowball stemming per language.
//
// # Tokenizer
//
// Tokenize reproduces bleve's "unicode" tokenizer, that is
// github.com/blevesearch/segment's UAX #29 word segmentation with its
// non-word segments dropped, from the unicode package's tables instead of
// segment's generated ones. segment is a Ragel longest-match scanner over
// a few patterns (numbers, Hangul runs, Katakana runs, words, one Han or
// Hiragana character each); Tokenize compiles the same patterns, as small
// regular expressions over "a rune and the Extend/Format runes after it",
// into one 44-position Glushkov automaton and keeps the longest match, the
// earlier pattern winning ties. It keeps segment's deviations from the
// UAX #29 pair rules: "_" alone is a word, a Hangul-script rune starts a
// word of Hangul runes, "x'ב'" ends before the last quote, letters of
// Thai, Lao, Myanmar, Khmer and the other Line_Break=SA scripts are not
// words, and a non-word rune of more than one byte does not take the
// Extend/Format runes after it (segment scans bytes).
//
// Measured against segment (segment_test.go, corpus_test.go): identical
// token streams (term bytes, offsets, positions, kinds) on every text of
// the seed corpus (10 texts, 3,973 tokens), Cranfield (2,800; 241,789),
// CACM (6,408; 203,179), the Hugo docs (1,890; 160,125) and the PHP
// manual (21,744; 1,634,861): 100%. Over the Basic Multilingual Plane,
// every code point alone and in ten contexts gives the same tokens except
// 318, all assigned or given other properties after Unicode 8.0, whose
// tables segment was generated from; the unicode package follows Unicode
// 15.0 and Tokenize follows it there (and in the supplementary planes,
// where about 19,000 code points of newer scripts and CJK extensions
// differ). Matching Unicode 8.0 exactly would mean shipping tables again:
// segment costs +61.5 kB brotli in the WebAssembly module, Tokenize +12.8
// kB (over a main with fmt, strings and unicode).
//
// Invalid UTF-8 bytes separate words. segment stops at an invalid byte
// after a non-word or another invalid byte and loses the rest of the
// text ("\xff\xfe\xfd alibaba" gave no word); apart from that, Tokenize
// of any text is segment's tokens of the text with each invalid byte made
// a space, which the fuzz target checks.
//
// On Cranfield Tokenize takes about half the time of bleve's unicode
// tokenizer (BenchmarkTokenize: 79-100 ms against 146-213 ms for the
// 241,789 words, on a loaded machine; an ASCII fast path covers most
// words). Compiled to WebAssembly it is slower, and the automaton more so:
// ASCII separators are skipped without it, and a word followed by one
// mid-word punctuation rune (". , ; : '") and a rune that cannot continue
// it ends there without it (under Node, Cranfield: 46 → 33.5 ms).
//
// # Analyzer
//
// Analyzer applies, per token: lower-casing exactly as bleve's lowercase
// filter (unicode.ToLower per rune; a capital sigma ending the word
// becomes final sigma; from a rune whose lower case is longer in UTF-8 on,
// the rest without that rule), checked against the filter over the first
// two planes and every word of the corpora; the apostrophe handling of
// Quarry's former ApostropheFilter; and the language's Snowball stemmer
// for AlphaNumeric tokens, memoised: internal/porter2 for English (the
// stems of github.com/kljensen/snowball/english, without its imports),
// github.com/kljensen/snowball for the other six.
//
// Find, which locates a search's terms in the text of its hits for their
// excerpts, stems only the words whose first runes (lower-cased) begin
// one of the terms: stems begin with their word's first
// Language.StemKeeps runes, two in English (porter2.KeptRunes, but for
// the words of porter2.Rewritten), one for the other stemmers. Each
// Cranfield question's words looked for in ten abstracts: 41.9% of the
// words went to the stemmer with one rune, 13.9% with two; with the
// tokenizer's fast paths, Find takes 30% less time under Node (28 against
// 40 ms for every abstract, BenchmarkFind), and a Cranfield question
// about 13% less in the engine (p50 1.07–1.18 against 1.30–1.50 ms).
//
// # Languages
//
// Each language is in its own file, built unless the tag quarry_lang is
// set, then only with its own tag: -tags quarry_lang,quarry_lang_english
// links English alone. In the WebAssembly module (brotli, over the same
// base): the English Analyzer +64.8 kB, of which kljensen's English
// stemmer +42.5 kB (it brings packages testing and flag along, through
// kljensen/snowball/romance); all seven languages +130.9 kB. Once the
// engine's own code stopped importing fmt, kljensen's stemmer was what
// kept fmt, testing, flag and os in quarry.wasm: 835,702 B of brotli with
// it, 739,797 B with internal/porter2 instead. The other languages'
// engines still link kljensen (and so testing). The former
// chain (bleve's unicode tokenizer and lowercase filter through bleve's
// analysis package, with the English stemmer) costs +382 kB, most of it
// the encoding/json, json-iterator and time code bleve's registry brings.
package analysis
