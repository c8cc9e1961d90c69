package rules

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/cdf-preflight/preflight/analysis/pyast"
	"github.com/cdf-preflight/preflight/analysis/report"
	"github.com/cdf-preflight/preflight/analysis/secrets"
)

// Hardcoded reports secrets written into the code or the bundle's files.
var Hardcoded = &Family{
	Name: "hardcoded",
	Doc: "A credential written into the code or a file of the bundle can be read by anyone who can " +
		"read the function's code, and cannot be rotated without a redeploy. Store it as a function " +
		"secret and read it from the secrets argument.",
	Run: runHardcoded,
}

// Rule ids of the hardcoded family.
const (
	ruleHardcodedPython = "PF-SECRET-001" // in a Python string constant
	ruleHardcodedFile   = "PF-SECRET-002" // in another file of the bundle
)

const hardcodedRemediation = "Store it as a function secret and read it from the secrets argument " +
	"(handle(client, data, secrets)); rotate this one — everyone who can read the code has seen it."

// maxSecretFindingsPerFile bounds the findings of one file (a dump of keys
// is one problem, not thousands).
const maxSecretFindingsPerFile = 50

// maxSecretScanBytes bounds the text scanned for secrets in one file or
// string constant: the rest is not scanned (and, for a file, recorded as
// incomplete), so a hostile bundle cannot make the scan take minutes.
const maxSecretScanBytes = 8 << 20

func runHardcoded(pass *Pass) {
	det := pass.Secrets
	if det == nil {
		det = secrets.Default()
	}
	for _, m := range pass.Program.Modules {
		var lines map[int]bool
		if m.AST != nil {
			lines = scanModuleSecrets(pass, det, m)
		}
		// A syntax error can swallow a string (an unclosed quote): scan
		// the text of a broken module too, on the lines not reported yet.
		if len(m.Errors) > 0 || m.AST == nil {
			if f := pass.Bundle.File(m.Path); f != nil {
				scanFileSecrets(pass, det, f.Path, f.Data, ruleHardcodedPython, lines)
			}
		}
	}
	for _, f := range pass.Bundle.Files {
		if isSecretScannedFile(f.Path) {
			scanFileSecrets(pass, det, f.Path, f.Data, ruleHardcodedFile, nil)
		}
	}
}

// secretSeverity is critical for cloud, identity-provider and CDF
// credentials and private keys, medium for product-analytics tokens, high
// otherwise.
func secretSeverity(m secrets.Match) report.Severity {
	switch {
	case m.Critical():
		return report.Critical
	case m.HasTag("analytics"):
		return report.Medium
	}
	return report.High
}

func secretConfidence(m secrets.Match) report.Confidence {
	if m.RuleID == "generic-secret" {
		return report.ConfidenceMedium
	}
	return report.ConfidenceHigh
}

// scanModuleSecrets judges every str and bytes constant of m with the name
// it is bound to, when there is one. It returns the lines it reported.
func scanModuleSecrets(pass *Pass, det *secrets.Detector, m *Module) map[int]bool {
	names := constantNames(m)
	type hit struct {
		c *pyast.Constant
		s secrets.Match
	}
	var hits []hit
	m.inspect(func(node pyast.Node) bool {
		c, ok := node.(*pyast.Constant)
		if !ok || c.Value.Kind != pyast.ConstStr && c.Value.Kind != pyast.ConstBytes {
			return true
		}
		if len(hits) >= maxSecretFindingsPerFile {
			return false
		}
		value := c.Value.S
		if len(value) > maxSecretScanBytes {
			value = value[:maxSecretScanBytes]
		}
		var ms []secrets.Match
		if name, ok := names[c]; ok {
			ms = det.ScanAssignment(name, value)
		} else {
			ms = det.ScanValue(value)
		}
		for _, s := range ms {
			hits = append(hits, hit{c, s})
		}
		return true
	})
	all := make([]string, len(hits))
	for i, h := range hits {
		all[i] = h.s.Secret
		pass.Sensitive(h.s.Secret)
	}
	lines := map[int]bool{}
	for _, h := range hits {
		if m.AST.File != nil {
			lines[m.AST.File.Position(h.c.Pos()).Line] = true
		}
		pass.ReportNode(m, h.c, report.Finding{
			RuleID:      ruleHardcodedPython,
			Category:    report.HardcodedSecret,
			Severity:    secretSeverity(h.s),
			Confidence:  secretConfidence(h.s),
			Title:       "Hard-coded secret: " + h.s.Description,
			Message:     fmt.Sprintf("%s (%s) is written in the code: anyone who can read the function's code can use it.", h.s.Description, secrets.Redact(h.s.Secret)),
			Evidence:    constantEvidence(m.AST.File, h.c, h.s.Secret, all),
			Remediation: hardcodedRemediation,
		})
	}
	return lines
}

