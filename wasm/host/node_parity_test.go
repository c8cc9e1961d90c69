package host

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/cdf-preflight/preflight/analysis"
	"github.com/cdf-preflight/preflight/wasm/api"
)

// nodeRunner loads the browser build (GOOS=js, wasm/browser) in Node with
// Go's wasm_exec.js, as the extension does, and writes
// globalThis.preflight.analyze's answer for each job of a manifest.
const nodeRunner = `
const fs = require('node:fs');
const path = require('node:path');
const [dir, manifest] = process.argv.slice(2);
require(path.join(dir, 'wasm_exec.js'));
(async () => {
  const ready = new Promise((res) => { globalThis.__preflightReady = res; });
  const go = new globalThis.Go();
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(path.join(dir, 'preflight.wasm')), go.importObject);
  go.run(instance);
  await Promise.race([ready, new Promise((r) => setTimeout(r, 5000))]);
  const pf = globalThis.preflight;
  for (const j of JSON.parse(fs.readFileSync(manifest, 'utf8'))) {
    const rd = (p) => (p ? fs.readFileSync(p, 'utf8') : null);
    try {
      const out = await pf.analyze(new Uint8Array(fs.readFileSync(j.zip)), rd(j.function), rd(j.token), j.project || null, rd(j.policy));
      fs.writeFileSync(j.out, out);
    } catch (e) {
      fs.writeFileSync(j.out + '.err', String(e && e.message || e));
    }
  }
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
`

// TestParityNode: for every bundle, the browser build under Node gives the
// same bytes as the native engine (and so as the wasi module, see
// TestParityWazero). Skipped without node unless PREFLIGHT_REQUIRE_NODE_DEPS
// is set.
func TestParityNode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the browser wasm and runs node")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("PREFLIGHT_REQUIRE_NODE_DEPS") != "" {
			t.Fatal("node not found and PREFLIGHT_REQUIRE_NODE_DEPS is set")
		}
		t.Skip("node not found: the browser leg of the parity test needs Node")
	}
	dir := browserWasmDir(t)
	write := func(name string, data []byte) string { return writeTemp(t, dir, name, data) }
	token, err := os.ReadFile("../../testdata/tokens/admin-groups-all.json")
	if err != nil {
		t.Fatal(err)
	}
	tokenPath := write("token.json", token)

	type job struct {
		Zip      string `json:"zip"`
		Function string `json:"function,omitempty"`
		Token    string `json:"token,omitempty"`
		Project  string `json:"project,omitempty"`
		Policy   string `json:"policy,omitempty"`
		Out      string `json:"out"`
		name     string
		want     []byte
	}
	var jobs []*job
	for i, c := range corpus(t) {
		for v, withToken := range []bool{false, true} {
			in := c.in
			j := &job{Out: filepath.Join(dir, fmt.Sprintf("out-%d-%d.json", i, v)), name: c.name}
			j.Zip = write(fmt.Sprintf("b%d.zip", i), c.zip)
			j.Function = write(fmt.Sprintf("f%d.json", i), c.in.FunctionJSON)
			j.Policy = write(fmt.Sprintf("p%d.toml", i), c.in.PolicyTOML)
			if withToken {
				j.Token, j.Project = tokenPath, "acme-prod"
				j.name += "+token"
				in.TokenInspectJSON, in.Project = token, "acme-prod"
			}
			if j.want, err = nativeAnalyze(in); err != nil {
				t.Fatalf("%s: native: %v", j.name, err)
			}
			jobs = append(jobs, j)
		}
	}
	mj, _ := json.Marshal(jobs)
	manifest := write("manifest.json", mj)
	runner := write("runner.js", []byte(nodeRunner))
	if out, err := exec.Command(node, runner, dir, manifest).CombinedOutput(); err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	for _, j := range jobs {
		got, err := os.ReadFile(j.Out)
		if err != nil {
			msg, _ := os.ReadFile(j.Out + ".err")
			t.Errorf("%s: node gave no report: %s", j.name, msg)
			continue
		}
		if !bytes.Equal(got, j.want) {
			t.Errorf("%s: browser build under Node differs from native\n%s", j.name, firstDiff(got, j.want))
		}
	}
}

func nativeAnalyze(in analysis.Input) ([]byte, error) { return api.Analyze(context.Background(), in) }

// browserWasmDir builds the browser engine (wasm/browser) into a new temp
// directory beside Go's wasm_exec.js, as the extension ships them, and
// returns the directory.
func browserWasmDir(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	build := exec.Command(gobin, "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, "preflight.wasm"), "../browser")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		tb.Fatalf("building the browser wasm: %v\n%s", err, out)
	}
	execJS, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		tb.Fatal(err)
	}
	writeTemp(tb, dir, "wasm_exec.js", execJS)
	return dir
}

// writeTemp writes data to dir/name and returns the path; nil data writes
// nothing and returns "" (an argument the runner treats as not given).
func writeTemp(tb testing.TB, dir, name string, data []byte) string {
	tb.Helper()
	if data == nil {
		return ""
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}
