package policy

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/cdf-preflight/preflight/analysis/report"
)

// validator collects the semantic errors of a decoded user policy.
type validator struct {
	name string
	idx  keyIndex
	errs ErrorList
}

// errorf records a mistake in key's value, at the value's place in the
// document.
func (v *validator) errorf(key, format string, args ...any) {
	v.errorAt(v.idx.find(key), key, format, args...)
}

// keyErrorf records a mistake in key's name, at the key.
func (v *validator) keyErrorf(key, format string, args ...any) {
	v.errorAt(v.idx.findKey(key), key, format, args...)
}

func (v *validator) errorAt(pos position, key, format string, args ...any) {
	v.errs = append(v.errs, &Error{Name: v.name, Line: pos.Line, Column: pos.Column, Key: key, Msg: fmt.Sprintf(format, args...)})
}

// validate checks the values of the user's policy (the types were checked
// by the decoder).
func validate(name string, p *Policy, idx keyIndex) ErrorList {
	v := &validator{name: name, idx: idx}
	if idx.has("gate.threshold") {
		if _, err := parseThreshold(p.Gate.Threshold); err != nil {
			v.errorf("gate.threshold", "%v", err)
		}
	}
	for i, h := range p.Network.AllowedHosts {
		if !validHostPattern(normalizeHost(h)) {
			v.errorf(elem("network.allowed_hosts", i),
				`%q is not a host name or a pattern like "*.example.com"`, h)
		}
	}
	for i, o := range p.Provenance.TrustedOwners {
		if err := checkGlob(o); err != nil {
			v.errorf(elem("provenance.trusted_owners", i), "owner pattern %q: %v", o, err)
		}
	}
	for key, o := range p.Rules {
		at := "rules." + key
		if !validRuleKey(key) {
			v.keyErrorf(at, `%q is neither a rule id like "PF-EXEC-001" nor a category (%s)`, key, categoryList())
		}
		if o.Severity != "" || idx.has(at+".severity") {
			if _, err := report.ParseSeverity(o.Severity); err != nil {
				v.errorf(at+".severity", "%v", err)
			}
		}
	}
	ids := map[string]bool{}
	for i, r := range p.Secrets.Rules {
		at := elem("secrets.rules", i)
		switch {
		case strings.TrimSpace(r.ID) == "":
			v.keyErrorf(at, "a secret rule needs an id")
		case ids[r.ID]:
			v.errorf(at+".id", "secret rule id %q is used twice", r.ID)
		}
		ids[r.ID] = true
		if r.Regex == "" {
			v.keyErrorf(at, "secret rule %q needs a regex", r.ID)
		} else if re, err := regexp.Compile(r.Regex); err != nil {
			v.errorf(at+".regex", "regex of secret rule %q does not compile: %v", r.ID, regexError(err))
		} else if r.SecretGroup < 0 || r.SecretGroup > re.NumSubexp() {
			v.errorf(at+".secret_group", "secret_group must be between 0 and %d (the regex's groups) — got %d", re.NumSubexp(), r.SecretGroup)
		}
		if r.Entropy < 0 || r.Entropy > 8 || r.Entropy != r.Entropy {
			v.errorf(at+".entropy", "entropy must be between 0 and 8 (bits per character) — got %v", r.Entropy)
		}
		for j, k := range r.Keywords {
			if strings.TrimSpace(k) == "" {
				v.errorf(elem(at+".keywords", j), "a keyword cannot be empty")
			}
		}
	}
	for i, a := range p.Secrets.Allowlist {
		if _, err := regexp.Compile(a); err != nil {
			v.errorf(elem("secrets.allowlist", i), "allowlist regex %q does not compile: %v", a, regexError(err))
		}
	}
	for i, name := range p.SupplyChain.ExtraPackages {
		if !packageName.MatchString(name) {
			v.errorf(elem("supply_chain.extra_packages", i), "%q is not a Python package name", name)
		}
	}
	for i, u := range p.SupplyChain.AllowedIndexes {
		if err := checkGlob(u); err != nil {
			v.errorf(elem("supply_chain.allowed_indexes", i), "index pattern %q: %v", u, err)
		}
	}
	for _, list := range []struct {
		key   string
		specs []string
	}{
		{"permissions.admin", p.Permissions.Admin},
		{"permissions.elevated", p.Permissions.Elevated},
		{"permissions.ignore", p.Permissions.Ignore},
	} {
		for i, s := range list.specs {
			if !capabilitySpec.MatchString(strings.TrimSpace(s)) {
				v.errorf(elem(list.key, i), `%q is not a capability like "assetsAcl:WRITE" (any scope) or "assetsAcl:WRITE:all" (only on all)`, s)
			}
		}
	}
	for _, l := range []struct {
		key string
		val int64
	}{
		{"max_files", int64(p.Limits.MaxFiles)},
		{"max_total_bytes", p.Limits.MaxTotalBytes},
		{"max_file_bytes", p.Limits.MaxFileBytes},
		{"max_ratio", int64(p.Limits.MaxRatio)},
		{"max_zip_bytes", p.Limits.MaxZipBytes},
	} {
		if l.val < 0 {
			v.errorf("limits."+l.key, "%s cannot be negative — got %d (0 means the default)", l.key, l.val)
		}
	}
	return v.errs
}

