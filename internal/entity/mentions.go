package entity

import (
	"regexp"
	"strings"
)

// typeIndex numbers the types a mention votes for.
type typeIndex int

const (
	tPerson typeIndex = iota
	tOrg
	tPlace
	tProduct
	tEvent
	nTypes
)

// typeOf maps a vote index to its Type.
var typeOf = [nTypes]Type{Person, Org, Place, Product, Event}

// mention is one occurrence of a candidate name in running text.
type mention struct {
	doc     int      // index of the document
	surface string   // as written (quotes normalised, possessive removed)
	words   []string // the words of surface
	initial bool     // the first word starts a sentence
	strong  bool     // a cue that on its own makes it an entity
	place   string   // canonical gazetteer name, when it is a known place
	votes   [nTypes]float64
	// weakPlace is place evidence too weak to type a name on its own
	// ("in X", "from X"); it counts only next to real place evidence.
	weakPlace float64
	// firstName is set when the first word is a given name ("Hugo X"):
	// person evidence unless that word is itself a name used alone.
	firstName bool
	pos       int    // byte offset of the first word in its line
	sent      string // the sentence, for sentence-initial mentions
}

// lookupLine is a heading or label line: only names already known count.
type lookupLine struct {
	doc  int
	toks []token
}

// Cue words read around a name (lower case).
var (
	personNouns = set("analyst", "founder", "co-founder", "cofounder", "ceo", "chairman", "chairwoman",
		"director", "executive", "spokesman", "spokeswoman", "spokesperson", "writer", "author",
		"reporter", "editor", "professor", "economist", "president", "minister", "chief", "boss",
		"billionaire", "entrepreneur", "officer", "manager", "researcher", "scientist", "engineer",
		"head", "vice-president", "cto", "cfo", "coo", "journalist", "columnist", "correspondent")
	orgNouns = set("company", "companies", "firm", "firms", "startup", "start-up", "retailer", "retailers",
		"maker", "carrier", "provider", "giant", "giants", "subsidiary", "affiliate", "acquisition",
		"rival", "rivals", "group", "investor", "bank", "operator", "conglomerate", "chain", "publisher",
		"agency", "newspaper", "broadcaster", "regulator", "arm", "unit", "juggernaut", "partner",
		"stake", "shares", "founder", "ceo", "employees", "headquarters", "institution", "institutions",
		"association", "organisation", "organization", "manufacturer", "vendor", "supplier", "player",
		"players", "colossus", "owner", "lender", "insurer", "airline", "automaker", "brand")
	productNouns = set("app", "apps", "platform", "platforms", "service", "wallet", "messenger",
		"browser", "users", "user", "account", "accounts", "searches", "feature", "features",
		"site", "website", "network", "engine", "phone", "phones", "smartphone", "device",
		"payments", "system", "software", "game", "marketplace", "portal", "imitator", "clone",
		// software
		"language", "module", "modules", "template", "templates", "package", "library", "framework",
		"repository", "repositories", "syntax", "editor", "extension", "extensions", "plugin", "plugins",
		"theme", "themes", "tool", "tools", "toolchain", "compiler", "binary", "binaries", "installation",
		"release", "releases", "distribution", "documentation", "docs", "specification", "renderer", "parser",
		"client", "cli", "api", "sdk", "workflow", "workflows", "project", "projects")
	placeNouns = set("province", "city", "county", "state", "region", "district", "country",
		"capital", "island", "village", "town", "prefecture", "municipality", "area")
	eventNouns = set("event", "festival", "conference", "summit", "expo", "fair", "holiday", "ceremony")
	sayVerbs   = set("said", "says", "told", "added", "explained", "believes", "thinks", "wrote",
		"noted", "argued", "disclosed", "highlighted", "pointed", "stated", "claimed")
	placePreps  = set("in", "from", "across", "throughout", "near", "into", "to")
	calledWords = set("called", "named", "dubbed", "titled", "branded")
	likeHeads   = map[string]typeIndex{"apps": tProduct, "platforms": tProduct, "services": tProduct,
		"solutions": tProduct, "companies": tOrg, "firms": tOrg, "retailers": tOrg, "giants": tOrg,
		"players": tOrg, "brands": tOrg, "leaders": tOrg, "banks": tOrg, "institutions": tOrg,
		"cities": tPlace, "countries": tPlace, "markets": tPlace, "regions": tPlace, "tools": tProduct,
		"frameworks": tProduct, "languages": tProduct, "editors": tProduct, "libraries": tProduct,
		"providers": tOrg, "vendors": tOrg}
	connectors  = set("of", "de", "da", "del", "della", "di", "van", "von", "der", "den", "du", "bin", "al", "la", "le")
	countryAbbr = set("U.S.", "U.S", "US", "USA", "UK", "U.K.", "EU", "PRC")
	uiVerbs     = set("press", "click", "tap", "hit", "clicking", "pressing")
	articles    = set("the", "a", "an")
	// appositiveStops end the noun phrase of an appositive.
	appositiveStops = set("on", "in", "of", "for", "with", "that", "which", "who", "whose", "is", "are",
		"was", "were", "has", "have", "had", "to", "and", "or", "but", "from", "by", "at", "as", "if",
		"when", "returns", "can", "will", "may", "must", "should", "does", "do")
	// codeNouns after a one-word name (or a list of them) make it a code
	// identifier or an interface label ("press the Save button").
	codeNouns = set("method", "methods", "function", "functions", "func", "field", "fields", "property",
		"properties", "parameter", "parameters", "param", "params", "variable", "variables", "attribute",
		"attributes", "argument", "arguments", "struct", "enum", "constant", "constants", "keyword",
		"identifier", "flag", "flags", "object", "objects", "button", "buttons", "checkbox", "dropdown",
		"tab", "dialog", "getter", "setter", "callback", "macro", "operator")
	numberLedCue = set("site", "store", "app", "company", "startup", "brand", "firm", "retailer", "chain", "shop")
)

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// bylineRe matches "By Adam Skuse Source:Global Times Published: ..." lines.
var (
	bylineRe = regexp.MustCompile(`^\s*By\s+(\p{Lu}[\p{L}.'\-]+(?:\s+\p{Lu}[\p{L}.'\-]+){0,3}?)\s*(?:$|\||\s+(?:Source|Published|Updated|Posted|Photo|Credit|Via|Date)\s*:)`)
	sourceRe = regexp.MustCompile(`(?:Source|Via|Credit)\s*:\s*(\p{Lu}[\p{L}\p{N}.&'\-]*(?:\s+\p{Lu}[\p{L}\p{N}.&'\-]*){0,5}?)\s*(?:$|[|,;]|\s+(?:Published|Updated|Posted|Photo|Date)\s*:)`)
)

