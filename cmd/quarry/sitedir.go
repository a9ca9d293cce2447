package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/quarry-search/quarry/internal/site"
)

// writeIntoSite adds the search files to dir/quarry/ of a site a static
// site generator has built, the way a search step runs after the generator.
// The bundle is written into a hidden folder inside dir (same file system,
// so the final step is a rename), its quarry/ folder is swapped with the
// previous one, and the demo page is dropped: the site's own pages embed
// the widget. A dir/quarry that is not a previous Quarry bundle is refused,
// and a failure leaves the previous search files in place.
func writeIntoSite(dir string, index []byte, opts site.Options) error {
	target := filepath.Join(dir, site.AssetDir)
	if st, err := os.Lstat(target); err == nil {
		if !st.IsDir() || !fileExists(filepath.Join(target, site.ManifestFile)) {
			return fmt.Errorf("write search files: %s exists and is not Quarry's (no %s in it); move it away or use -o", target, site.ManifestFile)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("write search files: %w", err)
	}
	tmp, err := os.MkdirTemp(dir, ".quarry-build-")
	if err != nil {
		return fmt.Errorf("write search files: %w", err)
	}
	defer os.RemoveAll(tmp)
	opts.CorpusDir = "" // the bundle goes inside the corpus on purpose
	opts.Docs = nil     // no copies of text documents: the site has its pages
	bundle := filepath.Join(tmp, "bundle")
	if _, err := site.WriteBundle(bundle, index, opts); err != nil {
		return err
	}
	old := filepath.Join(tmp, "old")
	hadOld := false
	if _, err := os.Lstat(target); err == nil {
		if err := os.Rename(target, old); err != nil {
			return fmt.Errorf("write search files: move the old ones away: %w", err)
		}
		hadOld = true
	}
	if err := os.Rename(filepath.Join(bundle, site.AssetDir), target); err != nil {
		if hadOld {
			os.Rename(old, target)
		}
		return fmt.Errorf("write search files: %w", err)
	}
	return nil
}
