package engine

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/doc"
	"github.com/quarry-search/quarry/internal/index"
	"github.com/quarry-search/quarry/internal/indexfile"
	"github.com/quarry-search/quarry/internal/plan"
	"github.com/quarry-search/quarry/internal/query"
	"github.com/quarry-search/quarry/internal/search"
	"github.com/quarry-search/quarry/internal/testcorpus"
)

// The lean engine must answer as the engine it replaces, which ran
// bleve's own searchers, collector and highlighter over the same
// documents (package search, kept as the oracle): same hits in the same
// order (documents whose scores tie compared as sets), scores within
// 1e-6, same totals, modes, notices, facet counts, excerpts and the
// sections listed under hits (which one place, excerpt.Choose, chooses
// for both) — for everything whose behaviour did not change on purpose. And
// the index split into parts must answer exactly as the same index in
// one file: every response is also compared, field by field, with the
// one an engine gets from the head alone, fetching the files it asks
// for.
//
// Two deliberate ranking changes (issues 13 and 15) move the reference:
//
//   - Natural punctuation is never syntax, and stop words weigh in
//     syntax mode what they weigh in plain mode. Both are expressed in
//     the query language the oracle reads: the lean planner's syntax
//     text (plan.Plan.Syntax, e.g. "what is it?" → "what^0.2 is^0.2 it"
//     only when real syntax is present, else plain words) is what the
//     oracle searches. Query-syntax scoring (bleve's), excerpts, facets,
//     paging and notices are then still compared in full.
//   - Plain-word ranking (BM25F k1, query-term frequency, word pairs in
//     titles, Bo1 feedback as typed and finished, budgeted completions,
//     long queries) no longer matches the oracle's by design. Plain
//     queries are compared instead with the reference scorer
//     (reference_test.go): the same plan scored from the documents' text
//     with the formulas written out — hits, scores, totals and pages.
//     Their excerpts go through the same code as those of syntax
//     queries made of plain words ("+alipay -tencent"), which the
//     oracle still checks.

// compareExcerpts also compares titles, URLs, excerpts and the sections
// listed under hits.
var compareExcerpts = true

// oracle pairs the engines over one index: whole, split, and bleve's;
// it keeps the documents indexed for the reference scorer.
type oracle struct {
	ours   *Engine
	split  *splitEngine
	theirs *search.Engine
	docs   []doc.Document
	listed int // hits compared that list sections
}

// splitEngine is an engine opened on an index's head alone, loading the
// files it asks for from files (and counting the loads).
type splitEngine struct {
	*Engine
	files map[string][]byte
	loads int
}

func (s *splitEngine) search(req Request) (*Response, error) {
	return s.SearchLoading(req, func(name string) ([]byte, error) {
		s.loads++
		b, ok := s.files[name]
		if !ok {
			return nil, fmt.Errorf("no file %s", name)
		}
		return b, nil
	})
}

// openSplit externalizes a whole index file and opens its head.
func openSplit(t testing.TB, whole []byte) *splitEngine {
	t.Helper()
	head, files, err := indexfile.Externalize(whole)
	if err != nil {
		t.Fatalf("externalize: %v", err)
	}
	e, err := Open(head)
	if err != nil {
		t.Fatalf("open head: %v", err)
	}
	return &splitEngine{Engine: e, files: files}
}

// newOracle builds docs into an index file for the lean engine and, with
// the same mapping and analysis, into an in-memory bleve segment for the
// oracle. The expansion dictionary is whole (as bleve's), and parts are
// small unless opts says otherwise, so that queries cross their bounds.
func newOracle(t testing.TB, docs []doc.Document, opts build.Options) *oracle {
	t.Helper()
	if opts.FullDictBytes == 0 {
		opts.FullDictBytes = 1 << 30
	}
	if opts.PartSize == 0 {
		opts.PartSize = 4 << 10
	}
	whole := buildIndex(t, docs, opts)
	ours, err := Open(whole)
	if err != nil {
		t.Fatalf("open (lean): %v", err)
	}
	theirs, err := search.Build(context.Background(), docs, search.Options{Language: opts.Language, FacetFields: opts.FacetFields, TitleBoost: opts.TitleBoost, BodyBoost: opts.BodyBoost})
	if err != nil {
		t.Fatalf("build (oracle): %v", err)
	}
	return &oracle{ours: ours, split: openSplit(t, whole), theirs: theirs, docs: docs}
}

