package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"unicode"

	"github.com/cdf-preflight/preflight/analysis"
	"github.com/cdf-preflight/preflight/analysis/policy"
	"github.com/cdf-preflight/preflight/analysis/report"
	"github.com/cdf-preflight/preflight/cdfapi"
	"github.com/cdf-preflight/preflight/wasm/api"
)

const auditSynopsis = "--cluster HOST --project NAME [--format text|json|sarif] [--policy FILE] [--fail-on LEVEL] [--ca-cert FILE]"

// auditResult is one function's outcome: a report, or why there is none.
type auditResult struct {
	fn     cdfapi.Function
	raw    []byte        // the report JSON as api.Analyze wrote it
	rep    report.Report // decoded, for the table
	reason string        // "not analysed: …" when there is no report
}

// runAudit implements `preflight audit`: it lists every function of a CDF
// project, downloads each one's code zip, analyses it with the caller's
// permissions, and prints a summary table (text), the reports and
// per-function errors (json), or a SARIF log with one run per function.
//
// The token comes from CDF_TOKEN or the client-credentials flow
// (CDF_CLIENT_ID, CDF_CLIENT_SECRET, CDF_TOKEN_URL, CDF_SCOPES); it is never
// printed. Exit code 2 means a usage or authentication error; with
// --fail-on, 1 when any function is at or above the level or could not be
// analysed.
func runAudit(args []string, stdout, stderr io.Writer) int {
	flags := newFlagSet("audit", auditSynopsis, stderr)
	cluster := flags.String("cluster", "", "the CDF cluster: a name (westeurope-1), or a host[:port]")
	project := flags.String("project", "", "the CDF project's URL name")
	format := flags.String("format", "text", "output format: text, json or sarif")
	policyPath := flags.String("policy", "", "a policy (TOML) merged over the defaults")
	failOn := flags.String("fail-on", "", "exit 1 when any function's risk is at or above this level: low, medium, high or critical (a function not analysed always fails)")
	caCert := flags.String("ca-cert", os.Getenv("PREFLIGHT_CA_CERT"), "also trust this PEM certificate (e.g. the sandbox CDF's); default $PREFLIGHT_CA_CERT")
	rest, err := parseFlags(flags, args)
	if err != nil {
		return flagExit(err)
	}
	// Whatever happens below, the credentials never reach the output.
	secrets := []string{os.Getenv("CDF_TOKEN"), os.Getenv("CDF_CLIENT_SECRET")}
	stdout, stderr = &scrubWriter{w: stdout, secrets: secrets}, &scrubWriter{w: stderr, secrets: secrets}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "preflight audit: "+format+"\n", a...)
		return exitUsage
	}
	if len(rest) != 0 || *cluster == "" || *project == "" {
		flags.Usage()
		return exitUsage
	}
	switch *format {
	case "text", "json", "sarif":
	default:
		return fail("--format %q: want text, json or sarif", *format)
	}
	var threshold report.RiskLevel
	if *failOn != "" {
		if threshold = parseFailLevel(*failOn); threshold == "" {
			return fail("--fail-on %q: want low, medium, high or critical", *failOn)
		}
	}
	var policyTOML []byte
	pol := policy.Default()
	if *policyPath != "" {
		if policyTOML, err = os.ReadFile(*policyPath); err != nil {
			return fail("%v", err)
		}
		if pol, err = policy.Load(*policyPath, policyTOML); err != nil {
			return fail("%v", err)
		}
	}
	var roots *cdfapi.Roots
	if *caCert != "" {
		pem, err := os.ReadFile(*caCert)
		if err != nil {
			return fail("--ca-cert: %v", err)
		}
		if roots, err = cdfapi.TrustPEM(pem); err != nil {
			return fail("--ca-cert %s: %v", *caCert, err)
		}
	}
	hc := cdfapi.NewHTTPClient(roots, cdfapi.DefaultTimeout)
	ts, err := cdfapi.TokenFromEnv(os.Getenv, hc)
	if err != nil {
		return fail("%v", err)
	}
	client, err := cdfapi.New(*cluster, *project, ts, hc)
	if err != nil {
		return fail("%v", err)
	}
	return audit(context.Background(), client, auditOptions{
		format: *format, threshold: threshold, policyTOML: policyTOML,
		maxZip: pol.Limits.MaxZipBytes, progress: newProgress(stderr),
	}, stdout, stderr)
}

