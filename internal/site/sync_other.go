//go:build !linux

package site

import (
	"io/fs"
	"os"
	"path/filepath"
)

// syncTree makes what was written below dir durable before it is renamed
// into place: without Linux's syncfs(2), each file is synced (see
// sync_linux.go).
func syncTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		return f.Sync()
	})
}
