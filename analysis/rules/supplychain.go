package rules

import (
	_ "embed"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/cdf-preflight/preflight/analysis/report"
	"github.com/cdf-preflight/preflight/analysis/reqs"
	"github.com/cdf-preflight/preflight/analysis/secrets"
)

// SupplyChain reports what the function's requirements.txt makes pip
// install, and from where.
var SupplyChain = &Family{
	Name: "supplychain",
	Doc: "requirements.txt decides what code is installed next to the handler and runs with the caller's " +
		"authority: extra package indexes invite dependency confusion, trusted hosts turn off TLS, VCS and " +
		"URL requirements bypass the index, unpinned versions change under you, and a name one typo away " +
		"from a popular package is a classic way to plant malware.",
	Run: runSupplyChain,
}

// Rule ids of the supply-chain family.
const (
	ruleIndexURL      = "PF-SUPPLY-001" // --index-url replaces PyPI
	ruleExtraIndexURL = "PF-SUPPLY-002" // --extra-index-url adds an index
	ruleTrustedHost   = "PF-SUPPLY-003" // --trusted-host
	ruleFindLinks     = "PF-SUPPLY-004" // -f/--find-links
	ruleVCSReq        = "PF-SUPPLY-005" // git+…, hg+…
	ruleURLReq        = "PF-SUPPLY-006" // name @ https://…/x.whl
	rulePathReq       = "PF-SUPPLY-007" // ./local/path, file://
	ruleUnpinned      = "PF-SUPPLY-008" // no == pin
	ruleTyposquat     = "PF-SUPPLY-009" // a look-alike of a popular name
	ruleUnparseable   = "PF-SUPPLY-010" // pip would fail
	ruleIndexSecret   = "PF-SECRET-003" // credentials inside a URL of requirements.txt
)

// requirementsRoot is the requirements file Cognite Functions install.
const requirementsRoot = "requirements.txt"

func runSupplyChain(pass *Pass) {
	if pass.Bundle.File(requirementsRoot) == nil {
		return
	}
	files := make(map[string][]byte, len(pass.Bundle.Files))
	for _, f := range pass.Bundle.Files {
		files[f.Path] = f.Data
	}
	parsed, problems := reqs.ParseAll(files, requirementsRoot, nil)
	det := pass.Secrets
	if det == nil {
		det = secrets.Default()
	}
	sc := &supplyChecker{pass: pass, det: det, popular: popularSet(pass.Policy.SupplyChain.ExtraPackages)}
	for _, p := range problems {
		sc.unparseable(requirementsRoot, p)
	}
	for _, f := range parsed {
		sc.file(f)
	}
}

type supplyChecker struct {
	pass    *Pass
	det     *secrets.Detector
	counts  map[string]int // findings per file
	popular *popularNames
}

// maxSupplyFindingsPerFile bounds the findings of one requirements file
// (a generated file of thousands of unpinned lines is one problem).
const maxSupplyFindingsPerFile = 200

func (sc *supplyChecker) report(file string, line int, raw string, f report.Finding) {
	if sc.counts == nil {
		sc.counts = map[string]int{}
	}
	if sc.counts[file] >= maxSupplyFindingsPerFile {
		return
	}
	sc.counts[file]++
	f.File, f.Line = file, line
	if raw != "" {
		f.Evidence = clip(redactURLCredentials(strings.TrimSpace(raw)), 200)
	}
	sc.pass.Report(f)
}

func (sc *supplyChecker) file(f *reqs.File) {
	for _, p := range f.Problems {
		sc.unparseable(f.Path, p)
	}
	for _, o := range f.Options {
		sc.option(f, o)
	}
	for _, r := range f.Requirements {
		sc.requirement(f, r)
	}
}

func (sc *supplyChecker) unparseable(file string, p reqs.Problem) {
	sc.report(file, p.Line, "", report.Finding{
		RuleID: ruleUnparseable, Category: report.SupplyChain, Severity: report.Low,
		Confidence: report.ConfidenceHigh,
		Title:      "requirements.txt line pip cannot install",
		Message:    "pip will fail to install: " + redactURLCredentials(clip(p.Msg, 300)),
		Remediation: "Fix the line; a function whose requirements fail to install fails to deploy " +
			"(or keeps running an older build).",
	})
}

