package ingest

import (
	"strconv"
	"strings"

	"github.com/quarry-search/quarry/internal/doc"
)

// isBidiControl reports the Unicode bidirectional embedding, override and
// isolate controls (U+202A–U+202E, U+2066–U+2069). In a title or excerpt
// they could reorder the text around them ("Trojan Source"), so they are
// removed at build time. The invisible marks (U+200E, U+200F, U+061C) stay:
// they only nudge neutral characters and are common in right-to-left text.
func isBidiControl(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// stripBidi removes bidi controls from s.
func stripBidi(s string) string {
	if !strings.ContainsFunc(s, isBidiControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isBidiControl(r) {
			return -1
		}
		return r
	}, s)
}

// LinkURL reports whether u may be used as a result link: a relative URL
// (path, "?query", "#fragment" or "//host/path") or an absolute http(s)
// one. Like a browser, it ignores leading and trailing spaces and control
// characters and tabs or newlines anywhere when reading the scheme, so
// " JaVa\tScript:" is seen as javascript:. It returns the scheme it found
// ("" for a relative URL).
func LinkURL(u string) (ok bool, scheme string) {
	s := strings.Trim(u, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	colon := strings.IndexByte(s, ':')
	if colon < 0 || strings.ContainsAny(s[:colon], "/?#") {
		return true, ""
	}
	scheme = strings.ToLower(s[:colon])
	for i, c := range scheme {
		letter := c >= 'a' && c <= 'z'
		if !letter && (i == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			// Not a scheme (e.g. "3:00.html"): a relative path.
			return true, ""
		}
	}
	return scheme == "http" || scheme == "https", scheme
}

// sanitize makes a document safe to show: bidi controls are removed from
// every displayed text, and a URL that is neither relative nor http(s)
// (javascript:, data:, vbscript:, file:...) is dropped, so the result is
// shown without a link. It returns the reason when the URL was dropped.
func sanitize(d doc.Document) (doc.Document, string) {
	d.Title, d.Body, d.Description = stripBidi(d.Title), stripBidi(d.Body), stripBidi(d.Description)
	if len(d.Sections) > 0 {
		secs := make([]doc.Section, len(d.Sections))
		for i, s := range d.Sections {
			secs[i] = doc.Section{Anchor: s.Anchor, Heading: stripBidi(s.Heading), Text: stripBidi(s.Text)}
		}
		d.Sections = secs
	}
	if len(d.Facets) > 0 {
		fs := make(map[string][]string, len(d.Facets))
		for k, vs := range d.Facets {
			out := make([]string, len(vs))
			for i, v := range vs {
				out[i] = stripBidi(v)
			}
			fs[k] = out
		}
		d.Facets = fs
	}
	if ok, scheme := LinkURL(d.URL); !ok {
		u := d.URL
		d.URL = ""
		return d, "url " + truncate(u, 60) + " uses the " + scheme + ": scheme; only http(s) and relative URLs are linked, so the result is shown without a link"
	}
	return d, ""
}

// truncate quotes s, cut to at most n runes.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return strconv.Quote(string(r[:n]) + "…")
	}
	return strconv.Quote(s)
}
