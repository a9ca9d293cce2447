package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/quarry-search/quarry/internal/indexfile"
)

func runEntities(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("entities", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, `print {"entities":[{"name","type","aliases","docs"}]}`)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: quarry entities INDEX [--json]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(interleave(args, fs)); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{"entities needs INDEX"}
	}
	eng, _, err := openIndex(fs.Arg(0))
	if err != nil {
		return err
	}
	ents := eng.Meta().Entities
	if ents == nil {
		ents = []indexfile.EntityMeta{}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(struct {
			Entities []indexfile.EntityMeta `json:"entities"`
		}{ents})
	}
	for _, e := range ents {
		fmt.Fprintf(stdout, "%-8s %-32s %d docs", e.Type, e.Name, len(e.Docs))
		if len(e.Aliases) > 0 {
			fmt.Fprintf(stdout, "  (also %v)", e.Aliases)
		}
		fmt.Fprintln(stdout)
	}
	return nil
}