// byline reads an author/source byline; ok is false when line is not one.
func byline(line string) (author, source string, ok bool) {
	// The regular expressions run only on lines holding their literal
	// words: most lines hold neither, and an unanchored search costs.
	if strings.HasPrefix(strings.TrimLeft(line, "\t\n\f\r "), "By") {
		if m := bylineRe.FindStringSubmatch(line); m != nil {
			author = m[1]
		}
	}
	if strings.Contains(line, "Source") || strings.Contains(line, "Via") || strings.Contains(line, "Credit") {
		if m := sourceRe.FindStringSubmatch(line); m != nil {
			source = m[1]
		}
	}
	if author == "" && source == "" {
		return "", "", false
	}
	if author != "" && len(strings.Fields(author)) < 2 {
		if source == "" {
			source = author // "By Reuters" names an agency, not a person
		}
		author = ""
	}
	return author, source, true
}

// lower returns the lower-case text of toks[i], or "" out of range.
func lower(toks []token, i int) string {
	if i < 0 || i >= len(toks) {
		return ""
	}
	return strings.ToLower(strings.TrimSuffix(toks[i].text, "."))
}

// chunkLine finds the proper-name spans of one running-text line and
// appends a mention (with its context votes) for each.
func (r *scan) chunkLine(doc int, toks []token) {
	l := getLexicon()
	prevEnd, prevPerson := -1, false
	for i := 0; i < len(toks); {
		start := i
		switch {
		case toks[i].isNumber() && i+1 < len(toks) && toks[i+1].isName() && numberLedCue[lower(toks, i-1)]:
			i++ // "e-commerce site 11 Main"
		case !toks[i].isName():
			r.noteParenAcronym(toks, i)
			i++
			continue
		}
		j := i + 1
		for j < len(toks) {
			p, n := toks[j-1], toks[j]
			if p.poss && !(joinsPossessive(p) && n.isName()) {
				break
			}
			if n.glued || (strings.HasSuffix(p.text, ".") && l.isCommon(n.text)) {
				break
			}
			if n.isName() {
				j++
				continue
			}
			if connectors[n.text] && j+1 < len(toks) && toks[j+1].isName() &&
				(n.text != "of" || ofHeads[strings.ToLower(p.text)]) {
				j += 2
				continue
			}
			break
		}
		m, ok := r.emit(doc, toks, start, j, prevEnd, prevPerson)
		prevEnd, prevPerson = j, ok && m.votes[tPerson] >= 3
		i = j
	}
}

