// Package report is Preflight's report model — findings, risk, required
// capabilities, egress, permissions — and its public forms: JSON (a stable
// contract with schemaVersion), SARIF 2.1.0 and text for people. Secret
// values are redacted in every form.
package report

// SchemaVersion is the version of the JSON report contract.
const SchemaVersion = 1

// Severity orders findings: Info < Low < Medium < High < Critical.
type Severity int

// Severities.
const (
	Info Severity = iota
	Low
	Medium
	High
	Critical
)

// Category is one of the fixed vocabulary of finding categories.
type Category string

// Categories (the fixed vocabulary of DESIGN.md).
const (
	HardcodedSecret       Category = "hardcoded-secret"
	SecretExposure        Category = "secret-exposure"
	CredentialAccess      Category = "credential-access"
	PlaintextConfigSecret Category = "plaintext-config-secret"
	NetworkEgress         Category = "network-egress"
	DataExfiltration      Category = "data-exfiltration"
	CodeExecution         Category = "code-execution"
	Obfuscation           Category = "obfuscation"
	DestructiveOperation  Category = "destructive-operation"
	PrivilegeChange       Category = "privilege-change"
	SupplyChain           Category = "supply-chain"
	Provenance            Category = "provenance"
	PermissionExcess      Category = "permission-excess"
	AnalysisIncomplete    Category = "analysis-incomplete"
)

// Confidence says how sure a rule is: "low", "medium" or "high".
type Confidence string

// Confidences.
const (
	ConfidenceLow    Confidence = "low"
	ConfidenceMedium Confidence = "medium"
	ConfidenceHigh   Confidence = "high"
)

// RiskLevel is the overall verdict: none, low, medium, high, critical, or
// unknown when the code could not be analysed. Unknown is never "safe".
type RiskLevel string

// Risk levels.
const (
	RiskNone     RiskLevel = "none"
	RiskLow      RiskLevel = "low"
	RiskMedium   RiskLevel = "medium"
	RiskHigh     RiskLevel = "high"
	RiskCritical RiskLevel = "critical"
	RiskUnknown  RiskLevel = "unknown"
)

// Capability is one CDF ACL action, e.g. {assetsAcl, WRITE}.
type Capability struct {
	ACL    string `json:"acl"`
	Action string `json:"action"`
}

// Finding is one thing the user should know, at a place in the bundle.
// File is relative to the bundle root with "/" separators; Line and Column
// are 1-based (0 when the finding is not about a place in a file, e.g. a
// metadata finding). Evidence never holds a secret in clear.
type Finding struct {
	RuleID       string       `json:"ruleId"`
	Category     Category     `json:"category"`
	Severity     Severity     `json:"severity"`
	Confidence   Confidence   `json:"confidence"`
	Title        string       `json:"title"`
	Message      string       `json:"message"`
	File         string       `json:"file,omitempty"`
	Line         int          `json:"line,omitempty"`
	Column       int          `json:"column,omitempty"`
	EndLine      int          `json:"endLine,omitempty"`
	EndColumn    int          `json:"endColumn,omitempty"`
	Evidence     string       `json:"evidence,omitempty"`
	Remediation  string       `json:"remediation,omitempty"`
	Capabilities []Capability `json:"capabilities,omitempty"`
}

// Required is a capability the code needs, with where it is needed. Call is
// the SDK path or HTTP request that needs it (e.g. "client.assets.delete").
type Required struct {
	ACL    string `json:"acl"`
	Action string `json:"action"`
	File   string `json:"file"`
	Line   int    `json:"line"`
	Call   string `json:"call,omitempty"`
}

// Egress is an outbound network destination of the code. Host is "" when it
// cannot be known statically (then URL holds what is known, e.g. "https://{…}/x").
type Egress struct {
	Host string `json:"host"`
	URL  string `json:"url,omitempty"`
	File string `json:"file"`
	Line int    `json:"line"`
}

// Permissions is the caller's authority in the project against what the
// function needs (filled when a token-inspect response is given).
type Permissions struct {
	Project string   `json:"project"`
	Level   string   `json:"level"`
	Reasons []string `json:"reasons,omitempty"`
	CanCall bool     `json:"canCall"`
	Excess  []string `json:"excess"`
	Missing []string `json:"missing"`
	// Limited lists capabilities the code needs that the caller holds only
	// in some scopes (data sets, spaces, RAW tables): those calls work only
	// on data there.
	Limited []string `json:"limited,omitempty"`
}

// Incomplete records a part of the bundle that was not (fully) analysed.
type Incomplete struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// Function identifies the analysed function (from its CDF metadata).
type Function struct {
	ID         int64  `json:"id,omitempty"`
	ExternalID string `json:"externalId,omitempty"`
	Name       string `json:"name,omitempty"`
	Owner      string `json:"owner,omitempty"`
	FileID     int64  `json:"fileId,omitempty"`
}

// Risk is the overall verdict with a score 0–100 and one summary sentence.
type Risk struct {
	Level   RiskLevel `json:"level"`
	Score   int       `json:"score"`
	Summary string    `json:"summary"`
}

// Tool names the producer.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Report is the result of analysing one function bundle. Slices are never
// nil in JSON (empty arrays), so consumers need no null checks.
type Report struct {
	SchemaVersion int          `json:"schemaVersion"`
	Tool          Tool         `json:"tool"`
	Function      *Function    `json:"function,omitempty"`
	Risk          Risk         `json:"risk"`
	Findings      []Finding    `json:"findings"`
	Required      []Required   `json:"required"`
	Egress        []Egress     `json:"egress"`
	Permissions   *Permissions `json:"permissions,omitempty"`
	Incomplete    []Incomplete `json:"incomplete"`

	// redacted holds the values given to RedactValues, so that text output
	// can hide them in the source lines it shows. Never serialised.
	redacted []string
}
