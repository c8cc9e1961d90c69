package api

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cdf-preflight/preflight/analysis"
)

func TestAnalyzeWritesTheReportContract(t *testing.T) {
	src := []byte("import requests\n\ndef handle(client, data, secrets):\n    print(secrets['api-key'])\n")
	out, err := Analyze(context.Background(), analysis.Input{Files: map[string][]byte{"handler.py": src}})
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		SchemaVersion int `json:"schemaVersion"`
		Risk          struct{ Level string }
		Findings      []struct{ Category string }
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if rep.SchemaVersion != 1 || rep.Risk.Level != "high" || len(rep.Findings) == 0 || rep.Findings[0].Category != "secret-exposure" {
		t.Errorf("report = %+v", rep)
	}
	if _, err := Analyze(context.Background(), analysis.Input{Zip: []byte("not a zip")}); err == nil || !strings.Contains(err.Error(), "zip") {
		t.Errorf("bad zip: err = %v", err)
	}
}

func TestCheckPolicy(t *testing.T) {
	var ok PolicyCheck
	if err := json.Unmarshal(CheckPolicy([]byte("[gate]\nthreshold = \"medium\"\n")), &ok); err != nil || !ok.OK || !strings.Contains(ok.Policy, "threshold = 'medium'") {
		t.Errorf("valid policy: %+v %v", ok, err)
	}
	var bad PolicyCheck
	if err := json.Unmarshal(CheckPolicy([]byte("[gate]\nthreshold = \"hgih\"\n")), &bad); err != nil || bad.OK || len(bad.Errors) != 1 {
		t.Fatalf("bad policy: %+v %v", bad, err)
	}
	if e := bad.Errors[0]; e.Line != 2 || e.Column == 0 || !strings.Contains(e.Message, "hgih") {
		t.Errorf("error = %+v", e)
	}
}

func TestPermissions(t *testing.T) {
	tok, err := os.ReadFile(filepath.Join("..", "..", "testdata", "tokens", "admin-groups-all.json"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := Permissions(tok, "acme-prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	var as struct {
		Level   string `json:"level"`
		CanCall bool   `json:"canCall"`
	}
	if err := json.Unmarshal(out, &as); err != nil || as.Level != "admin" || !as.CanCall {
		t.Errorf("assessment = %+v (%v)\n%s", as, err, out)
	}
	if _, err := Permissions([]byte("{"), "acme-prod", nil); err == nil {
		t.Error("malformed token inspect: no error")
	}
}

func TestCheckPolicyGivesTheSettingsTheExtensionActsOn(t *testing.T) {
	var got PolicyCheck
	if err := json.Unmarshal(CheckPolicy([]byte("[gate]\nthreshold = \"medium\"\n[limits]\nmax_zip_bytes = 1048576\n")), &got); err != nil {
		t.Fatal(err)
	}
	if !got.OK || got.Threshold != "medium" || got.MaxZipBytes != 1<<20 {
		t.Errorf("CheckPolicy = %+v, want ok, threshold medium, maxZipBytes 1 MiB", got)
	}
	if err := json.Unmarshal(CheckPolicy(nil), &got); err != nil {
		t.Fatal(err)
	}
	if got.Threshold != "high" || got.MaxZipBytes != 50<<20 {
		t.Errorf("CheckPolicy(empty) = threshold %q, maxZipBytes %d; want the defaults high, 50 MiB", got.Threshold, got.MaxZipBytes)
	}
}
