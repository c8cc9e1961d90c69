package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cdf-preflight/preflight/analysis"
	"github.com/cdf-preflight/preflight/analysis/report"
	"github.com/cdf-preflight/preflight/wasm/host"
)

// Engines a scan can run on. wasm runs the engine's WASI module inside
// wazero (memory cap, deadline, a fresh sandbox per bundle); native calls
// the engine in-process. Both give byte-identical reports.
const (
	engineWasm   = "wasm"
	engineNative = "native"
)

// wasmEngine is the process's wazero engine (a variable so tests can load
// a freshly built module into a binary built without one).
var wasmEngine = host.Default

// wasmAvailable reports whether --engine wasm can run.
var wasmAvailable = host.Embedded

// defaultEngine is wasm when this binary embeds the module (built by make),
// else native.
func defaultEngine() string {
	if wasmAvailable() {
		return engineWasm
	}
	return engineNative
}

// engineLine is what `preflight version` says about the engine.
func engineLine() string {
	if wasmAvailable() {
		return "engine: wasm (embedded, wazero)"
	}
	return "engine: native (no embedded wasm module; build with make)"
}

// checkEngine validates an --engine value ("" means the default).
func checkEngine(name string) (string, error) {
	switch name {
	case "":
		return defaultEngine(), nil
	case engineNative:
		return name, nil
	case engineWasm:
		if !wasmAvailable() {
			return "", fmt.Errorf("--engine wasm: this preflight has no embedded wasm module (build it with make, or use --engine native)")
		}
		return name, nil
	}
	return "", fmt.Errorf("--engine %q: want wasm or native", name)
}

// analyzeWith runs one analysis on the named engine and returns the report
// and its JSON (exactly what `--format json` prints).
func analyzeWith(ctx context.Context, engine string, in analysis.Input) (*report.Report, []byte, error) {
	if engine == engineNative {
		rep, err := analysis.Analyze(ctx, in)
		if err != nil {
			return nil, nil, err
		}
		raw, err := report.MarshalJSON(&rep)
		if err != nil {
			return nil, nil, err
		}
		return &rep, raw, nil
	}
	eng, err := wasmEngine()
	if err != nil {
		return nil, nil, fmt.Errorf("wasm engine: %w", err)
	}
	raw, err := eng.Analyze(ctx, in)
	if err != nil {
		return nil, nil, err
	}
	var rep report.Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		return nil, nil, fmt.Errorf("wasm engine: unreadable report: %w", err)
	}
	return &rep, raw, nil
}
