// Package secrets finds secret values in strings: a gitleaks-style ruleset
// kept as TOML data (embedded, extendable by policy) for well-known token
// formats, plus a generic rule (secret-like name + entropy), with
// placeholders, hashes, UUIDs and example values suppressed. It also owns
// redaction: Redact shows the first 4 characters and "…".
package secrets

import (
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/cdf-preflight/preflight/analysis/report"
)

// Match is one secret found in a string.
type Match struct {
	RuleID      string // "aws-access-token", "generic-secret", …
	Description string // "AWS access key id"
	Secret      string // the secret value itself (callers must redact before output)
	Start, End  int    // byte range of Secret within the scanned string
	Entropy     float64
	Tags        []string // the rule's tags: "critical" for cloud/CDF credentials and private keys, "analytics" for product-analytics tokens
}

// Critical reports whether the match is a cloud, identity-provider or CDF
// credential or a private key (its rule is tagged "critical").
func (m Match) Critical() bool { return m.HasTag("critical") }

// HasTag reports whether the match's rule carries tag.
func (m Match) HasTag(tag string) bool {
	for _, t := range m.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// Detector holds a compiled ruleset. It is safe for concurrent use.
type Detector struct {
	rules   []*compiledRule // format rules, in file order
	context []*compiledRule // rules that need the name a value is bound to
	global  []*compiledAllowlist
	generic genericRule
}

var (
	defaultOnce sync.Once
	defaultDet  *Detector
)

// Default returns the detector for the embedded ruleset. The ruleset is
// compiled once; a broken embedded ruleset is a build defect and panics
// (TestEmbeddedRules guards it).
func Default() *Detector {
	defaultOnce.Do(func() {
		d, err := load(embeddedRules)
		if err != nil {
			panic("secrets: embedded rules.toml: " + err.Error())
		}
		defaultDet = d
	})
	return defaultDet
}

// WithRules returns a detector with extra rules and allowlist regexes added
// (from policy); errors name the bad rule.
func (d *Detector) WithRules(extra []Rule, allowlist []string) (*Detector, error) {
	n := &Detector{
		rules:   append([]*compiledRule(nil), d.rules...),
		context: append([]*compiledRule(nil), d.context...),
		global:  append([]*compiledAllowlist(nil), d.global...),
		generic: d.generic,
	}
	seen := map[string]bool{}
	for _, r := range d.rules {
		seen[r.ID] = true
	}
	for _, r := range d.context {
		seen[r.ID] = true
	}
	for i, r := range extra {
		c, err := compileRule(r)
		if err != nil {
			if r.ID == "" {
				return nil, &RuleError{Index: i, Err: err}
			}
			return nil, &RuleError{ID: r.ID, Index: i, Err: err}
		}
		if seen[r.ID] {
			return nil, &RuleError{ID: r.ID, Index: i, Err: errDuplicateID}
		}
		seen[r.ID] = true
		if c.context != nil {
			n.context = append(n.context, c)
		} else {
			n.rules = append(n.rules, c)
		}
	}
	if len(allowlist) > 0 {
		a, err := compileAllowlist(Allowlist{Description: "policy allowlist", Regexes: allowlist})
		if err != nil {
			return nil, &RuleError{ID: "allowlist", Index: -1, Err: err}
		}
		n.global = append(n.global, a)
	}
	return n, nil
}

// Rule is one pattern (the TOML shape: id, description, regex, secretGroup,
// entropy, keywords, allowlists; plus context and tags).
type Rule struct {
	ID          string  `toml:"id"`
	Description string  `toml:"description"`
	Regex       string  `toml:"regex"`       // Go RE2
	SecretGroup int     `toml:"secretGroup"` // capture group of the secret; 0: first non-empty group
	Entropy     float64 `toml:"entropy"`     // minimum Shannon entropy (bits/byte) of the secret; 0: none
	// Keywords are lower-case literals; the regex runs only on text that
	// contains one of them (none: always).
	Keywords []string `toml:"keywords"`
	// Context, when set, is a regex on the name a value is bound to; the
	// rule then runs only in ScanAssignment, on the value, when the name
	// matches (e.g. a Mixpanel token is 32 hex digits only next to "mixpanel").
	Context    string      `toml:"context"`
	Tags       []string    `toml:"tags"`
	Allowlists []Allowlist `toml:"allowlists"`
}

// Allowlist drops a finding whose secret matches one of Regexes or contains
// one of Stopwords (case-insensitive).
type Allowlist struct {
	Description string   `toml:"description"`
	Regexes     []string `toml:"regexes"`
	Stopwords   []string `toml:"stopwords"`
}

// ScanValue finds well-known-format secrets in a string value (no name context).
func (d *Detector) ScanValue(s string) []Match {
	if len(s) < minSecretLen {
		return nil
	}
	lower := asciiLower(s)
	var out []Match
	for _, r := range d.rules {
		out = r.find(d, s, lower, out)
	}
	return dedupe(out)
}

// ScanAssignment judges a value bound to a name (a variable, dict key, keyword
// argument, env var or metadata key): well-known formats, plus the generic
// rule when the name is secret-like ("password", "api_key", "client_secret",
// "token", …) and the value has enough entropy and is not a placeholder.
//
// The name may be qualified with its context, "Mixpanel" (the callee of a
// positional argument) or "OAuthClientCredentials.client_secret" (a keyword
// argument): context rules see all of it; the generic rule judges the last
// dotted component.
func (d *Detector) ScanAssignment(name, value string) []Match {
	out := d.ScanValue(value)
	if len(out) > 0 || len(value) < minSecretLen {
		return out
	}
	lowerName := strings.ToLower(name)
	lower := asciiLower(value)
	about := namesSomethingElse(lastComponent(name))
	for _, r := range d.context {
		if about {
			break
		}
		if r.context.MatchString(name) || r.context.MatchString(lowerName) {
			out = r.find(d, value, lower, out)
		}
	}
	if len(out) > 0 {
		return dedupe(out)
	}
	// "Bearer <token>", "Basic <credentials>": judge the credential.
	off := authSchemeLen(value)
	if m, ok := d.generic.judge(d, lastComponent(name), value[off:]); ok {
		m.Start += off
		m.End += off
		out = append(out, m)
	}
	return out
}

// authSchemeLen returns the length of an HTTP authorization scheme prefix
// ("Bearer ", "Basic ", "token ") of v, or 0.
func authSchemeLen(v string) int {
	for _, p := range []string{"bearer ", "basic ", "token ", "apikey ", "sso-key "} {
		if len(v) > len(p) && strings.EqualFold(v[:len(p)], p) {
			return len(p)
		}
	}
	return 0
}

// IsPlaceholder reports whether a value bound to a secret-like name is
// clearly not a secret: empty, a boolean or number, a reference to an
// environment variable or template, a URL without credentials, a file path,
// a masked value ("***") or an example/placeholder the allowlists know.
func (d *Detector) IsPlaceholder(v string) bool {
	v = strings.TrimSpace(v)
	if len(v) < 4 {
		return true
	}
	switch strings.ToLower(v) {
	case "true", "false", "none", "null", "nil", "yes", "enabled", "disabled", "undefined":
		return true
	}
	return d.allowed(v) || genericStopword(v) && !hasDigitOrSymbol(v) || isNonSecretShape(v) && !strings.ContainsAny(v, " \t")
}

// Redact returns s with all but its first 4 characters replaced by "…"
// (report.Redact: one rule for every output).
func Redact(s string) string { return report.Redact(s) }

// RedactIn returns text with every occurrence of each secret replaced by its
// redacted form, for evidence lines and messages.
func RedactIn(text string, secrets ...string) string {
	sorted := append([]string(nil), secrets...)
	sort.Slice(sorted, func(i, j int) bool { return len(sorted[i]) > len(sorted[j]) })
	for _, s := range sorted {
		if s == "" {
			continue
		}
		text = strings.ReplaceAll(text, s, Redact(s))
		// A multi-line secret (a private key) may appear on a line only in part.
		if i := strings.IndexByte(s, '\n'); i > 0 && utf8.RuneCountInString(s[:i]) > 4 {
			first := s[:i]
			text = strings.ReplaceAll(text, first, Redact(first))
		}
	}
	return text
}

// lastComponent returns the part of a qualified name after its last ".".
func lastComponent(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 && i+1 < len(name) {
		return name[i+1:]
	}
	return name
}

// dedupe drops matches that overlap an earlier one (rules earlier in the
// file win) and returns the rest in text order.
func dedupe(ms []Match) []Match {
	if len(ms) < 2 {
		return ms
	}
	var keep []Match
	for _, m := range ms {
		overlap := false
		for _, k := range keep {
			if m.Start < k.End && k.Start < m.End {
				overlap = true
				break
			}
		}
		if !overlap {
			keep = append(keep, m)
		}
	}
	sort.SliceStable(keep, func(i, j int) bool { return keep[i].Start < keep[j].Start })
	return keep
}
