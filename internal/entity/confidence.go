package entity

import "strings"

// Confidence: which accepted entities are worth offering as filters.
//
// judge accepts a name when it reads like a proper name of this corpus;
// decideType then types it by votes, and a name without any vote becomes
// an organisation by default. On news articles (the seeds) that default
// is usually right: most names there carry cues, and the few that do not
// are companies listed next to ones that do ("Microsoft", "Reuters").
// On technical documentation it is mostly wrong: class names, UI labels
// and sentence starters ("ValueError", "TopRight", "Alternatively") have
// no cue at all. Measured before this rule (build -o, top 30 per type):
// the Hugo docs had 331 organisations, of which the ten largest were
// Emacs Org Mode, Pandoc, Google Analytics, TopRight, Unix...; the PHP
// manual had 1885, led by ValueError (218 docs), Throws ImagickException,
// GmagickException, Traversable, SNOWMAN, and places such as Structured
// Query Language (173 docs) and Reading (36).
//
// The rule keeps an entity only when all of these hold:
//
//  1. It was seen in running text (headings and label lines alone only
//     add documents to names found in prose): "Cascade" and "Meta" were
//     gazetteer places found only in Hugo headings.
//  2. It is not made of this corpus's ordinary words only: words it
//     writes in lower case at least 3 times and at least as often as
//     capitalised mid-sentence ("reading", "pool", "meta": each a
//     gazetteer place elsewhere; "Control Panel", "My Company").
//  3. It is not a sentence starter: at least 3 mentions, fewer than one
//     in ten mid-sentence ("Alternatively" 37/0, "Throws
//     ImagickException" 186/0, "OO" 91/2).
//  4. Its type has evidence (a gazetteer place, or votes for its type
//     making at least half of its votes; for a person, also a name of two
//     to four words, none after the first an ordinary word of the corpus:
//     "Studio", "FastCGI", "SQL Server" and "Virginia Consumer Data
//     Protection Act" were people), unless the corpus is one where
//     evidence is the norm: when at least minEvidenced of the entities
//     passing 1-3 have evidence, the others keep their default type. Measured share: seeds 0.85 (80 of 94), Hugo docs 0.21 (86
//     of 406), PHP manual 0.14 (302 of 2102); the gap is wide, so the
//     threshold sits in the middle. Below minShareSample names the share
//     says too little (±0.22 at 20) and the default is kept.
//
// The seeds' gold scores do not move (precision 0.975, recall 0.992
// without overrides; internal/entity/gold_test.go).
const (
	minEvidenced   = 0.5
	minShareSample = 20
)

// reasons a cluster is not offered; "" when it is.
const (
	notInProse    = "only in headings"
	ordinaryWord  = "an ordinary word of this corpus"
	sentenceStart = "seen only at sentence starts"
	noEvidence    = "no type evidence in a corpus where evidence is rare"
)

// doubt returns why c is not a confident entity ("" when it is), leaving
// out rule 4, which depends on the whole corpus (see confident).
func (x *extractor) doubt(c *cluster) string {
	if len(c.mentions) == 0 {
		return notInProse
	}
	proper := 0
	for _, m := range c.mentions {
		if !m.initial {
			proper++
		}
	}
	words := strings.Fields(c.name)
	generic := true
	for _, w := range words {
		generic = generic && x.ordinary(w)
	}
	if generic {
		return ordinaryWord
	}
	if initial := len(c.mentions) - proper; initial >= 3 && 10*proper < initial {
		return sentenceStart
	}
	return ""
}

// personName reports whether a person's name looks like one: two to four
// words, none after the first an ordinary word of the corpus.
func (x *extractor) personName(name string) bool {
	words := strings.Fields(name)
	if len(words) < 2 || len(words) > 4 {
		return false
	}
	for _, w := range words[1:] {
		if x.ordinary(w) {
			return false
		}
	}
	return true
}

// ordinary reports whether this corpus uses word as an ordinary word: in
// lower case at least 3 times and at least as often as capitalised
// mid-sentence.
func (x *extractor) ordinary(word string) bool {
	low := strings.ToLower(word)
	return x.lowerVocab[low] >= 3 && x.lowerVocab[low] >= x.capVocab[low]
}

