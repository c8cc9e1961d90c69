package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// browsers are the packages built, each from the same source.
var browsers = []string{"chrome", "firefox"}

// zipTime is every zip entry's modification time: a fixed instant, so builds
// are reproducible.
var zipTime = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// engineFiles are copied from the engine folder into engine/.
var engineFiles = []string{"preflight.wasm", "wasm_exec.js"}

// Build returns a browser's package as path → content: the source files
// except unit tests, the engine under engine/, and the browser's manifest.
func Build(src, engine, browser string) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !shipped(rel) {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file", p)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files[rel] = data
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", src, err)
	}
	for _, name := range engineFiles {
		data, err := os.ReadFile(filepath.Join(engine, name))
		if err != nil {
			return nil, fmt.Errorf("engine (run make wasm-browser): %w", err)
		}
		files["engine/"+name] = data
	}
	manifest, ok := files["manifest.json"]
	if !ok {
		return nil, fmt.Errorf("%s has no manifest.json", src)
	}
	if files["manifest.json"], err = Manifest(manifest, browser); err != nil {
		return nil, fmt.Errorf("%s/manifest.json: %w", src, err)
	}
	if err := checkReferences(files); err != nil {
		return nil, fmt.Errorf("%s package: %w", browser, err)
	}
	return files, nil
}

// shipped says whether a source file goes into the package: not unit tests,
// test fixtures or editor leftovers.
func shipped(rel string) bool {
	base := path.Base(rel)
	switch {
	case strings.HasPrefix(base, "."):
		return false
	case strings.HasSuffix(base, ".test.js"), strings.HasSuffix(base, ".test.mjs"):
		return false
	case strings.HasSuffix(base, "~"), strings.HasSuffix(base, ".md"):
		return false
	case rel == "package.json": // marks the source as ES modules for node --test
		return false
	}
	return true
}

// Manifest rewrites the source manifest for one browser. Chrome runs the
// background as a service worker and ignores Firefox's settings; Firefox runs
// background.scripts as an event page, ignores the service worker (web-ext
// lint warns about it) and reads managed storage from enterprise policies, not
// from a schema file.
func Manifest(src []byte, browser string) ([]byte, error) {
	var m map[string]any
	if err := json.Unmarshal(src, &m); err != nil {
		return nil, err
	}
	bg, _ := m["background"].(map[string]any)
	if bg == nil {
		return nil, fmt.Errorf("no background")
	}
	switch browser {
	case "chrome":
		delete(bg, "scripts")
		delete(m, "browser_specific_settings")
	case "firefox":
		delete(bg, "service_worker")
		delete(m, "storage")
	default:
		return nil, fmt.Errorf("unknown browser %q", browser)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// checkReferences fails when the manifest names a file the package lacks.
func checkReferences(files map[string][]byte) error {
	var m struct {
		Icons      map[string]string `json:"icons"`
		Background struct {
			ServiceWorker string   `json:"service_worker"`
			Scripts       []string `json:"scripts"`
		} `json:"background"`
		ContentScripts []struct {
			JS  []string `json:"js"`
			CSS []string `json:"css"`
		} `json:"content_scripts"`
		Action struct {
			Popup string            `json:"default_popup"`
			Icon  map[string]string `json:"default_icon"`
		} `json:"action"`
		Options struct {
			Page string `json:"page"`
		} `json:"options_ui"`
		Storage struct {
			Schema string `json:"managed_schema"`
		} `json:"storage"`
	}
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
		return err
	}
	var refs []string
	for _, v := range m.Icons {
		refs = append(refs, v)
	}
	for _, v := range m.Action.Icon {
		refs = append(refs, v)
	}
	refs = append(refs, m.Background.ServiceWorker, m.Action.Popup, m.Options.Page, m.Storage.Schema)
	refs = append(refs, m.Background.Scripts...)
	for _, cs := range m.ContentScripts {
		refs = append(refs, cs.JS...)
		refs = append(refs, cs.CSS...)
	}
	var missing []string
	seen := map[string]bool{}
	for _, r := range refs {
		if r != "" && files[r] == nil && !seen[r] {
			seen[r] = true
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("the manifest names files that are not in the source: %s", strings.Join(missing, ", "))
	}
	return nil
}

// Write replaces out/<browser>/ with the package's files and writes
// out/preflight-<browser>.zip.
func Write(files map[string][]byte, out, browser string) error {
	dir := filepath.Join(out, browser)
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for _, name := range sortedNames(files) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return err
		}
	}
	z, err := Zip(files)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "preflight-"+browser+".zip"), z, 0o644)
}

// Zip is the package as a reproducible zip: sorted entries, fixed time and
// mode, deflated.
func Zip(files map[string][]byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range sortedNames(files) {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipTime}
		h.SetMode(0o644)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(files[name]); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func sortedNames(files map[string][]byte) []string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
