package entity

import "strings"

// Passes over the mentions of a corpus that run before they are merged
// into entities: they use corpus statistics (code usage, lower-case
// vocabulary, standalone names) that are only known once every document
// has been read.

// dropCodeNames removes the one-word mentions that corpus evidence shows
// to be code identifiers (see codeName).
func (x *extractor) dropCodeNames() {
	if len(x.codeVocab) == 0 {
		return
	}
	count := map[string]int{}
	for _, m := range x.mentions {
		count[m.surface]++
	}
	kept := x.mentions[:0]
	for _, m := range x.mentions {
		if len(m.words) == 1 && x.codeName(m.surface, count[m.surface]) {
			continue
		}
		kept = append(kept, m)
	}
	x.mentions = kept
}

// trimInitialWords drops the first word of a sentence-initial span when
// this corpus mostly writes that word in lower case and the rest is a
// name of its own: "Install Hugo" -> "Hugo", "Transpile Sass" -> "Sass".
// Given names are kept ("Will Smith").
func (x *extractor) trimInitialWords() {
	known := map[string]bool{}
	for _, m := range x.mentions {
		known[mergeKey(m.surface)] = true
	}
	l := getLexicon()
	for _, m := range x.mentions {
		if !m.initial || len(m.words) < 2 || m.place != "" || m.firstName || l.firstNames[m.words[0]] {
			continue
		}
		w := strings.ToLower(m.words[0])
		rest := strings.Join(m.words[1:], " ")
		if x.lowerVocab[w] >= 2 && x.lowerVocab[w] > x.capVocab[w] && known[mergeKey(rest)] {
			m.surface, m.words = rest, m.words[1:]
			if p, ok := l.place(rest); ok { // "Visit Paris"
				m.place = p
				m.votes[tPlace] += 5
				m.strong = true
			}
		}
	}
}

// voidFirstNames takes back the person evidence of a leading given name
// when that word is used alone as a name in more documents (at least 3)
// than the full span: "Hugo Modules" and "Hugo CLI" next to "Hugo" (the
// product) are not people.
func (x *extractor) voidFirstNames() {
	docs := map[string]map[int]bool{}
	add := func(k string, d int) {
		if docs[k] == nil {
			docs[k] = map[int]bool{}
		}
		docs[k][d] = true
	}
	for _, m := range x.mentions {
		add(mergeKey(m.surface), m.doc)
	}
	for _, m := range x.mentions {
		if !m.firstName {
			continue
		}
		alone := len(docs[foldKey(m.words[0])])
		if alone >= 3 && alone > len(docs[mergeKey(m.surface)]) {
			m.firstName = false
			m.votes[tPerson] -= 3
		}
	}
}