// evidenced reports whether c's type rests on evidence rather than on
// the organisation default: a gazetteer place, or votes for its type that
// make at least half of all its votes ("Structured Query Language" was a
// place in 173 PHP pages on 2 place votes against 8 person and 6.5
// product ones, plus weak "in X" votes); a person needs a personal name.
func (x *extractor) evidenced(c *cluster) bool {
	if c.place != "" {
		return true
	}
	if c.typ == Person && !x.personName(c.name) {
		return false
	}
	var all [nTypes]float64
	for _, m := range c.mentions {
		for t := range all {
			all[t] += m.votes[t]
		}
	}
	sum := 0.0
	for _, v := range all {
		sum += max(v, 0)
	}
	v := all[typeIndexOf(c.typ)]
	return v > 0 && 2*v >= sum
}

func typeIndexOf(t Type) typeIndex {
	for i, v := range typeOf {
		if v == t {
			return typeIndex(i)
		}
	}
	return tOrg
}

// worthAsking settles the clusters of ask (seen only at sentence starts,
// see judge) that prose need not be asked about, and returns the others.
// Loading prose's model costs ~0.5 s of CPU and tagging the sentences
// ~0.25 s more: together the largest cost of building the Hugo docs
// (1.2 s; 0.6 s without entities).
//
//   - A cluster with type evidence (see evidenced: "The NixOS
//     distribution", "Chocolatey is a package manager") is accepted: its
//     cues already say it is a name. Prose agreed with 19 of the 21 such
//     clusters of the Hugo docs and the PHP manual ("PHP COM" and
//     "OpenBSD PEAR" it did not) and with the one of the seeds.
//   - A cluster without evidence is asked about only when confident may
//     keep it: doubt (rules 1-3, which look at the cluster alone) finds
//     nothing against it, and rule 4 may not apply. Rule 4 certainly
//     applies when at least minShareSample clusters of out pass doubt
//     and, even with every evidenced one accepted and no other, fewer than
//     minEvidenced of them have evidence (applyLookups runs after
//     confident and takes no part). The others would be dropped whatever
//     prose said: they are not asked, as if prose had said no.
//
// On the Hugo docs and the PHP manual, where evidence is rare, prose is
// not asked at all; on the seeds it decides "Before Zuckerberg" (no).
// TestWorthAskingKeepsTheResult checks that the entities are those of
// asking about every cluster without evidence (x.askAll).
func (x *extractor) worthAsking(out, ask []*cluster) (accept, asked []*cluster) {
	kept, withEvidence := 0, 0
	for _, c := range out {
		if x.doubt(c) == "" {
			kept++
			if x.evidenced(c) {
				withEvidence++
			}
		}
	}
	for _, c := range ask {
		if x.evidenced(c) {
			accept = append(accept, c)
			if x.doubt(c) == "" {
				kept++
				withEvidence++
			}
		}
	}
	rule4 := kept >= minShareSample && float64(withEvidence) < minEvidenced*float64(kept)
	for _, c := range ask {
		if !x.evidenced(c) && (x.askAll || x.doubt(c) == "" && !rule4) {
			asked = append(asked, c)
		}
	}
	return accept, asked
}

// confident keeps the clusters the rule above accepts; dropped receives
// each other one with its reason (nil: not reported).
func (x *extractor) confident(cs []*cluster, dropped func(c *cluster, why string)) []*cluster {
	var kept []*cluster
	withEvidence := 0
	for _, c := range cs {
		if why := x.doubt(c); why != "" {
			if dropped != nil {
				dropped(c, why)
			}
			continue
		}
		kept = append(kept, c)
		if x.evidenced(c) {
			withEvidence++
		}
	}
	if len(kept) < minShareSample || float64(withEvidence) >= minEvidenced*float64(len(kept)) {
		return kept
	}
	out := kept[:0]
	for _, c := range kept {
		if x.evidenced(c) {
			out = append(out, c)
		} else if dropped != nil {
			dropped(c, noEvidence)
		}
	}
	return out
}
