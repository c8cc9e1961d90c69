package rules

import (
	"fmt"
	"strings"

	"github.com/cdf-preflight/preflight/analysis/cdf"
	"github.com/cdf-preflight/preflight/analysis/pyast"
	"github.com/cdf-preflight/preflight/analysis/report"
)

// CDFOps reports what the code does in CDF with the caller's authority:
// the capabilities each SDK call and raw API request needs, deletes and
// overwrites, access-control changes, other code started under the
// caller's session, reads of the caller's token, and clients built for
// another identity.
var CDFOps = &Family{
	Name: "cdfops",
	Doc: "A function called from Fusion runs with the caller's own CDF permissions. These checks list " +
		"every capability the code uses and flag what an admin would not want done in their name: " +
		"deleting or overwriting data, creating access groups or sessions, starting other functions, " +
		"transformations or workflows, reading the caller's token, and acting as another identity.",
	Run: runCDFOps,
}

// Rule ids of the cdfops family.
const (
	ruleDelete        = "PF-CDF-001"
	ruleOverwrite     = "PF-CDF-002"
	rulePrivilege     = "PF-CDF-003"
	ruleRunsCode      = "PF-CDF-004"
	ruleRawUnknown    = "PF-CDF-005"
	ruleRawFromInput  = "PF-CDF-006"
	ruleReadsToken    = "PF-CDF-007"
	ruleOtherIdentity = "PF-CDF-008"
)

func runCDFOps(pass *Pass) {
	for _, cs := range pass.Program.Calls {
		if cs == nil || cs.Call == nil || cs.Module == nil || cs.Module.AST == nil || cs.Module.AST.File == nil {
			continue
		}
		switch {
		case cs.Kind == KindClient || cs.Kind == KindOtherClient:
			opsClientCall(pass, cs)
		case opsIsIdentityFactory(cs.Callee):
			opsOtherIdentity(pass, cs)
		}
	}
	for _, r := range pass.Program.AttrReads {
		if r.Kind != KindClient || r.Module == nil {
			continue
		}
		pass.ReportNode(r.Module, r.Node, report.Finding{
			RuleID:     ruleReadsToken,
			Category:   report.CredentialAccess,
			Severity:   report.High,
			Confidence: report.ConfidenceHigh,
			Title:      "Reads your access token",
			Message: fmt.Sprintf("client.%s gives the code the caller's own credentials — YOUR access token, "+
				"with all your permissions; together with any network call it can be sent anywhere", r.Path),
			Remediation: "Functions never need the caller's token: use the client's SDK methods. Do not run " +
				"code that reads client.config.credentials unless you know why it does.",
		})
	}
}

// opsClientCall handles one call on the caller's client or on another
// client built in the code.
func opsClientCall(pass *Pass, cs *CallSite) {
	call, ok := cdf.LookupSDKCall(cs.Callee)
	if !ok {
		return
	}
	other := cs.Kind == KindOtherClient
	switch {
	case call.Effects.Has(cdf.EffectRaw):
		opsRawCall(pass, cs, call, other)
		return
	case call.Effects.Has(cdf.EffectCredential):
		if !other && !opsReadBefore(pass, cs, call.Path) {
			pass.ReportNode(cs.Module, cs.Call, report.Finding{
				RuleID:     ruleReadsToken,
				Category:   report.CredentialAccess,
				Severity:   report.High,
				Confidence: report.ConfidenceHigh,
				Title:      "Reads your access token",
				Message: fmt.Sprintf("client.%s() returns the caller's own access token (YOUR permissions); "+
					"together with any network call it can be sent anywhere", call.Path),
				Remediation: "Functions never need the caller's token: use the client's SDK methods.",
			})
		}
		return
	}
	name := opsCallName(call.Path, other)
	opsRequire(pass, cs, call, name)
	opsEffects(pass, cs, call, name, other)
}

// opsReadBefore reports whether the credentials a call uses were already
// read (and reported) on an earlier line of the same module:
// creds = client._config.credentials; creds.authorization_header().
func opsReadBefore(pass *Pass, cs *CallSite, path string) bool {
	file := cs.Module.AST.File
	line := file.Position(cs.Call.Pos()).Line
	for _, r := range pass.Program.AttrReads {
		if r.Module != cs.Module || r.Kind != KindClient || r.Node == nil {
			continue
		}
		canonical := strings.TrimPrefix(strings.TrimPrefix(r.Path, "_"), "config")
		if strings.HasPrefix(strings.TrimPrefix(strings.TrimPrefix(path, "_"), "config"), canonical+".") &&
			file.Position(r.Node.Pos()).Line < line {
			return true
		}
	}
	return false
}

