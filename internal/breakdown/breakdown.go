// Package breakdown splits a Quarry index file into its shares — the
// header, each piece of the head's metadata (per field: document
// lengths, expansion dictionary, its counts; facets; part
// bounds; file sums) and the files it holds inline (parts, positions
// parts, text files) — so that the bytes an index ships can be
// attributed and cut where they are.
package breakdown

import (
	"encoding/binary"
	"fmt"
	"sort"
	"strings"

	"github.com/quarry-search/quarry/internal/indexfile"
)

// Part is one named share of an index file. Data holds the share's bytes,
// concatenated when they are scattered (e.g. every part file), so that
// compressing Data estimates what the share costs compressed.
type Part struct {
	Name string
	Data []byte
	// Files holds the files of a share of several (see Files).
	Files [][]byte
}

// headerLen is the fixed header of an index file (see indexfile).
const headerLen = 32

// Split returns the shares of the index file data. Inline files are
// grouped by kind: "inline parts", "inline positions parts", "inline text
// files".
func Split(data []byte) ([]Part, error) {
	h, err := indexfile.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("decode index: %w", err)
	}
	metaLen := int(binary.LittleEndian.Uint32(data[20:]))
	parts := []Part{{Name: "header+crc", Data: append(append([]byte{}, data[:headerLen]...), data[len(data)-4:]...)}}
	total := 0
	for _, p := range indexfile.MetaParts(h) {
		parts = append(parts, Part{Name: "meta: " + p.Name, Data: p.Data})
		total += len(p.Data)
	}
	if total < metaLen {
		parts = append(parts, Part{Name: "meta: counts and settings", Data: make([]byte, metaLen-total)})
	}
	return append(parts, Files(h.Inline(), "inline ")...), nil
}

// Files groups files of an index by kind (from their extensions).
func Files(files map[string][]byte, prefix string) []Part {
	kinds := []struct{ ext, name string }{
		{indexfile.PartExt, "parts"}, {indexfile.PositionsExt, "positions parts"}, {indexfile.TextExt, "text files"},
		{indexfile.RestExt, "rest bundle: the parts and text files again"},
	}
	var out []Part
	for _, k := range kinds {
		var names []string
		for name := range files {
			if strings.HasSuffix(name, k.ext) {
				names = append(names, name)
			}
		}
		if len(names) == 0 {
			continue
		}
		sort.Strings(names)
		p := Part{Name: fmt.Sprintf("%s%s (%d)", prefix, k.name, len(names))}
		for _, name := range names {
			p.Data = append(p.Data, files[name]...)
			p.Files = append(p.Files, files[name])
		}
		out = append(out, p)
	}
	return out
}
