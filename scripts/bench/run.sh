#!/usr/bin/env bash
# Parser benchmark, in one run over the same bytes: CPython 3.11's ast.parse
# over every stdlib file it accepts, our Parse natively, our Parse compiled to
# GOOS=js GOARCH=wasm under Node, and `preflight ast --stats`. Each engine
# pre-reads the sources and reports its best of $RUNS runs. Prints a
# markdown table (also written to $OUT/results.md).
#
# Needs: Go, Node, CPython 3.11 (pyenv 3.11.7, or $PYTHON311).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
out=${OUT:-$root/build/bench}
runs=${RUNS:-3}
go=${GO:-go}
mkdir -p "$out"

# find_python VERSION: print a command line that runs that CPython.
find_python() {
	local v=$1 r
	for r in "${PYENV_ROOT:-}" "$HOME/.pyenv"; do
		if [[ -n $r && -x $r/versions/$v/bin/python3 ]]; then
			echo "$r/versions/$v/bin/python3"
			return
		fi
	done
	if command -v pyenv >/dev/null && pyenv prefix "$v" >/dev/null 2>&1; then
		echo "env PYENV_VERSION=$v python3"
		return
	fi
	if command -v "python${v%.*}" >/dev/null; then
		echo "python${v%.*}"
		return
	fi
	return 1
}

py=${PYTHON311:-$(find_python 3.11.7)} || { echo "bench: CPython 3.11 not found (set PYTHON311)" >&2; exit 1; }
list=$out/files.txt

echo "bench: CPython ($py) over its stdlib…" >&2
$py scripts/bench/cpython_bench.py --list "$list" --runs "$runs" >"$out/cpython.json"

echo "bench: pyast native…" >&2
$go build -o "$out/parsebench" ./scripts/bench/parsebench
"$out/parsebench" -runs "$runs" "$list" >"$out/native.json"

echo "bench: pyast js/wasm under Node $(node --version)…" >&2
GOOS=js GOARCH=wasm $go build -ldflags=-s -o "$out/parsebench.wasm" ./scripts/bench/parsebench
node "$($go env GOROOT)/lib/wasm/wasm_exec_node.js" "$out/parsebench.wasm" -runs "$runs" "$list" >"$out/wasm.json"

echo "bench: preflight ast --stats…" >&2
$go build -o "$out/preflight" ./cmd/preflight
mapfile -t files <"$list"
"$out/preflight" ast --stats "${files[@]}" >"$out/stats.txt"

$py scripts/bench/table.py "$out/cpython.json" "$out/native.json" "$out/wasm.json" "$out/stats.txt" \
	"$(stat -c %s "$out/parsebench.wasm")" | tee "$out/results.md"
