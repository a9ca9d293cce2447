package ingest

import (
	"errors"
	"io/fs"
	"path/filepath"
	"reflect"
	"testing"
)

func TestLoadConfigFixture(t *testing.T) {
	c, err := LoadConfig("testdata/config/quarry.yaml")
	if err != nil {
		t.Fatalf("LoadConfig error: %v", err)
	}
	want := &Config{
		Language:    "en",
		BaseURL:     "https://example.org/docs/",
		Include:     []string{"**/*.md", "data/*.jsonl"},
		Exclude:     []string{"drafts/**"},
		MaxFileSize: 2 << 20,
		JSON:        JSONMapping{ID: "slug", Title: "name", Body: "text", Facets: []string{"author", "year"}},
		Weights:     Weights{Title: 2.5, Body: 1},
		Facets:      []string{"tags", "categories"},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got  %+v\nwant %+v", c, want)
	}
	opts := c.Options()
	if opts.BaseURL != want.BaseURL || opts.MaxFileSize != want.MaxFileSize || !reflect.DeepEqual(opts.JSON, want.JSON) ||
		!reflect.DeepEqual(opts.Include, want.Include) || !reflect.DeepEqual(opts.Exclude, want.Exclude) {
		t.Errorf("Options() = %+v, want fields from %+v", opts, want)
	}
}

func TestLoadConfigErrors(t *testing.T) {
	tests := []struct {
		name, yaml, wantErr string
	}{
		{"unknown key", "language: en\nlangauge: fr\n",
			`quarry.yaml:2: unknown key "langauge" (known: language, base_url, include, exclude, max_file_size, json, weights, facets)`},
		{"unknown nested key", "json:\n  id: x\n  titel: y\n",
			`quarry.yaml:3: unknown key "json.titel" (known: id, title, body, url, description, date, lang, facets)`},
		{"unknown weight", "weights:\n  tittle: 2\n", `quarry.yaml:2: unknown key "weights.tittle" (known: title, body)`},
		{"bad weight", "weights:\n  title: heavy\n", `quarry.yaml:2: weights.title: expected a positive number, got "heavy"`},
		{"negative weight", "weights:\n  body: -1\n", `quarry.yaml:2: weights.body: expected a positive number, got "-1"`},
		{"bad size", "max_file_size: 10XB\n", `quarry.yaml:1: max_file_size: invalid size "10XB" (use bytes, or a number with KB, MB, GB, KiB, MiB or GiB)`},
		{"zero size", "max_file_size: 0\n", `quarry.yaml:1: max_file_size: size "0" out of range`},
		{"bad language", "language: english!\n", `quarry.yaml:1: language: "english!" is not a language tag such as "en" or "pt-BR"`},
		{"bad glob", "exclude:\n  - ok/**\n  - \"bad[\"\n", `quarry.yaml:3: exclude: invalid glob pattern "bad["`},
		{"list expected", "facets:\n  a: b\n", `quarry.yaml:2: facets: expected a list of strings`},
		{"nested list item", "include: [[a]]\n", `quarry.yaml:1: include: expected a list of strings`},
		{"mapping expected", "weights: 3\n", `quarry.yaml:1: weights: expected a mapping`},
		{"scalar expected", "base_url: [a, b]\n", `quarry.yaml:1: base_url: expected a single value`},
		{"empty json field", "json:\n  id: \"\"\n", `quarry.yaml:2: json.id: empty field name`},
		{"duplicate key", "language: en\nlanguage: fr\n", `quarry.yaml:2: duplicate key "language"`},
		{"syntax error", "language: en\n  base_url: x\n", `quarry.yaml:2: mapping values are not allowed in this context`},
		{"not a mapping", "- a\n- b\n", `quarry.yaml:1: expected a mapping of keys to values`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "quarry.yaml")
			writeFile(t, p, tt.yaml)
			_, err := LoadConfig(p)
			if err == nil {
				t.Fatal("no error, want one")
			}
			if want := filepath.Join(dir, tt.wantErr); err.Error() != want {
				t.Errorf("error = %q\nwant    %q", err, want)
			}
		})
	}
}

func TestLoadConfigValid(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       Config
	}{
		{"empty file", "", Config{}},
		{"comments only", "# nothing\n", Config{}},
		{"single strings for lists", "include: \"**/*.md\"\nfacets: tags\n", Config{Include: []string{"**/*.md"}, Facets: []string{"tags"}}},
		{"sizes", "max_file_size: 1.5 MB\n", Config{MaxFileSize: 1_500_000}},
		{"plain bytes", "max_file_size: 4096\n", Config{MaxFileSize: 4096}},
		{"language subtag", "language: pt-BR\n", Config{Language: "pt-BR"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "quarry.yaml")
			writeFile(t, p, tt.yaml)
			got, err := LoadConfig(p)
			if err != nil {
				t.Fatalf("LoadConfig error: %v", err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got %+v, want %+v", *got, tt.want)
			}
		})
	}
}

func TestLoadConfigMissing(t *testing.T) {
	_, err := LoadConfig(filepath.Join(t.TempDir(), "quarry.yaml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error = %v, want fs.ErrNotExist", err)
	}
}

func TestFindConfig(t *testing.T) {
	if p, ok := FindConfig("testdata/config"); !ok || p != filepath.Join("testdata/config", "quarry.yaml") {
		t.Errorf("FindConfig(testdata/config) = %q, %v, want the file", p, ok)
	}
	if p, ok := FindConfig("testdata/site"); ok {
		t.Errorf("FindConfig(testdata/site) = %q, true, want not found", p)
	}
}
