package entity

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func mustParse(t *testing.T, src string) *Overrides {
	t.Helper()
	o, err := ParseOverrides("test.yaml", []byte(src))
	if err != nil {
		t.Fatalf("ParseOverrides: %v", err)
	}
	return o
}

func TestOverrides(t *testing.T) {
	bodies := []string{
		"Here, apps like Yizhibohave turned live-streaming into a format. However, the Dragon is leading.",
		"Tencent invested in Paipai. The Dragon and China grew. Meanwhile New Retail spread.",
	}
	tests := []struct {
		name  string
		yaml  string
		check func(t *testing.T, got []Entity)
	}{
		{
			name: "add alias renames and merges",
			yaml: "entities:\n  - name: Yizhibo\n    aliases: [Yizhibohave]\n  - name: China\n    aliases: Dragon\n",
			check: func(t *testing.T, got []Entity) {
				e := find(got, "Yizhibo")
				if e == nil || !slices.Contains(e.Aliases, "Yizhibohave") {
					t.Errorf("got %v, want Yizhibo with alias Yizhibohave", names(got))
				}
				c := find(got, "China")
				if c == nil || !slices.Contains(c.Aliases, "Dragon") || len(c.Docs) != 2 || c.Type != Place {
					t.Errorf("got China %+v, want place with alias Dragon in 2 docs", c)
				}
				if find(got, "Dragon") != nil || find(got, "Yizhibohave") != nil {
					t.Errorf("got %v, want Dragon and Yizhibohave merged away", names(got))
				}
			},
		},
		{
			name: "force type",
			yaml: "entities:\n  - name: paipai\n    type: product\n  - name: Tencent\n    type: person\n",
			check: func(t *testing.T, got []Entity) {
				if e := find(got, "paipai"); e == nil || e.Type != Product {
					t.Errorf("got %v, want paipai/product (entry name becomes the canonical name)", names(got))
				}
				if e := find(got, "Tencent"); e == nil || e.Type != Person {
					t.Errorf("got %v, want Tencent/person", names(got))
				}
			},
		},
		{
			name: "hide",
			yaml: "entities:\n  - name: Dragon\n    hide: true\n",
			check: func(t *testing.T, got []Entity) {
				if find(got, "Dragon") != nil {
					t.Errorf("got %v, want Dragon hidden", names(got))
				}
				if find(got, "China") == nil {
					t.Errorf("got %v, want China kept", names(got))
				}
			},
		},
		{
			name: "add entity by exact phrase",
			yaml: "entities:\n  - name: New Retail\n    type: product\n  - name: Live Streaming Inc\n    aliases: [live-streaming]\n    type: org\n  - name: Nowhere Corp\n",
			check: func(t *testing.T, got []Entity) {
				e := find(got, "New Retail")
				if e == nil || e.Type != Product || !slices.Equal(e.Docs, []string{"d1"}) {
					t.Errorf("got %+v, want New Retail/product in [d1]", e)
				}
				if e := find(got, "Live Streaming Inc"); e == nil || !slices.Equal(e.Docs, []string{"d0"}) {
					t.Errorf("got %+v, want Live Streaming Inc found by its alias in [d0]", e)
				}
				if find(got, "Nowhere Corp") != nil {
					t.Errorf("got Nowhere Corp, want entries matching no text dropped")
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, extract(t, docsOf(bodies...), mustParse(t, tc.yaml)))
		})
	}
}

func TestOverrideErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"syntax error", "entities:\n  - name: A\n    type: [org\n", "test.yaml:3: did not find expected ',' or ']'"},
		{"bad indentation", "entities:\n  - name: A\n   type: org\n", "test.yaml:2: did not find expected '-' indicator"},
		{"scanner error", "entities:\n  - name: A\n    type: @org\n", "test.yaml:3: found character that cannot start any token"},
		{"unknown type", "entities:\n  - name: Alibaba\n\n    type: persn\n", `test.yaml:4: unknown type "persn" (want person, org, place, product, event)`},
		{"unknown entry key", "entities:\n  - name: Alibaba\n    alias: [Ali]\n", `test.yaml:3: unknown key "alias" (want name, type, aliases, hide)`},
		{"unknown top-level key", "entitys:\n  - name: Alibaba\n", `test.yaml:1: unknown key "entitys" (want entities)`},
		{"missing name", "entities:\n  - type: org\n", "test.yaml:2: entry has no name"},
		{"duplicate", "entities:\n  - name: WeChat\n  - name: Wechat\n", `test.yaml:3: duplicate entry "Wechat" (first at line 2)`},
		{"bad hide", "entities:\n  - name: X\n    hide: maybe\n", `test.yaml:3: hide: want true or false, got "maybe"`},
		{"not a list", "entities: Alibaba\n", "test.yaml:1: entities: want a list of entries"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseOverrides("test.yaml", []byte(tc.yaml))
			if err == nil || err.Error() != tc.want {
				t.Errorf("got error %v, want %q", err, tc.want)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		_, err := LoadOverrides(filepath.Join(t.TempDir(), "none.yaml"))
		if err == nil || !os.IsNotExist(unwrapAll(err)) {
			t.Errorf("got %v, want a wrapped not-exist error", err)
		}
	})
	t.Run("seed file loads", func(t *testing.T) {
		o, err := LoadOverrides(overridesPath)
		if err != nil || len(o.Entries) == 0 {
			t.Errorf("got %v, %v; want the seed overrides to load", o, err)
		}
	})
	t.Run("empty file", func(t *testing.T) {
		o := mustParse(t, "# nothing yet\n")
		if len(o.Entries) != 0 {
			t.Errorf("got %d entries, want 0", len(o.Entries))
		}
	})
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}
