package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fixture writes a small extension source and engine folder.
func fixture(t *testing.T, manifest string) (src, engine string) {
	t.Helper()
	dir := t.TempDir()
	src, engine = filepath.Join(dir, "ext"), filepath.Join(dir, "engine")
	files := map[string]string{
		"ext/manifest.json":        manifest,
		"ext/background/main.js":   "import './x.js';\n",
		"ext/background/x.js":      "export const x = 1;\n",
		"ext/background/x.test.js": "test\n",
		"ext/content/loader.js":    "//\n",
		"ext/.DS_Store":            "junk",
		"ext/icons/icon-16.png":    "png",
		"engine/preflight.wasm":    "\x00asm",
		"engine/wasm_exec.js":      "globalThis.Go = class {};\n",
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return src, engine
}

const fixtureManifest = `{"manifest_version": 3, "name": "x", "version": "1",
 "icons": {"16": "icons/icon-16.png"},
 "background": {"service_worker": "background/main.js", "scripts": ["background/main.js"], "type": "module"},
 "content_scripts": [{"matches": ["https://*.fusion.cognite.com/*"], "js": ["content/loader.js"]}],
 "storage": {"managed_schema": "managed_schema.json"},
 "browser_specific_settings": {"gecko": {"id": "x@y"}}}`

func TestZipIsReproducible(t *testing.T) {
	src, engine := fixture(t, strings.Replace(fixtureManifest, `"storage": {"managed_schema": "managed_schema.json"},`, "", 1))
	first, err := Build(src, engine, "firefox")
	if err != nil {
		t.Fatal(err)
	}
	z1, err := Zip(first)
	if err != nil {
		t.Fatal(err)
	}
	// Touch every file: a later build of the same content gives the same bytes.
	later := time.Now().Add(time.Hour)
	filepath.Walk(src, func(p string, _ os.FileInfo, _ error) error { return os.Chtimes(p, later, later) })
	second, _ := Build(src, engine, "firefox")
	z2, err := Zip(second)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(z1, z2) {
		t.Fatal("two builds of the same source gave different zips")
	}
	zr, err := zip.NewReader(bytes.NewReader(z1), int64(len(z1)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	want := "background/main.js background/x.js content/loader.js engine/preflight.wasm engine/wasm_exec.js icons/icon-16.png manifest.json"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("zip entries:\n got %s\nwant %s (sorted; no unit tests, no dot files)", got, want)
	}
}

func TestManifestPerBrowser(t *testing.T) {
	src, err := os.ReadFile("../../extension/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		browser     string
		has, hasNot []string
	}{
		{"chrome", []string{"background.service_worker", "storage.managed_schema"}, []string{"background.scripts", "browser_specific_settings"}},
		{"firefox", []string{"background.scripts", "browser_specific_settings.gecko.id", "browser_specific_settings.gecko.data_collection_permissions"}, []string{"background.service_worker", "storage"}},
	} {
		out, err := Manifest(src, tc.browser)
		if err != nil {
			t.Fatalf("%s: %v", tc.browser, err)
		}
		var m map[string]any
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range tc.has {
			if lookup(m, k) == nil {
				t.Errorf("%s manifest lacks %s", tc.browser, k)
			}
		}
		for _, k := range tc.hasNot {
			if lookup(m, k) != nil {
				t.Errorf("%s manifest has %s", tc.browser, k)
			}
		}
		// What both browsers need: the CSP that lets the engine instantiate,
		// the module background, the MAIN-world hook at document_start.
		if csp := lookup(m, "content_security_policy.extension_pages"); csp == nil || !strings.Contains(csp.(string), "'wasm-unsafe-eval'") {
			t.Errorf("%s: the extension pages' CSP must allow 'wasm-unsafe-eval' (the engine cannot instantiate otherwise)", tc.browser)
		}
		if lookup(m, "background.type") != "module" {
			t.Errorf("%s: background must be a module", tc.browser)
		}
	}
}

func TestMissingFileIsNamed(t *testing.T) {
	src, engine := fixture(t, fixtureManifest) // names managed_schema.json, which is absent
	_, err := Build(src, engine, "chrome")
	if err == nil || !strings.Contains(err.Error(), "managed_schema.json") {
		t.Fatalf("Build = %v, want an error naming managed_schema.json", err)
	}
}

func lookup(m map[string]any, dotted string) any {
	var v any = m
	for _, k := range strings.Split(dotted, ".") {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

// The real source packs for both browsers: every file the manifest names is
// there, and nothing that is only for tests or development ships.
func TestRealSourcePacks(t *testing.T) {
	engine := t.TempDir()
	for _, name := range engineFiles {
		if err := os.WriteFile(filepath.Join(engine, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, b := range browsers {
		files, err := Build("../../extension", engine, b)
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		for name := range files {
			if strings.HasSuffix(name, ".test.js") || strings.Contains(name, "testdata/") || name == "package.json" {
				t.Errorf("%s package ships %s", b, name)
			}
		}
		for _, want := range []string{"background/main.js", "content/loader.js", "page/hook.js", "popup/popup.html", "options/options.html", "lib/protocol.js", "engine/preflight.wasm", "engine/wasm_exec.js"} {
			if files[want] == nil {
				t.Errorf("%s package lacks %s", b, want)
			}
		}
	}
}
