//go:build js && wasm

// Command browser is the engine's browser API, built with GOOS=js
// GOARCH=wasm and loaded with Go's wasm_exec.js. It sets
// globalThis.preflight = {version, analyze, permissions, checkPolicy}; each
// function returns a Promise resolved with the JSON of wasm/api (the same
// bytes the CLI prints) or rejected with an Error carrying the engine's
// message. Nothing panics across the boundary: JS access goes through
// safejs and every entry recovers.
package main

import (
	"github.com/hack-pad/safejs"

	"github.com/cdf-preflight/preflight/analysis/secrets"
)

func main() {
	// Compile the secret rules now, from main's shallow stack: compiling
	// their counted repetitions (x{50,1000}) recurses deeply, and on the
	// first analyze after the event loop was blocked V8 ran out of JS stack
	// there ("Maximum call stack size exceeded").
	secrets.Default()
	g := safejs.Global()
	if _, err := install(g); err != nil {
		println("preflight: cannot install the API:", err.Error())
		return
	}
	if ready, err := g.Get("__preflightReady"); err == nil && ready.Type() == safejs.TypeFunction {
		_, _ = ready.Invoke()
	}
	select {}
}
