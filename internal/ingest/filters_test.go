package ingest

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseHTMLFilters(t *testing.T) {
	tests := []struct {
		name      string
		page      string
		want      map[string][]string
		wantNotes []string // substrings, one per note
	}{
		{"name:value attribute", `<main data-quarry-filter="author:Jane Doe">x</main>`,
			map[string][]string{"author": {"Jane Doe"}}, nil},
		{"name only takes the element's text", `<main>x <span data-quarry-filter="category"> Getting   started </span></main>`,
			map[string][]string{"category": {"Getting started"}}, nil},
		{"value keeps later colons", `<main>x<i data-quarry-filter="version:v1:beta"></i></main>`,
			map[string][]string{"version": {"v1:beta"}}, nil},
		{"name is lower-cased and trimmed", `<main data-quarry-filter=" Author :Jane">x</main>`,
			map[string][]string{"author": {"Jane"}}, nil},
		{"outside the content, hidden or ignored still count",
			`<header data-quarry-filter="site:Docs"></header><main>x<p hidden data-quarry-filter="tier:pro"></p><p data-quarry-ignore><b data-quarry-filter="tier">free</b></p></main>`,
			map[string][]string{"site": {"Docs"}, "tier": {"pro", "free"}}, nil},
		{"repeated values once, in page order", `<main>x<a data-quarry-filter="tags:b"></a><a data-quarry-filter="tags:a"></a><a data-quarry-filter="tags:b"></a></main>`,
			map[string][]string{"tags": {"b", "a"}}, nil},
		{"meta keywords split on commas", `<head><meta name="keywords" content="templates, front matter,, ,Go"></head><main>x</main>`,
			map[string][]string{"keywords": {"templates", "front matter", "Go"}}, nil},
		{"Open Graph article tags and section", `<head><meta property="article:section" content="docs"><meta property="article:tag" content="cli"><meta property="article:tag" content="install"></head><main>x</main>`,
			map[string][]string{"section": {"docs"}, "tags": {"cli", "install"}}, nil},
		{"article:tag and data-quarry-filter tags merge", `<head><meta property="article:tag" content="cli"></head><main data-quarry-filter="tags:go">x</main>`,
			map[string][]string{"tags": {"cli", "go"}}, nil},
		{"other meta tags are not filters", `<head><meta name="description" content="d"><meta property="og:type" content="article"></head><main>x</main>`,
			nil, nil},
		{"empty values are dropped silently", `<main data-quarry-filter="tags:">x<span data-quarry-filter="tags"> </span></main>`,
			nil, nil},
		{"reserved names are left out with a note", `<main data-quarry-filter="title:x">x</main>`,
			nil, []string{`"title" is a reserved name`}},
		{"bad names are left out with a note", `<main>x<b data-quarry-filter="my tag:x"></b><b data-quarry-filter=":x"></b><b data-quarry-filter="_id:1"></b></main>`,
			nil, []string{"filter name must be", "filter name must be", "filter name must be"}},
		{"a paragraph is no value", `<main>x<p data-quarry-filter="topic">` + strings.Repeat("word ", 50) + `</p></main>`,
			nil, []string{"value of 249 bytes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, notes, err := ParseHTMLFilters("p.html", []byte(tt.page))
			if err != nil {
				t.Fatalf("ParseHTMLFilters: %v", err)
			}
			if !reflect.DeepEqual(got.Facets, tt.want) {
				t.Errorf("got facets %#v, want %#v", got.Facets, tt.want)
			}
			if len(notes) != len(tt.wantNotes) {
				t.Fatalf("got notes %q, want %d like %q", notes, len(tt.wantNotes), tt.wantNotes)
			}
			for i, n := range notes {
				if !strings.Contains(n, tt.wantNotes[i]) {
					t.Errorf("note %d: got %q, want it to contain %q", i, n, tt.wantNotes[i])
				}
			}
		})
	}
}

