package rules

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"unicode"

	"github.com/cdf-preflight/preflight/analysis/report"
	"github.com/cdf-preflight/preflight/analysis/secrets"
)

// Metadata reports secrets in the function object's plain-text fields and
// where the function came from (Toolkit deployment, owner).
var Metadata = &Family{
	Name: "metadata",
	Doc: "Environment variables, metadata, the name and the description of a function are stored and " +
		"returned in plain text to anyone with functions:read; only function secrets are protected. " +
		"Functions deployed by Cognite Toolkit from CI/CD carry a hash fingerprint in their metadata; " +
		"functions deployed by hand, without an owner or by an owner outside your trusted list deserve " +
		"a closer look.",
	Run: runMetadata,
}

// Rule ids of the metadata family.
const (
	ruleEnvVarSecret      = "PF-CONFIG-001" // envVars value is a secret
	ruleMetadataSecret    = "PF-CONFIG-002" // metadata value is a secret
	ruleDescriptionSecret = "PF-CONFIG-003" // name or description holds a secret
	ruleToolkitDeployed   = "PF-PROV-001"   // Toolkit fingerprint present (info)
	ruleManualDeploy      = "PF-PROV-002"   // no Toolkit fingerprint
	ruleNoOwner           = "PF-PROV-003"   // owner empty
	ruleUntrustedOwner    = "PF-PROV-004"   // owner not in the trusted list
)

// metadataFile is the File of findings about the function object.
const metadataFile = "function.json"

const configSecretRemediation = "Move the value to the function's secrets (encrypted, passed to handle as " +
	"the secrets argument), rotate it, and redeploy without it."

func runMetadata(pass *Pass) {
	fn := pass.Function
	if fn == nil {
		return
	}
	det := pass.Secrets
	if det == nil {
		det = secrets.Default()
	}
	var env, meta []configSecret
	for _, k := range sortedKeys(fn.EnvVars) {
		env = append(env, judgeConfigValue(det, k, fn.EnvVars[k])...)
	}
	for _, k := range sortedKeys(fn.Metadata) {
		if isToolkitKey(k) {
			continue // Toolkit's hashes: hex digests, not secrets
		}
		meta = append(meta, judgeConfigValue(det, k, fn.Metadata[k])...)
	}
	reportConfigSecrets(pass, ruleEnvVarSecret, "env var", "envVars", env,
		"env vars are readable by anyone with functions:read; use function secrets")
	reportConfigSecrets(pass, ruleMetadataSecret, "metadata key", "metadata", meta,
		"metadata is readable by anyone with functions:read; use function secrets")
	for _, field := range []struct{ name, value string }{{"name", fn.Name}, {"description", fn.Description}} {
		var found []configSecret
		for _, m := range det.ScanValue(field.value) {
			found = append(found, configSecret{name: field.name, m: m})
		}
		reportConfigSecrets(pass, ruleDescriptionSecret, "the function's", field.name, found,
			"it is shown to anyone with functions:read")
	}
	provenance(pass)
}

// configSecret is a secret found in a name = value field of the function.
type configSecret struct {
	name string
	m    secrets.Match
}

// judgeConfigValue judges one name = value pair of envVars or metadata: a
// recognised secret, or a secret-like name with a real value.
func judgeConfigValue(det *secrets.Detector, name, value string) []configSecret {
	var out []configSecret
	ms := det.ScanAssignment(name, value)
	if len(ms) == 0 && secrets.IsSecretName(name) && !det.IsPlaceholder(value) {
		ms = []secrets.Match{{RuleID: "secret-name", Description: "secret", Secret: value, End: len(value)}}
	}
	for _, m := range ms {
		out = append(out, configSecret{name: name, m: m})
	}
	return out
}

// reportConfigSecrets reports the secrets of one field of the function
// object as one finding (the object has no lines to tell them apart).
func reportConfigSecrets(pass *Pass, rule, what, field string, found []configSecret, why string) {
	if len(found) == 0 {
		return
	}
	sev, conf := report.Info, report.ConfidenceHigh
	var parts, evidence []string
	for _, c := range found {
		pass.Sensitive(c.m.Secret)
		if s := secretSeverity(c.m); s > sev {
			sev = s
		}
		if c.m.RuleID == "secret-name" || c.m.RuleID == "generic-secret" {
			conf = report.ConfidenceMedium
		}
		shown := plainText(c.name, 64)
		desc := "a secret"
		if c.m.RuleID != "secret-name" && c.m.RuleID != "generic-secret" {
			desc = "a " + c.m.Description
		}
		parts = append(parts, fmt.Sprintf("%s %s holds %s in plain text (%s)", what, shown, desc, secrets.Redact(c.m.Secret)))
		evidence = append(evidence, fmt.Sprintf("%s.%s = %q", field, shown, secrets.Redact(c.m.Secret)))
	}
	if field == "name" || field == "description" {
		evidence = []string{field + ": " + strings.Join(redactedAll(found), ", ")}
	}
	pass.Report(report.Finding{
		RuleID:      rule,
		Category:    report.PlaintextConfigSecret,
		Severity:    sev,
		Confidence:  conf,
		Title:       "Secret in plain text in " + field,
		Message:     strings.Join(parts, "; ") + " — " + why + ".",
		File:        metadataFile,
		Evidence:    clip(strings.Join(evidence, "; "), 200),
		Remediation: configSecretRemediation,
	})
}

