package rules

import (
	"fmt"
	"strings"

	"github.com/cdf-preflight/preflight/analysis/cdf"
	"github.com/cdf-preflight/preflight/analysis/pyast"
	"github.com/cdf-preflight/preflight/analysis/report"
)

// Exposure reports secrets and the caller's credentials reaching places
// others can read: logs, the call's return value, exception messages, CDF
// objects and files. (Secrets sent in outbound requests are the egress
// family's data-exfiltration; reading the credentials at all is cdfops'.)
var Exposure = &Family{
	Name: "exposure",
	Doc: "Secrets (the function's secrets, secret environment variables, hard-coded keys) and the caller's " +
		"own credentials must not reach function logs, the return value, exception messages, CDF objects " +
		"or files: anyone with functions:read can read logs and call results.",
	Run: runExposure,
}

// Rule ids of the exposure family.
const (
	ruleExposeLog    = "PF-EXPOSE-001"
	ruleExposeReturn = "PF-EXPOSE-002"
	ruleExposeRaise  = "PF-EXPOSE-003"
	ruleExposeCDF    = "PF-EXPOSE-004"
	ruleExposeFile   = "PF-EXPOSE-005"
)

// secretLabels are the labels of values that must not be exposed.
const secretLabels = LabelSecret | LabelEnvSecret | LabelCredential | LabelHardcodedSecret

// exposureSink describes where a value went, for the title and message.
type exposureSink struct {
	rule   string
	title  string
	where  string // "print()", "logger.info()", "handle's return value"
	reader string // who can read it
	fix    string
}

var (
	sinkLog = exposureSink{rule: ruleExposeLog, title: "Secret written to the function's logs",
		reader: "function logs are readable by anyone with functions:read",
		fix: "Do not print or log secrets or tokens. Log that a value is set (or its length), never the value; " +
			"if you must identify it, log only its first few characters."}
	sinkReturn = exposureSink{rule: ruleExposeReturn, title: "Secret returned by the function",
		where:  "handle()'s return value",
		reader: "call results are stored and readable by anyone with functions:read",
		fix:    "Return only what the caller needs; never return secrets, tokens or objects that contain them."}
	sinkRaise = exposureSink{rule: ruleExposeRaise, title: "Secret put in an exception message",
		where:  "an exception message",
		reader: "the error and its traceback go to the function's logs and call status, readable by anyone with functions:read",
		fix:    "Do not put secrets or tokens in error messages; name the setting that failed instead."}
	sinkCDF = exposureSink{rule: ruleExposeCDF, title: "Secret written to CDF",
		reader: "data written to CDF is readable by everyone with read access to it",
		fix: "Never store secrets or tokens in CDF objects (names, descriptions, metadata, files, rows); " +
			"use the function's secrets for the function only."}
	sinkFile = exposureSink{rule: ruleExposeFile, title: "Secret written to a file",
		reader: "files may be uploaded, kept between calls or read by other code",
		fix:    "Do not write secrets or tokens to files; keep them in memory and pass them where they are needed."}
)

func runExposure(pass *Pass) {
	for _, cs := range pass.Program.Calls {
		if cs == nil || cs.Call == nil {
			continue
		}
		sink, ok := exposureSinkOf(cs)
		if !ok {
			continue
		}
		v, ok := exposedValue(cs)
		if !ok {
			continue
		}
		reportExposure(pass, cs.Module, cs.Call, sink, v, cs.Reachable)
	}
	for _, r := range pass.Program.Returns {
		if r.Value.Labels.Has(secretLabels) {
			reportExposure(pass, r.Module, r.Node, sinkReturn, r.Value, true)
		}
	}
	for _, r := range pass.Program.Raises {
		if r.Value.Labels.Has(secretLabels) {
			reportExposure(pass, r.Module, r.Node, sinkRaise, r.Value, true)
		}
	}
}

// logFuncs are functions that write to the function's logs (stdout and
// stderr are captured as logs).
var logFuncs = map[string]bool{
	"print": true, "pprint.pprint": true, "pprint.pp": true, "warnings.warn": true,
	"sys.stdout.write": true, "sys.stderr.write": true, "sys.stdout.writelines": true,
	"sys.stderr.writelines": true, "logging.debug": true, "logging.info": true, "logging.warning": true,
	"logging.warn": true, "logging.error": true, "logging.exception": true, "logging.critical": true,
	"logging.fatal": true, "logging.log": true, "os.write": true, "builtins.print": true,
	"traceback.print_exception": true, "rich.print": true, "click.echo": true, "tqdm.write": true,
}

// loggerMethods are the methods of a logger that write a record.
var loggerMethods = map[string]bool{
	"debug": true, "info": true, "warning": true, "warn": true, "error": true, "exception": true,
	"critical": true, "fatal": true, "log": true, "msg": true, "trace": true, "success": true,
}

