package reqs

import (
	"fmt"
	"strings"
)

// Environment markers (PEP 508 and the PEP 345 spellings packaging still
// accepts): VAR op VAR joined with and/or, parentheses allowed, where VAR is
// a marker variable or a quoted string. checkMarker only validates: the
// marker text is kept as written.

var markerVars = []string{
	"implementation_version", "platform_python_implementation", "implementation_name",
	"python_full_version", "platform_release", "platform_version", "platform_machine",
	"platform_system", "python_version", "sys_platform", "os_name", "os.name",
	"sys.platform", "platform.version", "platform.machine",
	"platform.python_implementation", "python_implementation", "extra",
}

var markerOps = []string{"===", "==", ">=", "<=", "!=", "~=", ">", "<", "not in", "in"}

type markerParser struct {
	s     string
	pos   int
	depth int
}

// maxMarkerDepth bounds parentheses nesting.
const maxMarkerDepth = 100

// checkMarker returns pip's InvalidMarker wording for a bad marker.
func checkMarker(m string) error {
	p := &markerParser{s: m}
	ok := p.expr()
	p.skipSpace()
	if !ok || p.pos < len(p.s) {
		return fmt.Errorf("Invalid marker: %s, parse error at %s", pyRepr(m), pyRepr(m[p.pos:min(len(m), p.pos+8)]))
	}
	return nil
}

func (p *markerParser) skipSpace() {
	for p.pos < len(p.s) && strings.IndexByte(" \t\n\r", p.s[p.pos]) >= 0 {
		p.pos++
	}
}

func (p *markerParser) lit(options []string) bool {
	p.skipSpace()
	for _, o := range options {
		if strings.HasPrefix(p.s[p.pos:], o) {
			p.pos += len(o)
			return true
		}
	}
	return false
}

// expr: atom {("and"|"or") atom}
func (p *markerParser) expr() bool {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxMarkerDepth {
		return false
	}
	if !p.atom() {
		return false
	}
	for {
		save := p.pos
		if !p.lit([]string{"and", "or"}) {
			return true
		}
		if !p.atom() {
			p.pos = save
			return false
		}
	}
}

// atom: item | "(" expr ")"
func (p *markerParser) atom() bool {
	p.skipSpace()
	if strings.HasPrefix(p.s[p.pos:], "(") {
		p.pos++
		if !p.expr() {
			return false
		}
		return p.lit([]string{")"})
	}
	return p.value() && p.lit(markerOps) && p.value()
}

// value: a marker variable or a quoted string.
func (p *markerParser) value() bool {
	p.skipSpace()
	if p.pos < len(p.s) && (p.s[p.pos] == '\'' || p.s[p.pos] == '"') {
		end := strings.IndexByte(p.s[p.pos+1:], p.s[p.pos])
		if end < 0 {
			return false
		}
		p.pos += end + 2
		return true
	}
	return p.lit(markerVars)
}
