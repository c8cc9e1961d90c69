// Package cdf is Preflight's knowledge of Cognite Data Fusion: the function
// object, the Python SDK's call paths and the capabilities they need, the
// ACL catalogue, token-inspect responses and permission levels. The tables
// are data (TOML, embedded) so they are reviewed like code and extended by
// policy.
package cdf

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
)

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
func ParseFunction(data []byte) (*Function, error) { return parseFunction(data) }

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
	// OverwriteWhen lists keyword arguments that turn the call into an
	// overwrite, as "name=value" with the value as written in Python
	// (`overwrite=True`, `mode="replace"`).
	OverwriteWhen []string
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
func LookupSDKCall(path string) (SDKCall, bool) { return sdkTable().lookup(path) }

// LookupRawRequest maps a raw REST call (method and URL path or template as
// far as known, e.g. "POST", "/groups" or "/api/v1/projects/{p}/assets/delete")
// to the capabilities it needs.
func LookupRawRequest(method, urlPath string) (SDKCall, bool) {
	return sdkTable().lookupREST(method, urlPath)
}

// functionJSON is the wire form: numbers kept as written so ids beyond
// 2^53 stay exact and floats like 1.7e12 are still accepted for times;
// maps kept raw so a non-string value does not fail the whole object.
type functionJSON struct {
	ID           json.RawMessage            `json:"id"`
	ExternalID   *string                    `json:"externalId"`
	Name         *string                    `json:"name"`
	Description  *string                    `json:"description"`
	Owner        *string                    `json:"owner"`
	Status       *string                    `json:"status"`
	FileID       json.RawMessage            `json:"fileId"`
	FunctionPath *string                    `json:"functionPath"`
	Secrets      map[string]json.RawMessage `json:"secrets"`
	EnvVars      map[string]json.RawMessage `json:"envVars"`
	Metadata     map[string]json.RawMessage `json:"metadata"`
	Runtime      *string                    `json:"runtime"`
	CPU          json.RawMessage            `json:"cpu"`
	Memory       json.RawMessage            `json:"memory"`
	CreatedTime  json.RawMessage            `json:"createdTime"`
}

func parseFunction(data []byte) (*Function, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, errors.New("function JSON: empty input")
	}
	var top map[string]json.RawMessage
	if err := decodeStrict(data, &top); err != nil {
		return nil, fmt.Errorf("function JSON: %w", err)
	}
	if top == nil {
		return nil, errors.New("function JSON: expected an object, got null")
	}
	obj := data
	if items, ok := top["items"]; ok && top["name"] == nil && top["id"] == nil {
		var list []json.RawMessage
		if err := decodeStrict(items, &list); err != nil {
			return nil, fmt.Errorf("function JSON: items: %w", err)
		}
		if len(list) != 1 {
			return nil, fmt.Errorf("function JSON: items holds %d functions, expected 1", len(list))
		}
		obj = list[0]
	}
	var w functionJSON
	if err := decodeStrict(obj, &w); err != nil {
		return nil, fmt.Errorf("function JSON: %w", err)
	}
	if w.ExternalID == nil && w.Name == nil && w.ID == nil && w.FileID == nil {
		return nil, errors.New("function JSON: not a function object (no id, externalId, name or fileId)")
	}
	fn := &Function{
		ExternalID:   deref(w.ExternalID),
		Name:         deref(w.Name),
		Description:  deref(w.Description),
		Owner:        deref(w.Owner),
		Status:       deref(w.Status),
		FunctionPath: deref(w.FunctionPath),
		Runtime:      deref(w.Runtime),
	}
	var err error
	if fn.ID, err = jsonInt("id", w.ID); err != nil {
		return nil, err
	}
	if fn.FileID, err = jsonInt("fileId", w.FileID); err != nil {
		return nil, err
	}
	if fn.CreatedTime, err = jsonInt("createdTime", w.CreatedTime); err != nil {
		return nil, err
	}
	if fn.CPU, err = jsonFloat("cpu", w.CPU); err != nil {
		return nil, err
	}
	if fn.Memory, err = jsonFloat("memory", w.Memory); err != nil {
		return nil, err
	}
	fn.Secrets = stringMap(w.Secrets)
	fn.EnvVars = stringMap(w.EnvVars)
	fn.Metadata = stringMap(w.Metadata)
	return fn, nil
}

// decodeStrict decodes one JSON value and rejects trailing data; errors
// carry the byte offset.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return fmt.Errorf("offset %d: %v", se.Offset, se)
		case errors.As(err, &te):
			field := te.Field
			if field == "" {
				field = "value"
			}
			return fmt.Errorf("offset %d: %s: expected %s, got JSON %s", te.Offset, field, te.Type, te.Value)
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
			return fmt.Errorf("offset %d: unexpected end of JSON", len(data))
		}
		return err
	}
	if dec.More() {
		return fmt.Errorf("offset %d: data after the JSON value", dec.InputOffset())
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// jsonNumber returns a number field's text: a JSON number, or a string
// holding one (some tools quote ids); "" for absent or null.
func jsonNumber(field string, raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	text := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &text); err != nil {
			return "", fmt.Errorf("function JSON: %s: %v", field, err)
		}
	}
	return text, nil
}

// jsonInt reads an integer field; an integral float (1.7e12) is accepted.
func jsonInt(field string, raw json.RawMessage) (int64, error) {
	n, err := jsonNumber(field, raw)
	if err != nil || n == "" {
		return 0, err
	}
	if i, err := strconv.ParseInt(n, 10, 64); err == nil {
		return i, nil
	}
	f, err := strconv.ParseFloat(n, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<62 {
		return 0, fmt.Errorf("function JSON: %s: %s is not an integer", field, truncate(n, 40))
	}
	return int64(f), nil
}

func jsonFloat(field string, raw json.RawMessage) (float64, error) {
	n, err := jsonNumber(field, raw)
	if err != nil || n == "" {
		return 0, err
	}
	f, err := strconv.ParseFloat(n, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fmt.Errorf("function JSON: %s: %s is not a number", field, truncate(n, 40))
	}
	return f, nil
}

// stringMap keeps string values as they are and other JSON values as their
// JSON text (a number in metadata is still worth checking for secrets).
func stringMap(m map[string]json.RawMessage) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, raw := range m {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			out[k] = s
			continue
		}
		if string(raw) == "null" {
			out[k] = ""
			continue
		}
		out[k] = string(raw)
	}
	return out
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
