package reqs

import (
	"fmt"
	"regexp"
	"strings"
)

// PEP 508 named requirements, as pip's packaging 21.3 grammar reads them:
//
//	name [extras] (versionspec | "@" url)
//
// with whitespace allowed between tokens, the version list optionally in
// parentheses, and a URL running to the next space. Versions are read
// leniently (any run up to ",", ";", ")" or a space) as pip 23 did, except
// that an empty version ("foo==") is refused as modern pip refuses it; "~="
// needs a PEP 440 release with two parts.

// pep508 is a parsed named requirement.
type pep508 struct {
	name    string
	extras  []string
	clauses []string // "op version", whitespace removed, in written order
	url     string
}

// pep508Parser reads one requirement string.
type pep508Parser struct {
	s   string
	pos int
}

// parsePEP508 parses s; the error is the parse failure's description.
func parsePEP508(s string) (*pep508, error) {
	p := &pep508Parser{s: s}
	r := &pep508{}
	p.skipSpace()
	r.name = p.identifier()
	if r.name == "" {
		return nil, p.errorf("expected a package name")
	}
	p.skipSpace()
	if p.peek("[") {
		extras, err := p.parseExtras()
		if err != nil {
			return nil, err
		}
		r.extras = extras
	}
	p.skipSpace()
	if p.peek("@") {
		p.pos++
		p.skipSpace()
		start := p.pos
		for p.pos < len(p.s) && p.s[p.pos] != ' ' {
			p.pos++
		}
		r.url = p.s[start:p.pos]
		if r.url == "" {
			return nil, p.errorf("expected a URL after '@'")
		}
		if err := checkURL(r.url); err != nil {
			return nil, err
		}
	} else {
		clauses, err := p.parseVersionSpec()
		if err != nil {
			return nil, err
		}
		r.clauses = clauses
	}
	p.skipSpace()
	if p.pos < len(p.s) {
		return nil, p.errorf("unexpected text")
	}
	for _, c := range r.clauses {
		if strings.HasSuffix(c, "]") {
			return nil, fmt.Errorf("Extras after version '%s'.", c)
		}
	}
	return r, nil
}

func (p *pep508Parser) errorf(format string, args ...any) error {
	at := p.s[p.pos:min(len(p.s), p.pos+8)]
	return fmt.Errorf("%s at %s", fmt.Sprintf(format, args...), pyRepr(at))
}

// skipSpace skips pyparsing's default whitespace.
func (p *pep508Parser) skipSpace() {
	for p.pos < len(p.s) && strings.IndexByte(" \t\n\r", p.s[p.pos]) >= 0 {
		p.pos++
	}
}

func (p *pep508Parser) peek(lit string) bool { return strings.HasPrefix(p.s[p.pos:], lit) }

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// identifier reads [A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?.
func (p *pep508Parser) identifier() string {
	start := p.pos
	if p.pos >= len(p.s) || !isAlnum(p.s[p.pos]) {
		return ""
	}
	end := p.pos + 1
	for i := end; i < len(p.s); i++ {
		c := p.s[i]
		if isAlnum(c) {
			end = i + 1
		} else if c != '.' && c != '-' && c != '_' {
			break
		}
	}
	p.pos = end
	return p.s[start:end]
}

// parseExtras reads "[" [ident {"," ident}] "]".
func (p *pep508Parser) parseExtras() ([]string, error) {
	p.pos++ // [
	extras := []string{}
	p.skipSpace()
	if p.peek("]") {
		p.pos++
		return extras, nil
	}
	for {
		p.skipSpace()
		id := p.identifier()
		if id == "" {
			return nil, p.errorf("expected an extra name")
		}
		extras = append(extras, id)
		p.skipSpace()
		switch {
		case p.peek(","):
			p.pos++
		case p.peek("]"):
			p.pos++
			return extras, nil
		default:
			return nil, p.errorf("expected ',' or ']' in extras")
		}
	}
}

// versionOps in match order (longest first).
var versionOps = []string{"===", "~=", "==", "!=", "<=", ">=", "<", ">"}

// parseVersionSpec reads an optional version list, maybe in parentheses.
func (p *pep508Parser) parseVersionSpec() ([]string, error) {
	paren := false
	if p.peek("(") {
		paren = true
		p.pos++
		p.skipSpace()
	}
	var clauses []string
	if !paren && !p.startsClause() {
		return nil, nil
	}
	for {
		p.skipSpace()
		c, err := p.clause()
		if err != nil {
			return nil, err
		}
		clauses = append(clauses, c)
		p.skipSpace()
		if !p.peek(",") {
			break
		}
		p.pos++
	}
	if paren {
		p.skipSpace()
		if !p.peek(")") {
			return nil, p.errorf("expected ')'")
		}
		p.pos++
	}
	return clauses, nil
}

func (p *pep508Parser) startsClause() bool {
	for _, op := range versionOps {
		if p.peek(op) {
			return true
		}
	}
	return false
}

var compatibleVersionRE = regexp.MustCompile(`(?i)^v?([0-9]+!)?[0-9]+(\.[0-9]+)+` +
	`([-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?[0-9]*)?` +
	`((-[0-9]+)|([-_.]?(post|rev|r)[-_.]?[0-9]*))?` +
	`([-_.]?(dev)[-_.]?[0-9]*)?$`)

// clause reads one "op version".
func (p *pep508Parser) clause() (string, error) {
	op := ""
	for _, o := range versionOps {
		if p.peek(o) {
			op = o
			break
		}
	}
	if op == "" {
		return "", p.errorf("expected a version operator")
	}
	p.pos += len(op)
	p.skipSpace()
	start := p.pos
	stop := ",; \t\n\r)"
	if op == "===" {
		stop = " \t\n\r"
	}
	for p.pos < len(p.s) && strings.IndexByte(stop, p.s[p.pos]) < 0 {
		p.pos++
	}
	v := p.s[start:p.pos]
	if v == "" {
		p.pos = start
		return "", p.errorf("expected a version after %s", op)
	}
	if op == "~=" && !compatibleVersionRE.MatchString(v) {
		p.pos = start
		return "", p.errorf("~= needs a release version with at least two parts")
	}
	return op + v, nil
}

// checkURL applies packaging's URL check: a scheme and a host, or file:.
func checkURL(u string) error {
	scheme, rest, ok := strings.Cut(u, ":")
	if !ok || scheme == "" || !isScheme(scheme) {
		return fmt.Errorf("Invalid URL: %s", u)
	}
	if strings.EqualFold(scheme, "file") {
		return nil
	}
	if !strings.HasPrefix(rest, "//") || len(rest) == 2 || rest[2] == '/' {
		return fmt.Errorf("Invalid URL: %s", u)
	}
	return nil
}

func isScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isAlnum(c) || (i > 0 && (c == '+' || c == '-' || c == '.'))) || (i == 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// pyRepr quotes a string the way Python's repr does for printable text.
func pyRepr(s string) string {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == '\\' || r == rune(q):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}