// sameResponse reports how two responses differ (their times aside).
func sameResponse(got, want *Response) string {
	g, w := *got, *want
	g.TookMs, w.TookMs = 0, 0
	if gs, ws := fmt.Sprintf("%+v", g), fmt.Sprintf("%+v", w); gs != ws {
		return fmt.Sprintf("\n got %s\nwant %s", gs, ws)
	}
	return ""
}

func buildIndex(t testing.TB, docs []doc.Document, opts build.Options) []byte {
	t.Helper()
	data, err := build.Index(context.Background(), docs, opts)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return data
}

// check runs req on the whole and the split index, which must answer
// alike, and compares the answer with the oracle's. A plain query (or
// one searched as plain words) is checked with the reference scorer
// instead; a query with a /regular expression/, which the lean engine
// does not support (see package query), must say so.
func (o *oracle) check(t *testing.T, req Request) {
	t.Helper()
	label := fmt.Sprintf("%q complete=%v offset=%d filters=%v", req.Query, req.Complete, req.Offset, req.Filters)
	got, gerr := o.ours.Search(req)
	split, serr := o.split.search(req)
	if (gerr != nil) != (serr != nil) {
		t.Fatalf("%s: error %v, split %v", label, gerr, serr)
	}
	if gerr == nil {
		if d := sameResponse(split, got); d != "" {
			t.Errorf("%s: split index answers differently:%s", label, d)
		}
	}
	if hasRegexp(req.Query) && (gerr != nil || !strings.Contains(got.Notice, "regular expressions are not supported")) {
		t.Errorf("%q: notice %q, error %v; want the words searched with a notice", req.Query, got.Notice, gerr)
	}
	pl, err := o.ours.Plan(req.Query, req.Complete)
	if err != nil {
		// Too broad to plan as written: Search searches the words.
		words := req
		words.Query = query.StripSyntax(plan.Clip(req.Query))
		if pl, err = o.ours.Plan(words.Query, req.Complete); err != nil {
			t.Fatalf("%q: %v", words.Query, err)
		}
		if pl.Mode == "plain" || pl.Mode == "fuzzy" {
			checkReference(t, o.ours, o.docs, words)
			return
		}
	}
	if pl.Mode == "plain" || pl.Mode == "fuzzy" {
		checkReference(t, o.ours, o.docs, req)
		return
	}
	theirs := toOracle(req)
	if pl.Syntax != "" {
		theirs.Query = pl.Syntax
	}
	want, werr := o.theirs.Search(context.Background(), theirs)
	if (gerr != nil) != (werr != nil) {
		t.Fatalf("%+v: error %v, oracle %v", req, gerr, werr)
	}
	if gerr != nil {
		return
	}
	if got.Total != want.Total || got.Mode != want.Mode || got.Notice != want.Notice {
		t.Errorf("%s: total/mode/notice %d %q %q, oracle %d %q %q", label, got.Total, got.Mode, got.Notice, want.Total, want.Mode, want.Notice)
	}
	if g, w := fmt.Sprint(got.Facets), fmt.Sprint(want.Facets); g != w {
		t.Errorf("%s: facets\n got %s\nwant %s", label, g, w)
	}
	g, w := groups(got.Hits, len(got.Hits) == req.Limit || req.Limit == 0 && len(got.Hits) == DefaultLimit), groupsOracle(want.Hits, len(want.Hits) == req.Limit || req.Limit == 0 && len(want.Hits) == DefaultLimit)
	if !sameGroups(g, w) {
		t.Errorf("%s: hits\n got %v\nwant %v", label, g, w)
		return
	}
	if !compareExcerpts {
		return
	}
	byID := map[string]search.Hit{}
	for _, h := range want.Hits {
		byID[h.ID] = h
	}
	for _, h := range got.Hits {
		w, ok := byID[h.ID]
		if !ok {
			continue // a tie cut differently at the page's end
		}
		if h.Title != w.Title || h.URL != w.URL || h.Excerpt != w.Excerpt || h.ExcerptError != w.ExcerptError {
			t.Errorf("%s: hit %s\n got %q %q %q %q\nwant %q %q %q %q", label, h.ID, h.Title, h.URL, h.Excerpt, h.ExcerptError, w.Title, w.URL, w.Excerpt, w.ExcerptError)
		}
		if g, w := fmt.Sprintf("%+v", h.Sections), fmt.Sprintf("%+v", w.Sections); g != w {
			t.Errorf("%s: hit %s sections\n got %s\nwant %s", label, h.ID, g, w)
		}
		if len(h.Sections) > 0 {
			o.listed++
		}
	}
}

