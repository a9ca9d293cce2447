package bridge

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// jsonWriter writes JSON text. Strings are escaped as encoding/json
// escapes them with HTML escaping off: quotes, backslashes and control
// characters, U+2028 and U+2029, and invalid UTF-8 as \ufffd.
type jsonWriter struct{ b []byte }

func (w *jsonWriter) String() string { return string(w.b) }

// raw writes s as it is. Out of its callers' lines: an append inlined at
// each of ResponseJSON's 40 calls made that function 15,395 B of wasm
// (6,204 without), which V8 recompiled with its optimizing compiler
// during the first search of a cold load of the demo page (0.12–0.17 s
// of compiler CPU beside the engine's thread; now it is not recompiled).
//
//go:noinline
func (w *jsonWriter) raw(s string) { w.b = append(w.b, s...) }

// num writes a number as the shortest decimal that reads back the same;
// JSON has no NaN or infinities, which are written as null.
func (w *jsonWriter) num(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		w.raw("null")
		return
	}
	w.b = strconv.AppendFloat(w.b, f, 'g', -1, 64)
}

func (w *jsonWriter) strs(ss []string) {
	w.raw("[")
	for i, s := range ss {
		if i > 0 {
			w.raw(",")
		}
		w.str(s)
	}
	w.raw("]")
}

const hex = "0123456789abcdef"

// plainASCII returns how many bytes s starts with that a JSON string
// holds as they are: printable ASCII but quote and backslash.
func plainASCII(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' {
			return i
		}
	}
	return len(s)
}

// str writes s as a JSON string. It is called for every string of a
// response and kept small: the escaping is out of its line, in escaped.
// V8 recompiles a hot wasm function with its optimizing compiler, in the
// background; with the escaping inline, str was 7 kB of wasm and that
// compile took ~0.1 s of CPU on the first search of a large site, beside
// the engine's thread on a 2-core machine.
func (w *jsonWriter) str(s string) {
	if plainASCII(s) == len(s) {
		w.b = append(w.b, '"')
		w.b = append(w.b, s...)
		w.b = append(w.b, '"')
		return
	}
	w.escaped(s)
}

// escaped writes s, which needs escaping or is not ASCII, as a JSON
// string. Every excerpt that was cut comes here (its "…"), so it is kept
// small: each escape is looked up (escape) and appended once, where
// appends inlined case by case made it 7 kB of wasm, recompiled by V8's
// optimizing compiler during the first run of Cranfield's questions.
//
//go:noinline
func (w *jsonWriter) escaped(s string) {
	w.b = append(w.b, '"')
	start := 0
	for i := 0; i < len(s); {
		if i += plainASCII(s[i:]); i == len(s) {
			break
		}
		esc, size := escape(s[i:])
		if esc == "" {
			i += size // a rune written as it is
			continue
		}
		w.b = append(w.b, s[start:i]...)
		w.b = append(w.b, esc...)
		i += size
		start = i
	}
	w.b = append(w.b, s[start:]...)
	w.b = append(w.b, '"')
}

// escape returns how JSON writes the rune s starts with, which is not
// plain ASCII, and its size in s: "" when it is written as it is.
//
//go:noinline
func escape(s string) (string, int) {
	c := s[0]
	if c < utf8.RuneSelf {
		switch c {
		case '"':
			return `\"`, 1
		case '\\':
			return `\\`, 1
		case '\n':
			return `\n`, 1
		case '\r':
			return `\r`, 1
		case '\t':
			return `\t`, 1
		}
		return `\u00` + hex[c>>4:c>>4+1] + hex[c&0xf:c&0xf+1], 1
	}
	r, size := utf8.DecodeRuneInString(s)
	switch {
	case r == utf8.RuneError && size == 1:
		return `\ufffd`, 1
	case r == '\u2028':
		return `\u2028`, size
	case r == '\u2029':
		return `\u2029`, size
	}
	return "", size
}
