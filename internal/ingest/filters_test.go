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

// TestDirNoIndex: pages that ask not to be indexed (Hugo's alias
// redirects) are skipped without a warning.
func TestDirNoIndex(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "old", "index.html"), `<!DOCTYPE html><html lang="en-us"><head><title>/new/</title><link rel="canonical" href="/new/"><meta name="robots" content="noindex"><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=/new/"></head></html>`)
	writeFile(t, filepath.Join(dir, "shy.html"), `<meta name="ROBOTS" content="NOINDEX, follow"><main>Some text.</main>`)
	writeFile(t, filepath.Join(dir, "new", "index.html"), `<meta name="robots" content="index, follow"><main>The page.</main>`)
	ids, warns, summary, _ := dirRun(t, dir, Options{})
	if !reflect.DeepEqual(ids, []string{"new/index.html"}) || len(warns) != 0 || summary != "indexed 1 document, skipped 2: 2 noindex; 0 warnings" {
		t.Errorf("got ids %v, warnings %v, summary %q; want new/index.html only, no warning, 2 noindex", ids, warns, summary)
	}
}
