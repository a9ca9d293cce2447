package site

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestAudit checks what a rebuild would refuse in a bundle: files not in
// the ownership list, files changed since, links, folders of the user's.
func TestAudit(t *testing.T) {
	fakeEngine(t)
	opts := testOptions(t)
	tests := []struct {
		name                     string
		change                   func(out string)
		wantForeign, wantChanged []string
		wantListed               bool
	}{
		{"as written", func(string) {}, nil, nil, true},
		{"files added", func(out string) {
			os.WriteFile(filepath.Join(out, "CNAME"), []byte("x"), 0o644)
			os.WriteFile(filepath.Join(out, AssetDir, "mynote.txt"), []byte("x"), 0o644)
			os.MkdirAll(filepath.Join(out, "extra", "deep"), 0o755)
			os.WriteFile(filepath.Join(out, "extra", "deep", "keep.txt"), []byte("x"), 0o644)
		}, []string{"CNAME", "extra/deep/keep.txt", "quarry/mynote.txt"}, nil, true},
		{"empty folders added", func(out string) {
			os.MkdirAll(filepath.Join(out, "drafts"), 0o755)
			os.MkdirAll(filepath.Join(out, "sub", "empty"), 0o755)
		}, []string{"drafts/", "sub/empty/"}, nil, true},
		{"a copy edited, a sibling removed", func(out string) {
			os.WriteFile(filepath.Join(out, "a.txt"), []byte("edited"), 0o644)
			os.Remove(filepath.Join(out, "index.html.gz"))
		}, nil, []string{"a.txt"}, true},
		{"a file replaced by a link", func(out string) {
			os.Remove(filepath.Join(out, "a.txt"))
			os.Symlink("/etc/hostname", filepath.Join(out, "a.txt"))
		}, []string{"a.txt"}, nil, true},
		{"the list emptied by hand", func(out string) {
			os.WriteFile(filepath.Join(out, bundleOwnPath), []byte(`{"files":{}}`), 0o644)
		}, nil, nil, true},
		{"the list removed", func(out string) { os.Remove(filepath.Join(out, bundleOwnPath)) }, nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "site")
			if _, err := WriteBundle(out, testIndex, opts); err != nil {
				t.Fatal(err)
			}
			tt.change(out)
			foreign, changed, listed, err := audit(out, bundleOwnPath)
			if err != nil {
				t.Fatal(err)
			}
			if tt.name == "the list emptied by hand" || tt.name == "the list removed" {
				// Every file is then foreign.
				if len(foreign) < 10 || len(changed) != 0 || listed != tt.wantListed {
					t.Errorf("foreign %q changed %q listed %v; want every file foreign, listed %v", foreign, changed, listed, tt.wantListed)
				}
				return
			}
			if !reflect.DeepEqual(foreign, tt.wantForeign) || !reflect.DeepEqual(changed, tt.wantChanged) || listed != tt.wantListed {
				t.Errorf("foreign %q changed %q listed %v; want %q %q %v", foreign, changed, listed, tt.wantForeign, tt.wantChanged, tt.wantListed)
			}
			err = checkOwned(out, bundleOwnPath)
			if (err == nil) != (len(tt.wantForeign)+len(tt.wantChanged) == 0) || (err != nil && !errors.Is(err, errNotOurs)) {
				t.Errorf("checkOwned = %v", err)
			}
		})
	}
}

func TestNotOursMessage(t *testing.T) {
	many := []string{"f", "e", "d", "c", "b", "a", "g"}
	tests := []struct {
		foreign, changed []string
		listed           bool
		want             string
	}{
		{nil, nil, true, ""},
		{[]string{"CNAME"}, nil, true, "out holds 1 file Quarry did not write (CNAME); Quarry replaces only its own output"},
		{many, []string{"index.html"}, true, "out holds 7 files Quarry did not write (a, b, c, d, e and 2 more) and 1 file changed since Quarry wrote them (index.html); "},
		{[]string{"x"}, nil, false, "out holds 1 file Quarry did not write (x) and no quarry/files.json listing Quarry's files; "},
	}
	for _, tt := range tests {
		err := notOurs("out", bundleOwnPath, tt.foreign, tt.changed, tt.listed)
		if (err == nil) != (tt.want == "") || (err != nil && !strings.HasPrefix(err.Error(), tt.want)) {
			t.Errorf("notOurs(%q, %q, %v) = %v, want %q…", tt.foreign, tt.changed, tt.listed, err, tt.want)
		}
	}
}