// constantEvidence is the first source line of constant c with the secret
// redacted; when the secret appears in the source in another form (escapes,
// split over lines) the whole constant is shown redacted. Other secrets on
// the line are redacted too; evidence that would still leak one is dropped.
func constantEvidence(f *pyast.File, c *pyast.Constant, secret string, others []string) string {
	if f == nil {
		return ""
	}
	start, end := f.Position(c.Pos()), f.Position(c.End())
	line := f.Line(start.Line)
	if start.Col > len(line) {
		return secrets.Redact(secret)
	}
	seg := f.Text(c.Pos(), c.End())
	red := secrets.RedactIn(seg, secret)
	if leaks(red, secret) {
		red = `"` + secrets.Redact(secret) + `"`
	}
	if i := strings.IndexByte(red, '\n'); i >= 0 {
		red = red[:i] + "…"
	}
	tail := ""
	if end.Line == start.Line && end.Col <= len(line) {
		tail = line[end.Col:]
	}
	ev := secrets.RedactIn(strings.TrimSpace(line[:start.Col]+red+tail), append(others, secret)...)
	for _, s := range append(others, secret) {
		if leaks(ev, s) {
			return secrets.Redact(secret)
		}
	}
	return clip(ev, 200)
}

// leaks reports whether text still holds a recognisable piece of secret:
// the secret itself or any 8 bytes of it after the first 4.
func leaks(text, secret string) bool {
	if len(secret) > 4 && strings.Contains(text, secret) {
		return true
	}
	for i := 4; i+8 <= len(secret); i += 4 {
		if strings.Contains(text, secret[i:i+8]) {
			return true
		}
	}
	return false
}

// clip cuts s to at most n bytes at a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

