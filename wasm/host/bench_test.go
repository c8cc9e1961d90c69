package host

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/cdf-preflight/preflight/wasm/api"
)

// BenchmarkAnalyzeEngines: analyse time per bundle (benign-raw-etl, zipped),
// native vs the wasi module under wazero (a fresh instance per call, as in
// production). Also reports compile times cold (no cache) and warm (disk
// cache) once.
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
	b.Run("wazero", func(b *testing.B) {
		eng := engine(b)
		for b.Loop() {
			if _, err := eng.Analyze(ctx, c.in); err != nil {
				b.Fatal(err)
			}
		}
	})
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
