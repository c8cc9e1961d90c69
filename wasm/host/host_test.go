package host

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cdf-preflight/preflight/analysis"
	"github.com/cdf-preflight/preflight/wasm/api"
)

// moduleBytes is the wasi module under test, built once by TestMain.
var moduleBytes []byte

// TestMain builds wasm/wasi for GOOS=wasip1 into a temp dir (the go build
// cache makes this fast after the first time), or uses
// $PREFLIGHT_WASI_MODULE when set.
func TestMain(m *testing.M) {
	os.Exit(func() int {
		path := os.Getenv("PREFLIGHT_WASI_MODULE")
		if path == "" {
			dir, err := os.MkdirTemp("", "preflight-wasi")
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			defer os.RemoveAll(dir)
			path = filepath.Join(dir, "engine.wasm")
			gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
			cmd := exec.Command(gobin, "build", "-buildmode=c-shared", "-trimpath", "-ldflags=-s -w", "-o", path, "../wasi")
			cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
			if out, err := cmd.CombinedOutput(); err != nil {
				fmt.Fprintf(os.Stderr, "building the wasi module: %v\n%s", err, out)
				return 1
			}
		}
		var err error
		if moduleBytes, err = os.ReadFile(path); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return m.Run()
	}())
}

var (
	sharedEng *Engine
	sharedErr error
)

// engine returns one engine with the default limits for all tests.
func engine(t testing.TB) *Engine {
	t.Helper()
	if sharedEng == nil && sharedErr == nil {
		sharedEng, sharedErr = New(context.Background(), moduleBytes, Options{})
	}
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return sharedEng
}

const corpusDir = "../../testdata/functions"

// metaFiles of a corpus bundle are not code.
var metaFiles = map[string]bool{"expect.toml": true, "function.json": true, "policy.toml": true}

type bundleCase struct {
	name string
	zip  []byte
	in   analysis.Input // Zip set, plus function/policy
}

