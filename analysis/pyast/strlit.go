package pyast

import (
	"fmt"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// decodeStringToken decodes one complete STRING token text (prefix, quotes
// and body): escapes, raw and bytes prefixes. The value of a str is WTF-8
// (lone surrogates allowed). A literal without escapes returns a substring
// of text. approx is set when a \N{…} escape could not be resolved in this
// build (its text is then kept as written). Errors carry CPython's message;
// CPython 3.12 reports all of them at the start of the token, so Off is 0.
func decodeStringToken(text string) (val string, isBytes bool, approx bool, err *literalError) {
	raw := false
	i := 0
prefix:
	for ; i < len(text); i++ {
		switch text[i] {
		case 'r', 'R':
			raw = true
		case 'b', 'B':
			isBytes = true
		case 'u', 'U', 'f', 'F':
		default:
			break prefix
		}
	}
	body := stringBody(text[i:])
	if isBytes {
		for j := 0; j < len(body); j++ {
			if body[j] >= utf8.RuneSelf {
				return "", true, false, &literalError{Msg: "bytes can only contain ASCII literal characters"}
			}
		}
		if raw || strings.IndexByte(body, '\\') < 0 {
			return body, true, false, nil
		}
		val, err = decodeBytesEscapes(body)
		return val, true, false, err
	}
	raw = raw || strings.IndexByte(body, '\\') < 0
	if err := checkStrUTF8(body, raw); err != nil {
		return "", false, false, err
	}
	if raw {
		return body, false, false, nil
	}
	val, approx, err = decodeStrEscapes(body)
	return val, false, approx, err
}

// stringBody strips the quotes from a quoted string (prefix removed); a
// malformed (unterminated) literal gives what follows the opening quote.
func stringBody(q string) string {
	if q == "" {
		return ""
	}
	n := 1
	if len(q) >= 6 && q[1] == q[0] && q[2] == q[0] {
		n = 3
	}
	if len(q) < 2*n || q[len(q)-n:] != q[:n] {
		return q[min(n, len(q)):]
	}
	return q[n : len(q)-n]
}

// checkStrUTF8 reports invalid UTF-8 in a str literal's body as CPython
// does: a raw (or escape-free) body is decoded as a whole; otherwise each run
// of non-ASCII bytes is decoded on its own, so positions count from the run.
func checkStrUTF8(body string, whole bool) *literalError {
	if utf8.ValidString(body) {
		return nil
	}
	start, end := 0, len(body)
	if !whole {
		at, _ := firstUTF8Error(body, 0, len(body))
		start, end = at, at
		for start > 0 && body[start-1] >= utf8.RuneSelf {
			start--
		}
		for end < len(body) && body[end] >= utf8.RuneSelf {
			end++
		}
	}
	_, m := firstUTF8Error(body, start, end)
	return &literalError{Msg: "(unicode error) 'utf-8' codec can't decode " + m}
}

// decodeFStringMiddle decodes the literal text of one FSTRING_MIDDLE token
// ("{{" and "}}" become single braces); raw is the f-string's r prefix.
// The braces of a \N{…} escape are part of the escape.
func decodeFStringMiddle(text string, raw bool) (val string, approx bool, err *literalError) {
	if !utf8.ValidString(text) {
		// CPython 3.12 raises a bare UnicodeDecodeError here.
		_, m := firstUTF8Error(text, 0, len(text))
		return "", false, &literalError{Msg: "'utf-8' codec can't decode " + m}
	}
	hasBackslash := !raw && strings.IndexByte(text, '\\') >= 0
	if !hasBackslash && !strings.Contains(text, "{{") && !strings.Contains(text, "}}") {
		return text, false, nil
	}
	s := collapseBraces(text, raw)
	if !hasBackslash {
		return s, false, nil
	}
	return decodeStrEscapes(s)
}

// collapseBraces turns "{{" into "{" and "}}" into "}", leaving escapes
// (and so the braces of \N{…}) alone unless raw.
func collapseBraces(text string, raw bool) string {
	b := make([]byte, 0, len(text))
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '\\' && !raw && i+1 < len(text):
			if text[i+1] == 'N' && i+2 < len(text) && text[i+2] == '{' {
				if j := strings.IndexByte(text[i+3:], '}'); j >= 0 {
					end := i + 3 + j + 1
					b = append(b, text[i:end]...)
					i = end - 1
					continue
				}
			}
			b = append(b, c)
			if text[i+1] == '\\' {
				b = append(b, '\\')
				i++
			}
		case (c == '{' || c == '}') && i+1 < len(text) && text[i+1] == c:
			b = append(b, c)
			i++
		default:
			b = append(b, c)
		}
	}
	return bytesToString(b)
}