// TestDirHTMLFilterNotes: a filter left out is a warning naming the file;
// the page is still indexed with its other filters.
func TestDirHTMLFilterNotes(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a", "index.html"), `<main data-quarry-filter="url:x">Hello <b data-quarry-filter="kind:guide"></b></main>`)
	_, _, _, res := dirRun(t, dir, Options{})
	if len(res.Docs) != 1 || !reflect.DeepEqual(res.Docs[0].Facets, map[string][]string{"kind": {"guide"}}) {
		t.Fatalf("got docs %+v, want one with facets kind: [guide]", res.Docs)
	}
	if len(res.Warnings) != 1 || res.Warnings[0].File != "a/index.html" || !strings.Contains(res.Warnings[0].Reason, "reserved") {
		t.Errorf("got warnings %v, want one about the reserved name in a/index.html", res.Warnings)
	}
}

// TestDirNoIndex: pages that ask not to be indexed and redirect pages
// (Hugo's aliases) are skipped without a warning, each counted in the
// summary line.
func TestDirNoIndex(t *testing.T) {
	hugoAlias := `<!DOCTYPE html><html lang="en-us"><head><title>/new/</title><link rel="canonical" href="/new/"><meta name="robots" content="noindex"><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=/new/"></head></html>`
	tests := []struct {
		name        string
		pages       map[string]string
		wantIDs     []string
		wantSummary string
	}{
		{"Hugo alias, noindex page, indexed page", map[string]string{
			"old/index.html": hugoAlias,
			"shy.html":       `<meta name="ROBOTS" content="NOINDEX, follow"><main>Some text.</main>`,
			"new/index.html": `<meta name="robots" content="index, follow"><main>The page.</main>`,
		}, []string{"new/index.html"}, "indexed 1 document, skipped 2: 1 noindex, 1 redirect; 0 warnings"},
		{"redirects without noindex, with text, in other spellings", map[string]string{
			"a.html":         `<html><head><meta http-equiv="refresh" content="0;url=https://example.org/a"></head><body></body></html>`,
			"b.html":         `<meta HTTP-EQUIV="Refresh" content="5; URL='/b/'"><main>This page has moved to <a href="/b/">/b/</a>.</main>`,
			"c.html":         `<meta http-equiv="refresh" content="3, url=/c/"><p>Moved.</p>`,
			"new/index.html": `<main>The page.</main>`,
		}, []string{"new/index.html"}, "indexed 1 document, skipped 3: 3 redirects; 0 warnings"},
		{"a refresh without a URL is no redirect", map[string]string{
			"live.html": `<meta http-equiv="refresh" content="30"><main>Live scores.</main>`,
			"semi.html": `<meta http-equiv="refresh" content="30; "><main>Also live.</main>`,
		}, []string{"live.html", "semi.html"}, "indexed 2 documents, skipped 0; 0 warnings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, page := range tt.pages {
				writeFile(t, filepath.Join(dir, filepath.FromSlash(name)), page)
			}
			ids, warns, summary, _ := dirRun(t, dir, Options{})
			if !reflect.DeepEqual(ids, tt.wantIDs) || len(warns) != 0 || summary != tt.wantSummary {
				t.Errorf("got ids %v, warnings %v, summary %q; want %v, no warning, %q", ids, warns, summary, tt.wantIDs, tt.wantSummary)
			}
		})
	}
}

func TestRefreshURL(t *testing.T) {
	tests := []struct{ content, want string }{
		{"0; url=/new/", "/new/"},
		{"0;URL='https://example.org/x'", "https://example.org/x"},
		{`5; url="page.html"`, "page.html"},
		{"1, url=/old-form/", "/old-form/"},
		{"0; /bare/", "/bare/"},
		{"30", ""},
		{"30;", ""},
		{"0; url=", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := refreshURL(tt.content); got != tt.want {
			t.Errorf("refreshURL(%q) = %q, want %q", tt.content, got, tt.want)
		}
	}
}
