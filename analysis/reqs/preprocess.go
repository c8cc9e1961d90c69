package reqs

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// logicalLine is a line after pip's preprocessing: continuations joined,
// comments stripped, blank lines dropped.
type logicalLine struct {
	num  int    // 1-based number of its first physical line
	text string // before environment expansion
}

// isPySpace is Python's str.isspace for one rune (which, unlike Go's
// unicode.IsSpace, includes the separators U+001C–U+001F).
func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// splitLines splits like Python's str.splitlines: \n, \r, \r\n, \v, \f,
// \x1c–\x1e, \x85, U+2028 and U+2029 end a line.
func splitLines(s string) []string {
	var lines []string
	start := 0
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= 0x80 {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		switch r {
		case '\n', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
			lines = append(lines, s[start:i])
			i += size
			start = i
			continue
		case '\r':
			lines = append(lines, s[start:i])
			i++
			if i < len(s) && s[i] == '\n' {
				i++
			}
			start = i
			continue
		}
		i += size
	}
	if start < len(s) {
		lines = append(lines, s[start:])
	}
	return lines
}

// isCommentLine: pip's COMMENT_RE matched at the start — "#" after optional
// whitespace.
func isCommentLine(line string) bool {
	return strings.HasPrefix(strings.TrimLeftFunc(line, isPySpace), "#")
}

// joinLines joins a line ending in "\" with the next (pip's join_lines):
// the backslashes at both ends of a continued line are removed, a comment
// line ends the continuation, and the joined line takes the first line's
// number. overlong reports a logical line longer than maxLine; it is
// dropped.
func joinLines(lines []string, maxLine int, overlong func(num int)) []logicalLine {
	var out []logicalLine
	var pending strings.Builder
	primary, joining, tooLong := 0, false, false
	add := func(s string) {
		if pending.Len()+len(s) > maxLine {
			tooLong = true
			return
		}
		pending.WriteString(s)
	}
	flush := func() {
		if tooLong {
			overlong(primary)
		} else {
			out = append(out, logicalLine{num: primary, text: pending.String()})
		}
		pending.Reset()
		joining, tooLong = false, false
	}
	for i, line := range lines {
		num := i + 1
		comment := isCommentLine(line)
		if !strings.HasSuffix(line, `\`) || comment {
			if comment {
				line = " " + line
			}
			if !joining {
				primary = num
			}
			add(line)
			flush()
			continue
		}
		if !joining {
			primary, joining = num, true
		}
		add(strings.Trim(line, `\`))
	}
	if joining {
		flush()
	}
	return out
}

// stripComment removes pip's COMMENT_RE match — the first "#" at the start
// or after whitespace, with that whitespace, to the end — then surrounding
// whitespace. A "#" inside a word ("#egg=" in a URL) is not a comment.
func stripComment(line string) string {
	for i := 0; i < len(line); i++ {
		if line[i] != '#' {
			continue
		}
		if i == 0 {
			return ""
		}
		j := i
		for j > 0 {
			r, size := utf8.DecodeLastRuneInString(line[:j])
			if !isPySpace(r) {
				break
			}
			j -= size
		}
		if j < i {
			line = line[:j]
			break
		}
	}
	return strings.TrimFunc(line, isPySpace)
}

// envVarRE is pip's ENV_VAR_RE: only ${NAME} with NAME in [A-Z0-9_]+.
var envVarRE = regexp.MustCompile(`\$\{([A-Z0-9_]+)\}`)

// expandEnv replaces ${NAME} by env[NAME] when set and non-empty (pip
// leaves unset and empty variables as written). used collects the values
// substituted, so messages can redact them. The result is bounded by max;
// ok is false when it would exceed it.
func expandEnv(line string, env map[string]string, max int, used *[]string) (string, bool) {
	if env == nil || !strings.Contains(line, "${") {
		return line, true
	}
	for _, m := range envVarRE.FindAllStringSubmatch(line, -1) {
		v := env[m[1]]
		if v == "" {
			continue
		}
		n := strings.Count(line, m[0])
		if n == 0 {
			continue
		}
		if len(line)+n*(len(v)-len(m[0])) > max {
			return line, false
		}
		line = strings.ReplaceAll(line, m[0], v)
		*used = append(*used, v)
	}
	return line, true
}