func hasRegexp(text string) bool {
	for _, w := range query.Read(text, map[string]bool{"title": true, "body": true, "url": true}) {
		if w.Kind == query.WordRegexp {
			return true
		}
	}
	return false
}

func toOracle(r Request) search.Request {
	return search.Request{Query: r.Query, Limit: r.Limit, Offset: r.Offset, Complete: r.Complete, NoExcerpt: r.NoExcerpt,
		Filters: r.Filters, FilterModes: r.FilterModes, NoFacets: r.NoFacets}
}

type scored struct {
	id    string
	score float64
}

// group is a run of hits whose scores tie (within 1e-6, relative):
// their ids sorted, or with cut only their number.
type group struct {
	score float64
	ids   []string
}

func (g group) String() string { return fmt.Sprintf("%.6g:%v", g.score, g.ids) }

// groupsOf cuts hits into score groups; with cut, the last group (which
// a page may cut anywhere among ties) is only counted.
func groupsOf(hs []scored, cut bool) []group {
	var out []group
	for i := 0; i < len(hs); {
		j := i
		var ids []string
		for j < len(hs) && closeScores(hs[j].score, hs[i].score) {
			ids = append(ids, hs[j].id)
			j++
		}
		slices.Sort(ids)
		if cut && j == len(hs) && i > 0 {
			ids = []string{fmt.Sprintf("(%d cut)", len(ids))}
		}
		out = append(out, group{hs[i].score, ids})
		i = j
	}
	return out
}

// closeScores says whether two scores are equal but for rounding
// (within 1e-6, relative).
func closeScores(a, b float64) bool {
	return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b))
}

// sameGroups says whether two rankings have the same groups of ids
// with the same scores, but for rounding.
func sameGroups(g, w []group) bool {
	return slices.EqualFunc(g, w, func(a, b group) bool {
		return closeScores(a.score, b.score) && slices.Equal(a.ids, b.ids)
	})
}

func groups(hs []Hit, cut bool) []group {
	s := make([]scored, len(hs))
	for i, h := range hs {
		s[i] = scored{h.ID, h.Score}
	}
	return groupsOf(s, cut)
}

func groupsOracle(hs []search.Hit, cut bool) []group {
	s := make([]scored, len(hs))
	for i, h := range hs {
		s[i] = scored{h.ID, h.Score}
	}
	return groupsOf(s, cut)
}

