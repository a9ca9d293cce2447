package entity

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/quarry-search/quarry/internal/doc"
)

// docsOf builds documents d0, d1, ... from bodies.
func docsOf(bodies ...string) []doc.Document {
	out := make([]doc.Document, len(bodies))
	for i, b := range bodies {
		out[i] = doc.Document{ID: fmt.Sprintf("d%d", i), Body: b}
	}
	return out
}

func extract(t *testing.T, docs []doc.Document, ov *Overrides) []Entity {
	t.Helper()
	got, err := Extract(docs, Options{Overrides: ov})
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	return got
}

// find returns the entity whose name equals name, or nil.
func find(es []Entity, name string) *Entity {
	for i := range es {
		if es[i].Name == name {
			return &es[i]
		}
	}
	return nil
}

func names(es []Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Name + "/" + string(e.Type)
	}
	return out
}

func TestAliasMerging(t *testing.T) {
	tests := []struct {
		name        string
		bodies      []string
		wantName    string
		wantType    Type
		wantAliases []string // must all be aliases
		notNames    []string // must not be separate entities
		wantDocs    int
	}{
		{
			name: "surname and wrong first name join the full name",
			bodies: []string{"Zuckerberg announced a wallet. Facebook's founder Zack Zuckerberg spoke.\n" +
				"Later Mark Zuckerberg gave a keynote. Mark Zuckerberg said more.\nZack Zuckerberg agreed."},
			wantName: "Mark Zuckerberg", wantType: Person,
			wantAliases: []string{"Zack Zuckerberg", "Zuckerberg"}, notNames: []string{"Zuckerberg", "Zack Zuckerberg"}, wantDocs: 1,
		},
		{
			name:     "surname-only mention in another document joins the corpus full name",
			bodies:   []string{"Technology analyst Richard Windsor of Radio Free Mobile spoke.", "This is happening, said Windsor."},
			wantName: "Richard Windsor", wantType: Person, wantAliases: []string{"Windsor"}, notNames: []string{"Windsor"}, wantDocs: 2,
		},
		{
			name:     "US abbreviations",
			bodies:   []string{"Retailers in the U.S. and the US like it.", "Merchants in the U.S are wary."},
			wantName: "United States", wantType: Place, wantAliases: []string{"U.S.", "US", "U.S"}, notNames: []string{"US", "U.S."}, wantDocs: 2,
		},
		{
			name: "legal suffixes and possessives",
			bodies: []string{"Alibaba Group Holdings launched it. Alibaba Group’s expansion was slow.",
				"The shares of Alibaba rose while Alibaba's rivals fell. Alibaba Group announced more."},
			wantName: "Alibaba", wantType: Org, wantAliases: []string{"Alibaba Group", "Alibaba Group Holdings"},
			notNames: []string{"Alibaba Group", "Alibaba Group's", "Alibaba's"}, wantDocs: 2,
		},
		{
			name:     "case variants",
			bodies:   []string{"Users pay with Alipay and the WeChat app.", "Shoppers use AliPay and Alipay here."},
			wantName: "Alipay", wantAliases: []string{"AliPay"}, notNames: []string{"AliPay"}, wantDocs: 2, // majority spelling
		},
		{
			name:     "case variants keep the majority spelling",
			bodies:   []string{"Users open the WeChat app.", "Users open the WeChat app.", "Shoppers love the Wechat app."},
			wantName: "WeChat", wantType: Product, wantAliases: []string{"Wechat"}, notNames: []string{"Wechat"}, wantDocs: 3,
		},
		{
			name:     "acronym in parentheses",
			bodies:   []string{"Earlier, the Chinese Consumers’ Association (CCA) released a report. The CCA said more."},
			wantName: "Chinese Consumers' Association", wantType: Org, wantAliases: []string{"CCA"}, notNames: []string{"CCA"}, wantDocs: 1,
		},
		{
			name:     "short form of a descriptor name",
			bodies:   []string{"It invested in Irish startup Showtime Analytics last year. Yueke and Showtime are planning more."},
			wantName: "Showtime Analytics", wantType: Org, wantAliases: []string{"Showtime"}, notNames: []string{"Showtime"}, wantDocs: 1,
		},
		{
			name:     "country nicknames",
			bodies:   []string{"But the Middle Kingdom was ahead. The People’s Republic is leading and the PRC exports."},
			wantName: "China", wantType: Place, wantAliases: []string{"Middle Kingdom", "People's Republic", "PRC"},
			notNames: []string{"Republic", "People"}, wantDocs: 1,
		},
		{
			name:     "relatives named together are not merged",
			bodies:   []string{"Yesterday Bill Clinton and Hillary Clinton met voters.\nLater Bill Clinton spoke again."},
			wantName: "Bill Clinton", wantType: Person, notNames: []string{"Clinton"}, wantDocs: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := extract(t, docsOf(tc.bodies...), nil)
			e := find(got, tc.wantName)
			if e == nil {
				t.Fatalf("got entities %v, want one named %q", names(got), tc.wantName)
			}
			if tc.wantType != "" && e.Type != tc.wantType {
				t.Errorf("got type %s for %q, want %s", e.Type, e.Name, tc.wantType)
			}
			for _, a := range tc.wantAliases {
				if !slices.Contains(e.Aliases, a) {
					t.Errorf("got aliases %q for %q, want them to include %q", e.Aliases, e.Name, a)
				}
			}
			for _, n := range tc.notNames {
				if find(got, n) != nil {
					t.Errorf("got separate entity %q, want it merged (entities %v)", n, names(got))
				}
			}
			if len(e.Docs) != tc.wantDocs {
				t.Errorf("got docs %v for %q, want %d", e.Docs, e.Name, tc.wantDocs)
			}
		})
	}
	t.Run("relatives stay two people", func(t *testing.T) {
		got := extract(t, docsOf("Yesterday Bill Clinton and Hillary Clinton met voters."), nil)
		if find(got, "Hillary Clinton") == nil || find(got, "Bill Clinton") == nil {
			t.Errorf("got %v, want both Bill Clinton and Hillary Clinton", names(got))
		}
	})
}