// fileWrites are calls that write their first argument to a file.
var fileWrites = map[string]bool{
	"file.write": true, "file.writelines": true, "pathlib.Path.write_text": true,
	"pathlib.Path.write_bytes": true,
}

// exposureSinkOf says whether a call is a place others can read.
func exposureSinkOf(cs *CallSite) (exposureSink, bool) {
	switch {
	case cs.Kind == KindLogger:
		if loggerMethods[lastSegment(cs.Callee)] {
			s := sinkLog
			s.where = "logger." + lastSegment(cs.Callee) + "()"
			return s, true
		}
	case logFuncs[cs.Callee]:
		s := sinkLog
		s.where = strings.TrimPrefix(cs.Callee, "builtins.") + "()"
		if f, ok := cs.Keywords["file"]; ok && f.Kind == KindInstance && f.Qual == "file" {
			s = sinkFile
			s.where = "a file (print(file=…))"
		}
		return s, true
	case fileWrites[cs.Callee] || cs.Kind == KindInstance && (strings.HasSuffix(cs.Callee, ".write_text") ||
		strings.HasSuffix(cs.Callee, ".write_bytes")) && strings.Contains(cs.Callee, "Path"):
		s := sinkFile
		s.where = "a file (" + cs.Callee + "())"
		return s, true
	case cs.Callee == "json.dump" || cs.Callee == "yaml.dump" || cs.Callee == "yaml.safe_dump" ||
		cs.Callee == "pickle.dump" || cs.Callee == "csv.writer":
		if f, ok := cs.Arg(1, "fp"); ok && f.Kind == KindInstance && f.Qual == "file" {
			s := sinkFile
			s.where = "a file (" + cs.Callee + "())"
			return s, true
		}
	case cs.Kind == KindClient || cs.Kind == KindOtherClient:
		if isCredentialPath(cs.Callee) {
			return exposureSink{}, false
		}
		call, ok := sdkCall(cs.Callee)
		if ok && call.Effects&(cdf.EffectWrite|cdf.EffectOverwrite) != 0 {
			s := sinkCDF
			s.where = "client." + cs.Callee + "()"
			if cs.Kind == KindOtherClient {
				s.where = "a CDF write (" + cs.Callee + "())"
			}
			return s, true
		}
	}
	return exposureSink{}, false
}

// exposedValue returns the union of the call's arguments that carry secret
// labels (the receiver does not count: logger objects are not written).
func exposedValue(cs *CallSite) (Value, bool) {
	var out Value
	add := func(v Value) {
		if !v.Labels.Has(secretLabels) {
			return
		}
		for _, o := range v.Origins {
			if o.Label&secretLabels != 0 && !out.Labels.Has(o.Label) {
				out.Origins = append(out.Origins, o)
			}
		}
		out.Labels |= v.Labels & secretLabels
	}
	for _, a := range cs.Args {
		add(a)
	}
	for _, k := range sortedKeywords(cs.Keywords) {
		v := cs.Keywords[k]
		if k == "file" || k == "sep" || k == "end" || k == "level" {
			continue
		}
		add(v)
	}
	return out, out.Labels != 0
}

// secretSource names the most serious secret a value carries and says
// whether it is the caller's credential.
func secretSource(v Value) (desc string, credential bool) {
	for _, l := range []Labels{LabelCredential, LabelSecret, LabelEnvSecret, LabelHardcodedSecret} {
		if !v.Labels.Has(l) {
			continue
		}
		for _, o := range v.Origins {
			if o.Label == l && o.Desc != "" {
				desc = o.Desc
				break
			}
		}
		if desc == "" {
			switch l {
			case LabelCredential:
				desc = "the caller's credentials"
			case LabelSecret:
				desc = "a function secret"
			case LabelEnvSecret:
				desc = "a secret environment variable"
			default:
				desc = "a hard-coded secret"
			}
		}
		if l == LabelCredential && !strings.Contains(desc, "token") && !strings.Contains(desc, "credential") {
			desc += " (the caller's credentials)"
		}
		return desc, l == LabelCredential
	}
	return "a secret", false
}

func reportExposure(pass *Pass, m *Module, node pyast.Node, sink exposureSink, v Value, reachable bool) {
	desc, credential := secretSource(v)
	sev := report.High
	if credential {
		sev = report.Critical
	}
	conf := report.ConfidenceHigh
	if !reachable {
		sev, conf = report.Medium, report.ConfidenceLow
	}
	title := sink.title
	if credential {
		title = strings.Replace(title, "Secret", "Your access token", 1)
	}
	msg := fmt.Sprintf("%s reaches %s — %s", desc, sink.where, sink.reader)
	if credential {
		msg += "; whoever reads it can act in CDF as the caller"
	}
	if !reachable {
		msg += " (in code handle() does not seem to reach)"
	}
	pass.ReportNode(m, node, report.Finding{
		RuleID: sink.rule, Category: report.SecretExposure, Severity: sev, Confidence: conf,
		Title: title, Message: msg, Remediation: sink.fix,
	})
}
