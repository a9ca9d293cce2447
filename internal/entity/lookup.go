package entity

import "strings"

// maxLookupWords bounds the names matched in headings and label lines.
const maxLookupWords = 6

// applyLookups adds the documents whose headings or label lines name an
// entity of cs, the clusters confident keeps ("Categories: China").
// Title-case headings are not chunked ("WhatsApp Copying WeChat" is no
// entity). A gazetteer place that is not in cs still takes its words
// ("Hong Kong" is not read as "Hong" and "Kong"), but adds nothing: a
// place named only in headings is no filter (rule 1 of confident).
// Clusters left out of cs take nothing either, so whether one was
// accepted before confident dropped it does not matter (see worthAsking).
func (x *extractor) applyLookups(cs []*cluster) []*cluster {
	index := map[string]*cluster{}
	for _, c := range cs {
		for _, k := range c.keys {
			index[k] = c
		}
		index[mergeKey(c.name)] = c
	}
	l := getLexicon()
	for _, ll := range x.lookups {
		toks := ll.toks
		for i := 0; i < len(toks); i++ {
			if !toks[i].isName() {
				continue
			}
			for n := maxLookupWords; n >= 1; n-- {
				if i+n > len(toks) || !allNames(toks[i:i+n]) {
					continue
				}
				surface := joinWords(toks[i : i+n])
				c := index[mergeKey(surface)]
				if c == nil {
					if _, ok := l.place(surface); !ok {
						continue
					}
				} else {
					c.docs[ll.doc] = true
				}
				i += n - 1
				break
			}
		}
	}
	return cs
}

// allNames reports whether toks is a run of name words (possessive only at
// the end) without hyphen splits inside.
func allNames(toks []token) bool {
	for i, t := range toks {
		if !t.isName() && !(i > 0 && i < len(toks)-1 && connectors[t.text]) {
			return false
		}
		if i > 0 && (t.glued || toks[i-1].poss) {
			return false
		}
	}
	return !strings.HasPrefix(toks[0].text, "'")
}
