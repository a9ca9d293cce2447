package ingest

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/quarry-search/quarry/internal/doc"
)

// Attributes that mark content in built HTML pages.
const (
	attrBody   = "data-quarry-body"   // the element holding the main content
	attrIgnore = "data-quarry-ignore" // an element never indexed
	attrFilter = "data-quarry-filter" // "name:value", or "name" with the element's text as value
)

// dropAlways are elements whose text is never content.
var dropAlways = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Template: true, atom.Noscript: true,
	atom.Nav: true, atom.Svg: true, atom.Iframe: true, atom.Object: true,
	atom.Embed: true, atom.Canvas: true, atom.Button: true, atom.Select: true,
	atom.Head: true,
}

// dropChrome are page-chrome elements dropped when the content falls back
// to the whole <body> (inside <main>, <article> or a data-quarry-body
// element they are kept: an article's <header> usually holds its <h1>).
var dropChrome = map[atom.Atom]bool{
	atom.Header: true, atom.Footer: true, atom.Aside: true,
}

// inline are elements that do not break words apart.
var inline = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Bdi: true, atom.Bdo: true,
	atom.Cite: true, atom.Code: true, atom.Data: true, atom.Del: true, atom.Dfn: true,
	atom.Em: true, atom.Font: true, atom.I: true, atom.Ins: true, atom.Kbd: true,
	atom.Label: true, atom.Mark: true, atom.Q: true, atom.S: true, atom.Samp: true,
	atom.Small: true, atom.Span: true, atom.Strike: true, atom.Strong: true,
	atom.Sub: true, atom.Sup: true, atom.Time: true, atom.Tt: true, atom.U: true,
	atom.Var: true, atom.Wbr: true,
}

var headingLevel = map[atom.Atom]int{
	atom.H1: 1, atom.H2: 2, atom.H3: 3, atom.H4: 4, atom.H5: 5, atom.H6: 6,
}

// ParseHTML parses a page of a built HTML site. id is the file's slash
// path relative to the site root; the URL is derived from it
// ("a/index.html" → "/a/", "b.html" → "/b.html", "index.html" → "/").
//
// The main content is the first element with a data-quarry-body attribute,
// else <main>, else <article>, else <body> without its <header>, <footer>
// and <aside>. Scripts, styles, templates, <noscript>, <nav>, buttons,
// embedded objects and any element with a data-quarry-ignore or hidden
// attribute are always dropped. Block elements separate words; whitespace is collapsed
// and blocks end up on separate lines of Body.
//
// The title is the content's first <h1>, else <title>, else any <h1>, else
// one derived from the text. <html lang> gives Lang, <meta
// name="description"> Description, <meta name="date"> or
// article:published_time Date. Every h1–h6 heading with an id starts a
// Section that runs to the next one; text before the first is in Body
// only. A page without text is an error wrapping ErrNoText.
//
// A redirect page (<meta http-equiv="refresh"> with a URL: Hugo's
// aliases, other generators' moved pages) is an error wrapping
// ErrRedirect; a page with <meta name="robots" content="noindex"> (error
// pages) an error wrapping ErrNoIndex.
//
// The page's filters (Facets) come from anywhere in it, hidden or ignored
// elements included: data-quarry-filter="name:value" attributes (or
// data-quarry-filter="name" with the element's text as the value), <meta
// name="keywords"> (comma-separated, facet "keywords"), and the Open Graph
// article:tag (facet "tags") and article:section (facet "section") meta
// tags that Hugo's and Jekyll's SEO templates write. Declarations whose
// name is not a usable facet name are left out (see ParseHTMLFilters).
func ParseHTML(id string, data []byte) (doc.Document, error) {
	d, _, err := parseHTML(id, data)
	return d, err
}

// ParseHTMLFilters is ParseHTML that also returns one note per filter
// declaration left out, saying why.
func ParseHTMLFilters(id string, data []byte) (doc.Document, []string, error) {
	return parseHTML(id, data)
}

func parseHTML(id string, data []byte) (doc.Document, []string, error) {
	root, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return doc.Document{}, nil, fmt.Errorf("parse %s: %w", id, err)
	}
	d := doc.Document{ID: id, URL: htmlURL(id)}
	p := &htmlPage{}
	p.scan(root)
	if p.redirect {
		return doc.Document{}, nil, fmt.Errorf("parse %s: %w", id, ErrRedirect)
	}
	if p.noindex {
		return doc.Document{}, nil, fmt.Errorf("parse %s: %w", id, ErrNoIndex)
	}
	d.Lang = strings.TrimSpace(p.lang)
	d.Description = collapse(p.description)
	d.Date = strings.TrimSpace(p.date)

	content, fallback := p.marked, false
	for _, n := range []*html.Node{p.main, p.article} {
		if content == nil {
			content = n
		}
	}
	if content == nil {
		content, fallback = p.body, true
	}
	r := htmlRenderer{fallback: fallback}
	if content != nil {
		r.render(content)
	}
	d.Body = r.c.body.String()
	if d.Body == "" {
		return doc.Document{}, nil, fmt.Errorf("parse %s: %w", id, ErrNoText)
	}
	d.Sections = r.c.sections()
	for _, t := range []string{r.h1, collapse(p.title), p.h1, deriveTitle(firstLine(d.Body))} {
		if t != "" {
			d.Title = t
			break
		}
	}
	var f filters
	f.collect(root)
	d.Facets = f.facets
	return d, f.notes, nil
}

