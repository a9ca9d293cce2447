package entity

import (
	"embed"
	"strings"
	"sync"
)

//go:embed lexicon/*.txt
var lexiconFS embed.FS

//go:generate go run ./gencountries

// lexicon holds every word list and the place gazetteer. It is built once
// and only read afterwards.
type lexicon struct {
	common     map[string]bool   // lower-case common English words
	demonyms   map[string]bool   // lower-case nationality / regional adjectives
	firstNames map[string]bool   // given names, as written
	surnames   map[string]bool   // CJK family names, as written
	brandsApos map[string]bool   // lower-case names whose 's belongs to the name
	languages  map[string]bool   // lower-case language names ("deutsch", "hindi")
	generic    map[string]bool   // lower-case generic acronyms and terms ("url", "api", "yaml")
	places     map[string]string // surface (exact) -> canonical place name
	placesFold map[string]string // lower-case surface -> canonical (names > 3 chars)
	caseless   map[string]string // lower-case surface -> canonical, for text without capitals
}

var (
	lexOnce sync.Once
	lex     *lexicon
)

// getLexicon returns the shared lexicon, building it on first use.
func getLexicon() *lexicon {
	lexOnce.Do(func() { lex = buildLexicon() })
	return lex
}

// readList returns the entries of an embedded list: lines split on spaces
// unless lineMode is set; '#' starts a comment.
func readList(name string, lineMode bool) []string {
	b, err := lexiconFS.ReadFile("lexicon/" + name)
	if err != nil {
		panic("entity: embedded list missing: " + name) // build-time bug
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if lineMode {
			out = append(out, line)
		} else {
			out = append(out, strings.Fields(line)...)
		}
	}
	return out
}

func toSet(words []string, lower bool) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		if lower {
			w = strings.ToLower(w)
		}
		m[w] = true
	}
	return m
}

func buildLexicon() *lexicon {
	l := &lexicon{
		common:     toSet(readList("common.txt", false), true),
		demonyms:   toSet(readList("demonyms.txt", false), true),
		firstNames: toSet(readList("firstnames.txt", false), false),
		surnames:   toSet(readList("surnames_cjk.txt", false), false),
		brandsApos: toSet(readList("brands_apos.txt", true), true),
		languages:  toSet(readList("languages.txt", true), true),
		generic:    toSet(readList("generic.txt", false), true),
		places:     map[string]string{},
		placesFold: map[string]string{},
		caseless:   map[string]string{},
	}
	for _, m := range months {
		l.common[m] = true
	}
	countries, err := lexiconFS.ReadFile("lexicon/countries.txt")
	if err != nil {
		panic("entity: embedded list missing: countries.txt") // build-time bug
	}
	name := ""
	for _, line := range strings.Split(string(countries), "\n") {
		f := strings.Split(line, "\t")
		switch {
		case f[0] == "C" && len(f) == 3:
			name = f[1]
			l.addPlace(name, name)
			l.addPlace(f[2], name)
			l.addCaseless(name, name)
			l.addCaseless(f[2], name)
		case f[0] == "S" && len(f) == 2:
			if len(f[1]) > 3 && !strings.ContainsAny(f[1], "[(") {
				l.addPlace(f[1], f[1])
			}
		}
	}
	for _, line := range readList("places.txt", true) {
		l.addCurated(line, true)
	}
	for _, line := range readList("cities.txt", true) {
		l.addCurated(line, false)
	}
	return l
}

// addCurated adds one `Name` or `Name = Canonical` line of a place list.
func (l *lexicon) addCurated(line string, caseless bool) {
	surface, canon, ok := strings.Cut(line, "=")
	surface = strings.TrimSpace(surface)
	if ok {
		canon = strings.TrimSpace(canon)
	} else {
		canon = surface
	}
	l.places[surface] = canon // curated entries win over subdivisions
	if len(surface) > 3 {
		l.placesFold[strings.ToLower(surface)] = canon
	}
	if caseless {
		l.addCaseless(surface, canon)
	}
}

// ambiguousPlaces are place names that are also ordinary words or given
// names; they are not matched in text without capitals.
var ambiguousPlaces = set("turkey", "chad", "jordan", "guinea", "georgia", "niger", "nice", "reading",
	"victoria", "bath", "mobile", "split", "male", "sale", "orange", "phoenix", "austin", "washington",
	"lima", "santiago", "wales", "chile", "china", "cuba", "malta", "dominica", "grenada", "israel",
	"jersey", "man", "oman")

// addCaseless records a country or curated place for caseless matching.
func (l *lexicon) addCaseless(surface, canon string) {
	low := strings.ToLower(surface)
	if len(low) < 4 || l.common[low] || l.demonyms[low] || ambiguousPlaces[low] || strings.HasPrefix(low, "the ") {
		return
	}
	if _, ok := l.caseless[low]; !ok {
		l.caseless[low] = canon
	}
}

// addPlace records a gazetteer entry without overriding an existing one.
func (l *lexicon) addPlace(surface, canon string) {
	if surface == "" || l.common[strings.ToLower(surface)] || l.demonyms[strings.ToLower(surface)] {
		return
	}
	if _, ok := l.places[surface]; !ok {
		l.places[surface] = canon
	}
	if len(surface) > 3 {
		if _, ok := l.placesFold[strings.ToLower(surface)]; !ok {
			l.placesFold[strings.ToLower(surface)] = canon
		}
	}
}

