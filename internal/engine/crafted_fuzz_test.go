package engine_test

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash/crc32"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/bridge"
	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/engine"
	"github.com/quarry-search/quarry/internal/indexfile"
)

// FuzzCraftedIndex searches index files crafted by someone who knows the
// format: the parts of a real index file — its metadata, inline text,
// positions segment and light segment — damaged, then put back together
// with the header's lengths and the CRC-32C recomputed (and, for a
// positions segment shipped as its own file, the checksum the metadata
// holds for it), so that the damage gets past the checks that refuse an
// accidentally damaged file and reaches everything behind them. Every
// index that opens is searched with a set of queries of every kind
// (plain, typing, typo, phrase, wildcard, fuzzy syntax, filters and
// facets, paging, feedback), natively and through the browser bridge.
//
// Nothing may panic (a panic the engine or the bridge recovers into an
// error fails too), and no call may take more than a bounded time or
// allocate more than a bound derived from the file's size.
//
// The input is the four parts, whether the positions segment is inline
// or its own file, and a patch written over one part (part % 4) at offset
// at: the fuzzer's insertions and deletions shift every offset after
// them, which the readers mostly refuse early; a patch damages bytes in
// place. The inputs are kilobytes long; cap minimizing:
//
//	go test -run '^$' -fuzz FuzzCraftedIndex -fuzztime 10m -fuzzminimizetime 100x ./internal/engine/
func FuzzCraftedIndex(f *testing.F) {
	data, err := build.Index(context.Background(), craftedDocs, build.Options{FacetFields: []string{"org", "tags"}})
	if err != nil {
		f.Fatal(err)
	}
	whole := splitIndex(f, data)
	inlined, err := indexfile.Inline(data)
	if err != nil {
		f.Fatal(err)
	}
	one := splitIndex(f, inlined)
	for _, s := range []struct {
		p        parts
		separate bool
	}{{whole, false}, {whole, true}, {one, false}} {
		file, pos := s.p.assemble(s.separate)
		e, err := engine.Open(file)
		if err != nil {
			f.Fatalf("seed does not open: %v", err)
		}
		if s.separate {
			// A phrase asks for the positions file, which passes its check.
			resp, err := e.Search(engine.Request{Query: `"wechat pay"`, Complete: true})
			if err != nil || len(resp.Missing) != 1 || !e.IsPositionsFile(resp.Missing[0]) {
				f.Fatalf("phrase on the light seed: missing %v, %v", resp.Missing, err)
			}
			if _, err := e.WithPositions(pos); err != nil {
				f.Fatalf("positions file of the seed: %v", err)
			}
		}
		for part := uint8(0); part < 4; part++ {
			f.Add(s.p.meta, s.p.text, s.p.positions, s.p.segment, s.separate, part, uint32(0), []byte(nil))
		}
		f.Add(s.p.meta, s.p.text, s.p.positions, s.p.segment, s.separate, uint8(3), uint32(len(s.p.segment)/2), []byte{0xff, 0xff})
		f.Add(s.p.meta, s.p.text, s.p.positions, s.p.segment, s.separate, uint8(1), uint32(30), []byte{0xff})
	}
	f.Fuzz(func(t *testing.T, meta, text, positions, segment []byte, separate bool, part uint8, at uint32, patch []byte) {
		p := parts{meta: meta, text: text, positions: positions, segment: segment}
		p.patch(part, at, patch)
		file, pos := p.assemble(separate)
		checkCrafted(t, file, pos)
	})
}

// craftedDocs carry everything an index holds: titles, sections, facet
// values of two types, words for every kind of query.
var craftedDocs = []doc.Document{
	{ID: "a.txt", URL: "/a/", Title: "Alibaba abroad", Body: "Alibaba wants merchants abroad to support Alipay payments.\n\nWeChat Pay\n\nTourists pay with WeChat Pay and Alipay in shops.",
		Sections: []doc.Section{{Anchor: "wechat", Heading: "WeChat Pay", Text: "Tourists pay with WeChat Pay and Alipay in shops."}},
		Facets:   map[string][]string{"org": {"Alibaba", "Ant"}, "tags": {"china", "retail"}}},
	{ID: "b.txt", URL: "/b/", Title: "Tencent games", Body: "Tencent runs WeChat and a large games business; payments grow.",
		Facets: map[string][]string{"org": {"Tencent"}, "tags": {"china"}}},
	{ID: "c.txt", URL: "/c/", Title: "Markets", Body: "The market for mobile payments in Asia: Alipay, WeChat Pay, Paytm.",
		Facets: map[string][]string{"tags": {"payments"}}},
	{ID: "d.txt", URL: "/d/", Title: "Notes", Body: "Nothing about companies here, only the weather in spring."},
}

