package entity

import (
	"fmt"
	"sort"
	"strings"
)

// GoldEntity is one hand-annotated entity of a document.
type GoldEntity struct {
	Name string `json:"name"` // canonical name
	Type Type   `json:"type"`
}

// Pair is one (document, entity) pair of an evaluation.
type Pair struct {
	Doc  string
	Name string
	Type Type
	Gold Type // for mistyped pairs: the gold type
}

// String renders the pair for logs.
func (p Pair) String() string {
	if p.Gold != "" {
		return fmt.Sprintf("%s: %s (%s, gold %s)", p.Doc, p.Name, p.Type, p.Gold)
	}
	return fmt.Sprintf("%s: %s (%s)", p.Doc, p.Name, p.Type)
}

// Scores are per-(document, entity) precision, recall and type accuracy.
type Scores struct {
	Precision    float64 // matched predictions / predictions
	Recall       float64 // matched gold pairs / gold pairs
	TypeAccuracy float64 // matched pairs with the right coarse type / matched pairs
	Matched      int
	Predicted    int
	Gold         int
	TypeOK       int
	Spurious     []Pair // predicted, not in gold
	Missed       []Pair // gold, not predicted
	Mistyped     []Pair // matched with the wrong coarse type
}

// String renders the headline figures.
func (s Scores) String() string {
	return fmt.Sprintf("precision %.3f (%d/%d)  recall %.3f (%d/%d)  type accuracy %.3f (%d/%d)",
		s.Precision, s.Matched, s.Predicted, s.Recall, s.Matched, s.Gold, s.TypeAccuracy, s.TypeOK, s.Matched)
}

// coarse folds org and product into one type: the line between a company
// and its service ("Alibaba Cloud", "JD.com") is not worth scoring.
func coarse(t Type) Type {
	if t == Product {
		return Org
	}
	return t
}

// Evaluate scores predicted entities against gold annotations, per
// (document, entity) pair, over the documents present in gold. A
// prediction matches a gold entity of the same document when its name
// equals the gold name ignoring case, or one of its aliases does; each
// side is matched at most once, exact names first.
func Evaluate(pred []Entity, gold map[string][]GoldEntity) Scores {
	var s Scores
	byDoc := map[string][]Entity{}
	for _, e := range pred {
		for _, d := range e.Docs {
			if _, ok := gold[d]; ok {
				byDoc[d] = append(byDoc[d], e)
			}
		}
	}
	docs := make([]string, 0, len(gold))
	for d := range gold {
		docs = append(docs, d)
	}
	sort.Strings(docs)
	for _, d := range docs {
		g, p := gold[d], byDoc[d]
		s.Gold += len(g)
		s.Predicted += len(p)
		usedP := make([]bool, len(p))
		usedG := make([]bool, len(g))
		for pass := 0; pass < 2; pass++ {
			for gi, ge := range g {
				if usedG[gi] {
					continue
				}
				for pi, pe := range p {
					if usedP[pi] || !nameMatch(pe, ge.Name, pass == 1) {
						continue
					}
					usedP[pi], usedG[gi] = true, true
					s.Matched++
					if coarse(pe.Type) == coarse(ge.Type) {
						s.TypeOK++
					} else {
						s.Mistyped = append(s.Mistyped, Pair{Doc: d, Name: pe.Name, Type: pe.Type, Gold: ge.Type})
					}
					break
				}
			}
		}
		for gi, ge := range g {
			if !usedG[gi] {
				s.Missed = append(s.Missed, Pair{Doc: d, Name: ge.Name, Type: ge.Type})
			}
		}
		for pi, pe := range p {
			if !usedP[pi] {
				s.Spurious = append(s.Spurious, Pair{Doc: d, Name: pe.Name, Type: pe.Type})
			}
		}
	}
	s.Precision = ratio(s.Matched, s.Predicted)
	s.Recall = ratio(s.Matched, s.Gold)
	s.TypeAccuracy = ratio(s.TypeOK, s.Matched)
	return s
}

// nameMatch compares names (pass 0) or aliases (pass 1) with a gold name,
// ignoring case and typographic quotes.
func nameMatch(e Entity, gold string, aliases bool) bool {
	g := strings.ToLower(normalize(gold))
	if !aliases {
		return strings.ToLower(normalize(e.Name)) == g
	}
	for _, a := range e.Aliases {
		if strings.ToLower(normalize(a)) == g {
			return true
		}
	}
	return false
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}
