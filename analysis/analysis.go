// Package analysis is Preflight's engine: Analyze turns a Cognite Function's
// code bundle, its metadata, the caller's token-inspect response and a
// policy into a report. It does no I/O of its own — callers hand it bytes —
// so the same code runs natively, in the browser (GOOS=js) and as a WASI
// module.
package analysis

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cdf-preflight/preflight/analysis/bundle"
	"github.com/cdf-preflight/preflight/analysis/cdf"
	"github.com/cdf-preflight/preflight/analysis/policy"
	"github.com/cdf-preflight/preflight/analysis/pyast"
	"github.com/cdf-preflight/preflight/analysis/report"
	"github.com/cdf-preflight/preflight/analysis/rules"
	"github.com/cdf-preflight/preflight/analysis/secrets"
)

// Version is the engine's version, reported as tool.version.
const Version = "0.1.0"

// ToolName is the engine's name, reported as tool.name.
const ToolName = "preflight"

// DefaultFunctionPath is the handler file when the function object names none.
const DefaultFunctionPath = "handler.py"

// Input is everything one analysis needs. Either Zip or Files holds the code.
type Input struct {
	Zip          []byte            // the function's code zip, or
	Files        map[string][]byte // the files of a folder, by "/"-separated relative path
	FunctionJSON []byte            // optional: the function object as the CDF API returns it
	// TokenInspectJSON and Project, when given, fill the report's permissions
	// (Project is required with a token; a malformed token is an error).
	TokenInspectJSON []byte
	Project          string
	PolicyTOML       []byte // optional: the user's policy, merged over the defaults
}

// ErrNoCode is returned when the input holds neither a zip nor files.
var ErrNoCode = errors.New("no code: give the function's zip or its files")

// Analyze analyses one function bundle. Problems with the bundle's content
// (syntax errors, skipped files) are findings in the report, never errors;
// an error means no report could be made (unreadable zip, invalid policy,
// malformed function.json), and says which input and where.
//
// The phases — policy, function metadata, bundle, model, rule families,
// risk, report — run in that order; ctx is checked between them. A defect
// in any phase (a panic) is turned into an error rather than crashing the
// host, since every input is untrusted.
func Analyze(ctx context.Context, in Input) (rep report.Report, err error) {
	defer func() {
		if r := recover(); r != nil {
			rep, err = report.Report{}, fmt.Errorf("internal error: %v", r)
		}
	}()
	if in.Zip == nil && in.Files == nil {
		return report.Report{}, ErrNoCode
	}
	if err := ctx.Err(); err != nil {
		return report.Report{}, err
	}

	pol, det, err := loadPolicy(in.PolicyTOML)
	if err != nil {
		return report.Report{}, err
	}
	var token *cdf.TokenInspection
	var levels *cdf.Levels
	if len(in.TokenInspectJSON) > 0 {
		if token, levels, err = parseToken(in.TokenInspectJSON, in.Project, pol); err != nil {
			return report.Report{}, err
		}
	}
	var fn *cdf.Function
	if len(in.FunctionJSON) > 0 {
		if fn, err = cdf.ParseFunction(in.FunctionJSON); err != nil {
			return report.Report{}, fmt.Errorf("function.json: %w", err)
		}
	}
	functionPath := DefaultFunctionPath
	if fn != nil && fn.FunctionPath != "" {
		functionPath = fn.FunctionPath
	}
	b, err := readBundle(in, functionPath, pol.Limits)
	if err != nil {
		return report.Report{}, err
	}
	if err := ctx.Err(); err != nil {
		return report.Report{}, err
	}

	prog := rules.Build(b, rules.Options{
		IsSecretLiteral: func(s string) bool { return len(det.ScanValue(s)) > 0 },
		MaxPythonBytes:  int(pol.Limits.MaxFileBytes),
	})
	if err := ctx.Err(); err != nil {
		return report.Report{}, err
	}
	res := rules.Run(prog, b, fn, pol, det)
	if err := ctx.Err(); err != nil {
		return report.Report{}, err
	}

	inc := incompleteness(b, prog, functionPath)
	inc.addAll(res.Incomplete)
	findings := append(res.Findings, inc.findings...)
	var perms *report.Permissions
	if token != nil {
		var excess []report.Finding
		perms, excess = permissionsReport(token, in.Project, levels, res.Required, pol)
		findings = append(findings, excess...)
	}

	rep = report.Report{
		SchemaVersion: report.SchemaVersion,
		Tool:          report.Tool{Name: ToolName, Version: Version},
		Function:      reportFunction(fn),
		Risk:          rules.RiskWithEgress(findings, res.Egress, len(inc.entries) > 0),
		Findings:      findings,
		Required:      res.Required,
		Egress:        res.Egress,
		Permissions:   perms,
		Incomplete:    inc.entries,
	}
	rep.RedactValues(sensitiveValues(det, &rep, res.Sensitive))
	rep.Normalize()
	return rep, nil
}

