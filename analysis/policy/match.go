package policy

import (
	"path"
	"strings"

	"github.com/cdf-preflight/preflight/analysis/report"
)

// cdfHosts are always allowed, whatever the policy says: the code talking
// to CDF is what Cognite Functions are for.
var cdfHosts = []string{"*.cognitedata.com", "*.cognite.ai"}

// GateThreshold returns the gate threshold as a severity (High if the
// policy was built by hand with a bad value).
func (p *Policy) GateThreshold() report.Severity {
	sev, err := parseThreshold(p.Gate.Threshold)
	if err != nil {
		return report.High
	}
	return sev
}

// RuleSeverity applies the [rules] overrides to a finding of rule ruleID in
// category with default severity def: an override of the rule id wins over
// one of its category, field by field. It returns the severity to report
// and whether the rule is enabled.
func (p *Policy) RuleSeverity(ruleID string, category report.Category, def report.Severity) (report.Severity, bool) {
	sev, enabled := def, true
	// Category first, then the rule id, so the more specific one wins.
	for _, key := range []string{strings.ToLower(string(category)), strings.ToUpper(ruleID)} {
		o, ok := p.Rules[key]
		if !ok || key == "" {
			continue
		}
		if o.Enabled != nil {
			enabled = *o.Enabled
		}
		if o.Severity != "" {
			if s, err := report.ParseSeverity(o.Severity); err == nil {
				sev = s
			}
		}
	}
	return sev, enabled
}

// HostAllowed reports whether the code may call host without an egress
// finding: it matches one of network.allowed_hosts or is a CDF host.
// "*.x.com" matches every sub-domain of x.com at any depth (not x.com);
// "*" matches every host; case and a trailing dot are ignored.
func (p *Policy) HostAllowed(host string) bool {
	h := normalizeHost(host)
	if h == "" {
		return false
	}
	for _, list := range [][]string{cdfHosts, p.Network.AllowedHosts} {
		for _, pat := range list {
			if hostMatches(normalizeHost(pat), h) {
				return true
			}
		}
	}
	return false
}

// hostMatches matches a normalized host against a normalized pattern.
func hostMatches(pat, host string) bool {
	switch {
	case pat == "*":
		return true
	case strings.HasPrefix(pat, "*."):
		suffix := pat[1:] // ".x.com"
		return len(host) > len(suffix) && strings.HasSuffix(host, suffix)
	}
	return pat == host
}

// normalizeHost lower-cases a host and drops surrounding spaces and a
// trailing dot.
func normalizeHost(h string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
}

// validHostPattern reports whether a normalized pattern is "*", a host name
// or IPv4 address, or "*." followed by a host name.
func validHostPattern(p string) bool {
	if p == "*" {
		return true
	}
	p = strings.TrimPrefix(p, "*.")
	if p == "" || len(p) > 253 {
		return false
	}
	for _, label := range strings.Split(p, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// OwnerTrusted reports whether a function owner matches one of
// provenance.trusted_owners ("*@acme.com"; case ignored). An empty owner is
// never trusted.
func (p *Policy) OwnerTrusted(owner string) bool {
	o := strings.ToLower(strings.TrimSpace(owner))
	if o == "" {
		return false
	}
	for _, pat := range p.Provenance.TrustedOwners {
		if ok, err := path.Match(strings.ToLower(pat), o); err == nil && ok {
			return true
		}
	}
	return false
}
