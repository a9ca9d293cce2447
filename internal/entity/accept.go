package entity

import (
	"regexp"
	"strings"
	"unicode"
)

var pluralAcronym = regexp.MustCompile(`^\p{Lu}{2,}s$`)

// junkName reports names that are never entities on their own.
func (x *extractor) junkName(name string) bool {
	l := getLexicon()
	words := strings.Fields(name)
	letters := 0
	for _, r := range name {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	switch {
	case letters < 2, l.isDemonym(name), currencies[name], x.junkAcronyms[name],
		pluralAcronym.MatchString(name), l.languages[strings.ToLower(name)]:
		return true
	case len(words) == 1 && l.generic[strings.ToLower(name)]:
		return true
	case len(words) == 1 && isCalendar(name):
		return true
	case len(words) == 2 && isCalendar(words[0]) && !unicode.IsLetter(rune(words[1][0])):
		return true
	}
	return false
}

// allCommon reports whether every word of name is an ordinary word: in
// the common list, or seen more often in lower case than capitalised.
func (x *extractor) allCommon(name string) bool {
	l := getLexicon()
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return r == ' ' || r == '-' }) {
		lw := strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "'"))
		if !hasLetter(lw) {
			return false
		}
		if !l.isCommon(lw) && x.lowerVocab[lw] <= x.capVocab[lw] &&
			!(len(lw) >= 4 && isAcronym(w) && x.lowerVocab[lw] >= 2) { // "NOTICE" next to "notice"
			return false
		}
	}
	return true
}

// verdict is what judge decides about a cluster.
type verdict int

const (
	rejected verdict = iota
	accepted
	askProse // seen only at sentence starts: prose NER decides
)

// judge decides whether a cluster is a real entity.
func (x *extractor) judge(c *cluster) verdict {
	if x.junkName(c.name) {
		return rejected
	}
	if c.place != "" {
		return accepted
	}
	strong, proper := false, 0
	for _, m := range c.mentions {
		strong = strong || m.strong || m.firstName
		if !m.initial {
			proper++
		}
	}
	initial := len(c.mentions) - proper
	oneWord := !strings.ContainsAny(c.name, " -") && !isAcronym(c.name)
	low := strings.ToLower(c.name)
	switch {
	case oneWord && x.lowerVocab[low] >= 10 && x.lowerVocab[low] >= 5*x.capVocab[low]:
		return rejected // an ordinary word of this corpus ("Local", "Feature"), whatever the cues
	case strong:
		return accepted
	case x.allCommon(c.name):
		return rejected
	case oneWord && x.headVocab[c.name] >= 3 && x.headVocab[c.name] > 2*len(c.mentions):
		return rejected // a heading word: "Overview", "Synopsis"
	case oneWord && initial > proper && wordLike(c.name):
		return rejected // "Fetching", "Conceptually", "Authorize"
	case proper > 0:
		return accepted
	}
	// Seen only at sentence starts (and never in lower case, see
	// allCommon): the statistical model must agree.
	return askProse
}

// wordSuffixes are English inflections and derivations; capitalised
// words with them are rarely names ("Fetching", "Conceptually").
var wordSuffixes = []string{"ing", "ly", "ed", "ous", "ize", "ise", "ible", "able", "ful", "less", "ment",
	"tion", "sion", "ness", "ive", "ity", "ism", "ial", "ical", "est"}

// wordLike reports whether a one-word name seen only at sentence starts
// looks like an ordinary English word by its ending (and is no given
// name: "Fred said ...").
func wordLike(name string) bool {
	if len(name) < 5 || getLexicon().firstNames[name] {
		return false
	}
	low := strings.ToLower(name)
	for _, suf := range wordSuffixes {
		stem := 3
		if len(suf) >= 4 {
			stem = 2 // "Unable", "Useless"
		}
		if strings.HasSuffix(low, suf) && len(low)-len(suf) >= stem {
			return true
		}
	}
	return false
}

// decideType sums the votes of all mentions; ties go to org, then
// product, place, person, event; no evidence at all means org. A place
// needs gazetteer evidence or a place cue ("X province", "X-based");
// prepositions ("in X") only add to such a cue, and an acronym is never
// a place unless the gazetteer knows it.
func (x *extractor) decideType(c *cluster) Type {
	if c.place != "" {
		return Place
	}
	var v [nTypes]float64
	weak := 0.0
	for _, m := range c.mentions {
		for t := range v {
			v[t] += m.votes[t]
		}
		weak += m.weakPlace
	}
	if v[tPlace] > 0 {
		v[tPlace] += weak
	}
	if isAcronym(c.name) {
		v[tPlace] = 0
	}
	best := tOrg
	for _, t := range []typeIndex{tProduct, tPlace, tPerson, tEvent} {
		if v[t] > v[best] {
			best = t
		}
	}
	return typeOf[best]
}
