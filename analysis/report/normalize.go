package report

import (
	"cmp"
	"slices"
	"sort"
)

// Normalize puts the report in its canonical form, so that equal analyses
// give byte-identical output: nil slices become empty, findings are sorted by
// file, line, column and rule id (then by the rest of their fields), and the
// required capabilities, egress destinations and incomplete parts are sorted
// with duplicates removed.
func (r *Report) Normalize() {
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	// sort.SliceStable, like SortUnique's sort.Slice, is one shared
	// non-generic sort: slices.SortStableFunc and SortFunc instantiate a
	// copy of the algorithm per element type, 10–25 KB of the browser's
	// WebAssembly each. A stable sort's result does not depend on the
	// algorithm, so the order is the same.
	sort.SliceStable(r.Findings, func(i, j int) bool { return compareFindings(r.Findings[i], r.Findings[j]) < 0 })

	r.Required = SortUnique(r.Required, CompareRequired)
	r.Egress = SortUnique(r.Egress, CompareEgress)
	r.Incomplete = SortUnique(r.Incomplete, CompareIncomplete)
	if p := r.Permissions; p != nil {
		p.Excess = SortUnique(p.Excess, cmp.Compare[string])
		p.Missing = SortUnique(p.Missing, cmp.Compare[string])
		p.Limited = SortUnique(p.Limited, cmp.Compare[string])
	}
}

// compareFindings orders findings by place, then rule, then everything else
// (so the order never depends on the order rules ran in).
func compareFindings(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		cmp.Compare(a.RuleID, b.RuleID),
		cmp.Compare(a.EndLine, b.EndLine),
		cmp.Compare(a.EndColumn, b.EndColumn),
		cmp.Compare(b.Severity, a.Severity),
		cmp.Compare(a.Title, b.Title),
		cmp.Compare(a.Message, b.Message),
		cmp.Compare(a.Evidence, b.Evidence),
	)
}

// CompareRequired orders required capabilities by ACL, action, then place.
func CompareRequired(a, b Required) int {
	return cmp.Or(cmp.Compare(a.ACL, b.ACL), cmp.Compare(a.Action, b.Action),
		cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Call, b.Call))
}

// CompareEgress orders egress destinations by host, URL, then place.
func CompareEgress(a, b Egress) int {
	return cmp.Or(cmp.Compare(a.Host, b.Host), cmp.Compare(a.URL, b.URL),
		cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
}

// CompareIncomplete orders incomplete parts by file, then reason.
func CompareIncomplete(a, b Incomplete) int {
	return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Reason, b.Reason))
}

// SortUnique sorts s by compare and drops elements equal (by compare) to
// their predecessor (the first of equal elements in s is kept); a nil s
// becomes empty. The report's lists are canonicalised with it, here and by
// the rules that fill them.
func SortUnique[T any](s []T, compare func(a, b T) int) []T {
	if s == nil {
		return []T{}
	}
	sort.SliceStable(s, func(i, j int) bool { return compare(s[i], s[j]) < 0 })
	return slices.CompactFunc(s, func(a, b T) bool { return compare(a, b) == 0 })
}

// normalized returns a normalized copy of r, leaving r (and the slices it
// shares) untouched.
func (r *Report) normalized() *Report {
	c := *r
	c.Findings = slices.Clone(r.Findings)
	c.Required = slices.Clone(r.Required)
	c.Egress = slices.Clone(r.Egress)
	c.Incomplete = slices.Clone(r.Incomplete)
	if r.Function != nil {
		f := *r.Function
		c.Function = &f
	}
	if r.Permissions != nil {
		p := *r.Permissions
		p.Excess = slices.Clone(p.Excess)
		p.Missing = slices.Clone(p.Missing)
		p.Limited = slices.Clone(p.Limited)
		p.Reasons = slices.Clone(p.Reasons)
		c.Permissions = &p
	}
	c.Normalize()
	return &c
}
