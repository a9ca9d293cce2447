//go:build !unix

package site

import (
	"os"
	"time"
)

// Without flock, a staging folder is taken as abandoned once its marker
// is a day old: no build runs that long.
const staleAfter = 24 * time.Hour

func lockFile(*os.File) error { return nil }

func tryLockFile(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && time.Since(st.ModTime()) > staleAfter
}
