package report

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// SARIF constants.
const (
	sarifVersion   = "2.1.0"
	sarifSchemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
	// InformationURI is the tool's home page, written as tool.driver.informationUri.
	InformationURI = "https://github.com/cdf-preflight/preflight"
	// srcRoot is the uriBaseId of every file location: the bundle root.
	srcRoot = "%SRCROOT%"
	// fingerprintKey names Preflight's partial fingerprint (versioned, so
	// a change of recipe does not mix with old values).
	fingerprintKey = "preflightFinding/v1"
)

// The SARIF 2.1.0 objects Preflight writes (a subset of the format).
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool               sarifTool                        `json:"tool"`
		OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds"`
		ColumnKind         string                           `json:"columnKind"`
		Results            []sarifResult                    `json:"results"`
		Properties         sarifRunProperties               `json:"properties"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string             `json:"id"`
		ShortDescription     sarifText          `json:"shortDescription"`
		FullDescription      sarifText          `json:"fullDescription"`
		DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
		Properties           sarifRuleProps     `json:"properties"`
	}
	sarifConfiguration struct {
		Level string `json:"level"`
	}
	sarifRuleProps struct {
		Tags []string `json:"tags"`
		// SecuritySeverity is the 0–10 score GitHub code scanning ranks by.
		SecuritySeverity string `json:"security-severity"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             sarifText         `json:"message"`
		Locations           []sarifLocation   `json:"locations"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
		Properties          sarifResultProps  `json:"properties"`
	}
	sarifLocation struct {
		PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
		LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
	}
	sarifPhysicalLocation struct {
		ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
		Region           *sarifRegion          `json:"region,omitempty"`
	}
	sarifArtifactLocation struct {
		URI         string     `json:"uri,omitempty"`
		URIBaseID   string     `json:"uriBaseId,omitempty"`
		Description *sarifText `json:"description,omitempty"`
	}
	sarifRegion struct {
		StartLine   int        `json:"startLine"`
		StartColumn int        `json:"startColumn,omitempty"`
		EndLine     int        `json:"endLine,omitempty"`
		EndColumn   int        `json:"endColumn,omitempty"`
		Snippet     *sarifText `json:"snippet,omitempty"`
	}
	sarifLogicalLocation struct {
		Name               string `json:"name"`
		FullyQualifiedName string `json:"fullyQualifiedName,omitempty"`
		Kind               string `json:"kind"`
	}
	sarifResultProps struct {
		Category     Category     `json:"category"`
		Severity     Severity     `json:"severity"`
		Confidence   Confidence   `json:"confidence,omitempty"`
		Capabilities []Capability `json:"capabilities,omitempty"`
	}
	sarifRunProperties struct {
		SchemaVersion int          `json:"preflightSchemaVersion"`
		Function      *Function    `json:"function,omitempty"`
		Risk          Risk         `json:"risk"`
		Permissions   *Permissions `json:"permissions,omitempty"`
		Required      []Required   `json:"required"`
		Egress        []Egress     `json:"egress"`
		Incomplete    []Incomplete `json:"incomplete"`
	}
)

// sarifLevel maps a severity to a SARIF level: critical and high are
// errors, medium a warning, low and info notes.
func sarifLevel(s Severity) string {
	switch {
	case s >= High:
		return "error"
	case s == Medium:
		return "warning"
	}
	return "note"
}

// securitySeverity is the CVSS-like score GitHub code scanning reads from
// a rule's "security-severity" property.
func securitySeverity(s Severity) string {
	switch s {
	case Critical:
		return "9.5"
	case High:
		return "8.0"
	case Medium:
		return "5.5"
	case Low:
		return "3.0"
	}
	return "0.0"
}

// WriteSARIF writes r as a SARIF 2.1.0 log with one run: a rule per rule id
// found (its first finding gives the description and default level), a
// result per finding located in the bundle relative to %SRCROOT% (findings
// about metadata get a logical location naming the function), and the risk,
// permissions, required capabilities, egress and incomplete parts as run
// properties. Output is deterministic (r is normalized on a copy).
func WriteSARIF(w io.Writer, r *Report) error {
	n := r.normalized()
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: n.Tool.Name, Version: n.Tool.Version,
			InformationURI: InformationURI, Rules: []sarifRule{},
		}},
		OriginalURIBaseIDs: map[string]sarifArtifactLocation{
			srcRoot: {Description: &sarifText{Text: "The root of the function's code bundle."}},
		},
		// Preflight's columns are CPython's (UTF-8 bytes, 1-based); SARIF
		// has no byte columns, and the two agree on ASCII lines.
		ColumnKind: "unicodeCodePoints",
		Results:    make([]sarifResult, 0, len(n.Findings)),
		Properties: sarifRunProperties{
			SchemaVersion: SchemaVersion,
			Function:      n.Function,
			Risk:          n.Risk,
			Permissions:   n.Permissions,
			Required:      n.Required,
			Egress:        n.Egress,
			Incomplete:    n.Incomplete,
		},
	}
	if run.Tool.Driver.Name == "" {
		run.Tool.Driver.Name = "preflight"
	}
	ruleIndex := map[string]int{}
	seen := map[string]int{}
	for _, f := range n.Findings {
		idx, ok := ruleIndex[f.RuleID]
		if !ok {
			idx = len(run.Tool.Driver.Rules)
			ruleIndex[f.RuleID] = idx
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleFor(f))
		}
		res := sarifResult{
			RuleID:    f.RuleID,
			RuleIndex: idx,
			Level:     sarifLevel(f.Severity),
			Message:   sarifText{Text: nonEmpty(f.Message, f.Title, f.RuleID)},
			Locations: []sarifLocation{sarifLocationFor(f, n.Function)},
			Properties: sarifResultProps{
				Category: f.Category, Severity: f.Severity,
				Confidence: f.Confidence, Capabilities: f.Capabilities,
			},
		}
		fp := fingerprint(f)
		seen[fp]++
		res.PartialFingerprints = map[string]string{fingerprintKey: fp + ":" + strconv.Itoa(seen[fp])}
		run.Results = append(run.Results, res)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(sarifLog{Schema: sarifSchemaURI, Version: sarifVersion, Runs: []sarifRun{run}}); err != nil {
		return fmt.Errorf("encode SARIF: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// sarifRuleFor describes f's rule from f.
func sarifRuleFor(f Finding) sarifRule {
	short := nonEmpty(f.Title, f.RuleID)
	tags := []string{"security"}
	if f.Category != "" {
		tags = append(tags, string(f.Category))
	}
	return sarifRule{
		ID:                   f.RuleID,
		ShortDescription:     sarifText{Text: short},
		FullDescription:      sarifText{Text: nonEmpty(f.Remediation, short)},
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(f.Severity)},
		Properties:           sarifRuleProps{Tags: tags, SecuritySeverity: securitySeverity(f.Severity)},
	}
}

// sarifLocationFor places f in the bundle, or — for a finding about the
// function's metadata (no file) — on the function itself.
func sarifLocationFor(f Finding, fn *Function) sarifLocation {
	if f.File == "" {
		name, fq := "function", ""
		if fn != nil {
			name = nonEmpty(fn.ExternalID, fn.Name, name)
			if fn.ID != 0 {
				fq = "functions/" + strconv.FormatInt(fn.ID, 10)
			}
		}
		return sarifLocation{LogicalLocations: []sarifLogicalLocation{{Name: name, FullyQualifiedName: fq, Kind: "resource"}}}
	}
	pl := &sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{URI: escapeURIPath(f.File), URIBaseID: srcRoot}}
	if f.Line > 0 {
		reg := &sarifRegion{StartLine: f.Line}
		if f.Column > 0 {
			reg.StartColumn = f.Column
		}
		if f.EndLine >= f.Line {
			reg.EndLine = f.EndLine
			if f.EndColumn > 0 && (f.EndLine > f.Line || f.EndColumn >= max(f.Column, 1)) {
				reg.EndColumn = f.EndColumn
			}
		}
		if f.Evidence != "" {
			reg.Snippet = &sarifText{Text: f.Evidence}
		}
		pl.Region = reg
	}
	return sarifLocation{PhysicalLocation: pl}
}

// fingerprint identifies a finding across runs independently of its line
// (code moving up or down keeps the fingerprint): rule, file and what was
// found.
func fingerprint(f Finding) string {
	var b []byte
	for _, s := range []string{f.RuleID, f.File, nonEmpty(f.Evidence, f.Message, f.Title)} {
		b = append(b, s...)
		b = append(b, 0)
	}
	sum := sum256(b)
	return hex.EncodeToString(sum[:16])
}

// escapeURIPath percent-encodes what cannot stand in a relative URI
// reference (spaces, '%', '#', '?', ':', non-ASCII, controls), keeping '/'.
func escapeURIPath(p string) string {
	const hexDigits = "0123456789ABCDEF"
	var b []byte
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c > ' ' && c < 0x7f && c != '%' && c != '#' && c != '?' && c != '"' && c != '<' && c != '>' &&
			c != '\\' && c != '^' && c != '`' && c != '{' && c != '|' && c != '}' && c != '[' && c != ']' &&
			c != ':' {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hexDigits[c>>4], hexDigits[c&15])
	}
	return string(b)
}

// nonEmpty returns the first non-empty string.
func nonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