type auditOptions struct {
	format     string
	threshold  report.RiskLevel
	policyTOML []byte
	maxZip     int64
	progress   *progress
}

// audit runs the audit with a ready client.
func audit(ctx context.Context, c *cdfapi.Client, opt auditOptions, stdout, stderr io.Writer) int {
	token, err := c.TokenInspect(ctx)
	if err != nil {
		if errors.Is(err, cdfapi.ErrUnauthorized) || errors.Is(err, cdfapi.ErrNoToken) {
			fmt.Fprintf(stderr, "preflight audit: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(stderr, "preflight audit: note: permissions not compared: %v\n", err)
		token = nil
	}
	fns, err := c.ListFunctions(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "preflight audit: %v\n", err)
		if errors.Is(err, cdfapi.ErrUnauthorized) || errors.Is(err, cdfapi.ErrForbidden) {
			return exitUsage
		}
		return exitFail
	}
	sort.SliceStable(fns, func(i, j int) bool {
		if fns[i].Name != fns[j].Name {
			return fns[i].Name < fns[j].Name
		}
		return fns[i].ID < fns[j].ID
	})
	results := make([]auditResult, 0, len(fns))
	for i, fn := range fns {
		opt.progress.start(i, len(fns), fn.Name)
		res := auditOne(ctx, c, fn, token, opt)
		if res.reason != "" && strings.Contains(res.reason, "(401)") {
			opt.progress.done()
			fmt.Fprintf(stderr, "preflight audit: %s: %s\n", auditClean(fn.Name), res.reason)
			return exitUsage
		}
		results = append(results, res)
		opt.progress.finish(i, len(fns), fn.Name, res)
	}
	opt.progress.done()

	var werr error
	switch opt.format {
	case "json":
		werr = writeAuditJSON(stdout, c.Project, results)
	case "sarif":
		werr = writeAuditSARIF(stdout, results)
	default:
		werr = writeAuditTable(stdout, c.Project, results)
	}
	if werr != nil {
		fmt.Fprintf(stderr, "preflight audit: %v\n", werr)
		return exitFail
	}
	if opt.threshold != "" {
		for _, r := range results {
			if r.reason != "" || failsGate(r.rep.Risk.Level, opt.threshold) {
				return exitFail
			}
		}
	}
	return exitOK
}

// auditOne fetches and analyses one function.
func auditOne(ctx context.Context, c *cdfapi.Client, fn cdfapi.Function, token []byte, opt auditOptions) auditResult {
	res := auditResult{fn: fn}
	notAnalysed := func(err error) auditResult {
		switch {
		case errors.Is(err, cdfapi.ErrForbidden):
			res.reason = "not analysed: no access to the code (403)"
		case errors.Is(err, cdfapi.ErrUnauthorized):
			res.reason = "not analysed: the token was refused (401)"
		default:
			res.reason = "not analysed: " + err.Error()
		}
		return res
	}
	details, err := c.FunctionsByIDs(ctx, fn.ID)
	if err != nil {
		return notAnalysed(err)
	}
	if len(details) == 1 {
		res.fn = details[0]
	}
	if res.fn.FileID == 0 {
		res.reason = "not analysed: the function has no code file (fileId)"
		return res
	}
	link, err := c.DownloadLink(ctx, res.fn.FileID)
	if err != nil {
		return notAnalysed(err)
	}
	zip, err := c.Download(ctx, link, opt.maxZip)
	if err != nil {
		return notAnalysed(err)
	}
	in := analysis.Input{Zip: zip, FunctionJSON: res.fn.Raw, PolicyTOML: opt.policyTOML}
	if token != nil {
		in.TokenInspectJSON, in.Project = token, c.Project
	}
	raw, err := api.Analyze(ctx, in)
	if err != nil {
		return notAnalysed(err)
	}
	rep, err := report.Decode(bytes.NewReader(raw))
	if err != nil {
		return notAnalysed(err)
	}
	res.raw, res.rep = raw, rep
	return res
}

// topFinding is the most severe finding's title (with file:line).
func topFinding(r *report.Report) string {
	var best *report.Finding
	for i := range r.Findings {
		if best == nil || r.Findings[i].Severity > best.Severity {
			best = &r.Findings[i]
		}
	}
	if best == nil {
		return ""
	}
	s := best.Title
	if s == "" {
		s = best.RuleID
	}
	if best.File != "" && best.Line > 0 {
		s += fmt.Sprintf(" (%s:%d)", best.File, best.Line)
	}
	return s
}

// permissionIssue sums up the caller's permissions against the function's needs.
func permissionIssue(r *report.Report) string {
	p := r.Permissions
	if p == nil {
		return ""
	}
	switch {
	case len(p.Missing) > 0:
		return "missing " + strings.Join(p.Missing, ", ")
	case len(p.Excess) > 0:
		return fmt.Sprintf("%s: %d capabilities beyond need", p.Level, len(p.Excess))
	case !p.CanCall:
		return "cannot call functions"
	}
	return ""
}

// writeAuditTable prints one row per function and a summary line.
func writeAuditTable(w io.Writer, project string, results []auditResult) error {
	header := []string{"FUNCTION", "OWNER", "RISK", "TOP FINDING", "PERMISSION ISSUE"}
	widths := []int{32, 24, 8, 60, 40}
	rows := [][]string{header}
	counts := map[report.RiskLevel]int{}
	notAnalysed := 0
	for _, r := range results {
		name := r.fn.Name
		if name == "" {
			name = fmt.Sprint(r.fn.ID)
		}
		if r.reason != "" {
			notAnalysed++
			rows = append(rows, []string{name, r.fn.Owner, string(report.RiskUnknown), r.reason, ""})
			continue
		}
		counts[r.rep.Risk.Level]++
		rows = append(rows, []string{name, r.fn.Owner, string(r.rep.Risk.Level), topFinding(&r.rep), permissionIssue(&r.rep)})
	}
	var b strings.Builder
	for _, row := range rows {
		for i, cell := range row {
			cell = auditFit(auditClean(cell), widths[i])
			if i == len(row)-1 {
				b.WriteString(strings.TrimRight(cell, " "))
			} else {
				b.WriteString(cell + "  ")
			}
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\n%s in %s:", auditPlural(len(results), "function"), auditClean(project))
	for _, l := range []report.RiskLevel{report.RiskCritical, report.RiskHigh, report.RiskMedium, report.RiskLow, report.RiskNone, report.RiskUnknown} {
		if counts[l] > 0 {
			fmt.Fprintf(&b, " %d %s,", counts[l], l)
		}
	}
	fmt.Fprintf(&b, " %d not analysed\n", notAnalysed)
	_, err := io.WriteString(w, b.String())
	return err
}

func auditPlural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// auditFit pads or shortens s to n display cells (runes).
func auditFit(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s + strings.Repeat(" ", n-len(r))
}

// auditClean removes control characters from text that came from CDF.
func auditClean(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u202e' || r == '\u202d' || r == '\u2066' || r == '\u2067' || r == '\u2068' || r == '\u2069' {
			return ' '
		}
		return r
	}, s)
}

