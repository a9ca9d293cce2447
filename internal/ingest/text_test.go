package ingest

import (
	"errors"
	"testing"
)

func TestParseText(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantTitle string
		wantBody  string
	}{
		{"title then blank line", "My Title\n\nBody text.", "My Title", "Body text."},
		{"question headline", "Is This a Title?\n\nYes it is.", "Is This a Title?", "Yes it is."},
		{"heading-like line followed by caption",
			"Alibaba\nA caption line under the title.\n\nBody.", "Alibaba", "A caption line under the title.\n\nBody."},
		{"leading blank lines and CRLF", "\r\n\r\nCRLF Title\r\n\r\nLine one\r\nLine two\r\n", "CRLF Title", "Line one\nLine two"},
		{"sentence is not a title", "This is a sentence.\n\nMore text here.", "This is a sentence", "This is a sentence.\n\nMore text here."},
		{"lower-case line followed by text is not heading-like",
			"it was a dark night\nand stormy.", "it was a dark night and stormy", "it was a dark night\nand stormy."},
		{"quoted line is not a title", "He said \"go\"\n\nThen left.", "He said \"go\"", "He said \"go\"\n\nThen left."},
		{"single line is body", "Only one line here", "Only one line here", "Only one line here"},
		{"title only", "Lonely Title\n\n   \n", "Lonely Title", "Lonely Title"},
		{"long first line derives a title",
			"With the global rise of Chinese tech majors, these firms now maintain a focus beyond top-tier Chinese cities on China's lower-tier cities.\nMore.",
			"With the global rise of Chinese tech majors, these firms…",
			"With the global rise of Chinese tech majors, these firms now maintain a focus beyond top-tier Chinese cities on China's lower-tier cities.\nMore."},
		{"too many words for a title",
			"one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twentyone\n\nbody",
			"one two three four five six seven eight nine ten…",
			"one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twentyone\n\nbody"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseText("dir/file.txt", []byte(tt.in))
			if err != nil {
				t.Fatalf("ParseText error: %v", err)
			}
			if d.Title != tt.wantTitle {
				t.Errorf("Title = %q, want %q", d.Title, tt.wantTitle)
			}
			if d.Body != tt.wantBody {
				t.Errorf("Body = %q, want %q", d.Body, tt.wantBody)
			}
			if d.ID != "dir/file.txt" || d.URL != "dir/file.txt" {
				t.Errorf("ID, URL = %q, %q, want both %q", d.ID, d.URL, "dir/file.txt")
			}
		})
	}
}

func TestParseTextEmpty(t *testing.T) {
	for _, in := range []string{"", " \n\t\n", "\uFEFF\n"} {
		_, err := ParseText("e.txt", []byte(in))
		if !errors.Is(err, ErrNoText) {
			t.Errorf("ParseText(%q) error = %v, want ErrNoText", in, err)
		}
		if err != nil && err.Error() != "parse e.txt: no text content" {
			t.Errorf("error text = %q, want %q", err, "parse e.txt: no text content")
		}
	}
}

func TestDeriveTitle(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Short sentence. Then another one.", "Short sentence"},
		{"The U.S. President spoke. Then left.", "The U.S. President spoke"},
		{"\n\n  first   line  \nsecond\n\nthird", "first line second"},
		{"averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongword and more",
			"averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylon…"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := deriveTitle(tt.in); got != tt.want {
				t.Errorf("deriveTitle(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
