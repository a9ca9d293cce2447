package site

// Ownership: Quarry removes or replaces only files it can prove it wrote.
//
// Every folder a build replaces carries an ownership list, written last:
// AssetDir/files.json, the SHA-256 of every file Quarry wrote there,
// by slash path relative to the folder replaced. For `-o OUT` that folder
// is OUT (the list is OUT/quarry/files.json and names index.html,
// quarry/quarry.js, the text copies...); for `--site DIR` it is DIR/quarry
// (the list is DIR/quarry/files.json and names quarry.js...). A rebuild
// replaces the folder only when every file in it is listed with its
// content unchanged, and refuses otherwise with a sentence naming what is
// there; the folder is audited again after it has been moved into the
// staging folder, where nothing else writes, before anything is removed.
//
// A build writes into a staging folder beside its target, named
// .<target>.quarry-tmp-<random>, holding a marker file that the build
// keeps locked (flock) while it runs (see newStaging for how the folder
// gets its marker before its name). A build killed before it could
// clean up leaves it behind: the next build for the same target removes
// it (putting a previous output parked in it back in place first) when
// the marker is there and no longer locked. A look-alike folder without
// the marker is never touched.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// ownFile is the ownership list's name inside AssetDir.
const ownFile = "files.json"

// Where the ownership list sits relative to the folder a build replaces.
const (
	bundleOwnPath = AssetDir + "/" + ownFile // -o OUT: OUT/quarry/files.json
	siteOwnPath   = ownFile                  // --site DIR: DIR/quarry/files.json
)

// ownList is the ownership list.
type ownList struct {
	// Generator names the Quarry that wrote the files.
	Generator string `json:"generator"`
	// Files maps slash paths, relative to the folder replaced, to the
	// SHA-256 (hex) of the content Quarry wrote there.
	Files map[string]string `json:"files"`
}

func hashHex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// readOwnList returns the ownership list at p, or nil when there is none
// (missing, unreadable or not a list).
func readOwnList(p string) *ownList {
	st, err := os.Lstat(p)
	if err != nil || !st.Mode().IsRegular() {
		return nil
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil
	}
	var l ownList
	if json.Unmarshal(b, &l) != nil || l.Files == nil {
		return nil
	}
	return &l
}

// audit walks dir and returns, as slash paths relative to it, what
// Quarry cannot prove it wrote: foreign entries (not in the ownership
// list at ownPath, not regular files, or folders holding none of the
// listed files) and changed files (listed, content different). listed is
// false when dir has no ownership list.
func audit(dir, ownPath string) (foreign, changed []string, listed bool, err error) {
	l := readOwnList(filepath.Join(dir, filepath.FromSlash(ownPath)))
	listed = l != nil
	if l == nil {
		l = &ownList{}
	}
	if ownPath == bundleOwnPath && l.Files[ManifestFile] != "" {
		// The list of a site's quarry/ folder (--site): it proves the
		// files under quarry/, not the site's pages around them.
		files := make(map[string]string, len(l.Files))
		for p, h := range l.Files {
			files[AssetDir+"/"+p] = h
		}
		l = &ownList{Generator: l.Generator, Files: files}
	}
	// The folders the list accounts for: the ancestors of its files.
	folders := map[string]bool{}
	for p := range l.Files {
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			folders[d] = true
		}
	}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			if !folders[rel] {
				// A folder of the user's: named alone when empty, else
				// through what it holds.
				if entries, err := os.ReadDir(p); err == nil && len(entries) == 0 {
					foreign = append(foreign, rel+"/")
				}
			}
		case rel == ownPath && listed:
		case !d.Type().IsRegular() || l.Files[rel] == "":
			foreign = append(foreign, rel)
		default:
			sum, err := hashFile(p)
			if err != nil {
				return err
			}
			if sum != l.Files[rel] {
				changed = append(changed, rel)
			}
		}
		return nil
	})
	return foreign, changed, listed, err
}

func hashFile(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// checkOwned returns nil when target is missing, an empty folder, or a
// folder of files Quarry wrote and nobody changed (see audit); otherwise
// an error saying what is there.
func checkOwned(target, ownPath string) error {
	st, err := os.Lstat(target)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is not a folder (Quarry replaces only a folder it wrote)", target)
	}
	foreign, changed, listed, err := audit(target, ownPath)
	if err != nil {
		return fmt.Errorf("check %s: %w", target, err)
	}
	return notOurs(target, ownPath, foreign, changed, listed)
}

// errNotOurs is wrapped by the errors of builds refused because the
// output folder holds files Quarry did not write.
var errNotOurs = errors.New("Quarry replaces only its own output: choose a new or empty folder, or move those files away")