// TestCleanStale checks which staging folders a build removes: those of
// killed builds for the same target (putting a parked output back when
// the target is missing), never a running build's or a look-alike.
func TestCleanStale(t *testing.T) {
	fakeEngine(t)
	opts := testOptions(t)
	parent := t.TempDir()
	target := filepath.Join(parent, "site")
	if _, err := WriteBundle(target, testIndex, opts); err != nil {
		t.Fatal(err)
	}
	bundle := snapshot(t, target)
	// stale makes the staging folder a killed build leaves.
	stale := func(t *testing.T) string {
		st, err := newStaging(target)
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(st.dir, "new", "quarry"), 0o755)
		st.lock.Close() // the process died: its lock is gone
		return st.dir
	}
	t.Run("killed build", func(t *testing.T) {
		dir := stale(t)
		cleanStale(target, bundleOwnPath)
		if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("stale staging folder kept: %v", err)
		}
	})
	t.Run("killed between the renames", func(t *testing.T) {
		dir := stale(t)
		if err := os.Rename(target, filepath.Join(dir, "old")); err != nil {
			t.Fatal(err)
		}
		cleanStale(target, bundleOwnPath)
		if got := snapshot(t, target); !reflect.DeepEqual(got, bundle) {
			t.Error("the parked bundle was not put back")
		}
		if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("stale staging folder kept: %v", err)
		}
	})
	t.Run("parked output with a file of the user's", func(t *testing.T) {
		dir := stale(t)
		os.MkdirAll(filepath.Join(dir, "old"), 0o755)
		os.WriteFile(filepath.Join(dir, "old", "mine.txt"), []byte("mine"), 0o644)
		cleanStale(target, bundleOwnPath)
		if b, err := os.ReadFile(filepath.Join(dir, "old", "mine.txt")); err != nil || string(b) != "mine" {
			t.Errorf("a file of the user's was removed: %v", err)
		}
		os.RemoveAll(dir)
	})
	t.Run("running build", func(t *testing.T) {
		st, err := newStaging(target)
		if err != nil {
			t.Fatal(err)
		}
		defer st.remove()
		cleanStale(target, bundleOwnPath)
		if _, err := os.Stat(filepath.Join(st.dir, stagingMark)); err != nil {
			t.Errorf("a running build's staging folder was touched: %v", err)
		}
	})
	t.Run("killed while making the folder", func(t *testing.T) {
		empty := filepath.Join(parent, ".site.quarry-new-1")
		os.MkdirAll(empty, 0o755)
		unlocked := filepath.Join(parent, ".site.quarry-new-2")
		os.MkdirAll(unlocked, 0o755)
		os.WriteFile(filepath.Join(unlocked, stagingMark), []byte("Quarry bu"), 0o644)
		locked := filepath.Join(parent, ".site.quarry-new-3")
		os.MkdirAll(locked, 0o755)
		f, err := os.Create(filepath.Join(locked, stagingMark))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := lockFile(f); err != nil {
			t.Fatal(err)
		}
		more := filepath.Join(parent, ".site.quarry-new-4")
		os.MkdirAll(more, 0o755)
		os.WriteFile(filepath.Join(more, "mine.txt"), []byte("mine"), 0o644)
		cleanStale(target, bundleOwnPath)
		for d, want := range map[string]bool{empty: false, unlocked: false, locked: true, more: true} {
			if _, err := os.Stat(d); (err == nil) != want {
				t.Errorf("%s kept = %v, want %v", filepath.Base(d), err == nil, want)
			}
		}
		os.RemoveAll(locked)
		os.RemoveAll(more)
	})
	t.Run("look-alikes", func(t *testing.T) {
		noMark := filepath.Join(parent, ".site.quarry-tmp-1")
		os.MkdirAll(noMark, 0o755)
		otherMark := filepath.Join(parent, ".site.quarry-tmp-2")
		os.MkdirAll(otherMark, 0o755)
		os.WriteFile(filepath.Join(otherMark, stagingMark), []byte("something else"), 0o644)
		otherTarget, err := newStaging(filepath.Join(parent, "other"))
		if err != nil {
			t.Fatal(err)
		}
		otherTarget.lock.Close()
		cleanStale(target, bundleOwnPath)
		for _, d := range []string{noMark, otherMark, otherTarget.dir} {
			if _, err := os.Stat(d); err != nil {
				t.Errorf("%s removed: %v", d, err)
			}
		}
	})
}