// refreshURL returns the URL of a <meta http-equiv="refresh"> content
// ("0; url=/new/", "5;URL='page.html'"), "" when it has none (a refresh
// of the page itself).
func refreshURL(content string) string {
	_, rest, ok := strings.Cut(content, ";")
	if !ok {
		_, rest, ok = strings.Cut(content, ",") // an old form
	}
	if !ok {
		return ""
	}
	rest = strings.TrimSpace(rest)
	if len(rest) >= 3 && strings.EqualFold(rest[:3], "url") {
		if r := strings.TrimSpace(rest[3:]); strings.HasPrefix(r, "=") {
			rest = strings.TrimSpace(r[1:])
		}
	}
	return strings.Trim(rest, `'" `)
}

// htmlURL derives a page URL from its path relative to the site root.
func htmlURL(rel string) string {
	u := "/" + fileURL(strings.TrimPrefix(rel, "/"))
	switch path.Base(u) {
	case "index.html", "index.htm":
		return strings.TrimSuffix(u, path.Base(u))
	}
	return u
}

// htmlPage holds what a first pass over the document finds.
type htmlPage struct {
	lang, title, description, date, h1 string
	marked, main, article, body        *html.Node
	noindex, redirect                  bool
}

func (p *htmlPage) scan(n *html.Node) {
	if n.Type == html.ElementNode {
		switch n.DataAtom {
		case atom.Html:
			p.lang = attr(n, "lang")
		case atom.Title:
			if p.title == "" {
				p.title = nodeText(n)
			}
		case atom.Meta:
			name := strings.ToLower(attr(n, "name") + attr(n, "property") + attr(n, "itemprop"))
			switch name {
			case "description", "og:description":
				if p.description == "" {
					p.description = attr(n, "content")
				}
			case "date", "article:published_time", "datepublished":
				if p.date == "" {
					p.date = attr(n, "content")
				}
			case "robots":
				p.noindex = p.noindex || strings.Contains(strings.ToLower(attr(n, "content")), "noindex")
			}
			if strings.EqualFold(strings.TrimSpace(attr(n, "http-equiv")), "refresh") && refreshURL(attr(n, "content")) != "" {
				p.redirect = true
			}
		case atom.Main:
			if p.main == nil {
				p.main = n
			}
		case atom.Article:
			if p.article == nil {
				p.article = n
			}
		case atom.Body:
			p.body = n
		case atom.H1:
			if p.h1 == "" && !ignored(n) {
				p.h1 = headingText(n)
			}
		}
		if p.marked == nil && hasAttr(n, attrBody) {
			p.marked = n
		}
		if ignored(n) {
			return
		}
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		p.scan(ch)
	}
}

// htmlRenderer writes the text of the main content to a collector.
type htmlRenderer struct {
	c        collector
	fallback bool // content is <body>: drop page chrome too
	h1       string
}

func (r *htmlRenderer) render(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		r.c.text(n.Data)
		return
	case html.ElementNode:
	case html.DocumentNode:
		r.children(n)
		return
	default:
		return
	}
	a := n.DataAtom
	if dropAlways[a] || ignored(n) || (r.fallback && dropChrome[a]) {
		return
	}
	if lvl := headingLevel[a]; lvl > 0 {
		t := headingText(n)
		if lvl == 1 && r.h1 == "" {
			r.h1 = t
		}
		if id := strings.TrimSpace(attr(n, "id")); id != "" {
			r.c.section(id, t)
		} else {
			r.c.block()
			r.c.text(t)
			r.c.block()
		}
		return
	}
	switch a {
	case atom.Br, atom.Hr:
		r.c.block()
		return
	case atom.Img, atom.Area:
		r.c.softSep()
		r.c.text(attr(n, "alt"))
		r.c.softSep()
		return
	case atom.Pre, atom.Textarea:
		r.c.block()
		for _, line := range strings.Split(nodeText(n), "\n") {
			r.c.text(line)
			r.c.block()
		}
		return
	case atom.Td, atom.Th:
		r.c.sep()
		r.children(n)
		r.c.sep()
		return
	}
	if inline[a] {
		r.children(n)
		return
	}
	r.c.block()
	r.children(n)
	r.c.block()
}

func (r *htmlRenderer) children(n *html.Node) {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		r.render(ch)
	}
}

// headingText is a heading's text with whitespace collapsed.
func headingText(n *html.Node) string {
	var r htmlRenderer
	r.children(n)
	return strings.ReplaceAll(r.c.body.String(), "\n", " ")
}

// nodeText is all text under n, verbatim, minus ignored elements.
func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			return
		}
		if n.Type == html.ElementNode && (ignored(n) || n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Br {
			b.WriteByte('\n')
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	return b.String()
}

func ignored(n *html.Node) bool { return hasAttr(n, attrIgnore) || hasAttr(n, "hidden") }

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return true
		}
	}
	return false
}
