// Package fuzzy is a Levenshtein automaton over UTF-8 bytes for typo
// expansion: it accepts the words within an edit distance (0, 1 or 2) of a
// term, an adjacent transposition counting as one edit, and implements
// vellum.Automaton and vellum.FuzzyAutomaton, so that an FST search
// reports each word's distance.
//
// It accepts exactly the language of vellum/levenshtein's
// NewLevenshteinAutomatonBuilder(d, true).BuildDfa(term, d), with the
// same distances (restricted Damerau-Levenshtein, or optimal string
// alignment, counted in runes) and the same reading of bytes that are not
// UTF-8 (a byte below 0xC0 is one character; a lead byte takes as many
// bytes as its length says, whatever they are). Tested against vellum: FST
// searches over the seed, Cranfield and Hugo docs dictionaries (every 50th
// term, a 1-edit and a 2-edit mutation of it, non-ASCII and empty words,
// d = 0, 1, 2) return the same terms in the same order with the same
// distances, and a fuzz target walks random (word, key) pairs through
// both. vellum is wrong for terms of more than 32 bytes with multi-byte
// runes (its characteristic vectors are computed over 32-byte chunks but
// indexed by rune), where the tests do not compare.
//
// It does not use vellum's builder, which names its states with
// encoding/json and crypto/md5 (138 kB brotli in the WebAssembly module;
// this package costs 3.8 kB) and gives each state a 1 kB byte-transition
// table. A state here is the row of the distance matrix for the input read
// so far, clipped at d+1, with the transposition candidates, keyed by its
// bytes; states are built eagerly over the term's distinct runes plus
// "any other rune" (dozens to a few hundred states), and a multi-byte
// rune is decoded in the state number while it is read.
//
// Measured on the Cranfield dictionary (5,134 terms; every 20th term of
// 5-12 letters as the query; amd64 on a loaded machine, so ranges over
// runs; BenchmarkBuild, BenchmarkSearch): construction takes 36-48 µs at
// d=1 and 0.11-0.26 ms at d=2, against 0.16-0.33 ms and 1.6-2.9 ms for
// vellum's BuildDfa; construction plus the FST search 0.10-0.11 ms and
// 0.27-0.60 ms, against 0.35-0.45 ms and 1.8-1.9 ms.
package fuzzy
