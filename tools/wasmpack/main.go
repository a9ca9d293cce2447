// Command wasmpack rewrites WebAssembly modules built by Go, in place. It
// trims the Go runtime's symbol table of what only a traceback reads
// (internal/pclntab.Strip: file and line tables, most function names;
// -strip=false keeps it whole), leaves the runtime's function lookup table
// out of the data and adds a start function that writes it when the module
// is instantiated (pclntab.FindFuncTab, wasmfile.AddStart; -functab=false
// keeps it as data), then writes the memory image as data segments that
// leave out only runs of more than -gap zeros (internal/wasmfile.PackData).
// Once instantiated, memory holds what it did before, but for the symbol
// table's trimmed parts.
//
//	go run ./tools/wasmpack [-gap 256] [-strip=true] [-functab=true] [-keep-names PREFIXES] FILE.wasm...
//
// Why the function lookup table: it is 679 kB of quarry.wasm's raw bytes
// (a counter and zeros; 5 kB of brotli), and raw bytes cost fetch and
// compile time on every visit (README, "Engine size").
//
// Why strip: see internal/pclntab. quarry.wasm, brotli 11: 663,022 B
// packed as below, 573,676 B stripped as well, 577,379 B keeping the
// names of Quarry's own functions (-keep-names' default). A panic's stack
// trace then prints "?" for every file and line and names only the
// runtime's functions and those.
//
// Why pack: Go's linker starts a new segment after every run of zero bytes, and
// its table for finding a function from a program counter (findfunctab:
// 20 bytes per 4 kB of a code address space in which every function takes
// 64 kB on wasm) is almost all zeros, so the engine had 36,747 segments,
// whose headers (offset and size, a few bytes each and hard to compress)
// cost more than the zeros they skip. Measured on quarry.wasm (Go 1.26,
// brotli 11): 705,281 B with the linker's segments; joined across gaps of
// up to 24 B, 665,501 B (325 segments); 256 B, 663,022 B (3 segments);
// everything, 663,970 B (1 segment). The raw module grows from 3.32 to
// 3.69 MB, which compiles as fast in Chromium (compileStreaming and
// compile, medians of 7 cold loads, within 1%), and instantiates 10%
// faster under Node (fewer segments to copy).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/quarry-search/quarry/build"
	"github.com/quarry-search/quarry/internal/pclntab"
	"github.com/quarry-search/quarry/internal/wasmfile"
)

// defaultKeepNames keeps the names of Quarry's own functions, so that the
// stack trace in a failure an engine panic returns still says where it
// happened (files and lines read "?"). Measured: 3.7 kB of brotli on
// quarry.wasm (573,676 B without them, 577,379 with).
const defaultKeepNames = "main.,github.com/quarry-search/quarry/"

// defaultGap is the largest run of zeros written out to join two segments
// (see the measurements above).
const defaultGap = 256

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "wasmpack:", err)
		os.Exit(1)
	}
}

func run(_ context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("wasmpack", flag.ContinueOnError)
	gap := fs.Int("gap", defaultGap, "join data segments up to this many bytes apart")
	strip := fs.Bool("strip", true, "trim the Go symbol table (file and line tables, names outside the runtime)")
	functab := fs.Bool("functab", true, "leave the runtime's findfunctab out of the data and write it from a start function")
	keepNames := fs.String("keep-names", defaultKeepNames, "comma-separated prefixes of function names -strip keeps")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 || *gap < 0 {
		return errors.New("usage: wasmpack [-gap N] [-strip=false] FILE.wasm...")
	}
	for _, p := range fs.Args() {
		if err := pack(p, options{gap: *gap, strip: *strip, keep: prefixes(*keepNames), functab: *functab}, out); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	return nil
}

func prefixes(list string) func(string) bool {
	var ps []string
	for _, p := range strings.Split(list, ",") {
		if p = strings.TrimSpace(p); p != "" {
			ps = append(ps, p)
		}
	}
	return func(name string) bool {
		return slices.ContainsFunc(ps, func(p string) bool { return strings.HasPrefix(name, p) })
	}
}

// options are wasmpack's flags.
type options struct {
	gap     int
	strip   bool
	keep    func(string) bool
	functab bool
}

// report is what packModule did, for the summary lines.
type report struct {
	segsBefore, segsAfter int
	strip                 pclntab.Stats
	functab               pclntab.FuncTab
	functabKept           bool // the module had a start function already
}

func pack(p string, o options, out io.Writer) error {
	in, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	packed, r, err := packModule(in, o)
	if err != nil {
		return err
	}
	if err := build.WriteFileAtomic(p, packed); err != nil {
		return err
	}
	if o.strip {
		fmt.Fprintf(out, "%s: symbol table of %d functions: %d names kept, pctab %d -> %d bytes, %d bytes zeroed\n",
			p, r.strip.Funcs, r.strip.NamesKept, r.strip.PCTabBefore, r.strip.PCTabAfter, r.strip.Zeroed)
	}
	switch {
	case r.functabKept:
		fmt.Fprintf(out, "%s: has a start function: findfunctab left as it is\n", p)
	case o.functab:
		fmt.Fprintf(out, "%s: findfunctab (%d bytes at %#x) written by a start function instead\n", p, r.functab.Size, r.functab.Addr)
	}
	_, err = fmt.Fprintf(out, "%s: %d data segments -> %d, %d -> %d bytes\n", p, r.segsBefore, r.segsAfter, len(in), len(packed))
	return err
}

// packModule rewrites a module as the package comment describes.
func packModule(in []byte, o options) ([]byte, report, error) {
	var r report
	// A module that already has a start function was packed before (its
	// findfunctab already left out) or is not one this tool understands.
	functab := o.functab
	if has, err := wasmfile.HasStart(in); err != nil {
		return nil, r, err
	} else if has && functab {
		r.functabKept, functab = true, false
	}
	edit := func(mem []byte) (err error) {
		if o.strip {
			if r.strip, err = pclntab.Strip(mem, o.keep); err != nil {
				return err
			}
		}
		if functab {
			if r.functab, err = pclntab.FindFuncTab(mem); err != nil {
				return err
			}
			r.functab.Clear(mem)
		}
		return nil
	}
	packed, before, after, err := wasmfile.PackData(in, o.gap, edit)
	if err != nil {
		return nil, r, err
	}
	r.segsBefore, r.segsAfter = before, after
	if functab {
		if packed, err = wasmfile.AddStart(packed, r.functab.FillCode()); err != nil {
			return nil, r, err
		}
	}
	return packed, r, nil
}
