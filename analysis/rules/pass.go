package rules

import (
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
}

// Report records a finding as given (for findings not tied to a node, e.g.
// metadata). Policy overrides (rule disabled, severity changed) are applied here.
func (p *Pass) Report(f report.Finding) { panic("contract stub") }

// ReportNode records a finding at node in module m: File, Line, Column,
// EndLine, EndColumn (1-based) and Evidence (the first source line of the
// node, trimmed) are filled in. Secrets in Evidence are redacted by the
// caller of Run, not here.
func (p *Pass) ReportNode(m *Module, node pyast.Node, f report.Finding) { panic("contract stub") }

// Require records a capability the code needs at node.
func (p *Pass) Require(m *Module, node pyast.Node, c cdf.Capability, call string) {
	panic("contract stub")
}

// AddEgress records an outbound destination at node.
func (p *Pass) AddEgress(m *Module, node pyast.Node, host, url string) { panic("contract stub") }

// Incomplete records a part of the bundle that was not fully analysed (also
// reported as an analysis-incomplete finding).
func (p *Pass) Incomplete(file, reason string) { panic("contract stub") }

// Families is every family, in the order they run.
var Families []*Family

// Run runs every family over the program and returns what they reported,
// de-duplicated (same rule, file, line) and sorted (file, line, column, rule).
func Run(prog *Program, b *bundle.Bundle, fn *cdf.Function, pol *policy.Policy, det *secrets.Detector) Result {
	panic("contract stub")
}
