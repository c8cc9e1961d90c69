package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestSeverityText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Severity
		err  bool
	}{
		{"info", Info, false},
		{"low", Low, false},
		{"medium", Medium, false},
		{"HIGH", High, false},
		{" critical ", Critical, false},
		{"", Info, true},
		{"hgih", Info, true},
		{"3", Info, true},
		{"warning", Info, true},
	} {
		got, err := ParseSeverity(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParseSeverity(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.err)
		}
		if err != nil && !strings.Contains(err.Error(), "info, low, medium, high, critical") {
			t.Errorf("ParseSeverity(%q) error %q does not list the choices", tc.in, err)
		}
	}
	for s := Info; s <= Critical; s++ {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var back Severity
		if err := json.Unmarshal(b, &back); err != nil || back != s {
			t.Errorf("round trip of %v via %s = %v, %v", s, b, back, err)
		}
		if string(b) != `"`+s.String()+`"` {
			t.Errorf("json of %v = %s", s, b)
		}
	}
	if _, err := json.Marshal(Severity(9)); err == nil {
		t.Error("marshalling an out-of-range severity succeeded")
	}
	if got := Severity(-1).String(); got != "severity(-1)" {
		t.Errorf("String of -1 = %q", got)
	}
	if !(Info < Low && Low < Medium && Medium < High && High < Critical) {
		t.Error("severities are not ordered")
	}
}

