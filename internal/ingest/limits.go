package ingest

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/quarry-search/quarry/internal/doc"
)

// limit applies the per-document limits of package doc (see
// doc.MaxTitleRunes): a long title or section heading is cut, facet values
// past doc.MaxFacetValues or longer than doc.MaxFacetValueRunes are
// dropped, and duplicate values of a facet are merged. It returns the
// reasons to warn about, one per kind of change.
func limit(d doc.Document) (doc.Document, []string) {
	var why []string
	if n := utf8.RuneCountInString(d.Title); n > doc.MaxTitleRunes {
		d.Title = cutTitle(d.Title, doc.MaxTitleRunes)
		why = append(why, fmt.Sprintf("title of %d characters cut to %d", n, doc.MaxTitleRunes))
	}
	long := 0
	for i, s := range d.Sections {
		if utf8.RuneCountInString(s.Heading) > doc.MaxTitleRunes {
			if long == 0 {
				d.Sections = append([]doc.Section(nil), d.Sections...)
			}
			d.Sections[i].Heading = cutTitle(s.Heading, doc.MaxTitleRunes)
			long++
		}
	}
	if long > 0 {
		why = append(why, fmt.Sprintf("%s over %d characters cut", plural(long, "section heading", "section headings"), doc.MaxTitleRunes))
	}
	if len(d.Facets) == 0 {
		return d, why
	}
	facets := make(map[string][]string, len(d.Facets))
	for _, name := range slices.Sorted(maps.Keys(d.Facets)) {
		vals, tooLong, total := capValues(d.Facets[name])
		if tooLong > 0 {
			why = append(why, fmt.Sprintf("%s: %s over %d characters dropped", name, plural(tooLong, "value", "values"), doc.MaxFacetValueRunes))
		}
		if total > doc.MaxFacetValues {
			why = append(why, fmt.Sprintf("%s: %d values, kept the first %d", name, total, doc.MaxFacetValues))
		}
		if len(vals) > 0 {
			facets[name] = vals
		}
	}
	d.Facets = facets
	return d, why
}

// capValues returns the distinct values of vs no longer than
// doc.MaxFacetValueRunes, at most doc.MaxFacetValues of them in their
// order, with the number of values dropped as too long and the number of
// distinct values there were.
func capValues(vs []string) (out []string, tooLong, total int) {
	seen := make(map[string]bool, min(len(vs), doc.MaxFacetValues))
	for _, v := range vs {
		if utf8.RuneCountInString(v) > doc.MaxFacetValueRunes {
			tooLong++
			continue
		}
		if seen[v] {
			continue
		}
		seen[v] = true
		total++
		if len(out) < doc.MaxFacetValues {
			out = append(out, v)
		}
	}
	return out, tooLong, total
}

// cutTitle cuts s to at most max characters, at a word boundary when one
// is in the second half, and ends it with "…".
func cutTitle(s string, max int) string {
	cut := 0 // byte offset after max-1 runes
	for i := 0; i < max-1 && cut < len(s); i++ {
		_, size := utf8.DecodeRuneInString(s[cut:])
		cut += size
	}
	t := s[:cut]
	if i := strings.LastIndexFunc(t, unicode.IsSpace); i > len(t)/2 {
		t = t[:i]
	}
	return strings.TrimRightFunc(t, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) + "…"
}