// option checks a global option line.
func (sc *supplyChecker) option(f *reqs.File, o reqs.Option) {
	raw := o.Name + " " + o.Value
	switch o.Name {
	case "--index-url", "--extra-index-url":
		sc.credentials(f.Path, o.Line, raw, o.Value)
		host := urlHost(o.Value)
		if isPyPI(host) || sc.indexAllowed(o.Value, host) {
			return
		}
		rule, msg := ruleIndexURL, fmt.Sprintf("installs packages from %s instead of PyPI — every package, and whoever controls that index, decides what code runs", shownHost(host))
		if o.Name == "--extra-index-url" {
			rule, msg = ruleExtraIndexURL, fmt.Sprintf("installs packages from %s as well as PyPI — dependency confusion: pip takes the highest version from either, so a public package with an internal name wins", shownHost(host))
		}
		sev := report.High
		if strings.HasPrefix(strings.ToLower(o.Value), "http://") {
			msg += "; over plain HTTP, so anyone on the path can swap packages"
		}
		sc.report(f.Path, o.Line, raw, report.Finding{
			RuleID: rule, Category: report.SupplyChain, Severity: sev, Confidence: report.ConfidenceHigh,
			Title:   "Package index other than PyPI",
			Message: upperFirst(msg) + ".",
			Remediation: "Install internal packages from one index that mirrors PyPI (or pin every package with " +
				"--hash); if this index is yours, add it to supply_chain.allowed_indexes in the policy.",
		})
	case "--trusted-host":
		sc.report(f.Path, o.Line, raw, report.Finding{
			RuleID: ruleTrustedHost, Category: report.SupplyChain, Severity: report.High,
			Confidence:  report.ConfidenceHigh,
			Title:       "TLS verification disabled for a package host",
			Message:     fmt.Sprintf("--trusted-host %s disables TLS verification for that host: anyone on the network path can replace the packages pip downloads.", shownHost(o.Value)),
			Remediation: "Remove --trusted-host and serve the index over HTTPS with a valid certificate.",
		})
	case "--find-links":
		sc.credentials(f.Path, o.Line, raw, o.Value)
		sev := report.Medium
		msg := fmt.Sprintf("pip also looks for packages at %s, outside the package index", shownLocation(o.Value))
		if strings.HasPrefix(strings.ToLower(o.Value), "http://") {
			sev = report.High
			msg += ", over plain HTTP"
		}
		sc.report(f.Path, o.Line, raw, report.Finding{
			RuleID: ruleFindLinks, Category: report.SupplyChain, Severity: sev, Confidence: report.ConfidenceHigh,
			Title:       "Packages from a find-links location",
			Message:     msg + ".",
			Remediation: "Install from the package index with pinned versions and hashes.",
		})
	}
}

// requirement checks one requirement line.
func (sc *supplyChecker) requirement(f *reqs.File, r reqs.Requirement) {
	switch r.Kind {
	case reqs.KindVCS:
		sc.credentials(f.Path, r.Line, r.Raw, r.URL)
		sev, parts := report.Medium, []string{fmt.Sprintf("%s is installed from a VCS repository at %s, bypassing the package index", nameOr(r), shownHost(urlHost(vcsURL(r.URL))))}
		if !pinnedToCommit(r.URL) {
			parts = append(parts, "not pinned to a full commit SHA, so a push to the repository changes the code that runs")
		}
		if insecureScheme(r.URL) {
			sev = report.High
			parts = append(parts, "fetched without TLS (plain http:// or git://), so anyone on the path can swap it")
		}
		sc.report(f.Path, r.Line, r.Raw, report.Finding{
			RuleID: ruleVCSReq, Category: report.SupplyChain, Severity: sev, Confidence: report.ConfidenceHigh,
			Title:       "Requirement installed from a VCS repository",
			Message:     upperFirst(strings.Join(parts, "; ")) + ".",
			Remediation: "Publish the package to your index, or pin the URL to a full commit SHA (…@<40-hex sha>) over https.",
		})
	case reqs.KindURL:
		sc.credentials(f.Path, r.Line, r.Raw, r.URL)
		sev := report.Medium
		msg := fmt.Sprintf("%s is installed from %s, bypassing the package index", nameOr(r), shownHost(urlHost(r.URL)))
		if insecureScheme(r.URL) {
			sev = report.High
			msg += "; over plain HTTP, so anyone on the path can swap it"
		}
		if len(r.Hashes) == 0 {
			msg += "; no --hash pins its content"
		}
		sc.report(f.Path, r.Line, r.Raw, report.Finding{
			RuleID: ruleURLReq, Category: report.SupplyChain, Severity: sev, Confidence: report.ConfidenceHigh,
			Title:       "Requirement installed from a URL",
			Message:     upperFirst(msg) + ".",
			Remediation: "Install from the package index with a pinned version, or add --hash=sha256:… to the URL requirement.",
		})
	case reqs.KindPath:
		sc.report(f.Path, r.Line, r.Raw, report.Finding{
			RuleID: rulePathReq, Category: report.SupplyChain, Severity: report.Medium, Confidence: report.ConfidenceHigh,
			Title:       "Requirement installed from a local path",
			Message:     fmt.Sprintf("%s is installed from the path %s: its code is whatever is at that path when the function is built.", nameOr(r), clip(r.URL, 120)),
			Remediation: "Make sure the path is inside the reviewed bundle; prefer a versioned package.",
		})
	case reqs.KindName:
		if f.Constraint {
			return // constraints install nothing
		}
		if target, cognite, ok := sc.popular.typosquatOf(r.Canonical); ok {
			sev := report.Medium
			if cognite {
				sev = report.High
			}
			sc.report(f.Path, r.Line, r.Raw, report.Finding{
				RuleID: ruleTyposquat, Category: report.SupplyChain, Severity: sev, Confidence: report.ConfidenceMedium,
				Title:   "Possible typosquat of a popular package",
				Message: fmt.Sprintf("%s is one typo away from the popular package %s — look-alike names are a common way to plant malware.", clip(r.Name, 80), target),
				Remediation: fmt.Sprintf("If you meant %s, fix the name; otherwise check who publishes %s before installing it.",
					target, clip(r.Name, 80)),
			})
		}
		if sc.pass.Policy.SupplyChain.FlagUnpinned && !r.Pinned && len(r.Hashes) == 0 {
			sc.report(f.Path, r.Line, r.Raw, report.Finding{
				RuleID: ruleUnpinned, Category: report.SupplyChain, Severity: report.Low, Confidence: report.ConfidenceHigh,
				Title:       "Unpinned requirement",
				Message:     fmt.Sprintf("%s is not pinned to one version (==): a new release, or a hijacked one, changes the code that runs at the next deployment.", clip(r.Name, 80)),
				Remediation: "Pin it with ==, ideally with --hash (pip-compile --generate-hashes).",
			})
		}
	}
}

