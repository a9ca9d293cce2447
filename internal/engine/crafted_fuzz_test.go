package engine_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/crc64"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/bridge"
	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/engine"
	"github.com/quarry-search/quarry/internal/indexfile"
)

// FuzzCraftedIndex searches indexes crafted by someone who knows format
// 5: the head's metadata and the files it lists (parts, positions parts,
// text files) are damaged, then put back together with every length and
// checksum recomputed — each damaged part's size and CRC-64 rewritten in
// the metadata (which also renames it: parts are named by their sum), a
// damaged text file's own CRC-64, the head's lengths and CRC-32C — so
// that the damage gets past the
// checks that refuse an accidentally damaged index and reaches every
// decoder behind them. The index is tried whole (its files inline) and
// as a head whose files are fetched: every index that opens is searched
// with queries of every kind (plain, typing, typo, phrase, wildcard,
// fuzzy syntax, filters and facets, paging, feedback), natively through
// Search and SearchLoading and through the browser bridge's
// Open/Need/Add/Search.
//
// Nothing may panic (a panic the engine or the bridge recovers into an
// error fails too), and no call may take more than a bounded time or
// allocate more than a bound derived from the index's size.
//
// The input is the metadata, the files one after the other (cut at the
// sizes the metadata lists; the last takes the rest), whether the files
// are separate, and a patch written over one piece (which % (1 + number
// of files): the metadata, then the files in the head's order) at offset
// at: the fuzzer's insertions and deletions shift every file after them,
// which the readers mostly refuse early; a patch damages bytes in place.
// The inputs are a few kilobytes long; cap minimizing:
//
//	go test -run '^$' -fuzz FuzzCraftedIndex -fuzztime 10m -fuzzminimizetime 100x -parallel 1 ./internal/engine/
func FuzzCraftedIndex(f *testing.F) {
	for _, opts := range craftedOptions {
		data, err := build.Index(context.Background(), craftedDocs, opts)
		if err != nil {
			f.Fatal(err)
		}
		meta, files, n := splitCrafted(f, data)
		if n < 8 {
			f.Fatalf("seed has %d files, want parts, positions parts and text files", n)
		}
		if c := assembleCrafted(meta, files, false); !bytes.Equal(c.head, data) {
			f.Fatal("the seed put back together differs from the index")
		}
		for _, separate := range []bool{false, true} {
			// The seed opens and answers its queries, loading its files.
			c := assembleCrafted(meta, files, separate)
			e, err := engine.Open(c.head)
			if err != nil {
				f.Fatalf("seed does not open: %v", err)
			}
			resp, err := e.SearchLoading(engine.Request{Query: `"wechat pay"`, Complete: true}, c.load)
			if err != nil || resp.Total == 0 || resp.Notice != "" || resp.Hits[0].ExcerptError != "" {
				f.Fatalf("seed: phrase search: %+v, %v", resp, err)
			}
			f.Add(meta, files, separate, uint8(0), uint32(0), []byte(nil))
			for which := 0; which <= n; which++ {
				f.Add(meta, files, separate, uint8(which), uint32(20+7*which), []byte{0xff})
				f.Add(meta, files, separate, uint8(which), uint32(17), []byte{0x00, 0x01})
			}
		}
	}
	f.Fuzz(func(t *testing.T, meta, files []byte, separate bool, which uint8, at uint32, patch []byte) {
		c := assembleCrafted(meta, files, separate, patchCrafted{which: int(which), at: int(at), b: patch})
		checkCrafted(t, c)
	})
}

// craftedOptions build the seeds: small parts and text files, so that an
// index has several of each; with a whole expansion dictionary and with
// one that leaves out the terms of one document (which a search then
// looks up in the parts).
var craftedOptions = []build.Options{
	{FacetFields: []string{"org", "tags"}, PartSize: 300, TextChunk: 200, FullDictBytes: 1 << 20},
	{FacetFields: []string{"org", "tags"}, PartSize: 300, TextChunk: 200, FullDictBytes: 1},
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
		Sections: []doc.Section{{Anchor: "asia", Heading: "Asia", Text: "Alipay, WeChat Pay, Paytm."}},
		Facets:   map[string][]string{"tags": {"payments"}}},
	{ID: "d.txt", URL: "/d/", Title: "Notes", Body: "Nothing about companies here, only the weather in spring."},
	{ID: "e.txt", URL: "/e/", Title: "Zebra crossings", Body: "Zebras cross the road where WeChat users pay for parking; yaks do not."},
}

