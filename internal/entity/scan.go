package entity

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/quarry-search/quarry/internal/doc"
)

// scan is what reading documents yields. Each document is scanned on its
// own (in parallel); the scans are then merged in document order, so the
// result is the same as reading them one after the other.
type scan struct {
	mentions     []*mention
	lookups      []lookupLine
	lines        []string        // running-text lines holding candidates (one document)
	acronyms     [][2]string     // {acronym, long name} from "Long Name (ACR)"
	junkAcronyms map[string]bool // acronyms spelled out in lower case: "(AI)", "(O2O)"
	lowerVocab   map[string]int  // word -> times seen starting lower case
	capVocab     map[string]int  // word -> times seen capitalised mid-sentence
	codeVocab    map[string]int  // capitalised word -> times used as a code identifier
	headVocab    map[string]int  // capitalised word -> times seen in title-case headings
}

func newScan() scan {
	return scan{
		junkAcronyms: map[string]bool{},
		lowerVocab:   map[string]int{},
		capVocab:     map[string]int{},
		codeVocab:    map[string]int{},
		headVocab:    map[string]int{},
	}
}

// newExtractor returns the empty state of an Extract call on docs.
func newExtractor(docs []doc.Document) *extractor {
	return &extractor{scan: newScan(), docs: docs, proseLines: make([][]string, len(docs))}
}

// scanAll reads every document with a bounded pool of
// runtime.GOMAXPROCS workers and merges the scans in document order.
func (x *extractor) scanAll() {
	scans := make([]*scan, len(x.docs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(x.docs)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(x.docs) {
					return
				}
				r := newScan()
				r.readDoc(i, x.docs[i])
				scans[i] = &r
			}
		})
	}
	wg.Wait()
	for i, r := range scans {
		x.mentions = append(x.mentions, r.mentions...)
		x.lookups = append(x.lookups, r.lookups...)
		x.acronyms = append(x.acronyms, r.acronyms...)
		x.proseLines[i] = r.lines
		for k := range r.junkAcronyms {
			x.junkAcronyms[k] = true
		}
		for _, p := range [][2]map[string]int{{x.lowerVocab, r.lowerVocab}, {x.capVocab, r.capVocab},
			{x.codeVocab, r.codeVocab}, {x.headVocab, r.headVocab}} {
			for k, n := range p[1] {
				p[0][k] += n
			}
		}
	}
}

// readDoc splits one document into lines and collects its mentions.
func (r *scan) readDoc(i int, d doc.Document) {
	if t := strings.TrimSpace(normalize(d.Title)); t != "" {
		r.lookups = append(r.lookups, lookupLine{doc: i, toks: tokenize(t)})
	}
	if !hasUpper(d.Title) && !hasUpper(d.Body) {
		r.caselessPlaces(i, normalize(d.Title+"\n"+d.Body))
		return
	}
	openActions := 0 // template actions ("{{ ... ") spanning lines
	for _, line := range strings.Split(normalize(d.Body), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if author, source, ok := byline(line); ok {
			r.bylineMentions(i, author, source)
			continue
		}
		inAction := openActions > 0
		openActions = max(0, openActions+strings.Count(line, "{{")-strings.Count(line, "}}"))
		if inAction || codeLine(line) {
			r.countCodeNames(line)
			continue
		}
		toks := tokenize(line)
		r.countVocab(toks)
		if kind := classifyLine(line); kind != lineNormal {
			if kind == lineHeadline {
				for _, t := range toks {
					if t.isName() {
						r.headVocab[t.text]++
					}
				}
			}
			r.lookups = append(r.lookups, lookupLine{doc: i, toks: toks})
			continue
		}
		starts := sentenceStarts(toks) // before chunkLine re-marks trimmed spans
		before := len(r.mentions)
		r.chunkLine(i, toks)
		if len(r.mentions) > before {
			r.lines = append(r.lines, line)
			noteSentences(line, starts, r.mentions[before:])
		}
	}
}

// sentenceStarts returns the line offsets where sentences start.
func sentenceStarts(toks []token) []int {
	var starts []int
	for _, t := range toks {
		if t.sentStart {
			starts = append(starts, t.pos)
		}
	}
	return starts
}

// noteSentences records the sentence of each sentence-initial mention:
// only names never seen mid-sentence need prose NER (see accept).
func noteSentences(line string, starts []int, ms []*mention) {
	for _, m := range ms {
		if !m.initial {
			continue
		}
		a, b := 0, len(line)
		for _, p := range starts {
			if p <= m.pos {
				a = p
			} else {
				b = p
				break
			}
		}
		m.sent = strings.TrimSpace(line[a:b])
	}
}

// bylineMentions records a byline's author (person) and source (org).
func (r *scan) bylineMentions(i int, author, source string) {
	if author != "" {
		m := &mention{doc: i, surface: author, words: strings.Fields(author), strong: true}
		m.votes[tPerson] = 5
		r.mentions = append(r.mentions, m)
	}
	if source != "" {
		m := &mention{doc: i, surface: source, words: strings.Fields(source), strong: true}
		m.votes[tOrg] = 5
		r.mentions = append(r.mentions, m)
	}
}

// countVocab counts lower-case and mid-sentence capitalised word forms.
func (r *scan) countVocab(toks []token) {
	for _, t := range toks {
		if !t.word {
			continue
		}
		if t.code {
			if hasUpper(t.text) {
				r.codeVocab[t.text]++
			}
			continue
		}
		w := strings.ToLower(t.text)
		if !hasLetter(w) {
			continue
		}
		switch {
		case t.text == w:
			r.lowerVocab[w]++
		case !t.sentStart:
			r.capVocab[w]++
		}
	}
}

// caselessPlaces handles text without any capital letter (e.g. lower-cased
// abstracts), where proper names cannot be told from words: only
// unambiguous countries and curated places are matched.
func (r *scan) caselessPlaces(i int, text string) {
	l := getLexicon()
	var buf []byte // the words looked up, joined (joinWords) without allocating
	for _, line := range strings.Split(text, "\n") {
		toks := tokenize(line)
		for j := 0; j < len(toks); j++ {
			for n := 4; n >= 1; n-- {
				if j+n > len(toks) {
					continue
				}
				buf = appendWords(buf[:0], toks[j:j+n])
				if p, ok := l.caseless[string(buf)]; ok {
					m := &mention{doc: i, surface: p, words: strings.Fields(p), place: p, strong: true}
					m.votes[tPlace] = 5
					r.mentions = append(r.mentions, m)
					j += n - 1
					break
				}
			}
		}
	}
}
