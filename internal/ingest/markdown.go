package ingest

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/net/html/atom"

	"github.com/quarry-search/quarry/internal/doc"
)

// markdown is the Markdown parser: CommonMark plus the GFM extensions
// (tables, strikethrough, autolinks, task lists), definition lists,
// footnotes and heading attributes ("## Title {#id}"), as Hugo enables.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM, extension.DefinitionList, extension.Footnote),
	goldmark.WithParserOptions(parser.WithAttribute()),
)

// Front matter keys whose values become facets, by facet name.
var markdownFacets = []struct {
	facet string
	keys  []string
}{
	{"tags", []string{"tags"}},
	{"categories", []string{"categories"}},
	{"keywords", []string{"keywords"}},
	{"author", []string{"author", "authors"}},
}

// ParseMarkdown parses a Markdown page with optional YAML ("---") or TOML
// ("+++") front matter. id is the file's slash path relative to the
// content root. draft is true when the front matter says "draft: true"
// (the document is still returned; Dir skips it).
//
// Front matter gives Title (title, else linkTitle), Description
// (description, else summary), Date (date, else publishDate, as written),
// Lang (lang), the URL (url as is, or slug in place of the file name) and
// facets: tags, categories, keywords and author (from author and authors),
// each a list. Keys are matched case-insensitively. Without a title the
// first level-1 heading is used, then the file name.
//
// The body is rendered to plain text: code blocks and inline code are
// kept, links keep their text, images their alt text, raw HTML is dropped,
// and Hugo shortcode tags are removed while the content between paired
// tags is kept. Every heading starts a Section whose anchor is its {#id}
// attribute or a GitHub/Hugo-style slug of its text. Without a URL in the
// front matter the URL is the path without extension ("docs/intro.md" →
// "/docs/intro/", "x/_index.md" and "x/index.md" → "/x/"), percent-encoded.
//
// Malformed front matter is an error wrapping a *LineError that names the
// line in the file ("front matter line 3: ..."). A page with neither body,
// description nor title is an error wrapping ErrNoText.
func ParseMarkdown(id string, data []byte) (d doc.Document, draft bool, err error) {
	d, draft, _, err = parseMarkdown(id, data)
	return d, draft, err
}

// parseMarkdown is ParseMarkdown that also returns the problems met in a
// page it could read (warnings for Dir).
func parseMarkdown(id string, data []byte) (d doc.Document, draft bool, notes []string, err error) {
	s := normalizeNewlines(data)
	fmText, format, body, fmLine, err := splitFrontMatter(s)
	if err != nil {
		return doc.Document{}, false, nil, fmt.Errorf("parse %s: %w", id, err)
	}
	fm := frontMatter{}
	if format != "" {
		if fm, err = parseFrontMatter(fmText, format, fmLine); err != nil {
			return doc.Document{}, false, nil, fmt.Errorf("parse %s: %w", id, err)
		}
	}

	src := []byte(stripShortcodes(body))
	r := mdRenderer{src: src, anchors: uniqueAnchors{}}
	r.render(markdown.Parser().Parse(text.NewReader(src)), &r.c)

	d = doc.Document{
		ID:          id,
		URL:         markdownURL(id, fm),
		Body:        noShortcodeText(r.c.body.String()),
		Description: collapse(fm.str("description", "summary")),
		Date:        fm.str("date", "publishdate"),
		Lang:        fm.str("lang"),
		Sections:    r.c.sections(),
	}
	for i := range d.Sections {
		d.Sections[i].Heading = noShortcodeText(d.Sections[i].Heading)
		d.Sections[i].Text = noShortcodeText(d.Sections[i].Text)
	}
	fmTitle := collapse(fm.str("title", "linktitle"))
	for _, t := range []string{fmTitle, r.h1, fileTitle(id)} {
		if t != "" {
			d.Title = t
			break
		}
	}
	for _, f := range markdownFacets {
		vals, mapping := fm.list(f.keys...)
		if mapping {
			notes = append(notes, f.facet+": "+reasonMapping)
		}
		if len(vals) > 0 {
			if d.Facets == nil {
				d.Facets = map[string][]string{}
			}
			d.Facets[f.facet] = vals
		}
	}
	if d.Body == "" { // e.g. a section page made of front matter only
		d.Body = d.Description
		if d.Body == "" {
			d.Body = fmTitle
		}
	}
	if d.Body == "" && !fm.draft() {
		return doc.Document{}, false, nil, fmt.Errorf("parse %s: %w", id, ErrNoText)
	}
	return d, fm.draft(), notes, nil
}

// markdownURL derives a page URL from its path and front matter.
func markdownURL(id string, fm frontMatter) string {
	if u := fm.str("url"); u != "" {
		if !strings.HasPrefix(u, "/") && !strings.Contains(u, "://") {
			u = "/" + u
		}
		return u
	}
	dir, file := path.Split(id)
	base := strings.TrimSuffix(file, path.Ext(file))
	index := base == "index" || base == "_index"
	p := dir + base + "/"
	if slug := strings.Trim(fm.str("slug"), "/"); slug != "" {
		p = dir + slug + "/"
		if index {
			p = slug + "/"
			if parent := path.Dir(strings.TrimSuffix(dir, "/")); parent != "." {
				p = parent + "/" + slug + "/"
			}
		}
	} else if index {
		p = dir
	}
	return "/" + fileURL(p)
}

