package rules

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/cdf-preflight/preflight/analysis/report"
)

func TestHardcoded(t *testing.T) {
	wantSuite{fam: Hardcoded, dir: "testdata/hardcoded", exact: true}.run(t)
}

// TestHardcodedEvidence checks what a user sees: the evidence line with the
// secret redacted, the rule's description in the message, the remediation.
func TestHardcodedEvidence(t *testing.T) {
	files := map[string][]byte{"handler.py": []byte(
		"def handle(client, data):\n" +
			"    token = \"ghp_ZcUDIh7yfJs1ON43xKmTecQoXsf2o3gyrDO1\"  # used below\n" +
			"    key = \"-----BEGIN PRIVATE KEY-----\\nyLBhhOhg9uhkxiiEZpFfk1OHAOEHYqM6Ojb6mjBHqSiFVKu4MbMnrHontIKARAH+\\n-----END PRIVATE KEY-----\"\n")}
	res := runFamilyOn(t, Hardcoded, files, nil, nil)
	if len(res.Findings) != 2 {
		t.Fatalf("got %d findings, want 2\n%s", len(res.Findings), describe(res))
	}
	f := res.Findings[0]
	if f.Evidence != `token = "ghp_…"  # used below` {
		t.Errorf("evidence %q", f.Evidence)
	}
	if !strings.Contains(f.Message, "GitHub personal access token") || !strings.Contains(f.Message, "ghp_…") {
		t.Errorf("message %q", f.Message)
	}
	if f.Line != 2 || f.Column != 13 || f.Severity != report.High || !strings.Contains(f.Remediation, "function secret") {
		t.Errorf("finding %+v", f)
	}
	f = res.Findings[1]
	if strings.Contains(f.Evidence, "yLBhhOhg") || f.Severity != report.Critical {
		t.Errorf("private key finding %+v", f)
	}
}

// TestHardcodedHostile: odd and huge inputs give findings or nothing, never
// a panic, and a file over the scan bound is recorded as incomplete.
func TestHardcodedHostile(t *testing.T) {
	key := "ghp_ZcUDIh7yfJs1ON43xKmTecQoXsf2o3gyrDO1"
	files := map[string][]byte{
		"handler.py":   []byte("def handle(data):\n    x = \"\\xff\\udc80" + key + "\" if data else b'\\xff\\xfe'\n    return {(1, 2): 'a', **data}\n"),
		"broken.py":    []byte("API_KEY = \"" + key + "\n(((\n"),
		"big.json":     append(bytes.Repeat([]byte("{\"a\": 1}\n"), (maxSecretScanBytes/9)+10), []byte("\"token\": \""+key+"\"\n")...),
		"latin1.cfg":   []byte("password=\xe9t\xe9\xff\xfe2024!xyzQ\n"),
		"empty.env":    nil,
		"nolines.yaml": bytes.Repeat([]byte("a: "), 100000),
	}
	res := runFamilyOn(t, Hardcoded, files, nil, nil)
	var got []string
	for _, f := range res.Findings {
		got = append(got, fmt.Sprintf("%s:%d", f.File, f.Line))
	}
	want := "broken.py:1 handler.py:2 latin1.cfg:1"
	if strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s\n%s", got, want, describe(res))
	}
	if len(res.Incomplete) != 1 || res.Incomplete[0].File != "big.json" {
		t.Errorf("incomplete = %v, want big.json", res.Incomplete)
	}
}
