// Command wasmsize attributes the bytes of a WebAssembly module built by Go
// to Go packages, from the module's name section: each function body in
// the code section is charged to the package its name starts with, and
// the data section (Go's read-only data, type descriptors, strings) is
// listed on its own line. Brotli figures are estimates: the data section
// is charged its own brotli size (compressed alone; it is mostly zeros
// since tools/wasmpack joins its segments, so a share by raw bytes would
// overstate it), and the code packages share the rest of the module's
// brotli size in proportion to their raw bytes.
//
//	go run ./tools/wasmsize [-n 30] [-depth 0] quarry.wasm
//
// The module must keep its name section (build without -ldflags=-s);
// the shipped engine is stripped, so `make size` builds a second copy
// with names for this table.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/andybalholm/brotli"

	"github.com/quarry-search/quarry/internal/wasmfile"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "wasmsize:", err)
		os.Exit(1)
	}
}

func run(_ context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("wasmsize", flag.ContinueOnError)
	top := fs.Int("n", 40, "packages to list")
	depth := fs.Int("depth", 0, "path elements kept of a package path (0: whole path)")
	brFile := fs.String("br", "", "brotli file of the stripped module, whose size is shared out (default: compress the input)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: wasmsize [-n N] [-depth D] [-br FILE.br] FILE.wasm")
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	m, err := parse(data)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	brTotal := 0
	if *brFile != "" {
		st, err := os.Stat(*brFile)
		if err != nil {
			return err
		}
		brTotal = int(st.Size())
	} else {
		brTotal = brotliSize(data)
	}
	rows := attribute(m, *depth)
	total := 0
	for _, r := range rows {
		total += r.bytes
	}
	dataBr := min(brotliSize(m.data), brTotal)
	// est is a row's brotli estimate.
	est := func(name string, raw int) int {
		if name == dataRow {
			return dataBr
		}
		return raw * (brTotal - dataBr) / max(total-len(m.data), 1)
	}
	fmt.Fprintf(out, "%-60s %10s %6s %10s\n", "package", "raw B", "share", "~brotli B")
	for i, r := range rows {
		if i == *top {
			rest := 0
			for _, r := range rows[i:] {
				rest += r.bytes
			}
			restBr := 0
			for _, r := range rows[i:] {
				restBr += est(r.name, r.bytes)
			}
			fmt.Fprintf(out, "%-60s %10d %5.1f%% %10d\n", fmt.Sprintf("(%d more)", len(rows)-i), rest, 100*float64(rest)/float64(total), restBr)
			break
		}
		fmt.Fprintf(out, "%-60s %10d %5.1f%% %10d\n", r.name, r.bytes, 100*float64(r.bytes)/float64(total), est(r.name, r.bytes))
	}
	fmt.Fprintf(out, "%-60s %10d %6s %10d\n", "total (code + data)", total, "", brTotal)
	return nil
}

type module struct {
	imports int      // imported functions (they precede the bodies in the index space)
	bodies  []int    // size of each function body
	names   []string // function names by index, "" when unnamed
	data    []byte   // the data section's body
}

type row struct {
	name  string
	bytes int
}

// dataRow is the data section's row.
const dataRow = "(data section)"

func brotliSize(b []byte) int {
	var buf bytes.Buffer
	w := brotli.NewWriterLevel(&buf, 11)
	w.Write(b)
	w.Close()
	return buf.Len()
}

func attribute(m *module, depth int) []row {
	sums := map[string]int{}
	for i, n := range m.bodies {
		idx := m.imports + i
		name := ""
		if idx < len(m.names) {
			name = m.names[idx]
		}
		sums[pkgOf(name, depth)] += n
	}
	sums[dataRow] += len(m.data)
	rows := make([]row, 0, len(sums))
	for k, v := range sums {
		rows = append(rows, row{k, v})
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].bytes != rows[j].bytes {
			return rows[i].bytes > rows[j].bytes
		}
		return rows[i].name < rows[j].name
	})
	return rows
}

// pkgOf returns the package of a Go function name as the wasm name
// section spells it ("github.com_blevesearch_vellum.(*FST).Get",
// "type:.eq.x", "runtime.mallocgc").
func pkgOf(name string, depth int) string {
	if name == "" {
		return "(unnamed)"
	}
	name = strings.TrimPrefix(name, "type:.eq.")
	name = strings.TrimPrefix(name, "type_.eq.")
	// The name section writes a package path with '_' for '/'
	// ("github.com_blevesearch_vellum"); the path ends at the first '.'
	// after its host name.
	from := 0
	if host := strings.IndexByte(name, '_'); host > 0 && strings.Contains(name[:host], ".") && !strings.HasSuffix(name[:host], ".") {
		from = host
	}
	pkg := name
	if dot := strings.IndexByte(name[from:], '.'); dot >= 0 {
		pkg = name[:from+dot]
	}
	if depth > 0 {
		parts := strings.Split(pkg, "_")
		if len(parts) > depth {
			pkg = strings.Join(parts[:depth], "_")
		}
	}
	return pkg
}

func parse(b []byte) (*module, error) {
	secs, err := wasmfile.Sections(b)
	if err != nil {
		return nil, err
	}
	m := &module{}
	for _, s := range secs {
		sec := wasmfile.NewReader(s.Body)
		switch s.ID {
		case wasmfile.SectionCustom:
			if sec.Name() == "name" {
				m.names = parseNames(sec)
			}
		case wasmfile.SectionImport:
			n := int(sec.Uleb())
			for k := 0; k < n && sec.Err() == nil; k++ {
				sec.Name()
				sec.Name()
				switch sec.Byte() {
				case 0: // function
					sec.Uleb()
					m.imports++
				case 1: // table
					sec.Byte()
					limits(sec)
				case 2: // memory
					limits(sec)
				case 3: // global
					sec.Byte()
					sec.Byte()
				}
			}
		case wasmfile.SectionCode:
			n := int(sec.Uleb())
			for k := 0; k < n && sec.Err() == nil; k++ {
				size := int(sec.Uleb())
				m.bodies = append(m.bodies, size)
				sec.Bytes(size)
			}
		case wasmfile.SectionData:
			m.data = s.Body
		}
		if err := sec.Err(); err != nil {
			return nil, fmt.Errorf("section %d: %w", s.ID, err)
		}
	}
	if m.names == nil {
		return nil, errors.New("no name section (build without -ldflags=-s)")
	}
	return m, nil
}

func limits(r *wasmfile.Reader) {
	if r.Byte()&1 == 1 {
		r.Uleb()
	}
	r.Uleb()
}

func parseNames(r *wasmfile.Reader) []string {
	var names []string
	for !r.Done() {
		id := r.Byte()
		sub := wasmfile.NewReader(r.Bytes(int(r.Uleb())))
		if id != 1 { // function names
			continue
		}
		n := int(sub.Uleb())
		for k := 0; k < n && sub.Err() == nil; k++ {
			idx := int(sub.Uleb())
			name := sub.Name()
			for len(names) <= idx {
				names = append(names, "")
			}
			names[idx] = name
		}
	}
	return names
}
