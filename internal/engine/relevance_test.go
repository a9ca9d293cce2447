package engine

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/eval"
	"github.com/quarry-search/quarry/internal/plan"
	"github.com/quarry-search/quarry/internal/query"
	"github.com/quarry-search/quarry/internal/testcorpus"
)

// Relevance on the two judged collections of ../shared/data: Cranfield
// (1,400 aeronautics abstracts, 225 questions, graded judgements) and
// CACM (3,204 computing abstracts or titles, 52 questions, binary
// judgements). Both are questions people wrote, run finished
// (complete) and as typed (the last word also a prefix).

// Floors of issue 13 and the best in-browser peer (lunr 2.3.9, same
// gains), for the report.
const (
	cranfieldGoal, cacmGoal = 0.42, 0.47
	lunrCranfield, lunrCACM = 0.374, 0.429
	// statedSlack is how far nDCG@10 may fall below the README's figure.
	statedSlack = 0.005
)

// judged is a test collection opened with the lean engine.
type judged struct {
	name string
	c    *testcorpus.Collection
	e    *Engine
	judg map[int]eval.Judgements
}

var (
	judgedMu    sync.Mutex
	judgedCache = map[string]*judged{}
)

// openJudged builds (once per test binary) the index of a collection
// with judgements: "cranfield" or "cacm".
func openJudged(t testing.TB, name string) *judged {
	t.Helper()
	skipUnderWasm(t)
	c, gain := testcorpus.CACM, func(g int) float64 { return float64(g) }
	if name == "cranfield" {
		c, gain = testcorpus.Cranfield, eval.CranfieldGain
	}
	col := c(t)
	judgedMu.Lock()
	defer judgedMu.Unlock()
	if j, ok := judgedCache[name]; ok {
		return j
	}
	e, err := Open(buildIndex(t, col.Docs, build.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	j := &judged{name: name, c: col, e: e, judg: map[int]eval.Judgements{}}
	for qid, m := range col.Judgements() {
		j.judg[qid] = eval.Judgements{}
		for d, g := range m {
			j.judg[qid][d] = gain(g)
		}
	}
	judgedCache[name] = j
	return j
}

// skipUnderWasm skips the measures over whole collections when the tests
// run compiled to WebAssembly (make test-wasm): the code is the same as
// natively, where they run, and under Node they would take many minutes.
func skipUnderWasm(t testing.TB) {
	t.Helper()
	if runtime.GOOS == "js" {
		t.Skip("ranking over the shared collections is measured natively (go test), not under wasm")
	}
}

// ids returns the ids of the first n hits of text.
func ids(t testing.TB, e *Engine, text string, complete bool, n int) []string {
	t.Helper()
	resp, err := e.Search(Request{Query: text, Limit: n, Complete: complete, NoExcerpt: true, NoFacets: true})
	if err != nil {
		t.Fatalf("%q: %v", text, err)
	}
	return hitIDs(resp)
}

// hitIDs returns the ids of a response's hits, in order.
func hitIDs(r *Response) []string {
	out := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.ID
	}
	return out
}

// typed is a question as typed, before its end: without its final
// punctuation, so that its last word is still a prefix.
func typed(text string) string { return strings.TrimRight(text, " ?.!,;:") }

// scores runs every judged question, finished or as typed, and returns
// the averages and each question's nDCG@10.
func (j *judged) scores(t testing.TB, asTyped bool) (eval.Scores, []float64) {
	var acc eval.Accumulator
	var per []float64
	for _, q := range j.c.Queries {
		jq, ok := j.judg[q.ID]
		if !ok {
			continue
		}
		var ranked []string
		if asTyped {
			ranked = ids(t, j.e, typed(q.Text), false, 100)
		} else {
			ranked = ids(t, j.e, q.Text, true, 100)
		}
		acc.Add(ranked, jq)
		per = append(per, eval.NDCG(ranked, jq, 10))
	}
	return acc.Scores(), per
}

// statedNDCG reads the nDCG@10 figures the README states for Cranfield
// and CACM: the "everything" row of the table in its "Ranking" section.
func statedNDCG(t *testing.T) (cranfield, cacm float64) {
	root, err := testcorpus.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\| \*\*everything\*\* \| \*\*([0-9.]+)\*\* \| \*\*([0-9.]+)\*\* \|`).FindSubmatch(b)
	if m == nil {
		t.Fatal("README.md: no \"| **everything** | **x** | **y** |\" row in the ranking table")
	}
	cranfield, _ = strconv.ParseFloat(string(m[1]), 64)
	cacm, _ = strconv.ParseFloat(string(m[2]), 64)
	return cranfield, cacm
}

// TestRelevance reports nDCG@10, MAP and P@10 on Cranfield and CACM,
// finished and as typed, and fails when nDCG@10 falls below issue 13's
// floor (Cranfield 0.42, CACM 0.47), more than statedSlack below the
// figure the README states, or to lunr's.
func TestRelevance(t *testing.T) {
	statedCran, statedCACM := statedNDCG(t)
	for _, tc := range []struct {
		name         string
		stated, goal float64
		lunr         float64
		queries      int
	}{
		{"cranfield", statedCran, cranfieldGoal, lunrCranfield, 225},
		{"cacm", statedCACM, cacmGoal, lunrCACM, 52},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := openJudged(t, tc.name)
			s, _ := j.scores(t, false)
			ty, _ := j.scores(t, true)
			met := "met"
			if s.NDCG10 < tc.goal {
				met = "MISSED"
			}
			t.Logf("%s (%d questions): nDCG@10 %.4f  MAP %.4f  P@10 %.4f; as typed nDCG@10 %.4f MAP %.4f P@10 %.4f; zero-result questions %d; README states %.4f; issue 13 goal %.2f %s; lunr %.3f",
				tc.name, s.Queries, s.NDCG10, s.MAP, s.P10, ty.NDCG10, ty.MAP, ty.P10, s.ZeroResults, tc.stated, tc.goal, met, tc.lunr)
			if s.Queries != tc.queries {
				t.Errorf("evaluated %d questions, want %d", s.Queries, tc.queries)
			}
			if s.NDCG10 < tc.goal {
				t.Errorf("nDCG@10 %.4f, below issue 13's floor %.2f", s.NDCG10, tc.goal)
			}
			if s.NDCG10 < tc.stated-statedSlack {
				t.Errorf("nDCG@10 %.4f, more than %.3f below the README's %.4f", s.NDCG10, statedSlack, tc.stated)
			}
			if s.NDCG10 <= tc.lunr {
				t.Errorf("nDCG@10 %.4f, not above lunr's %.3f", s.NDCG10, tc.lunr)
			}
		})
	}
}

// TestRelevanceAsTyped: a question run as typed (its last word also a
// prefix) ranks as well as finished: nDCG@10 at most 0.005 lower on
// average (issue 15).
func TestRelevanceAsTyped(t *testing.T) {
	for _, name := range []string{"cranfield", "cacm"} {
		j := openJudged(t, name)
		fin, _ := j.scores(t, false)
		ty, _ := j.scores(t, true)
		t.Logf("%s: nDCG@10 finished %.4f, as typed %.4f", name, fin.NDCG10, ty.NDCG10)
		if ty.NDCG10 < fin.NDCG10-0.005 {
			t.Errorf("%s: as typed nDCG@10 %.4f, finished %.4f: more than 0.005 lower", name, ty.NDCG10, fin.NDCG10)
		}
	}
}

// feature is one ranking feature of TestRankingFeatures: off switches
// it off on an engine's planner (and feedback), on restores it.
// one marks a feature that need raise only one collection (see
// TestRankingFeatures).
type feature struct {
	name    string
	off, on func(e *Engine)
	one     bool
}

func rankingFeatures() []feature {
	ranking := func(set func(r *plan.Ranking)) func(e *Engine) {
		return func(e *Engine) { set(&e.cfg.Ranking) }
	}
	d := plan.DefaultRanking
	return []feature{
		{fmt.Sprintf("title weight %g (1.0 without)", DefaultTitleBoost), func(e *Engine) { e.cfg.TitleBoost = 1 }, func(e *Engine) { e.cfg.TitleBoost = e.boosts.title }, false},
		{fmt.Sprintf("BM25F k1 %g (1.2 without)", d.K1), ranking(func(r *plan.Ranking) { r.K1 = 1.2 }), ranking(func(r *plan.Ranking) { r.K1 = d.K1 }), false},
		{fmt.Sprintf("body b %g (0.75 without)", d.BodyB), ranking(func(r *plan.Ranking) { r.BodyB = 0.75 }), ranking(func(r *plan.Ranking) { r.BodyB = d.BodyB }), true},
		{"stop words weighted down (full weight without)", ranking(func(r *plan.Ranking) { r.StopWordWeight, r.DropStopWordsFrom = 1, 1<<30 }),
			ranking(func(r *plan.Ranking) { r.StopWordWeight, r.DropStopWordsFrom = d.StopWordWeight, d.DropStopWordsFrom }), false},
		{"request words weighed as stop words (content words without)", func(e *Engine) { e.cfg.IsStopWord = e.isStop },
			func(e *Engine) { e.cfg.IsStopWord = e.queryStop() }, false},
		{"repeated query words", ranking(func(r *plan.Ranking) { r.QueryTermFrequency = false }), ranking(func(r *plan.Ranking) { r.QueryTermFrequency = true }), true},
		{"word pairs in titles", ranking(func(r *plan.Ranking) { r.PairWeight = 0 }), ranking(func(r *plan.Ranking) { r.PairWeight = d.PairWeight }), false},
		{"feedback (Bo1) and the reranking after it", func(*Engine) { feedbackMinWords = 1 << 30 }, func(*Engine) { feedbackMinWords = 4 }, false},
		{"feedback's terms (weight 0 without; reranking kept)", func(*Engine) { feedbackWeight = 0 }, func(*Engine) { feedbackWeight = defaultFeedbackWeight }, false},
		{fmt.Sprintf("reranking: first %d by likeness to the first %d (weight %g)", defaultRerankDepth, feedbackDocs, defaultRerankWeight),
			func(*Engine) { rerankDepth = 0 }, func(*Engine) { rerankDepth = defaultRerankDepth }, false},
		{fmt.Sprintf("feedback: %d terms, weight %g (Terrier's 10 and 0.2 without)", defaultFeedbackTerms, defaultFeedbackWeight),
			func(*Engine) { feedbackTerms, feedbackWeight = 10, 0.2 }, func(*Engine) { feedbackTerms, feedbackWeight = defaultFeedbackTerms, defaultFeedbackWeight }, false},
		{"title-match bonus", ranking(func(r *plan.Ranking) { r.TitleMatchWeight = 0 }), ranking(func(r *plan.Ranking) { r.TitleMatchWeight = d.TitleMatchWeight }), false},
		{"issue 13's retuning (k1 1.5, title weight 1.5, body b 0.75, feedback 10 terms at 0.2 without)",
			func(e *Engine) {
				e.cfg.Ranking.K1, e.cfg.TitleBoost, e.cfg.Ranking.BodyB = 1.5, 1.5, 0.75
				feedbackTerms, feedbackWeight = 10, 0.2
			},
			func(e *Engine) {
				e.cfg.Ranking.K1, e.cfg.TitleBoost, e.cfg.Ranking.BodyB = d.K1, e.boosts.title, d.BodyB
				feedbackTerms, feedbackWeight = defaultFeedbackTerms, defaultFeedbackWeight
			}, false},
	}
}

// noise is the change in nDCG@10 below which a feature is taken to leave
// a collection unchanged: one CACM question moving a relevant document
// one rank changes the average by about 0.001.
const noise = 0.001

// hurts reports whether leaving a feature out raised a collection's
// nDCG@10 for real: by more than noise and more than two standard
// errors of the questions' paired differences (with 52 questions,
// CACM's average moves by a few thousandths from changes that help as
// many questions as they hurt).
func hurts(with, without []float64) (bool, float64) {
	n := float64(len(with))
	mean, sq := 0.0, 0.0
	for i := range with {
		mean += (with[i] - without[i]) / n
	}
	for i := range with {
		d := with[i] - without[i] - mean
		sq += d * d
	}
	se := math.Sqrt(sq/(n-1)) / math.Sqrt(n)
	return mean < -max(noise, 2*se), se
}

// TestRankingFeatures recomputes the README's table: nDCG@10 on
// Cranfield and CACM with each ranking feature left out. Every feature
// must raise both collections, one by more than noise, and lower neither
// (see hurts; issue 13: a feature earns its place on more than one
// collection); the body's b need raise only one (CACM, whose documents
// are titles with author names or whole abstracts; on Cranfield it is
// within one standard error of nothing, and it is what keeps the
// stronger feedback from hurting CACM). The title-match bonus changes
// neither and must put first the Hugo docs pages whose title a query is.
func TestRankingFeatures(t *testing.T) {
	cols := []*judged{openJudged(t, "cranfield"), openJudged(t, "cacm")}
	run := func() (out [2]float64, per [2][]float64) {
		for i, j := range cols {
			s, p := j.scores(t, false)
			out[i], per[i] = s.NDCG10, p
		}
		return out, per
	}
	all, allPer := run()
	t.Logf("| **everything** | **%.4f** | **%.4f** |", all[0], all[1])
	for _, f := range rankingFeatures() {
		for _, j := range cols {
			f.off(j.e)
		}
		without, withoutPer := run()
		for _, j := range cols {
			f.on(j.e)
		}
		var hurt [2]bool
		var se [2]float64
		for i := range cols {
			hurt[i], se[i] = hurts(allPer[i], withoutPer[i])
		}
		t.Logf("| %s | %+.4f (±%.4f) | %+.4f (±%.4f) |", f.name, all[0]-without[0], se[0], all[1]-without[1], se[1])
		if f.name == "title-match bonus" {
			if without != all {
				t.Errorf("%s: changed Cranfield or CACM (%.4f %.4f without): the table says it does not", f.name, without[0], without[1])
			}
			continue
		}
		if hurt[0] || hurt[1] || all[0]-without[0] <= noise && all[1]-without[1] <= noise {
			t.Errorf("%s: nDCG@10 without it %.4f / %.4f, with it %.4f / %.4f: it must help one collection and hurt neither", f.name, without[0], without[1], all[0], all[1])
		}
		if !f.one && (all[0] <= without[0] || all[1] <= without[1]) {
			t.Errorf("%s: nDCG@10 without it %.4f / %.4f, with it %.4f / %.4f: it must help both collections", f.name, without[0], without[1], all[0], all[1])
		}
	}
	if again, _ := run(); again != all {
		t.Fatalf("features not restored: %v, then %v", all, again)
	}
	e, c := docsCollection(t, "hugodocs")
	titled := func() (first, n int) {
		byTitle := map[string][]string{}
		for _, d := range c.Docs {
			k := strings.ToLower(strings.TrimSpace(d.Title))
			byTitle[k] = append(byTitle[k], d.ID)
		}
		for _, q := range c.Queries {
			want := byTitle[strings.ToLower(q.Text)]
			if len(want) == 0 {
				continue
			}
			n++
			if got := ids(t, e, q.Text, true, 1); len(got) > 0 && slices.Contains(want, got[0]) {
				first++
			}
		}
		return first, n
	}
	with, n := titled()
	e.cfg.Ranking.TitleMatchWeight = 0
	without, _ := titled()
	e.cfg.Ranking.TitleMatchWeight = plan.DefaultRanking.TitleMatchWeight
	t.Logf("title-match bonus: %d of the %d Hugo docs queries that are a page's title find it first, %d without", with, n, without)
	if with <= without {
		t.Errorf("title-match bonus: %d pages titled as the query first with it, %d without", with, without)
	}
}

var (
	docsMu    sync.Mutex
	docsCache = map[string]*Engine{}
)

// docsCollection opens (once) the Hugo docs or the PHP manual.
func docsCollection(t testing.TB, name string) (*Engine, *testcorpus.Collection) {
	t.Helper()
	skipUnderWasm(t)
	load := testcorpus.HugoDocs
	if name == "phpdocs" {
		load = testcorpus.PHPDocs
	}
	c := load(t)
	docsMu.Lock()
	defer docsMu.Unlock()
	if e, ok := docsCache[name]; ok {
		return e, c
	}
	e, err := Open(buildIndex(t, c.Docs, build.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	docsCache[name] = e
	return e, c
}

// paragraph pastes the first n words of each of docs' bodies together.
func paragraph(docs []string, n int) string {
	var words []string
	for _, d := range docs {
		f := strings.Fields(d)
		words = append(words, f[:min(n, len(f))]...)
	}
	return strings.Join(words, " ")
}

// A pasted paragraph of 300 words finds the documents it is about
// (issue 13): for each CACM question, the first 75 words of four of its
// relevant abstracts pasted together; each of those four documents must
// be in the first ten results, wherever its words come in the
// paragraph (before, only the first 32 words were searched).
func TestLongQuery(t *testing.T) {
	j := openJudged(t, "cacm")
	body := map[string]string{}
	var order []string
	for _, d := range j.c.Docs {
		body[d.ID] = d.Body
		order = append(order, d.ID)
	}
	found, pairs, queries := 0, 0, 0
	var words []int
	var acc, short eval.Accumulator
	for _, q := range j.c.Queries {
		var src []string
		for _, id := range order {
			if j.judg[q.ID][id] > 0 && len(strings.Fields(body[id])) >= 75 && len(src) < 4 {
				src = append(src, id)
			}
		}
		if len(src) < 4 {
			continue
		}
		texts := make([]string, len(src))
		for i, id := range src {
			texts[i] = body[id]
		}
		para := paragraph(texts, 75)
		queries++
		words = append(words, len(strings.Fields(para)))
		resp, err := j.e.Search(Request{Query: para, Limit: 100, Complete: true, NoExcerpt: true, NoFacets: true})
		if err != nil {
			t.Fatal(err)
		}
		ranked := hitIDs(resp)
		for _, id := range src {
			pairs++
			if i := slices.Index(ranked, id); i >= 0 && i < 10 {
				found++
			} else {
				t.Logf("question %d: document %s (words %d–%d of the paragraph) at rank %d", q.ID, id, 75*slices.Index(src, id)+1, 75*slices.Index(src, id)+75, i+1)
			}
		}
		if strings.Contains(resp.Notice, "distinct words") != (len(resp.Notice) > 0) {
			t.Errorf("question %d: notice %q", q.ID, resp.Notice)
		}
		acc.Add(ranked, j.judg[q.ID])
		short.Add(ids(t, j.e, strings.Join(strings.Fields(para)[:32], " "), true, 100), j.judg[q.ID])
	}
	t.Logf("%d paragraphs of %d–%d words: %d of their %d source documents in the first ten; P@10 against the questions' judgements %.3f (%.3f searching the first 32 words only)",
		queries, slices.Min(words), slices.Max(words), found, pairs, acc.Scores().P10, short.Scores().P10)
	if queries < 10 {
		t.Fatalf("only %d questions have four relevant abstracts of 75 words", queries)
	}
	if found < pairs*9/10 {
		t.Errorf("%d of %d source documents in the first ten, want 90%%", found, pairs)
	}
}

// As typed, a docs query finds what it finds finished (issue 15): for
// the Hugo docs and the PHP manual, the finished query's first hit is in
// the first three as the query is typed (its last word also a prefix)
// for at least 90% of the queries. Also reported: the same at every
// keystroke of the last word from its second letter.
func TestAsTypedAgreement(t *testing.T) {
	for _, name := range []string{"hugodocs", "phpdocs"} {
		e, c := docsCollection(t, name)
		whole, n, partial, np := 0, 0, 0, 0
		for _, q := range c.Queries {
			fin := ids(t, e, q.Text, true, 1)
			if len(fin) == 0 {
				t.Errorf("%s %q: no result finished", name, q.Text)
				continue
			}
			n++
			if slices.Contains(ids(t, e, q.Text, false, 3), fin[0]) {
				whole++
			} else {
				t.Logf("%s %q: finished first hit %s not in the first three as typed %v", name, q.Text, fin[0], ids(t, e, q.Text, false, 3))
			}
			i := strings.LastIndexByte(q.Text, ' ') + 1
			last := []rune(q.Text[i:])
			for k := 2; k < len(last); k++ {
				np++
				if slices.Contains(ids(t, e, q.Text[:i]+string(last[:k]), false, 3), fin[0]) {
					partial++
				}
			}
		}
		t.Logf("%s: finished first hit in the as-typed first three for %d of %d queries; at each keystroke of the last word %.3f (%d keystrokes)",
			name, whole, n, float64(partial)/float64(np), np)
		if whole*10 < n*9 {
			t.Errorf("%s: %d of %d queries, want 90%%", name, whole, n)
		}
	}
}

// Every keystroke of every docs query returns results within the
// documented limits: no error or notice, at most the hits asked for, and
// a plan of at most MaxTerms words, MaxPrefixTerms completions and
// MaxFuzzyTerms neighbours for each of MaxFuzzyWords words.
func TestEveryKeystroke(t *testing.T) {
	bound := plan.MaxTerms + plan.DefaultRanking.MaxPrefixTerms + plan.MaxFuzzyWords*plan.MaxFuzzyTerms
	for _, name := range []string{"hugodocs", "phpdocs"} {
		e, c := docsCollection(t, name)
		n, most := 0, 0
		for _, q := range c.Queries {
			for k := range q.Text {
				text := q.Text[:k+1]
				n++
				resp, err := e.Search(Request{Query: text, Limit: 10})
				if err != nil {
					t.Fatalf("%s %q: %v", name, text, err)
				}
				if resp.Notice != "" || len(resp.Hits) > 10 {
					t.Errorf("%s %q: notice %q, %d hits", name, text, resp.Notice, len(resp.Hits))
				}
				pl, _ := e.Plan(text, false)
				leaves := 0
				query.Walk(pl.Query, func(n query.Node) {
					if _, ok := n.(*query.Fields); ok {
						leaves++
					}
				})
				most = max(most, leaves)
				if leaves > bound {
					t.Errorf("%s %q: %d terms searched, more than %d", name, text, leaves, bound)
				}
			}
		}
		t.Logf("%s: %d keystrokes, at most %d terms searched", name, n, most)
	}
}

// A question typed into a docs site's box, with its question mark, finds
// what it finds without (issue 13): the Hugo docs' Windows installation
// page first.
func TestQuestionOnDocs(t *testing.T) {
	e, c := docsCollection(t, "hugodocs")
	windows := ""
	for _, d := range c.Docs {
		if d.Title == "Windows" && strings.Contains(d.URL, "installation/windows") {
			windows = d.ID
		}
	}
	if windows == "" {
		t.Fatal("no Windows installation page in the Hugo docs")
	}
	for _, q := range []string{"how do I install hugo on windows?", "how do I install hugo on windows", "install hugo on windows?", "How do I install Hugo on Windows ?"} {
		for _, complete := range []bool{true, false} {
			if got := ids(t, e, q, complete, 5); len(got) == 0 || got[0] != windows {
				t.Errorf("%q complete=%v: %v, want the Windows installation page (%s) first", q, complete, got, windows)
			}
		}
	}
}
