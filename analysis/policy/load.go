package policy

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"strings"

	toml "github.com/pelletier/go-toml/v2"
)

//go:embed default.toml
var defaultTOML []byte

// DefaultTOML returns the embedded default policy document, with its
// comments (the reference for every setting).
func DefaultTOML() []byte { return slices.Clone(defaultTOML) }

// defaultPolicy is the decoded default.toml (never handed out: Default copies).
var defaultPolicy = mustDecodeDefault()

func mustDecodeDefault() *Policy {
	var p Policy
	if err := toml.NewDecoder(bytes.NewReader(defaultTOML)).DisallowUnknownFields().Decode(&p); err != nil {
		panic("policy: embedded default.toml: " + err.Error())
	}
	if p.Rules == nil {
		p.Rules = map[string]RuleOverride{}
	}
	return &p
}

// Default returns the embedded default policy (a fresh copy each call).
func Default() *Policy { return defaultPolicy.clone() }

// MaxPolicyBytes bounds the size of a policy document.
const MaxPolicyBytes = 1 << 20

// Load parses a user policy and merges it over the defaults: a setting
// given replaces the default, except network.allowed_hosts,
// provenance.trusted_owners, secrets.rules, secrets.allowlist,
// supply_chain.extra_packages, supply_chain.allowed_indexes and the
// permissions lists, whose
// entries are added to the defaults, and [rules], whose entries are merged
// by key. Unknown settings, wrong types, bad values (threshold, severities,
// host and owner patterns, regexes, rule keys, negative limits) are errors;
// the error is an ErrorList whose every Error names the line and column
// ("policy.toml:3:13: threshold must be one of low, medium, high, critical
// — got \"hgih\""). An empty document gives the defaults.
func Load(name string, userTOML []byte) (*Policy, error) {
	if name == "" {
		name = "policy.toml"
	}
	if len(userTOML) > MaxPolicyBytes {
		return nil, ErrorList{{Name: name, Line: 1, Column: 1,
			Msg: fmt.Sprintf("the policy is %d bytes; the most allowed is %d (1 MiB)", len(userTOML), MaxPolicyBytes)}}
	}
	var user Policy
	if err := toml.NewDecoder(bytes.NewReader(userTOML)).DisallowUnknownFields().Decode(&user); err != nil {
		list := decodeErrors(name, err)
		list.sort()
		return nil, list
	}
	idx := indexKeys(userTOML)
	if list := validate(name, &user, idx); len(list) > 0 {
		list.sort()
		if len(list) > maxErrors {
			list = list[:maxErrors]
		}
		return nil, list
	}
	return merge(Default(), &user, idx), nil
}

// merge applies the user's settings (those present in idx) over p.
func merge(p, user *Policy, idx keyIndex) *Policy {
	if idx.has("gate.threshold") {
		p.Gate.Threshold = strings.ToLower(strings.TrimSpace(user.Gate.Threshold))
	}
	p.Network.AllowedHosts = extend(p.Network.AllowedHosts, user.Network.AllowedHosts, normalizeHost)
	p.Provenance.TrustedOwners = extend(p.Provenance.TrustedOwners, user.Provenance.TrustedOwners, strings.ToLower)
	if idx.has("provenance.require_toolkit") {
		p.Provenance.RequireToolkit = user.Provenance.RequireToolkit
	}
	for key, o := range user.Rules {
		key = canonicalRuleKey(key)
		cur := p.Rules[key]
		if o.Enabled != nil {
			v := *o.Enabled
			cur.Enabled = &v
		}
		if o.Severity != "" {
			cur.Severity = strings.ToLower(strings.TrimSpace(o.Severity))
		}
		p.Rules[key] = cur
	}
	p.Secrets.Rules = append(p.Secrets.Rules, cloneSecretRules(user.Secrets.Rules)...)
	p.Secrets.Allowlist = extend(p.Secrets.Allowlist, user.Secrets.Allowlist, nil)
	if idx.has("supply_chain.flag_unpinned") {
		p.SupplyChain.FlagUnpinned = user.SupplyChain.FlagUnpinned
	}
	p.SupplyChain.ExtraPackages = extend(p.SupplyChain.ExtraPackages, user.SupplyChain.ExtraPackages, strings.ToLower)
	p.SupplyChain.AllowedIndexes = extend(p.SupplyChain.AllowedIndexes, user.SupplyChain.AllowedIndexes, nil)
	for _, l := range []struct {
		key string
		dst *int64
		src int64
	}{
		{"limits.max_total_bytes", &p.Limits.MaxTotalBytes, user.Limits.MaxTotalBytes},
		{"limits.max_file_bytes", &p.Limits.MaxFileBytes, user.Limits.MaxFileBytes},
		{"limits.max_zip_bytes", &p.Limits.MaxZipBytes, user.Limits.MaxZipBytes},
	} {
		if idx.has(l.key) {
			*l.dst = l.src
		}
	}
	p.Permissions.Admin = extend(p.Permissions.Admin, user.Permissions.Admin, strings.TrimSpace)
	p.Permissions.Elevated = extend(p.Permissions.Elevated, user.Permissions.Elevated, strings.TrimSpace)
	p.Permissions.Ignore = extend(p.Permissions.Ignore, user.Permissions.Ignore, strings.TrimSpace)
	if idx.has("limits.max_files") {
		p.Limits.MaxFiles = user.Limits.MaxFiles
	}
	if idx.has("limits.max_ratio") {
		p.Limits.MaxRatio = user.Limits.MaxRatio
	}
	return p
}

// extend appends the entries of add (normalized by norm, if given) that
// base does not hold yet.
func extend(base, add []string, norm func(string) string) []string {
	out := slices.Clone(base)
	if out == nil {
		out = []string{}
	}
	for _, s := range add {
		if norm != nil {
			s = norm(s)
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// canonicalRuleKey spells rule ids upper-case and categories lower-case.
func canonicalRuleKey(k string) string {
	k = strings.TrimSpace(k)
	if strings.HasPrefix(strings.ToUpper(k), "PF-") {
		return strings.ToUpper(k)
	}
	return strings.ToLower(k)
}

// clone deep-copies p.
func (p *Policy) clone() *Policy {
	c := *p
	c.Network.AllowedHosts = slices.Clone(p.Network.AllowedHosts)
	c.Provenance.TrustedOwners = slices.Clone(p.Provenance.TrustedOwners)
	c.Rules = make(map[string]RuleOverride, len(p.Rules))
	for k, o := range p.Rules {
		if o.Enabled != nil {
			v := *o.Enabled
			o.Enabled = &v
		}
		c.Rules[k] = o
	}
	c.Secrets.Rules = cloneSecretRules(p.Secrets.Rules)
	c.Secrets.Allowlist = slices.Clone(p.Secrets.Allowlist)
	c.SupplyChain.ExtraPackages = slices.Clone(p.SupplyChain.ExtraPackages)
	c.SupplyChain.AllowedIndexes = slices.Clone(p.SupplyChain.AllowedIndexes)
	c.Permissions.Admin = slices.Clone(p.Permissions.Admin)
	c.Permissions.Elevated = slices.Clone(p.Permissions.Elevated)
	c.Permissions.Ignore = slices.Clone(p.Permissions.Ignore)
	return &c
}

func cloneSecretRules(rs []SecretRule) []SecretRule {
	out := slices.Clone(rs)
	for i := range out {
		// An absent keywords list and "keywords = []" mean the same; keep
		// one form so a policy equals itself after a print and reload.
		out[i].Keywords = append([]string{}, out[i].Keywords...)
	}
	if out == nil {
		out = []SecretRule{}
	}
	return out
}
