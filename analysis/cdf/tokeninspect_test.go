package cdf

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// tokenSample is one entry of testdata/tokens/expect.toml.
type tokenSample struct {
	File    string   `toml:"file"`
	Project string   `toml:"project"`
	Level   Level    `toml:"level"`
	CanCall bool     `toml:"can_call"`
	Reasons []string `toml:"reasons"`
	Notes   []string `toml:"notes"`
}

const tokensDir = "../../testdata/tokens"

func loadTokenSamples(t *testing.T) []tokenSample {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(tokensDir, "expect.toml"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Sample []tokenSample `toml:"sample"`
	}
	if err := toml.NewDecoder(strings.NewReader(string(data))).DisallowUnknownFields().Decode(&f); err != nil {
		t.Fatalf("expect.toml: %v", err)
	}
	return f.Sample
}

// TestTokenSamples: every sample gets its expected level, reasons (exact
// sentences), call verdict and notes; every sample file is listed.
func TestTokenSamples(t *testing.T) {
	samples := loadTokenSamples(t)
	if len(samples) < 15 {
		t.Fatalf("%d samples; want at least 15", len(samples))
	}
	listed := map[string]bool{}
	for _, s := range samples {
		listed[s.File] = true
		t.Run(strings.TrimSuffix(s.File, ".json")+"@"+s.Project, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(tokensDir, s.File))
			if err != nil {
				t.Fatal(err)
			}
			ti, err := ParseTokenInspect(data)
			if err != nil {
				t.Fatalf("ParseTokenInspect: %v", err)
			}
			got := AssessToken(ti, s.Project, nil)
			if got.Level != s.Level {
				t.Errorf("level = %s, want %s (reasons %q)", got.Level, s.Level, got.Reasons)
			}
			if got.CanCall != s.CanCall {
				t.Errorf("canCall = %v, want %v (%s)", got.CanCall, s.CanCall, got.Call)
			}
			if !slices.Equal(got.Reasons, s.Reasons) {
				t.Errorf("reasons:\n got %q\nwant %q", got.Reasons, s.Reasons)
			}
			if !slices.Equal(got.Notes, s.Notes) {
				t.Errorf("notes:\n got %q\nwant %q", got.Notes, s.Notes)
			}
			for _, r := range got.Reasons {
				if !strings.HasPrefix(r, string(got.Level)+": ") {
					t.Errorf("reason %q does not start with the level", r)
				}
			}
			if got.Explanation == "" || got.Capabilities == nil {
				t.Errorf("explanation %q, capabilities %v: want both", got.Explanation, got.Capabilities)
			}
		})
	}
	files, _ := filepath.Glob(filepath.Join(tokensDir, "*.json"))
	for _, f := range files {
		if !listed[filepath.Base(f)] {
			t.Errorf("%s has no expectation in expect.toml", filepath.Base(f))
		}
	}
}

func TestParseTokenInspectShape(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(tokensDir, "case-variants.json"))
	if err != nil {
		t.Fatal(err)
	}
	ti, err := ParseTokenInspect(data)
	if err != nil {
		t.Fatal(err)
	}
	if ti.Subject != "svc-etl@acme.com" || len(ti.Projects) != 1 || ti.Projects[0].URLName != "acme-prod" || !slices.Equal(ti.Projects[0].Groups, []int64{301}) {
		t.Errorf("subject/projects = %q %+v", ti.Subject, ti.Projects)
	}
	g := ti.Capabilities[0]
	if g.ACL != "extractionPipelinesAcl" || !g.Known || !slices.Equal(g.Actions, []string{"READ", "WRITE"}) ||
		g.Scope.Kind != ScopeID || !slices.Equal(g.Scope.IDs, []int64{3, 4}) || g.AllProjects || !slices.Equal(g.Projects, []string{"ACME-PROD"}) {
		t.Errorf("capability 0 = %+v", g)
	}
	if k := ti.Capabilities[1].Scope.Kind; k != ScopeExtractionPipeline {
		t.Errorf("extractionpipelinescope parsed as %q", k)
	}
	if a := ti.ForProject("acme-prod"); !a.Member || len(a.Grants) != 5 {
		t.Errorf("ForProject(acme-prod): member %v, %d grants; want member, 5", a.Member, len(a.Grants))
	}
	if a := ti.ForProject("acme-dev"); a.Member || len(a.Grants) != 4 {
		t.Errorf("ForProject(acme-dev): member %v, %d grants; want not a member, 4 (allProjects)", a.Member, len(a.Grants))
	}
}

func TestParseTokenInspectErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{``, "empty input"},
		{`null`, "expected an object"},
		{`[]`, "offset"},
		{`{"a":1} x`, "data after"},
		{`{"subject":"x"}`, "not a token-inspect response"},
		{`{"capabilities":{}}`, "capabilities: expected a list, got an object"},
		{`{"capabilities":[1]}`, "capabilities[0]: expected an object, got a number"},
		{`{"capabilities":[{"assetsAcl":{"actions":"READ","scope":{"all":{}}}}]}`, "capabilities[0].assetsAcl.actions: expected a list, got a string"},
		{`{"capabilities":[{"assetsAcl":{"actions":[1],"scope":{"all":{}}}}]}`, "capabilities[0].assetsAcl.actions[0]: expected a string, got a number"},
		{`{"capabilities":[{"assetsAcl":{"actions":["READ"]}}]}`, "capabilities[0].assetsAcl: no scope"},
		{`{"capabilities":[{"assetsAcl":{"actions":["READ"],"scope":{}}}]}`, "capabilities[0].assetsAcl.scope: empty scope"},
		{`{"capabilities":[{"assetsAcl":{"actions":["READ"],"scope":{"all":{},"datasetScope":{"ids":[1]}}}}]}`, "2 scope kinds"},
		{`{"capabilities":[{"assetsAcl":{"actions":["READ"],"scope":{"datasetScope":{"ids":["x"]}}}}]}`, "capabilities[0].assetsAcl.scope.datasetScope.ids[0]: expected an integer id"},
		{`{"capabilities":[{"assetsAcl":{"actions":["READ"],"scope":{"datasetScope":{"ids":[1.5]}}}}]}`, "ids[0]: expected an integer id"},
		{`{"capabilities":[{"rawAcl":{"actions":["READ"],"scope":{"tableScope":{"dbsToTables":{"db":{"tables":[3]}}}}}}]}`, "dbsToTables.db.tables[0]: expected a string"},
		{`{"capabilities":[{"assetsAcl":{"actions":["READ"],"scope":{"all":{}}},"projectScope":{"projects":"p"}}]}`, "capabilities[0].projectScope.projects: expected a list"},
		{`{"projects":[{"projectUrlName":1}]}`, "projects[0].projectUrlName: expected a string"},
		{`{"projects":[{"groups":[true]}]}`, "projects[0].groups[0]: expected an integer id"},
		{`{"subject":5,"capabilities":[]}`, "subject: expected a string"},
	} {
		_, err := ParseTokenInspect([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseTokenInspect(%s) error = %v; want it to contain %q", tc.in, err, tc.want)
		}
	}
}

func TestParseTokenInspectLimits(t *testing.T) {
	big := make([]byte, MaxTokenInspectBytes+1)
	if _, err := ParseTokenInspect(big); err == nil || !strings.Contains(err.Error(), "most accepted") {
		t.Errorf("oversized input: %v", err)
	}
	var b strings.Builder
	b.WriteString(`{"capabilities":[`)
	for i := 0; i < 3; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"assetsAcl":{"actions":["READ"],"scope":{"datasetScope":{"ids":[`)
		for j := 0; j < 40000; j++ {
			if j > 0 {
				b.WriteString(",")
			}
			b.WriteString("1")
		}
		b.WriteString(`]}}}}`)
	}
	b.WriteString(`]}`)
	if _, err := ParseTokenInspect([]byte(b.String())); err == nil || !strings.Contains(err.Error(), "scope items") {
		t.Errorf("120000 ids: %v; want a scope-items limit error", err)
	}
}

// TestParseTokenInspectTolerance: what real responses vary in is accepted.
func TestParseTokenInspectTolerance(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		grants   int
	}{
		{"unknown fields", `{"subject":"s","extra":{"x":1},"capabilities":[{"assetsAcl":{"actions":["READ"],"scope":{"all":{}},"other":1},"projectScope":{"allProjects":{}},"note":"x"}]}`, 1},
		{"null lists", `{"subject":null,"projects":null,"capabilities":null}`, 0},
		{"no projectScope applies everywhere", `{"capabilities":[{"assetsAcl":{"actions":["READ"],"scope":{"all":null}}}]}`, 1},
		{"groups API projectUrlNames", `{"capabilities":[{"assetsAcl":{"actions":["READ"],"scope":{"all":{}}},"projectUrlNames":{"urlNames":["p"]}}]}`, 1},
		{"unknown project scope grants nothing", `{"capabilities":[{"assetsAcl":{"actions":["READ"],"scope":{"all":{}}},"projectScope":{"organization":{}}}]}`, 0},
		{"two ACL keys in one entry", `{"capabilities":[{"assetsAcl":{"actions":["READ"],"scope":{"all":{}}},"eventsAcl":{"actions":["READ"],"scope":{"all":{}}}}]}`, 2},
		{"unknown scope kind with odd payload", `{"capabilities":[{"newAcl":{"actions":["READ"],"scope":{"fancyScope":{"flag":true,"tags":["a"]}}}}]}`, 1},
		{"ids as strings", `{"capabilities":[{"assetsAcl":{"actions":["READ"],"scope":{"datasetScope":{"ids":["12"]}}}}]}`, 1},
		{"raw db as list", `{"capabilities":[{"rawAcl":{"actions":["READ"],"scope":{"tableScope":{"dbsToTables":{"db":["t"],"db2":null}}}}}]}`, 1},
	} {
		ti, err := ParseTokenInspect([]byte(tc.in))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if n := len(ti.ForProject("p").Grants); n != tc.grants {
			t.Errorf("%s: %d grants apply to p; want %d", tc.name, n, tc.grants)
		}
	}
}

// TestParseTokenInspectControlCharacters: names from the token reach
// terminals and pages; control characters never do.
func TestParseTokenInspectControlCharacters(t *testing.T) {
	ti, err := ParseTokenInspect([]byte(`{"capabilities":[{"evil\u001b[2JAcl":{"actions":["WR\u0007ITE"],"scope":{"all":{}}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	as := AssessToken(ti, "p", nil)
	for _, r := range as.Reasons {
		if strings.ContainsAny(r, "\x1b\x07") {
			t.Errorf("reason %q holds control characters", r)
		}
	}
	if as.Level != LevelStandard || as.Capabilities[0].ACL != "evil[2JAcl" || as.Capabilities[0].Action != "WRITE" {
		t.Errorf("%s %+v", as.Level, as.Capabilities)
	}
}
