package main

import (
	"os/exec"
	"strings"
	"testing"
)

// makeDryRun prints the commands `make args...` would run in the
// repository root, without running them.
func makeDryRun(t *testing.T, args ...string) []string {
	t.Helper()
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make not installed; skipping")
	}
	out, err := exec.Command("make", append([]string{"-n", "-C", "../.."}, args...)...).Output()
	if err != nil {
		t.Fatalf("make -n %v: %v", args, err)
	}
	return strings.Split(string(out), "\n")
}

// TestMakeDemo: `make demo` serves where ADDR says (127.0.0.1:8080 by
// default), and says what it builds before the long silent step, the
// first compilation of the command.
func TestMakeDemo(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"demo"}, "bin/quarry serve dist/demo --addr 127.0.0.1:8080"},
		{[]string{"demo", "ADDR=0.0.0.0:9999"}, "bin/quarry serve dist/demo --addr 0.0.0.0:9999"},
	}
	for _, tt := range tests {
		lines := makeDryRun(t, tt.args...)
		found := false
		for _, l := range lines {
			found = found || strings.TrimSpace(l) == tt.want
		}
		if !found {
			t.Errorf("make -n %v: got no line %q in\n%s", tt.args, tt.want, strings.Join(lines, "\n"))
		}
	}
	lines := makeDryRun(t, "cli")
	for i, l := range lines {
		if strings.Contains(l, "build -trimpath -o bin/quarry ./cmd/quarry") && !strings.HasPrefix(l, "echo") {
			if i == 0 || !strings.HasPrefix(lines[i-1], "echo") || !strings.Contains(lines[i-1], "about a minute") {
				t.Errorf("make cli: the build of bin/quarry is not announced; got %q before it", lines[max(i-1, 0)])
			}
			return
		}
	}
	t.Errorf("make -n cli: no build of bin/quarry in\n%s", strings.Join(lines, "\n"))
}
