package ingest

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Shared corpora, relative to this package (they live beside the repo).
const (
	hugoDocsDir  = "../../../shared/data/hugodocs/markdown"
	cranfieldDir = "../../../shared/data/cranfield"
)

func requireDir(tb testing.TB, dir string) {
	tb.Helper()
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		tb.Skipf("shared corpus %s not present (it lives beside the repo in shared/data); skipping", dir)
	}
}

var draftLineRE = regexp.MustCompile(`(?m)^draft\s*[:=]\s*["']?true["']?\s*$`)

// TestHugoDocs ingests the real Hugo documentation site (992 Markdown
// files with front matter and shortcodes).
func TestHugoDocs(t *testing.T) {
	requireDir(t, hugoDocsDir)
	var files int
	drafts := map[string]bool{}
	err := filepath.WalkDir(hugoDocsDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		files++
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		// Independent draft check: a draft line inside the front matter.
		if s := string(data); strings.HasPrefix(s, "---\n") || strings.HasPrefix(s, "+++\n") {
			if end := strings.Index(s[4:], "\n"+s[:3]+"\n"); end >= 0 && draftLineRE.MatchString(s[4:4+end+1]) {
				rel, _ := filepath.Rel(hugoDocsDir, p)
				drafts[filepath.ToSlash(rel)] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files != 992 {
		t.Errorf("found %d .md files, want 992 (has the shared corpus changed?)", files)
	}

	start := time.Now()
	res, err := Dir(context.Background(), hugoDocsDir, Options{})
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("Dir error: %v", err)
	}
	t.Logf("%s in %v (%d files)", res.Summary(), elapsed.Round(time.Millisecond), files)
	for _, w := range res.Warnings {
		t.Logf("warning: %s", w)
	}

	if got := len(res.Docs) + res.Skipped; got != files {
		t.Errorf("documents + skipped = %d, want every file (%d)", got, files)
	}
	if want := "indexed 991 documents, skipped 1: 1 empty; 1 warning"; res.Summary() != want {
		t.Errorf("summary = %q, want %q", res.Summary(), want)
	}
	if got := res.SkippedBy[SkipDraft]; got != len(drafts) {
		t.Errorf("drafts skipped = %d, want %d (%v)", got, len(drafts), drafts)
	}
	for _, d := range res.Docs {
		if drafts[d.ID] {
			t.Errorf("draft %s was indexed", d.ID)
		}
		if d.Title == "" || d.URL == "" || d.Body == "" {
			t.Errorf("%s: empty title, URL or body (%q, %q, %.40q)", d.ID, d.Title, d.URL, d.Body)
		}
		texts := []string{d.Title, d.Description, d.Body}
		for _, s := range d.Sections {
			texts = append(texts, s.Heading, s.Text)
		}
		for _, s := range texts {
			if i := strings.Index(s, "{{<"); i >= 0 || strings.Contains(s, "{{%") {
				t.Errorf("%s: shortcode syntax in indexed text: %.80q", d.ID, s[max(i, 0):])
				break
			}
		}
	}

	// Spot checks on a known page.
	for _, d := range res.Docs {
		if d.ID != "getting-started/quick-start.md" {
			continue
		}
		if d.Title != "Quick start" || d.URL != "/getting-started/quick-start/" || d.Description != "Create your first Hugo project." {
			t.Errorf("quick-start: title %q url %q description %q", d.Title, d.URL, d.Description)
		}
		if len(d.Sections) == 0 || d.Sections[0].Anchor != "prerequisites" {
			t.Errorf("quick-start: first section %+v, want anchor prerequisites", d.Sections[:min(1, len(d.Sections))])
		}
	}
}

func BenchmarkDirHugo(b *testing.B) {
	requireDir(b, hugoDocsDir)
	b.ReportAllocs()
	var docs int
	for b.Loop() {
		res, err := Dir(context.Background(), hugoDocsDir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		docs = len(res.Docs)
	}
	b.ReportMetric(float64(docs), "docs/op")
}

func BenchmarkDirCranfield(b *testing.B) {
	requireDir(b, cranfieldDir)
	opts := Options{
		Include: []string{"docs.json"},
		JSON:    JSONMapping{ID: "id", Title: "title", Body: "body"},
	}
	b.ReportAllocs()
	var docs int
	for b.Loop() {
		res, err := Dir(context.Background(), cranfieldDir, opts)
		if err != nil {
			b.Fatal(err)
		}
		docs = len(res.Docs)
	}
	if docs != 1398 { // 1400 abstracts, 471 and 995 are empty
		b.Errorf("indexed %d documents, want 1398", docs)
	}
	b.ReportMetric(float64(docs), "docs/op")
}
