package rules

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cdf-preflight/preflight/analysis/cdf"
	"github.com/cdf-preflight/preflight/analysis/policy"
	"github.com/cdf-preflight/preflight/analysis/report"
	"github.com/cdf-preflight/preflight/analysis/secrets"
)

// readWantList reads an expectations file: one "rule category severity" a
// line, "#" comments.
func readWantList(t *testing.T, file string) []string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var wants []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			wants = append(wants, strings.Join(strings.Fields(l), " "))
		}
	}
	sort.Strings(wants)
	return wants
}

func ruleList(res Result) []string {
	var got []string
	for _, f := range res.Findings {
		got = append(got, string(f.RuleID)+" "+string(f.Category)+" "+severityName(f.Severity))
	}
	sort.Strings(got)
	return got
}

// noSecretsInClear fails when a recorded secret appears in any text of a finding.
func noSecretsInClear(t *testing.T, res Result) {
	t.Helper()
	for _, f := range res.Findings {
		for _, s := range res.Sensitive {
			for _, text := range []string{f.Title, f.Message, f.Evidence, f.Remediation} {
				if len(s) >= 5 && strings.Contains(text, s) {
					t.Errorf("%s: secret %s in clear in %q", f.RuleID, secrets.Redact(s), text)
				}
			}
		}
	}
}

func TestMetadataCases(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("testdata", "metadata", "*"))
	if len(dirs) == 0 {
		t.Fatal("no cases")
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, "function.json"))
			if err != nil {
				t.Fatal(err)
			}
			fn, err := cdf.ParseFunction(data)
			if err != nil {
				t.Fatal(err)
			}
			res := runFamilyOn(t, Metadata, nil, fn, nil)
			got, want := ruleList(res), readWantList(t, filepath.Join(dir, "want.txt"))
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("got:\n  %s\nwant:\n  %s\n%s", strings.Join(got, "\n  "), strings.Join(want, "\n  "), describe(res))
			}
			noSecretsInClear(t, res)
		})
	}
}

func TestMetadataMessages(t *testing.T) {
	fn := &cdf.Function{
		Owner:    "ops@acme.com",
		EnvVars:  map[string]string{"DB_PASSWORD": "hunter2!", "ERP_TOKEN": "tsnBYLMPuDCCRnGEY59YVkQfsGQONvf0"},
		Metadata: map[string]string{"cognite-toolkit-hash": "/=a6372056"},
	}
	res := runFamilyOn(t, Metadata, nil, fn, nil)
	var env *report.Finding
	for i := range res.Findings {
		if res.Findings[i].RuleID == ruleEnvVarSecret {
			env = &res.Findings[i]
		}
	}
	if env == nil {
		t.Fatalf("no env var finding\n%s", describe(res))
	}
	for _, want := range []string{"env var DB_PASSWORD holds a secret in plain text (hunt…)", "env var ERP_TOKEN", "functions:read", "function secrets"} {
		if !strings.Contains(env.Message, want) {
			t.Errorf("message %q lacks %q", env.Message, want)
		}
	}
	if env.Severity != report.High || env.File != "function.json" || env.Line != 0 {
		t.Errorf("finding %+v", *env)
	}
	noSecretsInClear(t, res)
}

func TestProvenancePolicy(t *testing.T) {
	toolkit := map[string]string{"cognite-toolkit-hash": "/=a6372056"}
	for _, c := range []struct {
		name  string
		fn    *cdf.Function
		prov  policy.Provenance
		want  []string
		inMsg string
	}{
		{"no metadata", nil, policy.Provenance{RequireToolkit: true}, nil, ""},
		{"require toolkit", &cdf.Function{Owner: "a@acme.com"}, policy.Provenance{RequireToolkit: true},
			[]string{"PF-PROV-002 provenance medium"}, "requires functions to be deployed by Cognite Toolkit"},
		{"trusted owner", &cdf.Function{Owner: "Data-Eng@ACME.com", Metadata: toolkit}, policy.Provenance{TrustedOwners: []string{"*@acme.com"}},
			[]string{"PF-PROV-001 provenance info"}, "cognite-toolkit-hash"},
		{"untrusted owner", &cdf.Function{Owner: "mallory@evil.example", Metadata: toolkit}, policy.Provenance{TrustedOwners: []string{"*@acme.com", "["}},
			[]string{"PF-PROV-001 provenance info", "PF-PROV-004 provenance medium"}, "mallory@evil.example is not in your trusted owners"},
		{"no owner, trusted list", &cdf.Function{Metadata: toolkit}, policy.Provenance{TrustedOwners: []string{"*@acme.com"}},
			[]string{"PF-PROV-001 provenance info", "PF-PROV-003 provenance medium"}, "no owner"},
		{"old toolkit key", &cdf.Function{Owner: "x", Metadata: map[string]string{"cdf-toolkit-function-hash": "ab12"}}, policy.Provenance{},
			[]string{"PF-PROV-001 provenance info"}, ""},
		{"hostile owner", &cdf.Function{Owner: "evil\u202e\nmoc.emca@" + strings.Repeat("x", 5000), Metadata: toolkit}, policy.Provenance{TrustedOwners: []string{"*@acme.com"}},
			[]string{"PF-PROV-001 provenance info", "PF-PROV-004 provenance medium"}, "evilmoc.emca@xxx"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := runFamilyOn(t, Metadata, nil, c.fn, &policy.Policy{Provenance: c.prov})
			got := ruleList(res)
			sort.Strings(c.want)
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("got %v, want %v\n%s", got, c.want, describe(res))
			}
			all := describe(res)
			if c.inMsg != "" && !strings.Contains(all, c.inMsg) {
				t.Errorf("no %q in\n%s", c.inMsg, all)
			}
			for _, f := range res.Findings {
				if len(f.Message) > 400 || strings.ContainsAny(f.Message, "\n\u202e") {
					t.Errorf("message not plain or too long: %q", f.Message)
				}
			}
		})
	}
}