// notOurs is the refusal for what audit found (nil when nothing).
func notOurs(target, ownPath string, foreign, changed []string, listed bool) error {
	if len(foreign) == 0 && len(changed) == 0 {
		return nil
	}
	var parts []string
	if len(foreign) > 0 {
		parts = append(parts, plural(len(foreign), "file", "files")+" Quarry did not write ("+names(foreign)+")")
	}
	if len(changed) > 0 {
		parts = append(parts, plural(len(changed), "file", "files")+" changed since Quarry wrote them ("+names(changed)+")")
	}
	if !listed {
		parts = append(parts, "no "+ownPath+" listing Quarry's files")
	}
	return fmt.Errorf("%s holds %s; %w", target, strings.Join(parts, " and "), errNotOurs)
}

// names lists up to five names, then how many more.
func names(list []string) string {
	sort.Strings(list)
	const shown = 5
	if len(list) <= shown {
		return strings.Join(list, ", ")
	}
	return strings.Join(list[:shown], ", ") + fmt.Sprintf(" and %d more", len(list)-shown)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// IsOutput reports whether p, met while reading a corpus, is the output
// of a Quarry build: a folder whose ownership list accounts for a
// manifest (a bundle written with -o or its quarry/ folder, or a site's
// quarry/ folder, but not the site around it), or an HTML file carrying
// the single-file mark. Such output is never indexed.
func IsOutput(p string, dir bool) bool {
	if dir {
		for _, c := range []struct{ list, manifest string }{
			{bundleOwnPath, AssetDir + "/" + ManifestFile}, // p is a bundle
			{siteOwnPath, ManifestFile},                    // p is a site's quarry/
			{siteOwnPath, AssetDir + "/" + ManifestFile},   // p is a bundle's quarry/
		} {
			l := readOwnList(filepath.Join(p, filepath.FromSlash(c.list)))
			if l != nil && l.Files[c.manifest] != "" {
				return true
			}
		}
		return false
	}
	if e := ext(p); e != ".html" && e != ".htm" {
		return false
	}
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, singleMarkWithin)
	n, _ := io.ReadFull(f, head)
	return bytes.Contains(head[:n], []byte(singleMarkPrefix))
}

// staging is the folder beside a target where a build writes its new
// output ("new") and parks the previous one ("old") during the swap.
type staging struct {
	dir  string
	lock *os.File // the marker, locked while the build runs
}

// stagingMark is the marker file inside a staging folder.
const stagingMark = ".quarry-staging"

// A staging folder is made as .<target>.quarry-new-<random>, and renamed
// .<target>.quarry-tmp-<random> once its marker is written and locked: a
// -tmp- folder always has a whole marker; a build killed before that
// leaves at most a -new- folder with an empty or partial marker.
func stagingPrefix(target string) string { return "." + filepath.Base(target) + ".quarry-tmp-" }
func newbornPrefix(target string) string { return "." + filepath.Base(target) + ".quarry-new-" }

// markText is the marker's content: what the folder is for.
func markText(target string) string {
	return "Quarry build in progress for " + filepath.Base(target) + "; removed by the next build once this one has ended.\n"
}

// newStaging creates a locked staging folder beside target.
func newStaging(target string) (*staging, error) {
	newborn, err := os.MkdirTemp(filepath.Dir(target), newbornPrefix(target))
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(filepath.Dir(target), stagingPrefix(target)+strings.TrimPrefix(filepath.Base(newborn), newbornPrefix(target)))
	f, err := os.OpenFile(filepath.Join(newborn, stagingMark), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err == nil {
		if err = lockFile(f); err == nil {
			if _, err = f.WriteString(markText(target)); err == nil {
				err = os.Rename(newborn, dir)
			}
		}
		if err != nil {
			f.Close()
		}
	}
	if err != nil {
		os.RemoveAll(newborn)
		return nil, err
	}
	return &staging{dir: dir, lock: f}, nil
}

// remove deletes the staging folder and releases its lock.
func (s *staging) remove() error {
	err := os.RemoveAll(s.dir)
	s.lock.Close()
	return err
}

// cleanStale removes the staging folders of builds for target that were
// killed: those with the marker, no longer locked. A previous output
// parked in one goes back to target when target is missing (the build
// died between the two renames of the swap); when target is there, the
// parked output is removed only if it is all Quarry's.
func cleanStale(target, ownPath string) {
	parent := filepath.Dir(target)
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), newbornPrefix(target)) {
			cleanNewborn(filepath.Join(parent, e.Name()))
			continue
		}
		if !e.IsDir() || !strings.HasPrefix(e.Name(), stagingPrefix(target)) {
			continue
		}
		dir := filepath.Join(parent, e.Name())
		mark := filepath.Join(dir, stagingMark)
		if st, err := os.Lstat(mark); err != nil || !st.Mode().IsRegular() {
			continue
		}
		f, err := os.OpenFile(mark, os.O_RDWR, 0)
		if err != nil {
			continue
		}
		func() {
			defer f.Close()
			b, err := io.ReadAll(io.LimitReader(f, 1024))
			if err != nil || string(b) != markText(target) || !tryLockFile(f) {
				return // not ours, or its build is still running
			}
			old := filepath.Join(dir, "old")
			if _, err := os.Lstat(old); err == nil {
				if _, err := os.Lstat(target); errors.Is(err, fs.ErrNotExist) {
					if os.Rename(old, target) != nil {
						return
					}
				} else if foreign, changed, _, err := audit(old, ownPath); err != nil || len(foreign)+len(changed) > 0 {
					return
				}
			}
			os.RemoveAll(dir)
		}()
	}
}

