package pyast

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

// sourceCases end with a line `x = <string literal>`; CPython's value of that
// literal (or its error) is compared with DecodeSource + decodeStringToken.
var sourceCases = []string{
	"x = 'a'\n",
	"x = 1\nx = \"\xff\"\n",
	"x = \"\xc3\"\n",
	"# comment \xff\nx = 'a'\n",
	"y # \xe9\nx = 'a'\n",
	"a\x00b\nx = 'a'\n",
	"x = '\x00'\n",
	"\xef\xbb\xbf# coding: latin-1\nx = 'a'\n",
	"\xef\xbb\xbf# coding: utf-8\nx = 'a'\n",
	"\xef\xbb\xbf# coding: utf8\nx = 'a'\n",
	"\xef\xbb\xbf# coding: UTF-8\nx = 'a'\n",
	"\xef\xbb\xbf# coding: utf_8\nx = 'a'\n",
	"\xef\xbb\xbf# coding: latin1\nx = 'a'\n",
	"\xef\xbb\xbf# coding: koi8-r\nx = 'a'\n",
	"\xef\xbb\xbf# coding: utf-8-sig\nx = 'a'\n",
	"\xef\xbb\xbfx = '\xc3\xa9'\n",
	"\xef\xbb\xbfx = '\xff'\n",
	"# coding: foo\nx = 'a'\n",
	"# coding: FOO_bar\nx = 'a'\n",
	"# coding: latin-1\nx = '\xe9'\n",
	"# coding: latin-1-foo\nx = '\xe9'\n",
	"# coding: utf-8-foo\nx = '\xc3\xa9'\n",
	"\n# coding: latin-1\nx = '\xe9'\n",
	"  \n# coding: latin-1\nx = '\xe9'\n",
	"x=1\n# coding: latin-1\nx = '\xe9'\n",
	"\n\n# coding: latin-1\nx = '\xe9'\n",
	"\\\n# coding: latin-1\nx = '\xe9'\n",
	"  # vim: set fileencoding=koi8-r :\nx = '\xe9'\n",
	"# coding=UTF8\nx = 'a'\n",
	"# coding: utf8\n# \xff\nx = 'a'\n",
	"# coding: utf8\nx = '\xc3\xa9'\n",
	"# coding: ascii\nx = '\xe9'\n",
	"# coding: ascii\n#\xe9\nx = 'a'\n",
	"# coding: US-ASCII\nx = 'a'\n",
	"# coding: 646\nx = 'a'\n",
	"# coding: latin\nx = '\xe9'\n",
	"# coding: l1\nx = '\xe9'\n",
	"# coding: iso8859-1\nx = '\xe9'\n",
	"# coding: iso-8859-15\nx = '\xa4'\n",
	"# coding: iso_8859_15\nx = '\xa4'\n",
	"# coding: mac-roman\nx = '\xa4'\n",
	"# coding: cp437\nx = '\x80'\n",
	"# coding: cp1251\nx = '\xe9'\n",
	"# coding: cp1252\nx = '\x80'\n",
	"# coding: cp1252\nx = '\x81'\n",
	"# coding: windows-1252\nx = '\x80'\n",
	"#!/usr/bin/python\n# -*- coding: cp1252 -*-\nx = '\x80'\n",
	"# coding: euc-jp\nx = 'a'\n",
	"#coding:latin-1\nx = '\xe9'\n",
	"# coding:\tlatin-1\nx = '\xe9'\n",
	"\x0c# coding: latin-1\nx = '\xe9'\n",
	"x = 1 # coding: latin-1\nx = '\xe9'\n",
	"# -*- coding: latin-1; -*-\nx = '\xe9'\n",
	"# codingg: latin-1\nx = 'a'\n",
	"# coding : latin-1\nx = '\xe9'\n",
	"# encoding: latin-1\nx = '\xe9'\n",
	"# coding: latin-1\n# coding: foo\nx = '\xe9'\n",
	"# coding: utf-8\n# coding: foo\nx = 'a'\n",
	"#\n\n# coding: foo\nx = 'a'\n",
	"# coding: \nx = 'a'\n",
	"# coding: utf-8\xff\nx = 'a'\n",
	"# coding: latin-1\r\nx = '\xe9'\r\n",
	"# coding: latin-1\rx = '\xe9'\r",
	"y\r\nz\rx = 'a'",
	"# coding: latin-1\nx = '\xe9'",
	"# coding: bogus",
	"\n# coding: cp1252\rx = '\x80'",
	"x = '''a\r\nb\rc'''\n",
	"# coding: koi8-r\nx = '\xe9\xea'\n",
}