func redactedAll(found []configSecret) []string {
	var out []string
	for _, c := range found {
		out = append(out, secrets.Redact(c.m.Secret))
	}
	return out
}

// isToolkitKey reports whether a metadata key is one Cognite Toolkit writes
// ("cognite-toolkit-hash", "cdf-toolkit-secret-hash", …).
func isToolkitKey(k string) bool {
	k = strings.ToLower(k)
	return strings.HasPrefix(k, "cognite-toolkit-") || strings.HasPrefix(k, "cdf-toolkit-")
}

// provenance reports how the function was deployed and by whom.
func provenance(pass *Pass) {
	fn := pass.Function
	var toolkitKey string
	for _, k := range sortedKeys(fn.Metadata) {
		if isToolkitKey(k) {
			toolkitKey = k
			break
		}
	}
	prov := pass.Policy.Provenance
	if toolkitKey != "" {
		pass.Report(report.Finding{
			RuleID: ruleToolkitDeployed, Category: report.Provenance, Severity: report.Info,
			Confidence: report.ConfidenceHigh,
			Title:      "Deployed by Cognite Toolkit (CI/CD)",
			Message:    fmt.Sprintf("Deployed by Cognite Toolkit (CI/CD): its metadata carries the Toolkit fingerprint %s.", plainText(toolkitKey, 40)),
			File:       metadataFile,
		})
	} else {
		// Info unless the policy asks for Toolkit: most functions are
		// deployed with the SDK, and a warning on each would be noise.
		sev, why := report.Info, ""
		if prov.RequireToolkit {
			sev, why = report.Medium, " Your policy requires functions to be deployed by Cognite Toolkit."
		}
		pass.Report(report.Finding{
			RuleID: ruleManualDeploy, Category: report.Provenance, Severity: sev,
			Confidence: report.ConfidenceMedium,
			Title:      "Deployed by hand (no Toolkit fingerprint)",
			Message: "Deployed by hand (no Toolkit fingerprint): the code did not come through a reviewed " +
				"CI/CD deployment, so nobody may have reviewed it." + why,
			File:        metadataFile,
			Remediation: "Check who deployed it and where its code comes from; deploy functions with Cognite Toolkit from a reviewed repository.",
		})
	}
	owner := strings.TrimSpace(fn.Owner)
	switch {
	case owner == "":
		sev := report.Low
		msg := "The function has no owner: nobody is accountable for its code."
		if len(prov.TrustedOwners) > 0 {
			sev = report.Medium
			msg += " It cannot match your trusted owners."
		}
		pass.Report(report.Finding{
			RuleID: ruleNoOwner, Category: report.Provenance, Severity: sev, Confidence: report.ConfidenceHigh,
			Title: "No owner", Message: msg, File: metadataFile,
			Remediation: "Find out who deployed the function before running it; set owner when deploying.",
		})
	case len(prov.TrustedOwners) > 0 && !ownerTrusted(owner, prov.TrustedOwners):
		pass.Report(report.Finding{
			RuleID: ruleUntrustedOwner, Category: report.Provenance, Severity: report.Medium,
			Confidence: report.ConfidenceHigh,
			Title:      "Owner not trusted",
			Message:    fmt.Sprintf("The owner %s is not in your trusted owners.", plainText(owner, 80)),
			File:       metadataFile,
			Evidence:   "owner: " + plainText(owner, 80),
			Remediation: "Run it only if you know and trust this owner; owners are set by whoever deploys " +
				"the function and are not verified by CDF.",
		})
	}
}

// ownerTrusted matches an owner against glob patterns, case-insensitively
// ("*@acme.com"). A malformed pattern matches nothing.
func ownerTrusted(owner string, patterns []string) bool {
	owner = strings.ToLower(owner)
	for _, p := range patterns {
		if ok, err := path.Match(strings.ToLower(strings.TrimSpace(p)), owner); err == nil && ok {
			return true
		}
	}
	return false
}

// plainText makes an untrusted CDF string safe to show inside a message:
// control and format characters (newlines, bidi overrides) removed, cut to
// max runes.
func plainText(s string, max int) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		if n == max {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