// loadPolicy returns the effective policy and the secrets detector with
// the policy's extra rules.
func loadPolicy(userTOML []byte) (*policy.Policy, *secrets.Detector, error) {
	pol := policy.Default()
	if len(userTOML) > 0 {
		var err error
		if pol, err = policy.Load("policy.toml", userTOML); err != nil {
			return nil, nil, fmt.Errorf("policy: %w", err)
		}
	}
	extra := make([]secrets.Rule, 0, len(pol.Secrets.Rules))
	for _, r := range pol.Secrets.Rules {
		extra = append(extra, secrets.Rule{
			ID: r.ID, Description: r.Description, Regex: r.Regex,
			SecretGroup: r.SecretGroup, Entropy: r.Entropy, Keywords: r.Keywords,
		})
	}
	det := secrets.Default()
	if len(extra) > 0 || len(pol.Secrets.Allowlist) > 0 {
		var err error
		if det, err = det.WithRules(extra, pol.Secrets.Allowlist); err != nil {
			return nil, nil, fmt.Errorf("policy: secrets: %w", err)
		}
	}
	return pol, det, nil
}

// readBundle reads the code with the policy's limits: the zip when given,
// else the files.
func readBundle(in Input, functionPath string, l policy.Limits) (*bundle.Bundle, error) {
	lim := bundle.Limits{
		MaxZipBytes:   l.MaxZipBytes,
		MaxFiles:      l.MaxFiles,
		MaxTotalBytes: l.MaxTotalBytes,
		MaxFileBytes:  l.MaxFileBytes,
		MaxRatio:      l.MaxRatio,
	}
	if in.Zip != nil {
		b, err := bundle.FromZip(in.Zip, functionPath, lim)
		if err != nil {
			return nil, fmt.Errorf("code zip: %w", err)
		}
		return b, nil
	}
	b, err := bundle.FromFiles(in.Files, functionPath, lim)
	if err != nil {
		return nil, fmt.Errorf("code files: %w", err)
	}
	return b, nil
}

// reportFunction identifies the function in the report.
func reportFunction(fn *cdf.Function) *report.Function {
	if fn == nil {
		return nil
	}
	return &report.Function{ID: fn.ID, ExternalID: fn.ExternalID, Name: fn.Name, Owner: fn.Owner, FileID: fn.FileID}
}

// Rule ids of the engine's own analysis-incomplete findings.
const (
	ruleSyntaxError = "PF-INC-001" // a module does not parse
	ruleSkipped     = "PF-INC-002" // a bundle entry was not read
	ruleNoHandler   = "PF-INC-003" // the handler file is missing or not Python
	ruleNoHandle    = "PF-INC-004" // the handler defines no handle
	ruleIncomplete  = "PF-INC-005" // a family or the model stopped early
)

// incomplete collects what was not (fully) analysed, as report entries and
// as analysis-incomplete findings, one of each per file and reason.
type incomplete struct {
	entries  []report.Incomplete
	findings []report.Finding
	seen     map[report.Incomplete]bool
}

