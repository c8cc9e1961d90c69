package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// TextOptions configures WriteText.
type TextOptions struct {
	// Color adds ANSI colours (for a terminal).
	Color bool
	// Source returns line `line` (1-based) of file, without its newline, or
	// "" when unknown; nil shows each finding's evidence instead.
	Source func(file string, line int) string
}

// ANSI styles.
const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiDim     = "\x1b[2m"
	ansiRed     = "\x1b[31m"
	ansiBoldRed = "\x1b[1;31m"
	ansiYellow  = "\x1b[33m"
	ansiCyan    = "\x1b[36m"
	ansiMagenta = "\x1b[1;35m"
	ansiGreen   = "\x1b[32m"
)

// severityStyle is the colour of each severity.
var severityStyle = [...]string{Info: ansiDim, Low: ansiCyan, Medium: ansiYellow, High: ansiRed, Critical: ansiBoldRed}

// riskStyle is the colour of each risk level.
var riskStyle = map[RiskLevel]string{
	RiskNone: ansiGreen, RiskLow: ansiCyan, RiskMedium: ansiYellow,
	RiskHigh: ansiRed, RiskCritical: ansiBoldRed, RiskUnknown: ansiMagenta,
}

// textWriter holds the state of one WriteText.
type textWriter struct {
	w      *bufio.Writer
	opt    TextOptions
	hidden []string // values to redact in source lines
}

// WriteText writes r for people: a header (function, risk, the caller's
// permissions), the findings grouped by severity (critical first) each with
// its place, the code line under it with the column range underlined, and
// the remediation; then the required capabilities, the egress hosts and what
// was not analysed. An unknown risk reads "UNKNOWN — could not be analysed",
// never like a pass. Every string from the report or the source is shown
// with control and bidirectional-override characters escaped, so hostile
// code cannot drive the terminal; source lines are redacted with the values
// given to RedactValues.
func WriteText(w io.Writer, r *Report, opt TextOptions) error {
	n := r.normalized()
	t := &textWriter{w: bufio.NewWriter(w), opt: opt, hidden: r.redacted}
	t.header(n)
	t.findings(n.Findings)
	t.required(n.Required)
	t.egress(n.Egress)
	t.incomplete(n.Incomplete)
	return t.w.Flush()
}

// paint wraps s in an ANSI style when colour is on.
func (t *textWriter) paint(style, s string) string {
	if !t.opt.Color || style == "" || s == "" {
		return s
	}
	return style + s + ansiReset
}

func (t *textWriter) printf(format string, args ...any) { fmt.Fprintf(t.w, format, args...) }

// header writes the function, the verdict and the caller's permissions.
func (t *textWriter) header(r *Report) {
	tool := nonEmpty(r.Tool.Name, "preflight")
	if r.Tool.Version != "" {
		tool += " " + r.Tool.Version
	}
	t.printf("%s\n", t.paint(ansiBold, "Preflight report")+t.paint(ansiDim, " ("+clean(tool)+")"))
	if f := r.Function; f != nil {
		name := nonEmpty(f.Name, f.ExternalID, "(unnamed)")
		var ids []string
		if f.ExternalID != "" && f.ExternalID != name {
			ids = append(ids, "externalId "+clean(f.ExternalID))
		}
		if f.ID != 0 {
			ids = append(ids, "id "+strconv.FormatInt(f.ID, 10))
		}
		line := "Function: " + t.paint(ansiBold, clean(name))
		if len(ids) > 0 {
			line += " (" + strings.Join(ids, ", ") + ")"
		}
		t.printf("%s\n", line)
		t.printf("Owner:    %s\n", clean(nonEmpty(f.Owner, "(not recorded)")))
	}

	level := r.Risk.Level
	var verdict string
	switch level {
	case RiskNone, RiskLow, RiskMedium, RiskHigh, RiskCritical:
		verdict = t.paint(riskStyle[level], strings.ToUpper(string(level))) +
			fmt.Sprintf(" (score %d/100)", r.Risk.Score)
		if r.Risk.Summary != "" {
			verdict += " — " + clean(r.Risk.Summary)
		}
	default: // unknown, empty or unrecognised: never looks like a pass
		verdict = t.paint(riskStyle[RiskUnknown], "UNKNOWN") + " — could not be analysed"
		if r.Risk.Summary != "" {
			verdict += ": " + clean(r.Risk.Summary)
		}
	}
	t.printf("Risk:     %s\n", verdict)

	if p := r.Permissions; p != nil {
		t.printf("You:      %s in project %s", t.paint(ansiBold, clean(nonEmpty(p.Level, "unknown"))), clean(p.Project))
		if !p.CanCall {
			t.printf(" — %s", t.paint(ansiYellow, "you cannot call this function"))
		}
		t.printf("\n")
		for _, reason := range p.Reasons {
			t.printf("          %s\n", clean(reason))
		}
		if len(p.Excess) > 0 {
			t.printf("          the function runs with %d capabilit%s of yours it does not need: %s\n",
				len(p.Excess), plural(len(p.Excess), "y", "ies"), clean(strings.Join(p.Excess, ", ")))
		}
		if len(p.Missing) > 0 {
			t.printf("          you lack %d capabilit%s the code needs: %s\n",
				len(p.Missing), plural(len(p.Missing), "y", "ies"), clean(strings.Join(p.Missing, ", ")))
		}
		for _, l := range p.Limited {
			t.printf("          only in some places: %s\n", clean(l))
		}
	}
}

