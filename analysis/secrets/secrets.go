// Package secrets finds secret values in strings: a gitleaks-style ruleset
// kept as TOML data (embedded, extendable by policy) for well-known token
// formats, plus a generic rule (secret-like name + entropy), with
// placeholders, hashes, UUIDs and example values suppressed. It also owns
// redaction: Redact shows the first 4 characters and "…".
package secrets

// Match is one secret found in a string.
type Match struct {
	RuleID      string // "aws-access-token", "generic-secret", …
	Description string // "AWS access key id"
	Secret      string // the secret value itself (callers must redact before output)
	Start, End  int    // byte range of Secret within the scanned string
	Entropy     float64
}

// Detector holds a compiled ruleset.
type Detector struct { /* … */
}

// Default returns the detector for the embedded ruleset.
func Default() *Detector { panic("contract stub") }

// WithRules returns a detector with extra rules and allowlist regexes added
// (from policy); errors name the bad rule.
func (d *Detector) WithRules(extra []Rule, allowlist []string) (*Detector, error) {
	panic("contract stub")
}

// Rule is one pattern (the TOML shape: id, description, regex, secretGroup, entropy, keywords, allowlist).
type Rule struct { /* … */
}

// ScanValue finds well-known-format secrets in a string value (no name context).
func (d *Detector) ScanValue(s string) []Match { panic("contract stub") }

// ScanAssignment judges a value bound to a name (a variable, dict key, keyword
// argument, env var or metadata key): well-known formats, plus the generic
// rule when the name is secret-like ("password", "api_key", "client_secret",
// "token", …) and the value has enough entropy and is not a placeholder.
func (d *Detector) ScanAssignment(name, value string) []Match { panic("contract stub") }

// IsSecretName reports whether a name looks like it holds a secret
// ("API_KEY", "client-secret", "db_password"), for env vars and dict keys.
func IsSecretName(name string) bool { panic("contract stub") }

// Redact returns s with all but its first 4 characters replaced by "…".
func Redact(s string) string { panic("contract stub") }
