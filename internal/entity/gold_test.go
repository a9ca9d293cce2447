package entity

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/quarry-search/quarry/internal/doc"
)

// corpusDir holds the seed articles; overridesPath their override file.
const (
	corpusDir     = "../../corpus"
	overridesPath = "../../corpus/entities.yaml"
	cranfieldPath = "../../../shared/data/cranfield/docs.json"
)

// loadSeeds reads corpus/*.txt: the file name is the id; the first line is
// the title when it is short (<= 100 chars) and does not end with a period.
func loadSeeds(t testing.TB) []doc.Document {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no seed corpus in %s: %v", corpusDir, err)
	}
	sort.Strings(files)
	var docs []doc.Document
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("reading %s: %v", f, err)
		}
		text := strings.ReplaceAll(string(b), "\r\n", "\n")
		d := doc.Document{ID: filepath.Base(f), Body: text}
		first, rest, _ := strings.Cut(text, "\n")
		first = strings.TrimSpace(first)
		if first != "" && utf8.RuneCountInString(first) <= 100 && !strings.HasSuffix(first, ".") {
			d.Title, d.Body = first, rest
		}
		docs = append(docs, d)
	}
	return docs
}

func loadGold(t *testing.T) map[string][]GoldEntity {
	t.Helper()
	b, err := os.ReadFile("testdata/gold.json")
	if err != nil {
		t.Fatalf("reading gold: %v", err)
	}
	var gold map[string][]GoldEntity
	if err := json.Unmarshal(b, &gold); err != nil {
		t.Fatalf("parsing gold: %v", err)
	}
	return gold
}

func logScores(t *testing.T, label string, s Scores) {
	t.Helper()
	t.Logf("%s: %s", label, s)
	for _, p := range s.Spurious {
		t.Logf("  spurious  %s", p)
	}
	for _, p := range s.Missed {
		t.Logf("  missed    %s", p)
	}
	for _, p := range s.Mistyped {
		t.Logf("  mistyped  %s", p)
	}
}

// TestGoldSeeds scores Extract on the five seed articles against the hand
// annotations in testdata/gold.json, without and with corpus/entities.yaml.
func TestGoldSeeds(t *testing.T) {
	docs, gold := loadSeeds(t), loadGold(t)
	for _, d := range docs {
		if _, ok := gold[d.ID]; !ok {
			t.Fatalf("gold has no annotations for %s", d.ID)
		}
	}
	start := time.Now()
	got, err := Extract(docs, Options{})
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	t.Logf("extracted %d entities from %d seed docs in %v", len(got), len(docs), time.Since(start))
	plain := Evaluate(got, gold)
	logScores(t, "without overrides", plain)

	ov, err := LoadOverrides(overridesPath)
	if err != nil {
		t.Fatalf("LoadOverrides: %v", err)
	}
	start = time.Now()
	withOv, err := Extract(docs, Options{Overrides: ov})
	if err != nil {
		t.Fatalf("Extract with overrides: %v", err)
	}
	t.Logf("second run (models loaded, with overrides) took %v", time.Since(start))
	logScores(t, "with overrides", Evaluate(withOv, gold))

	if plain.Precision < 0.95 || plain.Recall < 0.95 || plain.TypeAccuracy < 0.90 {
		t.Errorf("without overrides: got %s, want precision >= 0.95, recall >= 0.95, type accuracy >= 0.90", plain)
	}
}

// TestUnseenCorpus runs Extract on the first 300 Cranfield abstracts, a
// corpus the extractor was not tuned on, and checks only sanity.
func TestUnseenCorpus(t *testing.T) {
	b, err := os.ReadFile(cranfieldPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("unseen corpus %s not present (it lives in the shared data checkout); skipping", cranfieldPath)
	}
	if err != nil {
		t.Fatalf("reading %s: %v", cranfieldPath, err)
	}
	var recs []struct {
		ID, Title, Author, Body string
	}
	if err := json.Unmarshal(b, &recs); err != nil {
		t.Fatalf("parsing %s: %v", cranfieldPath, err)
	}
	if len(recs) > 300 {
		recs = recs[:300]
	}
	docs := make([]doc.Document, len(recs))
	for i, r := range recs {
		docs[i] = doc.Document{ID: r.ID, Title: r.Title, Body: r.Body}
	}
	start := time.Now()
	got, err := Extract(docs, Options{})
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	t.Logf("%d entities from %d docs in %v", len(got), len(docs), time.Since(start))
	top := append([]Entity(nil), got...)
	sort.SliceStable(top, func(i, j int) bool {
		if len(top[i].Docs) != len(top[j].Docs) {
			return len(top[i].Docs) > len(top[j].Docs)
		}
		return top[i].Name < top[j].Name
	})
	for i, e := range top {
		if i == 30 {
			break
		}
		t.Logf("%2d. %-30s %-8s %d docs  aliases %v", i+1, e.Name, e.Type, len(e.Docs), e.Aliases)
	}
	l := getLexicon()
	for _, e := range got {
		if strings.TrimSpace(e.Name) == "" {
			t.Errorf("entity with empty name: %+v", e)
		}
		if isCalendar(e.Name) || l.isDemonym(e.Name) {
			t.Errorf("junk entity %q (%s): month, weekday or nationality adjective", e.Name, e.Type)
		}
	}
}

// TestDumpSeeds logs every extracted entity (debug aid: go test -run Dump -v).
func TestDumpSeeds(t *testing.T) {
	if !testing.Verbose() {
		t.Skip("debug dump; run with -v")
	}
	got, err := Extract(loadSeeds(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range got {
		t.Logf("%-8s %-32s %v %v", e.Type, e.Name, e.Aliases, e.Docs)
	}
}
