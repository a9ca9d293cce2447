// Package facet filters search results by facet values (entities and
// taxonomies such as org, place, tags) and counts the values among the
// matching documents. Each value's documents are a roaring bitmap read
// from the facet field's postings; a filter is a bitmap of the documents
// that pass it, and counts are bitmap intersections.
//
// Values of one type combine with OR ("any", the default), AND ("all") or
// neither ("none"); types combine with AND. Counts are disjunctive: each
// type's counts apply every other type's filter but not its own, so
// selecting one value keeps its siblings' counts.
package facet

import (
	"errors"
	"slices"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/quarry-search/quarry/internal/index"
)

// Filter modes: how the selected values of one type combine.
const (
	ModeAny  = "any"
	ModeAll  = "all"
	ModeNone = "none"
)

// ErrFilter wraps every error in a request's filters (unknown type or
// mode).
var ErrFilter = errors.New("bad filter")

// Value is one value of a facet type and the number of matching
// documents having it.
type Value struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Table holds, per facet field, its values in byte order and each
// value's documents.
type Table struct {
	fields []string
	values map[string][]string
	docs   map[string][]*roaring.Bitmap
	ids    map[string]map[string]int
	n      uint64
}

// Load reads the values and documents of fields from r.
func Load(r index.Reader, fields []string) (*Table, error) {
	t := &Table{fields: fields, values: map[string][]string{}, docs: map[string][]*roaring.Bitmap{},
		ids: map[string]map[string]int{}, n: uint64(r.NumDocs())}
	for _, f := range fields {
		var vals []string
		err := r.Terms(f, nil, nil, nil, func(e index.Entry) bool {
			vals = append(vals, string(e.Term))
			return true
		})
		if err != nil {
			return nil, errors.New("facet " + f + ": " + err.Error())
		}
		bms := make([]*roaring.Bitmap, len(vals))
		ids := make(map[string]int, len(vals))
		for i, v := range vals {
			bm, err := r.Docs(f, v)
			if err != nil {
				return nil, errors.New("facet " + f + " value " + v + ": " + err.Error())
			}
			bms[i], ids[v] = bm, i
		}
		t.values[f], t.docs[f], t.ids[f] = vals, bms, ids
	}
	return t, nil
}

// Fields lists the facet fields.
func (t *Table) Fields() []string { return t.fields }

// Filters is a request's compiled selection.
type Filters struct {
	// pass holds, per filtered field, the documents passing its filter.
	pass map[string]*roaring.Bitmap
	all  *roaring.Bitmap // documents passing every filter; nil: no filter
}

// Compile checks and compiles a request's selection (type -> values) and
// modes (type -> any, all or none).
func (t *Table) Compile(sel map[string][]string, modes map[string]string) (*Filters, error) {
	f := &Filters{pass: map[string]*roaring.Bitmap{}}
	// Modes are checked even for types with no value selected, so that a
	// mistake is reported the same way wherever it is made.
	for name, mode := range modes {
		if _, ok := t.docs[name]; !ok {
			return nil, errors.Join(ErrFilter, errors.New("unknown filter \""+name+"\" (this index filters on ["+strings.Join(t.fields, " ")+"])"))
		}
		if mode != "" && mode != ModeAny && mode != ModeAll && mode != ModeNone {
			return nil, errors.Join(ErrFilter, errors.New("filter \""+name+"\": unknown mode \""+mode+"\" (want any, all or none)"))
		}
	}
	names := make([]string, 0, len(sel))
	for name := range sel {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		vals := sel[name]
		if len(vals) == 0 {
			continue
		}
		bms, ok := t.docs[name]
		if !ok {
			return nil, errors.Join(ErrFilter, errors.New("unknown filter \""+name+"\" (this index filters on ["+strings.Join(t.fields, " ")+"])"))
		}
		mode := modes[name]
		if mode == "" {
			mode = ModeAny
		}
		if mode != ModeAny && mode != ModeAll && mode != ModeNone {
			return nil, errors.Join(ErrFilter, errors.New("filter \""+name+"\": unknown mode \""+mode+"\" (want any, all or none)"))
		}
		var picked []*roaring.Bitmap
		unknown := false
		seen := map[int]bool{}
		for _, v := range vals {
			id, ok := t.ids[name][v]
			if !ok {
				unknown = true
				continue
			}
			if !seen[id] {
				seen[id] = true
				picked = append(picked, bms[id])
			}
		}
		var pass *roaring.Bitmap
		switch mode {
		case ModeAll:
			if unknown || len(picked) == 0 {
				pass = roaring.New()
			} else {
				pass = roaring.FastAnd(picked...)
			}
		case ModeNone:
			pass = roaring.FastOr(picked...)
			pass.Flip(0, t.n)
		default:
			pass = roaring.FastOr(picked...)
		}
		f.pass[name] = pass
	}
	if len(f.pass) > 0 {
		f.all = f.except("")
	}
	return f, nil
}

// except returns the documents passing every filter but skip's (nil when
// nothing is filtered).
func (f *Filters) except(skip string) *roaring.Bitmap {
	var out *roaring.Bitmap
	for name, p := range f.pass {
		if name == skip {
			continue
		}
		if out == nil {
			out = p.Clone()
		} else {
			out.And(p)
		}
	}
	return out
}

// Active reports whether any filter applies.
func (f *Filters) Active() bool { return f != nil && f.all != nil }

// Keep reports whether doc passes every filter.
func (f *Filters) Keep(doc uint32) bool {
	return f == nil || f.all == nil || f.all.Contains(doc)
}

// Counts returns, per facet field, its values among matched (the
// documents the query matched before filtering) with disjunctive counts,
// by descending count then value; values counted zero are left out.
func (t *Table) Counts(matched *roaring.Bitmap, f *Filters) map[string][]Value {
	out := make(map[string][]Value, len(t.fields))
	for _, name := range t.fields {
		base := matched
		if f != nil {
			if other := f.except(name); other != nil {
				base = roaring.And(matched, other)
			}
		}
		vals := []Value{}
		for i, bm := range t.docs[name] {
			if c := int(base.AndCardinality(bm)); c > 0 {
				vals = append(vals, Value{Value: t.values[name][i], Count: c})
			}
		}
		slices.SortFunc(vals, func(a, b Value) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Value, b.Value)
		})
		out[name] = vals
	}
	return out
}
