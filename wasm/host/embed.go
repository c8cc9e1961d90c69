//go:build embedwasm

package host

import _ "embed"

// embedded is the engine module built by `make wasm-wasi` (a build artefact,
// not in git); `make build` embeds it with -tags embedwasm.
//
//go:embed engine.wasm
var embedded []byte
