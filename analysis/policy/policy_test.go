package policy

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/cdf-preflight/preflight/analysis/report"
)

func TestDefault(t *testing.T) {
	p := Default()
	if p.Gate.Threshold != "high" || p.GateThreshold() != report.High {
		t.Errorf("threshold = %q", p.Gate.Threshold)
	}
	if !reflect.DeepEqual(p.Network.AllowedHosts, []string{"*.cognitedata.com", "*.cognite.ai"}) {
		t.Errorf("allowed_hosts = %q", p.Network.AllowedHosts)
	}
	if len(p.Provenance.TrustedOwners) != 0 || p.Provenance.RequireToolkit {
		t.Errorf("provenance = %+v", p.Provenance)
	}
	if !p.SupplyChain.FlagUnpinned {
		t.Error("flag_unpinned is off by default")
	}
	want := Limits{MaxFiles: 2000, MaxTotalBytes: 64 << 20, MaxFileBytes: 10 << 20, MaxRatio: 200, MaxZipBytes: 50 << 20}
	if p.Limits != want {
		t.Errorf("limits = %+v, want %+v", p.Limits, want)
	}
	// Each call is a fresh copy.
	p.Network.AllowedHosts[0] = "evil.com"
	p.Rules["PF-X-001"] = RuleOverride{}
	if q := Default(); q.Network.AllowedHosts[0] != "*.cognitedata.com" || len(q.Rules) != 0 {
		t.Error("Default shares state between calls")
	}
	// Loading nothing gives the defaults.
	for _, doc := range []string{"", "# just a comment\n", "\n\n"} {
		got, err := Load("p.toml", []byte(doc))
		if err != nil || !reflect.DeepEqual(got, Default()) {
			t.Errorf("Load(%q) = %+v, %v; want the defaults", doc, got, err)
		}
	}
}

// TestDefaultTOMLDocumented: every setting in default.toml has a comment
// right above it.
func TestDefaultTOMLDocumented(t *testing.T) {
	lines := strings.Split(string(DefaultTOML()), "\n")
	n := 0
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, "[") {
			continue
		}
		n++
		if i == 0 || !strings.HasPrefix(strings.TrimSpace(lines[i-1]), "#") {
			t.Errorf("default.toml line %d %q has no comment above it", i+1, l)
		}
	}
	if n < 12 {
		t.Errorf("only %d settings in default.toml", n)
	}
}

