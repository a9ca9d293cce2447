package entity

import (
	"sort"
	"strings"
)

// cluster is a set of mentions judged to name the same entity.
type cluster struct {
	keys     []string       // merge keys of its mentions (sorted)
	mentions []*mention     // in corpus order
	surfaces map[string]int // surface form -> mentions
	extra    []string       // aliases added by overrides
	docs     map[int]bool   // documents mentioning it
	name     string
	typ      Type
	place    string // canonical gazetteer name when a known place
	hidden   bool
}

// aliases returns every surface form seen plus override aliases.
func (c *cluster) aliases() []string {
	out := make([]string, 0, len(c.surfaces)+len(c.extra))
	for s := range c.surfaces {
		out = append(out, s)
	}
	out = append(out, c.extra...)
	sort.Strings(out)
	return out
}

// foldKey folds case and drops spaces, dots, hyphens and apostrophes, so
// "WeChat"/"Wechat" and "U.S."/"US" compare equal.
func foldKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch r {
		case ' ', '.', '-', '\'', '\t':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mergeKey is foldKey after dropping legal suffixes ("Alibaba Group
// Holdings" -> "alibaba") and known-place canonicalisation.
func mergeKey(surface string) string {
	if p, ok := getLexicon().place(surface); ok {
		return foldKey(p)
	}
	return foldKey(stripSuffixes(surface))
}

// unionFind merges string keys; the smaller key becomes the root so the
// result does not depend on merge order.
type unionFind map[string]string

func (u unionFind) find(k string) string {
	for u[k] != k {
		u[k] = u[u[k]]
		k = u[k]
	}
	return k
}

func (u unionFind) union(a, b string) {
	if _, ok := u[a]; !ok {
		return
	}
	if _, ok := u[b]; !ok {
		return
	}
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return
	}
	if rb < ra {
		ra, rb = rb, ra
	}
	u[rb] = ra
}

// keyStats aggregates the mentions sharing one merge key.
type keyStats struct {
	words []string // words of the first surface
	votes [nTypes]float64
	docs  map[int]bool
}

// cluster merges mentions into entities, types them and drops junk.
func (x *extractor) cluster() ([]*cluster, error) {
	x.dropCodeNames()
	x.trimInitialWords()
	x.voidFirstNames()
	uf := unionFind{}
	stats := map[string]*keyStats{}
	keyOf := make([]string, len(x.mentions))
	for i, m := range x.mentions {
		k := mergeKey(m.surface)
		if m.place != "" {
			k = foldKey(m.place)
		}
		keyOf[i] = k
		uf[k] = k
		s := stats[k]
		if s == nil {
			s = &keyStats{words: m.words, docs: map[int]bool{}}
			stats[k] = s
		}
		for t := range s.votes {
			s.votes[t] += m.votes[t]
		}
		s.docs[m.doc] = true
	}
	keys := make([]string, 0, len(stats))
	for k := range stats {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, a := range x.acronyms {
		uf.union(mergeKey(a[0]), mergeKey(a[1]))
	}
	x.mergeDescriptors(uf, stats, keys)
	x.mergePersons(uf, stats, keys)

	byRoot := map[string]*cluster{}
	var roots []string
	for i, m := range x.mentions {
		r := uf.find(keyOf[i])
		c := byRoot[r]
		if c == nil {
			c = &cluster{surfaces: map[string]int{}, docs: map[int]bool{}}
			byRoot[r] = c
			roots = append(roots, r)
		}
		c.mentions = append(c.mentions, m)
		c.surfaces[m.surface]++
		c.docs[m.doc] = true
		if m.place != "" && c.place == "" {
			c.place = m.place
		}
		if !containsStr(c.keys, keyOf[i]) {
			c.keys = append(c.keys, keyOf[i])
		}
	}
	sort.Strings(roots)
	var out, ask []*cluster
	for _, r := range roots {
		c := byRoot[r]
		sort.Strings(c.keys)
		c.name = canonicalName(c)
		switch x.judge(c) {
		case accepted:
			out = append(out, c)
		case askProse:
			ask = append(ask, c)
		}
	}
	for _, c := range out {
		c.typ = x.decideType(c)
	}
	for _, c := range ask {
		c.typ = x.decideType(c)
	}
	accept, ask := x.worthAsking(out, ask)
	out = append(out, accept...)
	x.asked = len(ask)
	ok, err := x.proseAgrees(ask)
	if err != nil {
		return nil, err
	}
	for i, c := range ask {
		if ok[i] {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].keys[0] < out[j].keys[0] })
	return out, nil
}

func containsStr(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// mergeDescriptors joins "Showtime" to "Showtime Analytics" when every
// document mentioning the short form also has the long one ("Google"
// used on its own elsewhere is not short for "Google Analytics").
func (x *extractor) mergeDescriptors(uf unionFind, stats map[string]*keyStats, keys []string) {
	for _, k := range keys {
		s := stats[k]
		if len(s.words) != 2 || !descriptorHeads[strings.ToLower(s.words[1])] {
			continue
		}
		short := foldKey(s.words[0])
		if ss, ok := stats[short]; ok && subset(ss.docs, s.docs) {
			uf.union(short, k)
		}
	}
}

// subset reports whether every document of a is in b.
func subset(a, b map[int]bool) bool {
	for d := range a {
		if !b[d] {
			return false
		}
	}
	return true
}

func shareDoc(a, b map[int]bool) bool {
	for d := range a {
		if b[d] {
			return true
		}
	}
	return false
}

// isPersonLike reports whether a key's votes make it a full personal name.
func isPersonLike(s *keyStats) bool {
	if len(s.words) < 2 || s.votes[tPerson] <= 0 {
		return false
	}
	for t, v := range s.votes {
		if typeIndex(t) != tPerson && v > s.votes[tPerson] {
			return false
		}
	}
	return true
}

// mergePersons joins full names sharing an uncommon surname ("Zack
// Zuckerberg" -> "Mark Zuckerberg", unless both appear in one paragraph)
// and surname-only mentions to the full name ("Windsor").
func (x *extractor) mergePersons(uf unionFind, stats map[string]*keyStats, keys []string) {
	l := getLexicon()
	bySurname := map[string][]string{}
	for _, k := range keys {
		if s := stats[k]; isPersonLike(s) {
			sur := foldKey(s.words[len(s.words)-1])
			bySurname[sur] = append(bySurname[sur], k)
		}
	}
	surnames := make([]string, 0, len(bySurname))
	for s := range bySurname {
		surnames = append(surnames, s)
	}
	sort.Strings(surnames)
	for _, sur := range surnames {
		full := bySurname[sur]
		if len(full) > 1 && !commonSurnames[sur] && !l.surnames[title(sur)] && !x.coMentioned(full) {
			for _, k := range full[1:] {
				uf.union(full[0], k)
			}
		}
		single, ok := stats[sur]
		if !ok || len(single.words) != 1 || namesOther(single) {
			continue
		}
		roots := map[string]bool{}
		for _, k := range full {
			if shareDoc(stats[k].docs, single.docs) {
				roots[uf.find(k)] = true
			}
		}
		if len(roots) == 0 && len(full) > 0 && isPersonVote(single) {
			for _, k := range full {
				roots[uf.find(k)] = true
			}
		}
		if len(roots) == 1 {
			for r := range roots {
				uf.union(r, sur)
			}
		}
	}
}

// namesOther reports whether a bare name's own evidence types it as an
// organisation or product more strongly than as a person: "Hugo" (the
// product) is not short for "Victor Hugo".
func namesOther(s *keyStats) bool {
	return max(s.votes[tOrg], s.votes[tProduct]) > s.votes[tPerson]+1
}

// isPersonVote reports whether a bare name has person evidence that no
// other type beats ("said Windsor"); only then may it join a full name
// it never shares a document with.
func isPersonVote(s *keyStats) bool {
	if s.votes[tPerson] <= 0 {
		return false
	}
	for t, v := range s.votes {
		if typeIndex(t) != tPerson && v > s.votes[tPerson] {
			return false
		}
	}
	return true
}

// coMentioned reports whether two of the given full-name keys are
// mentioned in the same paragraph (e.g. "Bill Gates and Melinda Gates").
func (x *extractor) coMentioned(keys []string) bool {
	for i := range x.docs {
		found := 0
		for _, line := range x.proseLines[i] {
			n := 0
			for _, k := range keys {
				if strings.Contains(foldKey(line), k) {
					n++
				}
			}
			if n > found {
				found = n
			}
		}
		if found > 1 {
			return true
		}
	}
	return false
}

func title(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// canonicalName picks the display name of a cluster: the gazetteer name
// for places; otherwise the most frequent surface, preferring for people
// the fullest name, then a common first name; ties go to the longer, then
// the alphabetically first form.
func canonicalName(c *cluster) string {
	if c.place != "" {
		return c.place
	}
	l := getLexicon()
	best, bestScore := "", [5]int{}
	forms := make([]string, 0, len(c.surfaces))
	for s := range c.surfaces {
		forms = append(forms, s)
	}
	sort.Strings(forms)
	for _, s := range forms {
		words := strings.Fields(s)
		// person words, plain form, mentions, common first name, length
		score := [5]int{0, 1, c.surfaces[s], 0, len(s)}
		if len(words) >= 2 && l.firstNames[words[0]] {
			score[0] = len(words)
			if topFirstNames[words[0]] {
				score[3] = 1
			}
		}
		if isAcronym(s) && spelledOut(forms, s) {
			score[1] = 0 // "Chinese Consumers' Association" over "CCA"
		}
		if k := mergeKey(s); k != foldKey(s) && c.surfaces[stripSuffixes(s)] > 0 {
			score[1] = 0 // "Alibaba" over "Alibaba Group"
		}
		if best == "" || less(bestScore, score) {
			best, bestScore = s, score
		}
	}
	if w := strings.Fields(best); len(w) > 1 && legalForms[strings.ToLower(strings.TrimSuffix(w[len(w)-1], "."))] {
		best = strings.Join(w[:len(w)-1], " ") // "Stripe Inc." -> "Stripe"
	}
	return best
}

// spelledOut reports whether some multi-word form has acr as initials.
func spelledOut(forms []string, acr string) bool {
	for _, f := range forms {
		if w := strings.Fields(f); len(w) > 1 && initialsMatch(w, acr) {
			return true
		}
	}
	return false
}

// legalForms are dropped from display names even when no shorter form
// was seen; "Group" or "Holdings" are kept ("Boston Consulting Group").
var legalForms = set("inc", "incorporated", "corp", "ltd", "limited", "llc", "plc", "gmbh", "ag",
	"sa", "nv", "bv", "lp", "llp", "pte", "pty")

// stripSuffixes drops trailing legal-form words ("Alibaba Group Holdings").
func stripSuffixes(surface string) string {
	words := strings.Fields(surface)
	for len(words) > 1 && orgSuffixes[strings.ToLower(strings.TrimSuffix(words[len(words)-1], "."))] {
		words = words[:len(words)-1]
	}
	return strings.Join(words, " ")
}

func less(a, b [5]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// topFirstNames are the most frequent given names; they break ties
// between full-name variants ("Mark Zuckerberg" over "Zack Zuckerberg").
var topFirstNames = set("James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph",
	"Thomas", "Charles", "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven",
	"Paul", "Andrew", "Joshua", "Kenneth", "Kevin", "Brian", "George", "Edward", "Ronald", "Timothy",
	"Jason", "Jeffrey", "Ryan", "Jacob", "Gary", "Nicholas", "Eric", "Jonathan", "Stephen", "Larry",
	"Justin", "Scott", "Brandon", "Benjamin", "Samuel", "Frank", "Gregory", "Raymond", "Alexander",
	"Patrick", "Jack", "Dennis", "Jerry", "Peter", "Henry", "Adam", "Mary", "Patricia", "Jennifer",
	"Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen", "Nancy", "Lisa", "Betty",
	"Margaret", "Sandra", "Ashley", "Kimberly", "Emily", "Donna", "Michelle", "Dorothy", "Carol",
	"Amanda", "Melissa", "Deborah", "Stephanie", "Rebecca", "Sharon", "Laura", "Cynthia", "Amy",
	"Angela", "Helen", "Anna", "Emma", "Rachel", "Catherine", "Maria")

// commonSurnames are too frequent to merge different full names on.
var commonSurnames = set("smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis",
	"rodriguez", "martinez", "wilson", "anderson", "taylor", "thomas", "moore", "jackson", "martin",
	"lee", "thompson", "white", "harris", "clark", "lewis", "robinson", "walker", "young", "allen",
	"king", "wright", "scott", "hill", "green", "adams", "baker", "nelson", "carter", "mitchell",
	"roberts", "turner", "phillips", "campbell", "parker", "evans", "edwards", "collins", "stewart",
	"morris", "murphy", "cook", "rogers", "morgan", "cooper", "peterson", "reed", "bailey", "bell",
	"kelly", "howard", "ward", "cox", "richardson", "wood", "watson", "brooks", "bennett", "gray",
	"james", "hughes", "price", "sanders", "myers", "long", "ross", "foster", "singh", "kumar")
