package pyast

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// DecodeSource turns raw file bytes into the UTF-8, "\n"-terminated source
// CPython's tokenizer works on when ast.parse is given bytes: NUL bytes are
// rejected, a UTF-8 BOM is removed, a PEP 263 coding declaration on line 1
// or 2 is honoured, "\r\n" and lone "\r" are translated to "\n".
//
// Like CPython, the UTF-8 path does not validate the whole file: invalid
// UTF-8 is only an error where the tokenizer meets it (in a string literal
// or an identifier, not in a comment), so it is left in the result for the
// scanner and decodeStringToken to report. A declared non-UTF-8 coding is
// decoded strictly; unknown codings and undecodable bytes are errors.
//
// When there is nothing to change the result is src itself. On error the
// result is still usable for positions: it is src with the BOM removed and
// line ends translated, and the Error's Pos, Line and Col refer to it.
// (CPython reports coding errors with lineno 0; we point at the culprit.)
func DecodeSource(src []byte) ([]byte, *Error) {
	// CPython translates line ends first and looks for the BOM and the
	// coding declaration in the translated text.
	src = translateNewlines(src)
	if i := bytes.IndexByte(src, 0); i >= 0 {
		// compile() refuses the whole string before tokenizing.
		return sourceError(src, i, "source code string cannot contain null bytes")
	}
	hasBOM := bytes.HasPrefix(src, utf8BOM)
	if hasBOM {
		src = src[len(utf8BOM):]
	}
	cookie, cookieAt := findCodingCookie(src)
	if cookie == "" {
		return src, nil
	}
	enc := normalCodingName(cookie)
	if hasBOM && enc != "utf-8" {
		return sourceError(src, cookieAt, "encoding problem: "+enc+" with BOM")
	}
	if enc == "utf-8" {
		return src, nil
	}
	dec, at, msg := decodeCoding(src, enc)
	if msg != "" {
		if at < 0 {
			at = cookieAt
		}
		return sourceError(src, at, msg)
	}
	return dec, nil
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// sourceError builds the SyntaxError of DecodeSource at offset at of src.
func sourceError(src []byte, at int, msg string) ([]byte, *Error) {
	line := 1 + bytes.Count(src[:at], []byte{'\n'})
	col := at - (bytes.LastIndexByte(src[:at], '\n') + 1)
	return src, &Error{Kind: SyntaxError, Pos: Pos(at), Line: line, Col: col, Msg: msg}
}

// translateNewlines maps "\r\n" and lone "\r" to "\n"; without "\r" it
// returns src unchanged.
func translateNewlines(src []byte) []byte {
	i := bytes.IndexByte(src, '\r')
	if i < 0 {
		return src
	}
	out := make([]byte, i, len(src))
	copy(out, src[:i])
	for ; i < len(src); i++ {
		c := src[i]
		if c == '\r' {
			c = '\n'
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
		}
		out = append(out, c)
	}
	return out
}

// findCodingCookie returns the coding name declared on line 1, or on line 2
// when line 1 holds only blanks or a comment, and its offset. (CPython
// appends a final "\n" first, so a last line without one counts.)
func findCodingCookie(src []byte) (string, int) {
	line1, rest, more := bytes.Cut(src, []byte{'\n'})
	if name, at, isCode := codingSpec(line1); name != "" || isCode || !more {
		return name, at
	}
	line2, _, _ := bytes.Cut(rest, []byte{'\n'})
	name, at, _ := codingSpec(line2)
	return name, len(line1) + 1 + at
}

// codingSpec finds `coding[:=][ \t]*([-\w.]+)` in a line that is a comment
// (only blanks before '#'), as CPython's get_coding_spec does. isCode
// reports a line with something other than blanks and a comment, which
// stops the search for a declaration on the next line.
func codingSpec(line []byte) (name string, at int, isCode bool) {
	size := len(line)
	i := 0
	for ; i < size-6; i++ {
		if line[i] == '#' {
			break
		}
		if line[i] != ' ' && line[i] != '\t' && line[i] != '\f' {
			return "", 0, true
		}
	}
	for ; i < size-6; i++ {
		if string(line[i:i+6]) != "coding" {
			continue
		}
		t := i + 6
		if line[t] != ':' && line[t] != '=' {
			continue
		}
		t++
		for t < size && (line[t] == ' ' || line[t] == '\t') {
			t++
		}
		begin := t
		for t < size && (isASCIIAlnum(line[t]) || line[t] == '-' || line[t] == '_' || line[t] == '.') {
			t++
		}
		if begin < t {
			return string(line[begin:t]), begin, false
		}
	}
	// Not a declaration: is the line blank or a comment?
	for _, c := range line {
		if c == '#' || c == '\n' || c == '\r' {
			break
		}
		if c != ' ' && c != '\t' && c != '\f' {
			return "", 0, true
		}
	}
	return "", 0, false
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// normalCodingName is CPython's tokenizer get_normal_name: the utf-8 and
// latin-1 families get their canonical names, anything else is kept as
// written.
func normalCodingName(s string) string {
	var buf [12]byte
	n := 0
	for ; n < len(s) && n < len(buf); n++ {
		c := s[n]
		if c == '_' {
			c = '-'
		} else if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[n] = c
	}
	low := string(buf[:n])
	switch {
	case low == "utf-8" || strings.HasPrefix(low, "utf-8-"):
		return "utf-8"
	case low == "latin-1" || low == "iso-8859-1" || low == "iso-latin-1" ||
		strings.HasPrefix(low, "latin-1-") || strings.HasPrefix(low, "iso-8859-1-") ||
		strings.HasPrefix(low, "iso-latin-1-"):
		return "iso-8859-1"
	}
	return s
}

// pyCodecName is Python's codec lookup normalisation (codecs.lookup
// lower-cases, encodings.normalize_encoding collapses runs of other than
// alphanumerics and '.' into '_') followed by the alias table.
func pyCodecName(enc string) string {
	var b strings.Builder
	pending := false
	for i := 0; i < len(enc); i++ {
		c := enc[i]
		if isASCIIAlnum(c) || c == '.' {
			if pending && b.Len() > 0 {
				b.WriteByte('_')
			}
			pending = false
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
		} else {
			pending = true
		}
	}
	n := b.String()
	if m, ok := codecAliases[n]; ok {
		return m
	}
	if m, ok := codecAliases[strings.ReplaceAll(n, ".", "_")]; ok {
		return m
	}
	return n
}

// codecAliases maps Python's alias names (encodings/aliases.py, 3.12) of the
// codecs we can decode to their module names.
var codecAliases = map[string]string{
	"8859": "latin_1", "cp819": "latin_1", "csisolatin1": "latin_1", "ibm819": "latin_1",
	"iso8859": "latin_1", "iso8859_1": "latin_1", "iso_8859_1": "latin_1",
	"iso_8859_1_1987": "latin_1", "iso_ir_100": "latin_1", "l1": "latin_1", "latin": "latin_1",
	"latin1": "latin_1",
	"646":    "ascii", "ansi_x3.4_1968": "ascii", "ansi_x3.4_1986": "ascii", "ansi_x3_4_1968": "ascii",
	"cp367": "ascii", "csascii": "ascii", "ibm367": "ascii", "iso646_us": "ascii",
	"iso_646.irv_1991": "ascii", "iso_ir_6": "ascii", "us": "ascii", "us_ascii": "ascii",
	"cp65001": "utf_8", "u8": "utf_8", "utf": "utf_8", "utf8": "utf_8", "utf8_ucs2": "utf_8",
	"utf8_ucs4": "utf_8",
	"037":       "cp037", "csibm037": "cp037", "ebcdic_cp_ca": "cp037", "ebcdic_cp_nl": "cp037",
	"ebcdic_cp_us": "cp037", "ebcdic_cp_wt": "cp037", "ibm037": "cp037", "ibm039": "cp037",
	"1140": "cp1140", "ibm1140": "cp1140",
	"437": "cp437", "cspc8codepage437": "cp437", "ibm437": "cp437",
	"850": "cp850", "cspc850multilingual": "cp850", "ibm850": "cp850",
	"852": "cp852", "cspcp852": "cp852", "ibm852": "cp852",
	"855": "cp855", "csibm855": "cp855", "ibm855": "cp855",
	"858": "cp858", "csibm858": "cp858", "ibm858": "cp858",
	"860": "cp860", "csibm860": "cp860", "ibm860": "cp860",
	"862": "cp862", "cspc862latinhebrew": "cp862", "ibm862": "cp862",
	"863": "cp863", "csibm863": "cp863", "ibm863": "cp863",
	"865": "cp865", "csibm865": "cp865", "ibm865": "cp865",
	"866": "cp866", "csibm866": "cp866", "ibm866": "cp866",
	"csisolatin2": "iso8859_2", "iso_8859_2": "iso8859_2", "iso_8859_2_1987": "iso8859_2",
	"iso_ir_101": "iso8859_2", "l2": "iso8859_2", "latin2": "iso8859_2",
	"csisolatin3": "iso8859_3", "iso_8859_3": "iso8859_3", "iso_8859_3_1988": "iso8859_3",
	"iso_ir_109": "iso8859_3", "l3": "iso8859_3", "latin3": "iso8859_3",
	"csisolatin4": "iso8859_4", "iso_8859_4": "iso8859_4", "iso_8859_4_1988": "iso8859_4",
	"iso_ir_110": "iso8859_4", "l4": "iso8859_4", "latin4": "iso8859_4",
	"csisolatincyrillic": "iso8859_5", "cyrillic": "iso8859_5", "iso_8859_5": "iso8859_5",
	"iso_8859_5_1988": "iso8859_5", "iso_ir_144": "iso8859_5",
	"arabic": "iso8859_6", "asmo_708": "iso8859_6", "csisolatinarabic": "iso8859_6",
	"ecma_114": "iso8859_6", "iso_8859_6": "iso8859_6", "iso_8859_6_1987": "iso8859_6",
	"iso_ir_127":      "iso8859_6",
	"csisolatingreek": "iso8859_7", "ecma_118": "iso8859_7", "elot_928": "iso8859_7",
	"greek": "iso8859_7", "greek8": "iso8859_7", "iso_8859_7": "iso8859_7",
	"iso_8859_7_1987": "iso8859_7", "iso_ir_126": "iso8859_7",
	"csisolatinhebrew": "iso8859_8", "hebrew": "iso8859_8", "iso_8859_8": "iso8859_8",
	"iso_8859_8_1988": "iso8859_8", "iso_ir_138": "iso8859_8",
	"csisolatin5": "iso8859_9", "iso_8859_9": "iso8859_9", "iso_8859_9_1989": "iso8859_9",
	"iso_ir_148": "iso8859_9", "l5": "iso8859_9", "latin5": "iso8859_9",
	"csisolatin6": "iso8859_10", "iso_8859_10": "iso8859_10", "iso_8859_10_1992": "iso8859_10",
	"iso_ir_157": "iso8859_10", "l6": "iso8859_10", "latin6": "iso8859_10",
	"iso_8859_13": "iso8859_13", "l7": "iso8859_13", "latin7": "iso8859_13",
	"iso_8859_14": "iso8859_14", "iso_8859_14_1998": "iso8859_14", "iso_celtic": "iso8859_14",
	"iso_ir_199": "iso8859_14", "l8": "iso8859_14", "latin8": "iso8859_14",
	"iso_8859_15": "iso8859_15", "l9": "iso8859_15", "latin9": "iso8859_15",
	"iso_8859_16": "iso8859_16", "iso_8859_16_2001": "iso8859_16", "iso_ir_226": "iso8859_16",
	"l10": "iso8859_16", "latin10": "iso8859_16",
	"cskoi8r":   "koi8_r",
	"macintosh": "mac_roman", "macroman": "mac_roman", "maccyrillic": "mac_cyrillic",
	"1250": "cp1250", "windows_1250": "cp1250", "1251": "cp1251", "windows_1251": "cp1251",
	"1252": "cp1252", "windows_1252": "cp1252", "1253": "cp1253", "windows_1253": "cp1253",
	"1254": "cp1254", "windows_1254": "cp1254", "1255": "cp1255", "windows_1255": "cp1255",
	"1256": "cp1256", "windows_1256": "cp1256", "1257": "cp1257", "windows_1257": "cp1257",
	"1258": "cp1258", "windows_1258": "cp1258",
}

// codecCharmaps are the single-byte codecs decoded with x/text tables; a
// byte Python leaves undefined decodes to U+FFFD there and is an error here.
var codecCharmaps = map[string]*charmap.Charmap{
	"cp037": charmap.CodePage037, "cp1140": charmap.CodePage1140,
	"cp437": charmap.CodePage437, "cp850": charmap.CodePage850, "cp852": charmap.CodePage852,
	"cp855": charmap.CodePage855, "cp858": charmap.CodePage858, "cp860": charmap.CodePage860,
	"cp862": charmap.CodePage862, "cp863": charmap.CodePage863, "cp865": charmap.CodePage865,
	"cp866":     charmap.CodePage866,
	"iso8859_2": charmap.ISO8859_2, "iso8859_3": charmap.ISO8859_3, "iso8859_4": charmap.ISO8859_4,
	"iso8859_5": charmap.ISO8859_5, "iso8859_6": charmap.ISO8859_6, "iso8859_7": charmap.ISO8859_7,
	"iso8859_8": charmap.ISO8859_8, "iso8859_9": charmap.ISO8859_9, "iso8859_10": charmap.ISO8859_10,
	"iso8859_13": charmap.ISO8859_13, "iso8859_14": charmap.ISO8859_14,
	"iso8859_15": charmap.ISO8859_15, "iso8859_16": charmap.ISO8859_16,
	"koi8_r": charmap.KOI8R, "koi8_u": charmap.KOI8U,
	"mac_roman": charmap.Macintosh, "mac_cyrillic": charmap.MacintoshCyrillic,
	"cp874":  charmap.Windows874,
	"cp1250": charmap.Windows1250, "cp1251": charmap.Windows1251, "cp1252": charmap.Windows1252,
	"cp1253": charmap.Windows1253, "cp1254": charmap.Windows1254, "cp1255": charmap.Windows1255,
	"cp1256": charmap.Windows1256, "cp1257": charmap.Windows1257, "cp1258": charmap.Windows1258,
}

// codecOverrides are the bytes where Python's table differs from x/text's
// (-1: undefined in Python).
var codecOverrides = map[string]map[byte]rune{
	"koi8_u": {0xAE: 0x255D, 0xBE: 0x256C},
	"cp1255": {0xCA: -1},
}

// asciiCompatibleCodecs are multi-byte codecs Python knows whose decoding
// of pure-ASCII input is the identity; their tables are too large for the
// wasm build, so a file declaring one is accepted only if it is ASCII.
var asciiCompatibleCodecs = map[string]bool{
	"big5": true, "big5hkscs": true, "cp932": true, "cp949": true, "cp950": true,
	"euc_jis_2004": true, "euc_jisx0213": true, "euc_jp": true, "euc_kr": true,
	"gb18030": true, "gb2312": true, "gbk": true, "johab": true, "shift_jis": true,
	"shift_jis_2004": true, "shift_jisx0213": true,
	"932": true, "936": true, "949": true, "950": true, "big5_hkscs": true, "big5_tw": true,
	"chinese": true, "cp1361": true, "cp936": true, "csbig5": true, "csiso58gb231280": true,
	"csshiftjis": true, "euc_cn": true, "euc_jis2004": true, "euccn": true,
	"eucgb2312_cn": true, "eucjis2004": true, "eucjisx0213": true, "eucjp": true,
	"euckr": true, "gb18030_2000": true, "gb2312_1980": true, "gb2312_80": true, "hkscs": true,
	"iso_ir_58": true, "jisx0213": true, "korean": true, "ks_c_5601": true,
	"ks_c_5601_1987": true, "ks_x_1001": true, "ksc5601": true, "ksx1001": true, "ms1361": true,
	"ms932": true, "ms936": true, "ms949": true, "ms950": true, "ms_kanji": true, "mskanji": true,
	"s_jis": true, "s_jis_2004": true, "s_jisx0213": true, "shiftjis": true, "shiftjis2004": true,
	"shiftjisx0213": true, "sjis": true, "sjis_2004": true, "sjisx0213": true, "u_jis": true,
	"uhc": true, "ujis": true,
}

// decodeCoding decodes src (BOM already removed) from the declared coding
// enc into UTF-8. On failure it returns the offset of the culprit and
// CPython's message.
func decodeCoding(src []byte, enc string) (out []byte, at int, msg string) {
	codec := pyCodecName(enc)
	switch codec {
	case "latin_1":
		return latin1ToUTF8(src), 0, ""
	case "ascii":
		for i, c := range src {
			if c >= 0x80 {
				return nil, i, fmt.Sprintf("'ascii' codec can't decode byte 0x%02x in position %d: ordinal not in range(128)", c, i)
			}
		}
		return src, 0, ""
	case "utf_8":
		// A spelling the tokenizer does not normalise ("utf8"): Python
		// decodes the whole file strictly, comments included.
		if i, m := firstUTF8Error(string(src), 0, len(src)); m != "" {
			return nil, i, "'utf-8' codec can't decode " + m
		}
		return src, 0, ""
	}
	if cm := codecCharmaps[codec]; cm != nil {
		out := make([]byte, 0, len(src)+len(src)/4)
		for i, c := range src {
			if c < 0x80 && codec != "cp037" && codec != "cp1140" {
				out = append(out, c)
				continue
			}
			r := cm.DecodeByte(c)
			if r == utf8.RuneError && strings.HasPrefix(codec, "iso8859_") && c < 0xA0 {
				r = rune(c) // C1 controls, which Python's tables keep
			}
			if o, ok := codecOverrides[codec][c]; ok {
				r = o
			}
			if r == utf8.RuneError || r < 0 {
				return nil, i, fmt.Sprintf("'charmap' codec can't decode byte 0x%02x in position %d: character maps to <undefined>", c, i)
			}
			out = utf8.AppendRune(out, r)
		}
		return out, 0, ""
	}
	if asciiCompatibleCodecs[codec] {
		for i, c := range src {
			if c >= 0x80 {
				return nil, i, fmt.Sprintf("encoding %s is not supported by this parser for non-ASCII text (byte 0x%02x in position %d)", enc, c, i)
			}
		}
		return src, 0, ""
	}
	return nil, -1, "unknown encoding: " + enc
}

func latin1ToUTF8(src []byte) []byte {
	n := 0
	for _, c := range src {
		if c >= 0x80 {
			n++
		}
	}
	if n == 0 {
		return src
	}
	out := make([]byte, 0, len(src)+n)
	for _, c := range src {
		if c < 0x80 {
			out = append(out, c)
		} else {
			out = append(out, 0xC0|c>>6, 0x80|c&0x3F)
		}
	}
	return out
}

// firstUTF8Error finds the first invalid UTF-8 sequence in s[start:end] and
// returns its offset and the tail of CPython's UTF-8 decoder message,
// relative to start: "byte 0xff in position 3: invalid start byte" or
// "bytes in position 3-4: unexpected end of data". m is "" if s[start:end]
// is valid.
func firstUTF8Error(s string, start, end int) (at int, m string) {
	for i := start; i < end; {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:end])
		if r != utf8.RuneError || size > 1 {
			i += size
			continue
		}
		n, reason := utf8ErrorAt(s[i:end])
		pos := i - start
		if n == 1 {
			return i, fmt.Sprintf("byte 0x%02x in position %d: %s", c, pos, reason)
		}
		return i, fmt.Sprintf("bytes in position %d-%d: %s", pos, pos+n-1, reason)
	}
	return 0, ""
}