// auditFunction identifies a function in JSON output.
type auditFunction struct {
	ID         int64  `json:"id"`
	ExternalID string `json:"externalId,omitempty"`
	Name       string `json:"name,omitempty"`
	Owner      string `json:"owner,omitempty"`
}

// auditJSON is `preflight audit --format json`: the reports of the functions
// analysed, and why the others were not.
type auditJSON struct {
	Project string            `json:"project"`
	Reports []json.RawMessage `json:"reports"`
	Errors  []auditError      `json:"errors"`
}

type auditError struct {
	Function auditFunction `json:"function"`
	Error    string        `json:"error"`
}

func fnIdent(f cdfapi.Function) auditFunction {
	return auditFunction{ID: f.ID, ExternalID: f.ExternalID, Name: f.Name, Owner: f.Owner}
}

func writeAuditJSON(w io.Writer, project string, results []auditResult) error {
	out := auditJSON{Project: project, Reports: []json.RawMessage{}, Errors: []auditError{}}
	for _, r := range results {
		if r.reason != "" {
			out.Errors = append(out.Errors, auditError{Function: fnIdent(r.fn), Error: r.reason})
			continue
		}
		out.Reports = append(out.Reports, json.RawMessage(bytes.TrimSpace(r.raw)))
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// writeAuditSARIF writes one SARIF log with a run per function: the run
// report.WriteSARIF makes for it, or, for a function not analysed, a run
// whose invocation failed with the reason.
func writeAuditSARIF(w io.Writer, results []auditResult) error {
	var schema, version json.RawMessage
	runs := []json.RawMessage{}
	for _, r := range results {
		if r.reason != "" {
			run, _ := json.Marshal(map[string]any{
				"tool": map[string]any{"driver": map[string]any{"name": "preflight", "version": analysis.Version, "informationUri": report.InformationURI}},
				"invocations": []any{map[string]any{
					"executionSuccessful":        false,
					"toolExecutionNotifications": []any{map[string]any{"level": "error", "message": map[string]any{"text": r.reason}}},
				}},
				"results":    []any{},
				"properties": map[string]any{"function": fnIdent(r.fn), "risk": map[string]any{"level": report.RiskUnknown}},
			})
			runs = append(runs, run)
			continue
		}
		var buf bytes.Buffer
		if err := report.WriteSARIF(&buf, &r.rep); err != nil {
			return err
		}
		var log struct {
			Schema  json.RawMessage   `json:"$schema"`
			Version json.RawMessage   `json:"version"`
			Runs    []json.RawMessage `json:"runs"`
		}
		if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
			return fmt.Errorf("SARIF of %s: %w", auditClean(r.fn.Name), err)
		}
		schema, version = log.Schema, log.Version
		runs = append(runs, log.Runs...)
	}
	if schema == nil {
		schema, _ = json.Marshal("https://json.schemastore.org/sarif-2.1.0.json")
		version, _ = json.Marshal("2.1.0")
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"$schema": schema, "version": version, "runs": runs})
}