func TestIsOutput(t *testing.T) {
	fakeEngine(t)
	opts := testOptions(t)
	dir := t.TempDir()
	bundle := filepath.Join(dir, "bundle")
	if _, err := WriteBundle(bundle, testIndex, opts); err != nil {
		t.Fatal(err)
	}
	siteDir := filepath.Join(dir, "public")
	os.MkdirAll(siteDir, 0o755)
	os.WriteFile(filepath.Join(siteDir, "page.html"), []byte("<title>Page</title>"), 0o644)
	if _, err := WriteIntoSite(siteDir, testIndex, opts); err != nil {
		t.Fatal(err)
	}
	single := filepath.Join(dir, "demo.html")
	if err := WriteSingleFile(single, testIndex, opts); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		dir  bool
		want bool
	}{
		{bundle, true, true},
		{filepath.Join(bundle, AssetDir), true, true},
		{siteDir, true, false}, // the site's pages are content
		{filepath.Join(siteDir, AssetDir), true, true},
		{single, false, true},
		{filepath.Join(siteDir, "page.html"), false, false},
		{filepath.Join(bundle, "a.txt"), false, false}, // inside a skipped folder anyway
		{dir, true, false},
	}
	for _, tt := range tests {
		if got := IsOutput(tt.path, tt.dir); got != tt.want {
			t.Errorf("IsOutput(%s, %v) = %v, want %v", tt.path, tt.dir, got, tt.want)
		}
	}
}

func TestWriteIntoSite(t *testing.T) {
	fakeEngine(t)
	opts := testOptions(t)
	dir := filepath.Join(t.TempDir(), "public")
	os.MkdirAll(filepath.Join(dir, "guide"), 0o755)
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<title>Home</title>"), 0o644)
	os.WriteFile(filepath.Join(dir, "guide", "index.html"), []byte("<title>Guide</title>"), 0o644)
	pages := snapshot(t, dir)
	for run := 1; run <= 2; run++ {
		if _, err := WriteIntoSite(dir, makeIndex(4, 10, strings.Repeat("x", run)), opts); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
	}
	got := snapshot(t, dir)
	for p, c := range pages {
		if got[p] != c {
			t.Errorf("%s changed", p)
		}
	}
	var extra []string
	for p := range got {
		if _, ok := pages[p]; !ok && !strings.HasPrefix(p, AssetDir) {
			extra = append(extra, p)
		}
	}
	if len(extra) > 0 {
		t.Errorf("written outside quarry/: %q", extra)
	}
	m := readManifest(t, dir)
	if m.Docs != len(opts.Docs) || fileExists(filepath.Join(dir, AssetDir, pageFile)) {
		t.Errorf("manifest docs %d (want %d), or a demo page in quarry/", m.Docs, len(opts.Docs))
	}
	l := readOwnList(filepath.Join(dir, AssetDir, siteOwnPath))
	if l == nil || l.Files[ManifestFile] == "" || l.Files["quarry.js"] == "" {
		t.Fatalf("ownership list %+v, want paths relative to quarry/", l)
	}
	os.WriteFile(filepath.Join(dir, AssetDir, "mynote.txt"), []byte("note"), 0o644)
	if _, err := WriteIntoSite(dir, testIndex, opts); !errors.Is(err, errNotOurs) || !strings.Contains(err.Error(), "mynote.txt") {
		t.Errorf("error %v, want a refusal naming mynote.txt", err)
	}
}