// elem names list element i of key.
func elem(key string, i int) string { return key + "[" + strconv.Itoa(i) + "]" }

// parseThreshold reads a gate threshold: low, medium, high or critical.
func parseThreshold(s string) (report.Severity, error) {
	sev, err := report.ParseSeverity(s)
	if err != nil || sev == report.Info {
		return report.High, fmt.Errorf("threshold must be one of low, medium, high, critical — got %q", s)
	}
	return sev, nil
}

// categories is the fixed vocabulary a [rules] key may name.
var categories = []report.Category{
	report.HardcodedSecret, report.SecretExposure, report.CredentialAccess, report.PlaintextConfigSecret,
	report.NetworkEgress, report.DataExfiltration, report.CodeExecution, report.Obfuscation,
	report.DestructiveOperation, report.PrivilegeChange, report.SupplyChain, report.Provenance,
	report.PermissionExcess, report.AnalysisIncomplete,
}

func categoryList() string {
	s := make([]string, len(categories))
	for i, c := range categories {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}

// ruleID is the shape of a rule id: PF-FAMILY-NNN.
var ruleID = regexp.MustCompile(`^PF-[A-Z]{2,10}-[0-9]{3}$`)

// validRuleKey reports whether k is a rule id or a category (any case).
func validRuleKey(k string) bool {
	c := canonicalRuleKey(k)
	if ruleID.MatchString(c) {
		return true
	}
	for _, cat := range categories {
		if c == string(cat) {
			return true
		}
	}
	return false
}

// capabilitySpec is "ACL:ACTION" or "ACL:ACTION:all" (the same form as
// cdf.ParseCapabilitySpec reads).
var capabilitySpec = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*[Aa][Cc][Ll]:[A-Za-z][A-Za-z_]*(:all)?$`)

// packageName is PEP 508's project name.
var packageName = regexp.MustCompile(`^(?i:[a-z0-9]|[a-z0-9][a-z0-9._-]*[a-z0-9])$`)

// checkGlob checks a "*"/"?" pattern (path.Match syntax).
func checkGlob(p string) error {
	if strings.TrimSpace(p) == "" {
		return fmt.Errorf("the pattern is empty")
	}
	if _, err := path.Match(p, ""); err != nil {
		return fmt.Errorf("not a valid pattern (unbalanced [ or a trailing \\)")
	}
	return nil
}

// regexError shortens a regexp error to its reason.
func regexError(err error) string {
	return strings.TrimPrefix(err.Error(), "error parsing regexp: ")
}
