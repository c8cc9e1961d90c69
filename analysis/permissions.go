package analysis

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cdf-preflight/preflight/analysis/cdf"
	"github.com/cdf-preflight/preflight/analysis/policy"
	"github.com/cdf-preflight/preflight/analysis/report"
)

// rulePermissionExcess is the rule id of the permission-excess finding.
const rulePermissionExcess = "PF-PERM-001"

// ErrNoProject is returned when a token-inspect response is given without
// the project it is to be judged in.
var ErrNoProject = errors.New("token inspect: a project name is needed to judge the token's permissions")

// Permissions assesses the caller's permission level in project from a
// token-inspect response: the level with its reasons, whether the caller can
// call functions, and every capability held there. policyTOML (optional)
// adjusts the admin/elevated catalogue. This is `preflight perms` and the
// browser API's permissions().
func Permissions(tokenInspectJSON []byte, project string, policyTOML []byte) (as cdf.Assessment, err error) {
	defer func() {
		if r := recover(); r != nil {
			as, err = cdf.Assessment{}, fmt.Errorf("internal error: %v", r)
		}
	}()
	pol, _, err := loadPolicy(policyTOML)
	if err != nil {
		return cdf.Assessment{}, err
	}
	tok, levels, err := parseToken(tokenInspectJSON, project, pol)
	if err != nil {
		return cdf.Assessment{}, err
	}
	return cdf.AssessToken(tok, strings.TrimSpace(project), levels), nil
}

// parseToken reads the token-inspect response and the level catalogue the
// policy makes.
func parseToken(data []byte, project string, pol *policy.Policy) (*cdf.TokenInspection, *cdf.Levels, error) {
	if strings.TrimSpace(project) == "" {
		return nil, nil, ErrNoProject
	}
	tok, err := cdf.ParseTokenInspect(data)
	if err != nil {
		return nil, nil, fmt.Errorf("token inspect: %w", err)
	}
	levels, err := levelsFor(pol)
	if err != nil {
		return nil, nil, err
	}
	return tok, levels, nil
}

// levelsFor is the level catalogue with the policy's [permissions] changes.
func levelsFor(pol *policy.Policy) (*cdf.Levels, error) {
	p := pol.Permissions
	if len(p.Admin)+len(p.Elevated)+len(p.Ignore) == 0 {
		return cdf.DefaultLevels(), nil
	}
	l, err := cdf.DefaultLevels().WithOverrides(p.Admin, p.Elevated, p.Ignore)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	return l, nil
}

// permissionsReport joins what the code needs (required) with what the
// caller holds in the project: the report's permissions — level, reasons,
// whether the call can run, missing capabilities with the calls that will
// fail and where, limited ones, excess ones — and, when an admin or
// elevated caller is about to run a function that needs less, a
// permission-excess finding with the remedy.
func permissionsReport(tok *cdf.TokenInspection, project string, levels *cdf.Levels, required []report.Required, pol *policy.Policy) (*report.Permissions, []report.Finding) {
	project = strings.TrimSpace(project)
	as := cdf.AssessToken(tok, project, levels)
	needs := make([]cdf.Need, len(required))
	for i, r := range required {
		needs[i] = cdf.Need{Capability: cdf.Capability{ACL: r.ACL, Action: r.Action}, Call: r.Call, File: r.File, Line: r.Line}
	}
	cmp := cdf.Compare(tok.ForProject(project), needs, levels)

	p := &report.Permissions{
		Project: project,
		Level:   string(as.Level),
		Reasons: append(append([]string(nil), as.Reasons...), as.Notes...),
		CanCall: as.CanCall,
		Excess:  []string{},
		Missing: []string{},
	}
	if !as.CanCall {
		p.Reasons = append(p.Reasons, as.Call)
	}
	for _, c := range cmp.Excess {
		p.Excess = append(p.Excess, c.ACL+":"+c.Action)
	}
	for _, g := range cmp.Missing {
		p.Missing = append(p.Missing, g.String())
	}
	for _, g := range cmp.Limited {
		p.Limited = append(p.Limited, g.String())
	}

	var findings []report.Finding
	if f, ok := excessFinding(as, cmp, project); ok {
		sev, enabled := pol.RuleSeverity(f.RuleID, f.Category, f.Severity)
		if enabled {
			f.Severity = sev
			findings = append(findings, f)
		}
	}
	return p, findings
}

// excessFinding is the permission-excess finding: the caller is admin or
// elevated, can call the function, and the function needs a lower level.
func excessFinding(as cdf.Assessment, cmp cdf.Comparison, project string) (report.Finding, bool) {
	if !as.CanCall || as.Level.Rank() < cdf.LevelElevated.Rank() || cmp.Needed.Rank() >= as.Level.Rank() {
		return report.Finding{}, false
	}
	// The excess is no risk of the code by itself — it widens every other
	// risk — so it informs without gating the call at the default threshold.
	sev := report.Low
	if as.Level == cdf.LevelAdmin {
		sev = report.Medium
	}
	why := ""
	if len(as.Reasons) > 0 {
		why = " (" + strings.TrimPrefix(as.Reasons[0], string(as.Level)+": ") + ")"
	}
	msg := fmt.Sprintf("You are %s in project %s%s, and a function called from Fusion runs with all of your permissions. ",
		articleLevel(as.Level), project, why)
	remedy := "Run it as a schedule under a service account limited to exactly what it needs"
	if needed := neededList(cmp); needed != "" {
		msg += fmt.Sprintf("This function needs only %s rights (%s), so %d of your capabilities are more than it needs.",
			cmp.Needed, needed, len(cmp.Excess))
		remedy += " (" + needed + ")"
	} else {
		msg += fmt.Sprintf("This function needs no CDF permissions beyond being called, so %d of your capabilities are more than it needs.",
			len(cmp.Excess))
	}
	remedy += ", or call it from an account in a smaller group. If you run it yourself, first check that you trust its author and understand what it does."
	return report.Finding{
		RuleID:      rulePermissionExcess,
		Category:    report.PermissionExcess,
		Severity:    sev,
		Confidence:  report.ConfidenceHigh,
		Title:       fmt.Sprintf("Runs with %s rights it does not need", as.Level),
		Message:     msg,
		Remediation: remedy,
	}, true
}

// neededList names what the function needs: "assetsAcl:WRITE, timeSeriesAcl:READ".
func neededList(cmp cdf.Comparison) string {
	seen := map[string]bool{}
	var out []string
	add := func(gs []cdf.NeedGroup) {
		for _, g := range gs {
			k := g.ACL + ":" + g.Action
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	add(cmp.Needs)
	if len(out) > 8 {
		out = append(out[:8], fmt.Sprintf("%d more", len(out)-8))
	}
	return strings.Join(out, ", ")
}

func articleLevel(l cdf.Level) string {
	switch l {
	case cdf.LevelAdmin, cdf.LevelElevated:
		return "an " + string(l) + " user"
	}
	return "a " + string(l) + " user"
}
