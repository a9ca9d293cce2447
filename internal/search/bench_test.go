package search

import (
	"bytes"
	"compress/gzip"
	"context"
	"sort"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
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
	_, data := openDocs(b, seedDocs(b))
	benchOpen(b, data)
}

// BenchmarkOpenCranfield measures opening the Cranfield index.
func BenchmarkOpenCranfield(b *testing.B) {
	docs, _, _ := cranfield(b)
	_, data := openDocs(b, docs)
	benchOpen(b, data)
}

// BenchmarkQueryCranfield runs the 225 Cranfield queries (finished, top
// 10 with excerpts, as a results page shows them) and reports the median
// and 95th percentile latency per query.
func BenchmarkQueryCranfield(b *testing.B) {
	docs, qs, _ := cranfield(b)
	e, _ := openDocs(b, docs)
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, q := range qs {
			start := time.Now()
			if _, err := e.Search(context.Background(), Request{Query: q.Text, Limit: 10, Complete: true}); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(start))
		}
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-p50")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "ms-p95")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkQueryTyping runs short as-you-type queries on the seeds.
func BenchmarkQueryTyping(b *testing.B) {
	e, _ := openDocs(b, seedDocs(b))
	qs := []string{"a", "al", "ali", "alip", "alipa", "alipay", "alipay w", "alipay we", "alipay wec", "alipay wechat"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, q := range qs {
			if _, err := e.Search(context.Background(), Request{Query: q, Limit: 10}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N*len(qs)), "ms/query")
}