// constantNames maps string constants to the name they are bound to:
// assignment targets ("API_KEY", "self.password", "config[\"token\"]" →
// "token"), dict keys, keyword arguments (qualified by the callee:
// "OAuthClientCredentials.client_secret"), parameters' defaults, the other
// side of a comparison with a name, the first argument of
// getenv/get/setdefault-like calls, and the callee of a positional argument
// ("mixpanel.Mixpanel").
func constantNames(m *Module) map[*pyast.Constant]string {
	names := map[*pyast.Constant]string{}
	bind := func(name string, e pyast.Expr) {
		if c, ok := e.(*pyast.Constant); ok && name != "" && (c.Value.Kind == pyast.ConstStr || c.Value.Kind == pyast.ConstBytes) {
			if _, seen := names[c]; !seen {
				names[c] = name
			}
		}
	}
	bindTargets := func(targets []pyast.Expr, value pyast.Expr) {
		for _, t := range targets {
			if tt, ok := t.(*pyast.Tuple); ok {
				if vt, ok := value.(*pyast.Tuple); ok && len(vt.Elts) == len(tt.Elts) {
					for i := range tt.Elts {
						bind(targetName(tt.Elts[i]), vt.Elts[i])
					}
				}
				continue
			}
			bind(targetName(t), value)
		}
	}
	bindDefaults := func(a *pyast.Arguments) {
		if a == nil {
			return
		}
		params := append(append([]*pyast.Arg(nil), a.PosOnlyArgs...), a.Args...)
		off := len(params) - len(a.Defaults)
		for i, d := range a.Defaults {
			if off+i >= 0 && off+i < len(params) {
				bind(params[off+i].Arg, d)
			}
		}
		for i, d := range a.KwDefaults {
			if d != nil && i < len(a.KwOnlyArgs) {
				bind(a.KwOnlyArgs[i].Arg, d)
			}
		}
	}
	m.inspect(func(n pyast.Node) bool {
		switch n := n.(type) {
		case *pyast.Assign:
			bindTargets(n.Targets, n.Value)
		case *pyast.AnnAssign:
			if n.Value != nil {
				bindTargets([]pyast.Expr{n.Target}, n.Value)
			}
		case *pyast.NamedExpr:
			bind(targetName(n.Target), n.Value)
		case *pyast.Dict:
			for i, k := range n.Keys {
				if k == nil || i >= len(n.Values) {
					continue
				}
				if key, ok := pyast.ConstString(k); ok {
					bind(key, n.Values[i])
				}
			}
		case *pyast.Call:
			if !strConstArgs(n) {
				break // nothing to bind: skip building the callee's name
			}
			callee, _ := pyast.AttrPath(n.Func)
			if callee == "dict" {
				callee = ""
			}
			for _, kw := range n.Keywords {
				if kw.Arg == "" {
					continue
				}
				if callee != "" {
					bind(callee+"."+kw.Arg, kw.Value)
				} else {
					bind(kw.Arg, kw.Value)
				}
			}
			if len(n.Args) >= 2 {
				if key, ok := pyast.ConstString(n.Args[0]); ok && identLike.MatchString(key) {
					bind(key, n.Args[1])
				}
			}
			if callee != "" {
				for _, a := range n.Args {
					bind(callee, a)
				}
			}
		case *pyast.Compare:
			if len(n.Comparators) == 1 {
				if name := targetName(n.Left); name != "" {
					bind(name, n.Comparators[0])
				}
				if name := targetName(n.Comparators[0]); name != "" {
					bind(name, n.Left)
				}
			}
		case *pyast.FunctionDef:
			bindDefaults(n.Args)
		case *pyast.Lambda:
			bindDefaults(n.Args)
		}
		return true
	})
	return names
}

// isStrConst reports whether e is a str or bytes constant (what bind binds).
func isStrConst(e pyast.Expr) bool {
	c, ok := e.(*pyast.Constant)
	return ok && (c.Value.Kind == pyast.ConstStr || c.Value.Kind == pyast.ConstBytes)
}

// strConstArgs reports whether a call has a str or bytes constant among
// its arguments or named keyword arguments.
func strConstArgs(c *pyast.Call) bool {
	for _, a := range c.Args {
		if isStrConst(a) {
			return true
		}
	}
	for _, kw := range c.Keywords {
		if kw.Arg != "" && isStrConst(kw.Value) {
			return true
		}
	}
	return false
}

