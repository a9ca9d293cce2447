package entity

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jdkato/prose/v2"
)

var (
	proseOnce  sync.Once
	proseModel *prose.Model
	proseErr   error
)

// model returns prose's default English model, loaded once: building it
// costs ~250 ms, tagging a sentence with it well under a millisecond.
//
// The model is shared by concurrent workers. That is safe: with
// UsingModel and segmentation off, prose.NewDocument allocates its own
// tokenizer and token slice, and the tagger (perceptronTagger.tag) and
// the entity classifier (entityExtracter.classify, chunk) only read the
// model's maps and weights; the package-level regexps and word lists
// they use are read-only too (checked against prose v2.0.0; the race
// detector agrees, see TestProseConcurrent).
func model() (*prose.Model, error) {
	proseOnce.Do(func() {
		d, err := prose.NewDocument("warm up", prose.WithSegmentation(false))
		if err != nil {
			proseErr = fmt.Errorf("loading prose model: %w", err)
			return
		}
		proseModel = d.Model
	})
	return proseModel, proseErr
}

// Preload starts loading the lexicon (country names, word lists: ~0.2 s)
// in the background. Called while the documents are still being read, it
// takes that off the build's critical path; Extract waits for it if it is
// not loaded yet. (Prose's model, ~0.5 s of CPU, is loaded only when
// some cluster's answer matters: see worthAsking.)
func Preload() { go getLexicon() }

// proseAgrees asks prose NER about clusters seen only at sentence starts:
// ok[i] reports whether prose finds ask[i]'s name, as a span of its own,
// in at least one of the sentences where it was mentioned. Only those
// sentences are tagged, each distinct sentence once.
func (x *extractor) proseAgrees(ask []*cluster) ([]bool, error) {
	index := map[string]int{}
	var sents []string
	for _, c := range ask {
		for _, m := range c.mentions {
			if _, ok := index[m.sent]; !ok && m.sent != "" {
				index[m.sent] = len(sents)
				sents = append(sents, m.sent)
			}
		}
	}
	keys, err := tagSentences(sents)
	if err != nil {
		return nil, err
	}
	ok := make([]bool, len(ask))
	for i, c := range ask {
		for _, m := range c.mentions {
			if j, found := index[m.sent]; found && keys[j][mergeKey(m.surface)] {
				ok[i] = true
				break
			}
		}
	}
	return ok, nil
}

// tagSentences runs prose NER on each sentence and returns, per sentence,
// the merge keys of the spans it finds. The sentences are spread over a
// bounded pool of runtime.GOMAXPROCS workers; each result goes to its
// sentence's slot, so the output does not depend on scheduling.
func tagSentences(sents []string) ([]map[string]bool, error) {
	if len(sents) == 0 {
		return nil, nil
	}
	m, err := model()
	if err != nil {
		return nil, err
	}
	keys := make([]map[string]bool, len(sents))
	errs := make([]error, len(sents))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(sents)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(sents) {
					return
				}
				keys[i], errs[i] = proseSpans(m, sents[i])
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("prose NER on %q: %w", sents[i], err)
		}
	}
	return keys, nil
}

// proseSpans tags one sentence and returns the merge keys of its spans.
func proseSpans(m *prose.Model, sent string) (map[string]bool, error) {
	d, err := prose.NewDocument(sent, prose.WithSegmentation(false), prose.UsingModel(m))
	if err != nil {
		return nil, err
	}
	keys := map[string]bool{}
	for _, e := range d.Entities() {
		text := strings.Trim(e.Text, " \t–—-,.;:\"'()")
		text = strings.TrimSuffix(text, "'s")
		if text != "" {
			keys[mergeKey(text)] = true
		}
	}
	return keys, nil
}