// plannerQueries are queries of every kind the planner knows.
var plannerQueries = []struct {
	text     string
	complete bool
}{
	{"alibaba", true}, {"alipay payments", true}, {"payment", true}, {"partnering", true},
	{"tenc", false}, {"wech", false}, {"alibbaba", true}, {"tencnet pay", true},
	{"\"wechat pay\"", true}, {"\"mobile payment\"", true}, {"+alipay -tencent", true},
	{"alipay AND wechat", true}, {"alipay NOT tencent", true}, {"title:alibaba", true},
	{"body:zuckerberg", true}, {"alibab~1", true}, {"ecommerc~2", true}, {"chin*", true},
	{"e-commerce platform", true}, {"the where and", true}, {"the market", true},
	{"retail^3 china", true}, {"/ali.*/", true}, {"windsor radio", false}, {"xyzzy", true},
	{"Zuckerberg WhatsApp", true}, {"U.S. market", true}, {"title:\"partner games\"", true},
	{"boundary layer", true}, {"supersonic flow", true}, {"heat transfer", false},
	{"\"boundary layer\" -turbulent", true}, {"wing+", false}, {"aerodynamic", true},
	{"pressure distribution over a wing", true}, {"pressure distribution over a wing", false},
	{"-tencent", true}, {"NOT alipay", true}, {"url:alibaba", true}, {"nosuch:word", true},
	{"c*", true}, {"*ay", true}, {"a?i*", true}, {"pay~0", true}, {"pay~-1", true},
	{"\"\"", true}, {"title:\"\"", true}, {"\"the\"", true}, {"+\"wechat pay\" alipay^2", true},
	{"747", true}, {"year:>2000", true}, {"a:", true}, {"\"unterminated", true}, {"tencent~3", true},
	{strings.Repeat("word ", 40), true}, {strings.Repeat("x", 2000), true}, {"", true}, {"   ", false},
	{"what where when", true}, {"the", false}, {"alipay wechat tencent alibaba", true},
}

func TestDifferentialSeeds(t *testing.T) {
	o := newOracle(t, testcorpus.Seeds(t), build.Options{})
	for _, q := range testcorpus.SyntaxQueries {
		o.check(t, Request{Query: q, Complete: true})
		o.check(t, Request{Query: q})
	}
	for _, q := range plannerQueries {
		for _, off := range []int{0, 2} {
			o.check(t, Request{Query: q.text, Complete: q.complete, Offset: off, Limit: 3})
		}
		o.check(t, Request{Query: q.text, Complete: q.complete})
	}
}

func TestDifferentialCranfield(t *testing.T) {
	c := testcorpus.Cranfield(t)
	o := newOracle(t, c.Docs, build.Options{})
	for _, q := range plannerQueries {
		o.check(t, Request{Query: q.text, Complete: q.complete, Limit: 20})
	}
	for _, q := range c.Queries {
		o.check(t, Request{Query: q.Text, Complete: true, Limit: 10})
		o.check(t, Request{Query: q.Text, Limit: 10})
	}
	for _, q := range syntaxQueries(t, o.ours, c.Docs) {
		o.check(t, Request{Query: q, Complete: true, Limit: 20})
	}
}

// withSections gives docs a section at every Markdown heading line of
// their body ("## Install"), as the ingesters do for headings with ids.
func withSections(docs []doc.Document) []doc.Document {
	out := make([]doc.Document, len(docs))
	for i, d := range docs {
		for line := range strings.SplitSeq(d.Body, "\n") {
			if strings.HasPrefix(line, "#") {
				slug := strings.ToLower(strings.Join(strings.Fields(strings.Trim(line, "# ")), "-"))
				d.Sections = append(d.Sections, doc.Section{Anchor: slug, Heading: line})
			}
		}
		out[i] = d
	}
	return out
}