func TestJunkRejection(t *testing.T) {
	tests := []struct {
		name    string
		docs    []doc.Document
		reject  []string // must not be entity names
		require []string // must still be found
	}{
		{
			name: "sentence-initial ordinary words",
			docs: docsOf("True, there was a fling with Tencent. Things took a turn for the worse.\n" +
				"Today, giants like Facebook copy it.\nPartners! Partners everywhere!"),
			reject:  []string{"True", "Things", "Today", "Partners"},
			require: []string{"Tencent", "Facebook"},
		},
		{
			name:    "nationality and regional adjectives",
			docs:    docsOf("Chinese companies and Western firms compete in Asian markets with American rivals like Google."),
			reject:  []string{"Chinese", "Western", "Asian", "American"},
			require: []string{"Google"},
		},
		{
			name:    "months and weekdays",
			docs:    docsOf("In April 2018 Huawei said on Monday that sales rose before Nov. 11 and by September."),
			reject:  []string{"April", "Monday", "Nov.", "Nov", "September", "April 2018"},
			require: []string{"Huawei"},
		},
		{
			name: "headline fragments",
			docs: []doc.Document{{ID: "d0", Title: "Is WhatsApp Copying WeChat with its New E-Wallet?",
				Body: "Zuckerberg said WhatsApp will copy the payment features of WeChat."}},
			reject:  []string{"WhatsApp Copying WeChat", "New E-Wallet", "Copying", "E-Wallet", "Is WhatsApp Copying WeChat"},
			require: []string{"WhatsApp", "WeChat"},
		},
		{
			name:    "numbers, dates, money and acronyms of ordinary words",
			docs:    docsOf("On 12 September 2016 it paid $586 million in RMB for an artificial intelligence (AI) platform used by 30,000 Thai SMBs at Lazada."),
			reject:  []string{"12 September 2016", "September 2016", "586", "RMB", "AI", "SMBs", "Thai SMBs", "Thai"},
			require: []string{"Lazada"},
		},
		{
			name:   "blog boilerplate",
			docs:   docsOf("Leave a Reply\nPlease log in using one of these methods to post your comment: Logo\nYou are commenting using your account. Log Out /  Change )\nConnecting to %s"),
			reject: []string{"Leave", "Reply", "Logo", "Log Out", "Change", "Connecting", "Please"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := extract(t, tc.docs, nil)
			for _, r := range tc.reject {
				if e := find(got, r); e != nil {
					t.Errorf("got junk entity %q (%s), want it rejected; all: %v", r, e.Type, names(got))
				}
			}
			for _, r := range tc.require {
				if find(got, r) == nil {
					t.Errorf("got %v, want %q found", names(got), r)
				}
			}
		})
	}
}

func TestBylineSplitting(t *testing.T) {
	tests := []struct {
		name   string
		line   string
		person string // "" = none expected
		org    string
	}{
		{"author and source", "By Adam Skuse Source:Global Times Published: 2013-9-26 22:23:01", "Adam Skuse", "Global Times"},
		{"spaced labels", "By Jane Doe Source: South China Morning Post Published: 2020-01-02", "Jane Doe", "South China Morning Post"},
		{"author only", "By Jane Doe", "Jane Doe", ""},
		{"agency byline", "By Reuters", "", "Reuters"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := extract(t, docsOf("Headline here\n"+tc.line+"\nThe market moved."), nil)
			for _, e := range got {
				if strings.Contains(e.Name, "Published") || strings.Contains(e.Name, "Source") {
					t.Errorf("got byline fragment %q, want it split", e.Name)
				}
			}
			if tc.person != "" {
				if e := find(got, tc.person); e == nil || e.Type != Person {
					t.Errorf("got %v, want person %q", names(got), tc.person)
				}
			}
			if tc.org != "" {
				if e := find(got, tc.org); e == nil || e.Type != Org {
					t.Errorf("got %v, want org %q", names(got), tc.org)
				}
			}
		})
	}
}

