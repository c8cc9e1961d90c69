package cdf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseTokenInspect: any bytes give a token or an error, never a panic;
// a parsed token can always be assessed and compared in any project.
func FuzzParseTokenInspect(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(tokensDir, "*.json"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data, "acme-prod")
		}
	}
	for _, s := range []string{
		`{"capabilities":[{"rawAcl":{"actions":["READ"],"scope":{"tableScope":{"dbsToTables":{"a":{"tables":[]},"b":["t"]}}}}}]}`,
		`{"capabilities":[{"x":{"actions":["A"],"scope":{"y":{"ids":[1],"names":["n"]}}},"projectScope":{"projects":["p"]}}]}`,
		`{"projects":[{"projectUrlName":"p","groups":["1"]}]}`, `[]`, `null`, `{"capabilities":[{}]}`,
	} {
		f.Add([]byte(s), "p")
	}
	f.Fuzz(func(t *testing.T, data []byte, project string) {
		ti, err := ParseTokenInspect(data)
		if (ti == nil) == (err == nil) {
			t.Fatalf("ParseTokenInspect(%q) = %v, %v: want exactly one of token and error", data, ti, err)
		}
		if err != nil {
			return
		}
		as := AssessToken(ti, project, nil)
		if as.Level.Rank() < 0 || len(as.Reasons) == 0 {
			t.Fatalf("level %q with reasons %q", as.Level, as.Reasons)
		}
		for _, r := range as.Reasons {
			if !strings.HasPrefix(r, string(as.Level)+": ") {
				t.Fatalf("reason %q does not name level %s", r, as.Level)
			}
		}
		Compare(ti.ForProject(project), []Need{{Capability: Capability{"assetsAcl", "WRITE"}, Call: "client.assets.create", File: "h.py", Line: 1}}, nil)
	})
}