// utf8ErrorAt explains the invalid UTF-8 sequence at the start of s as
// CPython's decoder does: the number of bytes in the error range and the
// reason.
func utf8ErrorAt(s string) (n int, reason string) {
	c := s[0]
	var need int
	lo, hi := byte(0x80), byte(0xBF) // range of the second byte
	switch {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c >= 0xE0 && c <= 0xEF:
		need = 2
		if c == 0xE0 {
			lo = 0xA0
		} else if c == 0xED {
			hi = 0x9F
		}
	case c >= 0xF0 && c <= 0xF4:
		need = 3
		if c == 0xF0 {
			lo = 0x90
		} else if c == 0xF4 {
			hi = 0x8F
		}
	default:
		return 1, "invalid start byte"
	}
	for k := 1; k <= need; k++ {
		if k >= len(s) {
			return len(s), "unexpected end of data"
		}
		b := s[k]
		if k == 1 && (b < lo || b > hi) || k > 1 && (b < 0x80 || b > 0xBF) {
			return k, "invalid continuation byte"
		}
	}
	return need + 1, "invalid continuation byte" // not reached for invalid input
}

// invalidUTF8Message returns CPython's error for the first invalid UTF-8
// sequence in tok, a NAME-like token or stray text outside strings (the
// tokenizer decodes such a token as a whole): its byte offset in tok and
// the message. ok is false if tok is valid UTF-8.
func invalidUTF8Message(tok string) (off int, msg string, ok bool) {
	at, m := firstUTF8Error(tok, 0, len(tok))
	if m == "" {
		return 0, "", false
	}
	return at, "(unicode error) 'utf-8' codec can't decode " + m, true
}
