package wasmfile

import (
	"errors"
	"fmt"
	"slices"
)

// ErrHasStart is returned by AddStart for a module that already has a
// start function.
var ErrHasStart = errors.New("module already has a start function")

// AddStart appends a function of type [] -> [] with the given body (its
// locals and instructions, ending in `end`, as a code section entry holds
// them without the size) and makes it the module's start function, which
// the engine runs at instantiation, after the data segments are copied into
// memory and before any export can be called. Existing functions keep
// their indexes (the new one comes last). A module with a start function,
// or without type, function or code sections, is refused.
func AddStart(module, body []byte) ([]byte, error) {
	secs, err := Sections(module)
	if err != nil {
		return nil, err
	}
	find := func(id byte) int { return slices.IndexFunc(secs, func(s Section) bool { return s.ID == id }) }
	if find(SectionStart) >= 0 {
		return nil, ErrHasStart
	}
	ti, fi, ci := find(SectionType), find(SectionFunction), find(SectionCode)
	if ti < 0 || fi < 0 || ci < 0 {
		return nil, errors.New("module without type, function or code section")
	}
	imported, err := importedFuncs(secs)
	if err != nil {
		return nil, err
	}
	// The type [] -> [], found or added.
	types, typeIdx, err := voidType(secs[ti].Body)
	if err != nil {
		return nil, err
	}
	funcs, nfuncs, err := appendCount(secs[fi].Body, AppendUleb(nil, uint64(typeIdx)))
	if err != nil {
		return nil, fmt.Errorf("function section: %w", err)
	}
	code, ncode, err := appendCount(secs[ci].Body, append(AppendUleb(nil, uint64(len(body))), body...))
	if err != nil {
		return nil, fmt.Errorf("code section: %w", err)
	}
	if ncode != nfuncs {
		return nil, fmt.Errorf("%d function declarations but %d bodies", nfuncs, ncode)
	}
	index := imported + nfuncs - 1
	out := slices.Clone(secs)
	out[ti].Body, out[fi].Body, out[ci].Body = types, funcs, code
	// The start section goes after export (7) and before element (9),
	// data count (12) and code.
	at := len(out)
	for i, s := range out {
		if s.ID != SectionCustom && (s.ID > SectionStart) {
			at = i
			break
		}
	}
	out = slices.Insert(out, at, Section{ID: SectionStart, Body: AppendUleb(nil, uint64(index))})
	return Encode(out), nil
}

// HasStart reports whether a module has a start function.
func HasStart(module []byte) (bool, error) {
	secs, err := Sections(module)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(secs, func(s Section) bool { return s.ID == SectionStart }), nil
}

// appendCount appends an entry to a vector section (a count, then
// entries) and returns it with its new count.
func appendCount(body, entry []byte) ([]byte, int, error) {
	r := NewReader(body)
	n := r.Uleb()
	if r.Err() != nil || n >= 1<<31 {
		return nil, 0, errors.New("bad count")
	}
	out := AppendUleb(nil, n+1)
	out = append(append(out, r.b[r.i:]...), entry...)
	return out, int(n + 1), nil
}

// voidType returns the type section with a [] -> [] type (added if
// missing) and that type's index.
func voidType(body []byte) ([]byte, int, error) {
	r := NewReader(body)
	n := r.Uleb()
	for k := uint64(0); k < n && r.Err() == nil; k++ {
		if form := r.Byte(); form != 0x60 {
			if r.Err() == nil {
				return nil, 0, fmt.Errorf("type %d: form %#x", k, form)
			}
			break
		}
		params := r.Uleb()
		r.Bytes(int(min(params, uint64(r.Len()+1))))
		results := r.Uleb()
		r.Bytes(int(min(results, uint64(r.Len()+1))))
		if params == 0 && results == 0 && r.Err() == nil {
			return body, int(k), nil
		}
	}
	if r.Err() != nil || !r.Done() {
		return nil, 0, errors.New("type section: malformed")
	}
	out, idx, err := appendCount(body, []byte{0x60, 0, 0})
	return out, idx - 1, err
}

// importedFuncs counts the functions a module imports (they come first in
// the function index space).
func importedFuncs(secs []Section) (int, error) {
	i := slices.IndexFunc(secs, func(s Section) bool { return s.ID == SectionImport })
	if i < 0 {
		return 0, nil
	}
	r := NewReader(secs[i].Body)
	n := r.Uleb()
	funcs := 0
	for k := uint64(0); k < n && r.Err() == nil; k++ {
		r.Name()
		r.Name()
		switch kind := r.Byte(); kind {
		case 0: // function: type index
			r.Uleb()
			funcs++
		case 1: // table: reference type, limits
			r.Byte()
			limits(r)
		case 2: // memory: limits
			limits(r)
		case 3: // global: value type, mutability
			r.Byte()
			r.Byte()
		default:
			if r.Err() == nil {
				return 0, fmt.Errorf("import %d: kind %d", k, kind)
			}
		}
	}
	if r.Err() != nil || !r.Done() {
		return 0, errors.New("import section: malformed")
	}
	return funcs, nil
}

func limits(r *Reader) {
	if flags := r.Byte(); flags&1 != 0 {
		r.Uleb()
	}
	r.Uleb()
}