// joinsPossessive reports whether a possessive stays inside a name: a
// plural or collective common noun ("People's Republic", "Consumers'
// Association", "Children's Hospital").
func joinsPossessive(t token) bool {
	if !t.poss || !getLexicon().isCommon(t.text) {
		return false
	}
	return t.possText == "'" || collectives[strings.ToLower(t.text)]
}

var collectives = set("people", "children", "women", "men", "workers", "farmers", "veterans", "citizens")

// noteParenAcronym records "(AI)" after lower-case words as a non-entity.
func (r *scan) noteParenAcronym(toks []token, i int) {
	if toks[i].text == "(" && i > 0 && i+2 < len(toks) && toks[i+2].text == ")" &&
		isAcronym(toks[i+1].text) && toks[i-1].word && !toks[i-1].isName() {
		r.junkAcronyms[toks[i+1].text] = true
	}
}

// emit trims a raw span [s,e) and records it as a mention.
func (r *scan) emit(doc int, toks []token, s, e, prevEnd int, prevPerson bool) (*mention, bool) {
	l := getLexicon()
	var votes [nTypes]float64
	strong := false
	surface := func(a, b int) string { return joinWords(toks[a:b]) }
	if e-s > 1 {
		if _, ok := l.place(surface(s, e)); !ok {
			for s < e-1 && !joinsPossessive(toks[s]) && (toks[s].text == "The" || toks[s].text == "A" ||
				toks[s].text == "An" || (toks[s].sentStart && l.isCommon(toks[s].text))) {
				toks[s+1].sentStart = toks[s].sentStart
				s++
				if _, ok := l.place(surface(s, e)); ok {
					break
				}
			}
			if s < e-1 && honorifics[strings.ToLower(strings.TrimSuffix(toks[s].text, "."))] {
				s++
				votes[tPerson] += 4
				strong = true
			}
			if s < e-1 && l.isDemonym(toks[s].text) && !orgHeads[strings.ToLower(toks[e-1].text)] {
				s++
			}
			if s < e-1 && countryAbbr[toks[s].text] {
				r.emit(doc, toks, s, s+1, -1, false)
				s++
			}
		}
	}
	m := &mention{doc: doc, initial: toks[s].sentStart, votes: votes, strong: strong, pos: toks[s].pos}
	m.surface = joinWords(toks[s:e])
	if toks[e-1].poss && l.brandsApos[strings.ToLower(m.surface+"'s")] {
		m.surface += "'s"
	}
	m.words = strings.Fields(m.surface)
	if p, ok := l.place(m.surface); ok {
		m.place = p
		m.strong = true
		m.votes[tPlace] += 5
	}
	r.contextVotes(m, toks, s, e, prevEnd == s-1 && lower(toks, s-1) == "of" && prevPerson)
	if e-s == 1 && (codeNouns[lower(toks, listEnd(toks, e))] || uiVerbs[lower(toks, s-1)] ||
		(articles[lower(toks, s-1)] && uiVerbs[lower(toks, s-2)])) {
		// "the Meta method", "the Len, Plain, and WordCount methods", "press the Save button"
		r.codeVocab[m.surface]++
	}
	if e+2 < len(toks) && toks[e].text == "(" && toks[e+2].text == ")" && isAcronym(toks[e+1].text) &&
		len(m.words) > 1 && initialsMatch(m.words, toks[e+1].text) {
		r.acronyms = append(r.acronyms, [2]string{toks[e+1].text, m.surface})
	}
	r.mentions = append(r.mentions, m)
	return m, true
}

