// Package errs builds wrapped errors without package fmt. The browser
// engine (quarry.wasm) must not link fmt: fmt brings reflect, os and
// their package initialisers, about 125 kB of brotli over a bare js/wasm
// program (441 kB alone, 566 kB with fmt; Go 1.26, -s -w, brotli -q 11).
// Callers write their messages with string concatenation and strconv;
// Wrap keeps what fmt.Errorf's %w gave: errors.Is and errors.As see
// every wrapped error.
//
// Wrap, Q, I and Hex8 run on error paths only and are never inlined:
// inlined into the engine's 60-odd error sites they cost 4.5 kB of
// brotli in quarry.wasm (702,214 B against 697,651 B).
package errs

import (
	"runtime"
	"strconv"
)

// Wrap returns an error whose message is msg and which wraps errs
// (nil entries are skipped), as fmt.Errorf(msg-with-%w, errs...) would.
//
//go:noinline
func Wrap(msg string, errs ...error) error {
	e := &wrapped{msg: msg}
	for _, err := range errs {
		if err != nil {
			e.errs = append(e.errs, err)
		}
	}
	return e
}

type wrapped struct {
	msg  string
	errs []error
}

func (e *wrapped) Error() string   { return e.msg }
func (e *wrapped) Unwrap() []error { return e.errs }

// Q quotes s as fmt's %q does for a string: strconv.Quote.
//
//go:noinline
func Q(s string) string { return strconv.Quote(s) }

// I formats an integer of any width in base 10, as fmt's %d.
//
//go:noinline
func I[T ~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr](n T) string {
	if n < 0 {
		return strconv.FormatInt(int64(n), 10)
	}
	return strconv.FormatUint(uint64(n), 10)
}

// Hex8 formats n as fmt's %08x: lower-case hexadecimal, zero-padded to
// eight digits.
//
//go:noinline
func Hex8(n uint32) string {
	s := strconv.FormatUint(uint64(n), 16)
	for len(s) < 8 {
		s = "0" + s
	}
	return s
}

// Value formats a recovered panic value as fmt's %v does for the values
// a panic carries: an error or a Stringer by its method, a string as
// itself, integers in base 10; anything else by its kind of value only.
func Value(v any) string {
	switch v := v.(type) {
	case nil:
		return "<nil>"
	case error:
		return v.Error()
	case interface{ String() string }:
		return v.String()
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	case bool:
		return strconv.FormatBool(v)
	}
	return "(value of unprintable type)"
}

// Stack returns the calling goroutine's stack trace, as runtime/debug's
// Stack does (runtime/debug imports fmt and os).
func Stack() string {
	buf := make([]byte, 1024)
	for {
		n := runtime.Stack(buf, false)
		if n < len(buf) {
			return string(buf[:n])
		}
		buf = make([]byte, 2*len(buf))
	}
}
