package entity

import (
	"fmt"
	"strings"
	"sync"

	"github.com/jdkato/prose/v2"
)

var (
	proseOnce  sync.Once
	proseModel *prose.Model
	proseErr   error
)

// model returns prose's default English model, loaded once: building it
// costs ~250 ms, tagging a line with it well under a millisecond.
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

// proseMu serialises use of the shared model (its tagger is not
// documented as safe for concurrent use).
var proseMu sync.Mutex

// runProse runs prose NER on each document's candidate lines and keeps
// the fold keys of the spans it finds, as evidence that a name is an
// entity. Documents without candidates (e.g. all lower-case text) are
// skipped.
func (x *extractor) runProse() error {
	x.proseKeys = make([]map[string]bool, len(x.docs))
	var m *prose.Model
	for i, lines := range x.proseLines {
		x.proseKeys[i] = map[string]bool{}
		if len(lines) == 0 {
			continue
		}
		if m == nil {
			var err error
			if m, err = model(); err != nil {
				return err
			}
		}
		proseMu.Lock()
		d, err := prose.NewDocument(strings.Join(lines, "\n"),
			prose.WithSegmentation(false), prose.UsingModel(m))
		proseMu.Unlock()
		if err != nil {
			return fmt.Errorf("prose NER on document %q: %w", x.docs[i].ID, err)
		}
		for _, e := range d.Entities() {
			text := strings.Trim(e.Text, " \t–—-,.;:\"'()")
			text = strings.TrimSuffix(text, "'s")
			if text != "" {
				x.proseKeys[i][mergeKey(text)] = true
			}
		}
	}
	return nil
}
