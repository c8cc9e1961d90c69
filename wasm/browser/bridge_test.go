//go:build js && wasm

package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hack-pad/safejs"
)

// settle calls preflight[method](args...) and waits for its Promise.
func settle(t *testing.T, api safejs.Value, method string, args ...any) (string, error) {
	t.Helper()
	p, err := api.Call(method, args...)
	if err != nil {
		t.Fatalf("%s: call threw: %v", method, err)
	}
	type result struct {
		v   string
		err error
	}
	ch := make(chan result, 1)
	onOK, _ := safejs.FuncOf(func(_ safejs.Value, a []safejs.Value) any {
		s, err := a[0].String()
		ch <- result{s, err}
		return nil
	})
	onErr, _ := safejs.FuncOf(func(_ safejs.Value, a []safejs.Value) any {
		msg, err := a[0].Get("message")
		if err != nil {
			ch <- result{err: err}
			return nil
		}
		s, _ := msg.String()
		ch <- result{err: errString(s)}
		return nil
	})
	defer onOK.Release()
	defer onErr.Release()
	if _, err := p.Call("then", onOK, onErr); err != nil {
		t.Fatalf("%s: result is not a Promise: %v", method, err)
	}
	select {
	case r := <-ch:
		return r.v, r.err
	case <-time.After(60 * time.Second):
		t.Fatalf("%s: Promise never settled", method)
	}
	return "", nil
}

type errString string

func (e errString) Error() string { return string(e) }

func newAPI(t *testing.T) safejs.Value {
	t.Helper()
	ctor, _ := safejs.Global().Get("Object")
	target, _ := ctor.New()
	api, err := install(target)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := target.Get("preflight"); !got.Equal(api) {
		t.Fatal("install did not set target.preflight")
	}
	return api
}

func jsBytes(t *testing.T, b []byte) safejs.Value {
	t.Helper()
	ctor, _ := safejs.Global().Get("Uint8Array")
	arr, err := ctor.New(len(b))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := safejs.CopyBytesToJS(arr, b); err != nil {
		t.Fatal(err)
	}
	return arr
}

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for name, src := range files {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(src))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestVersion(t *testing.T) {
	v, err := newAPI(t).Get("version")
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := v.String(); s == "" || v.Type() != safejs.TypeString {
		t.Errorf("version = %v", v)
	}
}

func TestAnalyzeResolvesWithTheReport(t *testing.T) {
	api := newAPI(t)
	z := zipOf(t, map[string]string{"handler.py": "def handle(client, data, secrets):\n    print(secrets['api-key'])\n"})
	// Optional arguments: "", null and undefined all mean "not given".
	for _, args := range [][]any{
		{jsBytes(t, z)},
		{jsBytes(t, z), "", nil, safejs.Undefined(), ""},
	} {
		out, err := settle(t, api, "analyze", args...)
		if err != nil {
			t.Fatalf("analyze: %v", err)
		}
		var rep struct {
			SchemaVersion int `json:"schemaVersion"`
			Risk          struct{ Level string }
			Findings      []struct{ Category string }
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("not JSON: %v", err)
		}
		if rep.SchemaVersion != 1 || rep.Risk.Level != "high" || len(rep.Findings) == 0 || rep.Findings[0].Category != "secret-exposure" {
			t.Errorf("report = %+v", rep)
		}
	}
}

func TestRejections(t *testing.T) {
	api := newAPI(t)
	z := jsBytes(t, zipOf(t, map[string]string{"handler.py": "def handle(data):\n    return 1\n"}))
	for _, tc := range []struct {
		method string
		args   []any
		want   string
	}{
		{"analyze", nil, "analyze: zipBytes must be a Uint8Array"},
		{"analyze", []any{"PK..."}, "analyze: zipBytes must be a Uint8Array"},
		{"analyze", []any{[]any{1, 2}}, "analyze: zipBytes must be a Uint8Array"},
		{"analyze", []any{z, 42}, "analyze: functionJSON must be a string, not number"},
		{"analyze", []any{z, "", "", map[string]any{}}, "analyze: project must be a string, not object"},
		{"analyze", []any{jsBytes(t, []byte("not a zip"))}, "zip"},
		{"analyze", []any{z, "{", "", "", ""}, "function"},
		{"analyze", []any{z, "", "{}", "", ""}, "project"},
		{"analyze", []any{z, "", "", "", "[gate]\nthreshold = 7\n"}, "threshold"},
		{"analyze", []any{jsBytes(t, make([]byte, 2048)), "", "", "", "[limits]\nmax_zip_bytes = 1024\n"}, "analyze: zipBytes is 2048 bytes, over the policy's max_zip_bytes of 1024"},
		{"permissions", nil, "permissions: tokenInspectJSON is required"},
		{"permissions", []any{"not json", "acme"}, "token inspect"},
		{"permissions", []any{true, "acme"}, "permissions: tokenInspectJSON must be a string, not boolean"},
		{"checkPolicy", []any{3}, "checkPolicy: policyTOML must be a string, not number"},
	} {
		_, err := settle(t, api, tc.method, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s%v: err = %v, want it to contain %q", tc.method, tc.args, err, tc.want)
		}
	}
	// The runtime survives: a later call still works.
	if _, err := settle(t, api, "analyze", z); err != nil {
		t.Errorf("analyze after rejections: %v", err)
	}
}

func TestCheckPolicy(t *testing.T) {
	api := newAPI(t)
	var res struct {
		OK     bool
		Policy string
		Errors []struct {
			Line    int
			Message string
		}
	}
	out, err := settle(t, api, "checkPolicy", "[gate]\nthreshold = 'medium'\n")
	if err != nil || json.Unmarshal([]byte(out), &res) != nil || !res.OK || !strings.Contains(res.Policy, "threshold = 'medium'") {
		t.Errorf("valid policy: %s %v", out, err)
	}
	res.OK, res.Errors = false, nil
	out, err = settle(t, api, "checkPolicy", "[gate]\n\nthreshold = 7\n")
	if err != nil || json.Unmarshal([]byte(out), &res) != nil || res.OK || len(res.Errors) == 0 || res.Errors[0].Line != 3 {
		t.Errorf("invalid policy: %s %v", out, err)
	}
	// Empty or absent: the defaults.
	for _, args := range [][]any{nil, {""}, {nil}} {
		out, err = settle(t, api, "checkPolicy", args...)
		if err != nil || !strings.HasPrefix(out, `{"ok":true`) {
			t.Errorf("checkPolicy%v = %s %v", args, out, err)
		}
	}
}

func TestPermissions(t *testing.T) {
	tok, err := os.ReadFile("../../testdata/tokens/admin-groups-all.json")
	if err != nil {
		t.Fatal(err)
	}
	out, err := settle(t, newAPI(t), "permissions", string(tok), "acme-prod")
	if err != nil {
		t.Fatal(err)
	}
	var as struct{ Level string }
	if err := json.Unmarshal([]byte(out), &as); err != nil || as.Level != "admin" {
		t.Errorf("permissions = %s (%v)", out, err)
	}
}
