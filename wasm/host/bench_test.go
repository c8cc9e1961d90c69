package host

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/cdf-preflight/preflight/wasm/api"
)

// BenchmarkAnalyzeEngines: analyse time per bundle (benign-raw-etl, zipped),
// native vs the wasi module under wazero vs the browser build under Node.
// wazero-cold starts a fresh instance for every call (the first call of a
// process, or the one after a discarded instance); wazero-warm reuses the
// warm instance (every later call). node loads the browser build once and
// times repeated analyze calls after a first one (load-ms is that start).
// Also reports compile times cold (no cache) and warm (disk cache) once.
func BenchmarkAnalyzeEngines(b *testing.B) {
	var c bundleCase
	for _, x := range corpus(b) {
		if x.name == "benign-raw-etl" {
			c = x
		}
	}
	ctx := context.Background()
	b.Run("native", func(b *testing.B) {
		for b.Loop() {
			if _, err := api.Analyze(ctx, c.in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("wazero-cold", func(b *testing.B) {
		eng := engine(b)
		for b.Loop() {
			eng.dropIdle()
			if _, err := eng.Analyze(ctx, c.in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("wazero-warm", func(b *testing.B) {
		eng := engine(b)
		if _, err := eng.Analyze(ctx, c.in); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := eng.Analyze(ctx, c.in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("node", func(b *testing.B) { benchNode(b, c) })
	b.Run("compile", func(b *testing.B) {
		for b.Loop() {
			cacheDir := b.TempDir()
			t0 := time.Now()
			e, err := New(ctx, moduleBytes, Options{CacheDir: cacheDir})
			if err != nil {
				b.Fatal(err)
			}
			cold := time.Since(t0)
			e.Close(ctx)
			t0 = time.Now()
			e, err = New(ctx, moduleBytes, Options{CacheDir: cacheDir})
			if err != nil {
				b.Fatal(err)
			}
			warm := time.Since(t0)
			e.Close(ctx)
			b.ReportMetric(float64(cold.Milliseconds()), "cold-ms")
			b.ReportMetric(float64(warm.Milliseconds()), "warm-ms")
			os.RemoveAll(cacheDir)
		}
	})
}

// nodeBenchRunner loads the browser build in Node as nodeRunner does, makes
// one analyze call (checked against the native report by the caller), then
// times n more and prints {"loadMs":…,"perCallNs":…}.
const nodeBenchRunner = `
const fs = require('node:fs');
const path = require('node:path');
const [dir, zipPath, fnPath, policyPath, n, outPath] = process.argv.slice(2);
require(path.join(dir, 'wasm_exec.js'));
(async () => {
  const t0 = process.hrtime.bigint();
  const ready = new Promise((res) => { globalThis.__preflightReady = res; });
  const go = new globalThis.Go();
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(path.join(dir, 'preflight.wasm')), go.importObject);
  go.run(instance);
  await Promise.race([ready, new Promise((r) => setTimeout(r, 5000))]);
  const pf = globalThis.preflight;
  const zip = new Uint8Array(fs.readFileSync(zipPath));
  const rd = (p) => (p ? fs.readFileSync(p, 'utf8') : null);
  const fn = rd(fnPath), policy = rd(policyPath);
  fs.writeFileSync(outPath, await pf.analyze(zip, fn, null, null, policy));
  const t1 = process.hrtime.bigint();
  for (let i = 0; i < Number(n); i++) await pf.analyze(zip, fn, null, null, policy);
  const t2 = process.hrtime.bigint();
  console.log(JSON.stringify({ loadMs: Number(t1 - t0) / 1e6, perCallNs: Number(t2 - t1) / Number(n) }));
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
`

// benchNode runs node once over b.N analyze calls of c and reports the
// time per call as ns/op.
func benchNode(b *testing.B, c bundleCase) {
	node, err := exec.LookPath("node")
	if err != nil {
		b.Skip("node not found")
	}
	dir := browserWasmDir(b)
	write := func(name string, data []byte) string { return writeTemp(b, dir, name, data) }
	runner := write("bench.js", []byte(nodeBenchRunner))
	outPath := filepath.Join(dir, "out.json")
	cmd := exec.Command(node, runner, dir, write("b.zip", c.zip), write("f.json", c.in.FunctionJSON),
		write("p.toml", c.in.PolicyTOML), strconv.Itoa(b.N), outPath)
	b.ResetTimer()
	out, err := cmd.Output()
	b.StopTimer()
	if err != nil {
		b.Fatalf("node: %v\n%s", err, out)
	}
	var res struct{ LoadMs, PerCallNs float64 }
	if err := json.Unmarshal(out, &res); err != nil {
		b.Fatalf("node: %v: %s", err, out)
	}
	got, err := os.ReadFile(outPath)
	if err != nil {
		b.Fatal(err)
	}
	if want, err := api.Analyze(context.Background(), c.in); err != nil || !bytes.Equal(got, want) {
		b.Fatalf("node report differs from native (native error %v)", err)
	}
	b.ReportMetric(res.PerCallNs, "ns/op")
	b.ReportMetric(res.LoadMs, "load-ms")
}
