// Package cdf is Preflight's knowledge of Cognite Data Fusion: the function
// object, the Python SDK's call paths and the capabilities they need, the
// ACL catalogue, token-inspect responses and permission levels. The tables
// are data (TOML, embedded) so they are reviewed like code and extended by
// policy.
package cdf

// Function is a function object as the CDF API returns it (function.json).
// Unknown fields are ignored; every string in it is untrusted.
type Function struct {
	ID           int64             `json:"id"`
	ExternalID   string            `json:"externalId"`
	Name         string            `json:"name"`
	Description  string            `json:"description"`
	Owner        string            `json:"owner"`
	Status       string            `json:"status"`
	FileID       int64             `json:"fileId"`
	FunctionPath string            `json:"functionPath"`
	Secrets      map[string]string `json:"secrets"` // values masked ("***") by the API
	EnvVars      map[string]string `json:"envVars"`
	Metadata     map[string]string `json:"metadata"`
	Runtime      string            `json:"runtime"`
	CPU          float64           `json:"cpu"`
	Memory       float64           `json:"memory"`
	CreatedTime  int64             `json:"createdTime"`
}

// ParseFunction parses a function object (or {"items":[fn]}); errors name
// the JSON problem's offset.
func ParseFunction(data []byte) (*Function, error) { panic("contract stub") }

// Effect classifies what an SDK call does, for the rule families.
type Effect uint16

// Effects (a call may have several).
const (
	EffectRead       Effect = 1 << iota
	EffectWrite             // create/update/upsert/insert
	EffectDelete            // deletes data
	EffectOverwrite         // replaces existing data wholesale (e.g. upsert with replace, files.upload overwrite=True)
	EffectPrivilege         // groups, security categories, sessions, function create/call/schedules, transformations with credentials, workflow triggers
	EffectRunsCode          // calls functions, runs transformations/workflows (chained execution under the caller's session)
	EffectCredential        // reads the client's token or credentials
	EffectRaw               // raw HTTP (client.get/post/put, api_client._*)
)

// SDKCall is one entry of the SDK path table (sdk.toml).
type SDKCall struct {
	Path         string       // canonical path without the client: "assets.delete", "iam.groups.create"
	Capabilities []Capability // needed to succeed
	Effects      Effect
	Note         string // plain words for the user, e.g. "deletes assets"
}

// Capability is an ACL action: {ACL: "assetsAcl", Action: "WRITE"}.
type Capability struct {
	ACL    string
	Action string
}

// LookupSDKCall resolves a call path on a CogniteClient, given without the
// client variable ("time_series.data.insert", legacy "datapoints.insert",
// "iam.groups.create"). ok is false for paths that are not SDK calls (e.g.
// attribute reads like "config.project").
func LookupSDKCall(path string) (SDKCall, bool) { panic("contract stub") }

// LookupRawRequest maps a raw REST call (method and URL path or template as
// far as known, e.g. "POST", "/groups" or "/api/v1/projects/{p}/assets/delete")
// to the capabilities it needs.
func LookupRawRequest(method, urlPath string) (SDKCall, bool) { panic("contract stub") }
