// Package abi is the linear-memory ABI between the WASI module (wasm/wasi)
// and its host (wasm/host): how one engine call's inputs are packed into a
// single request buffer and how the answer comes back. Pure Go; both sides
// import it, so they cannot disagree.
//
// # Calls
//
// The module exports (all integers are wasm i32/i64):
//
//	alloc(size u32) u32             a buffer of size bytes in the module's memory, kept alive until free
//	free(ptr u32)                   releases a buffer from alloc or a result
//	analyze(ptr, len u32) u64       request → report JSON (as `preflight scan --format json`)
//	permissions(ptr, len u32) u64   request → permissions JSON (as `preflight perms --format json`)
//	check_policy(ptr, len u32) u64  the policy TOML itself (no header) → {"ok":…} JSON
//
// The host allocs a buffer, writes the request, calls, reads the result and
// frees both buffers. A result is packed as ptr<<32 | len; its first byte is
// StatusOK (the rest is JSON) or StatusError (the rest is a UTF-8 message).
//
// # Request
//
//	[0:4]     H, the header's length, uint32 little-endian
//	[4:4+H]   the header, JSON: {"project":n,"function":n,"tokenInspect":n,"policy":n,"zip":n,"files":[[p,d],…]}
//	[4+H:]    the parts, back to back in that order: project, function, tokenInspect,
//	          policy, zip, then each file's path (p bytes) and data (d bytes)
//
// Every header field is a byte length; an absent field is a nil input (so
// "no function.json" and "an empty function.json" stay distinct). The parts
// must fill the rest of the buffer exactly. Binary parts rather than JSON
// strings keep every byte as given (JSON would replace invalid UTF-8), so
// the module sees exactly what the native engine sees.
package abi

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/cdf-preflight/preflight/analysis"
)

// Result status bytes.
const (
	StatusOK    byte = 0
	StatusError byte = 1
)

// maxHeader bounds the header (a file list of a few thousand entries fits).
const maxHeader = 1 << 20

type header struct {
	Project      *int     `json:"project,omitempty"`
	Function     *int     `json:"function,omitempty"`
	TokenInspect *int     `json:"tokenInspect,omitempty"`
	Policy       *int     `json:"policy,omitempty"`
	Zip          *int     `json:"zip,omitempty"`
	Files        [][2]int `json:"files,omitempty"`
}

// EncodeRequest packs in into one request buffer. Files are written in
// sorted path order so the same input always gives the same bytes.
func EncodeRequest(in analysis.Input) []byte {
	var h header
	var parts [][]byte
	add := func(dst **int, b []byte) {
		if b == nil {
			return
		}
		n := len(b)
		*dst = &n
		parts = append(parts, b)
	}
	if in.Project != "" {
		add(&h.Project, []byte(in.Project))
	}
	add(&h.Function, in.FunctionJSON)
	add(&h.TokenInspect, in.TokenInspectJSON)
	add(&h.Policy, in.PolicyTOML)
	add(&h.Zip, in.Zip)
	if in.Files != nil {
		h.Files = [][2]int{}
		for _, p := range sortedKeys(in.Files) {
			d := in.Files[p]
			h.Files = append(h.Files, [2]int{len(p), len(d)})
			parts = append(parts, []byte(p), d)
		}
	}
	hj, _ := json.Marshal(h) // ints only: cannot fail
	size := 4 + len(hj)
	for _, p := range parts {
		size += len(p)
	}
	buf := make([]byte, 4, size)
	binary.LittleEndian.PutUint32(buf, uint32(len(hj)))
	buf = append(buf, hj...)
	for _, p := range parts {
		buf = append(buf, p...)
	}
	return buf
}

// DecodeRequest unpacks a request buffer. The returned input's byte slices
// alias buf. A malformed request is an error saying what is wrong.
func DecodeRequest(buf []byte) (analysis.Input, error) {
	var in analysis.Input
	if len(buf) < 4 {
		return in, errors.New("request: shorter than its 4-byte header length")
	}
	hl := binary.LittleEndian.Uint32(buf)
	if hl > maxHeader || uint64(hl) > uint64(len(buf)-4) {
		return in, fmt.Errorf("request: header length %d exceeds the request (%d bytes)", hl, len(buf))
	}
	var h header
	if err := json.Unmarshal(buf[4:4+hl], &h); err != nil {
		return in, fmt.Errorf("request: header: %v", err)
	}
	rest := buf[4+hl:]
	take := func(name string, n *int) ([]byte, error) {
		if n == nil {
			return nil, nil
		}
		if *n < 0 || *n > len(rest) {
			return nil, fmt.Errorf("request: %s length %d does not fit the %d bytes left", name, *n, len(rest))
		}
		b := rest[:*n:*n]
		rest = rest[*n:]
		return b, nil
	}
	var err error
	var project []byte
	if project, err = take("project", h.Project); err != nil {
		return in, err
	}
	in.Project = string(project)
	if in.FunctionJSON, err = take("function", h.Function); err != nil {
		return in, err
	}
	if in.TokenInspectJSON, err = take("tokenInspect", h.TokenInspect); err != nil {
		return in, err
	}
	if in.PolicyTOML, err = take("policy", h.Policy); err != nil {
		return in, err
	}
	if in.Zip, err = take("zip", h.Zip); err != nil {
		return in, err
	}
	if h.Files != nil {
		in.Files = make(map[string][]byte, min(len(h.Files), 4096))
		for i, f := range h.Files {
			p, err := take(fmt.Sprintf("files[%d] path", i), &f[0])
			if err != nil {
				return in, err
			}
			d, err := take(fmt.Sprintf("files[%d] data", i), &f[1])
			if err != nil {
				return in, err
			}
			if _, dup := in.Files[string(p)]; dup {
				return in, fmt.Errorf("request: files[%d]: duplicate path %q", i, p)
			}
			in.Files[string(p)] = d
		}
	}
	if len(rest) != 0 {
		return in, fmt.Errorf("request: %d bytes after the last part", len(rest))
	}
	return in, nil
}

// Result packs a call's answer: StatusOK and the JSON, or StatusError and
// the error's message.
func Result(out []byte, err error) []byte {
	if err != nil {
		return append([]byte{StatusError}, err.Error()...)
	}
	return append([]byte{StatusOK}, out...)
}

// ParseResult unpacks a result buffer into the JSON or an error.
func ParseResult(b []byte) ([]byte, error) {
	if len(b) == 0 {
		return nil, errors.New("empty result from the engine module")
	}
	switch b[0] {
	case StatusOK:
		return b[1:], nil
	case StatusError:
		return nil, errors.New(string(b[1:]))
	}
	return nil, fmt.Errorf("result from the engine module has unknown status byte %d", b[0])
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
