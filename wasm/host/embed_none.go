//go:build !embedwasm

package host

// embedded is empty in a plain `go build`/`go install`: the CLI then uses
// the native engine. `make build` embeds the module (-tags embedwasm).
var embedded []byte