func TestDecodeSourceCPython(t *testing.T) {
	want := cpythonLiterals(t, sourceCases)
	for i, src := range sourceCases {
		w := want[i]
		dec, derr := DecodeSource([]byte(src))
		var val string
		var msg string
		if derr != nil {
			msg = derr.Msg
			if derr.Line < 1 || int(derr.Pos) > len(dec) {
				t.Errorf("%q: bad error position %+v", src, derr)
			}
		} else {
			lines := strings.Split(string(dec), "\nx = ")
			lit := strings.TrimRight(lines[len(lines)-1], "\n")
			if len(lines) == 1 {
				lit = strings.TrimPrefix(lit, "x = ")
			}
			v, _, _, lerr := decodeStringToken(lit)
			if lerr != nil {
				msg = lerr.Msg
			}
			val = v
		}
		switch {
		case w.Kind == "error":
			if msg != w.Msg {
				t.Errorf("%q: error\n got %q\nwant %q", src, msg, w.Msg)
			}
		case msg != "":
			t.Errorf("%q: unexpected error %q", src, msg)
		case w.Kind != "str":
			t.Errorf("%q: CPython gave %s", src, w.Kind)
		case hex.EncodeToString([]byte(val)) != w.Hex:
			t.Errorf("%q: got %x, want %s", src, val, w.Hex)
		}
	}
}

func TestDecodeSourceTable(t *testing.T) {
	for _, tt := range []struct {
		src, out  string
		line, col int
		msg       string
	}{
		{"x = 1\n", "x = 1\n", 0, 0, ""},
		{"\xef\xbb\xbfx\r\ny\rz", "x\ny\nz", 0, 0, ""},
		{"x\r\ny = 1\x00\n", "x\ny = 1\x00\n", 2, 5, "source code string cannot contain null bytes"},
		{"# coding: bogus\n", "# coding: bogus\n", 1, 10, "unknown encoding: bogus"},
		{"# coding: cp1252\r\n#\r\nx = '\x81'\r\n", "# coding: cp1252\n#\nx = '\x81'\n", 3, 5, "'charmap' codec can't decode byte 0x81 in position 24: character maps to <undefined>"},
		{"# coding: latin-1\n\xe9\n", "# coding: latin-1\n\xc3\xa9\n", 0, 0, ""},
	} {
		out, err := DecodeSource([]byte(tt.src))
		if string(out) != tt.out {
			t.Errorf("%q: got %q, want %q", tt.src, out, tt.out)
		}
		switch {
		case tt.msg == "" && err != nil:
			t.Errorf("%q: unexpected error %v", tt.src, err)
		case tt.msg != "" && (err == nil || err.Msg != tt.msg || err.Line != tt.line || err.Col != tt.col):
			t.Errorf("%q: got %+v, want %d:%d %q", tt.src, err, tt.line, tt.col, tt.msg)
		case err != nil && !bytes.Equal(out[err.Pos-Pos(err.Col):err.Pos], []byte(out[NewFile("", out).LineStart(err.Line):err.Pos])):
			t.Errorf("%q: Pos %d disagrees with line %d col %d", tt.src, err.Pos, err.Line, err.Col)
		}
	}
	// Nothing to change: the input itself comes back.
	src := []byte("x = 1\n")
	if out, _ := DecodeSource(src); &out[0] != &src[0] {
		t.Error("DecodeSource copied a source that needs no change")
	}
}

// TestCodecTablesCPython checks each single-byte coding table byte by byte
// against Python's codec of the same name.
func TestCodecTablesCPython(t *testing.T) {
	var names []string
	for n := range codecCharmaps {
		names = append(names, n)
	}
	script := `
import sys, json
for name in sys.stdin.read().split():
    row = []
    for b in range(256):
        try: row.append(ord(bytes([b]).decode(name)))
        except UnicodeDecodeError: row.append(-1)
    print(json.dumps([name, row]))
`
	out := literalPython(t, script, []byte(strings.Join(names, " ")))
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var rec [2]any
		if err := jsonUnmarshal(line, &rec); err != nil {
			t.Fatal(err)
		}
		name := rec[0].(string)
		for b, v := range rec[1].([]any) {
			want := int(v.(float64))
			dec, at, msg := decodeCoding([]byte{byte(b)}, name)
			got := -1
			if msg == "" {
				r := []rune(string(dec))
				got = int(r[0])
			} else if at != 0 {
				t.Fatalf("%s: error at %d", name, at)
			}
			if got != want {
				t.Errorf("%s byte 0x%02x: got U+%04X, want U+%04X", name, b, got, want)
			}
		}
	}
}
