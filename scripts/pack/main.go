// Command pack builds the shipped extension packages from the one source
// tree: dist/chrome/ and dist/firefox/ (unpacked, loadable as they are) and
// dist/preflight-chrome.zip and dist/preflight-firefox.zip.
//
//	go run ./scripts/pack -src extension -engine build/wasm -out dist
//
// Each browser gets the source's files (not its unit tests), the engine
// (preflight.wasm and the wasm_exec.js of the Go that built it, under
// engine/) and its own manifest: Chrome's keeps the service worker and drops
// Firefox's settings; Firefox's keeps the background scripts and drops what
// Firefox does not read. The zips are reproducible: entries sorted, one fixed
// time, fixed permissions, so the same source gives the same bytes.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	src := flag.String("src", "extension", "the extension's source folder (with manifest.json)")
	engine := flag.String("engine", "build/wasm", "folder holding preflight.wasm and wasm_exec.js")
	out := flag.String("out", "dist", "output folder")
	flag.Parse()
	for _, b := range browsers {
		files, err := Build(*src, *engine, b)
		if err != nil {
			fmt.Fprintln(os.Stderr, "pack:", err)
			os.Exit(1)
		}
		if err := Write(files, *out, b); err != nil {
			fmt.Fprintln(os.Stderr, "pack:", err)
			os.Exit(1)
		}
		fmt.Printf("pack: %s: %d files → %s/%s/ and %s/preflight-%s.zip\n", b, len(files), *out, b, *out, b)
	}
}
