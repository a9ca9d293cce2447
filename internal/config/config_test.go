package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// corpus writes files (name -> content) into a fresh folder.
func corpus(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const yamlAll = `language: fr
base_url: /docs
include: ["**/*.md"]
exclude: ["drafts/**"]
weights: {title: 2, body: 0.5}
json: {id: slug, title: name}
facets: [tags, categories]
`

const overrides = "entities:\n  - name: Xuehua\n    hide: true\n"

func TestResolve(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		flags Flags
		check func(t *testing.T, b *Build, dir string)
	}{
		{"defaults without files", nil, Flags{}, func(t *testing.T, b *Build, dir string) {
			if b.ConfigFile != "" || b.EntitiesFile != "" || b.Overrides != nil || b.Language != "" || b.Facets != nil {
				t.Errorf("got %+v, want nothing set", b)
			}
		}},
		{"the config file's keys", map[string]string{"quarry.yaml": yamlAll}, Flags{}, func(t *testing.T, b *Build, dir string) {
			want := []any{filepath.Join(dir, "quarry.yaml"), "fr", "/docs", []string{"**/*.md"}, []string{"drafts/**"}, 2.0, 0.5, "slug", "name", []string{"tags", "categories"}}
			got := []any{b.ConfigFile, b.Language, b.Ingest.BaseURL, b.Ingest.Include, b.Ingest.Exclude, b.TitleBoost, b.BodyBoost, b.Ingest.JSON.ID, b.Ingest.JSON.Title, b.Facets}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		}},
		{"flags win over the config file, globs add up", map[string]string{"quarry.yaml": yamlAll},
			Flags{Language: "spanish", BaseURL: "/x", Include: []string{"*.txt"}, Exclude: []string{"tmp/**"}, Facets: []string{"product"}, JSONID: "key", JSONURL: "link"},
			func(t *testing.T, b *Build, dir string) {
				want := []any{"spanish", "/x", []string{"**/*.md", "*.txt"}, []string{"drafts/**", "tmp/**"}, []string{"product"}, "-facets", "key", "name", "link"}
				got := []any{b.Language, b.Ingest.BaseURL, b.Ingest.Include, b.Ingest.Exclude, b.Facets, b.FacetsFrom, b.Ingest.JSON.ID, b.Ingest.JSON.Title, b.Ingest.JSON.URL}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("got %v, want %v", got, want)
				}
			}},
		{"-config names another file", map[string]string{"other.yaml": "language: es\n", "quarry.yaml": "language: fr\n"},
			Flags{Config: "other.yaml"}, func(t *testing.T, b *Build, dir string) {
				if b.Language != "es" {
					t.Errorf("got language %q, want es from -config", b.Language)
				}
			}},
		{"entities.yaml beside the corpus", map[string]string{"entities.yaml": overrides}, Flags{}, func(t *testing.T, b *Build, dir string) {
			if b.EntitiesFile != filepath.Join(dir, "entities.yaml") || b.Overrides == nil || len(b.Overrides.Entries) != 1 {
				t.Errorf("got %q %+v, want the corpus's override file loaded", b.EntitiesFile, b.Overrides)
			}
		}},
		{"-entities none ignores it", map[string]string{"entities.yaml": overrides}, Flags{Entities: "none"}, func(t *testing.T, b *Build, dir string) {
			if b.EntitiesFile != "" || b.Overrides != nil {
				t.Errorf("got %q %+v, want no overrides", b.EntitiesFile, b.Overrides)
			}
		}},
		{"-no-entities ignores it too", map[string]string{"entities.yaml": "not: [valid"}, Flags{NoEntities: true}, func(t *testing.T, b *Build, dir string) {
			if !b.NoEntities || b.Overrides != nil {
				t.Errorf("got %+v, want no extraction and no overrides", b)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := corpus(t, tt.files)
			f := tt.flags
			if f.Config != "" {
				f.Config = filepath.Join(dir, f.Config)
			}
			b, err := Resolve(dir, f)
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			tt.check(t, b, dir)
		})
	}
}

func TestResolveErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		flags Flags
		want  string
	}{
		{"bad config key", map[string]string{"quarry.yaml": "facet: [tags]\n"}, Flags{}, `quarry.yaml:1: unknown key "facet"`},
		{"bad override file", map[string]string{"entities.yaml": "entities:\n  - type: org\n"}, Flags{}, "entities.yaml:2: entry has no name"},
		{"missing -entities file", nil, Flags{Entities: "nope.yaml"}, "entity overrides"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Resolve(corpus(t, tt.files), tt.flags)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestCheckFacets(t *testing.T) {
	fields := []string{"org", "product", "tags"}
	tests := []struct {
		facets []string
		want   string // "" for no error
	}{
		{nil, ""},
		{[]string{"tags", "org"}, ""},
		{[]string{"tags", "categories", "place"}, `quarry.yaml: facets: "categories", "place" not a filter of this index (it has: org, product, tags)`},
	}
	for _, tt := range tests {
		b := &Build{Facets: tt.facets, FacetsFrom: "quarry.yaml: facets"}
		err := b.CheckFacets(fields)
		if tt.want == "" {
			if err != nil {
				t.Errorf("CheckFacets(%v): got %v, want nil", tt.facets, err)
			}
			continue
		}
		if err == nil || err.Error() != tt.want || !errors.Is(err, ErrUnknownFacet) {
			t.Errorf("CheckFacets(%v): got %v, want %q", tt.facets, err, tt.want)
		}
	}
}
