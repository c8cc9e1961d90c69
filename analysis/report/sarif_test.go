package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sarifSchemaPath is the official SARIF 2.1.0 schema (rtm.5, the published
// 2.1.0 schema) as shipped by the npm package @microsoft/jest-sarif, a
// devDependency in the repository's package.json.
var sarifSchemaPath = filepath.Join("..", "..", "node_modules", "@microsoft", "jest-sarif", "lib", "schemas", "sarif-2.1.0-rtm.5.json")

func writeSARIF(t *testing.T, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSARIFSchema(t *testing.T) {
	f, err := os.Open(sarifSchemaPath)
	if err != nil {
		if os.Getenv("PREFLIGHT_REQUIRE_NODE_DEPS") == "1" {
			t.Fatalf("SARIF schema: %v (run npm ci at the repository root)", err)
		}
		t.Skipf("SARIF schema not installed (npm ci at the repository root): %v", err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	const url = "https://json.schemastore.org/sarif-2.1.0-rtm.5.json"
	c := jsonschema.NewCompiler()
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}

	empty := &Report{Tool: Tool{Name: "preflight", Version: "0.1.0"}, Risk: Risk{Level: RiskUnknown}}
	for name, r := range map[string]*Report{"sample": sampleReport(), "empty": empty, "no function": {}} {
		out := writeSARIF(t, r)
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(inst); err != nil {
			t.Errorf("%s: SARIF output is not valid SARIF 2.1.0: %v\n%s", name, err, out)
		}
	}

	// The schema check has teeth: a result without a message is rejected.
	bad := bytes.Replace(writeSARIF(t, sampleReport()), []byte(`"message": {`), []byte(`"messages": {`), 1)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(bad))
	if err != nil {
		t.Fatal(err)
	}
	if schema.Validate(inst) == nil {
		t.Error("the schema accepted a result without a message")
	}
}

func TestSARIFContent(t *testing.T) {
	out := writeSARIF(t, sampleReport())
	golden(t, "report.sarif", out)

	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name, Version, InformationURI string
					Rules                         []struct {
						ID                   string
						FullDescription      struct{ Text string }
						DefaultConfiguration struct{ Level string }
						Properties           struct{ Tags []string }
					}
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation *struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						}
						Region *struct {
							StartLine, StartColumn, EndLine, EndColumn int
							Snippet                                    struct{ Text string }
						}
					}
					LogicalLocations []struct{ Name, Kind string }
				}
				PartialFingerprints map[string]string
				Properties          struct{ Category, Severity, Confidence string }
			}
			Properties struct {
				Risk        Risk
				Permissions *Permissions
			}
		}
	}
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q, %d runs", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name != "preflight" || run.Tool.Driver.InformationURI == "" {
		t.Errorf("driver = %+v", run.Tool.Driver)
	}
	if len(run.Results) != 7 || len(run.Tool.Driver.Rules) != 7 {
		t.Fatalf("%d results, %d rules; want 7, 7", len(run.Results), len(run.Tool.Driver.Rules))
	}
	levels := map[string]string{}
	fps := map[string]bool{}
	for _, res := range run.Results {
		rule := run.Tool.Driver.Rules[res.RuleIndex]
		if rule.ID != res.RuleID {
			t.Errorf("result %s points at rule %s", res.RuleID, rule.ID)
		}
		if len(rule.Properties.Tags) == 0 || rule.Properties.Tags[len(rule.Properties.Tags)-1] != res.Properties.Category {
			t.Errorf("rule %s tags %v lack category %s", rule.ID, rule.Properties.Tags, res.Properties.Category)
		}
		levels[res.Properties.Severity] = res.Level
		fp := res.PartialFingerprints[fingerprintKey]
		if fp == "" || fps[fp] {
			t.Errorf("result %s: fingerprint %q missing or repeated", res.RuleID, fp)
		}
		fps[fp] = true
		if len(res.Locations) != 1 {
			t.Fatalf("result %s has %d locations", res.RuleID, len(res.Locations))
		}
		loc := res.Locations[0]
		switch res.RuleID {
		case "PF-META-001":
			if loc.PhysicalLocation != nil || len(loc.LogicalLocations) != 1 || loc.LogicalLocations[0].Name != "fn-x" {
				t.Errorf("metadata finding location = %+v", loc)
			}
		case "PF-EXEC-001":
			pl := loc.PhysicalLocation
			if pl == nil || pl.ArtifactLocation.URI != "handler.py" || pl.ArtifactLocation.URIBaseID != "%SRCROOT%" ||
				pl.Region == nil || pl.Region.StartLine != 14 || pl.Region.StartColumn != 5 ||
				pl.Region.EndColumn != 23 || pl.Region.Snippet.Text != `eval(data["expr"])` {
				t.Errorf("eval finding location = %+v %+v", pl, pl.Region)
			}
			if rule := run.Tool.Driver.Rules[res.RuleIndex]; rule.DefaultConfiguration.Level != "error" ||
				rule.FullDescription.Text != "Never evaluate call input; parse the values you expect." {
				t.Errorf("eval rule = %+v", rule)
			}
		}
	}
	wantLevels := map[string]string{"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
	if !equalMaps(levels, wantLevels) {
		t.Errorf("levels by severity = %v, want %v", levels, wantLevels)
	}
	if run.Properties.Risk.Score != 72 || run.Properties.Permissions == nil || run.Properties.Permissions.Level != "admin" {
		t.Errorf("run properties = %+v", run.Properties)
	}
}

// TestSARIFFingerprintStable: moving code down keeps fingerprints.
func TestSARIFFingerprintStable(t *testing.T) {
	a := sampleReport()
	b := sampleReport()
	for i := range b.Findings {
		if b.Findings[i].Line > 0 {
			b.Findings[i].Line += 10
			b.Findings[i].EndLine += 10
		}
	}
	fpsOf := func(r *Report) map[string]bool {
		var log struct {
			Runs []struct {
				Results []struct{ PartialFingerprints map[string]string }
			}
		}
		if err := json.Unmarshal(writeSARIF(t, r), &log); err != nil {
			t.Fatal(err)
		}
		m := map[string]bool{}
		for _, res := range log.Runs[0].Results {
			m[res.PartialFingerprints[fingerprintKey]] = true
		}
		return m
	}
	if fa, fb := fpsOf(a), fpsOf(b); !equalMaps(fa, fb) {
		t.Errorf("fingerprints changed when lines moved:\n%v\n%v", fa, fb)
	}
}

func TestEscapeURIPath(t *testing.T) {
	for in, want := range map[string]string{
		"handler.py":         "handler.py",
		"src/my module/a.py": "src/my%20module/a.py",
		"c:/x.py":            "c%3A/x.py",
		"ü.py":               "%C3%BC.py",
		"a#b?.py":            "a%23b%3F.py",
		"100%.py":            "100%25.py",
	} {
		if got := escapeURIPath(in); got != want {
			t.Errorf("escapeURIPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func equalMaps[K comparable, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
