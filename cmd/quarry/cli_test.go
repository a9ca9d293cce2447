package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/internal/site"
)

func runCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), err
}

func buildSeeds(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "site")
	if _, stderr, err := runCLI(t, "build", "-q", "-o", out, "../../corpus"); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	return out
}

func TestBuildAndQueryJSON(t *testing.T) {
	out := buildSeeds(t)
	stdout, _, err := runCLI(t, "query", out, "alipay", "--json", "--limit", "3")
	if err != nil {
		t.Fatal(err)
	}
	var resp struct {
		Total int `json:"total"`
		Hits  []struct {
			ID, Title, URL, Excerpt string
			Score                   float64
		} `json:"hits"`
		Facets map[string][]struct {
			Value string
			Count int
		} `json:"facets"`
	}
	if err := json.Unmarshal([]byte(stdout), &resp); err != nil {
		t.Fatalf("query --json output is not JSON: %v\n%s", err, stdout)
	}
	if resp.Total != 4 || len(resp.Hits) != 3 {
		t.Errorf("alipay: total %d, %d hits; want 4 and 3", resp.Total, len(resp.Hits))
	}
	for _, h := range resp.Hits {
		if h.ID == "" || h.URL == "" || h.Score <= 0 || !strings.Contains(strings.ToLower(h.Excerpt), "<mark>alipay</mark>") {
			t.Errorf("hit %+v lacks id, url, score or a marked excerpt", h)
		}
	}
	if len(resp.Facets["org"]) == 0 {
		t.Errorf("no org facets in %s", stdout)
	}
	stdout, _, err = runCLI(t, "query", out, "", "--filter", "org=Tencent", "--filter", "place=China", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(stdout), &resp); err != nil || resp.Total != 4 {
		t.Errorf("filter-only query: total %d, err %v", resp.Total, err)
	}
	stdout, _, err = runCLI(t, "entities", out, "--json")
	if err != nil || !strings.Contains(stdout, `"name":"Mark Zuckerberg"`) {
		t.Errorf("entities --json: %v\n%.300s", err, stdout)
	}
}

func TestCLIErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	corrupt := filepath.Join(dir, "corrupt.idx")
	os.WriteFile(corrupt, []byte("QUARRYIX not really an index"), 0o644)
	notIndex := filepath.Join(dir, "page.html")
	os.WriteFile(notIndex, []byte("<html></html>"), 0o644)
	badOverrides := filepath.Join(dir, "bad")
	os.Mkdir(badOverrides, 0o755)
	os.WriteFile(filepath.Join(badOverrides, "a.txt"), []byte("Title\n\nSome text about Alibaba."), 0o644)
	os.WriteFile(filepath.Join(badOverrides, "entities.yaml"), []byte("entities:\n  - name: X\n    type: persn\n"), 0o644)
	tests := []struct {
		name string
		args []string
		want []string
		code int
	}{
		{"no command", nil, []string{"no command"}, 2},
		{"unknown command", []string{"frobnicate"}, []string{`unknown command "frobnicate"`}, 2},
		{"build without -o", []string{"build", "corpus"}, []string{"needs -o OUT"}, 2},
		{"missing corpus", []string{"build", "-o", filepath.Join(dir, "o1"), filepath.Join(dir, "nope")}, []string{"read corpus", "nope"}, 1},
		{"empty corpus", []string{"build", "-o", filepath.Join(dir, "o2"), empty}, []string{"no documents found", "empty"}, 1},
		{"bad override file", []string{"build", "-o", filepath.Join(dir, "o3"), badOverrides}, []string{"entities.yaml:3", `unknown type "persn"`}, 1},
		{"corrupt index", []string{"query", corrupt, "x"}, []string{"corrupt.idx", "corrupt"}, 1},
		{"not an index", []string{"query", notIndex, "x"}, []string{"page.html", "not a Quarry index"}, 1},
		{"missing index", []string{"query", filepath.Join(dir, "none"), "x"}, []string{"open index", "none"}, 1},
		{"bad filter", []string{"query", corrupt, "x", "--filter", "org"}, []string{"TYPE=VALUE"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCLI(t, tt.args...)
			if err == nil {
				t.Fatalf("run(%v) succeeded, want error", tt.args)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if got := exitCode(err); got != tt.code {
				t.Errorf("exit code = %d, want %d", got, tt.code)
			}
		})
	}
	for _, o := range []string{"o1", "o2", "o3"} {
		if _, err := os.Stat(filepath.Join(dir, o)); err == nil {
			t.Errorf("failed build %s left an output folder behind", o)
		}
	}
}

// TestFailedBuildKeepsOldIndex: a failing rebuild leaves the previous
// index in place, untouched.
func TestFailedBuildKeepsOldIndex(t *testing.T) {
	out := buildSeeds(t)
	idx, err := site.IndexPath(out)
	if err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(idx)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCLI(t, "build", "-o", out, t.TempDir()); err == nil {
		t.Fatal("build of an empty corpus succeeded")
	}
	after, _ := os.ReadFile(idx)
	if !bytes.Equal(before, after) {
		t.Error("failed build changed the existing index")
	}
}

