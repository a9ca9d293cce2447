//go:build unix

package site

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive lock on f, held until f is closed or the
// process ends (however it ends: the kernel releases it).
func lockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

// tryLockFile reports whether the lock on f could be taken, i.e. no
// running build holds it.
func tryLockFile(f *os.File) bool { return lockFile(f) == nil }
