package pyast

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkParseCorpus parses a whole corpus of Python files per iteration
// and reports MB/s. The corpus is the file list in $PREFLIGHT_BENCH_LIST
// (one path a line, as scripts/bench/run.sh writes it), else every .py file
// under $PREFLIGHT_BENCH_DIR, else the CPython 3.11.7 standard library of a
// pyenv install (site-packages and __pycache__ skipped). It skips when there
// is none. `make bench` runs the full comparison with CPython and js/wasm.
func BenchmarkParseCorpus(b *testing.B) {
	names := benchCorpus(b)
	srcs := make([][]byte, len(names))
	var total int64
	for i, name := range names {
		src, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		srcs[i] = src
		total += int64(len(src))
	}
	b.SetBytes(total)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i, src := range srcs {
			Parse(names[i], src, nil)
		}
	}
	b.ReportMetric(float64(len(srcs)), "files")
}

func benchCorpus(b *testing.B) []string {
	if list := os.Getenv("PREFLIGHT_BENCH_LIST"); list != "" {
		f, err := os.Open(list)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		var names []string
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if s := strings.TrimSpace(sc.Text()); s != "" {
				names = append(names, s)
			}
		}
		if err := sc.Err(); err != nil {
			b.Fatal(err)
		}
		return names
	}
	dir := os.Getenv("PREFLIGHT_BENCH_DIR")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".pyenv", "versions", "3.11.7", "lib", "python3.11")
	}
	var names []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "site-packages" || d.Name() == "__pycache__") {
			return fs.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".py") {
			names = append(names, path)
		}
		return nil
	})
	if err != nil || len(names) == 0 {
		b.Skipf("no corpus (set PREFLIGHT_BENCH_LIST or PREFLIGHT_BENCH_DIR): %v", err)
	}
	return names
}
