package rules

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/cdf-preflight/preflight/analysis/report"
)

// Risk turns a bundle's findings into the overall verdict: a score 0–100
// (each finding weighs by severity and confidence, the sum is capped), the
// level (the highest severity of any finding above info) and one summary
// sentence built from the most important findings.
//
// When the analysis was incomplete (handler missing or unparseable, files
// skipped, model truncated) and the level would be below high, the level is
// "unknown": code that could not be read is never presented as safe.
func Risk(findings []report.Finding, incomplete bool) report.Risk {
	return RiskWithEgress(findings, nil, incomplete)
}

// RiskWithEgress is Risk with the report's egress list, so the summary can
// count the external hosts the flagged requests go to ("sends data to 2
// external hosts") rather than the requests.
func RiskWithEgress(findings []report.Finding, egress []report.Egress, incomplete bool) report.Risk {
	score := 0.0
	top := report.Info
	any := false
	for _, f := range findings {
		if f.Severity <= report.Info {
			continue
		}
		any = true
		if f.Severity > top {
			top = f.Severity
		}
		score += severityWeight[f.Severity] * confidenceWeight(f.Confidence)
	}
	r := report.Risk{Score: int(score + 0.5), Level: report.RiskNone}
	if r.Score > 100 {
		r.Score = 100
	}
	if any {
		r.Level = severityLevel[top]
	}
	if incomplete && (r.Level == report.RiskNone || r.Level == report.RiskLow || r.Level == report.RiskMedium) {
		r.Level = report.RiskUnknown
	}
	r.Summary = summary(findings, egress, incomplete)
	return r
}

// severityWeight is what one high-confidence finding adds to the score: one
// critical finding alone scores 50, two reach 100.
var severityWeight = map[report.Severity]float64{
	report.Low:      4,
	report.Medium:   12,
	report.High:     30,
	report.Critical: 50,
}

// severityLevel maps the highest finding severity to the risk level.
var severityLevel = map[report.Severity]report.RiskLevel{
	report.Low:      report.RiskLow,
	report.Medium:   report.RiskMedium,
	report.High:     report.RiskHigh,
	report.Critical: report.RiskCritical,
}

// confidenceWeight discounts findings a rule is less sure of.
func confidenceWeight(c report.Confidence) float64 {
	switch c {
	case report.ConfidenceLow:
		return 0.5
	case report.ConfidenceMedium:
		return 0.75
	}
	return 1
}

// maxClauses bounds the summary sentence.
const maxClauses = 3

// clause is one part of the summary: the findings of one category.
type clause struct {
	cat      report.Category
	severity report.Severity
	findings []report.Finding
}

// summary says in one sentence what matters most: one clause per category,
// most severe first (ties in the fixed category order), at most three,
// e.g. "Sends data to 1 external host; can delete assets; exposes a secret".
func summary(findings []report.Finding, egress []report.Egress, incomplete bool) string {
	byCat := map[report.Category]*clause{}
	var clauses []*clause
	for _, f := range findings {
		if f.Severity <= report.Info {
			continue
		}
		c := byCat[f.Category]
		if c == nil {
			c = &clause{cat: f.Category, severity: f.Severity}
			byCat[f.Category] = c
			clauses = append(clauses, c)
		}
		if f.Severity > c.severity {
			c.severity = f.Severity
		}
		c.findings = append(c.findings, f)
	}
	if incomplete && byCat[report.AnalysisIncomplete] == nil {
		c := &clause{cat: report.AnalysisIncomplete, severity: report.Medium}
		byCat[c.cat] = c
		clauses = append(clauses, c)
	}
	if len(clauses) == 0 {
		return "No risks found"
	}
	sort.SliceStable(clauses, func(i, j int) bool {
		if clauses[i].severity != clauses[j].severity {
			return clauses[i].severity > clauses[j].severity
		}
		return categoryRank(clauses[i].cat) < categoryRank(clauses[j].cat)
	})
	// An incomplete analysis is always said, even if it ranks fourth.
	if incomplete && len(clauses) > maxClauses {
		for i, c := range clauses {
			if c.cat == report.AnalysisIncomplete && i >= maxClauses {
				clauses[maxClauses-1] = c
				break
			}
		}
	}
	if len(clauses) > maxClauses {
		clauses = clauses[:maxClauses]
	}
	parts := make([]string, len(clauses))
	for i, c := range clauses {
		parts[i] = c.phrase(egress)
	}
	s := strings.Join(parts, "; ")
	return capitalize(s)
}

// categoryOrder breaks severity ties: what a user most needs to hear first.
var categoryOrder = []report.Category{
	report.DataExfiltration,
	report.CodeExecution,
	report.SecretExposure,
	report.PrivilegeChange,
	report.DestructiveOperation,
	report.CredentialAccess,
	report.NetworkEgress,
	report.HardcodedSecret,
	report.PlaintextConfigSecret,
	report.Obfuscation,
	report.SupplyChain,
	report.Provenance,
	report.PermissionExcess,
	report.AnalysisIncomplete,
}