var identLike = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]{0,80}$`)

// targetName names an assignment target or compared expression: a name,
// an attribute path, or a subscript by a constant string (its key).
func targetName(e pyast.Expr) string {
	switch e := e.(type) {
	case *pyast.Name:
		return e.ID
	case *pyast.Attribute:
		if p, ok := pyast.AttrPath(e); ok {
			return p
		}
		return e.Attr
	case *pyast.Subscript:
		if key, ok := pyast.ConstString(e.Slice); ok && identLike.MatchString(key) {
			return key
		}
	case *pyast.Call: // data.get("password"), os.getenv("API_KEY")
		if a, ok := e.Func.(*pyast.Attribute); ok && len(e.Args) > 0 {
			switch a.Attr {
			case "get", "getenv", "pop", "setdefault":
				if key, ok := pyast.ConstString(e.Args[0]); ok && identLike.MatchString(key) {
					return key
				}
			}
		}
	}
	return ""
}

// isSecretScannedFile reports whether a non-Python file of the bundle is
// scanned for secrets: configuration and key files (requirements files are
// the supply-chain family's).
func isSecretScannedFile(p string) bool {
	base := strings.ToLower(path.Base(p))
	if strings.HasPrefix(base, "requirements") && strings.HasSuffix(base, ".txt") {
		return false
	}
	if base == ".env" || strings.HasPrefix(base, ".env.") || base == "credentials" || base == ".netrc" || base == ".pypirc" || base == ".npmrc" {
		return true
	}
	switch path.Ext(base) {
	case ".env", ".ini", ".cfg", ".conf", ".json", ".yaml", ".yml", ".toml", ".txt", ".properties",
		".pem", ".key", ".p8", ".sh", ".xml":
		return true
	}
	return false
}

// configLine splits a configuration line into a name and a value:
// KEY=value, export KEY="value", key: value, "key": "value", key = 'value'.
var configLine = regexp.MustCompile(`^\s*(?:export\s+)?["']?([A-Za-z_][A-Za-z0-9_.-]{0,100})["']?\s*(?:=|:)\s*(.*?)\s*$`)

// scanFileSecrets scans the text of a file: the whole text for well-known
// formats (a private key spans lines), then each name = value line for
// secrets judged by their name. Lines in skip are not reported.
func scanFileSecrets(pass *Pass, det *secrets.Detector, filePath string, data []byte, rule string, skip map[int]bool) {
	if len(data) > maxSecretScanBytes {
		pass.Incomplete(filePath, fmt.Sprintf("only the first %d MiB were scanned for secrets", maxSecretScanBytes>>20))
		data = data[:maxSecretScanBytes]
	}
	text := string(data)
	type hit struct {
		m         secrets.Match
		line, col int // 1-based
		lineText  string
	}
	var hits []hit
	lineStarts := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			lineStarts = append(lineStarts, i+1)
		}
	}
	lineOf := func(off int) int {
		return sort.Search(len(lineStarts), func(i int) bool { return lineStarts[i] > off })
	}
	lineText := func(n int) string {
		end := len(text)
		if n < len(lineStarts) {
			end = lineStarts[n] - 1
		}
		return strings.TrimRight(text[lineStarts[n-1]:end], "\r")
	}
	seen := map[string]bool{}
	add := func(m secrets.Match, off int) {
		n := lineOf(off)
		key := fmt.Sprint(n, "\x00", m.Secret)
		if skip[n] || seen[key] || len(hits) >= maxSecretFindingsPerFile {
			return
		}
		seen[key] = true
		hits = append(hits, hit{m: m, line: n, col: off - lineStarts[n-1] + 1, lineText: lineText(n)})
	}
	for _, m := range det.ScanValue(text) {
		add(m, m.Start)
	}
	for n := 1; n <= len(lineStarts) && len(hits) < maxSecretFindingsPerFile; n++ {
		lt := lineText(n)
		sub := configLine.FindStringSubmatchIndex(lt)
		if sub == nil {
			continue
		}
		name := lt[sub[2]:sub[3]]
		vs, ve := sub[4], sub[5]
		vs, ve = trimConfigValue(lt, vs, ve)
		if ve-vs < 8 {
			continue
		}
		for _, m := range det.ScanAssignment(name, lt[vs:ve]) {
			add(m, lineStarts[n-1]+vs+m.Start)
		}
	}
	for _, h := range hits {
		pass.Sensitive(h.m.Secret)
		ev := secrets.RedactIn(strings.TrimSpace(h.lineText), h.m.Secret)
		if leaks(ev, h.m.Secret) {
			ev = secrets.Redact(h.m.Secret)
		}
		pass.Report(report.Finding{
			RuleID:      rule,
			Category:    report.HardcodedSecret,
			Severity:    secretSeverity(h.m),
			Confidence:  secretConfidence(h.m),
			Title:       "Hard-coded secret: " + h.m.Description,
			Message:     fmt.Sprintf("%s (%s) is written in %s, which ships with the code: anyone who can read the function's code can use it.", h.m.Description, secrets.Redact(h.m.Secret), filePath),
			File:        filePath,
			Line:        h.line,
			Column:      h.col,
			Evidence:    clip(ev, 200),
			Remediation: hardcodedRemediation,
		})
	}
}

// trimConfigValue narrows [vs, ve) of line to the value without quotes, a
// trailing comma and a trailing " # comment".
func trimConfigValue(line string, vs, ve int) (int, int) {
	v := line[vs:ve]
	if len(v) > 0 && (v[0] == '"' || v[0] == '\'') {
		if j := strings.IndexByte(v[1:], v[0]); j >= 0 {
			return vs + 1, vs + 1 + j
		}
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = v[:i]
	}
	v = strings.TrimRight(v, ", ")
	return vs, vs + len(v)
}
