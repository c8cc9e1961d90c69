// Package analysis is Preflight's engine: Analyze turns a Cognite Function's
// code bundle, its metadata, the caller's token-inspect response and a
// policy into a report. It does no I/O of its own — callers hand it bytes —
// so the same code runs natively, in the browser (GOOS=js) and as a WASI
// module.
package analysis

import (
	"context"

	"github.com/cdf-preflight/preflight/analysis/report"
)

// Version is the engine's version, reported as tool.version.
const Version = "0.1.0"

// Input is everything one analysis needs. Either Zip or Files holds the code.
type Input struct {
	Zip          []byte            // the function's code zip, or
	Files        map[string][]byte // the files of a folder, by "/"-separated relative path
	FunctionJSON []byte            // optional: the function object as the CDF API returns it
	// TokenInspectJSON and Project, when given, fill the report's permissions.
	TokenInspectJSON []byte
	Project          string
	PolicyTOML       []byte // optional: the user's policy, merged over the defaults
}

// Analyze analyses one function bundle. Problems with the bundle's content
// (syntax errors, skipped files) are findings in the report, never errors;
// an error means no report could be made (unreadable zip, invalid policy,
// malformed function.json), and says which input and where.
func Analyze(ctx context.Context, in Input) (report.Report, error) {
	panic("contract stub")
}