// TestHTMLSiteSections builds a small HTML site whose headings carry ids:
// a hit links to its page and lists the sections that matched, each
// linking to page#section with its heading; a match before the first
// heading lists none.
func TestHTMLSiteSections(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	if _, stderr, err := runCLI(t, "build", "-q", "-no-entities", "-o", out, "testdata/site"); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	type section struct{ Heading, URL, Excerpt string }
	tests := []struct {
		q, url   string
		sections []string // heading#url
		excerpt  string   // in the first section's excerpt
	}{
		{"accent colour", "/guide/", []string{"Configuring the widget /guide/#configure"}, "<mark>accent</mark> <mark>colour</mark>"},
		{"administrator", "/guide/", []string{"Installing /guide/#install"}, "no <mark>administrator</mark> rights"},
		{"removing", "/guide/", []string{"Removing /guide/#uninstall"}, "Delete the folder."},
		{"guide", "/guide/", nil, ""},
		{"welcome", "/", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			stdout, _, err := runCLI(t, "query", out, tt.q, "--json", "--complete")
			if err != nil {
				t.Fatal(err)
			}
			var resp struct {
				Hits []struct {
					URL      string
					Sections []section
				} `json:"hits"`
			}
			if err := json.Unmarshal([]byte(stdout), &resp); err != nil || len(resp.Hits) == 0 {
				t.Fatalf("no hits for %q: %v\n%s", tt.q, err, stdout)
			}
			h := resp.Hits[0]
			var got []string
			for _, s := range h.Sections {
				got = append(got, s.Heading+" "+s.URL)
			}
			if h.URL != tt.url || !slices.Equal(got, tt.sections) {
				t.Errorf("first hit url %q sections %q, want %q %q", h.URL, got, tt.url, tt.sections)
			}
			if tt.excerpt != "" && !strings.Contains(h.Sections[0].Excerpt, tt.excerpt) {
				t.Errorf("section excerpt %q, want it to hold %q", h.Sections[0].Excerpt, tt.excerpt)
			}
		})
	}
	// Navigation, footer and ignored blocks are not indexed.
	stdout, _, _ := runCLI(t, "query", out, "kumquat", "--json", "--complete")
	if !strings.Contains(stdout, `"total":0`) {
		t.Errorf("text from nav/footer was indexed: %s", stdout)
	}
	stdout, _, _ = runCLI(t, "query", out, "promotional", "--json", "--complete")
	if !strings.Contains(stdout, `"total":0`) {
		t.Errorf("data-quarry-ignore text was indexed: %s", stdout)
	}
}

// TestQueryValidation checks that query flags are checked alike and as
// the README promises (D12): negative paging refused, --filter-mode
// refusing types the index lacks as --filter does, and an index that is
// not the one its bundle was built with refused.
func TestQueryValidation(t *testing.T) {
	out := buildSeeds(t)
	other := filepath.Join(t.TempDir(), "other")
	mustBuild(t, "-q", "-o", other, smallCorpus(t))
	renamed := filepath.Join(t.TempDir(), "renamed")
	copyTree(t, out, renamed)
	idx, err := site.IndexPath(renamed)
	if err != nil {
		t.Fatal(err)
	}
	otherIdx, _ := site.IndexPath(other)
	b, _ := os.ReadFile(otherIdx)
	os.WriteFile(idx, b, 0o644)
	os.Remove(idx + ".br")
	os.Remove(idx + ".gz")
	tests := []struct {
		name string
		args []string
		want string // "": accepted
		code int
	}{
		{"limit", []string{"--limit", "3"}, "", 0},
		{"negative limit", []string{"--limit", "-1"}, "--limit must not be negative", 2},
		{"negative offset", []string{"--offset", "-5"}, "--offset must not be negative", 2},
		{"filter on an unknown type", []string{"--filter", "nosuch=x"}, `unknown filter "nosuch"`, 1},
		{"filter mode on an unknown type", []string{"--filter-mode", "nosuch=all"}, `unknown filter "nosuch"`, 1},
		{"filter mode on a known type", []string{"--filter-mode", "org=all"}, "", 0},
		{"unknown filter mode", []string{"--filter-mode", "org=sometimes"}, `unknown mode "sometimes" (want any, all or none)`, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCLI(t, append([]string{"query", out, "alipay"}, tt.args...)...)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || exitCode(err) != tt.code {
				t.Errorf("got %v (exit %d), want %q (exit %d)", err, exitCode(err), tt.want, tt.code)
			}
		})
	}
	t.Run("an index renamed into another bundle", func(t *testing.T) {
		_, _, err := runCLI(t, "query", renamed, "alipay")
		if err == nil || !strings.Contains(err.Error(), "not the index this bundle was built with") {
			t.Errorf("got %v, want a refusal", err)
		}
	})
}
