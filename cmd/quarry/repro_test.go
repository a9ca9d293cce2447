package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

// mixedCorpus writes a corpus of every input kind in the given file order
// (creation order changes directory order on some file systems).
func mixedCorpus(t *testing.T, dir string, reverse bool) {
	t.Helper()
	files := map[string]string{
		"a.txt":         "Alipay abroad\n\nAlibaba wants merchants abroad to support Alipay payments in Europe.\n",
		"guide/b.html":  `<html lang="en"><title>Guide</title><main><h1>Guide</h1><h2 id="install">Installing</h2><p>Tencent runs WeChat Pay in Shenzhen.</p><h2 id="use">Using</h2><p>Jack Ma founded Alibaba in Hangzhou.</p></main></html>`,
		"notes/c.md":    "---\ntitle: Notes\ntags: [payments, china]\n---\n# Notes\n\nAnt Group and Tencent compete with Alipay and WeChat Pay.\n",
		"records.jsonl": `{"id":"r1","title":"Record one","body":"Pony Ma leads Tencent.","url":"/r1"}` + "\n" + `{"id":"r2","title":"Record two","body":"Alibaba listed in New York.","url":"/r2","tags":["markets"]}` + "\n",
		"z.txt":         "Zed\n\nLazada and Shopee sell across Southeast Asia; Alibaba owns Lazada.\n",
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	if reverse {
		sort.Sort(sort.Reverse(sort.StringSlice(names)))
	}
	for _, n := range names {
		p := filepath.Join(dir, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(files[n]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// copyReversed copies the regular files of src to dst, creating them in
// reverse order.
func copyReversed(t *testing.T, src, dst string) {
	t.Helper()
	var names []string
	filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			names = append(names, p)
		}
		return err
	})
	sort.Sort(sort.Reverse(sort.StringSlice(names)))
	for _, p := range names {
		rel, _ := filepath.Rel(src, p)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		q := filepath.Join(dst, rel)
		os.MkdirAll(filepath.Dir(q), 0o755)
		if err := os.WriteFile(q, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// tree maps every file under dir (slash paths) to its SHA-256.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		sum := sha256.Sum256(b)
		out[filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// diffTrees describes how two trees differ ("" when identical).
func diffTrees(a, b map[string]string) string {
	var d []string
	for p, h := range a {
		if g, ok := b[p]; !ok {
			d = append(d, "only in first: "+p)
		} else if g != h {
			d = append(d, "differs: "+p)
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			d = append(d, "only in second: "+p)
		}
	}
	sort.Strings(d)
	return strings.Join(d, "; ")
}

// TestBuildReproducible builds the same corpus twice — from copies in
// different folders created in opposite file order, once with GOMAXPROCS
// 1 — and requires every byte of the bundle (index, engine, pages,
// compressed siblings, text copies) and of the single file to be equal.
func TestBuildReproducible(t *testing.T) {
	for _, tc := range []struct {
		name   string
		corpus func(t *testing.T, dir string)
	}{
		{"seeds", func(t *testing.T, dir string) { copyReversed(t, "../../corpus", dir) }},
		{"every input kind", func(t *testing.T, dir string) { mixedCorpus(t, dir, false) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c1, c2 := t.TempDir(), t.TempDir()
			tc.corpus(t, c1)
			copyReversed(t, c1, c2)
			build := func(corpus string, procs int) (map[string]string, []byte) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				dir := t.TempDir()
				out, single := filepath.Join(dir, "site"), filepath.Join(dir, "demo.html")
				args := []string{"build", "-q", "-o", out, corpus}
				if engineBuilt() {
					args = append(args, "--single-file", single)
				}
				if _, stderr, err := runCLI(t, args...); err != nil {
					t.Fatalf("build: %v\n%s", err, stderr)
				}
				page, _ := os.ReadFile(single)
				return tree(t, out), page
			}
			t1, p1 := build(c1, runtime.GOMAXPROCS(0))
			t2, p2 := build(c2, 1)
			if len(t1) < 3 {
				t.Fatalf("bundle has %d files", len(t1))
			}
			if d := diffTrees(t1, t2); d != "" {
				t.Errorf("two builds of the same corpus differ: %s", d)
			}
			if !bytes.Equal(p1, p2) {
				t.Errorf("two single files of the same corpus differ (%d vs %d bytes)", len(p1), len(p2))
			}
		})
	}
}

// TestFailedBuildKeepsBundle checks that a failed or interrupted build
// leaves the previous bundle and single file exactly as they were.
func TestFailedBuildKeepsBundle(t *testing.T) {
	dir := t.TempDir()
	out, single := filepath.Join(dir, "site"), filepath.Join(dir, "demo.html")
	withSingle := func(args ...string) []string {
		if engineBuilt() {
			return append([]string{args[0], "--single-file", single}, args[1:]...)
		}
		return args
	}
	if _, stderr, err := runCLI(t, withSingle("build", "-q", "-o", out, "../../corpus")...); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	before := tree(t, dir)
	hostile := t.TempDir()
	os.WriteFile(filepath.Join(hostile, "r.jsonl"), []byte(`{"id":"x","title":"t","body":"kumquat","url":"javascript:alert(1)"}`+"\n"), 0o644)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		args []string
		want string
	}{
		{"empty corpus", context.Background(), withSingle("build", "-q", "-o", out, t.TempDir()), "no documents"},
		{"strict build with a warning", context.Background(), withSingle("build", "-q", "-strict", "-o", out, hostile), "javascript"},
		{"interrupted", cancelled, withSingle("build", "-q", "-o", out, "../../corpus"), "canceled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var o, e bytes.Buffer
			err := run(tc.ctx, tc.args, &o, &e)
			if err == nil || !strings.Contains(err.Error()+e.String(), tc.want) {
				t.Fatalf("got error %v (stderr %q), want one mentioning %q", err, e.String(), tc.want)
			}
			if d := diffTrees(before, tree(t, dir)); d != "" {
				t.Errorf("failed build changed the output: %s", d)
			}
		})
	}
}

// TestKilledBuildKeepsBundle kills a rebuild (SIGKILL, no chance to clean
// up) at several moments: the bundle is always complete and unchanged, and
// the next build succeeds.
func TestKilledBuildKeepsBundle(t *testing.T) {
	if testing.Short() {
		t.Skip("starts several builds")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "site")
	if _, stderr, err := runCLI(t, "build", "-q", "-o", out, "../../corpus"); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	before := tree(t, out)
	helper := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperMain$")
		cmd.Env = append(os.Environ(), "QUARRY_HELPER_ARGS=build\n-q\n-o\n"+out+"\n../../corpus")
		return cmd
	}
	// A whole rebuild in a helper process sets the time scale.
	start := time.Now()
	if b, err := helper().CombinedOutput(); err != nil {
		t.Fatalf("helper build: %v\n%s", err, b)
	}
	whole := time.Since(start)
	for _, pct := range []int{20, 40, 60, 80, 95} {
		after := whole * time.Duration(pct) / 100
		t.Run(fmt.Sprintf("killed at %d%%", pct), func(t *testing.T) {
			cmd := helper()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(after)
			cmd.Process.Kill()
			cmd.Wait()
			// Killed before, during or after the swap: the bundle is the
			// old one or the new one, and both are byte-identical.
			if d := diffTrees(before, tree(t, out)); d != "" {
				t.Errorf("killed build left the bundle changed: %s", d)
			}
		})
	}
	if _, stderr, err := runCLI(t, "build", "-q", "-o", out, "../../corpus"); err != nil {
		t.Fatalf("build after killed builds: %v\n%s", err, stderr)
	}
	if d := diffTrees(before, tree(t, out)); d != "" {
		t.Errorf("build after killed builds differs: %s", d)
	}
}

// TestHelperMain runs the CLI with the arguments in QUARRY_HELPER_ARGS
// (one per line) when started by TestKilledBuildKeepsBundle.
func TestHelperMain(t *testing.T) {
	args := os.Getenv("QUARRY_HELPER_ARGS")
	if args == "" {
		t.Skip("helper process for TestKilledBuildKeepsBundle")
	}
	if err := run(context.Background(), strings.Split(args, "\n"), os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}
