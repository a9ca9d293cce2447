// Package facet filters search results by facet values (entities and
// taxonomies such as org, place, tags) and counts the values among the
// matching documents. Each value's documents are the facet field's
// postings for it; a filter is a bitmap (Bits, one bit per
// document) of the documents that pass it, and a value's count is the
// number of its documents set in the bitmap of matches that pass the
// other types' filters. (roaring bitmaps cost 40 kB of brotli in
// quarry.wasm for sets of at most tens of thousands of documents, which
// a flat bitmap holds in a few kilobytes.)
//
// Values of one type combine with OR ("any", the default), AND ("all") or
// neither ("none"); types combine with AND. Counts are disjunctive: each
// type's counts apply every other type's filter but not its own, so
// selecting one value keeps its siblings' counts.
package facet

import (
	"errors"
	"sort"
	"strings"

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
	docs   map[string][][]uint32 // field -> value id -> documents, ascending
	ids    map[string]map[string]int
	n      uint
}

// Load reads the values and documents of fields from r.
func Load(r index.Reader, fields []string) (*Table, error) {
	t := &Table{fields: fields, values: map[string][]string{}, docs: map[string][][]uint32{},
		ids: map[string]map[string]int{}, n: uint(r.NumDocs())}
	for _, f := range fields {
		var vals []string
		err := r.Terms(f, nil, nil, nil, func(e index.Entry) bool {
			vals = append(vals, string(e.Term))
			return true
		})
		if err != nil {
			return nil, errors.New("facet " + f + ": " + err.Error())
		}
		bms := make([][]uint32, len(vals))
		ids := make(map[string]int, len(vals))
		for i, v := range vals {
			p, err := r.Postings(f, v, 0)
			if err != nil {
				return nil, errors.New("facet " + f + " value " + v + ": " + err.Error())
			}
			if p != nil {
				if !below(p.Docs, t.n) {
					return nil, errors.New("facet " + f + " value " + v + ": document number out of range")
				}
				bms[i] = p.Docs
			}
			ids[v] = i
		}
		t.values[f], t.docs[f], t.ids[f] = vals, bms, ids
	}
	return t, nil
}

// below reports whether every document of docs is below n. It runs over
// every posting of every value, out of Load's line: V8 recompiles a wasm
// function that runs long with its optimizing compiler, and for a loop
// inlined in Load (5 kB of wasm) that was all of Load.
//
//go:noinline
func below(docs []uint32, n uint) bool {
	for _, d := range docs {
		if uint(d) >= n {
			return false
		}
	}
	return true
}

// Fields lists the facet fields.
func (t *Table) Fields() []string { return t.fields }

// Filters is a request's compiled selection.
type Filters struct {
	// pass holds, per filtered field, the documents passing its filter.
	pass map[string]*Bits
	all  *Bits // documents passing every filter; nil: no filter
}

// Compile checks and compiles a request's selection (type -> values) and
// modes (type -> any, all or none).
func (t *Table) Compile(sel map[string][]string, modes map[string]string) (*Filters, error) {
	if len(sel) == 0 && len(modes) == 0 {
		return &Filters{}, nil // most searches
	}
	return t.compile(sel, modes)
}

// compile is Compile for a request with filters. Apart, so that Compile,
// called by every search, is small: V8 recompiles a wasm function with
// its optimizing compiler once its calls have used up a budget, which
// runs out as if charged by the size of its code: the whole of Compile
// (17 kB of wasm) was recompiled during the first run of Cranfield's
// questions (0.09–0.13 s of compiler CPU beside the engine on 2 cores)
// even when it returned on its first line, and is not as a wrapper.
//
//go:noinline
func (t *Table) compile(sel map[string][]string, modes map[string]string) (*Filters, error) {
	f := &Filters{pass: map[string]*Bits{}}
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
	sort.Strings(names)
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
		var picked [][]uint32
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
		pass := NewBits(t.n)
		switch mode {
		case ModeAll:
			if !unknown && len(picked) > 0 {
				pass.Invert()
				for _, docs := range picked {
					pass.And(set(t.n, docs))
				}
			}
		case ModeNone:
			for _, docs := range picked {
				setAll(pass, docs)
			}
			pass.Invert()
		default:
			for _, docs := range picked {
				setAll(pass, docs)
			}
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
func (f *Filters) except(skip string) *Bits {
	var out *Bits
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
	return f == nil || f.all == nil || f.all.Test(uint(doc))
}

// Counts returns, per facet field, its values among matched (the
// documents the query matched before filtering) with disjunctive counts,
// by descending count then value; values counted zero are left out.
func (t *Table) Counts(matched *Bits, f *Filters) map[string][]Value {
	out := make(map[string][]Value, len(t.fields))
	for _, name := range t.fields {
		base := matched
		if f != nil {
			if other := f.except(name); other != nil {
				base = other
				base.And(matched)
			}
		}
		vals := []Value{}
		for i, docs := range t.docs[name] {
			c := 0
			for _, d := range docs {
				if base.Test(uint(d)) {
					c++
				}
			}
			if c > 0 {
				vals = append(vals, Value{Value: t.values[name][i], Count: c})
			}
		}
		sort.Slice(vals, func(i, j int) bool {
			if vals[i].Count != vals[j].Count {
				return vals[i].Count > vals[j].Count
			}
			return vals[i].Value < vals[j].Value
		})
		out[name] = vals
	}
	return out
}

// set returns the bitmap of docs among n documents.
func set(n uint, docs []uint32) *Bits {
	b := NewBits(n)
	setAll(b, docs)
	return b
}

func setAll(b *Bits, docs []uint32) {
	for _, d := range docs {
		b.Set(uint(d))
	}
}

// NewMatches returns an empty bitmap for the documents a query matches,
// to pass to Counts.
func (t *Table) NewMatches() *Bits { return NewBits(t.n) }
