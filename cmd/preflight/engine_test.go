package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/cdf-preflight/preflight/wasm/host"
)

// useBuiltWasm builds the wasi module (go build cache: fast after the first
// time) and makes this test binary behave like one built by make.
func useBuiltWasm(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the wasi module")
	}
	path := filepath.Join(t.TempDir(), "engine.wasm")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-buildmode=c-shared", "-trimpath", "-ldflags=-s -w", "-o", path, "../../wasm/wasi")
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the wasi module: %v\n%s", err, out)
	}
	wasm, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := host.New(context.Background(), wasm, host.Options{})
	if err != nil {
		t.Fatal(err)
	}
	oldEng, oldAvail := wasmEngine, wasmAvailable
	wasmEngine = func() (*host.Engine, error) { return eng, nil }
	wasmAvailable = func() bool { return true }
	t.Cleanup(func() {
		wasmEngine, wasmAvailable = oldEng, oldAvail
		eng.Close(context.Background())
	})
}

// TestEngineChoice: without an embedded module the CLI says so and runs
// natively; bad --engine values are usage errors.
func TestEngineChoice(t *testing.T) {
	if host.Embedded() {
		t.Skip("this test binary embeds the module")
	}
	code, stdout, _ := runCLI(t, "version")
	if code != exitOK || !strings.Contains(stdout, "engine: native (no embedded wasm module; build with make)") {
		t.Fatalf("version: exit %d, %q", code, stdout)
	}
	bundle := filepath.Join(corpus, goldenBundles[0])
	for _, c := range []struct{ engine, want string }{
		{"wasm", "no embedded wasm module"},
		{"v8", `--engine "v8": want wasm or native`},
	} {
		code, _, stderr := runCLI(t, "scan", "--engine", c.engine, bundle)
		if code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("--engine %s: exit %d, stderr %q, want 2 and %q", c.engine, code, stderr, c.want)
		}
	}
	if code, _, stderr := runCLI(t, "scan", "--engine", "native", "--format", "json", bundle); code != exitOK {
		t.Errorf("--engine native: exit %d: %s", code, stderr)
	}
}

// TestScanWasmEngine: built by make, scan runs in wazero by default and
// prints exactly the golden outputs (text, JSON, SARIF) the native engine
// prints; version says which engine runs.
func TestScanWasmEngine(t *testing.T) {
	useBuiltWasm(t)
	if code, stdout, _ := runCLI(t, "version"); code != exitOK || !strings.Contains(stdout, "engine: wasm (embedded, wazero)") {
		t.Fatalf("version: exit %d, %q", code, stdout)
	}
	for _, name := range goldenBundles {
		for _, format := range []string{"text", "json", "sarif"} {
			for _, engine := range []string{"", "wasm"} {
				args := []string{"scan", "--format", format, filepath.Join(corpus, name)}
				if engine != "" {
					args = append(args, "--engine", engine)
				}
				code, stdout, stderr := runCLI(t, args...)
				if code != exitOK {
					t.Fatalf("%s %s: exit %d: %s", name, format, code, stderr)
				}
				want, err := os.ReadFile(filepath.Join("testdata", "scan", name+"."+format))
				if err != nil {
					t.Fatal(err)
				}
				if stdout != string(want) {
					t.Errorf("%s.%s (engine %q): differs from the native golden output:\n%s", name, format, engine, stdout)
				}
			}
		}
	}
}