// craftedQueries are the searches run on every index that opens.
var craftedQueries = []engine.Request{
	{Query: "alibaba payments", Complete: true},
	{Query: "tenc"},
	{Query: "a"},
	{Query: "alibbaba", Complete: true},
	{Query: `"wechat pay"`, Complete: true},
	{Query: `"pay with wechat" alipay`},
	{Query: "ali* t?ncent", Complete: true},
	{Query: "alibab~1 tencnet~2", Complete: true},
	{Query: "+alipay -tencent title:alibaba body:pay^2", Complete: true},
	{Query: "alipay wechat tencent alibaba payments market", Complete: true},
	{Query: "org:Tencent", Complete: true},
	{Query: "", Filters: map[string][]string{"org": {"Tencent"}}},
	{Query: "pay", Filters: map[string][]string{"org": {"Alibaba", "Ant"}, "tags": {"china"}}, FilterModes: map[string]string{"org": "all"}},
	{Query: "payments", Filters: map[string][]string{"org": {"Ant"}}, FilterModes: map[string]string{"org": "none"}},
	{Query: "the pay", Offset: 2, Limit: 3},
	{Query: "*", Limit: 100, Offset: 1000},
	{Query: "p", NoExcerpt: true, NoFacets: true},
}

// parts are an index file's parts as the header delimits them.
type parts struct{ meta, text, positions, segment []byte }

const headerSize = 32

func splitIndex(t testing.TB, data []byte) parts {
	t.Helper()
	if _, err := indexfile.Decode(data); err != nil {
		t.Fatal(err)
	}
	ml := int(binary.LittleEndian.Uint32(data[20:]))
	tl := int(binary.LittleEndian.Uint32(data[24:]))
	pl := int(binary.LittleEndian.Uint32(data[28:]))
	at := headerSize
	cut := func(n int) []byte { b := data[at : at+n]; at += n; return b }
	return parts{meta: cut(ml), text: cut(tl), positions: cut(pl), segment: data[at : len(data)-4]}
}

// patch writes b over part k%4 at offset at (modulo its length), on a copy.
func (p *parts) patch(k uint8, at uint32, b []byte) {
	dst := []*[]byte{&p.meta, &p.text, &p.positions, &p.segment}[k%4]
	if len(*dst) == 0 || len(b) == 0 {
		return
	}
	c := append([]byte(nil), *dst...)
	copy(c[int(at%uint32(len(c))):], b)
	*dst = c
}

// assemble writes the index file of p, its lengths and CRC-32C
// recomputed. With separate, the positions segment is left out of it and
// returned as its own file, and when the metadata describes a positions
// segment of its size, the checksum it holds for it (the metadata's last
// 8 bytes) is recomputed too.
func (p parts) assemble(separate bool) (file, positions []byte) {
	if !separate {
		return encode(p.meta, p.text, p.positions, p.segment), nil
	}
	file = encode(p.meta, p.text, nil, p.segment)
	f, err := indexfile.Decode(file)
	if err != nil || f.Meta.Positions == nil || f.Meta.Positions.Size != len(p.positions) || len(p.meta) < 8 {
		return file, p.positions
	}
	sum, err := hex.DecodeString(indexfile.NewPositionsFile(p.positions).Sum)
	if err != nil || len(sum) != 8 {
		panic("positions checksum is not 8 bytes")
	}
	meta := append([]byte(nil), p.meta...)
	copy(meta[len(meta)-8:], sum)
	return encode(meta, p.text, nil, p.segment), p.positions
}

// encode lays out an index file (see package indexfile) around raw parts.
func encode(meta, text, positions, segment []byte) []byte {
	total := headerSize + len(meta) + len(text) + len(positions) + len(segment) + 4
	out := make([]byte, 0, total)
	out = append(out, indexfile.Magic...)
	out = binary.LittleEndian.AppendUint32(out, indexfile.Version)
	out = binary.LittleEndian.AppendUint64(out, uint64(total))
	out = binary.LittleEndian.AppendUint32(out, uint32(len(meta)))
	out = binary.LittleEndian.AppendUint32(out, uint32(len(text)))
	out = binary.LittleEndian.AppendUint32(out, uint32(len(positions)))
	out = append(out, meta...)
	out = append(out, text...)
	out = append(out, positions...)
	out = append(out, segment...)
	return binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, crc32.MakeTable(crc32.Castagnoli)))
}

// budget bounds one call: its time, and its allocations from the size of
// the files it reads.
type budget struct {
	t     *testing.T
	bytes uint64
	ms    runtime.MemStats
}

// maxCallTime is the longest one call may take (natively; WebAssembly
// under Node gets ten times more). A search on these indexes takes well
// under a millisecond.
const maxCallTime = 2 * time.Second

func (b *budget) run(what string, fn func()) {
	b.t.Helper()
	limit := 64*b.bytes + 16<<20
	runtime.ReadMemStats(&b.ms)
	before := b.ms.TotalAlloc
	start := time.Now()
	fn()
	took := time.Since(start)
	runtime.ReadMemStats(&b.ms)
	if n := b.ms.TotalAlloc - before; n > limit {
		b.t.Fatalf("%s allocated %d bytes for %d bytes of index", what, n, b.bytes)
	}
	max := maxCallTime
	if runtime.GOOS == "js" {
		max *= 10
	}
	if took > max {
		b.t.Fatalf("%s took %v", what, took)
	}
}

// recovered is how the engine reports a panic it recovered.
const recovered = "internal error while searching"

