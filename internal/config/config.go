// Package config resolves the configuration of one `quarry build`: the
// command-line flags, the corpus's quarry.yaml and its entity override
// file (entities.yaml) are merged here and nowhere else.
//
// Precedence, for every setting: a flag given on the command line, else
// the config file's key, else the default. Include and exclude globs add
// up (the config file's first, then the flags'). The config file is
// -config FILE, else CORPUS_DIR/quarry.yaml when present; the override
// file is -entities FILE ("none": no overrides), else
// CORPUS_DIR/entities.yaml when present; -no-entities skips extraction
// and so ignores the override file.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/quarry-search/quarry/internal/entity"
	"github.com/quarry-search/quarry/internal/ingest"
)

// EntitiesFile is the name of the entity override file at a corpus root.
const EntitiesFile = "entities.yaml"

// NoFile, given as -entities, ignores CORPUS_DIR/entities.yaml.
const NoFile = "none"

// Flags are the build options given on the command line; zero values
// mean "not given".
type Flags struct {
	Config     string   // -config FILE
	Entities   string   // -entities FILE, or "none"
	NoEntities bool     // -no-entities
	Language   string   // -lang
	BaseURL    string   // -base-url
	Include    []string // -include (repeatable)
	Exclude    []string // -exclude (repeatable)
	Facets     []string // -facets LIST: the filter groups the widget shows
	// JSON field names: -id, -title, -body, -url.
	JSONID, JSONTitle, JSONBody, JSONURL string
}

// Build is the resolved configuration of one build.
type Build struct {
	// ConfigFile is the config file read ("" when none).
	ConfigFile string
	// Ingest are the options for reading the corpus.
	Ingest ingest.Options
	// Language is the analyzer language ("" for the default).
	Language string
	// TitleBoost and BodyBoost are the ranking weights (0: default).
	TitleBoost, BodyBoost float64
	// NoEntities skips entity extraction.
	NoEntities bool
	// EntitiesFile is the override file read ("" when none) and
	// Overrides its content.
	EntitiesFile string
	Overrides    *entity.Overrides
	// Facets are the filter groups the widget shows, in order (nil: all
	// the index has). From -facets, else the config file's facets: key.
	Facets []string
	// FacetsFrom names where Facets came from, for messages.
	FacetsFrom string
}

// Resolve merges the flags with the config and override files of the
// corpus folder. Errors name the file (and line) at fault.
func Resolve(corpus string, f Flags) (*Build, error) {
	b := &Build{NoEntities: f.NoEntities}
	var cfg *ingest.Config
	b.ConfigFile = f.Config
	if b.ConfigFile == "" {
		if p, ok := ingest.FindConfig(corpus); ok {
			b.ConfigFile = p
		}
	}
	if b.ConfigFile != "" {
		var err error
		if cfg, err = ingest.LoadConfig(b.ConfigFile); err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		b.Ingest = cfg.Options()
		b.Language = cfg.Language
		b.TitleBoost, b.BodyBoost = cfg.Weights.Title, cfg.Weights.Body
		if len(cfg.Facets) > 0 {
			b.Facets, b.FacetsFrom = cfg.Facets, b.ConfigFile+": facets"
		}
	}
	b.Ingest.Include = append(append([]string(nil), b.Ingest.Include...), f.Include...)
	b.Ingest.Exclude = append(append([]string(nil), b.Ingest.Exclude...), f.Exclude...)
	for _, s := range []struct {
		dst *string
		v   string
	}{
		{&b.Language, f.Language}, {&b.Ingest.BaseURL, f.BaseURL},
		{&b.Ingest.JSON.ID, f.JSONID}, {&b.Ingest.JSON.Title, f.JSONTitle},
		{&b.Ingest.JSON.Body, f.JSONBody}, {&b.Ingest.JSON.URL, f.JSONURL},
	} {
		if s.v != "" {
			*s.dst = s.v
		}
	}
	if len(f.Facets) > 0 {
		b.Facets, b.FacetsFrom = f.Facets, "-facets"
	}
	if !b.NoEntities {
		b.EntitiesFile = f.Entities
		if b.EntitiesFile == "" {
			if p := filepath.Join(corpus, EntitiesFile); isFile(p) {
				b.EntitiesFile = p
			}
		}
		if b.EntitiesFile == NoFile {
			b.EntitiesFile = ""
		}
		if b.EntitiesFile != "" {
			ov, err := entity.LoadOverrides(b.EntitiesFile)
			if err != nil {
				return nil, fmt.Errorf("entity overrides: %w", err)
			}
			b.Overrides = ov
		}
	}
	return b, nil
}

// ErrUnknownFacet is wrapped by CheckFacets' error.
var ErrUnknownFacet = errors.New("not a filter of this index")

// CheckFacets verifies that every facet the widget should show is one
// the index has (fields, in the index's order). The error names the
// setting and lists the index's filters.
func (b *Build) CheckFacets(fields []string) error {
	have := map[string]bool{}
	for _, f := range fields {
		have[f] = true
	}
	var bad []string
	for _, f := range b.Facets {
		if !have[f] {
			bad = append(bad, fmt.Sprintf("%q", f))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	list := "none"
	if len(fields) > 0 {
		list = strings.Join(fields, ", ")
	}
	return fmt.Errorf("%s: %s %w (it has: %s)", b.FacetsFrom, strings.Join(bad, ", "), ErrUnknownFacet, list)
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}