// joinWords rebuilds the surface of consecutive tokens.
func joinWords(toks []token) string { return string(appendWords(nil, toks)) }

// appendWords appends joinWords(toks) to b.
func appendWords(b []byte, toks []token) []byte {
	for i, t := range toks {
		switch {
		case i > 0 && t.glued:
			b = append(b, '-')
		case i > 0:
			b = append(b, ' ')
		}
		b = append(b, t.text...)
		if t.poss && i < len(toks)-1 {
			b = append(b, t.possText...)
		}
	}
	return b
}

// initialsMatch reports whether acr spells the initials of words.
func initialsMatch(words []string, acr string) bool {
	var b strings.Builder
	for _, w := range words {
		if connectors[w] {
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]))
	}
	return b.String() == strings.ReplaceAll(acr, ".", "")
}

// contextVotes adds the type votes implied by the words around toks[s:e].
func (r *scan) contextVotes(m *mention, toks []token, s, e int, afterPersonOf bool) {
	l := getLexicon()
	v := &m.votes
	n := len(m.words)
	last := strings.ToLower(m.words[n-1])
	first := m.words[0]
	if n >= 2 {
		switch {
		case l.firstNames[first] && !l.isCommon(m.words[n-1]):
			v[tPerson] += 3 // taken back when first is a name on its own (see firstNameVoid)
			m.firstName = true
		case n <= 3 && l.surnames[first] && len(m.words[n-1]) <= 7:
			v[tPerson] += 2
		}
		switch {
		case orgSuffixes[strings.TrimSuffix(last, ".")] || orgHeads[last]:
			v[tOrg] += 3
			m.strong = true
		case productHeads[last]:
			v[tProduct] += 3
			m.strong = true
		case eventHeads[last]:
			v[tEvent] += 3
			m.strong = true
		}
		for k := 1; k < n-1; k++ { // "Department of Defence"
			if m.words[k] == "of" && orgHeads[strings.ToLower(m.words[k-1])] {
				v[tOrg] += 3
				m.strong = true
			}
		}
	}
	if afterPersonOf { // "Richard Windsor of Radio Free Mobile"
		v[tOrg] += 2
		m.strong = true
	}
	p1, p2, n1, n2 := lower(toks, s-1), lower(toks, s-2), lower(toks, e), lower(toks, e+1)
	// Noun right before the name, possibly across an appositive comma or dash.
	head := p1
	if head == "," || head == "–" || head == "—" || head == "-" {
		head = p2
	}
	switch {
	case head == "©":
		v[tOrg] += 2
		m.strong = true
	case calledWords[head]:
		m.strong = true
		if productNouns[p2] || p2 == "feature" {
			v[tProduct] += 1.5
		}
	case personNouns[head]:
		v[tPerson] += 2
	case orgNouns[head] && head != "founder" && head != "ceo" && head != "stake" && head != "shares":
		v[tOrg] += 1.5
	case productNouns[head]:
		v[tProduct] += 1.5
	case placeNouns[head]:
		v[tPlace] += 1.5
	case head == "like" || head == "including":
		if t, ok := likeHeads[lower(toks, s-2)]; ok {
			v[t] += 1.5
		}
	case head == "to" && p2 == "according": // a source: person or org
	case placePreps[head]:
		m.weakPlace += 0.4
	case head == "said" || head == "according":
		v[tPerson] += 0.7
	}
	if p1 == "in" && (p2 == "stake" || p2 == "invested" || p2 == "investment") {
		v[tOrg] += 1
	}
	if p1 == "by" && p2 == "powered" {
		v[tProduct] += 1.5
	}
	// Words right after the name.
	lastTok := toks[e-1]
	switch {
	case e < len(toks) && toks[e].glued && n1 == "based":
		m.weakPlace += 2 // "Hangzhou-based", but also "Git-based"
		m.strong = true
	case placeNouns[n1] && !lastTok.poss:
		v[tPlace] += 2
		m.strong = true
	case sayVerbs[n1]:
		v[tPerson] += 0.7
	case productNouns[n1]:
		v[tProduct] += 1
	case orgNouns[n1] || n1 == "announced":
		v[tOrg] += 1
	}
	if n1 == "," && personNouns[n2] {
		v[tPerson] += 2 // "Yin Jie, director of ..."
	}
	if lastTok.poss && personNouns[n1] {
		v[tOrg] += 1.5 // "Facebook's founder"
	}
	if lastTok.poss && e < len(toks) && toks[e].isName() {
		v[tOrg] += 0.5 // "Tencent's WeChat", "Fung Global Retail Tech's Deborah Weinswig"
	}
	// Appositive after: "Periscope – a broadcasting platform", ", China's biggest sales event".
	if n1 == "," || n1 == "–" || n1 == "—" || n1 == "(" {
		if n2 == "a" || n2 == "an" || n2 == "the" || (e+1 < len(toks) && toks[e+1].poss) {
			for k := e + 2; k < len(toks) && k < e+8; k++ {
				w := lower(toks, k)
				if !toks[k].word {
					break
				}
				if t, ok := nounType(w); ok {
					v[t] += 1.5
					m.strong = true
					break
				}
				if appositiveStops[w] {
					break // "Conceptually, the Taxonomies method on a Site object"
				}
			}
		}
		if n1 == "," {
			if _, ok := l.place(nextNameRun(toks, e+1)); ok && !m.strong && !m.firstName {
				v[tPlace] += 2 // "Zhangbei, Hebei province"
			}
		}
	}
}

// listEnd skips the rest of a list of names starting at toks[i] (", B,
// and C") and returns the index of the first token after it.
func listEnd(toks []token, i int) int {
	for k := i; k < len(toks) && k < i+60; k++ {
		t := toks[k]
		if !(t.text == "," || t.text == "and" || t.text == "or" || t.isName() || t.code) {
			return k
		}
	}
	return i
}

// nounType gives the type a cue noun points to.
func nounType(w string) (typeIndex, bool) {
	switch {
	case personNouns[w]:
		return tPerson, true
	case eventNouns[w]:
		return tEvent, true
	case productNouns[w]:
		return tProduct, true
	case orgNouns[w]:
		return tOrg, true
	case placeNouns[w]:
		return tPlace, true
	}
	return 0, false
}

// nextNameRun returns the run of name tokens starting at toks[i].
func nextNameRun(toks []token, i int) string {
	j := i
	for j < len(toks) && toks[j].isName() && !toks[j].glued {
		j++
		if toks[j-1].poss {
			break
		}
	}
	return joinWords(toks[i:j])
}