// scrubWriter replaces the credentials by "[redacted]" in everything written.
type scrubWriter struct {
	w       io.Writer
	secrets []string
}

func (s *scrubWriter) Write(p []byte) (int, error) {
	out := p
	for _, sec := range s.secrets {
		if len(sec) >= 4 && bytes.Contains(out, []byte(sec)) {
			out = bytes.ReplaceAll(out, []byte(sec), []byte("[redacted]"))
		}
	}
	if _, err := s.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// progress shows the audit's progress on stderr: a bar redrawn in place on
// a terminal, else one line per function.
type progress struct {
	w   io.Writer
	tty bool
}

func newProgress(stderr io.Writer) *progress {
	tty := false
	if sw, ok := stderr.(*scrubWriter); ok {
		if f, ok := sw.w.(*os.File); ok {
			if st, err := f.Stat(); err == nil {
				tty = st.Mode()&os.ModeCharDevice != 0
			}
		}
	}
	return &progress{w: stderr, tty: tty}
}

func (p *progress) start(i, n int, name string) {
	if p == nil || !p.tty {
		return
	}
	const width = 30
	filled := width * i / max(n, 1)
	fmt.Fprintf(p.w, "\r\x1b[K[%s%s] %d/%d %s", strings.Repeat("#", filled), strings.Repeat("-", width-filled), i, n, auditFit(auditClean(name), 40))
}

func (p *progress) finish(i, n int, name string, r auditResult) {
	if p == nil || p.tty {
		return
	}
	status := "risk " + string(r.rep.Risk.Level)
	if r.reason != "" {
		status = r.reason
	}
	fmt.Fprintf(p.w, "preflight audit: [%d/%d] %s: %s\n", i+1, n, auditClean(name), status)
}

func (p *progress) done() {
	if p != nil && p.tty {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
