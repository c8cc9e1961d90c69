// Command parsebench measures analysis/pyast's Parse over a list of Python
// files, the same way scripts/bench/cpython_bench.py measures CPython's
// ast.parse: all sources read into memory first, then the whole list parsed
// in a loop, best of N runs. It builds natively and for GOOS=js (run under
// Node with wasm_exec_node.js), so the wasm figure is measured inside the
// wasm. It prints one JSON object:
//
//	{"engine":"pyast linux/amd64","files":N,"bytes":B,"errors":E,"runs":[…],"seconds":S,"mbps":X}
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/cdf-preflight/preflight/analysis/pyast"
)

type result struct {
	Engine  string    `json:"engine"`
	Files   int       `json:"files"`
	Bytes   int64     `json:"bytes"`
	Errors  int       `json:"errors"` // files with at least one syntax error
	Runs    []float64 `json:"runs"`
	Seconds float64   `json:"seconds"` // best run
	MBps    float64   `json:"mbps"`    // bytes / 1e6 / seconds
}

func main() {
	runs := flag.Int("runs", 3, "number of timed runs; the best is reported")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: parsebench [-runs N] LISTFILE  (one .py path per line)")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 || *runs < 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := bench(flag.Arg(0), *runs); err != nil {
		fmt.Fprintln(os.Stderr, "parsebench:", err)
		os.Exit(1)
	}
}

func bench(listFile string, runs int) error {
	names, err := readList(listFile)
	if err != nil {
		return err
	}
	srcs := make([][]byte, len(names))
	res := result{Engine: "pyast " + runtime.GOOS + "/" + runtime.GOARCH, Files: len(names)}
	for i, name := range names {
		if srcs[i], err = os.ReadFile(name); err != nil {
			return err
		}
		res.Bytes += int64(len(srcs[i]))
	}
	for r := 0; r < runs; r++ {
		runtime.GC()
		errors := 0
		start := time.Now()
		for i, src := range srcs {
			if _, errs := pyast.Parse(names[i], src, nil); len(errs) > 0 {
				errors++
			}
		}
		sec := time.Since(start).Seconds()
		res.Runs = append(res.Runs, sec)
		if r == 0 || sec < res.Seconds {
			res.Seconds = sec
		}
		res.Errors = errors
	}
	if res.Seconds > 0 {
		res.MBps = float64(res.Bytes) / 1e6 / res.Seconds
	}
	return json.NewEncoder(os.Stdout).Encode(res)
}

func readList(name string) ([]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var names []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			names = append(names, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: no files listed", name)
	}
	return names, nil
}