func (c *incomplete) add(rule, file string, line int, reason, title string) {
	c.addAt(rule, file, line, "", reason, title)
}

// addAt is add with the evidence line of the place (secrets in it are
// redacted with the rest of the report).
func (c *incomplete) addAt(rule, file string, line int, evidence, reason, title string) {
	e := report.Incomplete{File: file, Reason: reason}
	if c.seen[e] {
		return
	}
	if c.seen == nil {
		c.seen = map[report.Incomplete]bool{}
	}
	c.seen[e] = true
	c.entries = append(c.entries, e)
	c.findings = append(c.findings, report.Finding{
		RuleID:      rule,
		Category:    report.AnalysisIncomplete,
		Severity:    report.Medium,
		Confidence:  report.ConfidenceHigh,
		Title:       title,
		Message:     capitalize(reason) + ". What this part does is unknown, so the risk cannot be judged as safe.",
		File:        file,
		Line:        line,
		Evidence:    evidence,
		Remediation: "Fix the code or the bundle so that every file can be read, then analyse it again.",
	})
}

// addAll records the families' own incomplete entries (and a truncated model).
func (c *incomplete) addAll(es []report.Incomplete) {
	for _, e := range es {
		c.add(ruleIncomplete, e.File, 0, e.Reason, "Analysis stopped early")
	}
}

// incompleteness lists what the bundle and the model could not cover:
// skipped entries, the handler or its handle missing, modules with syntax
// errors.
func incompleteness(b *bundle.Bundle, prog *rules.Program, functionPath string) *incomplete {
	c := &incomplete{}
	for _, s := range b.Skipped {
		c.add(ruleSkipped, s.Path, 0, "not read: "+s.Reason, "File not analysed")
	}
	switch {
	case b.Handler == "":
		c.add(ruleNoHandler, functionPath, 0, "handler file "+functionPath+" is not in the bundle", "Handler file missing")
	case prog.Handler == nil:
		c.add(ruleNoHandler, b.Handler, 0, "handler file "+b.Handler+" is not a Python module", "Handler is not Python")
	case prog.Handle == nil:
		c.add(ruleNoHandle, b.Handler, 0, "no top-level handle function in "+b.Handler, "No handle function")
	}
	for _, m := range prog.Modules {
		if len(m.Errors) == 0 {
			continue
		}
		line, reason, title := syntaxReason(m.Errors)
		c.addAt(ruleSyntaxError, m.Path, line, rules.EvidenceLine(m.AST.File, line), reason, title)
	}
	return c
}

// syntaxReason describes a module's first syntax error, or its merge
// conflict markers: "syntax error at line 4: expected ':'; analysed partially".
func syntaxReason(errs pyast.ErrorList) (line int, reason, title string) {
	for _, e := range errs {
		if strings.Contains(e.Msg, "merge conflict marker") {
			return e.Line, fmt.Sprintf("merge conflict markers at line %d; analysed partially", e.Line), "Merge conflict markers"
		}
	}
	e := errs[0]
	for _, x := range errs[1:] {
		if x.Line < e.Line {
			e = x
		}
	}
	return e.Line, fmt.Sprintf("syntax error at line %d: %s; analysed partially", e.Line, e.Msg), "Syntax error"
}

// sensitiveValues is every value to hide in the report: what the families
// reported, plus — as a safety net — any well-known-format secret the
// detector finds in a finding's text or an egress URL.
func sensitiveValues(det *secrets.Detector, r *report.Report, reported []string) []string {
	out := append([]string(nil), reported...)
	scan := func(s string) {
		if s == "" {
			return
		}
		for _, m := range det.ScanValue(s) {
			out = append(out, m.Secret)
		}
	}
	for _, f := range r.Findings {
		scan(f.Evidence)
		scan(f.Message)
		scan(f.Title)
	}
	for _, e := range r.Egress {
		scan(e.URL)
		scan(e.Host)
	}
	return out
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