// corpus zips every bundle of testdata/functions the way a user would
// upload it (code files only; function.json and policy.toml are inputs).
func corpus(t testing.TB) []bundleCase {
	t.Helper()
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	var out []bundleCase
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(corpusDir, e.Name())
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		var paths []string
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			if rel = filepath.ToSlash(rel); !metaFiles[rel] {
				paths = append(paths, rel)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		sort.Strings(paths)
		for _, rel := range paths {
			data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
			if err != nil {
				t.Fatal(err)
			}
			w, err := zw.Create(rel)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(data)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		c := bundleCase{name: e.Name(), zip: buf.Bytes()}
		c.in.Zip = c.zip
		if data, err := os.ReadFile(filepath.Join(dir, "function.json")); err == nil {
			c.in.FunctionJSON = data
		}
		if data, err := os.ReadFile(filepath.Join(dir, "policy.toml")); err == nil {
			c.in.PolicyTOML = data
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		t.Fatalf("no bundles in %s", corpusDir)
	}
	return out
}

// TestParityWazero: for every bundle, the wasi module under wazero gives
// the same bytes as the native engine — with and without the caller's token.
func TestParityWazero(t *testing.T) {
	eng := engine(t)
	token, err := os.ReadFile("../../testdata/tokens/admin-groups-all.json")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, c := range corpus(t) {
		t.Run(c.name, func(t *testing.T) {
			ins := map[string]analysis.Input{"zip": c.in}
			withToken := c.in
			withToken.TokenInspectJSON, withToken.Project = token, "acme-prod"
			ins["zip+token"] = withToken
			for variant, in := range ins {
				want, err := api.Analyze(ctx, in)
				if err != nil {
					t.Fatalf("%s: native: %v", variant, err)
				}
				got, err := eng.Analyze(ctx, in)
				if err != nil {
					t.Fatalf("%s: wazero: %v", variant, err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s: wazero report differs from native\n%s", variant, firstDiff(got, want))
				}
			}
		})
	}
}

// firstDiff shows where two reports part.
func firstDiff(got, want []byte) string {
	n := 0
	for n < len(got) && n < len(want) && got[n] == want[n] {
		n++
	}
	lo := max(0, n-80)
	return fmt.Sprintf("at byte %d:\n got: …%s\nwant: …%s", n, got[lo:min(len(got), n+80)], want[lo:min(len(want), n+80)])
}

// TestCallsAndErrors: every export, folder input, and errors that come back
// as errors (not crashes) with the native engine's message.
func TestCallsAndErrors(t *testing.T) {
	eng := engine(t)
	ctx := context.Background()
	token, err := os.ReadFile("../../testdata/tokens/admin-groups-all.json")
	if err != nil {
		t.Fatal(err)
	}

	files := analysis.Input{Files: map[string][]byte{
		"handler.py":   []byte("import os\n\ndef handle(client, data):\n    os.system(data['cmd'])\n"),
		"lib/\xffx.py": []byte("x = 1\n"), // invalid UTF-8 in a path survives the ABI
	}, FunctionJSON: []byte(`{"name":"f","externalId":"f"}`)}
	cases := []struct {
		name    string
		native  func() ([]byte, error)
		wazero  func() ([]byte, error)
		wantErr string
	}{
		{"folder", func() ([]byte, error) { return api.Analyze(ctx, files) },
			func() ([]byte, error) { return eng.Analyze(ctx, files) }, ""},
		{"no code", func() ([]byte, error) { return api.Analyze(ctx, analysis.Input{}) },
			func() ([]byte, error) { return eng.Analyze(ctx, analysis.Input{}) }, "no code"},
		{"not a zip", func() ([]byte, error) { return api.Analyze(ctx, analysis.Input{Zip: []byte("PK nope")}) },
			func() ([]byte, error) { return eng.Analyze(ctx, analysis.Input{Zip: []byte("PK nope")}) }, "zip"},
		{"bad policy", func() ([]byte, error) {
			return api.Analyze(ctx, analysis.Input{Files: files.Files, PolicyTOML: []byte("[limits\n")})
		},
			func() ([]byte, error) {
				return eng.Analyze(ctx, analysis.Input{Files: files.Files, PolicyTOML: []byte("[limits\n")})
			}, "policy"},
		{"permissions", func() ([]byte, error) { return api.Permissions(token, "acme-prod", nil) },
			func() ([]byte, error) { return eng.Permissions(ctx, token, "acme-prod", nil) }, ""},
		{"permissions bad token", func() ([]byte, error) { return api.Permissions([]byte("{"), "acme-prod", nil) },
			func() ([]byte, error) { return eng.Permissions(ctx, []byte("{"), "acme-prod", nil) }, "token"},
		{"check policy ok", func() ([]byte, error) { return api.CheckPolicy([]byte("")), nil },
			func() ([]byte, error) { return eng.CheckPolicy(ctx, []byte("")) }, ""},
		{"check policy error", func() ([]byte, error) { return api.CheckPolicy([]byte("[limits]\nmax_files = \"x\"\n")), nil },
			func() ([]byte, error) { return eng.CheckPolicy(ctx, []byte("[limits]\nmax_files = \"x\"\n")) }, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, werr := c.native()
			got, gerr := c.wazero()
			if c.wantErr != "" {
				if werr == nil || gerr == nil {
					t.Fatalf("want errors, got native %v, wazero %v", werr, gerr)
				}
				if gerr.Error() != werr.Error() || !strings.Contains(strings.ToLower(gerr.Error()), c.wantErr) {
					t.Fatalf("wazero error %q, native %q, want both the same and mentioning %q", gerr, werr, c.wantErr)
				}
				return
			}
			if werr != nil || gerr != nil {
				t.Fatalf("native %v, wazero %v", werr, gerr)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("wazero differs from native\n%s", firstDiff(got, want))
			}
		})
	}
}

// TestMemoryLimit: a bundle whose syntax tree outgrows the cap stops with a
// clear error, and the engine keeps working for the next call.
func TestMemoryLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 9 MiB bundle")
	}
	const limit = 48 << 20
	eng, err := New(context.Background(), moduleBytes, Options{MemoryLimit: limit, Timeout: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(context.Background())
	var src bytes.Buffer
	src.WriteString("def handle(client, data):\n    return X\n\nX = [\n")
	for src.Len() < 9<<20 {
		src.WriteString("    [1, 2, 3, 4, 5, 6, 7, 8, [9, [10, [11]]]],\n")
	}
	src.WriteString("]\n")
	in := analysis.Input{Files: map[string][]byte{"handler.py": src.Bytes()}}
	_, err = eng.Analyze(context.Background(), in)
	var le *LimitError
	if !errors.As(err, &le) || le.Resource != "memory" {
		t.Fatalf("got %v, want the memory limit", err)
	}
	if want := "analysis stopped: memory limit of 48 MiB reached"; err.Error() != want {
		t.Fatalf("message %q, want %q", err, want)
	}
	// A fresh instance per call: the next bundle is analysed normally.
	small := analysis.Input{Files: map[string][]byte{"handler.py": []byte("def handle(data):\n    return 1\n")}}
	if _, err := eng.Analyze(context.Background(), small); err != nil {
		t.Fatalf("after the limit: %v", err)
	}
}

// TestTimeLimit: a call past its deadline is stopped and reported; a
// cancelled caller is reported as a cancellation.
func TestTimeLimit(t *testing.T) {
	eng, err := New(context.Background(), moduleBytes, Options{Timeout: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(context.Background())
	var src bytes.Buffer
	src.WriteString("import os\n\ndef handle(client, data):\n")
	for i := 0; src.Len() < 2<<20; i++ {
		fmt.Fprintf(&src, "    v%d = client.raw.rows.list('db', 't%d')\n    os.system(v%d)\n", i, i, i)
	}
	in := analysis.Input{Files: map[string][]byte{"handler.py": src.Bytes()}}
	_, err = eng.Analyze(context.Background(), in)
	if want := "analysis stopped: time limit of 20ms reached"; err == nil || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = engine(t).Analyze(ctx, in)
	if err == nil || !strings.HasPrefix(err.Error(), "analysis cancelled") {
		t.Fatalf("cancelled caller: got %v", err)
	}
}

// TestBadModule: a module that is not the engine is refused at load.
func TestBadModule(t *testing.T) {
	for name, wasm := range map[string][]byte{
		"empty":    nil,
		"garbage":  []byte("not wasm at all"),
		"no calls": {0, 'a', 's', 'm', 1, 0, 0, 0},
	} {
		if _, err := New(context.Background(), wasm, Options{CacheDir: "-"}); err == nil || !strings.HasPrefix(err.Error(), "engine module:") {
			t.Errorf("%s: got %v, want an engine module error", name, err)
		}
	}
	if _, err := New(context.Background(), moduleBytes, Options{MemoryLimit: 1 << 10, CacheDir: "-"}); err == nil {
		t.Error("a memory limit under one page was accepted")
	}
}

// idleCount is how many warm instances eng keeps right now.
func idleCount(eng *Engine) int {
	eng.mu.Lock()
	defer eng.mu.Unlock()
	return len(eng.idle)
}

// TestWarmReuse: sequential calls share one warm instance; a call that
// returns an engine error does not give its instance back.
func TestWarmReuse(t *testing.T) {
	eng, err := New(context.Background(), moduleBytes, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(context.Background())
	ctx := context.Background()
	c := corpus(t)[0]
	want, err := api.Analyze(ctx, c.in)
	if err != nil {
		t.Fatal(err)
	}
	var first *instance
	for i := 0; i < 3; i++ {
		got, err := eng.Analyze(ctx, c.in)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("call %d: differs from native\n%s", i, firstDiff(got, want))
		}
		if n := idleCount(eng); n != 1 {
			t.Fatalf("call %d: %d idle instances, want 1", i, n)
		}
		if i == 0 {
			first = eng.idle[0]
		} else if eng.idle[0] != first {
			t.Fatalf("call %d ran in a new instance, want the warm one reused", i)
		}
	}
	if _, err := eng.Analyze(ctx, analysis.Input{}); err == nil {
		t.Fatal("no code: want an error")
	}
	if n := idleCount(eng); n != 0 {
		t.Fatalf("after an engine error: %d idle instances, want 0 (discarded)", n)
	}
	if got, err := eng.Analyze(ctx, c.in); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("after an engine error: %v (same bytes as native: %v)", err, bytes.Equal(got, want))
	}
}

// TestAfterLimits: after a call stopped by the memory cap, the deadline or
// a cancellation, the next call runs in a sound instance and gives the same
// bytes as the native engine.
func TestAfterLimits(t *testing.T) {
	ctx := context.Background()
	c := corpus(t)[0]
	want, err := api.Analyze(ctx, c.in)
	if err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, eng *Engine, what string) {
		t.Helper()
		if n := idleCount(eng); n != 0 {
			t.Fatalf("after %s: %d idle instances, want 0 (discarded)", what, n)
		}
		for i := 0; i < 2; i++ {
			got, err := eng.Analyze(ctx, c.in)
			if err != nil {
				t.Fatalf("after %s: %v", what, err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("after %s: differs from native\n%s", what, firstDiff(got, want))
			}
		}
	}

	t.Run("memory", func(t *testing.T) {
		if testing.Short() {
			t.Skip("builds a 9 MiB bundle")
		}
		eng, err := New(ctx, moduleBytes, Options{MemoryLimit: 48 << 20, Timeout: 5 * time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		defer eng.Close(ctx)
		if _, err := eng.Analyze(ctx, c.in); err != nil { // warm first
			t.Fatal(err)
		}
		var src bytes.Buffer
		src.WriteString("def handle(client, data):\n    return X\n\nX = [\n")
		for src.Len() < 9<<20 {
			src.WriteString("    [1, 2, 3, 4, 5, 6, 7, 8, [9, [10, [11]]]],\n")
		}
		src.WriteString("]\n")
		_, err = eng.Analyze(ctx, analysis.Input{Files: map[string][]byte{"handler.py": src.Bytes()}})
		if want := "analysis stopped: memory limit of 48 MiB reached"; err == nil || err.Error() != want {
			t.Fatalf("got %v, want %q", err, want)
		}
		check(t, eng, "the memory limit")
	})

	t.Run("time", func(t *testing.T) {
		eng, err := New(ctx, moduleBytes, Options{Timeout: 20 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		defer eng.Close(ctx)
		var src bytes.Buffer
		src.WriteString("import os\n\ndef handle(client, data):\n")
		for i := 0; src.Len() < 2<<20; i++ {
			fmt.Fprintf(&src, "    v%d = client.raw.rows.list('db', 't%d')\n    os.system(v%d)\n", i, i, i)
		}
		_, err = eng.Analyze(ctx, analysis.Input{Files: map[string][]byte{"handler.py": src.Bytes()}})
		if want := "analysis stopped: time limit of 20ms reached"; err == nil || err.Error() != want {
			t.Fatalf("got %v, want %q", err, want)
		}
		// The 20 ms deadline is too short to start an instance: raise it
		// for the check (same engine, same pool).
		eng.timeout = DefaultTimeout
		check(t, eng, "the time limit")
	})

	t.Run("cancelled", func(t *testing.T) {
		eng, err := New(ctx, moduleBytes, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer eng.Close(ctx)
		if _, err := eng.Analyze(ctx, c.in); err != nil { // warm first
			t.Fatal(err)
		}
		cctx, cancel := context.WithCancel(ctx)
		var src bytes.Buffer
		src.WriteString("import os\n\ndef handle(client, data):\n")
		for i := 0; src.Len() < 2<<20; i++ {
			fmt.Fprintf(&src, "    v%d = client.raw.rows.list('db', 't%d')\n    os.system(v%d)\n", i, i, i)
		}
		time.AfterFunc(30*time.Millisecond, cancel)
		_, err = eng.Analyze(cctx, analysis.Input{Files: map[string][]byte{"handler.py": src.Bytes()}})
		if err == nil || !strings.HasPrefix(err.Error(), "analysis cancelled") {
			t.Fatalf("cancelled mid-call: got %v", err)
		}
		check(t, eng, "a cancellation")
	})
}

// TestOversizedInstanceDropped: an instance whose memory grew past half the
// cap is not kept for the next call.
func TestOversizedInstanceDropped(t *testing.T) {
	ctx := context.Background()
	eng, err := New(ctx, moduleBytes, Options{MemoryLimit: 512 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(ctx)
	c := corpus(t)[0]
	if _, err := eng.Analyze(ctx, c.in); err != nil {
		t.Fatal(err)
	}
	if n := idleCount(eng); n != 1 {
		t.Fatalf("%d idle instances, want 1", n)
	}
	size := uint64(eng.idle[0].m.Memory().Size())
	// Pretend the cap were just under twice what the instance uses now.
	eng.memLimit = 2*size - pageSize
	if _, err := eng.Analyze(ctx, c.in); err != nil {
		t.Fatal(err)
	}
	if n := idleCount(eng); n != 0 {
		t.Fatalf("instance of %d bytes kept under a cap of %d: %d idle, want 0", size, eng.memLimit, n)
	}
}