// fileTitle is the fallback title: the file name without extension, or
// the directory name for index pages.
func fileTitle(id string) string {
	dir, file := path.Split(id)
	base := strings.TrimSuffix(file, path.Ext(file))
	if (base == "index" || base == "_index") && dir != "" {
		return path.Base(dir)
	}
	return base
}

// sink receives rendered text: a collector, or a textBuilder for headings.
type sink interface {
	text(string)
	block()
	sep()
	softSep()
}

// mdRenderer walks a goldmark AST and writes plain text.
type mdRenderer struct {
	src     []byte
	c       collector
	h1      string
	anchors uniqueAnchors
	skipTo  int    // text segments starting before this offset are skipped
	lower   []byte // src in lower case, made when first needed
}

// rawTagRE matches the start of an inline raw HTML opening tag.
var rawTagRE = regexp.MustCompile(`^<([A-Za-z][A-Za-z0-9-]*)`)

// skipElement handles an inline raw HTML tag: when it opens an element
// whose text is never content (<script>, <style>, <template>... as in
// HTML pages, see dropAlways), the text up to its closing tag is skipped,
// across paragraphs as a browser would. A tag never closed is taken as a
// mention ("use a <script> tag") and skips nothing.
func (r *mdRenderer) skipElement(n *ast.RawHTML) {
	segs := n.Segments
	if segs.Len() == 0 {
		return
	}
	first, last := segs.At(0), segs.At(segs.Len()-1)
	m := rawTagRE.FindSubmatch(first.Value(r.src))
	if m == nil || !dropAlways[atom.Lookup(bytes.ToLower(m[1]))] ||
		bytes.HasSuffix(bytes.TrimSpace(last.Value(r.src)), []byte("/>")) {
		return
	}
	if r.lower == nil {
		r.lower = bytes.ToLower(r.src)
	}
	closing := append([]byte("</"), bytes.ToLower(m[1])...)
	if i := bytes.Index(r.lower[last.Stop:], closing); i >= 0 {
		r.skipTo = max(r.skipTo, last.Stop+i)
	}
}

// alertRE matches the marker of a GitHub-style alert ("[!NOTE]").
var alertRE = regexp.MustCompile(`^\[![A-Za-z]+\][+-]?`)

func (r *mdRenderer) children(n ast.Node, w sink) {
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		r.render(ch, w)
	}
}

func (r *mdRenderer) render(n ast.Node, w sink) {
	switch n := n.(type) {
	case *ast.Text:
		if r.skipTo > n.Segment.Start {
			return // part of an alert marker
		}
		v := n.Value(r.src)
		if !n.IsRaw() {
			v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
		}
		w.text(string(v))
		if n.HardLineBreak() {
			w.block()
		} else if n.SoftLineBreak() {
			w.sep()
		}
	case *ast.String:
		w.text(string(n.Value))
	case *ast.AutoLink:
		w.text(string(n.Label(r.src)))
	case *ast.RawHTML:
		r.skipElement(n)
	case *ast.HTMLBlock,
		*east.FootnoteLink, *east.FootnoteBacklink, *east.TaskCheckBox:
		// dropped
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		w.block()
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			if seg.Start < r.skipTo {
				continue // inside a raw <script> or the like
			}
			w.text(string(seg.Value(r.src)))
			w.block()
		}
	case *ast.Heading:
		var hb textBuilder
		r.children(n, &hb)
		t := strings.ReplaceAll(hb.String(), "\n", " ")
		if n.Level == 1 && r.h1 == "" {
			r.h1 = t
		}
		if w != sink(&r.c) { // a heading inside a heading: plain text
			w.text(t)
			return
		}
		anchor := ""
		if v, ok := n.AttributeString("id"); ok {
			switch v := v.(type) {
			case []byte:
				anchor = string(v)
			case string:
				anchor = v
			}
		}
		if anchor == "" {
			anchor = r.anchors.make(slugify(t))
		} else {
			r.anchors.make(anchor)
		}
		r.c.section(anchor, t)
	case *ast.Blockquote:
		// GitHub/Hugo alerts: "> [!NOTE]" – the marker is not text.
		if p, ok := n.FirstChild().(*ast.Paragraph); ok && p.Lines().Len() > 0 {
			first := p.Lines().At(0)
			if m := alertRE.Find(first.Value(r.src)); m != nil {
				r.skipTo = first.Start + len(m)
			}
		}
		w.block()
		r.children(n, w)
		w.block()
	case *ast.Image:
		w.softSep()
		r.children(n, w)
		w.softSep()
	case *east.TableCell:
		w.sep()
		r.children(n, w)
		w.sep()
	default:
		if n.Type() == ast.TypeBlock {
			w.block()
			r.children(n, w)
			w.block()
		} else {
			r.children(n, w)
		}
	}
}