// TestSingleFileMark checks the single file's proof of authorship: a
// page Quarry wrote is replaced, anything else refused.
func TestSingleFileMark(t *testing.T) {
	fakeEngine(t)
	opts := testOptions(t)
	page, err := SingleFile(testIndex, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !isSingleFile(page) {
		t.Fatal("a fresh single file does not carry a valid mark")
	}
	edited := strings.Replace(string(page), "</body>", "<p>note</p></body>", 1)
	tests := []struct {
		name  string
		setup func(p string)
		want  string // in the error; "": written
	}{
		{"nothing there", func(string) {}, ""},
		{"a single file", func(p string) { os.WriteFile(p, page, 0o644) }, ""},
		{"an HTML file of the user's", func(p string) { os.WriteFile(p, []byte("<!doctype html><p>mine"), 0o644) }, "Quarry did not write it"},
		{"a single file edited", func(p string) { os.WriteFile(p, []byte(edited), 0o644) }, "Quarry did not write it"},
		{"a single file cut short", func(p string) { os.WriteFile(p, page[:len(page)/2], 0o644) }, "Quarry did not write it"},
		{"the mark copied into another page", func(p string) {
			i := strings.Index(string(page), singleMarkPrefix)
			os.WriteFile(p, append([]byte("<p>mine</p>"), page[i:i+200]...), 0o644)
		}, "Quarry did not write it"},
		{"a folder", func(p string) { os.MkdirAll(p, 0o755) }, "is a folder"},
		{"a link to a single file", func(p string) {
			os.WriteFile(p+".real", page, 0o644)
			os.Symlink(p+".real", p)
		}, "is a symbolic link"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "demo.html")
			tt.setup(p)
			before := snapshot(t, filepath.Dir(p))
			err := WriteSingleFile(p, testIndex, opts)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if b, _ := os.ReadFile(p); !isSingleFile(b) {
					t.Error("written file has no valid mark")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
			if after := snapshot(t, filepath.Dir(p)); !reflect.DeepEqual(before, after) {
				t.Error("refused write changed the folder")
			}
		})
	}
}

// TestSwapInAudit: a file added to the output while a build runs (after
// the check before it) is caught when the new output is swapped in: the
// swap is undone, the output left as it was with the file, and the
// build refused; without it the new output replaces the old one.
func TestSwapInAudit(t *testing.T) {
	tests := []struct {
		name    string
		meddle  func(t *testing.T, target string)
		wantErr string
	}{
		{"nothing added", func(*testing.T, string) {}, ""},
		{"a file added meanwhile", func(t *testing.T, target string) {
			os.WriteFile(filepath.Join(target, "mine.txt"), []byte("mine"), 0o644)
		}, "mine.txt"},
		{"a Quarry file changed meanwhile", func(t *testing.T, target string) {
			os.WriteFile(filepath.Join(target, "a.txt"), []byte("edited"), 0o644)
		}, "a.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := filepath.Join(t.TempDir(), "out")
			write := func(content string, during func()) error {
				_, err := writeOwned(target, "", "quarry test", func(root string) (*Written, error) {
					if during != nil {
						during()
					}
					w := &Written{}
					if err := writeFile(filepath.Join(root, "a.txt"), []byte(content)); err != nil {
						return nil, err
					}
					w.hashes = map[string]string{"a.txt": hashHex([]byte(content))}
					return w, nil
				})
				return err
			}
			if err := write("first", nil); err != nil {
				t.Fatal(err)
			}
			err := write("second", func() { tt.meddle(t, target) })
			got, _ := os.ReadFile(filepath.Join(target, "a.txt"))
			if tt.wantErr == "" {
				if err != nil || string(got) != "second" {
					t.Fatalf("error %v, a.txt %q; want the new output", err, got)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want one naming %s", err, tt.wantErr)
			}
			if string(got) == "second" {
				t.Error("the new output stayed in place")
			}
			if _, err := os.Stat(filepath.Join(target, bundleOwnPath)); err != nil {
				t.Errorf("the old output's ownership list is gone: %v", err)
			}
			entries, _ := os.ReadDir(filepath.Dir(target))
			if len(entries) != 1 {
				t.Errorf("left beside the output: %v", entries)
			}
		})
	}
}