// place returns the canonical place name for a surface form, if any.
func (l *lexicon) place(surface string) (string, bool) {
	if c, ok := l.places[surface]; ok {
		return c, true
	}
	if c, ok := l.placesFold[strings.ToLower(surface)]; ok {
		return c, true
	}
	return "", false
}

// isCommon reports whether w (any case) is a common English word.
func (l *lexicon) isCommon(w string) bool { return l.common[strings.ToLower(w)] }

// isDemonym reports whether w is a nationality or regional adjective.
func (l *lexicon) isDemonym(w string) bool { return l.demonyms[strings.ToLower(w)] }

// months and weekdays (with abbreviations) are never entities.
var months = []string{
	"january", "february", "march", "april", "may", "june", "july", "august",
	"september", "october", "november", "december", "jan", "feb", "mar", "apr",
	"jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
	"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
}

// isCalendar reports whether w is a month or weekday name or abbreviation.
func isCalendar(w string) bool {
	w = strings.ToLower(strings.TrimSuffix(w, "."))
	for _, m := range months {
		if w == m {
			return true
		}
	}
	return false
}

// currencies are codes that look like acronyms but are not entities.
var currencies = map[string]bool{
	"RMB": true, "CNY": true, "USD": true, "EUR": true, "GBP": true, "JPY": true,
	"HKD": true, "INR": true, "KRW": true, "AUD": true, "CAD": true, "CHF": true,
	"SGD": true, "BTC": true,
}

// orgSuffixes are legal-form words dropped when building merge keys
// ("Alibaba Group Holdings" merges with "Alibaba").
var orgSuffixes = map[string]bool{
	"group": true, "holdings": true, "holding": true, "inc": true, "incorporated": true,
	"corp": true, "corporation": true, "co": true, "company": true, "ltd": true,
	"limited": true, "llc": true, "plc": true, "ag": true, "sa": true, "gmbh": true,
	"nv": true, "bv": true, "lp": true, "llp": true, "pte": true, "pty": true,
}

// orgHeads are final words that mark an organisation name.
var orgHeads = map[string]bool{
	"association": true, "department": true, "ministry": true, "university": true,
	"bank": true, "agency": true, "institute": true, "institution": true, "review": true,
	"times": true, "news": true, "post": true, "journal": true, "telecom": true,
	"mobile": true, "airlines": true, "airways": true, "systems": true, "service": true,
	"services": true, "technologies": true, "technology": true, "analytics": true,
	"financial": true, "capital": true, "partners": true, "ventures": true, "labs": true,
	"media": true, "networks": true, "solutions": true, "software": true, "commission": true,
	"council": true, "committee": true, "federation": true, "foundation": true,
	"society": true, "union": true, "office": true, "bureau": true, "authority": true,
	"board": true, "court": true, "party": true, "school": true, "college": true,
	"academy": true, "museum": true, "hospital": true, "exchange": true, "fund": true,
	"electronics": true, "motors": true, "pharmaceuticals": true, "communications": true,
	"entertainment": true, "studios": true, "pictures": true, "press": true, "club": true,
	"tech": true, "insurance": true, "securities": true, "trust": true,
}

// descriptorHeads are org heads after which a bare first word is a short
// form of the same organisation ("Showtime" for "Showtime Analytics").
var descriptorHeads = map[string]bool{
	"analytics": true, "technologies": true, "technology": true, "systems": true,
	"labs": true, "software": true, "media": true, "networks": true, "solutions": true,
	"capital": true, "ventures": true, "entertainment": true, "studios": true,
	"electronics": true, "motors": true, "pharmaceuticals": true, "communications": true,
	"interactive": true, "digital": true, "robotics": true,
}

// productHeads are final words that mark a product or service name.
var productHeads = map[string]bool{
	"pay": true, "wallet": true, "cloud": true, "messenger": true, "business": true,
	"store": true, "browser": true, "phone": true, "os": true, "assistant": true,
	"music": true, "maps": true, "drive": true, "search": true, "catalogs": true,
}

// eventHeads are final words that mark an event name.
var eventHeads = map[string]bool{
	"conference": true, "summit": true, "festival": true, "expo": true, "forum": true,
	"olympics": true, "cup": true, "day": true, "week": true, "fair": true,
	"championship": true, "awards": true, "congress": true, "symposium": true,
}

// ofHeads may be followed by "of" inside a name ("Department of Defence").
var ofHeads = map[string]bool{
	"department": true, "ministry": true, "university": true, "bank": true,
	"republic": true, "institute": true, "school": true, "kingdom": true,
	"museum": true, "board": true, "bureau": true, "council": true, "college": true,
	"academy": true, "society": true, "federation": true, "union": true,
	"association": true, "church": true, "gulf": true, "bay": true, "isle": true,
	"cape": true, "lake": true, "mount": true, "sea": true, "state": true,
	"states": true, "city": true, "office": true, "court": true, "chamber": true,
	"league": true, "house": true, "port": true, "commission": true, "land": true,
}

// honorifics before a name mark a person.
var honorifics = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "dr": true, "prof": true,
	"professor": true, "sir": true, "dame": true, "lord": true, "lady": true,
	"president": true, "senator": true, "minister": true, "governor": true,
	"mayor": true, "judge": true, "rev": true, "father": true, "sister": true,
}