// craftedQueries are the searches run on every index that opens.
var craftedQueries = []engine.Request{
	{Query: "alibaba payments", Complete: true},
	{Query: "tenc"},
	{Query: "a"},
	{Query: "alibbaba", Complete: true},
	{Query: `"wechat pay"`, Complete: true},
	{Query: `"pay with wechat" alipay`},
	{Query: "ali* t?ncent z*", Complete: true},
	{Query: "alibab~1 tencnet~2 zebra~1", Complete: true},
	{Query: "+alipay -tencent title:alibaba body:pay^2 url:b", Complete: true},
	{Query: "alipay wechat tencent alibaba payments market zebras", Complete: true},
	{Query: "org:Tencent tags:china", Complete: true},
	{Query: "", Filters: map[string][]string{"org": {"Tencent"}}},
	{Query: "pay", Filters: map[string][]string{"org": {"Alibaba", "Ant"}, "tags": {"china"}}, FilterModes: map[string]string{"org": "all"}},
	{Query: "payments", Filters: map[string][]string{"org": {"Ant"}}, FilterModes: map[string]string{"org": "none"}},
	{Query: "the pay", Offset: 2, Limit: 3},
	{Query: "*", Limit: 100, Offset: 1000},
	{Query: "p", NoExcerpt: true, NoFacets: true},
	{Query: "yaks parking", Complete: true},
}

const craftedHeaderSize = 8 + 4 + 8 + 4 + 8

// splitCrafted returns the metadata of a whole index file, its files one
// after the other, and how many there are.
func splitCrafted(t testing.TB, data []byte) (meta, files []byte, n int) {
	t.Helper()
	h, err := indexfile.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	ml := int(binary.LittleEndian.Uint32(data[20:]))
	return data[craftedHeaderSize : craftedHeaderSize+ml], data[craftedHeaderSize+ml : len(data)-4], len(fileRefs(h))
}

// fileRefs lists the files of h in the order they are inline.
func fileRefs(h *indexfile.Head) []indexfile.FileRef {
	out := append([]indexfile.FileRef(nil), h.Parts...)
	for _, p := range h.PosParts {
		if p.Size > 0 {
			out = append(out, p)
		}
	}
	for _, t := range h.Texts {
		out = append(out, t.FileRef)
	}
	return out
}

// metaRefs lists the files of h in the order the metadata lists them
// (each part, then its positions part).
func metaRefs(h *indexfile.Head) []indexfile.FileRef {
	var out []indexfile.FileRef
	for i, p := range h.Parts {
		out = append(out, p)
		if h.PosParts[i].Size > 0 {
			out = append(out, h.PosParts[i])
		}
	}
	for _, t := range h.Texts {
		out = append(out, t.FileRef)
	}
	return out
}

// patchCrafted writes b over piece which (0: the metadata, then the
// files) at offset at (modulo its length).
type patchCrafted struct {
	which, at int
	b         []byte
}

func (p patchCrafted) apply(piece []byte) []byte {
	if len(piece) == 0 || len(p.b) == 0 {
		return piece
	}
	c := append([]byte(nil), piece...)
	copy(c[p.at%len(c):], p.b)
	return c
}

// crafted is an assembled index: the file engine.Open reads and, when
// the files are separate, the files by name.
type crafted struct {
	head  []byte
	files map[string][]byte
}

func (c *crafted) load(name string) ([]byte, error) {
	b, ok := c.files[name]
	if !ok {
		return nil, errors.New("no such file")
	}
	return b, nil
}

func (c *crafted) size() int {
	n := len(c.head)
	for _, b := range c.files {
		n += len(b)
	}
	return n
}

