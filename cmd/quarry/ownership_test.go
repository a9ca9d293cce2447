package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

// smallCorpus writes a corpus of two text documents.
func smallCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range map[string]string{
		"a.txt":     "Alpha\n\nAlipay payments abroad.\n",
		"sub/b.txt": "Beta\n\nTencent and WeChat Pay.\n",
	} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func mustBuild(t *testing.T, args ...string) string {
	t.Helper()
	stdout, stderr, err := runCLI(t, append([]string{"build", "-no-entities"}, args...)...)
	if err != nil {
		t.Fatalf("build %q: %v\n%s", args, err, stderr)
	}
	return stdout
}

func writeAt(t *testing.T, p, content string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBuildOutputOwnership checks that `build -o OUT` replaces OUT only
// when everything in it is a file Quarry wrote, unchanged: a site that
// `--site` indexed (D1), a folder with a hand-made quarry/quarry.json
// (D1) or a bundle the user added files to (D4) is refused with a
// sentence naming what is there, and left exactly as it was.
func TestBuildOutputOwnership(t *testing.T) {
	corpus := smallCorpus(t)
	tests := []struct {
		name  string
		setup func(t *testing.T, out string)
		want  []string // in the error; none: the build succeeds
	}{
		{"missing folder", func(t *testing.T, out string) {}, nil},
		{"empty folder", func(t *testing.T, out string) { os.MkdirAll(out, 0o755) }, nil},
		{"previous bundle", func(t *testing.T, out string) { mustBuild(t, "-q", "-o", out, corpus) }, nil},
		{"a site indexed with --site", func(t *testing.T, out string) {
			copyTree(t, "testdata/site", out)
			writeAt(t, filepath.Join(out, "CNAME"), "example.org\n")
			mustBuild(t, "-q", "--site", out)
		}, []string{"holds 3 files Quarry did not write (CNAME, guide/index.html, index.html)"}},
		{"a hand-made quarry/quarry.json", func(t *testing.T, out string) {
			writeAt(t, filepath.Join(out, "quarry", "quarry.json"), "{}")
			writeAt(t, filepath.Join(out, "thesis.tex"), "precious")
		}, []string{"Quarry did not write", "thesis.tex"}},
		{"files added to a bundle", func(t *testing.T, out string) {
			mustBuild(t, "-q", "-o", out, corpus)
			writeAt(t, filepath.Join(out, "CNAME"), "example.org\n")
			writeAt(t, filepath.Join(out, "extra", "keep.txt"), "keep")
			writeAt(t, filepath.Join(out, "quarry", "mynote.txt"), "note")
		}, []string{"Quarry did not write", "CNAME", "extra/keep.txt", "quarry/mynote.txt"}},
		{"a bundle file edited", func(t *testing.T, out string) {
			mustBuild(t, "-q", "-o", out, corpus)
			writeAt(t, filepath.Join(out, "a.txt"), "edited by hand")
		}, []string{"changed since Quarry wrote", "a.txt"}},
		{"an empty folder added", func(t *testing.T, out string) {
			mustBuild(t, "-q", "-o", out, corpus)
			os.MkdirAll(filepath.Join(out, "drafts"), 0o755)
		}, []string{"Quarry did not write", "drafts/"}},
		{"a symbolic link added", func(t *testing.T, out string) {
			mustBuild(t, "-q", "-o", out, corpus)
			os.Symlink("/etc/hostname", filepath.Join(out, "link.txt"))
		}, []string{"Quarry did not write", "link.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "public")
			tt.setup(t, out)
			var before map[string]string
			if _, err := os.Stat(out); err == nil {
				before = tree(t, out)
			}
			_, stderr, err := runCLI(t, "build", "-q", "-no-entities", "-o", out, corpus)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("build: %v\n%s", err, stderr)
				}
				if _, _, err := runCLI(t, "query", out, "alipay"); err != nil {
					t.Errorf("query after the build: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("build succeeded; want a refusal mentioning %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if d := diffTrees(before, tree(t, out)); d != "" {
				t.Errorf("refused build changed the folder: %s", d)
			}
			if left := hidden(t, filepath.Dir(out)); len(left) > 0 {
				t.Errorf("refused build left %q beside the folder", left)
			}
		})
	}
}

// hidden lists the names starting with "." in dir.
func hidden(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestBuildIntoSiteOwnership checks that `--site DIR` replaces DIR/quarry/
// only when it holds nothing but Quarry's files (D4), and never touches
// the rest of DIR.
func TestBuildIntoSiteOwnership(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	copyTree(t, "testdata/site", dir)
	mustBuild(t, "-q", "--site", dir)
	writeAt(t, filepath.Join(dir, "quarry", "mynote.txt"), "note")
	before := tree(t, dir)
	_, _, err := runCLI(t, "build", "-q", "-no-entities", "--site", dir)
	if err == nil || !strings.Contains(err.Error(), "Quarry did not write") || !strings.Contains(err.Error(), "mynote.txt") {
		t.Fatalf("got error %v, want a refusal naming quarry/mynote.txt", err)
	}
	if d := diffTrees(before, tree(t, dir)); d != "" {
		t.Errorf("refused build changed the site: %s", d)
	}
	if left := hidden(t, dir); len(left) > 0 {
		t.Errorf("refused build left %q in the site", left)
	}
	// Without the note, the search files are replaced and nothing else.
	os.Remove(filepath.Join(dir, "quarry", "mynote.txt"))
	writeAt(t, filepath.Join(dir, "guide", "index.html"), `<html><title>Guide</title><main><p>Rewritten by the generator: kumquat.</p></main></html>`)
	pages := tree(t, dir)
	mustBuild(t, "-q", "--site", dir)
	after := tree(t, dir)
	for p, h := range pages {
		if !strings.HasPrefix(p, "quarry/") && after[p] != h {
			t.Errorf("--site changed %s", p)
		}
	}
	if out, _, err := runCLI(t, "query", dir, "kumquat"); err != nil || !strings.Contains(out, "1 results") {
		t.Errorf("query kumquat: %v\n%s", err, out)
	}
}

// TestBuildSingleFileOwnership checks that --single-file replaces only a
// file Quarry wrote and nobody changed since (D3), and that a folder
// given as the file is refused with a plain sentence before any work
// (D10).
func TestBuildSingleFileOwnership(t *testing.T) {
	if !engineBuilt() {
		t.Skip("the single file needs the engine: make build")
	}
	corpus := smallCorpus(t)
	tests := []struct {
		name  string
		setup func(t *testing.T, p string)
		want  string // in the error; "": the build succeeds
	}{
		{"new file", func(t *testing.T, p string) {}, ""},
		{"previous single file", func(t *testing.T, p string) { mustBuild(t, "-q", "--single-file", p, corpus) }, ""},
		{"an HTML file of the user's", func(t *testing.T, p string) {
			writeAt(t, p, "<!doctype html><title>My page</title><p>Precious.</p>")
		}, "Quarry did not write it"},
		{"a single file edited since", func(t *testing.T, p string) {
			mustBuild(t, "-q", "--single-file", p, corpus)
			b, _ := os.ReadFile(p)
			writeAt(t, p, strings.Replace(string(b), "</body>", "<p>my note</p></body>", 1))
		}, "Quarry did not write it"},
		{"a folder", func(t *testing.T, p string) { os.MkdirAll(filepath.Join(p, "x"), 0o755) }, "is a folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "demo.html")
			tt.setup(t, p)
			before := tree(t, filepath.Dir(p))
			_, stderr, err := runCLI(t, "build", "-q", "-no-entities", "--single-file", p, corpus)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("build: %v\n%s", err, stderr)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got error %v, want one containing %q", err, tt.want)
			}
			if d := diffTrees(before, tree(t, filepath.Dir(p))); d != "" {
				t.Errorf("refused build changed the folder: %s", d)
			}
			if left := hidden(t, filepath.Dir(p)); len(left) > 0 {
				t.Errorf("refused build left %q", left)
			}
		})
	}
}

// TestBuildOutputInsideCorpus checks that a build's own output inside the
// corpus is never indexed (D7): rebuilding gives the same documents.
func TestBuildOutputInsideCorpus(t *testing.T) {
	corpus := smallCorpus(t)
	args := [][]string{{"-o", filepath.Join(corpus, "out")}, {"-o", filepath.Join(corpus, "sub", "out")}}
	if engineBuilt() {
		args = append(args, []string{"--single-file", filepath.Join(corpus, "demo.html")})
	}
	for _, a := range args {
		t.Run(strings.Join(a, " "), func(t *testing.T) {
			for run := 1; run <= 3; run++ {
				out := mustBuild(t, append(a, corpus)...)
				if !strings.Contains(out, "indexed 2 documents, skipped 0; 0 warnings") {
					t.Fatalf("run %d: %q, want the two documents alone", run, out)
				}
			}
		})
	}
}

// TestBuildStrictSpecialFiles checks that a named pipe in the corpus is
// reported and fails a -strict build (D12).
func TestBuildStrictSpecialFiles(t *testing.T) {
	corpus := smallCorpus(t)
	if err := syscall.Mkfifo(filepath.Join(corpus, "pipe.txt"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	out := filepath.Join(t.TempDir(), "out")
	_, stderr, err := runCLI(t, "build", "-q", "-no-entities", "-strict", "-o", out, corpus)
	if err == nil || !strings.Contains(err.Error(), "1 files skipped") || !strings.Contains(stderr, "pipe.txt: not a regular file (named pipe)") {
		t.Errorf("got error %v, stderr %q; want a -strict failure naming pipe.txt", err, stderr)
	}
}

// TestKilledBuildCleansStaging kills builds (SIGKILL) while their
// staging folder exists, for -o and --site: the next build removes what
// they left (D13), and only that.
func TestKilledBuildCleansStaging(t *testing.T) {
	if testing.Short() {
		t.Skip("starts several builds")
	}
	corpus := smallCorpus(t)
	for _, mode := range []string{"-o", "--site"} {
		t.Run(mode, func(t *testing.T) {
			parent := t.TempDir()
			target := filepath.Join(parent, "public")
			args := []string{"build", "-q", "-no-entities", "-o", target, corpus}
			watch := parent // where the staging folder appears
			if mode == "--site" {
				copyTree(t, "testdata/site", target)
				args = []string{"build", "-q", "-no-entities", "--site", target}
				watch = target
			}
			mustBuild(t, args[1:]...)
			// A hidden folder of the user's, named like ours, is kept.
			name := "." + filepath.Base(target) + ".quarry-tmp-123"
			if mode == "--site" {
				name = ".quarry.quarry-tmp-123"
			}
			lookalike := filepath.Join(watch, name)
			writeAt(t, filepath.Join(lookalike, "mine.txt"), "mine")
			killed := 0
			for attempt := 0; attempt < 20 && killed < 2; attempt++ {
				cmd := exec.Command(os.Args[0], "-test.run=^TestHelperMain$")
				cmd.Env = append(os.Environ(), "QUARRY_HELPER_ARGS="+strings.Join(args, "\n"))
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				if killedWhile(cmd, func() bool { return len(hidden(t, watch)) > 1 }) {
					killed++
				}
			}
			if killed == 0 {
				t.Fatal("never saw a build's staging folder")
			}
			mustBuild(t, args[1:]...)
			if left := hidden(t, watch); !reflect.DeepEqual(left, []string{name}) {
				t.Errorf("after the next build %s holds %q, want only the look-alike", watch, left)
			}
			if b, err := os.ReadFile(filepath.Join(lookalike, "mine.txt")); err != nil || string(b) != "mine" {
				t.Errorf("the look-alike folder was touched: %v", err)
			}
		})
	}
}

// killedWhile polls cond while the started command runs, kills it (SIGKILL)
// as soon as cond holds and reports whether it did; it returns once the
// command has ended.
func killedWhile(cmd *exec.Cmd, cond func() bool) bool {
	done := make(chan struct{})
	go func() {
		cmd.Wait()
		close(done)
	}()
	for {
		if cond() {
			cmd.Process.Kill()
			<-done
			return true
		}
		select {
		case <-done:
			return false
		case <-time.After(time.Millisecond):
		}
	}
}
