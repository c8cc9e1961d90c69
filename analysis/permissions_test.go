package analysis

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cdf-preflight/preflight/analysis/report"
)

const tokensDir = "../testdata/tokens"

// loadFunctionBundle reads one bundle of testdata/functions as the CLI
// would: code files, and function.json as metadata.
func loadFunctionBundle(t *testing.T, name string) Input {
	t.Helper()
	dir := filepath.Join("../testdata/functions", name)
	in := Input{Files: map[string][]byte{}}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		data, err := os.ReadFile(path)
		switch rel {
		case "function.json":
			in.FunctionJSON = data
		case "expect.toml", "policy.toml":
		default:
			in.Files[rel] = data
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func readToken(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(tokensDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestAnalyzePermissions: needed vs held over the engine's testdata
// bundles — missing capabilities name the calls that fail and where, excess
// ones are listed, and admin/elevated callers of functions that need less
// get a permission-excess finding with the remedy.
func TestAnalyzePermissions(t *testing.T) {
	for _, tc := range []struct {
		bundle, token string
		policy        string
		level         string
		canCall       bool
		missing       []string
		limited       []string
		excessHas     []string
		excessNot     []string
		finding       report.Severity // -1: no permission-excess finding
	}{
		{bundle: "benign-raw-etl", token: "admin-groups-all.json", level: "admin", canCall: true,
			missing: []string{
				"rawAcl:READ — client.raw.rows.list at handler.py:25",
				"rawAcl:WRITE — client.raw.rows.insert at handler.py:27",
			},
			excessHas: []string{"groupsAcl:CREATE", "assetsAcl:WRITE"}, excessNot: []string{"functionsAcl:RUN", "sessionsAcl:CREATE"},
			finding: report.Medium},
		{bundle: "benign-raw-etl", token: "standard-datasets.json", level: "standard", canCall: true,
			limited: []string{
				"rawAcl:READ (you hold it only in RAW tables ops.alarms, ops.events; database sales (all tables); elsewhere it fails) — client.raw.rows.list at handler.py:25",
				"rawAcl:WRITE (you hold it only in RAW tables ops.alarms, ops.events; database sales (all tables); elsewhere it fails) — client.raw.rows.insert at handler.py:27",
			},
			missing:   []string{},
			excessHas: []string{"assetsAcl:WRITE", "rawAcl:LIST"}, excessNot: []string{"rawAcl:WRITE"},
			finding: -1},
		{bundle: "risky-group-create", token: "admin-groups-all.json", level: "admin", canCall: true,
			missing: []string{}, excessNot: []string{"groupsAcl:CREATE"}, finding: -1}, // the function itself needs admin
		{bundle: "risky-group-create", token: "standard-datasets.json", level: "standard", canCall: true,
			missing: []string{"groupsAcl:CREATE — client.iam.groups.create at handler.py:6"}, finding: -1},
		{bundle: "benign-timeseries-rollup", token: "elevated-functions-write.json", level: "elevated", canCall: true,
			missing: []string{
				"timeSeriesAcl:READ — client.time_series.data.retrieve at handler.py:23, client.time_series.retrieve at handler.py:25",
				"timeSeriesAcl:WRITE — client.time_series.create at handler.py:26, client.time_series.data.insert at handler.py:27",
			},
			excessHas: []string{"filesAcl:WRITE"}, excessNot: []string{"functionsAcl:WRITE"}, // WRITE is what lets this user call
			finding: report.Low},
		{bundle: "benign-timeseries-rollup", token: "elevated-core-write-all.json", level: "elevated", canCall: true,
			missing:   []string{"timeSeriesAcl:WRITE — client.time_series.create at handler.py:26, client.time_series.data.insert at handler.py:27"},
			excessHas: []string{"assetsAcl:WRITE", "eventsAcl:WRITE"}, excessNot: []string{"timeSeriesAcl:READ"},
			finding: report.Low},
		{bundle: "risky-session-chain", token: "elevated-functions-write.json", level: "elevated", canCall: true,
			finding: -1}, // it deploys schedules itself: it needs elevated rights
		{bundle: "benign-dm-instances", token: "admin-other-project.json", level: "read-only", canCall: true,
			missing: []string{
				"dataModelInstancesAcl:READ — client.data_modeling.instances.query at handler.py:17",
				"dataModelInstancesAcl:WRITE — client.data_modeling.instances.apply at handler.py:23",
				"dataModelsAcl:READ — client.data_modeling.instances.query at handler.py:17, client.data_modeling.instances.apply at handler.py:23",
			}, finding: -1},
		{bundle: "benign-raw-etl", token: "empty-capabilities.json", level: "none", canCall: false,
			missing: []string{
				"rawAcl:READ — client.raw.rows.list at handler.py:25",
				"rawAcl:WRITE — client.raw.rows.insert at handler.py:27",
			}, finding: -1},
		{bundle: "benign-raw-etl", token: "admin-groups-all.json", policy: "[rules.PF-PERM-001]\nenabled = false\n",
			level: "admin", canCall: true, finding: -1},
		{bundle: "benign-raw-etl", token: "admin-groups-all.json", policy: "[rules.permission-excess]\nseverity = \"high\"\n",
			level: "admin", canCall: true, finding: report.High},
		{bundle: "benign-timeseries-rollup", token: "elevated-functions-write.json", policy: "[permissions]\nignore = [\"functionsAcl:WRITE\"]\n",
			level: "standard", canCall: true, finding: -1},
	} {
		name := tc.bundle + "+" + strings.TrimSuffix(tc.token, ".json")
		if tc.policy != "" {
			name += "+policy"
		}
		t.Run(name, func(t *testing.T) {
			in := loadFunctionBundle(t, tc.bundle)
			in.TokenInspectJSON, in.Project = readToken(t, tc.token), "acme-prod"
			if tc.policy != "" {
				in.PolicyTOML = []byte(tc.policy)
			}
			rep, err := Analyze(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			p := rep.Permissions
			if p == nil {
				t.Fatal("no permissions in the report")
			}
			if p.Project != "acme-prod" || p.Level != tc.level || p.CanCall != tc.canCall || len(p.Reasons) == 0 {
				t.Errorf("project %q level %q canCall %v reasons %q; want acme-prod %s %v", p.Project, p.Level, p.CanCall, p.Reasons, tc.level, tc.canCall)
			}
			if tc.missing != nil && !slices.Equal(p.Missing, tc.missing) {
				t.Errorf("missing:\n got %q\nwant %q", p.Missing, tc.missing)
			}
			if tc.limited != nil && !slices.Equal(p.Limited, tc.limited) {
				t.Errorf("limited:\n got %q\nwant %q", p.Limited, tc.limited)
			}
			for _, e := range tc.excessHas {
				if !slices.Contains(p.Excess, e) {
					t.Errorf("excess %q lacks %s", p.Excess, e)
				}
			}
			for _, e := range tc.excessNot {
				if slices.Contains(p.Excess, e) {
					t.Errorf("excess %q holds %s, which the function or the call uses", p.Excess, e)
				}
			}
			var got []report.Finding
			for _, f := range rep.Findings {
				if f.Category == report.PermissionExcess {
					got = append(got, f)
				}
			}
			switch {
			case tc.finding < 0 && len(got) > 0:
				t.Errorf("unexpected permission-excess finding: %s", got[0].Message)
			case tc.finding >= 0 && len(got) != 1:
				t.Errorf("%d permission-excess findings, want 1", len(got))
			case tc.finding >= 0:
				f := got[0]
				if f.Severity != tc.finding || f.RuleID != "PF-PERM-001" ||
					!strings.Contains(f.Message, "You are an "+tc.level+" user in project acme-prod (") ||
					!strings.Contains(f.Remediation, "schedule under a service account limited to exactly what it needs") {
					t.Errorf("finding %s %s: %q / %q", f.RuleID, f.Severity, f.Message, f.Remediation)
				}
			}
			if !tc.canCall && !slices.ContainsFunc(p.Reasons, func(r string) bool { return strings.HasPrefix(r, "You cannot call functions") }) {
				t.Errorf("reasons %q do not say the call cannot run", p.Reasons)
			}
		})
	}
}

func TestAnalyzeTokenErrors(t *testing.T) {
	base := Input{Files: files("handler.py", okHandler)}
	for _, tc := range []struct {
		name, token, project string
		want                 string
	}{
		{"no project", `{"capabilities":[]}`, "", "token inspect: a project name is needed"},
		{"blank project", `{"capabilities":[]}`, "  ", "token inspect: a project name is needed"},
		{"malformed JSON", `{"capabilities":[`, "p", "token inspect: offset"},
		{"bad capability", `{"capabilities":[{"assetsAcl":{"actions":"READ","scope":{"all":{}}}}]}`, "p",
			"token inspect: capabilities[0].assetsAcl.actions: expected a list"},
		{"not a token", `{"items":[]}`, "p", "token inspect: not a token-inspect response"},
	} {
		in := base
		in.TokenInspectJSON, in.Project = []byte(tc.token), tc.project
		_, err := Analyze(context.Background(), in)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: %v; want %q", tc.name, err, tc.want)
		}
		if _, err := Permissions([]byte(tc.token), tc.project, nil); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Permissions %s: %v; want %q", tc.name, err, tc.want)
		}
	}
	if _, err := Permissions([]byte(`{"capabilities":[]}`), "p", []byte("[permissions]\nadmin = [\"x\"]\n")); err == nil || !strings.HasPrefix(err.Error(), "policy: ") {
		t.Errorf("bad policy: %v", err)
	}
	rep, err := Analyze(context.Background(), base)
	if err != nil || rep.Permissions != nil {
		t.Errorf("without a token: permissions %+v, %v; want none", rep.Permissions, err)
	}
}

// TestPermissionsJSON: the perms answer has the documented shape.
func TestPermissionsJSON(t *testing.T) {
	as, err := Permissions(readToken(t, "standard-datasets.json"), "acme-prod", nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(as)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"project", "level", "reasons", "canCall", "capabilities"} {
		if _, ok := m[k]; !ok {
			t.Errorf("perms JSON lacks %q: %s", k, data)
		}
	}
	if m["level"] != "standard" || m["canCall"] != true {
		t.Errorf("level %v canCall %v", m["level"], m["canCall"])
	}
	caps := m["capabilities"].([]any)
	first := caps[0].(map[string]any)
	if first["acl"] != "assetsAcl" || first["action"] != "READ" || first["where"] != "on all" {
		t.Errorf("first capability %v", first)
	}
}