// cleanNewborn removes a -new- staging folder left by a build killed as it
// made it: one holding nothing, or only an unlocked marker.
func cleanNewborn(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) > 1 {
		return
	}
	if len(entries) == 0 {
		os.Remove(dir) // fails, harmlessly, if something appeared since
		return
	}
	if entries[0].Name() != stagingMark || !entries[0].Type().IsRegular() {
		return
	}
	f, err := os.OpenFile(filepath.Join(dir, stagingMark), os.O_RDWR, 0)
	if err != nil {
		return
	}
	defer f.Close()
	if tryLockFile(f) {
		os.RemoveAll(dir)
	}
}

// swapIn moves content (inside st) to target. A target already there is
// first moved into st, the new content moved in right after (so that
// target is missing only between two renames, not while the old one is
// read), and the old one audited in st, where nothing else writes to it:
// if anything in it is not Quarry's (added while this build ran, after
// the check before it), the swap is undone and refused. Otherwise the old
// one is removed with st.
func swapIn(target, content, ownPath string, st *staging) error {
	old := filepath.Join(st.dir, "old")
	fi, err := os.Lstat(target)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(content, target); err != nil {
			return fmt.Errorf("move the new output in: %w", err)
		}
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a folder (Quarry replaces only a folder it wrote)", target)
	}
	if err := os.Rename(target, old); err != nil {
		return fmt.Errorf("move the previous output away: %w", err)
	}
	if err := os.Rename(content, target); err != nil {
		if rerr := os.Rename(old, target); rerr != nil {
			return fmt.Errorf("move the new output in: %w; and putting the previous one back failed (it is in %s): %v", err, old, rerr)
		}
		return fmt.Errorf("move the new output in: %w", err)
	}
	foreign, changed, listed, err := audit(old, ownPath)
	if err == nil {
		err = notOurs(target, ownPath, foreign, changed, listed)
	}
	if err != nil {
		// Undo: the new output back into st, the old one back in place.
		if rerr := os.Rename(target, content); rerr != nil {
			return fmt.Errorf("%w; and taking the new output back out failed: %v", err, rerr)
		}
		if rerr := os.Rename(old, target); rerr != nil {
			return fmt.Errorf("%w; and putting it back failed (it is in %s): %v", err, old, rerr)
		}
		return err
	}
	return nil
}

// writeOwned writes a new output for target and swaps it in. fill writes
// a bundle rooted at the folder it is given and returns what it wrote;
// sub is the part of that bundle that becomes target ("" for a whole
// bundle, AssetDir for a site's search files). The ownership list is
// written last, then the swap refuses any target holding files that are
// not Quarry's (checked once before any work too).
func writeOwned(target, sub, generator string, fill func(root string) (*Written, error)) (*Written, error) {
	ownPath := strings.TrimPrefix(bundleOwnPath, sub+"/")
	if err := checkOwned(target, ownPath); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return nil, err
	}
	cleanStale(target, ownPath)
	st, err := newStaging(target)
	if err != nil {
		return nil, err
	}
	defer st.remove()
	root := filepath.Join(st.dir, "new")
	w, err := fill(root)
	if err != nil {
		return nil, err
	}
	content := filepath.Join(root, filepath.FromSlash(sub))
	l := ownList{Generator: generator, Files: map[string]string{}}
	prefix := ""
	if sub != "" {
		prefix = sub + "/"
	}
	for p, h := range w.hashes {
		if rel, ok := strings.CutPrefix(p, prefix); ok {
			l.Files[rel] = h
		}
	}
	b, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(content, filepath.FromSlash(ownPath)), append(b, '\n')); err != nil {
		return nil, err
	}
	if err := syncTree(root); err != nil {
		return nil, fmt.Errorf("sync the new output: %w", err)
	}
	if err := swapIn(target, content, ownPath, st); err != nil {
		return nil, err
	}
	return w, nil
}