// credentials reports a password or token inside a URL of requirements.txt
// as a hard-coded secret.
func (sc *supplyChecker) credentials(file string, line int, raw, rawURL string) {
	secret := urlSecret(sc.det, rawURL)
	if secret == "" {
		return
	}
	sc.pass.Sensitive(secret)
	sev := report.High
	if ms := sc.det.ScanValue(secret); len(ms) > 0 && ms[0].Critical() {
		sev = report.Critical
	}
	sc.report(file, line, raw, report.Finding{
		RuleID: ruleIndexSecret, Category: report.HardcodedSecret, Severity: sev, Confidence: report.ConfidenceHigh,
		Title:   "Credentials in requirements.txt",
		Message: fmt.Sprintf("A URL in %s carries a password or token (%s): anyone who can read the function's code can use it.", file, secrets.Redact(secret)),
		Remediation: "Remove the credentials from the URL: use a read-only index that needs none, or pass them " +
			"to the build through the index's own configuration, and rotate this one.",
	})
}

// urlSecret returns the secret part of a URL's userinfo: the password, or
// a lone user name that is a token (https://<token>@host), or "" when the
// URL has none or it is a placeholder (${TOKEN}).
func urlSecret(det *secrets.Detector, raw string) string {
	m := userinfoRE.FindStringSubmatch(raw)
	if m == nil {
		return ""
	}
	info := m[1]
	secret := info
	if _, pass, ok := strings.Cut(info, ":"); ok {
		if pass == "" {
			return ""
		}
		secret = pass
	} else if len(info) < 16 && !strings.HasPrefix(info, "ghp_") && !strings.HasPrefix(info, "glpat-") {
		return "" // a plain user name (git@…, user@…)
	}
	if dec, err := url.PathUnescape(secret); err == nil {
		secret = dec
	}
	if strings.Contains(secret, "${") || strings.HasPrefix(secret, "$") || det.IsPlaceholder(secret) {
		return ""
	}
	return secret
}

var userinfoRE = regexp.MustCompile(`://([^/@\s?#]+)@`)

// redactURLCredentials hides the userinfo secrets of every URL in s.
func redactURLCredentials(s string) string {
	return userinfoRE.ReplaceAllStringFunc(s, func(m string) string {
		info := m[3 : len(m)-1]
		if user, pass, ok := strings.Cut(info, ":"); ok {
			return "://" + user + ":" + secrets.Redact(pass) + "@"
		}
		if len(info) >= 16 || strings.HasPrefix(info, "ghp_") || strings.HasPrefix(info, "glpat-") {
			return "://" + secrets.Redact(info) + "@"
		}
		return m
	})
}

