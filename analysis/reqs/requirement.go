package reqs

import (
	"fmt"
	"regexp"
	"strings"
)

// vcsNames are pip's version-control backends, in pip's registry order.
var vcsNames = []string{"bzr", "git", "hg", "svn"}

// vcsSchemes are the URL schemes pip's backends accept.
var vcsSchemes = []string{
	"bzr+http", "bzr+https", "bzr+ssh", "bzr+sftp", "bzr+ftp", "bzr+lp", "bzr+file",
	"git+http", "git+https", "git+ssh", "git+git", "git+file",
	"hg+file", "hg+http", "hg+https", "hg+ssh", "hg+static-http",
	"svn+ssh", "svn+http", "svn+https", "svn+svn", "svn+file",
}

// urlScheme is pip's get_url_scheme: the text before the first ":",
// lowercased ("" when there is no ":").
func urlScheme(s string) string {
	scheme, _, ok := strings.Cut(s, ":")
	if !ok {
		return ""
	}
	return strings.ToLower(scheme)
}

func isVCSScheme(scheme string) bool {
	for _, v := range vcsSchemes {
		if v == scheme {
			return true
		}
	}
	return false
}

// isURL is pip's is_url: a scheme pip can fetch from. "git://" alone is
// also taken as a (VCS) URL here: pip only accepts it after -e, but a user
// who writes it means a git repository, and rules need to see it.
func isURL(s string) bool {
	switch scheme := urlScheme(s); scheme {
	case "http", "https", "file", "ftp", "git":
		return true
	default:
		return isVCSScheme(scheme)
	}
}

// urlKind classifies a URL requirement.
func urlKind(u string) Kind {
	switch scheme := urlScheme(u); {
	case scheme == "file":
		return KindPath
	case scheme == "git" || isVCSScheme(scheme):
		return KindVCS
	}
	return KindURL
}

var eggRE = regexp.MustCompile(`[#&]egg=([^&]*)`)

// eggName is the #egg= fragment of a URL ("" when absent).
func eggName(u string) string {
	if m := eggRE.FindStringSubmatch(u); m != nil {
		return m[1]
	}
	return ""
}

var archiveExts = []string{".zip", ".whl", ".tar.bz2", ".tbz", ".tar.gz", ".tgz", ".tar", ".tar.xz", ".txz", ".tlz", ".tar.lz", ".tar.lzma"}

