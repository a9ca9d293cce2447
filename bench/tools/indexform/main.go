// Command indexform turns the index of a Quarry site bundle from one
// form into the other, for bench/threshold.mjs (a bench-only switch: the
// CLI always ships an index of up to site.WholeIndexLimit raw bytes whole
// and a larger one as a head with files beside it):
//
//	go run ./bench/tools/indexform -to whole SITE   head + files -> one file
//	go run ./bench/tools/indexform -to split SITE   one file -> head + files
//
// SITE is the bundle folder (SITE/quarry/quarry.json names the index).
// The index's bytes are the ones the build wrote (indexfile.Externalize
// and Inline, as internal/site uses them); the manifest's index and files
// are rewritten to match. The old index file and every .br/.gz sibling
// of the files it touches are removed (the bench server compresses
// every file itself). It prints the raw sizes: whole, head, files.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/quarry-search/quarry/internal/indexfile"
)

func main() {
	to := flag.String("to", "", "whole or split")
	flag.Parse()
	if flag.NArg() != 1 || (*to != "whole" && *to != "split") {
		fmt.Fprintln(os.Stderr, "usage: indexform -to whole|split SITE")
		os.Exit(2)
	}
	if err := convert(filepath.Join(flag.Arg(0), "quarry"), *to); err != nil {
		fmt.Fprintln(os.Stderr, "indexform:", err)
		os.Exit(1)
	}
}

func convert(dir, to string) error {
	mpath := filepath.Join(dir, "quarry.json")
	raw, err := os.ReadFile(mpath)
	if err != nil {
		return err
	}
	// Kept as a map so that fields this tool does not know survive.
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("%s: %w", mpath, err)
	}
	name, _ := m["index"].(string)
	if name == "" || strings.Contains(name, "/") || strings.HasPrefix(name, "#") {
		return fmt.Errorf("%s: no index file named", mpath)
	}
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return err
	}
	h, err := indexfile.Decode(data)
	if err != nil {
		return err
	}
	names := h.FileNames()
	if isWhole := h.Inline() != nil; isWhole == (to == "whole") {
		// Already in that form: say so with the same figures.
		head, files, err := indexfile.Externalize(data)
		if err != nil {
			return err
		}
		filesBytes := 0
		for _, n := range names {
			if files != nil {
				filesBytes += len(files[n])
			} else if st, err := os.Stat(filepath.Join(dir, n)); err == nil {
				filesBytes += int(st.Size())
			}
		}
		whole := len(data)
		if !isWhole {
			// The whole file is the head with the files inline.
			whole = len(head) + filesBytes
		}
		fmt.Printf("{\"whole\":%d,\"head\":%d,\"files\":%d,\"filesBytes\":%d,\"unchanged\":true}\n", whole, len(head), len(names), filesBytes)
		return nil
	}
	var out []byte
	var files map[string][]byte
	switch to {
	case "whole":
		files = map[string][]byte{}
		for _, n := range names {
			b, err := os.ReadFile(filepath.Join(dir, n))
			if err != nil {
				return err
			}
			files[n] = b
		}
		if out, err = indexfile.Inline(data, files); err != nil {
			return err
		}
	case "split":
		if out, files, err = indexfile.Externalize(data); err != nil {
			return err
		}
	}
	head := out
	if to == "whole" {
		head, _, err = indexfile.Externalize(out)
		if err != nil {
			return err
		}
	}
	filesBytes := 0
	for _, n := range names {
		p := filepath.Join(dir, n)
		removeSiblings(p)
		if to == "whole" {
			if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
				return err
			}
		} else if err := os.WriteFile(p, files[n], 0o644); err != nil {
			return err
		}
		filesBytes += len(files[n])
	}
	newName := hashedName("quarry.idx", out)
	removeSiblings(filepath.Join(dir, name))
	if err := os.Remove(filepath.Join(dir, name)); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, newName), out, 0o644); err != nil {
		return err
	}
	m["index"] = newName
	if to == "whole" {
		delete(m, "files")
	} else {
		m["files"] = len(names)
	}
	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	removeSiblings(mpath)
	if err := os.WriteFile(mpath, append(mj, '\n'), 0o644); err != nil {
		return err
	}
	whole := len(out)
	if to == "split" {
		whole = len(data)
	}
	fmt.Printf("{\"whole\":%d,\"head\":%d,\"files\":%d,\"filesBytes\":%d}\n", whole, len(head), len(names), filesBytes)
	return nil
}

func removeSiblings(p string) {
	os.Remove(p + ".br")
	os.Remove(p + ".gz")
}

// hashedName is internal/site's: quarry.idx -> quarry.0123456789ab.idx.
func hashedName(name string, data []byte) string {
	sum := sha256.Sum256(data)
	e := filepath.Ext(name)
	return strings.TrimSuffix(name, e) + "." + hex.EncodeToString(sum[:6]) + e
}
