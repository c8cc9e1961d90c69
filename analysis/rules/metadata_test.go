package rules

import (
	"sort"
	"strings"
	"testing"

	"github.com/cdf-preflight/preflight/analysis/cdf"
	"github.com/cdf-preflight/preflight/analysis/policy"
	"github.com/cdf-preflight/preflight/analysis/report"
)

func ruleList(res Result) []string {
	var got []string
	for _, f := range res.Findings {
		got = append(got, string(f.RuleID)+" "+string(f.Category)+" "+severityName(f.Severity))
	}
	sort.Strings(got)
	return got
}

func TestMetadataCases(t *testing.T) {
	wantSuite{fam: Metadata, dir: "testdata/metadata", exact: true}.run(t)
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