// opsCallName is how a call is named in Required and messages.
func opsCallName(path string, other bool) string {
	if other {
		return "(another identity) " + path
	}
	return "client." + path
}

func opsRequire(pass *Pass, cs *CallSite, call cdf.SDKCall, name string) {
	for _, c := range call.Capabilities {
		pass.Require(cs.Module, cs.Call, c, name)
	}
}

// opsAuthority says whose permissions a call uses, for messages.
func opsAuthority(other bool) string {
	if other {
		return "with the permissions of another identity (a client the code builds itself), not yours"
	}
	return "using YOUR permissions"
}

// opsSentence joins a call's name, its note and whose authority it uses:
// notes that already say "your" need no "using YOUR permissions".
func opsSentence(name, note string, other bool) string {
	if other {
		return fmt.Sprintf("%s %s — as another identity (a client the code builds itself), so with its permissions, not yours", name, note)
	}
	if strings.Contains(strings.ToLower(note), "your") {
		return name + " " + note
	}
	return fmt.Sprintf("%s %s, %s", name, note, opsAuthority(false))
}

// opsEffects reports the findings a resolved call's effects deserve.
func opsEffects(pass *Pass, cs *CallSite, call cdf.SDKCall, name string, other bool) {
	args := opsArgLabels(cs)
	conf := report.ConfidenceHigh
	if !cs.Reachable {
		conf = report.ConfidenceMedium
	}
	caps := opsCaps(call.Capabilities)
	who := opsAuthority(other)
	switch {
	case call.Effects.Has(cdf.EffectPrivilege):
		sev := report.High
		for _, c := range call.Capabilities {
			if strings.EqualFold(c.ACL, "groupsAcl") {
				sev = report.Critical
			}
		}
		msg := opsSentence(name, call.Note, other)
		if args.Has(LabelCallInput) {
			msg += "; the call input shapes it, so whoever calls the function decides what is granted"
		}
		pass.ReportNode(cs.Module, cs.Call, report.Finding{
			RuleID: rulePrivilege, Category: report.PrivilegeChange, Severity: sev, Confidence: conf,
			Title:        opsTitle(call.Note),
			Message:      msg,
			Capabilities: caps,
			Remediation: "Access control and sessions should be managed by administrators and deployment " +
				"pipelines, not by a function anyone may call. Run it only if you intend this change.",
		})
	case call.Effects.Has(cdf.EffectRunsCode):
		sev := report.Medium
		msg := opsSentence(name, call.Note, other)
		if args.Has(LabelCallInput) {
			sev = report.High
			msg += "; the call input chooses what runs"
		}
		pass.ReportNode(cs.Module, cs.Call, report.Finding{
			RuleID: ruleRunsCode, Category: report.PrivilegeChange, Severity: sev, Confidence: conf,
			Title:        opsTitle(call.Note),
			Message:      msg,
			Capabilities: caps,
			Remediation:  "Check what the started function, transformation or workflow does before running this one.",
		})
	case call.Effects.Has(cdf.EffectDelete):
		sev := report.High
		msg := opsSentence(name, call.Note, other)
		switch {
		case args.Has(LabelCallInput):
			sev = report.Critical
			msg += "; the call input chooses what is deleted, so whoever calls the function decides"
		case args.Has(LabelCDFData):
			sev = report.Critical
			msg += "; what is deleted is computed from data read from CDF (a bulk delete)"
		}
		if opsKeywordTrue(cs, "recursive") && !strings.Contains(call.Note, "recursive") {
			msg += "; recursive=True deletes everything below as well"
		}
		pass.ReportNode(cs.Module, cs.Call, report.Finding{
			RuleID: ruleDelete, Category: report.DestructiveOperation, Severity: sev, Confidence: conf,
			Title:        opsTitle(call.Note),
			Message:      msg,
			Capabilities: caps,
			Remediation:  "Deleted CDF data cannot be restored. Run this only if you mean to delete it, with the least permissions that suffice.",
		})
	}
	if kw, ok := opsOverwrites(cs, call); ok && !call.Effects.Has(cdf.EffectDelete) {
		pass.ReportNode(cs.Module, cs.Call, report.Finding{
			RuleID: ruleOverwrite, Category: report.DestructiveOperation, Severity: report.Medium, Confidence: conf,
			Title:        "Overwrites existing data",
			Message:      fmt.Sprintf("%s with %s replaces existing data wholesale, %s", name, kw, who),
			Capabilities: caps,
			Remediation:  "Overwritten data cannot be restored; make sure the function targets only what it should.",
		})
	}
}

