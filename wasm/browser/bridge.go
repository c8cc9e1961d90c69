//go:build js && wasm

package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/hack-pad/safejs"

	"github.com/cdf-preflight/preflight/analysis"
	"github.com/cdf-preflight/preflight/analysis/policy"
	"github.com/cdf-preflight/preflight/wasm/api"
)

// defaultMaxZipBytes bounds the zip copied out of JavaScript when the policy
// does not say otherwise (the policy's own default).
const defaultMaxZipBytes = 50 << 20

// install sets target.preflight to the browser API and returns the object.
// Every function returns a Promise; the work runs in a goroutine so the JS
// callback never blocks the Go runtime.
func install(target safejs.Value) (safejs.Value, error) {
	objCtor, err := safejs.Global().Get("Object")
	if err != nil {
		return safejs.Undefined(), err
	}
	obj, err := objCtor.New()
	if err != nil {
		return safejs.Undefined(), err
	}
	if err := obj.Set("version", analysis.Version); err != nil {
		return safejs.Undefined(), err
	}
	for _, m := range []struct {
		name string
		work func(args []safejs.Value) (func() (string, error), error)
	}{
		{"analyze", analyzeCall},
		{"permissions", permissionsCall},
		{"checkPolicy", checkPolicyCall},
	} {
		fn, err := asyncFunc(m.name, m.work)
		if err != nil {
			return safejs.Undefined(), err
		}
		if err := obj.Set(m.name, fn); err != nil {
			return safejs.Undefined(), err
		}
	}
	if err := target.Set("preflight", obj); err != nil {
		return safejs.Undefined(), err
	}
	return obj, nil
}

// asyncFunc wraps one API entry: prepare reads and validates the arguments
// synchronously (JS values are only valid during the call) and returns the
// work, which runs in a goroutine; its result resolves the Promise, its error
// rejects it. A panic anywhere becomes a rejection naming the entry.
func asyncFunc(name string, prepare func(args []safejs.Value) (func() (string, error), error)) (safejs.Func, error) {
	return safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) (ret any) {
		var work func() (string, error)
		var prepErr error
		func() {
			defer func() {
				if r := recover(); r != nil {
					prepErr = fmt.Errorf("%s: internal error: %v", name, r)
				}
			}()
			work, prepErr = prepare(args)
		}()
		p, err := newPromise(func() (out string, err error) {
			if prepErr != nil {
				return "", prepErr
			}
			defer func() {
				if r := recover(); r != nil {
					out, err = "", fmt.Errorf("%s: internal error: %v", name, r)
				}
			}()
			return work()
		})
		if err != nil {
			return safejs.Undefined()
		}
		return p
	})
}

// newPromise returns a Promise settled by work, run in a goroutine.
//
// The executor is Array.prototype.push bound to a fresh array, so the
// Promise constructor stores resolve and reject without calling back into
// Go: a Go executor re-enters the runtime from inside Value.New, which
// crashes the js/wasm runtime ("null function or function signature
// mismatch") when the event loop was blocked before the call.
func newPromise(work func() (string, error)) (safejs.Value, error) {
	g := safejs.Global()
	promise, err := g.Get("Promise")
	if err != nil {
		return safejs.Undefined(), err
	}
	array, err := g.Get("Array")
	if err != nil {
		return safejs.Undefined(), err
	}
	box, err := array.New()
	if err != nil {
		return safejs.Undefined(), err
	}
	push, err := box.Get("push")
	if err != nil {
		return safejs.Undefined(), err
	}
	exec, err := push.Call("bind", box)
	if err != nil {
		return safejs.Undefined(), err
	}
	p, err := promise.New(exec)
	if err != nil {
		return safejs.Undefined(), err
	}
	resolve, err1 := box.Index(0)
	reject, err2 := box.Index(1)
	if err1 != nil || err2 != nil {
		return safejs.Undefined(), errors.New("Promise executor was not called")
	}
	go func() {
		out, err := work()
		if err != nil {
			_, _ = reject.Invoke(jsError(err.Error()))
			return
		}
		_, _ = resolve.Invoke(out)
	}()
	return p, nil
}

// jsError makes a JavaScript Error with msg (a plain string if Error is missing).
func jsError(msg string) any {
	ctor, err := safejs.Global().Get("Error")
	if err != nil {
		return msg
	}
	e, err := ctor.New(msg)
	if err != nil {
		return msg
	}
	return e
}

