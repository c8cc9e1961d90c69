package reqs

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Decoding follows pip's auto_decode: a UTF-8/16/32 byte-order mark wins;
// otherwise a "coding: X" / "coding=X" comment on one of the first two lines
// (a line starting with "#", as in PEP 263) names the encoding; otherwise
// UTF-8. Supported: UTF-8, ASCII, Latin-1 and cp1252 (the encodings seen in
// real requirements files); another name is a problem and the bytes are read
// as UTF-8. Invalid bytes become U+FFFD with one problem naming the line.

var codingRE = regexp.MustCompile(`coding[:=][ \t\f\v\r]*([-\w.]+)`)

type bom struct {
	prefix string
	enc    string
}

// Longest first: the UTF-32LE mark starts with the UTF-16LE one.
var boms = []bom{
	{"\x00\x00\xfe\xff", "utf-32-be"},
	{"\xff\xfe\x00\x00", "utf-32-le"},
	{"\xef\xbb\xbf", "utf-8"},
	{"\xfe\xff", "utf-16-be"},
	{"\xff\xfe", "utf-16-le"},
}

// decode turns the file's bytes into text, with problems for what could not
// be decoded.
func decode(data []byte) (string, []Problem) {
	for _, b := range boms {
		if bytes.HasPrefix(data, []byte(b.prefix)) {
			return decodeAs(b.enc, data[len(b.prefix):])
		}
	}
	lines := bytes.SplitN(data, []byte("\n"), 3)
	for _, line := range lines[:min(2, len(lines))] {
		if len(line) > 0 && line[0] == '#' {
			if m := codingRE.FindSubmatch(line); m != nil {
				return decodeAs(string(m[1]), data)
			}
		}
	}
	return decodeAs("utf-8", data)
}

// decodeAs decodes with a named encoding (Python's spellings).
func decodeAs(enc string, data []byte) (string, []Problem) {
	name := strings.ReplaceAll(strings.ToLower(enc), "_", "-")
	switch name {
	case "utf-8", "utf8", "u8", "utf", "utf-8-sig", "cp65001":
		return decodeUTF8(data)
	case "ascii", "us-ascii", "646":
		for i, c := range data {
			if c >= 0x80 {
				return decodeUTF8Lossy(data, []Problem{{Line: lineAt(data, i), Msg: fmt.Sprintf("byte 0x%02x is not ASCII (the file declares coding %s)", c, enc)}})
			}
		}
		return string(data), nil
	case "latin-1", "latin1", "l1", "iso-8859-1", "iso8859-1", "8859", "cp819", "iso-ir-100", "latin":
		return decodeSingleByte(data, nil), nil
	case "cp1252", "windows-1252":
		return decodeSingleByte(data, &cp1252), nil
	case "utf-16-le", "utf-16-be":
		return decodeUTF16(data, name == "utf-16-be")
	case "utf-32-le", "utf-32-be":
		return decodeUTF32(data, name == "utf-32-be")
	}
	s, probs := decodeUTF8(data)
	return s, append([]Problem{{Line: 1, Msg: fmt.Sprintf("unsupported encoding %q: read as UTF-8", enc)}}, probs...)
}

func decodeUTF8(data []byte) (string, []Problem) {
	if utf8.Valid(data) {
		return string(data), nil
	}
	i := 0
	for i < len(data) {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		i += n
	}
	return decodeUTF8Lossy(data, []Problem{{Line: lineAt(data, i), Msg: fmt.Sprintf("invalid UTF-8 (byte 0x%02x): the file is not UTF-8 and declares no coding", data[i])}})
}

func decodeUTF8Lossy(data []byte, probs []Problem) (string, []Problem) {
	return strings.ToValidUTF8(string(data), "\uFFFD"), probs
}

// lineAt is the 1-based line of byte offset i.
func lineAt(data []byte, i int) int {
	return bytes.Count(data[:i], []byte("\n")) + 1
}

// cp1252 maps 0x80–0x9f; the other bytes are Latin-1. Undefined positions
// decode to U+FFFD.
var cp1252 = [32]rune{
	0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
	0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
}

func decodeSingleByte(data []byte, high *[32]rune) string {
	var b strings.Builder
	b.Grow(len(data))
	for _, c := range data {
		switch {
		case c < 0x80:
			b.WriteByte(c)
		case high != nil && c < 0xa0:
			b.WriteRune(high[c-0x80])
		default:
			b.WriteRune(rune(c))
		}
	}
	return b.String()
}

func decodeUTF16(data []byte, bigEndian bool) (string, []Problem) {
	var probs []Problem
	if len(data)%2 != 0 {
		probs = append(probs, Problem{Line: 1, Msg: "truncated UTF-16 data (odd number of bytes)"})
		data = data[:len(data)-1]
	}
	u := make([]uint16, len(data)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
		} else {
			u[i] = uint16(data[2*i+1])<<8 | uint16(data[2*i])
		}
	}
	return string(utf16.Decode(u)), probs
}

func decodeUTF32(data []byte, bigEndian bool) (string, []Problem) {
	var probs []Problem
	if len(data)%4 != 0 {
		probs = append(probs, Problem{Line: 1, Msg: "truncated UTF-32 data"})
		data = data[:len(data)/4*4]
	}
	var b strings.Builder
	for i := 0; i < len(data); i += 4 {
		var r uint32
		if bigEndian {
			r = uint32(data[i])<<24 | uint32(data[i+1])<<16 | uint32(data[i+2])<<8 | uint32(data[i+3])
		} else {
			r = uint32(data[i+3])<<24 | uint32(data[i+2])<<16 | uint32(data[i+1])<<8 | uint32(data[i])
		}
		if r > utf8.MaxRune {
			r = utf8.RuneError
		}
		b.WriteRune(rune(r))
	}
	return b.String(), probs
}