// urlHost returns the host of a URL (without credentials and port), or ""
// for something that is not a URL.
func urlHost(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		// scp-like git@host:path or a malformed URL: best effort.
		if m := hostRE.FindStringSubmatch(raw); m != nil {
			return strings.ToLower(m[1])
		}
		return ""
	}
	return strings.ToLower(u.Hostname())
}

var hostRE = regexp.MustCompile(`(?:://|@)(?:[^/@\s]*@)?([A-Za-z0-9.-]+)`)

// vcsURL strips the "git+" style prefix of a VCS URL.
func vcsURL(u string) string {
	if i := strings.Index(u, "+"); i > 0 && i < 5 {
		return u[i+1:]
	}
	return u
}

func isPyPI(host string) bool {
	return host == "pypi.org" || host == "pypi.python.org" || host == "files.pythonhosted.org"
}

// indexAllowed matches an index URL (without credentials) or its host
// against the policy's allowed_indexes globs.
func (sc *supplyChecker) indexAllowed(rawURL, host string) bool {
	clean := strings.TrimRight(redactAllUserinfo(rawURL), "/")
	for _, g := range sc.pass.Policy.SupplyChain.AllowedIndexes {
		g = strings.TrimRight(strings.TrimSpace(g), "/")
		if g == "" {
			continue
		}
		if ok, _ := path.Match(g, clean); ok {
			return true
		}
		if ok, _ := path.Match(strings.ToLower(g), host); ok {
			return true
		}
		if strings.HasPrefix(clean, g+"/") && !strings.ContainsAny(g, "*?[") {
			return true
		}
	}
	return false
}

func redactAllUserinfo(s string) string { return userinfoRE.ReplaceAllString(s, "://") }

// pinnedToCommit reports whether a VCS URL names a full commit SHA after
// its last "@" in the path (git+https://host/org/repo.git@<sha>#egg=x).
func pinnedToCommit(u string) bool {
	u = vcsURL(u)
	if i := strings.IndexAny(u, "#?"); i >= 0 {
		u = u[:i]
	}
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	slash := strings.IndexByte(u, '/')
	if slash < 0 {
		return false
	}
	p := u[slash:]
	at := strings.LastIndexByte(p, '@')
	if at < 0 {
		return false
	}
	return shaRE.MatchString(p[at+1:])
}

var shaRE = regexp.MustCompile(`^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$`)

func insecureScheme(u string) bool {
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "git://") || strings.HasPrefix(l, "git+http://") || strings.HasPrefix(l, "git+git://")
}

func nameOr(r reqs.Requirement) string {
	if r.Name != "" {
		return clip(r.Name, 80)
	}
	return "A package"
}

func shownHost(h string) string {
	if h == "" {
		return "an unknown host"
	}
	return clip(plainText(h, 100), 100)
}

func shownLocation(v string) string {
	if h := urlHost(v); h != "" {
		return shownHost(h)
	}
	return clip(plainText(v, 100), 100)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Popular package names (typosquat targets).

//go:embed popular.txt
var popularTxt string

// cognitePrefixes mark the Cognite packages: a look-alike of one targets CDF users.
var cognitePrefixes = []string{"cognite-", "cdf-", "indsl"}

type popularNames struct {
	names []popularName
	set   map[string]bool
}

// popularName is a popular package with the forms a look-alike may take of
// it: strong forms (words reordered or joined, "py" ↔ "python") are a
// typosquat even when equal; weak forms (a "python"/"py" word dropped) only
// at one edit, since "kafka" or "nmap" may be a project of its own.
type popularName struct {
	name         string
	strong, weak []string
}

var (
	popularOnce sync.Once
	popularBase []popularName
	// popularShared is popularBase as a set, shared (read-only) by every
	// run without extra names
	popularShared *popularNames
)

func newPopularName(n string) popularName {
	strong, weak := confusedForms(n)
	return popularName{name: n, strong: strong, weak: weak}
}

// popularSet returns the embedded popular names plus extra (canonicalised).
func popularSet(extra []string) *popularNames {
	popularOnce.Do(func() {
		seen := map[string]bool{}
		for _, l := range strings.Split(popularTxt, "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
				if n := reqs.Canonical(l); !seen[n] {
					seen[n] = true
					popularBase = append(popularBase, newPopularName(n))
				}
			}
		}
		popularShared = &popularNames{names: popularBase, set: make(map[string]bool, len(popularBase))}
		for _, n := range popularBase {
			popularShared.set[n.name] = true
		}
	})
	if len(extra) == 0 {
		return popularShared
	}
	p := &popularNames{set: make(map[string]bool, len(popularBase)+len(extra))}
	p.names = append(p.names, popularBase...)
	for _, n := range popularBase {
		p.set[n.name] = true
	}
	for _, n := range extra {
		if len(p.set) > 100000 {
			break
		}
		n = reqs.Canonical(strings.TrimSpace(n))
		if n != "" && len(n) <= 100 && !p.set[n] {
			p.set[n] = true
			p.names = append(p.names, newPopularName(n))
		}
	}
	return p
}

