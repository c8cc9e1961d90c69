package rules

import (
	"sort"
	"strings"

	"github.com/cdf-preflight/preflight/analysis/bundle"
	"github.com/cdf-preflight/preflight/analysis/cdf"
	"github.com/cdf-preflight/preflight/analysis/policy"
	"github.com/cdf-preflight/preflight/analysis/pyast"
	"github.com/cdf-preflight/preflight/analysis/report"
	"github.com/cdf-preflight/preflight/analysis/secrets"
)

// Family is one family of checks, in the style of go/analysis: a value with
// a name, a user-facing Doc and a Run that reports through the Pass.
type Family struct {
	Name string // "exposure", "execution", "egress", "cdfops", "hardcoded", "supplychain", "metadata"
	Doc  string
	Run  func(*Pass)
}

// Pass is what a family sees: the shared model and the ways to report.
type Pass struct {
	Program  *Program       // never nil (may have no modules)
	Bundle   *bundle.Bundle // never nil
	Function *cdf.Function  // nil when no function metadata was given
	Policy   *policy.Policy // never nil (defaults at least)
	Secrets  *secrets.Detector

	result *Result
}

// Result is everything the families reported, before risk scoring.
type Result struct {
	Findings   []report.Finding
	Required   []report.Required
	Egress     []report.Egress
	Incomplete []report.Incomplete
	// Sensitive holds secret values seen by the families (secrets found in
	// the code, values reaching outputs): Analyze redacts each of them
	// wherever it appears in the report.
	Sensitive []string
}

// Report records a finding as given (for findings not tied to a node, e.g.
// metadata). Policy overrides (rule disabled, severity changed) are applied here.
func (p *Pass) Report(f report.Finding) {
	if p.result == nil {
		p.result = &Result{}
	}
	if p.Policy != nil {
		sev, enabled := p.Policy.RuleSeverity(f.RuleID, f.Category, f.Severity)
		if !enabled {
			return
		}
		f.Severity = sev
	}
	p.result.Findings = append(p.result.Findings, f)
}

// ReportNode records a finding at node in module m: File, Line, Column,
// EndLine, EndColumn (1-based) and Evidence (the first source line of the
// node, trimmed) are filled in. Secrets in Evidence are redacted by the
// caller of Run, not here.
func (p *Pass) ReportNode(m *Module, node pyast.Node, f report.Finding) {
	if m != nil {
		f.File = m.Path
		if node != nil && m.AST != nil && m.AST.File != nil {
			file := m.AST.File
			start, end := file.Position(node.Pos()), file.Position(node.End())
			f.Line, f.Column = start.Line, start.Col+1
			f.EndLine, f.EndColumn = end.Line, end.Col+1
			if f.Evidence == "" {
				f.Evidence = EvidenceLine(file, start.Line)
			}
		}
	}
	p.Report(f)
}

// maxEvidence bounds the evidence text of one finding (a minified line can
// be megabytes long).
const maxEvidence = 200

// EvidenceLine returns line n of f, trimmed and cut to maxEvidence bytes at
// a rune boundary.
func EvidenceLine(f *pyast.File, n int) string {
	s := strings.TrimSpace(f.Line(n))
	if len(s) > maxEvidence {
		cut := maxEvidence
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// Require records a capability the code needs at node.
func (p *Pass) Require(m *Module, node pyast.Node, c cdf.Capability, call string) {
	if p.result == nil {
		p.result = &Result{}
	}
	r := report.Required{ACL: c.ACL, Action: c.Action, Call: call}
	if m != nil {
		r.File = m.Path
		if node != nil && m.AST != nil && m.AST.File != nil {
			r.Line = m.AST.File.Position(node.Pos()).Line
		}
	}
	p.result.Required = append(p.result.Required, r)
}

// AddEgress records an outbound destination at node.
func (p *Pass) AddEgress(m *Module, node pyast.Node, host, url string) {
	if p.result == nil {
		p.result = &Result{}
	}
	e := report.Egress{Host: host, URL: url}
	if m != nil {
		e.File = m.Path
		if node != nil && m.AST != nil && m.AST.File != nil {
			e.Line = m.AST.File.Position(node.Pos()).Line
		}
	}
	p.result.Egress = append(p.result.Egress, e)
}

// Incomplete records a part of the bundle that was not fully analysed (also
// reported as an analysis-incomplete finding).
func (p *Pass) Incomplete(file, reason string) {
	if p.result == nil {
		p.result = &Result{}
	}
	p.result.Incomplete = append(p.result.Incomplete, report.Incomplete{File: file, Reason: reason})
}

// Sensitive records a secret value that must never appear in clear in any
// output; Analyze redacts it everywhere in the report.
func (p *Pass) Sensitive(value string) {
	if value == "" {
		return
	}
	if p.result == nil {
		p.result = &Result{}
	}
	p.result.Sensitive = append(p.result.Sensitive, value)
}

// Run runs every family over the program and returns what they reported,
// de-duplicated (same rule, file, line) and sorted (file, line, column, rule).
func Run(prog *Program, b *bundle.Bundle, fn *cdf.Function, pol *policy.Policy, det *secrets.Detector) Result {
	return RunFamilies(Families, prog, b, fn, pol, det)
}

// RunFamilies is Run over the given families only (tests run one family).
func RunFamilies(fams []*Family, prog *Program, b *bundle.Bundle, fn *cdf.Function, pol *policy.Policy, det *secrets.Detector) Result {
	if prog == nil {
		prog = &Program{}
	}
	if b == nil {
		b = &bundle.Bundle{}
	}
	if pol == nil {
		pol = &policy.Policy{}
	}
	res := &Result{}
	pass := &Pass{Program: prog, Bundle: b, Function: fn, Policy: pol, Secrets: det, result: res}
	if prog.Truncated != "" {
		pass.Incomplete("", prog.Truncated)
	}
	for _, f := range fams {
		if f == nil || f.Run == nil {
			continue
		}
		f.Run(pass)
	}
	res.Findings = dedupeFindings(res.Findings)
	res.Required = report.SortUnique(res.Required, report.CompareRequired)
	res.Egress = report.SortUnique(res.Egress, report.CompareEgress)
	res.Incomplete = report.SortUnique(res.Incomplete, report.CompareIncomplete)
	res.Sensitive = dedupeStrings(res.Sensitive)
	return *res
}

// dedupeFindings keeps one finding per (rule, file, line) — the most severe,
// then the first reported — and sorts by file, line, column, rule.
func dedupeFindings(fs []report.Finding) []report.Finding {
	type key struct {
		rule, file string
		line       int
	}
	idx := make(map[key]int, len(fs))
	out := fs[:0:0]
	for _, f := range fs {
		k := key{f.RuleID, f.File, f.Line}
		if i, ok := idx[k]; ok {
			if f.Severity > out[i].Severity {
				out[i] = f
			}
			continue
		}
		idx[k] = len(out)
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.RuleID < b.RuleID
	})
	return out
}

func dedupeStrings(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	seen := make(map[string]bool, len(ss))
	out := ss[:0:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	// Longest first, so a redactor replaces "abcdef" before its prefix "abc".
	sort.SliceStable(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return out[i] < out[j]
	})
	return out
}
