package engine

import (
	"fmt"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/doc"
)

// What a hit shows of its page: the sections that matched, the
// corrected query, marks without stop words. Hand-made documents, so
// nothing from ../shared/data is needed.

// openPages opens an index of docs, their URLs kept.
func openPages(t *testing.T, docs []doc.Document) *Engine {
	t.Helper()
	e, err := Open(buildIndex(t, docs, build.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// guide is a page with five sections; "kumquat" is only in the third.
var guide = doc.Document{ID: "guide", URL: "/guide/#top", Title: "The guide",
	Body: "An introduction to installing things.\n\n" +
		"Install\n\nDownload the archive and unpack it on a disk.\n\n" +
		"Configure\n\nSet the colour of links on pages.\n\n" +
		"Kumquats\n\nA kumquat is a small fruit, and a kumquat tree grows in pots.\n\n" +
		"Upgrade\n\nInstall the new archive over the old one, then configure it.\n\n" +
		"Remove\n\nDelete the folder.",
	Sections: []doc.Section{
		{Anchor: "install", Heading: "Install"}, {Anchor: "configure", Heading: "Configure"},
		{Anchor: "kumquats", Heading: "Kumquats"}, {Anchor: "upgrade", Heading: "Upgrade"}, {Anchor: "remove", Heading: "Remove"},
	}}

var other = doc.Document{ID: "other", URL: "/other/", Title: "Other page", Body: "Nothing here but Kumquat trees and windows."}

func TestHitSections(t *testing.T) {
	e := openPages(t, []doc.Document{guide, other})
	tests := []struct {
		q        string
		excerpt  string   // of the guide's hit (held by it when no section is listed)
		sections []string // heading url: excerpt
	}{
		{"kumquat", "An introduction to installing things.", []string{
			"Kumquats /guide/#kumquats: A <mark>kumquat</mark> is a small fruit, and a <mark>kumquat</mark> tree grows in pots."}},
		// Most distinct terms first (Upgrade has both), then most matches
		// (Install: heading and text), then page order.
		{"install configure", "An introduction to <mark>installing</mark> things.", []string{
			"Upgrade /guide/#upgrade: <mark>Install</mark> the new archive over the old one, then <mark>configure</mark> it.",
			"Install /guide/#install: Download the archive and unpack it on a disk.",
			"Configure /guide/#configure: Set the colour of links on pages.",
		}},
		// Four sections match "archive", "disk", "links", "folder"...:
		// three are listed.
		{"archive links folder", "An introduction to installing things.", []string{
			"Install /guide/#install: Download the <mark>archive</mark> and unpack it on a disk.",
			"Configure /guide/#configure: Set the colour of <mark>links</mark> on pages.",
			"Upgrade /guide/#upgrade: Install the new <mark>archive</mark> over the old one, then configure it.",
		}},
		// Only the introduction matches: no section, the whole page.
		{"introduction", "<mark>introduction</mark> to installing things.\n\nInstall", nil},
		// Only the title matches: no section.
		{"guide", "An introduction to installing things.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			resp, err := e.Search(Request{Query: tt.q, Complete: true})
			if err != nil {
				t.Fatal(err)
			}
			var h *Hit
			for i := range resp.Hits {
				if resp.Hits[i].ID == "guide" {
					h = &resp.Hits[i]
				}
			}
			if h == nil {
				t.Fatalf("no hit for the guide: %+v", resp.Hits)
			}
			var got []string
			for _, s := range h.Sections {
				got = append(got, fmt.Sprintf("%s %s: %s", s.Heading, s.URL, s.Excerpt))
			}
			if h.URL != guide.URL {
				t.Errorf("url %q, want the page's %q", h.URL, guide.URL)
			}
			ex := h.Excerpt
			if len(h.Sections) == 0 && strings.Contains(ex, tt.excerpt) {
				ex = tt.excerpt
			}
			if ex != tt.excerpt || strings.Join(got, "\n") != strings.Join(tt.sections, "\n") {
				t.Errorf("got excerpt %q, sections\n%s\nwant %q,\n%s", h.Excerpt, strings.Join(got, "\n"), tt.excerpt, strings.Join(tt.sections, "\n"))
			}
		})
	}
	// Without excerpts, no sections.
	resp, _ := e.Search(Request{Query: "kumquat", Complete: true, NoExcerpt: true})
	for _, h := range resp.Hits {
		if h.Sections != nil {
			t.Errorf("sections without excerpts: %+v", h)
		}
	}
}

func TestCorrected(t *testing.T) {
	docs := []doc.Document{guide, other,
		{ID: "w", URL: "/w/", Title: "WINDOWS notes", Body: "Windows and windows' frames; the Windows installer."},
	}
	e := openPages(t, docs)
	tests := []struct {
		q, want string
		mode    string
	}{
		{"kumqat", "kumquat", "fuzzy"},
		{"Kumqat", "kumquat", "fuzzy"}, // the first hit (the guide) writes it in lower case
		// A capital typed: the case of the first hit writing the word
		// (the other page, first with both words).
		{"Kumqat windows", "Kumquat windows", "fuzzy"},
		{"kumqat  pots", "kumquat pots", "fuzzy"}, // spaces folded
		{"windws installer", "windows installer", "fuzzy"},
		{"kumquat", "", "plain"}, // nothing corrected
		{"zzzzqqq", "", "plain"}, // nothing found
	}
	for _, tt := range tests {
		resp, err := e.Search(Request{Query: tt.q, Complete: true})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Corrected != tt.want || resp.Mode != tt.mode {
			t.Errorf("%q: corrected %q (%s), want %q (%s)", tt.q, resp.Corrected, resp.Mode, tt.want, tt.mode)
		}
	}
	// No excerpts, no text read: no correction shown.
	resp, _ := e.Search(Request{Query: "kumqat", Complete: true, NoExcerpt: true})
	if resp.Corrected != "" {
		t.Errorf("corrected %q without excerpts", resp.Corrected)
	}
}

func TestStopWordsNotMarked(t *testing.T) {
	e := openPages(t, []doc.Document{{ID: "a", URL: "/a/", Title: "Install", Body: "Install Hugo on Windows, then on Linux."}})
	tests := []struct{ q, want string }{
		{"hugo on windows", "Install <mark>Hugo</mark> on <mark>Windows</mark>, then on Linux."},
		{"install hugo on windows", "<mark>Install</mark> <mark>Hugo</mark> on <mark>Windows</mark>, then on Linux."},
		// Only stop words: they are what was searched, so marked.
		{"on", "Install Hugo <mark>on</mark> Windows, then <mark>on</mark> Linux."},
	}
	for _, tt := range tests {
		resp, err := e.Search(Request{Query: tt.q, Complete: true})
		if err != nil || len(resp.Hits) == 0 {
			t.Fatalf("%q: %v %+v", tt.q, err, resp)
		}
		if got := resp.Hits[0].Excerpt; got != tt.want {
			t.Errorf("%q: excerpt %q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"kumqat", "kumquat", 1}, {"windws", "windows", 1},
		{"windows'", "windws", 2}, {"éte", "été", 1}, {"flaw", "lawn", 2},
	} {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