// assembleCrafted cuts files at the sizes meta lists, applies the
// patches, rewrites in meta the size and CRC-64 of every part that
// changed (in a text file, its own CRC-64), and writes the index: whole,
// or a head and its files.
func assembleCrafted(meta, files []byte, separate bool, patches ...patchCrafted) *crafted {
	h, err := indexfile.Decode(encodeCrafted(meta, nil))
	if err != nil {
		// Metadata that does not decode: the index is refused whatever
		// follows it.
		for _, p := range patches {
			if p.which == 0 {
				meta = p.apply(meta)
			}
		}
		if separate {
			return &crafted{head: encodeCrafted(meta, nil)}
		}
		return &crafted{head: encodeCrafted(meta, files)}
	}
	refs := fileRefs(h)
	pieces := make([][]byte, len(refs))
	rest := files
	for i, r := range refs {
		n := min(r.Size, len(rest))
		if i == len(refs)-1 {
			n = len(rest)
		}
		pieces[i], rest = rest[:n:n], rest[n:]
	}
	for _, p := range patches {
		if k := p.which % (1 + len(refs)); k == 0 {
			meta = p.apply(meta)
		} else {
			pieces[k-1] = p.apply(pieces[k-1])
		}
	}
	// A patch keeps a file's length. A text file checks itself (the head
	// lists no sum for it): its trailing CRC-64 is rewritten, so that the
	// damage reaches the decoder.
	for i, r := range refs {
		if r.Sum == "" && len(pieces[i]) >= 8 {
			body := pieces[i][:len(pieces[i])-8]
			pieces[i] = binary.LittleEndian.AppendUint64(append([]byte(nil), body...), crc64.Checksum(body, crc64.MakeTable(crc64.ECMA)))
		}
	}
	// Each part's size and sum as the metadata holds them, replaced in
	// the order it lists them (a varint size, then 8 bytes of sum).
	index := map[string]int{}
	for i, r := range refs {
		index[r.Name] = i
	}
	var out []byte
	at := 0
	for _, r := range metaRefs(h) {
		if r.Size == 0 || r.Sum == "" {
			continue // a part of no bytes or a text file: no sum to rewrite
		}
		old := refBytes(r.Size, r.Sum)
		k := bytes.Index(meta[at:], old)
		if k < 0 {
			break
		}
		data := pieces[index[r.Name]]
		out = append(out, meta[at:at+k]...)
		out = append(out, refBytes(len(data), fmt.Sprintf("%016x", crc64.Checksum(data, crc64.MakeTable(crc64.ECMA))))...)
		at += k + len(old)
	}
	meta = append(out, meta[at:]...)
	all := bytes.Join(pieces, nil)
	if !separate {
		return &crafted{head: encodeCrafted(meta, all)}
	}
	c := &crafted{head: encodeCrafted(meta, nil), files: map[string][]byte{}}
	if h2, err := indexfile.Decode(c.head); err == nil {
		// The names the rewritten metadata gives the files.
		for i, r := range fileRefs(h2) {
			if i < len(pieces) {
				c.files[r.Name] = pieces[i]
			}
		}
	}
	return c
}

// refBytes encodes a file's size and sum as the metadata holds them.
func refBytes(size int, sum string) []byte {
	b := binary.AppendUvarint(nil, uint64(size))
	s, err := hex.DecodeString(sum)
	if err != nil || len(s) != 8 {
		panic("sum is not 8 bytes: " + sum)
	}
	var v [8]byte
	for i := range v {
		v[i] = s[7-i]
	}
	return append(b, v[:]...)
}

// encodeCrafted lays out an index head (see package indexfile) around
// raw metadata and inline files.
func encodeCrafted(meta, inline []byte) []byte {
	total := craftedHeaderSize + len(meta) + len(inline) + 4
	out := make([]byte, 0, total)
	out = append(out, indexfile.Magic...)
	out = binary.LittleEndian.AppendUint32(out, indexfile.Version)
	out = binary.LittleEndian.AppendUint64(out, uint64(total))
	out = binary.LittleEndian.AppendUint32(out, uint32(len(meta)))
	out = binary.LittleEndian.AppendUint64(out, uint64(len(inline)))
	out = append(out, meta...)
	out = append(out, inline...)
	return binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, crc32.MakeTable(crc32.Castagnoli)))
}

// budget bounds one call: its time, and its allocations from the size of
// the index.
type budget struct {
	t      *testing.T
	bytes  uint64
	sample [1]metrics.Sample
}

// allocated returns the bytes allocated so far (runtime/metrics reads it
// without stopping the world, unlike runtime.ReadMemStats).
func (b *budget) allocated() uint64 {
	b.sample[0].Name = "/gc/heap/allocs:bytes"
	metrics.Read(b.sample[:])
	return b.sample[0].Value.Uint64()
}

// maxCallTime is the longest one call may take (natively; WebAssembly
// under Node gets ten times more). A search on these indexes takes well
// under a millisecond.
const maxCallTime = 2 * time.Second