// isArchiveName is pip's is_archive_file by name.
func isArchiveName(s string) bool {
	lower := strings.ToLower(s)
	for _, ext := range archiveExts {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	return false
}

// looksLikePath is pip's _looks_like_path on Linux (where Cognite builds
// run): a "/" or a leading ".".
func looksLikePath(s string) bool {
	return strings.Contains(s, "/") || strings.HasPrefix(s, ".")
}

var extrasSuffixRE = regexp.MustCompile(`^(.+)(\[[^\]]+\])$`)

// stripExtras splits "path[a,b]" into "path" and the extras list.
func stripExtras(s string) (string, []string) {
	m := extrasSuffixRE.FindStringSubmatch(s)
	if m == nil {
		return s, nil
	}
	var extras []string
	for _, e := range strings.Split(strings.Trim(m[2], "[]"), ",") {
		if e = strings.TrimSpace(e); e != "" {
			extras = append(extras, strings.ToLower(e))
		}
	}
	return m[1], extras
}

// wheelRE reads name and version from a wheel file name.
var wheelRE = regexp.MustCompile(`(?i)^([^\s-]+?)-([^\s-]*?)(-(\d[^-]*?))?-([^\s-]+?)-([^\s-]+?)-([^\s-]+?)\.whl$`)

// parseLineRequirement reads a non-editable requirement the way pip's
// parse_req_from_line does: URL, path or archive first, then PEP 508.
func parseLineRequirement(s string, r *Requirement) error {
	sep := ";"
	if isURL(s) {
		sep = "; "
	}
	if before, after, ok := strings.Cut(s, sep); ok {
		s = before
		if m := strings.TrimFunc(after, isPySpace); m != "" {
			if err := checkMarker(m); err != nil {
				return err
			}
			r.Marker = m
		}
	}
	s = strings.TrimFunc(s, isPySpace)
	switch {
	case isURL(s):
		r.Kind, r.URL = urlKind(s), s
		return nameFromLink(s, r)
	case looksLikePath(s) || isArchiveName(s):
		path, extras := stripExtras(s)
		if strings.Contains(s, "@") && !looksLikePath(strings.SplitN(s, "@", 2)[0]) {
			break // "name @ ./x.whl": a PEP 508 URL requirement
		}
		r.Kind, r.URL, r.Extras = KindPath, path, extras
		return nameFromLink(path, r)
	}
	req, err := parsePEP508(s)
	if err != nil {
		return invalidRequirement(s, err)
	}
	r.Name, r.Extras = req.name, req.extras
	r.Specifier = strings.Join(req.clauses, ",")
	if req.url != "" {
		r.Kind, r.URL = urlKind(req.url), req.url
	}
	return nil
}

// nameFromLink names a URL or path requirement: a wheel's file name gives
// name==version, else the #egg= fragment (itself a PEP 508 string).
func nameFromLink(u string, r *Requirement) error {
	file := u
	if i := strings.IndexAny(file, "#?"); i >= 0 {
		file = file[:i]
	}
	file = file[strings.LastIndex(file, "/")+1:]
	if strings.HasSuffix(strings.ToLower(file), ".whl") {
		m := wheelRE.FindStringSubmatch(file)
		if m == nil {
			return fmt.Errorf("%s is not a valid wheel filename.", file)
		}
		r.Name, r.Specifier = m[1], "=="+m[2]
		return nil
	}
	egg := eggName(u)
	if egg == "" {
		return nil
	}
	req, err := parsePEP508(egg)
	if err != nil {
		return invalidRequirement(egg, err)
	}
	r.Name = req.name
	if len(r.Extras) == 0 {
		r.Extras = req.extras
	}
	r.Specifier = strings.Join(req.clauses, ",")
	return nil
}

// invalidRequirement is pip's message for a string packaging refuses, with
// pip's hint for a single "=".
func invalidRequirement(s string, err error) error {
	msg := "Invalid requirement: " + pyRepr(s)
	if strings.HasPrefix(err.Error(), "Extras after version") {
		return err
	}
	if strings.Contains(s, "=") && !containsOperator(s) {
		return fmt.Errorf("%s: = is not a valid operator. Did you mean == ?", msg)
	}
	return fmt.Errorf("%s: %v", msg, err)
}

// containsOperator: pip's test for any version operator in the string.
func containsOperator(s string) bool {
	for _, op := range versionOps {
		if strings.Contains(s, op) {
			return true
		}
	}
	return false
}

// parseEditable reads "-e" values like pip's parse_editable: a local path,
// a file: URL or a VCS URL with #egg=name.
func parseEditable(s string, r *Requirement) error {
	r.Editable = true
	noExtras, extras := stripExtras(s)
	lower := strings.ToLower(noExtras)
	switch {
	case strings.HasPrefix(lower, "file:"):
		r.Kind, r.URL, r.Extras = KindPath, noExtras, extras
		r.Name = eggName(noExtras)
		return nil
	case !isURL(noExtras) && !isVCSPrefix(lower):
		// pip checks that the folder exists; here it is a bundle path.
		r.Kind, r.URL, r.Extras = KindPath, noExtras, extras
		return nil
	}
	u := s
	for _, v := range vcsNames {
		if strings.HasPrefix(lower, v+":") {
			u = v + "+" + s
			break
		}
	}
	if !isVCSScheme(urlScheme(u)) {
		return fmt.Errorf("%s is not a valid editable requirement. It should either be a path to a local project or a VCS URL (beginning with %s).",
			s, strings.Join(vcsSchemes, ", "))
	}
	r.Kind, r.URL = KindVCS, u
	egg := eggName(u)
	if egg == "" {
		return fmt.Errorf("Could not detect requirement name for '%s', please specify one with #egg=your_package_name", s)
	}
	req, err := parsePEP508(egg)
	if err != nil {
		return fmt.Errorf("Invalid requirement: '%s'", egg)
	}
	r.Name, r.Extras = req.name, req.extras
	return nil
}

// isVCSPrefix: "git:…", "hg+…" and the like.
func isVCSPrefix(lower string) bool {
	for _, v := range vcsNames {
		if strings.HasPrefix(lower, v+":") || strings.HasPrefix(lower, v+"+") {
			return true
		}
	}
	return false
}

// Canonical is a project name normalised per PEP 503: lowercase, runs of
// "-", "_" and "." replaced by one "-".
func Canonical(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	sep := false
	for _, r := range strings.ToLower(name) {
		if r == '-' || r == '_' || r == '.' {
			sep = true
			continue
		}
		if sep {
			b.WriteByte('-')
			sep = false
		}
		b.WriteRune(r)
	}
	if sep {
		b.WriteByte('-')
	}
	return b.String()
}

// pinned: exactly one clause (repeats count once, as in a SpecifierSet),
// "==" without a wildcard or "===".
func pinned(spec string) bool {
	if spec == "" {
		return false
	}
	if first, _, ok := strings.Cut(spec, ","); ok {
		for _, c := range strings.Split(spec, ",") {
			if c != first {
				return false
			}
		}
		spec = first
	}
	if strings.HasPrefix(spec, "===") {
		return true
	}
	return strings.HasPrefix(spec, "==") && !strings.HasSuffix(spec, ".*")
}
