package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// A finished query whose last word is in no document is completed
// (issue 15): "ffmp" --complete finds the ffmpeg page, as typing it
// does; a word that exists is not completed once finished.
func TestQueryCompletesAbsentLastWord(t *testing.T) {
	corpus := t.TempDir()
	pages := map[string]string{
		"ffmpeg.txt":      "ffmpeg\n\nConvert, record and stream audio and video files with ffmpeg.\n",
		"imagemagick.txt": "imagemagick\n\nConvert, resize and compose images.\n",
		"pdfgrep.txt":     "pdfgrep\n\nSearch text in PDF files with regular expressions.\n",
		"wc.txt":          "wc\n\nCount lines, words and bytes in files.\n",
	}
	for name, text := range pages {
		if err := os.WriteFile(filepath.Join(corpus, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "site")
	if _, stderr, err := runCLI(t, "build", "-q", "-no-entities", "-o", out, corpus); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	tests := []struct {
		args  []string
		first string // "" for no hit
	}{
		{[]string{"ffmp", "--complete"}, "ffmpeg.txt"},
		{[]string{"ffmp"}, "ffmpeg.txt"},
		{[]string{"convert ffm", "--complete"}, "ffmpeg.txt"},
		{[]string{"count lines in fil"}, "wc.txt"},
		{[]string{"count lines in file", "--complete"}, "wc.txt"},
		{[]string{"ffmpegx", "--complete"}, "ffmpeg.txt"}, // a typo: corrected
		{[]string{"zzzz", "--complete"}, ""},
	}
	for _, tt := range tests {
		stdout, stderr, err := runCLI(t, append([]string{"query", out}, append(tt.args, "--json")...)...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", tt.args, err, stderr)
		}
		var resp struct {
			Hits []struct{ ID string } `json:"hits"`
		}
		if err := json.Unmarshal([]byte(stdout), &resp); err != nil {
			t.Fatal(err)
		}
		got := ""
		if len(resp.Hits) > 0 {
			got = resp.Hits[0].ID
		}
		if got != tt.first {
			t.Errorf("query %v: first hit %q, want %q\n%s", tt.args, got, tt.first, stdout)
		}
	}
}
