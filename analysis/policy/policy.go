// Package policy is Preflight's policy: embedded defaults (default.toml), a
// user's TOML merged over them, and validation that names the line and
// column of every mistake.
package policy

// Policy is the effective policy. Field names are the TOML keys.
type Policy struct {
	// Gate decides when Run/Call asks for confirmation (and scan --fail-on default).
	Gate Gate `toml:"gate"`
	// Network: hosts the code may call without a high-severity finding.
	Network Network `toml:"network"`
	// Provenance: who is trusted to own functions.
	Provenance Provenance `toml:"provenance"`
	// Rules overrides per rule id ("PF-EXEC-001") or category ("code-execution").
	Rules map[string]RuleOverride `toml:"rules"`
	// Secrets: extra gitleaks-style patterns and allowlist.
	Secrets Secrets `toml:"secrets"`
	// SupplyChain: requirements.txt checks.
	SupplyChain SupplyChain `toml:"supply_chain"`
	// Limits bound the analysis of one bundle.
	Limits Limits `toml:"limits"`
	// Permissions changes which capabilities make a user admin or elevated.
	Permissions Permissions `toml:"permissions"`
}

// Permissions overrides the permission-level catalogue. Entries are
// capabilities "ACL:ACTION" (in any scope) or "ACL:ACTION:all" (only when
// held on all).
type Permissions struct {
	Admin    []string `toml:"admin"`    // also make a user admin (extends)
	Elevated []string `toml:"elevated"` // also make a user elevated (extends)
	Ignore   []string `toml:"ignore"`   // never raise the level (extends)
}

// Gate configures the confirm gate.
type Gate struct {
	Threshold string `toml:"threshold"` // "low".."critical"; default "high"; unknown always gates
}

// Network configures egress checks.
type Network struct {
	AllowedHosts []string `toml:"allowed_hosts"` // globs: "*.cognitedata.com", "api.example.com"
}

// Provenance configures owner and deployment checks.
type Provenance struct {
	TrustedOwners  []string `toml:"trusted_owners"`  // globs on the owner field: "*@acme.com"
	RequireToolkit bool     `toml:"require_toolkit"` // flag functions not deployed by Cognite Toolkit
}

// RuleOverride turns a rule off or changes its severity.
type RuleOverride struct {
	Enabled  *bool  `toml:"enabled,omitempty"`  // nil: unchanged
	Severity string `toml:"severity,omitempty"` // "": unchanged; else "info".."critical"
}

// Secrets adds detection patterns (same shape as the embedded ruleset).
type Secrets struct {
	Rules     []SecretRule `toml:"rules"`
	Allowlist []string     `toml:"allowlist"` // regexes; a matching secret value is ignored
}

// SecretRule is a gitleaks-style rule.
type SecretRule struct {
	ID          string   `toml:"id"`
	Description string   `toml:"description"`
	Regex       string   `toml:"regex"`
	SecretGroup int      `toml:"secret_group"`
	Entropy     float64  `toml:"entropy"`
	Keywords    []string `toml:"keywords"`
}

// SupplyChain configures requirements.txt checks.
type SupplyChain struct {
	FlagUnpinned   bool     `toml:"flag_unpinned"`   // default true (low severity)
	ExtraPackages  []string `toml:"extra_packages"`  // more names to protect against typosquats
	AllowedIndexes []string `toml:"allowed_indexes"` // index URLs (globs) that are not flagged
}

// Limits bound one bundle's analysis.
type Limits struct {
	MaxFiles      int   `toml:"max_files"`       // default 2000
	MaxTotalBytes int64 `toml:"max_total_bytes"` // uncompressed, default 64 MiB
	MaxFileBytes  int64 `toml:"max_file_bytes"`  // per file, default 10 MiB
	MaxRatio      int   `toml:"max_ratio"`       // compression ratio, default 200
	MaxZipBytes   int64 `toml:"max_zip_bytes"`   // compressed input, default 50 MiB
}
