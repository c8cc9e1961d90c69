package rules

import (
	"testing"

	"github.com/cdf-preflight/preflight/analysis/policy"
	"github.com/cdf-preflight/preflight/analysis/pyast"
	"github.com/cdf-preflight/preflight/analysis/report"
	"github.com/cdf-preflight/preflight/analysis/secrets"
)

func TestEgress(t *testing.T) {
	wantSuite{fam: Egress, dir: "testdata/egress", pol: policy.Default(), exact: true}.run(t)
}

// TestEgressAllowedHost: a host the policy allows is a low finding, and
// CDF data sent there is not exfiltration.
func TestEgressAllowedHost(t *testing.T) {
	src := "import requests\n\n\ndef handle(client, data):\n" +
		"    rows = client.raw.rows.list(\"db\", \"t\", limit=10)\n" +
		"    requests.post(\"https://api.partner.example/in\", json=[r.columns for r in rows], timeout=5)\n"
	pol, err := policy.Load("policy.toml", []byte("[network]\nallowed_hosts = [\"*.partner.example\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	res := runFamilyOn(t, Egress, map[string][]byte{"handler.py": []byte(src)}, nil, pol)
	if len(res.Findings) != 1 || res.Findings[0].Category != report.NetworkEgress || res.Findings[0].Severity != report.Low {
		t.Errorf("findings %+v, want one low network-egress", res.Findings)
	}
}

func TestEgressParseURL(t *testing.T) {
	for _, tc := range []struct {
		parts     []string
		host, pat string
		cleartext bool
	}{
		{[]string{"https://api.example.com/v1"}, "api.example.com", "api.example.com", false},
		{[]string{"http://user:pw@Example.COM:8080/x?y=1"}, "example.com", "Example.COM", true},
		{[]string{"https://", ".cognitedata.com/api"}, "", pyast.Hole + ".cognitedata.com", false},
		{[]string{"https://[2001:db8::1]:443/"}, "2001:db8::1", "2001:db8::1", false},
		{[]string{"", "/assets"}, "", "", false},
		{[]string{"/relative/path"}, "", "", false},
		{[]string{"api.example.com/v1"}, "api.example.com", "api.example.com", false},
		{[]string{"wss://stream.example.net"}, "stream.example.net", "stream.example.net", false},
		{[]string{"ftp://files.example.com/pub"}, "files.example.com", "files.example.com", true},
	} {
		d := egParseURL(pyast.PartialString{Parts: tc.parts})
		if d.host != tc.host || d.pattern != tc.pat || d.cleartext != tc.cleartext {
			t.Errorf("egParseURL(%q) = host %q pattern %q cleartext %v, want %q %q %v", tc.parts, d.host, d.pattern, d.cleartext, tc.host, tc.pat, tc.cleartext)
		}
	}
}

func TestEgressClassify(t *testing.T) {
	pass := &Pass{Policy: policy.Default()}
	for _, tc := range []struct {
		d    egDest
		want egClass
	}{
		{egDest{host: "westeurope-1.cognitedata.com"}, egClassCDF},
		{egDest{host: "login.microsoftonline.com"}, egClassCDF},
		{egDest{host: "evilcognitedata.com"}, egClassKnown},
		{egDest{host: "cognitedata.com.evil.example"}, egClassKnown},
		{egDest{pattern: pyast.Hole + ".cognitedata.com"}, egClassCDF},
		{egDest{pattern: pyast.Hole + ".cognitedata.com", fromInput: true}, egClassUnknown},
		{egDest{pattern: "api." + pyast.Hole + ".com"}, egClassUnknown},
		{egDest{}, egClassUnknown},
		{egDest{host: "localhost"}, egClassLocal},
		{egDest{host: "api.example.com"}, egClassKnown},
	} {
		if got := egClassify(pass, tc.d); got != tc.want {
			t.Errorf("egClassify(%+v) = %d, want %d", tc.d, got, tc.want)
		}
	}
}

func TestEgressSafeURL(t *testing.T) {
	pass := &Pass{Policy: policy.Default(), Secrets: secrets.Default()}
	for _, tc := range []struct {
		url    string
		labels Labels
		want   string
	}{
		{"https://api.example.com/v1/items", 0, "https://api.example.com/v1/items"},
		{"https://api.example.com/v1/items?api_key=abc123&x=1", 0, "https://api.example.com/v1/items?…"},
		{"https://bob:hunter2@ftp.example.com/pub", 0, "https://…@ftp.example.com/pub"},
		{"https://hooks.slack.com/services/T000/B000/XXXX", LabelHardcodedSecret, "https://hooks.slack.com/…"},
		{"https://{…}/v1", LabelCallInput, "https://{…}/v1"},
		{"/relative", 0, "/relative"},
		{"https://api.github.com/x/ghp_ym5lBE58EC1gaSq8R5XjvchrNzJs397zx9OW", 0, "https://api.github.com/x/ghp_…"},
	} {
		if got := egSafeURL(pass, tc.url, tc.labels); got != tc.want {
			t.Errorf("egSafeURL(%q) = %q, want %q", tc.url, got, tc.want)
		}
	}
}