func TestRedact(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "…"},
		{"abc", "…"},
		{"abcd", "…"},
		{"abcde", "abcd…"},
		{"AKIAIOSFODNN7EXAMPLE", "AKIA…"},
		{"pässwörd-123", "päss…"},
		{"🔑🔑🔑🔑🔑", "🔑🔑🔑🔑…"},
	} {
		if got := Redact(tc.in); got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRedactValues(t *testing.T) {
	const key = "sk_live_51HxYzAbCdEf"
	r := &Report{
		Risk: Risk{Summary: "Sends " + key + " out"},
		Findings: []Finding{{
			Title: "t", Message: "key " + key + " and again " + key,
			Evidence: `API_KEY = "` + key + `"`, Remediation: "rotate " + key,
			Capabilities: []Capability{{ACL: "assetsAcl", Action: "READ"}},
		}},
		Egress:      []Egress{{Host: "x.com", URL: "https://x.com/?k=" + key}},
		Required:    []Required{{ACL: "a", Action: "b", Call: "f(" + key + ")"}},
		Incomplete:  []Incomplete{{Reason: "near " + key}},
		Permissions: &Permissions{Reasons: []string{key}},
	}
	r.RedactValues([]string{key, "abc", ""}) // short values are ignored
	if got, want := r.Findings[0].Message, "key sk_l… and again sk_l…"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	if got, want := r.Findings[0].Evidence, `API_KEY = "sk_l…"`; got != want {
		t.Errorf("evidence = %q, want %q", got, want)
	}
	if got := r.Findings[0].Capabilities[0].Action; got != "READ" {
		t.Errorf("short strings changed: %q", got)
	}
	if strings.Contains(allStrings(r), key) {
		t.Errorf("a string still holds the value: %s", allStrings(r))
	}
}

func TestRedactValuesOverlap(t *testing.T) {
	for _, tc := range []struct {
		s      string
		values []string
		want   string
	}{
		// A value inside a longer one is hidden with it.
		{"x=ABCDEFGHIJ", []string{"CDEF", "ABCDEFGHIJ"}, "x=ABCD…"},
		// Overlapping occurrences merge into one span.
		{"abcdefgh", []string{"abcdef", "defgh"}, "abcd…"},
		// The kept prefix of a merged span must not spell out a value.
		{"abcdefgh", []string{"abcd", "cdefgh"}, "……"},
		// Two occurrences far apart.
		{"token1234 and token1234", []string{"token1234"}, "toke… and toke…"},
		// Multi-byte values keep whole runes.
		{"pw: pässwörd!", []string{"pässwörd"}, "pw: päss…!"},
	} {
		r := &Report{Risk: Risk{Summary: tc.s}}
		r.RedactValues(tc.values)
		if r.Risk.Summary != tc.want {
			t.Errorf("RedactValues(%q, %q) = %q, want %q", tc.s, tc.values, r.Risk.Summary, tc.want)
		}
		for _, v := range tc.values {
			if strings.Contains(r.Risk.Summary, v) {
				t.Errorf("%q still contains %q", r.Risk.Summary, v)
			}
		}
	}
}

// allStrings concatenates every string reachable in v.
func allStrings(v any) string {
	var b strings.Builder
	var walk func(reflect.Value)
	walk = func(x reflect.Value) {
		switch x.Kind() {
		case reflect.String:
			b.WriteString(x.String())
			b.WriteByte('\n')
		case reflect.Pointer, reflect.Interface:
			if !x.IsNil() {
				walk(x.Elem())
			}
		case reflect.Struct:
			for i := 0; i < x.NumField(); i++ {
				if x.Type().Field(i).IsExported() {
					walk(x.Field(i))
				}
			}
		case reflect.Slice, reflect.Array:
			for i := 0; i < x.Len(); i++ {
				walk(x.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(v))
	return b.String()
}

func TestNormalize(t *testing.T) {
	r := sampleReport()
	r.Normalize()
	var order []string
	for _, f := range r.Findings {
		order = append(order, f.File+":"+f.RuleID)
	}
	want := []string{
		":PF-META-001", "handler.py:PF-EGR-001", "handler.py:PF-CRED-001", "handler.py:PF-CDF-003",
		"handler.py:PF-EXEC-001", "requirements.txt:PF-SUP-002", "utils.py:PF-INC-001",
	}
	if !reflect.DeepEqual(order, want) {
		t.Errorf("finding order = %v\nwant %v", order, want)
	}
	if len(r.Required) != 2 || r.Required[0].ACL != "assetsAcl" || r.Required[1].ACL != "timeSeriesAcl" {
		t.Errorf("required not de-duplicated and sorted: %+v", r.Required)
	}
	if len(r.Egress) != 2 || r.Egress[0].Host != "" || r.Egress[1].Host != "api-eu.mixpanel.com" {
		t.Errorf("egress not de-duplicated and sorted: %+v", r.Egress)
	}
	if r.Permissions.Missing == nil || r.Permissions.Excess[0] != "datasetsAcl:OWNER" {
		t.Errorf("permissions not normalized: %+v", r.Permissions)
	}

	var empty Report
	empty.Normalize()
	if empty.Findings == nil || empty.Required == nil || empty.Egress == nil || empty.Incomplete == nil {
		t.Errorf("nil slices left: %+v", empty)
	}
	b, err := MarshalJSON(&Report{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"findings": []`, `"required": []`, `"egress": []`, `"incomplete": []`, `"schemaVersion": 1`} {
		if !bytes.Contains(b, []byte(k)) {
			t.Errorf("empty report JSON lacks %s:\n%s", k, b)
		}
	}
}

// TestNormalizeDeterministic: the order findings were reported in does not
// change the output.
func TestNormalizeDeterministic(t *testing.T) {
	a, b := sampleReport(), sampleReport()
	for i, j := 0, len(b.Findings)-1; i < j; i, j = i+1, j-1 {
		b.Findings[i], b.Findings[j] = b.Findings[j], b.Findings[i]
	}
	ja, _ := MarshalJSON(a)
	jb, _ := MarshalJSON(b)
	if !bytes.Equal(ja, jb) {
		t.Error("JSON depends on the order of findings")
	}
}

func TestJSONGolden(t *testing.T) {
	r := sampleReport()
	before, _ := json.Marshal(r)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.json", buf.Bytes())
	after, _ := json.Marshal(r)
	if !bytes.Equal(before, after) {
		t.Error("WriteJSON changed its argument")
	}
	if !bytes.HasSuffix(buf.Bytes(), []byte("}\n")) || !bytes.Contains(buf.Bytes(), []byte("\n  \"tool\": {")) {
		t.Error("not 2-space indented with a trailing newline")
	}

	back, err := Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := WriteJSON(&again, &back); err != nil {
		t.Fatal(err)
	}
	if again.String() != buf.String() {
		t.Errorf("round trip differs:\n%s", firstDiff(buf.String(), again.String()))
	}
	if back.Findings[0].Severity != Medium || back.Risk.Level != RiskHigh {
		t.Errorf("decoded wrong values: %+v", back.Findings[0])
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"bad severity", `{"schemaVersion":1,"findings":[{"severity":"severe"}]}`, `got "severe"`},
		{"numeric severity", `{"schemaVersion":1,"findings":[{"severity":3}]}`, "severity"},
		{"newer schema", `{"schemaVersion":2}`, "schemaVersion 2 is not supported"},
		{"no schema", `{}`, "schemaVersion 0"},
		{"trailing data", `{"schemaVersion":1} {}`, "unexpected data"},
		{"not json", `<html>`, "decode report"},
		{"empty", ``, "decode report"},
	} {
		_, err := Decode(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Decode error = %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
}
