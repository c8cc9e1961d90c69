package rules

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cdf-preflight/preflight/analysis/bundle"
)

// benchBundle is a realistic function: a handler and two helper modules,
// about 300 lines.
func benchBundle(b *testing.B) *bundle.Bundle {
	b.Helper()
	bd := &bundle.Bundle{Handler: "handler.py"}
	for _, name := range []string{"cdf_utils.py", "handler.py", "transform.py"} {
		data, err := os.ReadFile(filepath.Join("testdata", "bench", name))
		if err != nil {
			b.Fatal(err)
		}
		bd.Files = append(bd.Files, bundle.File{Path: name, Data: data})
	}
	return bd
}

// BenchmarkBuild measures parsing and the data flow of a typical bundle
// (target: under 2 ms).
func BenchmarkBuild(b *testing.B) {
	bd := benchBundle(b)
	b.ReportAllocs()
	for b.Loop() {
		p := Build(bd, Options{IsSecretLiteral: testSecretLiteral})
		if p.Truncated != "" || len(p.Calls) == 0 {
			b.Fatal("bad build")
		}
	}
}

// BenchmarkBuildAndRun adds the exposure and execution families.
func BenchmarkBuildAndRun(b *testing.B) {
	bd := benchBundle(b)
	b.ReportAllocs()
	for b.Loop() {
		p := Build(bd, Options{IsSecretLiteral: testSecretLiteral})
		RunFamilies([]*Family{Exposure, Execution}, p, bd, nil, nil, nil)
	}
}
