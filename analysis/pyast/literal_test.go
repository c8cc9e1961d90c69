package pyast

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// literalPython runs script with CPython 3.12 (pyenv), feeding it stdin, and
// returns its standard output; it skips the test when the interpreter is
// missing unless PREFLIGHT_REQUIRE_PYTHON=1.
func literalPython(t *testing.T, script string, stdin []byte) []byte {
	t.Helper()
	if runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("no CPython under wasm")
	}
	cmd := exec.Command("python3", "-c", script)
	cmd.Env = append(os.Environ(), "PYENV_VERSION=3.12.1", "PYTHONIOENCODING=utf-8")
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := "CPython 3.12.1 not usable: " + err.Error() + ": " + stderr.String()
		if os.Getenv("PREFLIGHT_REQUIRE_PYTHON") == "1" || strings.Contains(stderr.String(), "Traceback") {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return out
}

// pyLiteralScript evaluates each JSON-lines input (hex of the source bytes)
// with ast.parse and prints the value of the first Constant, or the error.
const pyLiteralScript = `
import ast, json, sys, struct, warnings
warnings.simplefilter("ignore")
for line in sys.stdin:
    src = bytes.fromhex(json.loads(line))
    try:
        tree = ast.parse(src)
        vals = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]
        v = vals[0] if vals else None
        if isinstance(v, str):
            rec = {"kind": "str", "hex": v.encode("utf-8", "surrogatepass").hex()}
        elif isinstance(v, bytes):
            rec = {"kind": "bytes", "hex": v.hex()}
        elif isinstance(v, bool) or v is None:
            rec = {"kind": "other"}
        elif isinstance(v, int):
            rec = {"kind": "int", "s": str(v) if v.bit_length() < 14000 else "big"}
        elif isinstance(v, float):
            rec = {"kind": "float", "bits": struct.unpack("<Q", struct.pack("<d", v))[0]}
        elif isinstance(v, complex):
            rec = {"kind": "complex", "bits": struct.unpack("<Q", struct.pack("<d", v.imag))[0]}
        else:
            rec = {"kind": "other"}
    except Exception as e:
        rec = {"kind": "error", "msg": getattr(e, "msg", str(e))}
    print(json.dumps(rec))
`

type pyLiteral struct {
	Kind string `json:"kind"`
	Hex  string `json:"hex"`
	S    string `json:"s"`
	Bits uint64 `json:"bits"`
	Msg  string `json:"msg"`
}

// cpythonLiterals asks CPython for the value of each source.
func cpythonLiterals(t *testing.T, sources []string) []pyLiteral {
	t.Helper()
	var in bytes.Buffer
	for _, s := range sources {
		b, _ := json.Marshal(hex.EncodeToString([]byte(s)))
		in.Write(b)
		in.WriteByte('\n')
	}
	out := literalPython(t, pyLiteralScript, in.Bytes())
	var res []pyLiteral
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var r pyLiteral
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		res = append(res, r)
	}
	if len(res) != len(sources) {
		t.Fatalf("CPython answered %d of %d sources", len(res), len(sources))
	}
	return res
}

// stringLiterals are STRING tokens checked against CPython.
var stringLiterals = []string{
	`"abc"`, `'abc'`, `""`, `''''''`, `"""a"b"""`, `u"x"`, `U'x'`, `r"\x"`, `R"\n"`, `rb"\x00"`, `Br'\q'`,
	`"\\"`, `"\'"`, `"\""`, `"\a\b\f\n\r\t\v"`, "\"a\\\nb\"", "'''a\\\nb\nc'''",
	`"\0"`, `"\08"`, `"\1234"`, `"\777"`, `"\400"`, `"\18"`, `"\8"`, `"\9"`, `b"\777"`, `b"\400"`, `b"\0"`, `b"\12"`,
	`"\x41"`, `"\xff"`, `"\xFf"`, `"\x"`, `"\x4"`, `"\x4g"`, `"é\x"`, `"éé\x4"`, `"\xé"`, `"\é"`, `"a\\é"`, `"\\\é"`, `"é\\"`,
	`"\u1234"`, `"\u12"`, `"\u123g"`, `"\U0001F600"`, `"\U1234"`, `"\U00110000"`, `"\Uffffffff"`, `"\U0010FFFF"`,
	`"\ud800"`, `"\udc00\ud800"`, `"\ud83d\ude00"`, `"\U0000d800"`, `"a\udfffb"`,
	`"\N"`, `"\N{"`, `"\N{}"`, `"\Nx"`, `"\N{foo}"`, `"\N{EM DASH"`, `"é\N{foo}"`, `"\N{foo}\x"`, `"\N{é}"`,
	`"\q"`, `"\{"`, `"\ "`, `b"\q"`, `b"\u1234"`, `b"\N{EM DASH}"`,
	`b"\x"`, `b"\x4"`, `b"a\x4g"`, `b"\x41\x42"`, `b'\xff'`, `b"abc"`, `rb"\xff"`,
	"b\"\xc3\xa9\"", "br\"\xff\"", "b'''a\xe9'''",
	"\"\xff\"", "\"\xc3\"", "\"\xc3\xa9\xff\"", "\"ab\\n\xc3\xa9\xff\"", "r\"a\xff\"", "\"\xed\xa0\x80\"",
	"\"\xf4\x90\x80\x80\"", "\"\xc0\x80\"", "\"\xe0\xa0\"", "r\"\xe0\xa0x\"", "\"\\x\xe0\xa0x\"", "\"\xe0\x80\"",
	"\"\xf0\x9f\x98\"", "r\"\xf0\x9f\x98\"", "\"\\\xff\"",
	`"\N{CJK UNIFIED IDEOGRAPH-4e00}"`, `"\N{cjk unified ideograph-4E00}"`, `"\N{hangul syllable gag}"`,
	`"\N{TANGUT IDEOGRAPH-17000}"`, `"\N{LF}"`, `"\N{LATIN CAPITAL LETTER GHA}"`, `"\N{latin small letter a}"`,
	`"\N{EM DASH}"`, `"\N{NO-BREAK SPACE}"`, `"\N{BYTE ORDER MARK}"`, `"x\N{EM DASH}y\N{DIGIT ONE}"`,
	"'日本語'", "'\\t日本\\x41語'", "'\\N{EM DASH}日'", "'日\\u1234'",
}

