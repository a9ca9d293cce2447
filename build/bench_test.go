package build

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/quarry-search/quarry/internal/indexfile"
	"github.com/quarry-search/quarry/internal/ingest"
)

const sharedData = "../../shared/data"

func benchCorpus(b *testing.B, dir string, entities bool) {
	if _, err := os.Stat(dir); err != nil {
		b.Skipf("%s not found (../shared/data is absent): skipping", dir)
	}
	b.ReportAllocs()
	var size int
	for i := 0; i < b.N; i++ {
		res, err := ingest.Dir(context.Background(), dir, ingest.Options{})
		if err != nil {
			b.Fatal(err)
		}
		idx, _, err := Corpus(context.Background(), res.Docs, CorpusOptions{NoEntities: !entities})
		if err != nil {
			b.Fatal(err)
		}
		enc, err := indexfile.EncodeIndex(idx, indexfile.Options{})
		if err != nil {
			b.Fatal(err)
		}
		size = enc.WholeSize()
	}
	b.ReportMetric(float64(size), "index-bytes")
}

// cranfieldDir makes a corpus folder holding Cranfield's docs.json.
func cranfieldDir(b *testing.B) string {
	src := filepath.Join(sharedData, "cranfield", "docs.json")
	data, err := os.ReadFile(src)
	if err != nil {
		b.Skipf("%s not found (../shared/data is absent): skipping", src)
	}
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "docs.json"), data, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkBuildCranfield: 1400 abstracts from JSON to index file.
func BenchmarkBuildCranfield(b *testing.B) { benchCorpus(b, cranfieldDir(b), true) }

// BenchmarkBuildCranfieldNoEntities: the same without entity extraction.
func BenchmarkBuildCranfieldNoEntities(b *testing.B) { benchCorpus(b, cranfieldDir(b), false) }

// BenchmarkBuildHugo: the 992-page Hugo documentation in Markdown.
func BenchmarkBuildHugo(b *testing.B) {
	benchCorpus(b, filepath.Join(sharedData, "hugodocs", "markdown"), true)
}

// BenchmarkBuildHugoNoEntities: the same without entity extraction.
func BenchmarkBuildHugoNoEntities(b *testing.B) {
	benchCorpus(b, filepath.Join(sharedData, "hugodocs", "markdown"), false)
}