// arg returns args[i], or undefined when the caller passed fewer.
func arg(args []safejs.Value, i int) safejs.Value {
	if i < len(args) {
		return args[i]
	}
	return safejs.Undefined()
}

// optString reads an optional string argument: null, undefined and "" are
// all "not given"; anything but a string is an error naming the argument.
func optString(call, name string, v safejs.Value) (string, error) {
	switch v.Type() {
	case safejs.TypeUndefined, safejs.TypeNull:
		return "", nil
	case safejs.TypeString:
		return v.String()
	}
	return "", fmt.Errorf("%s: %s must be a string, not %s", call, name, v.Type())
}

// bytesOf returns s as bytes, nil when empty (an optional input not given).
func bytesOf(s string) []byte {
	if s == "" {
		return nil
	}
	return []byte(s)
}

// uint8Array copies a Uint8Array argument of at most max bytes into Go.
func uint8Array(call, name string, v safejs.Value, max int64) ([]byte, error) {
	bad := fmt.Errorf("%s: %s must be a Uint8Array", call, name)
	if v.Type() != safejs.TypeObject {
		return nil, bad
	}
	ctor, err := safejs.Global().Get("Uint8Array")
	if err != nil {
		return nil, bad
	}
	if ok, err := v.InstanceOf(ctor); err != nil || !ok {
		return nil, bad
	}
	n, err := v.Length()
	if err != nil {
		return nil, bad
	}
	if int64(n) > max {
		return nil, fmt.Errorf("%s: %s is %d bytes, over the policy's max_zip_bytes of %d", call, name, n, max)
	}
	b := make([]byte, n)
	if _, err := safejs.CopyBytesToGo(b, v); err != nil {
		return nil, fmt.Errorf("%s: %s: %v", call, name, err)
	}
	return b, nil
}

// maxZipBytes is the policy's zip size limit (the default when the policy
// is not given or invalid — the engine then reports the policy's errors).
func maxZipBytes(policyTOML []byte) int64 {
	if len(policyTOML) == 0 {
		return defaultMaxZipBytes
	}
	p, err := policy.Load("policy.toml", policyTOML)
	if err != nil || p.Limits.MaxZipBytes <= 0 {
		return defaultMaxZipBytes
	}
	return p.Limits.MaxZipBytes
}

// analyzeCall: analyze(zipBytes, functionJSON, tokenInspectJSON, project, policyTOML).
func analyzeCall(args []safejs.Value) (func() (string, error), error) {
	const call = "analyze"
	var strs [4]string
	for i, name := range []string{"functionJSON", "tokenInspectJSON", "project", "policyTOML"} {
		s, err := optString(call, name, arg(args, i+1))
		if err != nil {
			return nil, err
		}
		strs[i] = s
	}
	pol := bytesOf(strs[3])
	zip, err := uint8Array(call, "zipBytes", arg(args, 0), maxZipBytes(pol))
	if err != nil {
		return nil, err
	}
	in := analysis.Input{
		Zip:              zip,
		FunctionJSON:     bytesOf(strs[0]),
		TokenInspectJSON: bytesOf(strs[1]),
		Project:          strs[2],
		PolicyTOML:       pol,
	}
	return func() (string, error) {
		out, err := api.Analyze(context.Background(), in)
		if err != nil {
			return "", err
		}
		return string(out), nil
	}, nil
}

// permissionsCall: permissions(tokenInspectJSON, project[, policyTOML]).
func permissionsCall(args []safejs.Value) (func() (string, error), error) {
	const call = "permissions"
	var strs [3]string
	for i, name := range []string{"tokenInspectJSON", "project", "policyTOML"} {
		s, err := optString(call, name, arg(args, i))
		if err != nil {
			return nil, err
		}
		strs[i] = s
	}
	if strs[0] == "" {
		return nil, errors.New("permissions: tokenInspectJSON is required (the token/inspect response)")
	}
	return func() (string, error) {
		out, err := api.Permissions([]byte(strs[0]), strs[1], bytesOf(strs[2]))
		if err != nil {
			return "", err
		}
		return string(out), nil
	}, nil
}

// checkPolicyCall: checkPolicy(policyTOML) — resolves with the check's JSON,
// errors included; only a non-string argument rejects.
func checkPolicyCall(args []safejs.Value) (func() (string, error), error) {
	s, err := optString("checkPolicy", "policyTOML", arg(args, 0))
	if err != nil {
		return nil, err
	}
	return func() (string, error) { return string(api.CheckPolicy([]byte(s))), nil }, nil
}