func TestDecodeStringTokenCPython(t *testing.T) {
	var sources []string
	for _, lit := range stringLiterals {
		sources = append(sources, "x = "+lit+"\n")
	}
	want := cpythonLiterals(t, sources)
	for i, lit := range stringLiterals {
		val, isBytes, approx, err := decodeStringToken(lit)
		w := want[i]
		switch {
		case w.Kind == "error":
			if err == nil {
				t.Errorf("%s: got %q, want error %q", lit, val, w.Msg)
			} else if err.Msg != w.Msg {
				t.Errorf("%s: error\n got %q\nwant %q", lit, err.Msg, w.Msg)
			}
		case err != nil:
			t.Errorf("%s: unexpected error %q (CPython: %s %s)", lit, err.Msg, w.Kind, w.Hex)
		case isBytes != (w.Kind == "bytes"):
			t.Errorf("%s: isBytes=%v, CPython says %s", lit, isBytes, w.Kind)
		case approx:
			if runtime.GOOS != "js" && runtime.GOOS != "wasip1" {
				t.Errorf("%s: approx in a native build", lit)
			}
		case hex.EncodeToString([]byte(val)) != w.Hex:
			t.Errorf("%s: got %x, want %s", lit, val, w.Hex)
		}
	}
}

// fstringMiddles are f-string literal parts (no fields) checked against
// CPython; each is wrapped as f"…" or rf"…".
var fstringMiddles = []struct {
	text string
	raw  bool
}{
	{`abc`, false}, {`a{{b}}c`, false}, {`\x41{{`, false}, {`\x41{{`, true}, {`\N{EM DASH}`, false},
	{`\N{LEFT CURLY BRACKET}}}`, false}, {`a\\{{`, false}, {`\n\t\u00e9`, false}, {`\x`, false},
	{`é\x`, false}, {`\q`, false}, {`}}`, false}, {`{{}}`, true}, {"a\\\nb", false}, {`\{{`, false},
}

func TestDecodeFStringMiddleCPython(t *testing.T) {
	var sources []string
	for _, m := range fstringMiddles {
		p := "f"
		if m.raw {
			p = "rf"
		}
		sources = append(sources, "x = "+p+"'''"+m.text+"'''\n")
	}
	want := cpythonLiterals(t, sources)
	for i, m := range fstringMiddles {
		val, approx, err := decodeFStringMiddle(m.text, m.raw)
		w := want[i]
		switch {
		case w.Kind == "error":
			if err == nil {
				t.Errorf("%q raw=%v: got %q, want error %q", m.text, m.raw, val, w.Msg)
			} else if err.Msg != w.Msg {
				t.Errorf("%q raw=%v: error\n got %q\nwant %q", m.text, m.raw, err.Msg, w.Msg)
			}
		case err != nil:
			t.Errorf("%q raw=%v: unexpected error %q", m.text, m.raw, err.Msg)
		case approx:
		case hex.EncodeToString([]byte(val)) != w.Hex:
			t.Errorf("%q raw=%v: got %q, want %s", m.text, m.raw, val, w.Hex)
		}
	}
}

