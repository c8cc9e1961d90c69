// Package api is the one bridge between the engine and its WebAssembly
// hosts: bytes in, JSON bytes out. The browser build (wasm/browser), the
// WASI module (wasm/wasi) and the native CLI all produce their JSON here, so
// every host gives byte-identical output for the same input. It is pure Go:
// no syscall/js, no OS, no network.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cdf-preflight/preflight/analysis"
	"github.com/cdf-preflight/preflight/analysis/policy"
	"github.com/cdf-preflight/preflight/analysis/report"
)

// Analyze runs the engine and returns the report JSON exactly as
// `preflight scan --format json` prints it.
func Analyze(ctx context.Context, in analysis.Input) (out []byte, err error) {
	defer recoverInto(&err, "analyze")
	rep, err := analysis.Analyze(ctx, in)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := report.WriteJSON(&buf, &rep); err != nil {
		return nil, fmt.Errorf("analyze: write report: %w", err)
	}
	return buf.Bytes(), nil
}

// Permissions returns the caller's permission assessment for project as the
// JSON `preflight perms --format json` prints.
func Permissions(tokenInspectJSON []byte, project string, policyTOML []byte) (out []byte, err error) {
	defer recoverInto(&err, "permissions")
	as, err := analysis.Permissions(tokenInspectJSON, project, policyTOML)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(as); err != nil {
		return nil, fmt.Errorf("permissions: encode: %w", err)
	}
	return buf.Bytes(), nil
}

// PolicyCheck is CheckPolicy's answer.
type PolicyCheck struct {
	OK     bool   `json:"ok"`
	Policy string `json:"policy,omitempty"` // the effective merged policy (TOML) when OK
	// Settings the extension acts on itself, from the effective policy when OK.
	Threshold   string        `json:"threshold,omitempty"`   // [gate] threshold: the risk level at which Run/Call asks first
	MaxZipBytes int64         `json:"maxZipBytes,omitempty"` // [limits] max_zip_bytes: the largest code zip to download
	Errors      []PolicyError `json:"errors,omitempty"`
}

// PolicyError is one mistake in a policy, for the options page.
type PolicyError struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Key     string `json:"key,omitempty"`
	Message string `json:"message"`
}

// CheckPolicy validates a user policy. It never fails: problems are in the
// answer, each with its line and column.
func CheckPolicy(policyTOML []byte) (out []byte) {
	var res PolicyCheck
	func() {
		defer func() {
			if r := recover(); r != nil {
				res = PolicyCheck{Errors: []PolicyError{{Message: fmt.Sprintf("internal error checking the policy: %v", r)}}}
			}
		}()
		pol, err := policy.Load("policy.toml", policyTOML)
		if err == nil {
			res = PolicyCheck{OK: true, Policy: string(pol.MarshalTOML()), Threshold: pol.Gate.Threshold, MaxZipBytes: pol.Limits.MaxZipBytes}
			return
		}
		var list policy.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				res.Errors = append(res.Errors, PolicyError{Line: e.Line, Column: e.Column, Key: e.Key, Message: e.Msg})
			}
			return
		}
		res.Errors = []PolicyError{{Message: err.Error()}}
	}()
	b, _ := json.Marshal(res) // plain structs of strings and ints: cannot fail
	return b
}

// recoverInto turns a panic in the engine into an error naming the call.
func recoverInto(err *error, call string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s: internal error: %v", call, r)
	}
}
