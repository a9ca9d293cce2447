package ingest

import (
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Filters a built HTML page declares about itself (see ParseHTML).

// metaFacets maps the meta tags read as filters to their facet names:
// Open Graph's article:tag and article:section (written by Hugo's
// internal opengraph template and jekyll-seo-tag) and the keywords list.
var metaFacets = map[string]string{
	"article:tag":     "tags",
	"article:section": "section",
	"keywords":        "keywords",
}

// facetNameRE is what a filter name may look like once lower-cased: the
// facet becomes an index field and a URL parameter (#f=name:value).
var facetNameRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,39}$`)

// reservedFacets are the index's own fields (schema.FieldTitle...).
var reservedFacets = map[string]bool{"title": true, "body": true, "url": true}

// maxFilterValue bounds one filter value, in bytes (a value is shown as a
// checkbox label; a paragraph marked by mistake is not one).
const maxFilterValue = 200

// filters collects a page's filter declarations.
type filters struct {
	facets map[string][]string
	notes  []string
}

func (f *filters) collect(n *html.Node) {
	if n.Type == html.ElementNode {
		if n.DataAtom == atom.Meta {
			key := strings.ToLower(strings.TrimSpace(attr(n, "name") + attr(n, "property")))
			if name, ok := metaFacets[key]; ok {
				content := attr(n, "content")
				if key == "keywords" {
					for _, v := range strings.Split(content, ",") {
						f.add(name, v, "")
					}
				} else {
					f.add(name, content, "")
				}
			}
		}
		if hasAttr(n, attrFilter) {
			spec := attr(n, attrFilter)
			name, value, hasValue := strings.Cut(spec, ":")
			if !hasValue {
				var b strings.Builder
				for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
					b.WriteString(nodeText(ch))
				}
				value = b.String()
			}
			f.add(name, value, spec)
		}
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		f.collect(ch)
	}
}

// add records value under the facet name; spec is the attribute as
// written, for notes ("" for meta tags, whose names are fixed).
func (f *filters) add(name, value, spec string) {
	name = strings.ToLower(strings.TrimSpace(name))
	value = collapse(value)
	switch {
	case !facetNameRE.MatchString(name):
		f.notes = append(f.notes, fmt.Sprintf("%s=%s: the filter name must be a letter followed by up to 39 letters, digits, _ or -; left out", attrFilter, truncate(spec, 60)))
		return
	case reservedFacets[name]:
		f.notes = append(f.notes, fmt.Sprintf("%s=%s: %q is a reserved name (title, body, url); left out", attrFilter, truncate(spec, 60), name))
		return
	case value == "":
		return
	case len(value) > maxFilterValue:
		f.notes = append(f.notes, fmt.Sprintf("filter %s: value of %d bytes (over %d); left out", name, len(value), maxFilterValue))
		return
	}
	if f.facets == nil {
		f.facets = map[string][]string{}
	}
	for _, v := range f.facets[name] {
		if v == value {
			return
		}
	}
	f.facets[name] = append(f.facets[name], value)
}