// opsRawCall handles client.get/post/put/delete(url) and api_client._*:
// the URL decides which API is called.
func opsRawCall(pass *Pass, cs *CallSite, raw cdf.SDKCall, other bool) {
	method := strings.ToUpper(strings.TrimPrefix(opsLastSegment(raw.Path), "_"))
	urlIdx := 0
	if method == "DO_REQUEST" {
		method = ""
		if v, ok := cs.Arg(0, "method"); ok && v.HasStr && v.Str.Exact() {
			method = strings.ToUpper(v.Str.Parts[0])
		}
		urlIdx = 1
	}
	conf := report.ConfidenceHigh
	if !cs.Reachable {
		conf = report.ConfidenceMedium
	}
	url, ok := cs.Arg(urlIdx, "url")
	if !ok {
		url, ok = cs.Arg(urlIdx, "url_path")
	}
	shown := "an unknown URL"
	if ok && url.HasStr {
		shown = url.Str.String()
		if call, found := cdf.LookupRawRequest(method, shown); found {
			base := "client"
			if other {
				base = "(another identity)"
			}
			name := fmt.Sprintf("%s %s %s → %s", base, opsOr(method, "request"), shown, call.Path)
			opsRequire(pass, cs, call, name)
			opsEffects(pass, cs, call, name, other)
			if url.Labels.Has(LabelCallInput) {
				opsRawFromInput(pass, cs, shown, conf)
			}
			return
		}
	}
	if ok && url.Labels.Has(LabelCallInput) {
		opsRawFromInput(pass, cs, shown, conf)
		return
	}
	pass.ReportNode(cs.Module, cs.Call, report.Finding{
		RuleID: ruleRawUnknown, Category: report.PrivilegeChange, Severity: report.Medium, Confidence: report.ConfidenceLow,
		Title: "Raw API call (capabilities unknown)",
		Message: fmt.Sprintf("a raw %s request to %s on the CDF API, %s; Preflight cannot tell which capabilities it uses",
			opsOr(method, "HTTP"), shown, opsAuthority(other)),
		Remediation: "Prefer the SDK's methods, which say what they do; read the code to see what this request changes.",
	})
}

func opsRawFromInput(pass *Pass, cs *CallSite, shown string, conf report.Confidence) {
	pass.ReportNode(cs.Module, cs.Call, report.Finding{
		RuleID: ruleRawFromInput, Category: report.PrivilegeChange, Severity: report.High, Confidence: conf,
		Title: "Raw API call to a URL from the call input",
		Message: fmt.Sprintf("the call input decides the URL of a raw CDF API request (%s): whoever calls the "+
			"function can call any CDF endpoint using YOUR permissions", shown),
		Remediation: "Never build API paths from call input; use fixed SDK calls.",
	})
}

// opsOtherIdentity reports code that builds credentials or a client for
// an identity other than the caller's.
func opsOtherIdentity(pass *Pass, cs *CallSite) {
	sev := report.Medium
	msg := fmt.Sprintf("%s() builds credentials for another identity: what the code does with that client "+
		"uses that identity's permissions, not the caller's", cs.Callee)
	labels := opsArgLabels(cs)
	switch {
	case labels.Has(LabelCallInput):
		sev = report.High
		msg += "; the call input supplies the credentials or where they come from"
	case labels.Has(LabelHardcodedSecret) || opsHardcodedCredential(pass, cs):
		sev = report.High
		msg += "; its secret is written in the code, readable by anyone who can read the function's files"
	case labels.Has(LabelCredential):
		msg += ", built from the caller's own token"
	}
	conf := report.ConfidenceHigh
	if !cs.Reachable {
		conf = report.ConfidenceMedium
	}
	pass.ReportNode(cs.Module, cs.Call, report.Finding{
		RuleID: ruleOtherIdentity, Category: report.CredentialAccess, Severity: sev, Confidence: conf,
		Title:   "Acts as another identity",
		Message: msg,
		Remediation: "Check which service principal the function uses and what it may do; keep its secret in " +
			"the function's secrets, never in the code or the call input.",
	})
}