// findings writes the findings, most severe group first.
func (t *textWriter) findings(fs []Finding) {
	if len(fs) == 0 {
		t.printf("\nNo findings.\n")
		return
	}
	var counts []string
	for sev := Critical; sev >= Info; sev-- {
		var group []Finding
		for _, f := range fs {
			if f.Severity == sev || (sev == Info && !f.Severity.Valid()) {
				group = append(group, f)
			}
		}
		if len(group) == 0 {
			continue
		}
		counts = append(counts, fmt.Sprintf("%d %s", len(group), sev))
		t.printf("\n%s\n", t.paint(severityStyle[sev], fmt.Sprintf("── %s (%d) ──", strings.ToUpper(sev.String()), len(group))))
		for i, f := range group {
			if i > 0 {
				t.printf("\n")
			}
			t.finding(f)
		}
	}
	t.printf("\n%d finding%s: %s\n", len(fs), plural(len(fs), "", "s"), strings.Join(counts, ", "))
}

// finding writes one finding: headline, place and message, code, remediation.
func (t *textWriter) finding(f Finding) {
	sev := strings.ToUpper(f.Severity.String())
	if !f.Severity.Valid() {
		sev = "INFO"
	}
	t.printf("%s  %s  %s\n", t.paint(severityStyle[max(min(f.Severity, Critical), Info)], fmt.Sprintf("%-8s", sev)),
		clean(f.RuleID), t.paint(ansiBold, clean(f.Title)))
	place := "(function metadata)"
	if f.File != "" {
		place = clean(f.File)
		if f.Line > 0 {
			place += ":" + strconv.Itoa(f.Line)
			if f.Column > 0 {
				place += ":" + strconv.Itoa(f.Column)
			}
		}
	}
	t.printf("  %s  %s\n", t.paint(ansiCyan, place), clean(f.Message))
	t.code(f)
	if f.Remediation != "" {
		t.printf("  Fix: %s\n", clean(f.Remediation))
	}
}

// code writes the finding's source line with its column range underlined,
// or its evidence when the source is not available.
func (t *textWriter) code(f Finding) {
	if f.Line <= 0 {
		if f.Evidence != "" {
			t.printf("         | %s\n", clean(f.Evidence))
		}
		return
	}
	var src string
	if t.opt.Source != nil && f.File != "" {
		src = strings.TrimRight(t.opt.Source(f.File, f.Line), "\r\n")
	}
	if src == "" {
		if f.Evidence != "" {
			t.printf("%6d | %s\n", f.Line, clean(f.Evidence))
		}
		return
	}
	if red := redactIn(src, t.hidden); red != src {
		// The line held a secret: show it redacted, without an underline
		// (its columns no longer match).
		t.printf("%6d | %s\n", f.Line, cleanCode(red))
		return
	}
	if f.Evidence == "" || strings.TrimSpace(src) != f.Evidence {
		// The engine's evidence is the line trimmed, with every secret it
		// knows redacted — whichever engine made the report (a report read
		// back from JSON, e.g. from the WASI engine, carries no list of
		// secret values). A raw line that differs from it may hold a secret:
		// show the evidence instead, without an underline.
		if f.Evidence != "" {
			t.printf("%6d | %s\n", f.Line, clean(f.Evidence))
		}
		return
	}
	t.printf("%6d | %s\n", f.Line, cleanCode(src))
	if f.Column <= 0 || f.Column-1 > len(src) {
		return
	}
	start := f.Column - 1
	end := start + 1
	switch {
	case f.EndLine > f.Line:
		end = len(strings.TrimRight(src, " \t"))
	case f.EndLine == f.Line && f.EndColumn > f.Column:
		end = f.EndColumn - 1
	}
	end = min(max(end, start+1), len(src))
	var pad strings.Builder
	for _, c := range src[:start] {
		if c == '\t' {
			pad.WriteByte('\t')
		} else {
			pad.WriteString(strings.Repeat(" ", displayWidth(c)))
		}
	}
	width := 0
	for _, c := range src[start:end] {
		width += displayWidth(c)
	}
	t.printf("       | %s%s\n", pad.String(), t.paint(ansiBoldRed, strings.Repeat("^", max(width, 1))))
}

