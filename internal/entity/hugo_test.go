package entity

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/ingest"
)

// hugoDocsPath holds the Hugo documentation (Markdown), a docs site the
// extractor was not tuned on.
const hugoDocsPath = "../../../shared/data/hugodocs/markdown"

// loadHugo ingests the Hugo docs exactly like the CLI does, or skips.
func loadHugo(tb testing.TB) []doc.Document {
	tb.Helper()
	if _, err := os.Stat(hugoDocsPath); errors.Is(err, fs.ErrNotExist) {
		tb.Skipf("unseen docs corpus %s not present (it lives in the shared data checkout); skipping", hugoDocsPath)
	}
	res, err := ingest.Dir(context.Background(), hugoDocsPath, ingest.Options{})
	if err != nil {
		tb.Fatalf("ingest.Dir(%s): %v", hugoDocsPath, err)
	}
	return res.Docs
}

// byDocCount returns es sorted by descending document count, then name.
func byDocCount(es []Entity) []Entity {
	top := append([]Entity(nil), es...)
	sort.SliceStable(top, func(i, j int) bool {
		if len(top[i].Docs) != len(top[j].Docs) {
			return len(top[i].Docs) > len(top[j].Docs)
		}
		return top[i].Name < top[j].Name
	})
	return top
}

// codeish reports why a name is a code identifier by the extractor's own
// rules, or "" when it is not.
func codeish(name string) string {
	if strings.ContainsAny(name, "{}$_()[]<>=/\\`") {
		return "code punctuation"
	}
	for _, w := range strings.Fields(name) {
		if isCodeWord(w) {
			return "code word " + w
		}
	}
	return ""
}

// TestUnseenHugo runs Extract on the Hugo documentation and checks that
// the most frequent entities are usable filters: no code identifiers, no
// acronym places the gazetteer does not know, no language names, and
// "Hugo" (the product) not swallowed by "Victor Hugo".
func TestUnseenHugo(t *testing.T) {
	docs := loadHugo(t)
	start := time.Now()
	got, err := Extract(docs, Options{})
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	t.Logf("%d entities from %d docs in %v", len(got), len(docs), time.Since(start))
	top := byDocCount(got)
	for i, e := range top {
		if i == 30 {
			break
		}
		t.Logf("%2d. %-28s %-8s %3d docs  aliases %v", i+1, e.Name, e.Type, len(e.Docs), e.Aliases)
	}
	l := getLexicon()
	for i, e := range top {
		if i == 50 {
			break
		}
		t.Run(e.Name, func(t *testing.T) {
			names := append([]string{e.Name}, e.Aliases...)
			for _, n := range names {
				if why := codeish(n); why != "" {
					t.Errorf("got %q (%s, %d docs) with a code identifier %q (%s), want none in the top 50", e.Name, e.Type, len(e.Docs), n, why)
				}
				if l.languages[strings.ToLower(n)] || l.isDemonym(n) {
					t.Errorf("got language or nationality %q (%s) in the top 50, want none", n, e.Type)
				}
			}
			if _, known := l.place(e.Name); e.Type == Place && !known && isAcronym(e.Name) {
				t.Errorf("got place %q without gazetteer evidence, want no acronym-only place", e.Name)
			}
		})
	}
	if len(top) == 0 || top[0].Name != "Hugo" || top[0].Type == Person || top[0].Type == Place {
		t.Errorf("got top entity %+v, want Hugo as a product or org", top[0])
	}
}

// TestHugoDeterminism checks that the parallel stages give byte-identical
// output whatever the number of workers.
func TestHugoDeterminism(t *testing.T) {
	docs := loadHugo(t)
	run := func(procs int) []byte {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		got, err := Extract(docs, Options{})
		if err != nil {
			t.Fatalf("Extract with GOMAXPROCS=%d: %v", procs, err)
		}
		b, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	want := run(1)
	for _, procs := range []int{2, 4, 2} {
		if got := run(procs); string(got) != string(want) {
			t.Fatalf("GOMAXPROCS=%d: got output differing from GOMAXPROCS=1 (%d vs %d bytes)", procs, len(got), len(want))
		}
	}
}

// BenchmarkExtractHugo times Extract on the Hugo documentation (992
// Markdown pages).
func BenchmarkExtractHugo(b *testing.B) {
	docs := loadHugo(b)
	if _, err := model(); err != nil { // load prose once, outside the timing
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Extract(docs, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExtractSeeds times Extract on the five seed news articles.
func BenchmarkExtractSeeds(b *testing.B) {
	if files, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt")); len(files) == 0 {
		b.Skipf("seed corpus %s not present; skipping", corpusDir)
	}
	docs := loadSeeds(b)
	if _, err := model(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Extract(docs, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