func TestDifferentialHugoDocs(t *testing.T) {
	c := testcorpus.HugoDocs(t)
	o := newOracle(t, withSections(c.Docs), build.Options{})
	for _, q := range c.Queries {
		o.check(t, Request{Query: q.Text, Complete: true})
		o.check(t, Request{Query: q.Text})
		// Plain queries are checked against the reference scorer; the
		// same words in syntax (the first one required) go to bleve, and
		// their excerpts and sections are compared in full.
		words := strings.Fields(q.Text)
		o.check(t, Request{Query: "+" + q.Text, Complete: true})
		if len(words) > 1 {
			o.check(t, Request{Query: strings.Join(words[:len(words)-1], " ") + " +" + words[len(words)-1], Complete: true})
		}
		for i := range words {
			last := words[i]
			for n := 1; n <= len(last); n++ {
				o.check(t, Request{Query: strings.Join(append(slices.Clone(words[:i]), last[:n]), " ")})
			}
		}
	}
	t.Logf("%d hits listing sections compared", o.listed)
	if o.listed == 0 {
		t.Error("no hit listed sections")
	}
}

// syntaxQueries builds query-syntax queries from the index's own
// vocabulary: words, phrases from titles, prefixes, wildcards, fuzzy
// words, boolean combinations, fields and boosts.
func syntaxQueries(t *testing.T, e *Engine, docs []doc.Document) []string {
	var words []string
	view{e.s, &misses{}}.Terms(FieldBody, nil, nil, nil, func(en index.Entry) bool {
		if len(en.Term) >= 5 && en.DocFreq >= 2 && !strings.ContainsAny(string(en.Term), "0123456789") {
			words = append(words, string(en.Term))
		}
		return true
	})
	const n = 25
	if len(words) < 3*n {
		t.Fatalf("only %d candidate words", len(words))
	}
	step := len(words) / (3 * n)
	pick := func(i int) string { return words[(i*step)%len(words)] }
	var titles []string
	for _, d := range docs {
		if f := strings.Fields(strings.ToLower(d.Title)); len(f) >= 2 {
			titles = append(titles, f[0]+" "+f[1])
		}
	}
	var out []string
	for i := 0; i < n; i++ {
		w1, w2, w3 := pick(3*i), pick(3*i+1), pick(3*i+2)
		typo := []byte(w3)
		typo[len(typo)/2] = 'x'
		out = append(out,
			"body:"+w1,
			"\""+titles[(i*7)%len(titles)]+"\"",
			"title:\""+titles[(i*11)%len(titles)]+"\"",
			w2[:3]+"*",
			w2[:2]+"?"+w2[3:4]+"*",
			string(typo)+"~"+fmt.Sprint(1+i%2),
			"+"+w1+" "+w2+" -"+w3,
			w2+" +body:"+w1+" -title:"+w3+" "+w3+"~1",
			w1+"^3 "+w2,
			w1+" AND "+w2,
			w1+" OR "+w2+" NOT "+w3,
		)
	}
	return out
}

// facetDocs gives the seed articles (several copies, so values repeat)
// facet values of two types.
func facetDocs(t testing.TB) []doc.Document {
	var docs []doc.Document
	orgs := []string{"Alibaba", "Tencent", "Ant Group", "Meta"}
	tags := []string{"payments", "retail", "social", "china", "us"}
	for copyN := 0; copyN < 3; copyN++ {
		for i, d := range testcorpus.Seeds(t) {
			d.ID = fmt.Sprintf("%d-%s", copyN, d.ID)
			k := copyN*5 + i
			d.Facets = map[string][]string{
				"org":  {orgs[k%4], orgs[(k+1+copyN)%4]},
				"tags": tags[k%5 : k%5+1+k%3%(5-k%5)],
			}
			if k%4 == 3 {
				delete(d.Facets, "org")
			}
			docs = append(docs, d)
		}
	}
	return docs
}