// required lists the capabilities the code needs.
func (t *textWriter) required(req []Required) {
	if len(req) == 0 {
		return
	}
	t.printf("\n%s\n", t.paint(ansiBold, fmt.Sprintf("Required capabilities (%d)", len(req))))
	for _, q := range req {
		line := fmt.Sprintf("  %-24s %s", clean(q.ACL+":"+q.Action), t.paint(ansiCyan, clean(q.File)+":"+strconv.Itoa(q.Line)))
		if q.Call != "" {
			line += "  " + clean(q.Call)
		}
		t.printf("%s\n", line)
	}
}

// egress lists the outbound destinations.
func (t *textWriter) egress(eg []Egress) {
	if len(eg) == 0 {
		return
	}
	t.printf("\n%s\n", t.paint(ansiBold, fmt.Sprintf("Network egress (%d)", len(eg))))
	for _, e := range eg {
		host := e.Host
		if host == "" {
			host = "(host not known)"
		}
		line := fmt.Sprintf("  %-24s %s", clean(host), t.paint(ansiCyan, clean(e.File)+":"+strconv.Itoa(e.Line)))
		if e.URL != "" {
			line += "  " + clean(e.URL)
		}
		t.printf("%s\n", line)
	}
}

// incomplete lists what was not (fully) analysed.
func (t *textWriter) incomplete(inc []Incomplete) {
	if len(inc) == 0 {
		return
	}
	t.printf("\n%s\n", t.paint(ansiMagenta, fmt.Sprintf("Not fully analysed (%d)", len(inc))))
	for _, i := range inc {
		t.printf("  %s  %s\n", t.paint(ansiCyan, clean(nonEmpty(i.File, "(bundle)"))), clean(i.Reason))
	}
}

// clean makes an untrusted string safe to print on one terminal line:
// control characters (including newlines and ESC), DEL, C1 controls and
// the bidirectional formatting characters of "Trojan Source" are shown as
// \x.. or \u.... escapes, and invalid UTF-8 as \x.. bytes.
func clean(s string) string { return escapeText(s, false) }

// cleanCode is clean for a source line: tabs stay (they align the underline).
func cleanCode(s string) string { return escapeText(s, true) }

func escapeText(s string, keepTab bool) string {
	safe := true
	for _, c := range s {
		if needsEscape(c) && !(keepTab && c == '\t') {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case keepTab && c == '\t':
			b.WriteByte('\t')
		case needsEscape(c) && c < 0x100:
			fmt.Fprintf(&b, `\x%02x`, c)
		case needsEscape(c):
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteRune(c)
		}
		i += size
	}
	return b.String()
}

// needsEscape reports whether c must not reach a terminal as is.
func needsEscape(c rune) bool {
	switch {
	case c < 0x20, c == 0x7f, c >= 0x80 && c < 0xa0:
		return true
	case c == utf8.RuneError:
		return true
	case c >= 0x202a && c <= 0x202e, c >= 0x2066 && c <= 0x2069, c == 0x200e, c == 0x200f, c == 0x061c:
		return true
	}
	return false
}

// displayWidth approximates the columns a rune takes: 2 for East Asian
// wide characters and emoji, 1 otherwise.
func displayWidth(c rune) int {
	switch {
	case c >= 0x1100 && c <= 0x115f, c >= 0x2e80 && c <= 0xa4cf, c >= 0xac00 && c <= 0xd7a3,
		c >= 0xf900 && c <= 0xfaff, c >= 0xfe30 && c <= 0xfe4f, c >= 0xff00 && c <= 0xff60,
		c >= 0xffe0 && c <= 0xffe6, c >= 0x1f300 && c <= 0x1faff, c >= 0x20000 && c <= 0x3fffd:
		return 2
	}
	return 1
}

// plural picks the singular or plural ending.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
