package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// jsonScanner reads a JSON document as a stream of bytes, finding where
// each value of the top-level array begins and ends without decoding it,
// and keeping the line and column of the next byte for warnings and
// errors. Values are then decoded one at a time (jsonValue.decode).
type jsonScanner struct {
	r *bufio.Reader
	// line and col (1-based, in characters) locate the next byte.
	line, col int
	// limit is the largest value kept, in bytes (0: no limit).
	limit int64
	// warnedUTF8 is set once invalid UTF-8 has been reported for the file.
	warnedUTF8 bool
	buf        []byte
}

func newJSONScanner(r io.Reader, limit int64) *jsonScanner {
	return &jsonScanner{r: bufio.NewReaderSize(r, 64<<10), line: 1, col: 1, limit: limit}
}

// next consumes one byte.
func (s *jsonScanner) next() (byte, error) {
	c, err := s.r.ReadByte()
	if err != nil {
		return 0, err
	}
	switch {
	case c == '\n':
		s.line++
		s.col = 1
	case c&0xC0 != 0x80: // not a UTF-8 continuation byte
		s.col++
	}
	return c, nil
}

// skipSpace consumes whitespace and returns the next byte, unconsumed
// (io.EOF at the end).
func (s *jsonScanner) skipSpace() (byte, error) {
	for {
		b, err := s.r.Peek(1)
		if err != nil {
			return 0, err
		}
		if !isJSONSpace(b[0]) {
			return b[0], nil
		}
		s.next()
	}
}

// errorAt is a syntax error at the next byte.
func (s *jsonScanner) errorAt(msg string) error {
	return &LineError{Kind: "JSON", Line: s.line, Col: s.col, Err: errors.New(msg)}
}

// errorBefore is a syntax error at the byte just consumed (which is not
// a newline).
func (s *jsonScanner) errorBefore(msg string) error {
	return &LineError{Kind: "JSON", Line: s.line, Col: s.col - 1, Err: errors.New(msg)}
}

// eof turns the end of the input inside the document into a syntax error.
func (s *jsonScanner) eof(err error) error {
	if err == io.EOF {
		return s.errorAt("unexpected end of file")
	}
	return err
}

// jsonValue is one value read by jsonScanner.value.
type jsonValue struct {
	data []byte // the value's bytes (nil when over the limit)
	size int64
	over bool
	// line and col locate its first byte.
	line, col int
	// badUTF8 is the line of its first invalid UTF-8 byte, 0 if none.
	badUTF8 int
}

// value consumes the value starting at the next byte (whitespace
// skipped): an object or array up to its closing bracket, a string up to
// its closing quote, or a literal up to the next delimiter. Only the
// brackets and quotes are followed; decode checks the rest. A value over
// the limit is read through but not kept.
func (s *jsonScanner) value() (*jsonValue, error) {
	c, err := s.skipSpace()
	if err != nil {
		return nil, s.eof(err)
	}
	v := &jsonValue{line: s.line, col: s.col}
	if c == ',' || c == ']' || c == '}' || c == ':' {
		return nil, s.errorAt("invalid character " + quoteChar(c) + " looking for beginning of value")
	}
	s.buf = s.buf[:0]
	keep := func(b byte) {
		v.size++
		if v.over {
			return
		}
		if s.limit > 0 && v.size > s.limit {
			v.over, s.buf = true, s.buf[:0]
			return
		}
		s.buf = append(s.buf, b)
	}
	switch c {
	case '{', '[', '"':
		depth, inString, escaped := 0, false, false
		for {
			b, err := s.next()
			if err != nil {
				return nil, s.eof(err)
			}
			keep(b)
			switch {
			case inString:
				switch {
				case escaped:
					escaped = false
				case b == '\\':
					escaped = true
				case b == '"':
					inString = false
				}
			case b == '"':
				inString = true
			case b == '{' || b == '[':
				depth++
			case b == '}' || b == ']':
				depth-- // a stray one ends the value early: decode reports it
			}
			if !inString && depth <= 0 {
				break
			}
		}
	default:
		// A literal: up to the next delimiter, which is left unread.
		for {
			b, err := s.r.Peek(1)
			if err == io.EOF || err == nil && (isJSONSpace(b[0]) || b[0] == ',' || b[0] == ']' || b[0] == '}') {
				break
			}
			if err != nil {
				return nil, err
			}
			s.next()
			keep(b[0])
		}
	}
	if !v.over {
		v.data = s.buf
		if !utf8.Valid(v.data) {
			v.badUTF8 = v.line + bytes.Count(v.data[:firstBadUTF8(v.data)], []byte("\n"))
			v.data = bytes.ToValidUTF8(v.data, []byte("\uFFFD"))
		}
	}
	return v, nil
}

// decode decodes the value (numbers as json.Number). Its syntax errors
// are *LineErrors located in the file.
func (v *jsonValue) decode() (any, error) {
	dec := json.NewDecoder(bytes.NewReader(v.data))
	dec.UseNumber()
	var out any
	err := dec.Decode(&out)
	off := 0
	switch {
	case err == nil:
		if off = int(dec.InputOffset()); off == len(v.data) {
			return out, nil
		}
		err = errors.New("invalid character " + quoteChar(v.data[off]) + " after array element")
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		off, err = len(v.data), errors.New("unexpected end of file")
	default:
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off = max(0, int(se.Offset)-1) // Offset is just past the offending byte
		}
	}
	line, col := lineCol(v.data, off)
	if line == 1 {
		col += v.col - 1
	}
	return nil, &LineError{Kind: "JSON", Line: v.line + line - 1, Col: col, Err: err}
}

// firstBadUTF8 returns the offset of the first invalid UTF-8 sequence of
// b (len(b) when there is none).
func firstBadUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// quoteChar formats a byte as encoding/json's syntax errors do.
func quoteChar(c byte) string {
	switch c {
	case '\'':
		return `'\''`
	case '"':
		return `'"'`
	}
	s := fmt.Sprintf("%q", string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
}

// byteSize formats a size in bytes for a person: "12.5 MB", "900 bytes".
func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