func TestDifferentialFacets(t *testing.T) {
	o := newOracle(t, facetDocs(t), build.Options{FacetFields: []string{"org", "tags"}})
	filters := []struct {
		sel   map[string][]string
		modes map[string]string
	}{
		{nil, nil},
		{map[string][]string{"org": {"Tencent"}}, nil},
		{map[string][]string{"org": {"Tencent", "Meta"}}, nil},
		{map[string][]string{"org": {"Tencent", "Meta"}}, map[string]string{"org": "all"}},
		{map[string][]string{"org": {"Tencent"}, "tags": {"china", "retail"}}, map[string]string{"tags": "none"}},
		{map[string][]string{"org": {"Nobody"}}, nil},
		{map[string][]string{"org": {"Nobody", "Alibaba"}}, map[string]string{"org": "all"}},
		{map[string][]string{"org": {"Nobody"}}, map[string]string{"org": "none"}},
		{map[string][]string{"tags": {}}, nil},
		{map[string][]string{"place": {"China"}}, nil},
		{map[string][]string{"org": {"Tencent"}}, map[string]string{"org": "some"}},
	}
	for _, q := range []string{"", "alibaba", "payment", "tenc", "\"wechat pay\"", "+alipay -tencent", "org:Tencent", "tags:china alipay", "xyzzy"} {
		for _, f := range filters {
			o.check(t, Request{Query: q, Filters: f.sel, FilterModes: f.modes, Limit: 5})
			o.check(t, Request{Query: q, Filters: f.sel, FilterModes: f.modes, Complete: true, NoFacets: true})
		}
	}
}

// phpdocsSample is the number of PHP manual pages the split test builds:
// 3,000 pages make 11 parts of the default size (96 kB raw) and an
// expansion dictionary past fullDictBytes, so the head keeps only terms
// found in two documents or more — the shape of a large site — while
// the test stays near 20 s natively.
const phpdocsSample = 3000

// TestDifferentialPHPDocs checks a large site's split index: with the
// builder's defaults (parts of the default size, a partial expansion
// dictionary) every query of the PHP manual, finished and as typed at
// every keystroke of its last word, gets from the head and the files it
// asks for exactly the answer the whole index gives; and, on a build
// with the whole dictionary, the answers bleve's searchers give.
func TestDifferentialPHPDocs(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the PHP manual sample takes about 20 s")
	}
	c := testcorpus.PHPDocs(t)
	docs := c.Sample(phpdocsSample)
	whole := buildIndex(t, docs, build.Options{})
	ours, err := Open(whole)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	split := openSplit(t, whole)
	if n := len(split.Head().Parts); n < 8 {
		t.Fatalf("%d parts; want a sample split into several", n)
	}
	if f := split.Head().Fields[1]; f.Name != "body" || f.DictMinDF < 2 {
		t.Fatalf("field %s: expansion dictionary min df %d; want body's dictionary partial (the large-site case)", f.Name, f.DictMinDF)
	}
	o := newOracle(t, docs, build.Options{PartSize: 32 << 10})
	var fetched, runs int
	for _, q := range c.Queries {
		reqs := []Request{{Query: q.Text, Complete: true}, {Query: q.Text, Complete: true, Offset: 10}}
		words := strings.Fields(q.Text)
		last := words[len(words)-1]
		for n := 1; n <= len(last); n++ {
			reqs = append(reqs, Request{Query: strings.Join(append(slices.Clone(words[:len(words)-1]), last[:n]), " ")})
		}
		for _, req := range reqs {
			want, werr := ours.Search(req)
			before := split.loads
			got, gerr := split.search(req)
			if (gerr != nil) != (werr != nil) {
				t.Fatalf("%q: split error %v, whole %v", req.Query, gerr, werr)
			}
			if gerr != nil {
				continue
			}
			fetched += split.loads - before
			runs++
			if d := sameResponse(got, want); d != "" {
				t.Errorf("%q complete=%v offset=%d: split index answers differently:%s", req.Query, req.Complete, req.Offset, d)
			}
		}
		o.check(t, Request{Query: q.Text, Complete: true})
		o.check(t, Request{Query: q.Text})
	}
	if runs == 0 || fetched == 0 {
		t.Fatalf("%d searches fetched %d files", runs, fetched)
	}
	t.Logf("%d pages, %d parts, %d text files; %d searches fetched %d files", len(docs), len(split.Head().Parts), len(split.Head().Texts), runs, fetched)
}
