// Command wasmsize attributes the bytes of a WebAssembly module built by Go
// to Go packages, from the module's name section: each function body in
// the code section is charged to the package its name starts with, and
// the data section (Go's read-only data, type descriptors, strings) is
// listed on its own line. Brotli figures are estimates: the whole
// module's brotli size shared out in proportion to raw bytes.
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
	var brTotal int
	if *brFile != "" {
		st, err := os.Stat(*brFile)
		if err != nil {
			return err
		}
		brTotal = int(st.Size())
	} else {
		var buf bytes.Buffer
		w := brotli.NewWriterLevel(&buf, 11)
		w.Write(data)
		w.Close()
		brTotal = buf.Len()
	}
	rows := attribute(m, *depth)
	total := 0
	for _, r := range rows {
		total += r.bytes
	}
	fmt.Fprintf(out, "%-60s %10s %6s %10s\n", "package", "raw B", "share", "~brotli B")
	for i, r := range rows {
		if i == *top {
			rest := 0
			for _, r := range rows[i:] {
				rest += r.bytes
			}
			fmt.Fprintf(out, "%-60s %10d %5.1f%% %10d\n", fmt.Sprintf("(%d more)", len(rows)-i), rest, 100*float64(rest)/float64(total), rest*brTotal/total)
			break
		}
		fmt.Fprintf(out, "%-60s %10d %5.1f%% %10d\n", r.name, r.bytes, 100*float64(r.bytes)/float64(total), r.bytes*brTotal/total)
	}
	fmt.Fprintf(out, "%-60s %10d %6s %10d\n", "total (code + data)", total, "", brTotal)
	return nil
}

type module struct {
	imports   int      // imported functions (they precede the bodies in the index space)
	bodies    []int    // size of each function body
	names     []string // function names by index, "" when unnamed
	dataBytes int
}

type row struct {
	name  string
	bytes int
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
	sums["(data section)"] += m.dataBytes
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
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		return nil, errors.New("not a WebAssembly module")
	}
	m := &module{}
	r := &reader{b: b, i: 8}
	for r.i < len(b) {
		id := r.byte()
		size := int(r.uleb())
		if r.err != nil || r.i+size > len(b) {
			return nil, errors.New("malformed section header")
		}
		sec := &reader{b: b[r.i : r.i+size]}
		switch id {
		case 0: // custom
			name := sec.name()
			if name == "name" {
				m.names = parseNames(sec)
			}
		case 2: // imports
			n := int(sec.uleb())
			for k := 0; k < n && sec.err == nil; k++ {
				sec.name()
				sec.name()
				kind := sec.byte()
				switch kind {
				case 0:
					sec.uleb()
					m.imports++
				case 1:
					sec.byte()
					limits(sec)
				case 2:
					limits(sec)
				case 3:
					sec.byte()
					sec.byte()
				}
			}
		case 10: // code
			n := int(sec.uleb())
			for k := 0; k < n && sec.err == nil; k++ {
				s := int(sec.uleb())
				m.bodies = append(m.bodies, s)
				sec.i += s
			}
		case 11: // data
			m.dataBytes += size
		}
		if sec.err != nil {
			return nil, fmt.Errorf("section %d: %w", id, sec.err)
		}
		r.i += size
	}
	if m.names == nil {
		return nil, errors.New("no name section (build without -ldflags=-s)")
	}
	return m, nil
}

func limits(r *reader) {
	if r.byte()&1 == 1 {
		r.uleb()
	}
	r.uleb()
}

func parseNames(r *reader) []string {
	var names []string
	for r.i < len(r.b) && r.err == nil {
		id := r.byte()
		size := int(r.uleb())
		end := r.i + size
		if id == 1 {
			n := int(r.uleb())
			for k := 0; k < n && r.err == nil; k++ {
				idx := int(r.uleb())
				name := r.name()
				for len(names) <= idx {
					names = append(names, "")
				}
				names[idx] = name
			}
		}
		r.i = end
	}
	return names
}

type reader struct {
	b   []byte
	i   int
	err error
}

func (r *reader) byte() byte {
	if r.i >= len(r.b) {
		r.err = io.ErrUnexpectedEOF
		return 0
	}
	c := r.b[r.i]
	r.i++
	return c
}

func (r *reader) uleb() uint64 {
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		c := r.byte()
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
	}
	r.err = errors.New("varint too long")
	return v
}

func (r *reader) name() string {
	n := int(r.uleb())
	if r.i+n > len(r.b) {
		r.err = io.ErrUnexpectedEOF
		return ""
	}
	s := string(r.b[r.i : r.i+n])
	r.i += n
	return s
}