// minTyposquatLen: names shorter than this are too close to too many
// others for a one-edit test to mean anything ("six"/"sip", "dash"/"dask").
const minTyposquatLen = 5

// typosquatOf returns the popular package name (canonical) is a look-alike
// of: one edit (insertion, deletion, substitution or adjacent swap) away,
// or equal after the confusions typosquatters use — "-" moved or dropped,
// "python-" / "-python" / "py" added, removed or swapped, words reordered.
// A name on the popular list itself is never a typosquat.
func (p *popularNames) typosquatOf(name string) (target string, cognite bool, ok bool) {
	if name == "" || p.set[name] || len(name) > 100 {
		return "", false, false
	}
	strong, weak := confusedForms(name)
	forms := append(append([]string{name}, strong...), weak...)
	near := func(a, b string) bool {
		return len(a) >= minTyposquatLen && len(b) >= minTyposquatLen && oneEdit(a, b)
	}
	for _, pop := range p.names {
		hit := false
		for _, f := range forms {
			if f == pop.name || near(f, pop.name) {
				hit = true
				break
			}
		}
		for _, g := range pop.strong {
			if hit || name == g || near(name, g) {
				hit = true
				break
			}
		}
		for _, g := range pop.weak {
			if hit || near(name, g) {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		for _, c := range cognitePrefixes {
			if strings.HasPrefix(pop.name, c) {
				cognite = true
			}
		}
		return pop.name, cognite, true
	}
	return "", false, false
}

// confusedForms returns the other forms of name a confusion gives: strong
// ones (without "-", "py" ↔ "python" swapped, words reordered — up to 3
// words — and joined) and weak ones (a "python"/"py" word dropped).
func confusedForms(name string) (strong, weak []string) {
	seen := map[string]bool{name: true}
	add := func(list *[]string, s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			*list = append(*list, s)
		}
	}
	terms := strings.Split(name, "-")
	if len(terms) > 6 {
		return nil, nil
	}
	add(&strong, strings.Join(terms, ""))
	for i, t := range terms {
		alt := append([]string(nil), terms...)
		switch {
		case t == "python" || t == "py":
			add(&weak, strings.Join(append(alt[:i:i], terms[i+1:]...), "-"))
			other := "py"
			if t == "py" {
				other = "python"
			}
			alt[i] = other
			add(&strong, strings.Join(alt, "-"))
			if i == 0 && len(terms) > 1 {
				add(&strong, other+strings.Join(terms[1:], "-"))
			}
		case strings.HasPrefix(t, "python") && len(t) > 6:
			alt[i] = "py" + t[6:]
			add(&strong, strings.Join(alt, "-"))
			alt[i] = t[6:]
			add(&weak, strings.Join(alt, "-"))
		case strings.HasPrefix(t, "py") && len(t) > 2 && i == 0:
			alt[i] = "python-" + t[2:]
			add(&strong, strings.Join(alt, "-"))
		}
	}
	var perms [][]string
	switch len(terms) {
	case 2:
		perms = [][]string{{terms[1], terms[0]}}
	case 3:
		for _, p := range [][3]int{{0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}} {
			perms = append(perms, []string{terms[p[0]], terms[p[1]], terms[p[2]]})
		}
	}
	for _, p := range perms {
		add(&strong, strings.Join(p, "-"))
		add(&strong, strings.Join(p, ""))
	}
	return strong, weak
}

// oneEdit reports whether a and b differ by exactly one insertion,
// deletion, substitution or swap of adjacent characters
// (Damerau-Levenshtein distance 1).
func oneEdit(a, b string) bool {
	if a == b {
		return false
	}
	la, lb := len(a), len(b)
	if la > lb {
		a, b, la, lb = b, a, lb, la
	}
	if lb-la > 1 {
		return false
	}
	i := 0
	for i < la && a[i] == b[i] {
		i++
	}
	if la == lb {
		if a[i+1:] == b[i+1:] {
			return true // substitution
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:] // adjacent swap
	}
	return a[i:] == b[i+1:] // insertion into a
}
