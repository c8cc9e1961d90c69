package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func writeText(t *testing.T, r *Report, opt TextOptions) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteText(&buf, r, opt); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestTextGolden(t *testing.T) {
	plain := writeText(t, sampleReport(), TextOptions{Source: sampleSourceLine})
	golden(t, "report.txt", []byte(plain))
	if strings.Contains(plain, "\x1b") {
		t.Error("escape codes without Color")
	}
	colored := writeText(t, sampleReport(), TextOptions{Color: true, Source: sampleSourceLine})
	golden(t, "report.color.txt", []byte(colored))
	if !strings.Contains(colored, "\x1b[1;31mCRITICAL") {
		t.Error("critical is not red with Color")
	}
	if stripANSI(colored) != plain {
		t.Errorf("colour changes the text:\n%s", firstDiff(plain, stripANSI(colored)))
	}
	noSource := writeText(t, sampleReport(), TextOptions{})
	golden(t, "report.nosource.txt", []byte(noSource))
}

func TestTextLayout(t *testing.T) {
	out := writeText(t, sampleReport(), TextOptions{Source: sampleSourceLine})
	for _, want := range []string{
		"CRITICAL  PF-EXEC-001  eval() of call input\n" +
			"  handler.py:14:5  data[\"expr\"] reaches eval() — any caller can run arbitrary code\n" +
			"    14 |     eval(data[\"expr\"])\n" +
			"       |     ^^^^^^^^^^^^^^^^^^\n" +
			"  Fix: Never evaluate call input; parse the values you expect.\n",
		"Risk:     HIGH (score 72/100) — Sends data to 1 external host; can delete assets\n",
		"You:      admin in project acme-prod\n",
		"MEDIUM    PF-META-001  Secret-like value in envVars\n  (function metadata)  ",
		"  assetsAcl:WRITE          handler.py:7  client.assets.delete\n",
		"  (host not known)         utils.py:12  https://{…}/upload\n",
		"  utils.py  syntax error at line 4; analysed partially\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks\n%s\n--- in ---\n%s", want, out)
		}
	}
	// Critical comes first, info last.
	if c, i := strings.Index(out, "── CRITICAL"), strings.Index(out, "── INFO"); c < 0 || i < 0 || c > i {
		t.Errorf("groups out of order (critical at %d, info at %d)", c, i)
	}
}

func TestTextCaret(t *testing.T) {
	for _, tc := range []struct {
		name string
		line string
		f    Finding
		want string // the underline line, "" for none
	}{
		{"range", "x = eval(s)", Finding{Line: 1, Column: 5, EndLine: 1, EndColumn: 12}, "       |     ^^^^^^^\n"},
		{"no end", "x = eval(s)", Finding{Line: 1, Column: 5}, "       |     ^\n"},
		{"to line end", "x = f(a,   ", Finding{Line: 1, Column: 5, EndLine: 3, EndColumn: 2}, "       |     ^^^^\n"},
		{"tab kept", "\tx = eval(s)", Finding{Line: 1, Column: 6, EndLine: 1, EndColumn: 10}, "       | \t    ^^^^\n"},
		{"wide chars", "名前 = eval(s)", Finding{Line: 1, Column: 10, EndLine: 1, EndColumn: 14}, "       |        ^^^^\n"},
		{"column past end", "x", Finding{Line: 1, Column: 9}, ""},
		{"no column", "x = 1", Finding{Line: 1}, ""},
	} {
		tc.f.File = "a.py"
		tc.f.Evidence = strings.TrimSpace(tc.line) // as the engine fills it
		r := &Report{Findings: []Finding{tc.f}}
		out := writeText(t, r, TextOptions{Source: func(string, int) string { return tc.line }})
		code := "     1 | " + tc.line + "\n"
		i := strings.Index(out, code)
		if i < 0 {
			t.Errorf("%s: no code line in\n%s", tc.name, out)
			continue
		}
		rest := out[i+len(code):]
		if tc.want == "" {
			if strings.HasPrefix(rest, "       |") {
				t.Errorf("%s: unexpected underline %q", tc.name, strings.SplitAfter(rest, "\n")[0])
			}
		} else if !strings.HasPrefix(rest, tc.want) {
			t.Errorf("%s: underline = %q, want %q", tc.name, strings.SplitAfter(rest, "\n")[0], tc.want)
		}
	}
}

// TestTextUnknownRisk: an unknown (or missing) verdict never reads like a pass.
func TestTextUnknownRisk(t *testing.T) {
	for _, level := range []RiskLevel{RiskUnknown, "", "bogus"} {
		r := &Report{Risk: Risk{Level: level, Summary: "handler.py has a syntax error"}}
		out := writeText(t, r, TextOptions{})
		if !strings.Contains(out, "Risk:     UNKNOWN — could not be analysed: handler.py has a syntax error\n") {
			t.Errorf("level %q:\n%s", level, out)
		}
		for _, bad := range []string{"NONE", "score", "safe"} {
			if strings.Contains(out, bad) {
				t.Errorf("level %q output contains %q:\n%s", level, bad, out)
			}
		}
	}
	out := writeText(t, &Report{Risk: Risk{Level: RiskNone}}, TextOptions{})
	if !strings.Contains(out, "Risk:     NONE (score 0/100)\n") || !strings.Contains(out, "No findings.") {
		t.Errorf("none:\n%s", out)
	}
}

