package report

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// Redacted is what stands for the hidden part of a redacted value.
const Redacted = "…"

// Redact returns s with all but its first 4 characters (runes) replaced by
// "…"; a value of 4 characters or fewer becomes "…" alone, so no value is
// ever shown whole.
func Redact(s string) string {
	n := 0
	for i := range s {
		if n == 4 {
			return s[:i] + Redacted
		}
		n++
	}
	return Redacted
}

// minRedactRunes is the shortest value RedactValues hides: shorter strings
// are too common to replace everywhere (and Redact would show nothing of
// them anyway).
const minRedactRunes = 4

// RedactValues hides each value (of at least 4 characters) wherever it
// occurs in any string of the report — titles, messages, evidence,
// remediation, egress URLs and hosts, required calls, incomplete reasons,
// the risk summary, function and permission strings — replacing it with its
// redacted form. It is the safety net that keeps secrets out of every output
// whatever a rule wrote. The values are also remembered (in memory only, never
// written) so that WriteText redacts the source lines it shows.
func (r *Report) RedactValues(values []string) {
	set := make(map[string]bool, len(values))
	for _, v := range values {
		if utf8.RuneCountInString(v) >= minRedactRunes {
			set[v] = true
		}
	}
	for _, v := range r.redacted {
		set[v] = true
	}
	if len(set) == 0 {
		return
	}
	vals := make([]string, 0, len(set))
	for v := range set {
		vals = append(vals, v)
	}
	// Longest first, so a value that contains another is hidden whole.
	sort.Slice(vals, func(i, j int) bool {
		if len(vals[i]) != len(vals[j]) {
			return len(vals[i]) > len(vals[j])
		}
		return vals[i] < vals[j]
	})
	r.redacted = vals
	red := func(s *string) { *s = redactIn(*s, vals) }

	red(&r.Tool.Name)
	red(&r.Tool.Version)
	red(&r.Risk.Summary)
	if f := r.Function; f != nil {
		red(&f.ExternalID)
		red(&f.Name)
		red(&f.Owner)
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		for _, s := range []*string{&f.RuleID, &f.Title, &f.Message, &f.File, &f.Evidence, &f.Remediation} {
			red(s)
		}
		for j := range f.Capabilities {
			red(&f.Capabilities[j].ACL)
			red(&f.Capabilities[j].Action)
		}
	}
	for i := range r.Required {
		q := &r.Required[i]
		for _, s := range []*string{&q.ACL, &q.Action, &q.File, &q.Call} {
			red(s)
		}
	}
	for i := range r.Egress {
		e := &r.Egress[i]
		red(&e.Host)
		red(&e.URL)
		red(&e.File)
	}
	if p := r.Permissions; p != nil {
		red(&p.Project)
		red(&p.Level)
		for _, list := range [][]string{p.Reasons, p.Excess, p.Missing, p.Limited} {
			for j := range list {
				red(&list[j])
			}
		}
	}
	for i := range r.Incomplete {
		red(&r.Incomplete[i].File)
		red(&r.Incomplete[i].Reason)
	}
}

// redactIn hides every occurrence of each value in s. Overlapping or
// adjacent occurrences are merged and redacted as one span. A final pass
// replaces whole by "…" any value that the kept prefixes happen to spell
// out again, so no value remains in clear; it ends because each
// replacement makes s shorter.
func redactIn(s string, vals []string) string {
	if s == "" {
		return s
	}
	type span struct{ start, end int }
	var spans []span
	for _, v := range vals {
		for off := 0; off <= len(s)-len(v); {
			i := strings.Index(s[off:], v)
			if i < 0 {
				break
			}
			spans = append(spans, span{off + i, off + i + len(v)})
			off += i + 1
		}
	}
	if len(spans) > 0 {
		sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
		var b strings.Builder
		last := 0
		cur := spans[0]
		flush := func() {
			b.WriteString(s[last:cur.start])
			b.WriteString(Redact(s[cur.start:cur.end]))
			last = cur.end
		}
		for _, sp := range spans[1:] {
			if sp.start <= cur.end {
				cur.end = max(cur.end, sp.end)
				continue
			}
			flush()
			cur = sp
		}
		flush()
		b.WriteString(s[last:])
		s = b.String()
	}
	for changed := true; changed; {
		changed = false
		for _, v := range vals {
			if strings.Contains(s, v) {
				s = strings.ReplaceAll(s, v, Redacted)
				changed = true
			}
		}
	}
	return s
}

// Sensitive returns the values given to RedactValues (longest first), for
// writers that show text the report does not hold, such as source lines.
func (r *Report) Sensitive() []string { return r.redacted }