func checkCrafted(t *testing.T, file, positions []byte) {
	t.Helper()
	b := &budget{t: t, bytes: uint64(len(file) + len(positions))}
	var e *engine.Engine
	var err error
	b.run("Open", func() { e, err = engine.Open(file) })
	if err == nil {
		searchCrafted(t, b, e, positions)
	}
	checkBridge(t, b, file, positions)
}

// searchCrafted runs every query on e and, when a query asks for the
// positions segment, on the engine over it.
func searchCrafted(t *testing.T, b *budget, e *engine.Engine, positions []byte) {
	t.Helper()
	wantPositions := false
	reqs := append([]engine.Request(nil), craftedQueries...)
	// Filter on the values the index lists (what the widget offers).
	var browse *engine.Response
	b.run("browse", func() { browse, _ = e.Search(engine.Request{}) })
	if browse != nil {
		for typ, vals := range browse.Facets {
			if len(vals) > 0 {
				reqs = append(reqs, engine.Request{Query: "pay", Filters: map[string][]string{typ: {vals[0].Value}}})
			}
		}
	}
	for _, req := range reqs {
		var resp *engine.Response
		var err error
		b.run("search "+req.Query, func() { resp, err = e.Search(req) })
		if err != nil {
			if strings.Contains(err.Error(), recovered) {
				t.Fatalf("search %+v: %v", req, err)
			}
			continue
		}
		if len(resp.Hits) > engine.MaxLimit {
			t.Fatalf("search %+v: %d hits", req, len(resp.Hits))
		}
		for _, m := range resp.Missing {
			wantPositions = wantPositions || e.IsPositionsFile(m)
		}
	}
	if !wantPositions {
		return
	}
	var full *engine.Engine
	var err error
	b.run("WithPositions", func() { full, err = e.WithPositions(positions) })
	if err != nil {
		return
	}
	for _, req := range craftedQueries {
		b.run("search (positions) "+req.Query, func() { _, err = full.Search(req) })
		if err != nil && strings.Contains(err.Error(), recovered) {
			t.Fatalf("search %+v with positions: %v", req, err)
		}
	}
	// As the CLI loads what a search asks for.
	load := func(name string) ([]byte, error) {
		if e.IsPositionsFile(name) {
			return positions, nil
		}
		return nil, errors.New("no such file")
	}
	b.run("SearchLoading", func() {
		_, err = e.SearchLoading(engine.Request{Query: `"wechat pay" ali*`, Complete: true}, load)
	})
	if err != nil && strings.Contains(err.Error(), recovered) {
		t.Fatalf("SearchLoading: %v", err)
	}
}

// checkBridge opens file and searches it as the browser's worker does.
func checkBridge(t *testing.T, b *budget, file, positions []byte) {
	t.Helper()
	br := bridge.New()
	var out string
	b.run("bridge Open", func() { out = br.Open(file) })
	if bridgeFailed(t, "Open", out) {
		return
	}
	search := func() (missing []string) {
		for _, req := range craftedQueries {
			obj := map[string]any{"q": req.Query, "complete": req.Complete, "limit": float64(req.Limit), "offset": float64(req.Offset),
				"no_excerpt": req.NoExcerpt, "no_facets": req.NoFacets}
			if req.Filters != nil {
				fs := map[string]any{}
				for k, vs := range req.Filters {
					l := []any{}
					for _, v := range vs {
						l = append(l, v)
					}
					fs[k] = l
				}
				obj["filters"] = fs
			}
			if req.FilterModes != nil {
				ms := map[string]any{}
				for k, v := range req.FilterModes {
					ms[k] = v
				}
				obj["filter_modes"] = ms
			}
			b.run("bridge search "+req.Query, func() { out = br.Search(obj) })
			if bridgeFailed(t, "search "+req.Query, out) {
				continue
			}
			var resp struct {
				Missing []string `json:"missing"`
			}
			if err := json.Unmarshal([]byte(out), &resp); err != nil {
				t.Fatalf("bridge search %q: %v\n%s", req.Query, err, out)
			}
			missing = append(missing, resp.Missing...)
		}
		return missing
	}
	for _, name := range search() {
		if strings.HasSuffix(name, indexfile.PositionsExt) {
			b.run("bridge AddText", func() { out = br.AddText(name, positions) })
			if !bridgeFailed(t, "AddText", out) {
				search()
			}
			return
		}
	}
}

// bridgeFailed reports whether out is a failure, failing t when it is
// not JSON or is a panic the bridge or the engine recovered.
func bridgeFailed(t *testing.T, what, out string) bool {
	t.Helper()
	var fl struct {
		Error  string `json:"error"`
		Code   string `json:"code"`
		Detail string `json:"detail"`
	}
	if err := json.Unmarshal([]byte(out), &fl); err != nil {
		t.Fatalf("bridge %s: not JSON: %v\n%.300s", what, err, out)
	}
	if fl.Error == "" {
		return false
	}
	if strings.HasPrefix(fl.Detail, "panic") || strings.Contains(fl.Detail, recovered) {
		t.Fatalf("bridge %s: %s", what, fl.Detail)
	}
	return true
}