// TestTextEscapesControls: strings from hostile code or CDF cannot move the
// cursor, recolour the terminal or reorder text.
func TestTextEscapesControls(t *testing.T) {
	r := &Report{
		Function: &Function{Name: "x\x1b]0;pwned\x07", Owner: "a@b.c\r\nRisk: NONE"},
		Risk:     Risk{Level: RiskHigh},
		Findings: []Finding{{
			RuleID: "PF-X-001", Title: "t\x1b[2J", Message: "access\u202e level", File: "a\x1b[31m.py", Line: 1,
			Evidence: "x = '\x1b[8m'\t# \u2066",
		}},
	}
	out := writeText(t, r, TextOptions{Color: true, Source: func(string, int) string { return "x = '\x1b[8m'\t# \u2066" }})
	for _, bad := range []string{"\x1b]", "\x1b[2J", "\x1b[31m.py", "\x1b[8m", "\u202e", "\u2066", "\x07", "\r"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q", bad)
		}
	}
	for _, want := range []string{`x\x1b]0;pwned\x07`, `access\u202e level`, `a@b.c\x0d\x0aRisk: NONE`, "x = '\\x1b[8m'\t# \\u2066"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// stripANSI removes SGR sequences.
func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] == ';' || (s[j] >= '0' && s[j] <= '9')) {
				j++
			}
			if j < len(s) && s[j] == 'm' {
				i = j
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// TestNoSecretInAnyForm: once RedactValues has run, no form of the report —
// JSON, SARIF, text with source lines — shows a secret in clear, wherever
// a rule put it.
func TestNoSecretInAnyForm(t *testing.T) {
	secrets := []string{
		"AKIAIOSFODNN7EXAMPLE",
		"ghp_16C7e42F292c6912E7710c838347Ae178B4a",
		"sk_live_4eC39HqLyjWDarjtT1zdp7dc",
		"hunter2hunter2",
	}
	r := sampleReport()
	r.Function.Owner = "svc-" + secrets[3] + "@acme.com"
	r.Risk.Summary = "Leaks " + secrets[0]
	r.Findings = append(r.Findings, Finding{
		RuleID: "PF-SEC-001", Category: HardcodedSecret, Severity: High, Confidence: ConfidenceHigh,
		Title: "AWS key " + secrets[0], Message: "hard-coded " + secrets[0] + " and " + secrets[1],
		File: "handler.py", Line: 3, Column: 7, EndLine: 3, EndColumn: 29,
		Evidence: `KEY = "` + secrets[0] + `"`, Remediation: "Rotate " + secrets[2],
	})
	r.Egress = append(r.Egress, Egress{Host: "evil.example", URL: "https://evil.example/?t=" + secrets[2], File: "handler.py", Line: 6})
	r.Required = append(r.Required, Required{ACL: "filesAcl", Action: "READ", File: "handler.py", Line: 2, Call: "x(" + secrets[1] + ")"})
	r.Incomplete = append(r.Incomplete, Incomplete{File: "b.py", Reason: "near " + secrets[3]})
	r.Permissions.Reasons = append(r.Permissions.Reasons, secrets[3])
	r.RedactValues(secrets)

	src := func(file string, line int) string {
		if file == "handler.py" && line == 3 {
			return `KEY = "` + secrets[0] + `"  # ` + secrets[1]
		}
		return sampleSourceLine(file, line)
	}
	var js, sarif bytes.Buffer
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteSARIF(&sarif, r); err != nil {
		t.Fatal(err)
	}
	forms := map[string]string{
		"json":       js.String(),
		"sarif":      sarif.String(),
		"text":       writeText(t, r, TextOptions{Source: src}),
		"text color": writeText(t, r, TextOptions{Source: src, Color: true}),
	}
	for name, out := range forms {
		for _, s := range secrets {
			q, _ := json.Marshal(s)
			if strings.Contains(out, s) || strings.Contains(out, string(q[1:len(q)-1])) {
				t.Errorf("%s shows %s in clear", name, s)
			}
		}
		if !strings.Contains(out, "AKIA…") {
			t.Errorf("%s lacks the redacted form AKIA…", name)
		}
	}
	if !strings.Contains(forms["text"], `     3 | KEY = "AKIA…"  # ghp_…`) {
		t.Errorf("source line not redacted:\n%s", forms["text"])
	}
}

// A report read back from JSON (the WASI engine's) carries no list of secret
// values: a source line that differs from the finding's (redacted) evidence
// is never printed raw — the evidence is shown instead.
func TestTextShowsEvidenceWhenSourceDiffers(t *testing.T) {
	const secret = "AKIAZ7QW3ERTY5UIOP12"
	r := &Report{Findings: []Finding{
		{RuleID: "PF-SECRET-001", File: "h.py", Line: 2, Column: 7, Evidence: `KEY = "AKIA…"`},
		{RuleID: "PF-X-002", File: "h.py", Line: 2, Column: 1},
	}}
	out := writeText(t, r, TextOptions{Source: func(string, int) string { return `KEY = "` + secret + `"` }})
	if strings.Contains(out, secret) {
		t.Fatalf("raw source line with a secret printed:\n%s", out)
	}
	if !strings.Contains(out, `     2 | KEY = "AKIA…"`) {
		t.Errorf("evidence not shown:\n%s", out)
	}
}