func TestLoadMerge(t *testing.T) {
	yes, no := true, false
	for _, tc := range []struct {
		name, doc string
		check     func(p *Policy) bool
	}{
		{"threshold replaces", "[gate]\nthreshold = \"medium\"\n",
			func(p *Policy) bool { return p.GateThreshold() == report.Medium }},
		{"threshold any case", "gate.threshold = \"CRITICAL\"\n",
			func(p *Policy) bool { return p.Gate.Threshold == "critical" }},
		{"hosts extend", "[network]\nallowed_hosts = [\"API.Example.com\", \"*.cognite.ai\"]\n",
			func(p *Policy) bool {
				return reflect.DeepEqual(p.Network.AllowedHosts, []string{"*.cognitedata.com", "*.cognite.ai", "api.example.com"})
			}},
		{"owners extend", "provenance = { trusted_owners = [\"*@acme.com\"], require_toolkit = true }\n",
			func(p *Policy) bool {
				return reflect.DeepEqual(p.Provenance.TrustedOwners, []string{"*@acme.com"}) && p.Provenance.RequireToolkit
			}},
		{"flag_unpinned off", "[supply_chain]\nflag_unpinned = false\nextra_packages = [\"acme-tools\"]\n",
			func(p *Policy) bool {
				return !p.SupplyChain.FlagUnpinned && reflect.DeepEqual(p.SupplyChain.ExtraPackages, []string{"acme-tools"})
			}},
		{"flag_unpinned untouched", "[supply_chain]\nextra_packages = []\n",
			func(p *Policy) bool { return p.SupplyChain.FlagUnpinned }},
		{"limits replace one", "[limits]\nmax_files = 10\n",
			func(p *Policy) bool { return p.Limits.MaxFiles == 10 && p.Limits.MaxRatio == 200 }},
		{"limit zero kept", "[limits]\nmax_ratio = 0\n",
			func(p *Policy) bool { return p.Limits.MaxRatio == 0 && p.Limits.MaxFiles == 2000 }},
		{"rules", "[rules.pf-exec-001]\nenabled = false\n[rules.Network-Egress]\nseverity = \"Medium\"\n",
			func(p *Policy) bool {
				return reflect.DeepEqual(p.Rules, map[string]RuleOverride{
					"PF-EXEC-001": {Enabled: &no}, "network-egress": {Severity: "medium"},
				})
			}},
		{"rules inline", "rules = { \"PF-SUP-001\" = { enabled = true, severity = \"info\" } }\n",
			func(p *Policy) bool {
				return reflect.DeepEqual(p.Rules, map[string]RuleOverride{"PF-SUP-001": {Enabled: &yes, Severity: "info"}})
			}},
		{"secret rules", "[[secrets.rules]]\nid = \"acme\"\nregex = 'acme_([0-9a-f]{32})'\nsecret_group = 1\nentropy = 3.5\nkeywords = [\"acme_\"]\n[secrets]\nallowlist = ['^acme_0+$']\n",
			func(p *Policy) bool {
				return len(p.Secrets.Rules) == 1 && p.Secrets.Rules[0].SecretGroup == 1 && p.Secrets.Rules[0].Entropy == 3.5 &&
					reflect.DeepEqual(p.Secrets.Allowlist, []string{"^acme_0+$"})
			}},
	} {
		p, err := Load("p.toml", []byte(tc.doc))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !tc.check(p) {
			t.Errorf("%s: effective policy wrong:\n%s", tc.name, p.MarshalTOML())
		}
	}
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		want      []string // every error, in order
	}{
		{"bad threshold", "# my policy\n\n[gate]\nthreshold = \"hgih\"\n",
			[]string{`p.toml:4:13: threshold must be one of low, medium, high, critical — got "hgih"`}},
		{"info is no threshold", "gate.threshold = 'info'\n",
			[]string{`p.toml:1:18: threshold must be one of low, medium, high, critical — got "info"`}},
		{"unknown key", "[gate]\ntreshold = \"high\"\n",
			[]string{`p.toml:2:1: unknown setting "treshold" in [gate] — did you mean "threshold"?`}},
		{"unknown section", "[netwrok]\nallowed_hosts = []\n",
			[]string{`p.toml:1:2: unknown setting "netwrok" — did you mean "network"?`}},
		{"unknown far off", "[gate]\ncolour = 1\n",
			[]string{`p.toml:2:1: unknown setting "colour" in [gate] — known settings: threshold`}},
		{"wrong type", "[limits]\nmax_files = \"many\"\n",
			[]string{`p.toml:2:13: max_files must be a whole number, like 2000 — got text`}},
		{"list expected", "[network]\nallowed_hosts = \"x.com\"\n",
			[]string{`p.toml:2:17: allowed_hosts must be a list in brackets, like ["a", "b"] — got text`}},
		{"bool expected", "[rules.PF-EXEC-001]\nenabled = \"no\"\n",
			[]string{`p.toml:2:11: enabled must be true or false — got text`}},
		{"syntax", "[gate]\nthreshold = \n",
			[]string{`p.toml:2:13: TOML syntax: unexpected character U+000A at start of value`}},
		{"duplicate table", "[gate]\nthreshold = 'low'\n[gate]\n",
			[]string{`p.toml:3:2: gate is given twice (table gate already exists)`}},
		{"bad hosts", "[network]\nallowed_hosts = [\"ok.com\", \"bad host\",\n  \"*.x.*\", \"http://x.com\"]\n",
			[]string{
				`p.toml:2:28: "bad host" is not a host name or a pattern like "*.example.com"`,
				`p.toml:3:3: "*.x.*" is not a host name or a pattern like "*.example.com"`,
				`p.toml:3:12: "http://x.com" is not a host name or a pattern like "*.example.com"`,
			}},
		{"bad owner glob", "provenance.trusted_owners = ['[a@b.c']\n",
			[]string{`p.toml:1:30: owner pattern "[a@b.c": not a valid pattern (unbalanced [ or a trailing \)`}},
		{"bad rule key", "[rules.PF-EXEC-1]\nenabled = false\n[rules.exfil]\nseverity = 'low'\n",
			[]string{
				`p.toml:1:8: "PF-EXEC-1" is neither a rule id like "PF-EXEC-001" nor a category (` + categoryList() + `)`,
				`p.toml:3:8: "exfil" is neither a rule id like "PF-EXEC-001" nor a category (` + categoryList() + `)`,
			}},
		{"bad rule severity", "[rules.code-execution]\nseverity = \"severe\"\n",
			[]string{`p.toml:2:12: severity must be one of info, low, medium, high, critical — got "severe"`}},
		{"bad regex", "[[secrets.rules]]\nid = \"a\"\nregex = 'x(?<n'\n",
			[]string{"p.toml:3:9: regex of secret rule \"a\" does not compile: invalid named capture: `(?<n`"}},
		{"perl regex", "[secrets]\nallowlist = ['(?=x)']\n",
			[]string{"p.toml:2:14: allowlist regex \"(?=x)\" does not compile: invalid or unsupported Perl syntax: `(?=`"}},
		{"secret rule fields", "[[secrets.rules]]\nid = 'a'\nregex = 'a(b)'\nsecret_group = 2\nentropy = 9.5\nkeywords = ['']\n[[secrets.rules]]\nregex = 'x'\n",
			[]string{
				`p.toml:4:16: secret_group must be between 0 and 1 (the regex's groups) — got 2`,
				`p.toml:5:11: entropy must be between 0 and 8 (bits per character) — got 9.5`,
				`p.toml:6:13: a keyword cannot be empty`,
				`p.toml:7:11: a secret rule needs an id`,
			}},
		{"duplicate secret id", "secrets.rules = [{id = 'a', regex = 'x'}, {id = 'a', regex = 'y'}]\n",
			[]string{`p.toml:1:49: secret rule id "a" is used twice`}},
		{"negative limits", "[limits]\nmax_files = -1\nmax_zip_bytes = -5\n",
			[]string{
				`p.toml:2:13: max_files cannot be negative — got -1 (0 means the default)`,
				`p.toml:3:17: max_zip_bytes cannot be negative — got -5 (0 means the default)`,
			}},
		{"bad package", "[supply_chain]\nextra_packages = ['ok_pkg', '-bad']\n",
			[]string{`p.toml:2:29: "-bad" is not a Python package name`}},
		{"huge number", "[limits]\nmax_files = 99999999999999999999\n",
			[]string{`p.toml:2:13: max_files: the number is too large`}},
	} {
		p, err := Load("p.toml", []byte(tc.doc))
		if err == nil {
			t.Errorf("%s: no error; policy %+v", tc.name, p)
			continue
		}
		var list ErrorList
		if !errors.As(err, &list) {
			t.Errorf("%s: error %T is not an ErrorList", tc.name, err)
			continue
		}
		var got []string
		for _, e := range list {
			got = append(got, e.Error())
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got  %q\n want %q", tc.name, got, tc.want)
		}
		if err.Error() != strings.Join(got, "\n") {
			t.Errorf("%s: Error() = %q", tc.name, err.Error())
		}
	}
}

