package errs

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"testing"
)

func TestWrapMatchesErrorf(t *testing.T) {
	tests := []struct {
		name string
		got  error
		want error
		is   []error
	}{
		{"one", Wrap(io.EOF.Error()+" (12 bytes)", io.EOF), fmt.Errorf("%w (12 bytes)", io.EOF), []error{io.EOF}},
		{"two", Wrap(io.EOF.Error()+": "+os.ErrNotExist.Error(), io.EOF, os.ErrNotExist), fmt.Errorf("%w: %w", io.EOF, os.ErrNotExist), []error{io.EOF, os.ErrNotExist}},
		{"nil skipped", Wrap("x", nil, io.EOF), fmt.Errorf("x%w", io.EOF), []error{io.EOF}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name != "nil skipped" && tt.got.Error() != tt.want.Error() {
				t.Errorf("message %q, want %q", tt.got, tt.want)
			}
			for _, target := range tt.is {
				if !errors.Is(tt.got, target) {
					t.Errorf("errors.Is(%v, %v) = false", tt.got, target)
				}
			}
			if errors.Is(tt.got, io.ErrUnexpectedEOF) {
				t.Errorf("errors.Is(%v, io.ErrUnexpectedEOF) = true", tt.got)
			}
		})
	}
	var pe *os.PathError
	if !errors.As(Wrap("a", io.EOF, &os.PathError{Op: "open"}), &pe) || pe.Op != "open" {
		t.Errorf("errors.As does not reach the second wrapped error")
	}
}

func TestFormatsMatchFmt(t *testing.T) {
	tests := []struct{ got, want string }{
		{Q("a\"b\n\x00é"), fmt.Sprintf("%q", "a\"b\n\x00é")},
		{I(-42), fmt.Sprintf("%d", -42)},
		{I(uint64(math.MaxUint64)), fmt.Sprintf("%d", uint64(math.MaxUint64))},
		{I(int64(math.MinInt64)), fmt.Sprintf("%d", int64(math.MinInt64))},
		{I(uint32(7)), fmt.Sprintf("%d", uint32(7))},
		{Hex8(0xab), fmt.Sprintf("%08x", uint32(0xab))},
		{Hex8(0xdeadbeef), fmt.Sprintf("%08x", uint32(0xdeadbeef))},
		{Hex8(0), fmt.Sprintf("%08x", uint32(0))},
		{Value(errors.New("boom")), fmt.Sprintf("%v", errors.New("boom"))},
		{Value("index out of range"), fmt.Sprintf("%v", "index out of range")},
		{Value(17), fmt.Sprintf("%v", 17)},
		{Value(nil), fmt.Sprintf("%v", nil)},
		{Value(true), fmt.Sprintf("%v", true)},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}
