package analysis

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cdf-preflight/preflight/analysis/report"
)

const okHandler = `def handle(client, data):
    return {"n": len(client.assets.list(limit=10))}
`

func files(kv ...string) map[string][]byte {
	m := map[string][]byte{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = []byte(kv[i+1])
	}
	return m
}

func TestAnalyzeInputErrors(t *testing.T) {
	tests := []struct {
		name   string
		in     Input
		prefix string
	}{
		{"no code", Input{}, "no code"},
		{"invalid policy", Input{Files: files("handler.py", okHandler), PolicyTOML: []byte("[gate\nthreshold = ")}, "policy: "},
		{"malformed function.json", Input{Files: files("handler.py", okHandler), FunctionJSON: []byte(`{"name": "x",`)}, "function.json: "},
		{"not a zip", Input{Zip: []byte("this is not a zip archive")}, "code zip: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Analyze(context.Background(), tt.in)
			if err == nil || !strings.HasPrefix(err.Error(), tt.prefix) {
				t.Fatalf("Analyze error = %v, want prefix %q", err, tt.prefix)
			}
		})
	}
}

func TestAnalyzeCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Analyze(ctx, Input{Files: files("handler.py", okHandler)})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Analyze on a cancelled context: %v, want context.Canceled", err)
	}
}

// TestAnalyzeIncomplete: whatever could not be analysed is a finding, an
// incomplete entry, and makes the risk unknown — never "none".
func TestAnalyzeIncomplete(t *testing.T) {
	tests := []struct {
		name     string
		in       Input
		rule     string
		file     string
		line     int
		reason   string // substring of the incomplete entry's reason
		complete bool
	}{
		{name: "complete", in: Input{Files: files("handler.py", okHandler)}, complete: true},
		{name: "handler missing", in: Input{Files: files("main.py", okHandler)},
			rule: ruleNoHandler, file: "handler.py", reason: "handler file handler.py is not in the bundle"},
		{name: "functionPath missing", in: Input{Files: files("handler.py", okHandler), FunctionJSON: []byte(`{"name":"f","functionPath":"src/handler.py"}`)},
			rule: ruleNoHandler, file: "src/handler.py", reason: "src/handler.py is not in the bundle"},
		{name: "no handle", in: Input{Files: files("handler.py", "def main(client):\n    pass\n")},
			rule: ruleNoHandle, file: "handler.py", reason: "no top-level handle function"},
		{name: "syntax error", in: Input{Files: files("handler.py", okHandler, "utils.py", "import os\n\n\ndef helper(x)\n    return x\n")},
			rule: ruleSyntaxError, file: "utils.py", line: 4, reason: "syntax error at line 4: expected ':'; analysed partially"},
		{name: "merge conflict", in: Input{Files: files("handler.py", "X = 1\n<<<<<<< HEAD\nY = 2\n=======\nY = 3\n>>>>>>> other\n"+okHandler)},
			rule: ruleSyntaxError, file: "handler.py", line: 2, reason: "merge conflict markers at line 2"},
		{name: "nested archive skipped", in: Input{Files: files("handler.py", okHandler, "vendor/lib.zip", "PK\x03\x04rest")},
			rule: ruleSkipped, file: "vendor/lib.zip", reason: "not read: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Analyze(context.Background(), tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if tt.complete {
				if len(rep.Incomplete) != 0 || rep.Risk.Level == report.RiskUnknown {
					t.Fatalf("complete bundle: incomplete %v, risk %s", rep.Incomplete, rep.Risk.Level)
				}
				return
			}
			if rep.Risk.Level != report.RiskUnknown {
				t.Errorf("risk level %s, want unknown", rep.Risk.Level)
			}
			found := false
			for _, f := range rep.Findings {
				if f.RuleID == tt.rule && f.Category == report.AnalysisIncomplete && f.File == tt.file && f.Line == tt.line {
					found = true
				}
			}
			if !found {
				t.Errorf("no %s finding at %s:%d in %+v", tt.rule, tt.file, tt.line, rep.Findings)
			}
			found = false
			for _, e := range rep.Incomplete {
				if e.File == tt.file && strings.Contains(e.Reason, tt.reason) {
					found = true
				}
			}
			if !found {
				t.Errorf("no incomplete entry %s %q in %+v", tt.file, tt.reason, rep.Incomplete)
			}
		})
	}
}