// decodeStrEscapes decodes the escapes of a str body (valid UTF-8) as
// CPython's unicode-escape decoder does after the parser has rewritten each
// non-ASCII character as \UXXXXXXXX; error positions count in that
// rewritten text.
func decodeStrEscapes(body string) (string, bool, *literalError) {
	buf := make([]byte, 0, len(body))
	approx := false
	for i := 0; i < len(body); {
		c := body[i]
		if c != '\\' {
			j := i + 1
			for j < len(body) && body[j] != '\\' {
				j++
			}
			buf = append(buf, body[i:j]...)
			i = j
			continue
		}
		if i+1 >= len(body) {
			buf = append(buf, '\\')
			break
		}
		e := body[i+1]
		if v, ok := simpleEscape(e); ok {
			if e != '\n' {
				buf = append(buf, v)
			}
			i += 2
			continue
		}
		switch e {
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v, n := octalEscape(body[i+1:])
			buf = appendWTF8(buf, rune(v))
			i += 1 + n
		case 'x', 'u', 'U':
			count, what := 2, `\xXX`
			if e == 'u' {
				count, what = 4, `\uXXXX`
			} else if e == 'U' {
				count, what = 8, `\UXXXXXXXX`
			}
			var v uint32
			j := i + 2
			for ; j < i+2+count; j++ {
				if j >= len(body) || hexVal(body[j]) < 0 {
					return "", false, unicodeEscapeError(body, i, j, "truncated "+what+" escape")
				}
				v = v<<4 | uint32(hexVal(body[j]))
			}
			if v > utf8.MaxRune {
				return "", false, unicodeEscapeError(body, i, j, "illegal Unicode character")
			}
			buf = appendWTF8(buf, rune(v))
			i = j
		case 'N':
			const malformed = `malformed \N character escape`
			if i+2 >= len(body) || body[i+2] != '{' {
				return "", false, unicodeEscapeError(body, i, min(i+2, len(body)), malformed)
			}
			k := strings.IndexByte(body[i+3:], '}')
			if k < 0 {
				return "", false, unicodeEscapeError(body, i, len(body), malformed)
			}
			if k == 0 {
				return "", false, unicodeEscapeError(body, i, i+3, malformed)
			}
			end := i + 3 + k + 1
			r, ok, unresolved := lookupCharName(body[i+3 : end-1])
			switch {
			case ok:
				buf = appendWTF8(buf, r)
			case unresolved:
				approx = true
				buf = append(buf, body[i:end]...)
			default:
				return "", false, unicodeEscapeError(body, i, end, "unknown Unicode character name")
			}
			i = end
		default:
			// An invalid escape (a warning in CPython) keeps its backslash.
			buf = append(buf, '\\')
			i++
		}
	}
	return bytesToString(buf), approx, nil
}

// decodeBytesEscapes decodes the escapes of a bytes body (ASCII).
func decodeBytesEscapes(body string) (string, *literalError) {
	buf := make([]byte, 0, len(body))
	for i := 0; i < len(body); {
		c := body[i]
		if c != '\\' {
			buf = append(buf, c)
			i++
			continue
		}
		if i+1 >= len(body) {
			buf = append(buf, '\\')
			break
		}
		e := body[i+1]
		if v, ok := simpleEscape(e); ok {
			if e != '\n' {
				buf = append(buf, v)
			}
			i += 2
			continue
		}
		switch e {
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v, n := octalEscape(body[i+1:])
			buf = append(buf, byte(v)) // CPython keeps the low 8 bits of \400-\777
			i += 1 + n
		case 'x':
			if i+3 < len(body) && hexVal(body[i+2]) >= 0 && hexVal(body[i+3]) >= 0 {
				buf = append(buf, byte(hexVal(body[i+2])<<4|hexVal(body[i+3])))
				i += 4
				continue
			}
			return "", &literalError{Msg: fmt.Sprintf(`(value error) invalid \x escape at position %d`, i)}
		default:
			buf = append(buf, '\\')
			i++
		}
	}
	return bytesToString(buf), nil
}

// simpleEscape maps the one-character escapes; for backslash-newline
// (a line continuation inside the literal) it reports ok with no value.
func simpleEscape(e byte) (byte, bool) {
	switch e {
	case '\n':
		return 0, true
	case '\\', '\'', '"':
		return e, true
	case 'a':
		return '\a', true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	case 'v':
		return '\v', true
	}
	return 0, false
}

// octalEscape reads 1 to 3 octal digits at the start of s.
func octalEscape(s string) (v, n int) {
	for n < 3 && n < len(s) && s[n] >= '0' && s[n] <= '7' {
		v = v<<3 | int(s[n]-'0')
		n++
	}
	return v, n
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// appendWTF8 appends r in UTF-8, encoding a surrogate code point as its
// three-byte form (as Python's "surrogatepass" does) instead of U+FFFD.
func appendWTF8(b []byte, r rune) []byte {
	if r >= 0xD800 && r <= 0xDFFF {
		return append(b, 0xE0|byte(r>>12), 0x80|byte(r>>6)&0x3F, 0x80|byte(r)&0x3F)
	}
	return utf8.AppendRune(b, r)
}

// unicodeEscapeError is the error of an escape starting at body[start]
// whose decoding stopped at body[stop], in CPython's words.
func unicodeEscapeError(body string, start, stop int, reason string) *literalError {
	from, to := escapedPos(body, start), escapedPos(body, stop)
	return &literalError{Msg: fmt.Sprintf("(unicode error) 'unicodeescape' codec can't decode bytes in position %d-%d: %s", from, to-1, reason)}
}

// escapedPos maps offset j of a str body to the offset in the text CPython
// hands to its unicode-escape decoder, where every non-ASCII character has
// become a 10-byte \UXXXXXXXX and a backslash before one a 6-byte \u005c.
func escapedPos(body string, j int) int {
	p := 0
	for s := 0; s < j; {
		if body[s] == '\\' {
			p++
			s++
			if s >= len(body) || body[s] >= utf8.RuneSelf {
				p += 5
			}
			if s >= j {
				break
			}
		}
		if body[s] >= utf8.RuneSelf {
			_, size := utf8.DecodeRuneInString(body[s:])
			p += 10
			s += size
		} else {
			p++
			s++
		}
	}
	return p
}

// bytesToString returns b as a string without copying; b must not be
// modified afterwards (the decoders build a fresh buffer per literal).
func bytesToString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}