func TestErrorFriendly(t *testing.T) {
	_, err := Load("policy.toml", []byte("\n\n[gate]\nthreshold = \"hgih\"\n"))
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 1 {
		t.Fatalf("err = %v", err)
	}
	if got, want := list[0].Friendly(), `line 4, column 13: threshold must be one of low, medium, high, critical — got "hgih"`; got != want {
		t.Errorf("Friendly() = %q, want %q", got, want)
	}
	if list[0].Key != "gate.threshold" {
		t.Errorf("Key = %q", list[0].Key)
	}
}

func TestLoadTooBig(t *testing.T) {
	_, err := Load("big.toml", []byte(strings.Repeat("# x\n", MaxPolicyBytes/4+1)))
	if err == nil || !strings.HasPrefix(err.Error(), "big.toml:1:1: the policy is") {
		t.Errorf("err = %v", err)
	}
}

// TestMarshalRoundTrip: the effective policy printed by `policy check`
// loads back to the same policy.
func TestMarshalRoundTrip(t *testing.T) {
	for _, doc := range []string{
		"",
		"[gate]\nthreshold = 'low'\n[network]\nallowed_hosts = ['api.example.com', '*']\n[provenance]\ntrusted_owners = ['*@acme.com']\nrequire_toolkit = true\n" +
			"[rules.PF-EXEC-001]\nenabled = false\n[rules.supply-chain]\nseverity = 'info'\n" +
			"[[secrets.rules]]\nid = 'acme'\ndescription = \"ACME 'key'\"\nregex = '''acme_\\d{4}\"'''\nkeywords = ['acme']\nentropy = 2.5\n" +
			"[secrets]\nallowlist = ['^x$']\n[supply_chain]\nflag_unpinned = false\nallowed_indexes = ['https://pypi.acme.com/*']\n[limits]\nmax_files = 1\nmax_ratio = 0\n",
	} {
		p, err := Load("p.toml", []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		out := p.MarshalTOML()
		q, err := Load("effective.toml", out)
		if err != nil {
			t.Fatalf("effective policy does not load: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(p, q) {
			t.Errorf("round trip differs:\n%s\n---\n%s", out, q.MarshalTOML())
		}
	}
}

func TestHostAllowed(t *testing.T) {
	p, err := Load("p.toml", []byte("network.allowed_hosts = ['api.example.com', '*.acme.io', '10.0.0.1']\n"))
	if err != nil {
		t.Fatal(err)
	}
	for host, want := range map[string]bool{
		"api.example.com":              true,
		"API.Example.COM.":             true,
		"example.com":                  false,
		"x.api.example.com":            false,
		"data.acme.io":                 true,
		"a.b.acme.io":                  true,
		"acme.io":                      false,
		"evilacme.io":                  false,
		"acme.io.evil.com":             false,
		"10.0.0.1":                     true,
		"10.0.0.2":                     false,
		"westeurope-1.cognitedata.com": true, // CDF is always allowed
		"api.cognite.ai":               true,
		"cognitedata.com.evil.com":     false,
		"":                             false,
	} {
		if got := p.HostAllowed(host); got != want {
			t.Errorf("HostAllowed(%q) = %v, want %v", host, got, want)
		}
	}
	all, _ := Load("p.toml", []byte("network.allowed_hosts = ['*']\n"))
	if !all.HostAllowed("anything.example") {
		t.Error(`"*" does not allow every host`)
	}
}

func TestOwnerTrusted(t *testing.T) {
	p, err := Load("p.toml", []byte("provenance.trusted_owners = ['*@acme.com', 'ci-bot@partner.io']\n"))
	if err != nil {
		t.Fatal(err)
	}
	for owner, want := range map[string]bool{
		"alice@acme.com":      true,
		"Alice@ACME.com":      true,
		"alice@acme.com.evil": false,
		"alice@evil.com":      false,
		"ci-bot@partner.io":   true,
		"other@partner.io":    false,
		"":                    false,
	} {
		if got := p.OwnerTrusted(owner); got != want {
			t.Errorf("OwnerTrusted(%q) = %v, want %v", owner, got, want)
		}
	}
	if Default().OwnerTrusted("alice@acme.com") {
		t.Error("default policy trusts an owner")
	}
}

func TestRuleSeverity(t *testing.T) {
	p, err := Load("p.toml", []byte(`
[rules.code-execution]
severity = "medium"
[rules.PF-EXEC-002]
severity = "critical"
[rules.PF-EXEC-003]
enabled = false
[rules.supply-chain]
enabled = false
[rules.PF-SUP-009]
enabled = true
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		id      string
		cat     report.Category
		def     report.Severity
		want    report.Severity
		enabled bool
	}{
		{"PF-EXEC-001", report.CodeExecution, report.Critical, report.Medium, true}, // category severity
		{"PF-EXEC-002", report.CodeExecution, report.Low, report.Critical, true},    // rule id wins
		{"PF-EXEC-003", report.CodeExecution, report.High, report.Medium, false},    // disabled by id
		{"PF-SUP-001", report.SupplyChain, report.Low, report.Low, false},           // disabled by category
		{"PF-SUP-009", report.SupplyChain, report.Low, report.Low, true},            // re-enabled by id
		{"PF-EGR-001", report.NetworkEgress, report.High, report.High, true},        // untouched
		{"pf-exec-002", report.CodeExecution, report.Low, report.Critical, true},    // id case ignored
	} {
		sev, on := p.RuleSeverity(tc.id, tc.cat, tc.def)
		if sev != tc.want || on != tc.enabled {
			t.Errorf("RuleSeverity(%s, %s, %v) = %v, %v; want %v, %v", tc.id, tc.cat, tc.def, sev, on, tc.want, tc.enabled)
		}
	}
}
