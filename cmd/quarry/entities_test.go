package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEntitiesGold scores the seed corpus' entities against the hand
// annotations, with the corpus' override file and without it (the
// extractor alone), against the targets of the entities issue: precision
// and recall at least 0.95, coarse type accuracy at least 0.90.
func TestEntitiesGold(t *testing.T) {
	const gold = "../../internal/entity/testdata/gold.json"
	tests := []struct {
		name  string
		flags []string
		// wantPerfect: with overrides every annotation is matched exactly.
		wantPerfect bool
	}{
		{"with overrides", nil, true},
		{"without overrides", []string{"-entities", "none"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "site")
			args := append([]string{"build", "-q", "-o", out}, tt.flags...)
			if _, stderr, err := runCLI(t, append(args, "../../corpus")...); err != nil {
				t.Fatalf("build: %v\n%s", err, stderr)
			}
			stdout, stderr, err := runCLI(t, "entities", out, "--gold", gold, "--json")
			if err != nil {
				t.Fatalf("entities --gold: %v\n%s", err, stderr)
			}
			var got goldScores
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("decode %q: %v", stdout, err)
			}
			t.Logf("%s: precision %.3f recall %.3f type accuracy %.3f; spurious %v; missed %v; mistyped %v",
				tt.name, got.Precision, got.Recall, got.TypeAccuracy, got.Spurious, got.Missed, got.Mistyped)
			if got.Gold < 100 {
				t.Errorf("got %d gold pairs, want the whole annotation file (>= 100)", got.Gold)
			}
			if got.Precision < 0.95 || got.Recall < 0.95 || got.TypeAccuracy < 0.90 {
				t.Errorf("got precision %.3f recall %.3f type accuracy %.3f, want >= 0.95, 0.95, 0.90",
					got.Precision, got.Recall, got.TypeAccuracy)
			}
			if perfect := got.Matched == got.Gold && got.Matched == got.Predicted && got.TypeOK == got.Matched; perfect != tt.wantPerfect {
				t.Errorf("got perfect=%v (%d matched, %d predicted, %d gold, %d typed right), want %v",
					perfect, got.Matched, got.Predicted, got.Gold, got.TypeOK, tt.wantPerfect)
			}
		})
	}
}

func TestEntitiesGoldErrors(t *testing.T) {
	out := buildSeeds(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"a.txt": [{"name": "X", "type": `), 0o644)
	empty := filepath.Join(dir, "empty.json")
	os.WriteFile(empty, []byte(`{}`), 0o644)
	tests := []struct {
		name string
		gold string
		want string
	}{
		{"missing file", filepath.Join(dir, "nope.json"), "read gold annotations"},
		{"malformed JSON", bad, "bad.json"},
		{"no documents", empty, "no documents"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCLI(t, "entities", out, "--gold", tt.gold)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}