func (b *budget) run(what string, fn func()) {
	b.t.Helper()
	limit := 64*b.bytes + 16<<20
	before := b.allocated()
	start := time.Now()
	fn()
	took := time.Since(start)
	if n := b.allocated() - before; n > limit {
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

// checkCrafted opens c and searches it natively and through the bridge.
func checkCrafted(t *testing.T, c *crafted) {
	t.Helper()
	b := &budget{t: t, bytes: uint64(c.size())}
	var e *engine.Engine
	var err error
	b.run("Open", func() { e, err = engine.Open(c.head) })
	if err == nil {
		searchCrafted(t, b, e, c, false)
		// A fresh engine, loading every file a search asks for.
		b.run("Open", func() { e, err = engine.Open(c.head) })
		if err != nil {
			t.Fatalf("second Open: %v", err)
		}
		searchCrafted(t, b, e, c, true)
		// A fresh engine given the rest bundle, when the head names one:
		// its files as they are (damaged or not) one after the other, as
		// the worker fetches it once a first answer is shown.
		b.run("Open", func() { e, err = engine.Open(c.head) })
		if err != nil {
			t.Fatalf("third Open: %v", err)
		}
		if rest := e.Rest(); len(rest) == 1 {
			var bundle []byte
			if h, err := indexfile.Decode(c.head); err == nil {
				for _, r := range fileRefs(h) {
					if !strings.HasSuffix(r.Name, indexfile.PositionsExt) {
						bundle = append(bundle, c.files[r.Name]...)
					}
				}
			}
			b.run("Add rest", func() { e.Add(rest[0], bundle) })
			searchCrafted(t, b, e, c, true)
		}
	}
	checkBridge(t, b, c)
}

// craftedRequests are craftedQueries and filters on the values the index
// lists (what the widget offers).
func craftedRequests(t *testing.T, b *budget, e *engine.Engine) []engine.Request {
	reqs := append([]engine.Request(nil), craftedQueries...)
	var browse *engine.Response
	b.run("browse", func() { browse, _ = e.Search(engine.Request{}) })
	if browse != nil {
		for typ, vals := range browse.Facets {
			if len(vals) > 0 {
				reqs = append(reqs, engine.Request{Query: "pay", Filters: map[string][]string{typ: {vals[0].Value, vals[len(vals)-1].Value}}})
			}
		}
	}
	return reqs
}

// searchCrafted runs every request on e: with the files it has, or
// loading those it asks for.
func searchCrafted(t *testing.T, b *budget, e *engine.Engine, c *crafted, loading bool) {
	t.Helper()
	for _, req := range craftedRequests(t, b, e) {
		var resp *engine.Response
		var err error
		if loading {
			b.run("SearchLoading "+req.Query, func() { resp, err = e.SearchLoading(req, c.load) })
		} else {
			b.run("Search "+req.Query, func() { resp, err = e.Search(req) })
		}
		if err != nil {
			if strings.Contains(err.Error(), recovered) {
				t.Fatalf("search %+v: %v", req, err)
			}
			continue
		}
		if len(resp.Hits) > engine.MaxLimit {
			t.Fatalf("search %+v: %d hits", req, len(resp.Hits))
		}
	}
}

// checkBridge opens c and searches it as the browser's worker does:
// Need, fetch and Add what it lists, until it needs nothing, then
// Search.
func checkBridge(t *testing.T, b *budget, c *crafted) {
	t.Helper()
	br := bridge.New()
	var out string
	b.run("bridge Open", func() { out = br.Open(c.head) })
	if bridgeFailed(t, "Open", out) {
		return
	}
	for _, req := range craftedQueries {
		obj := requestObject(req)
		given := map[string]bool{} // files handed over for this request
		for round := 0; round < 8; round++ {
			b.run("bridge Need "+req.Query, func() { out = br.Need(obj) })
			if bridgeFailed(t, "Need "+req.Query, out) {
				break
			}
			var need struct {
				Need []string `json:"need"`
			}
			if err := json.Unmarshal([]byte(out), &need); err != nil {
				t.Fatalf("bridge Need %q: %v\n%s", req.Query, err, out)
			}
			if len(need.Need) == 0 {
				break
			}
			for _, name := range need.Need {
				// A file handed over, damaged or not, is not asked for
				// again by the same request (the worker would fetch it
				// round after round).
				if given[name] {
					t.Fatalf("bridge Need %q: %s asked for again", req.Query, name)
				}
				given[name] = true
				data, err := c.load(name)
				if err != nil {
					b.run("bridge Failed", func() { out = br.Failed(name, err.Error()) })
					bridgeFailed(t, "Failed "+name, out)
					continue
				}
				b.run("bridge Add", func() { out = br.Add(name, data) })
				bridgeFailed(t, "Add "+name, out)
			}
		}
		b.run("bridge Search "+req.Query, func() { out = br.Search(obj) })
		bridgeFailed(t, "Search "+req.Query, out)
	}
}

// requestObject writes req as the value the worker hands the bridge.
func requestObject(req engine.Request) map[string]any {
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
	return obj
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
	if fl.Code == bridge.CodeInternal && strings.HasPrefix(fl.Detail, "panic") || strings.Contains(fl.Detail, recovered) {
		t.Fatalf("bridge %s: %s", what, fl.Detail)
	}
	return true
}
