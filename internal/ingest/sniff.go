package ingest

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// readLimited reads at most limit+1 bytes of a file, so that a file that
// grew past the limit since it was listed is still caught.
func readLimited(p string, limit int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit+1))
}

// decodeText strips a UTF-8 byte order mark, decodes UTF-16 files that
// start with a byte order mark, and reports binary content: the returned
// string is empty for text, otherwise it says what was detected.
func decodeText(data []byte) ([]byte, string) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case len(data)%2 == 0 && (bytes.HasPrefix(data, []byte{0xFE, 0xFF}) || bytes.HasPrefix(data, []byte{0xFF, 0xFE})):
		u := make([]uint16, 0, len(data)/2-1)
		for i := 2; i+1 < len(data); i += 2 {
			if data[0] == 0xFE {
				u = append(u, uint16(data[i])<<8|uint16(data[i+1]))
			} else {
				u = append(u, uint16(data[i+1])<<8|uint16(data[i]))
			}
		}
		data = []byte(string(utf16.Decode(u)))
	}
	head := data[:min(len(data), sniffLen)]
	if bytes.IndexByte(head, 0) >= 0 {
		return data, "contains NUL bytes"
	}
	if ct := http.DetectContentType(head); !strings.HasPrefix(ct, "text/") && ct != "application/octet-stream" && ct != "application/json" {
		return data, ct
	}
	ctrl := 0
	for _, b := range head {
		if b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != '\v' && b != 0x1b {
			ctrl++
		}
	}
	if ctrl*10 > len(head) {
		return data, "mostly control characters"
	}
	return data, ""
}

// badUTF8Line returns the 1-based line of the first invalid UTF-8 sequence.
func badUTF8Line(data []byte) int {
	line := 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		i += size
	}
	return 0
}