// opsIsIdentityFactory reports whether calling q builds credentials for
// another identity: the credential classes of cognite.client and the
// CogniteClient/ClientConfig factories that take credentials directly.
// Plain CogniteClient(...)/ClientConfig(...) are not reported: they wrap a
// credentials object reported where it is built.
func opsIsIdentityFactory(q string) bool {
	if !strings.HasPrefix(q, "cognite.") {
		return false
	}
	segs := strings.Split(q, ".")
	last := segs[len(segs)-1]
	for _, s := range segs {
		switch s {
		case "OAuthClientCredentials", "OAuthClientCertificate", "OAuthInteractive", "OAuthDeviceCode",
			"Token", "APIKey", "CredentialProvider":
			return true
		case "CogniteClient", "ClientConfig":
			if strings.HasPrefix(last, "default") {
				return true
			}
		}
	}
	return false
}

// opsHardcodedCredential reports whether a secret is written as a literal
// in the call: a keyword like client_secret="…", Token("eyJ…"), or any
// literal the secrets detector recognises.
func opsHardcodedCredential(pass *Pass, cs *CallSite) bool {
	secretKw := map[string]bool{"client_secret": true, "token": true, "api_key": true, "password": true, "private_key": true}
	for _, kw := range cs.Call.Keywords {
		if kw == nil {
			continue
		}
		if secretKw[kw.Arg] && opsLiteralString(kw.Value) || opsDetected(pass, kw.Value) {
			return true
		}
	}
	tokenLike := strings.HasSuffix(cs.Callee, ".Token") || strings.HasSuffix(cs.Callee, ".APIKey")
	for _, a := range cs.Call.Args {
		if tokenLike && opsLiteralString(a) || opsDetected(pass, a) {
			return true
		}
	}
	return false
}

// opsDetected reports whether e is a string literal the secrets detector
// recognises as a secret.
func opsDetected(pass *Pass, e pyast.Expr) bool {
	s, ok := pyast.ConstString(e)
	if !ok || pass.Secrets == nil || len(s) < 8 {
		return false
	}
	return len(pass.Secrets.ScanValue(s)) > 0
}

func opsLiteralString(e pyast.Expr) bool {
	s, ok := pyast.ConstString(e)
	return ok && len(s) >= 8
}

// opsArgLabels is the union of the labels of every argument of a call.
func opsArgLabels(cs *CallSite) Labels {
	var l Labels
	for _, a := range cs.Args {
		l |= a.Labels
	}
	for _, a := range cs.Keywords {
		l |= a.Labels
	}
	return l
}

// opsOverwrites reports whether the call passes one of the keyword
// arguments that make it an overwrite, and which.
func opsOverwrites(cs *CallSite, call cdf.SDKCall) (string, bool) {
	for _, cond := range call.OverwriteWhen {
		name, want, _ := strings.Cut(cond, "=")
		for _, kw := range cs.Call.Keywords {
			if kw == nil || kw.Arg != name {
				continue
			}
			if opsExprText(kw.Value) == want {
				return cond, true
			}
		}
	}
	return "", false
}

// opsKeywordTrue reports whether keyword name is passed as True.
func opsKeywordTrue(cs *CallSite, name string) bool {
	for _, kw := range cs.Call.Keywords {
		if kw != nil && kw.Arg == name && opsExprText(kw.Value) == "True" {
			return true
		}
	}
	return false
}

// opsExprText writes a constant as Python would: True, None, 3, "replace".
func opsExprText(e pyast.Expr) string {
	c, ok := e.(*pyast.Constant)
	if !ok {
		return ""
	}
	switch c.Value.Kind {
	case pyast.ConstBool:
		if c.Value.B {
			return "True"
		}
		return "False"
	case pyast.ConstNone:
		return "None"
	case pyast.ConstInt:
		return c.Value.S
	case pyast.ConstStr:
		return `"` + c.Value.S + `"`
	}
	return ""
}

func opsCaps(cs []cdf.Capability) []report.Capability {
	out := make([]report.Capability, 0, len(cs))
	for _, c := range cs {
		out = append(out, report.Capability{ACL: c.ACL, Action: c.Action})
	}
	return out
}

// opsTitle turns a note ("deletes assets (recursive=True …)") into a title
// ("Deletes assets").
func opsTitle(note string) string {
	for _, sep := range []string{" — ", " (", ";"} {
		if i := strings.Index(note, sep); i > 0 {
			note = note[:i]
		}
	}
	if note == "" {
		return note
	}
	return strings.ToUpper(note[:1]) + note[1:]
}

func opsLastSegment(q string) string {
	if i := strings.LastIndexByte(q, '.'); i >= 0 {
		return q[i+1:]
	}
	return q
}

func opsOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