// numberLiterals are NUMBER tokens checked against CPython.
var numberLiterals = []string{
	"0", "00", "0_0", "1", "123", "1_000", "123456789012345678901234567890", "0x1F", "0X_ff", "0o7_7", "0O17",
	"0b1_0", "0B0", "0xffffffffffffffff", "0x10000000000000000", "0o" + strings.Repeat("7", 40),
	"0b" + strings.Repeat("1", 100), "1.0", ".5", "5.", "1e5", "1E5", "1e+5", "1e-5", "1_0.0_1e1_0", "1e400", "1e-400",
	"1.7976931348623157e308", "1.7976931348623159e308", "4.9e-324", "2.4703282292062328e-324", "0.1", "3.14159265358979323846",
	"1j", "0j", "1J", "1.5j", "1e400j", "1_0j", "00j", "0.0", "0e0", "09.5", "012e3",
	strings.Repeat("1", 4300), strings.Repeat("1", 4301), strings.Repeat("1_", 4300) + "1",
	strings.Repeat("0", 5000), strings.Repeat("9", 4302) + ".0", strings.Repeat("1", 4301) + "j",
	"0x" + strings.Repeat("f", 3000),
}

func TestParseNumberCPython(t *testing.T) {
	var sources []string
	for _, n := range numberLiterals {
		sources = append(sources, "x = "+n+"\n")
	}
	want := cpythonLiterals(t, sources)
	for i, n := range numberLiterals {
		v, err := parseNumber(n)
		w := want[i]
		short := n
		if len(short) > 30 {
			short = short[:30] + "…"
		}
		if w.Kind == "error" {
			if err == nil || err.Msg != w.Msg {
				t.Errorf("%s: got %v %.40q %v, want error %q", short, v.Kind, v.S, err, w.Msg)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: unexpected error %q", short, err.Msg)
			continue
		}
		switch w.Kind {
		case "int":
			if v.Kind != ConstInt || (w.S != "big" && v.S != w.S) {
				t.Errorf("%s: got %v %q, want int %s", short, v.Kind, v.S, w.S)
			}
		case "float":
			if v.Kind != ConstFloat || math.Float64bits(v.F) != w.Bits {
				t.Errorf("%s: got %v %v, want float %v", short, v.Kind, v.F, math.Float64frombits(w.Bits))
			}
		case "complex":
			if v.Kind != ConstComplex || math.Float64bits(v.F) != w.Bits {
				t.Errorf("%s: got %v %v, want complex %v", short, v.Kind, v.F, math.Float64frombits(w.Bits))
			}
		default:
			t.Errorf("%s: CPython gave %s", short, w.Kind)
		}
	}
}

func TestDecodeStringTokenTable(t *testing.T) {
	for _, tt := range []struct {
		text, val     string
		isBytes, fail bool
	}{
		{`"abc"`, "abc", false, false},
		{`b"a\x00"`, "a\x00", true, false},
		{`"\ud800"`, "\xed\xa0\x80", false, false},
		{`"\U0001F600"`, "😀", false, false},
		{`'''a\
b'''`, "ab", false, false},
		{`"\x"`, "", false, true},
		{`"\q"`, `\q`, false, false},
		{`rb"\x"`, `\x`, true, false},
		{"b\"\xc3\xa9\"", "", true, true},
	} {
		val, isBytes, _, err := decodeStringToken(tt.text)
		if (err != nil) != tt.fail || val != tt.val || isBytes != tt.isBytes {
			t.Errorf("%s: got %q bytes=%v err=%v", tt.text, val, isBytes, err)
		}
	}
}

func TestDecodeStringTokenNoCopy(t *testing.T) {
	text := `"hello world"`
	allocs := testing.AllocsPerRun(100, func() {
		val, _, _, _ := decodeStringToken(text)
		if val != "hello world" {
			t.Fatal(val)
		}
	})
	if allocs != 0 {
		t.Errorf("escape-free literal allocates %v times", allocs)
	}
	allocs = testing.AllocsPerRun(100, func() { decodeStringToken(`"a\tb\u00e9\x41"`) })
	if allocs != 1 {
		t.Errorf("literal with escapes allocates %v times, want 1", allocs)
	}
	allocs = testing.AllocsPerRun(100, func() { parseNumber("12345") })
	if allocs != 0 {
		t.Errorf("plain decimal int allocates %v times", allocs)
	}
	allocs = testing.AllocsPerRun(100, func() { normalizeIdentifier("hello_world") })
	if allocs != 0 {
		t.Errorf("ASCII identifier allocates %v times", allocs)
	}
}

// FuzzDecodeStringToken checks the decoders never panic.
func FuzzDecodeStringToken(f *testing.F) {
	for _, s := range stringLiterals {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		decodeStringToken(s)
		decodeFStringMiddle(s, false)
		decodeFStringMiddle(s, true)
		parseNumber(s)
		normalizeIdentifier(s)
		DecodeSource([]byte(s))
	})
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
