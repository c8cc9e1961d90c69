package rules

import (
	"testing"

	"github.com/cdf-preflight/preflight/analysis/report"
)

func finding(cat report.Category, sev report.Severity, conf report.Confidence) report.Finding {
	return report.Finding{Category: cat, Severity: sev, Confidence: conf}
}

func TestRisk(t *testing.T) {
	egress := finding(report.NetworkEgress, report.High, report.ConfidenceHigh)
	egress.Message = "requests.post to https://hooks.example.net/x"
	egress2 := egress
	egress2.Message = "requests.get to https://HOOKS.example.net/y" // same host
	egress3 := egress
	egress3.Message = "requests.get to https://api.other.io/v1"
	del := finding(report.DestructiveOperation, report.High, report.ConfidenceHigh)
	del.Capabilities = []report.Capability{{ACL: "assetsAcl", Action: "WRITE"}}
	delTS := finding(report.DestructiveOperation, report.Medium, report.ConfidenceHigh)
	delTS.Capabilities = []report.Capability{{ACL: "timeSeriesAcl", Action: "WRITE"}}
	leak := finding(report.SecretExposure, report.High, report.ConfidenceHigh)
	info := finding(report.NetworkEgress, report.Info, report.ConfidenceHigh)
	low := finding(report.SupplyChain, report.Low, report.ConfidenceMedium)
	crit := finding(report.CodeExecution, report.Critical, report.ConfidenceHigh)
	incomplete := finding(report.AnalysisIncomplete, report.Medium, report.ConfidenceHigh)

	tests := []struct {
		name       string
		findings   []report.Finding
		incomplete bool
		level      report.RiskLevel
		score      int
		summary    string
	}{
		{"no findings is none", nil, false, report.RiskNone, 0, "No risks found"},
		{"info only is none", []report.Finding{info, info}, false, report.RiskNone, 0, "No risks found"},
		{"low", []report.Finding{low}, false, report.RiskLow, 3, "Installs a risky package"},
		{"highest severity wins", []report.Finding{low, egress, del}, false, report.RiskHigh, 63,
			"Can delete or overwrite assets; sends data to 1 external host; installs a risky package"},
		{"hosts are counted, not findings", []report.Finding{egress, egress2, egress3}, false, report.RiskHigh, 90,
			"Sends data to 2 external hosts"},
		{"secrets counted", []report.Finding{leak, leak, leak}, false, report.RiskHigh, 90, "Exposes 3 secrets"},
		{"score capped", []report.Finding{crit, crit, crit}, false, report.RiskCritical, 100, "Can run arbitrary code"},
		{"at most three clauses, by severity", []report.Finding{low, egress, del, leak, crit}, false, report.RiskCritical, 100,
			"Can run arbitrary code; exposes a secret; can delete or overwrite assets"},
		{"capability nouns joined", []report.Finding{del, delTS}, false, report.RiskHigh, 42,
			"Can delete or overwrite assets and time series"},
		{"incomplete with nothing found is unknown, never none", nil, true, report.RiskUnknown, 0,
			"Could not be fully analysed"},
		{"incomplete below high is unknown", []report.Finding{low, incomplete}, true, report.RiskUnknown, 15,
			"Could not be fully analysed; installs a risky package"},
		{"incomplete at high stays high", []report.Finding{egress, incomplete}, true, report.RiskHigh, 42,
			"Sends data to 1 external host; could not be fully analysed"},
		{"incomplete is said even when outranked", []report.Finding{crit, leak, del, egress}, true, report.RiskCritical, 100,
			"Can run arbitrary code; exposes a secret; could not be fully analysed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Risk(tt.findings, tt.incomplete)
			if got.Level != tt.level || got.Score != tt.score || got.Summary != tt.summary {
				t.Errorf("Risk = {%s %d %q}, want {%s %d %q}", got.Level, got.Score, got.Summary, tt.level, tt.score, tt.summary)
			}
		})
	}
}

func TestRiskWithEgress(t *testing.T) {
	at := func(line int) report.Finding {
		f := finding(report.NetworkEgress, report.Medium, report.ConfidenceHigh)
		f.File, f.Line, f.Title = "handler.py", line, "Network request"
		return f
	}
	egress := []report.Egress{
		{Host: "api.vendor.example", File: "handler.py", Line: 3},
		{Host: "API.vendor.example", File: "handler.py", Line: 4},
		{Host: "hooks.other.example", File: "handler.py", Line: 5},
		{Host: "", URL: "{…}", File: "handler.py", Line: 6},
		{Host: "westeurope-1.cognitedata.com", File: "handler.py", Line: 9}, // no finding: allowed
	}
	tests := []struct {
		findings []report.Finding
		summary  string
	}{
		{[]report.Finding{at(3), at(4)}, "Sends data to 1 external host"},
		{[]report.Finding{at(3), at(5)}, "Sends data to 2 external hosts"},
		{[]report.Finding{at(6)}, "Sends requests to a host decided at run time"},
		{[]report.Finding{at(3), at(6)}, "Sends data to 1 external host and to a host decided at run time"},
		{[]report.Finding{at(7)}, "Makes 1 external network request"},
	}
	for _, tt := range tests {
		if got := RiskWithEgress(tt.findings, egress, false).Summary; got != tt.summary {
			t.Errorf("summary = %q, want %q", got, tt.summary)
		}
	}
}

func TestAclNoun(t *testing.T) {
	for acl, want := range map[string]string{
		"assetsAcl":             "assets",
		"timeSeriesAcl":         "time series",
		"dataModelInstancesAcl": "data model instances",
		"rawAcl":                "RAW tables",
		"datasetsAcl":           "data sets",
	} {
		if got := aclNoun(acl); got != want {
			t.Errorf("aclNoun(%q) = %q, want %q", acl, got, want)
		}
	}
}
