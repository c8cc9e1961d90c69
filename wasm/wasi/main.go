//go:build wasip1

// Command wasi is the Preflight engine as a WASI reactor module
// (GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared): the same engine
// and JSON as the native CLI, run by wasm/host under wazero with a memory
// cap and a deadline. The linear-memory ABI (alloc/free, analyze,
// permissions, check_policy, the request layout and the result's status
// byte) is documented in package wasm/wasi/abi.
package main

import (
	"context"
	"fmt"
	"unsafe"

	"github.com/cdf-preflight/preflight/wasm/api"
	"github.com/cdf-preflight/preflight/wasm/wasi/abi"
)

// pinned keeps every buffer the host can see alive (and unmoved: Go's GC
// does not move heap objects) until the host frees it.
var pinned = map[uint32][]byte{}

func pin(b []byte) uint32 {
	if len(b) == 0 {
		b = make([]byte, 1)
	}
	p := uint32(uintptr(unsafe.Pointer(&b[0])))
	pinned[p] = b
	return p
}

//go:wasmexport alloc
func alloc(size uint32) uint32 { return pin(make([]byte, size)) }

//go:wasmexport free
func free(ptr uint32) { delete(pinned, ptr) }

// buffer returns the pinned buffer at ptr, cut to size, or an error when the
// host passes a pointer or size it was not given.
func buffer(ptr, size uint32) ([]byte, error) {
	b, ok := pinned[ptr]
	if !ok || uint64(size) > uint64(len(b)) {
		return nil, fmt.Errorf("request buffer %#x (%d bytes) was not allocated by alloc", ptr, size)
	}
	return b[:size], nil
}

// result pins the packed answer and returns ptr<<32 | len.
func result(out []byte, err error) uint64 {
	r := abi.Result(out, err)
	return uint64(pin(r))<<32 | uint64(len(r))
}

// call runs one request through f, turning a panic into an error result.
func call(name string, ptr, size uint32, f func([]byte) ([]byte, error)) (packed uint64) {
	defer func() {
		if r := recover(); r != nil {
			packed = result(nil, fmt.Errorf("%s: internal error: %v", name, r))
		}
	}()
	buf, err := buffer(ptr, size)
	if err != nil {
		return result(nil, fmt.Errorf("%s: %v", name, err))
	}
	return result(f(buf))
}

//go:wasmexport analyze
func analyze(ptr, size uint32) uint64 {
	return call("analyze", ptr, size, func(buf []byte) ([]byte, error) {
		in, err := abi.DecodeRequest(buf)
		if err != nil {
			return nil, err
		}
		return api.Analyze(context.Background(), in)
	})
}

//go:wasmexport permissions
func permissions(ptr, size uint32) uint64 {
	return call("permissions", ptr, size, func(buf []byte) ([]byte, error) {
		in, err := abi.DecodeRequest(buf)
		if err != nil {
			return nil, err
		}
		return api.Permissions(in.TokenInspectJSON, in.Project, in.PolicyTOML)
	})
}

//go:wasmexport check_policy
func checkPolicy(ptr, size uint32) uint64 {
	return call("check_policy", ptr, size, func(buf []byte) ([]byte, error) {
		return api.CheckPolicy(buf), nil
	})
}

func main() {}