func categoryRank(c report.Category) int {
	for i, x := range categoryOrder {
		if x == c {
			return i
		}
	}
	return len(categoryOrder)
}

// phrase is the clause's plain words, with counts.
func (c *clause) phrase(egress []report.Egress) string {
	n := len(c.findings)
	switch c.cat {
	case report.NetworkEgress:
		if h, runtime := egressHosts(c.findings, egress); h > 0 || runtime {
			switch {
			case h == 0:
				return "sends requests to a host decided at run time"
			case runtime:
				return fmt.Sprintf("sends data to %d external %s and to a host decided at run time", h, plural(h, "host", "hosts"))
			}
			return fmt.Sprintf("sends data to %d external %s", h, plural(h, "host", "hosts"))
		}
		if h := countHosts(c.findings); h > 0 {
			return fmt.Sprintf("sends data to %d external %s", h, plural(h, "host", "hosts"))
		}
		return fmt.Sprintf("makes %d external network %s", n, plural(n, "request", "requests"))
	case report.DataExfiltration:
		return "can send data or credentials out of CDF"
	case report.CodeExecution:
		return "can run arbitrary code"
	case report.SecretExposure:
		return "exposes " + count(n, "a secret", "secrets")
	case report.HardcodedSecret:
		return "contains " + count(n, "a hard-coded secret", "hard-coded secrets")
	case report.PlaintextConfigSecret:
		return "stores " + count(n, "a secret", "secrets") + " in plain-text settings"
	case report.CredentialAccess:
		return "reads credentials or acts as another identity"
	case report.Obfuscation:
		return "hides what its code does"
	case report.DestructiveOperation:
		if what := capabilityNouns(c.findings); what != "" {
			return "can delete or overwrite " + what
		}
		return "can delete or overwrite data"
	case report.PrivilegeChange:
		return "can change access rights"
	case report.SupplyChain:
		return "installs " + count(n, "a risky package", "risky packages")
	case report.Provenance:
		return "comes from an unverified source"
	case report.PermissionExcess:
		return "runs with more access than it needs"
	case report.AnalysisIncomplete:
		return "could not be fully analysed"
	}
	return count(n, "one "+string(c.cat)+" finding", string(c.cat)+" findings")
}

// count renders 1 as the singular phrase and n > 1 as "n plural".
func count(n int, one, many string) string {
	if n <= 1 {
		return one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// egressHosts counts the distinct hosts of the egress entries at the places
// of the given findings, and whether one of them has no static host.
func egressHosts(fs []report.Finding, egress []report.Egress) (int, bool) {
	type place struct {
		file string
		line int
	}
	at := map[place]bool{}
	for _, f := range fs {
		at[place{f.File, f.Line}] = true
	}
	hosts := map[string]bool{}
	runtime := false
	for _, e := range egress {
		if !at[place{e.File, e.Line}] {
			continue
		}
		if e.Host == "" {
			runtime = true
		} else {
			hosts[strings.ToLower(e.Host)] = true
		}
	}
	return len(hosts), runtime
}

// hostPattern finds the host of a URL in a message or evidence.
var hostPattern = regexp.MustCompile(`https?://([A-Za-z0-9.-]+)`)

// countHosts counts the distinct hosts named in egress findings; 0 when
// none names one.
func countHosts(fs []report.Finding) int {
	hosts := map[string]bool{}
	for _, f := range fs {
		for _, s := range []string{f.Message, f.Evidence} {
			for _, m := range hostPattern.FindAllStringSubmatch(s, -1) {
				hosts[strings.ToLower(m[1])] = true
			}
		}
	}
	return len(hosts)
}

// capabilityNouns names the resources of the findings' capabilities in
// plain words ("assets", "time series and files"), at most two.
func capabilityNouns(fs []report.Finding) string {
	var nouns []string
	seen := map[string]bool{}
	for _, f := range fs {
		for _, c := range f.Capabilities {
			n := aclNoun(c.ACL)
			if n != "" && !seen[n] {
				seen[n] = true
				nouns = append(nouns, n)
			}
		}
	}
	switch len(nouns) {
	case 0:
		return ""
	case 1:
		return nouns[0]
	case 2:
		return nouns[0] + " and " + nouns[1]
	}
	return nouns[0] + ", " + nouns[1] + " and more"
}

// aclNoun turns "timeSeriesAcl" into "time series", "rawAcl" into "raw".
func aclNoun(acl string) string {
	acl = strings.TrimSuffix(acl, "Acl")
	var b strings.Builder
	for i, r := range acl {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte(' ')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	switch s := b.String(); s {
	case "raw":
		return "RAW tables"
	case "datasets":
		return "data sets"
	default:
		return s
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
