package engine

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/quarry-search/quarry/internal/indexfile"
)

// The documents' display text is not in the segment: it comes in text
// files (see indexfile), inline in the index or fetched separately, and
// only the text of documents being shown or read for feedback is needed.
// A search that needs text the engine does not have yet answers without
// it and names the missing files in Response.Missing; the caller fetches
// them, hands them over with AddText (or reports TextFailed), and runs
// the same search again. SearchLoading does this loop for callers that
// can read files synchronously (the CLI).

// errTextMissing is returned for a document whose text file has not been
// added yet.
var errTextMissing = errors.New("document text not loaded yet")

// textStore holds the text files an engine has received.
type textStore struct {
	files  []indexfile.TextFile
	byName map[string]int

	mu     sync.RWMutex
	loaded [][]string // per file, nil until added
	failed []error    // per file, why it could not be used
	// inline holds the bytes of text files that came inside the index
	// file, decoded on first use: the index's checksum already covers
	// them, and decoding every one when the index opens delayed the
	// engine's first answer.
	inline [][]byte
}

func newTextStore(files []indexfile.TextFile) *textStore {
	s := &textStore{files: files, byName: make(map[string]int, len(files)),
		loaded: make([][]string, len(files)), failed: make([]error, len(files)), inline: make([][]byte, len(files))}
	for i, f := range files {
		s.byName[f.Name] = i
	}
	return s
}

// fileOf returns the index of the text file holding document num, or -1.
func (s *textStore) fileOf(num uint32) int {
	i, _ := slices.BinarySearchFunc(s.files, num, func(f indexfile.TextFile, n uint32) int {
		if uint32(f.First+f.Count) > n {
			return 1
		}
		return -1
	})
	if i == len(s.files) || uint32(s.files[i].First) > num {
		return -1
	}
	return i
}

// textNeed collects the text files one search found missing.
type textNeed struct{ files map[int]bool }

func (n *textNeed) add(i int) {
	if n == nil {
		return
	}
	if n.files == nil {
		n.files = map[int]bool{}
	}
	n.files[i] = true
}

// names returns the missing files' names in document order.
func (n *textNeed) names(s *textStore) []string {
	if n == nil || len(n.files) == 0 {
		return nil
	}
	idx := make([]int, 0, len(n.files))
	for i := range n.files {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	out := make([]string, len(idx))
	for k, i := range idx {
		out[k] = s.files[i].Name
	}
	return out
}

// body returns document num's display text. When its file has not been
// added it records the file in need and returns errTextMissing; when the
// file failed it returns why.
func (e *Engine) body(num uint32, need *textNeed) (string, error) {
	s := e.texts
	i := s.fileOf(num)
	if i < 0 {
		return "", fmt.Errorf("document %d has no text file", num)
	}
	s.mu.RLock()
	texts, failed, raw := s.loaded[i], s.failed[i], s.inline[i]
	s.mu.RUnlock()
	if texts == nil && failed == nil && raw != nil {
		texts, failed = s.decodeInline(i, raw)
	}
	switch {
	case texts != nil:
		return texts[num-uint32(s.files[i].First)], nil
	case failed != nil:
		return "", failed
	}
	need.add(i)
	return "", errTextMissing
}

// decodeInline decodes inline text file i.
func (s *textStore) decodeInline(i int, raw []byte) ([]string, error) {
	texts, err := indexfile.DecodeInlineText(s.files[i], raw)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inline[i] = nil
	if err != nil {
		s.failed[i] = err
		return nil, err
	}
	s.loaded[i] = texts
	return texts, nil
}

// addInline records the bytes of a text file held in the index.
func (s *textStore) addInline(name string, data []byte) error {
	i, ok := s.byName[name]
	if !ok {
		return fmt.Errorf("%q: %w", name, ErrUnknownText)
	}
	s.inline[i] = data
	return nil
}

// ErrUnknownText is returned by AddText and TextFailed for a name the
// index does not list.
var ErrUnknownText = errors.New("not a text file of this index")

// AddText verifies the text file called name (its size, checksum and
// header against the index) and makes its documents' text available. A
// file that fails verification is refused with an error wrapping
// indexfile.ErrText and remembered as failed, so that searches show the
// failure on the results it concerns instead of asking for it again.
func (e *Engine) AddText(name string, data []byte) error {
	s := e.texts
	i, ok := s.byName[name]
	if !ok {
		return fmt.Errorf("%q: %w", name, ErrUnknownText)
	}
	texts, err := indexfile.DecodeText(s.files[i], data)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		if s.loaded[i] == nil {
			s.failed[i] = err
		}
		return err
	}
	s.loaded[i], s.failed[i] = texts, nil
	return nil
}

// TextFailed records that the text file called name could not be
// obtained (reason is shown with the results it concerns). A later
// AddText with the right bytes still succeeds.
func (e *Engine) TextFailed(name, reason string) error {
	s := e.texts
	i, ok := s.byName[name]
	if !ok {
		return fmt.Errorf("%q: %w", name, ErrUnknownText)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.loaded[i] == nil {
		s.failed[i] = fmt.Errorf("%s could not be loaded: %s", name, reason)
	}
	return nil
}

// TextLoader reads the text file called name.
type TextLoader func(name string) ([]byte, error)

// maxTextRounds bounds the searches SearchLoading runs for one request:
// text for feedback, then for the results feedback brought up.
const maxTextRounds = 4

// SearchLoading runs req, loading with load every file the search
// reports missing (text files, the positions segment) and searching
// again, until nothing is missing. A file that cannot be loaded or is
// damaged leaves its results without an excerpt and with ExcerptError set
// (or, for the positions segment, a notice); it is not an error of the
// search.
func (e *Engine) SearchLoading(req Request, load TextLoader) (*Response, error) {
	eng := e
	for round := 1; ; round++ {
		resp, err := eng.Search(req)
		if err != nil || len(resp.Missing) == 0 || round == maxTextRounds {
			return resp, err
		}
		for _, name := range resp.Missing {
			data, err := load(name)
			switch {
			case eng.IsPositionsFile(name) && err != nil:
				eng.PositionsFailed(err.Error())
			case eng.IsPositionsFile(name):
				if full, err := eng.WithPositions(data); err == nil {
					eng = full
				}
			case err != nil:
				eng.TextFailed(name, err.Error())
			default:
				eng.AddText(name, data) // a damaged file is remembered as failed
			}
		}
	}
}