func TestDeterminism(t *testing.T) {
	docs := loadSeeds(t)
	a, err := json.Marshal(extract(t, docs, nil))
	if err != nil {
		t.Fatal(err)
	}
	for run := 0; run < 3; run++ {
		b, _ := json.Marshal(extract(t, docs, nil))
		if string(a) != string(b) {
			t.Fatalf("run %d: got different output for the same input", run+2)
		}
	}
	shuffled := slices.Clone(docs)
	rand.New(rand.NewSource(1)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	c, _ := json.Marshal(extract(t, shuffled, nil))
	if string(a) != string(c) {
		t.Errorf("got different output when documents are reordered:\n%s\nwant\n%s", c, a)
	}
}

func TestExtractErrors(t *testing.T) {
	tests := []struct {
		name string
		docs []doc.Document
		want string
	}{
		{"empty id", []doc.Document{{Body: "Alibaba"}}, "entity: document 0 has an empty id"},
		{"duplicate id", []doc.Document{{ID: "a", Body: "x"}, {ID: "a", Body: "y"}}, `entity: duplicate document id "a"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Extract(tc.docs, Options{})
			if err == nil || err.Error() != tc.want {
				t.Errorf("got error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestEvaluate(t *testing.T) {
	pred := []Entity{
		{Name: "United States", Type: Place, Aliases: []string{"US"}, Docs: []string{"a", "b"}},
		{Name: "alibaba", Type: Product, Docs: []string{"a"}},
		{Name: "Dragon", Type: Org, Docs: []string{"a"}},
		{Name: "Windsor", Type: Place, Docs: []string{"a"}},
		{Name: "Elsewhere", Type: Org, Docs: []string{"zzz"}}, // document not in gold: ignored
	}
	gold := map[string][]GoldEntity{
		"a": {{"US", Place}, {"Alibaba", Org}, {"Windsor", Person}, {"Taobao", Product}},
		"b": {{"United States", Place}},
	}
	s := Evaluate(pred, gold)
	if s.Matched != 4 || s.Predicted != 5 || s.Gold != 5 || s.TypeOK != 3 {
		t.Errorf("got %+v, want matched 4, predicted 5, gold 5, type ok 3", s)
	}
	if len(s.Spurious) != 1 || s.Spurious[0].Name != "Dragon" {
		t.Errorf("got spurious %v, want [Dragon]", s.Spurious)
	}
	if len(s.Missed) != 1 || s.Missed[0].Name != "Taobao" {
		t.Errorf("got missed %v, want [Taobao]", s.Missed)
	}
	if len(s.Mistyped) != 1 || s.Mistyped[0].Name != "Windsor" {
		t.Errorf("got mistyped %v, want [Windsor]", s.Mistyped)
	}
}

// TestGeneralText checks text unlike the seed corpus (politics, tech,
// health) for names, types and junk.
func TestGeneralText(t *testing.T) {
	got := extract(t, docsOf(
		"Angela Merkel met Emmanuel Macron in Berlin on Tuesday. The German chancellor said the European Union must act. Siemens and Volkswagen shares rose 3% on the Frankfurt Stock Exchange. Later, Merkel flew to Brussels.",
		"Apple unveiled the iPhone 15 at its Cupertino headquarters, while Microsoft's Satya Nadella praised OpenAI. According to Bloomberg, the Federal Reserve held rates. Dr. Jane Goodall spoke at the University of Oxford.",
		"Lagos-based fintech startup Paystack was acquired by Stripe Inc. for $200 million. Its founder Shola Akinlade said the Nigerian market is growing. In March, the World Health Organization (WHO) warned about malaria in Kenya.",
	), nil)
	want := []struct {
		name  string
		typ   Type
		alias string
	}{
		{"Angela Merkel", Person, "Merkel"}, {"Emmanuel Macron", Person, ""}, {"Satya Nadella", Person, ""},
		{"Jane Goodall", Person, ""}, {"Shola Akinlade", Person, ""}, {"Berlin", Place, ""}, {"Lagos", Place, ""},
		{"Kenya", Place, ""}, {"Brussels", Place, ""}, {"Siemens", Org, ""}, {"Volkswagen", Org, ""},
		{"Frankfurt Stock Exchange", Org, ""}, {"Federal Reserve", Org, ""}, {"University of Oxford", Org, ""},
		{"World Health Organization", Org, "WHO"}, {"Stripe", Org, "Stripe Inc."}, {"Paystack", Org, ""},
		{"Bloomberg", Org, ""}, {"Apple", Org, ""}, {"Microsoft", Org, ""},
	}
	for _, w := range want {
		e := find(got, w.name)
		switch {
		case e == nil:
			t.Errorf("got %v, want %s (%s)", names(got), w.name, w.typ)
		case e.Type != w.typ:
			t.Errorf("got %s for %q, want %s", e.Type, w.name, w.typ)
		case w.alias != "" && !slices.Contains(e.Aliases, w.alias):
			t.Errorf("got aliases %q for %q, want %q among them", e.Aliases, w.name, w.alias)
		}
	}
	for _, junk := range []string{"Tuesday", "German", "March", "Nigerian", "Later", "Merkel", "Its", "Dr. Jane Goodall"} {
		if find(got, junk) != nil {
			t.Errorf("got junk entity %q; all: %v", junk, names(got))
		}
	}
}
