package engine

import (
	"bytes"
	"compress/gzip"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/search"
	"github.com/quarry-search/quarry/internal/testcorpus"
)

// reportSizes reports an index file's raw, gzip and brotli sizes.
func reportSizes(b *testing.B, data []byte) {
	var gz, br bytes.Buffer
	gw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	gw.Write(data)
	gw.Close()
	bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
	bw.Write(data)
	bw.Close()
	b.ReportMetric(float64(len(data)), "raw-bytes")
	b.ReportMetric(float64(gz.Len()), "gzip-bytes")
	b.ReportMetric(float64(br.Len()), "brotli-bytes")
}

func benchOpen(b *testing.B, data []byte) {
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Open(data); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportSizes(b, data) // after the loop: ResetTimer drops reported metrics
}

// BenchmarkOpenSeeds measures opening (checking and parsing) the seed index.
func BenchmarkOpenSeeds(b *testing.B) {
	benchOpen(b, buildIndex(b, testcorpus.Seeds(b), build.Options{}))
}

// BenchmarkOpenCranfield measures opening the Cranfield index.
func BenchmarkOpenCranfield(b *testing.B) {
	benchOpen(b, buildIndex(b, testcorpus.Cranfield(b).Docs, build.Options{}))
}

// latencies runs every query of c through search and reports the median
// and 95th percentile latency per query.
func latencies(b *testing.B, qs []testcorpus.Query, search func(q string) error) {
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, q := range qs {
			start := time.Now()
			if err := search(q.Text); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(start))
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-p50")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "ms-p95")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkQueryCranfield runs the 225 Cranfield queries (finished, top
// 10 with excerpts, as a results page shows them), with the lean engine
// and, for the ratio, with the engine it replaced (bleve's searchers).
func BenchmarkQueryCranfield(b *testing.B) {
	c := testcorpus.Cranfield(b)
	data := buildIndex(b, c.Docs, build.Options{})
	b.Run("lean", func(b *testing.B) {
		e, _ := Open(data)
		latencies(b, c.Queries, func(q string) error {
			_, err := e.Search(Request{Query: q, Limit: 10, Complete: true})
			return err
		})
	})
	b.Run("bleve", func(b *testing.B) {
		e, _ := search.Build(context.Background(), c.Docs, search.Options{})
		latencies(b, c.Queries, func(q string) error {
			_, err := e.Search(context.Background(), search.Request{Query: q, Limit: 10, Complete: true})
			return err
		})
	})
}

// BenchmarkQueryTyping runs short as-you-type queries on the seeds.
func BenchmarkQueryTyping(b *testing.B) {
	e, _ := Open(buildIndex(b, testcorpus.Seeds(b), build.Options{}))
	qs := []string{"a", "al", "ali", "alip", "alipa", "alipay", "alipay w", "alipay we", "alipay wec", "alipay wechat"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, q := range qs {
			if _, err := e.Search(Request{Query: q, Limit: 10}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N*len(qs)), "ms/query")
}
