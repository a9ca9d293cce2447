package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/quarry-search/quarry/internal/entity"
	"github.com/quarry-search/quarry/internal/indexfile"
	"github.com/quarry-search/quarry/internal/site"
)

func runEntities(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("entities", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, `print {"entities":[{"name","type","aliases","docs"}]}`)
	goldFile := fs.String("gold", "", "score the index's entities against hand annotations (JSON: {doc id: [{name, type}]})")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: quarry entities INDEX [--json] [--gold FILE]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(interleave(args, fs)); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{"entities needs INDEX"}
	}
	ents, err := readEntities(fs.Arg(0))
	if err != nil {
		return err
	}
	if *goldFile != "" {
		return scoreEntities(ents, *goldFile, *asJSON, stdout)
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

// readEntities reads the entity list of the index at p (see
// site.IndexPath): the file indexfile.EntitiesFile beside the index,
// which only the command line reads (the browser's index does not carry
// it).
func readEntities(p string) ([]indexfile.EntityMeta, error) {
	path, err := site.IndexPath(p)
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	index, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	if _, err := indexfile.Decode(index); err != nil {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	lp := filepath.Join(filepath.Dir(path), indexfile.EntitiesFile)
	data, err := os.ReadFile(lp)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s has no entity list (%s is missing): rebuild it with quarry build -o", path, lp)
	}
	if err != nil {
		return nil, fmt.Errorf("read entity list: %w", err)
	}
	ents, err := indexfile.DecodeEntities(data, index)
	if err != nil {
		return nil, fmt.Errorf("%s: %w; rebuild the index", lp, err)
	}
	return ents, nil
}

// goldScores is the --gold --json output.
type goldScores struct {
	Precision    float64  `json:"precision"`
	Recall       float64  `json:"recall"`
	TypeAccuracy float64  `json:"type_accuracy"`
	Matched      int      `json:"matched"`
	Predicted    int      `json:"predicted"`
	Gold         int      `json:"gold"`
	TypeOK       int      `json:"type_ok"`
	Spurious     []string `json:"spurious"`
	Missed       []string `json:"missed"`
	Mistyped     []string `json:"mistyped"`
}

// scoreEntities compares the index's entities with hand annotations
// (entity.Evaluate: per document and entity, organizations and products
// counted as one coarse type) and prints the scores and every mistake.
func scoreEntities(ents []indexfile.EntityMeta, goldPath string, asJSON bool, stdout io.Writer) error {
	data, err := os.ReadFile(goldPath)
	if err != nil {
		return fmt.Errorf("read gold annotations: %w", err)
	}
	var gold map[string][]entity.GoldEntity
	if err := json.Unmarshal(data, &gold); err != nil {
		return fmt.Errorf("read gold annotations %s: %w", goldPath, err)
	}
	if len(gold) == 0 {
		return fmt.Errorf("read gold annotations %s: no documents", goldPath)
	}
	pred := make([]entity.Entity, len(ents))
	for i, e := range ents {
		pred[i] = entity.Entity{Name: e.Name, Type: entity.Type(e.Type), Aliases: e.Aliases, Docs: e.Docs}
	}
	s := entity.Evaluate(pred, gold)
	strs := func(ps []entity.Pair) []string {
		out := make([]string, len(ps))
		for i, p := range ps {
			out[i] = p.String()
		}
		return out
	}
	out := goldScores{s.Precision, s.Recall, s.TypeAccuracy, s.Matched, s.Predicted, s.Gold, s.TypeOK,
		strs(s.Spurious), strs(s.Missed), strs(s.Mistyped)}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	fmt.Fprintln(stdout, s.String())
	for _, l := range []struct {
		name string
		list []string
	}{{"spurious", out.Spurious}, {"missed", out.Missed}, {"mistyped", out.Mistyped}} {
		for _, p := range l.list {
			fmt.Fprintf(stdout, "%-9s %s\n", l.name, p)
		}
	}
	return nil
}