func TestAnalyzeReportFields(t *testing.T) {
	in := Input{
		Files:        files("src/handler.py", okHandler),
		FunctionJSON: []byte(`{"id": 42, "externalId": "fn-x", "name": "x", "owner": "a@acme.com", "fileId": 9, "functionPath": "src/handler.py"}`),
	}
	rep, err := Analyze(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if rep.SchemaVersion != report.SchemaVersion || rep.Tool != (report.Tool{Name: "preflight", Version: Version}) {
		t.Errorf("schema/tool = %d %+v", rep.SchemaVersion, rep.Tool)
	}
	want := report.Function{ID: 42, ExternalID: "fn-x", Name: "x", Owner: "a@acme.com", FileID: 9}
	if rep.Function == nil || *rep.Function != want {
		t.Errorf("function = %+v, want %+v", rep.Function, want)
	}
	if rep.Findings == nil || rep.Required == nil || rep.Egress == nil || rep.Incomplete == nil {
		t.Errorf("nil slices in the report: %+v", rep)
	}
	if rep.Permissions != nil {
		t.Errorf("permissions filled without a token-inspect response: %+v", rep.Permissions)
	}
	if rep.Risk.Summary == "" {
		t.Error("empty risk summary")
	}
}

// TestAnalyzeZipEqualsFiles: the same code as a zip and as files gives the
// same report, byte for byte, and a second run gives the same bytes again.
func TestAnalyzeZipEqualsFiles(t *testing.T) {
	fs := files(
		"handler.py", "import requests\nfrom helpers import purge\n\ndef handle(client, data, secrets):\n    print(secrets)\n    purge(client)\n    return requests.get(data['url']).text\n",
		"helpers.py", "def purge(c):\n    c.assets.delete(id=[1, 2])\n",
		"requirements.txt", "reqeusts==2.31.0\n",
	)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"handler.py", "helpers.py", "requirements.txt"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(fs[name])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	jsonOf := func(in Input) string {
		rep, err := Analyze(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		b, err := report.MarshalJSON(&rep)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	a, b, c := jsonOf(Input{Files: fs}), jsonOf(Input{Zip: buf.Bytes()}), jsonOf(Input{Files: fs})
	if a != b {
		t.Errorf("files and zip differ:\n%s\n---\n%s", a, b)
	}
	if a != c {
		t.Errorf("two runs differ:\n%s\n---\n%s", a, c)
	}
}

// TestAnalyzeHostileInput: garbage never panics or errors out of Analyze;
// it becomes findings.
func TestAnalyzeHostileInput(t *testing.T) {
	for name, tc := range map[string]struct {
		src  string
		want report.RiskLevel // a handler that does not parse is never shown as safe
	}{
		"deep brackets": {strings.Repeat("(", 100000), report.RiskUnknown},
		"nul bytes":     {"def handle(client):\x00\n", report.RiskUnknown},
		"bad utf-8":     {"def handle(client):\n    return '\xff\xfe'\n", report.RiskUnknown},
		"huge line":     {"X = '" + strings.Repeat("lorem ipsum ", 1<<16) + "'\ndef handle(client):\n    return X\n", report.RiskNone},
	} {
		t.Run(name, func(t *testing.T) {
			rep, err := Analyze(context.Background(), Input{Files: files("handler.py", tc.src)})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Risk.Level != tc.want {
				t.Errorf("risk %q, want %q (findings %+v)", rep.Risk.Level, tc.want, rep.Findings)
			}
		})
	}
}
