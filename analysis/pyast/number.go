package pyast

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// maxIntDigits is CPython's default sys.int_info.default_max_str_digits: a
// decimal int literal with more significant digits is a SyntaxError
// (3.11+).
const maxIntDigits = 4300

// parseNumber parses a NUMBER token's text into an int (decimal digits),
// float or complex constant with CPython's exact values. A float out of
// range is ±Inf as in CPython. The text is assumed well-formed (the scanner
// checked it); a malformed one gives an error rather than a wrong value.
func parseNumber(text string) (ConstValue, *literalError) {
	if text == "" {
		return ConstValue{}, &literalError{Msg: "invalid number"}
	}
	last := text[len(text)-1]
	if last == 'j' || last == 'J' {
		f, err := parsePyFloat(text[:len(text)-1])
		return ConstValue{Kind: ConstComplex, F: f}, err
	}
	if len(text) > 1 && text[0] == '0' {
		base := 0
		switch text[1] {
		case 'x', 'X':
			base = 16
		case 'o', 'O':
			base = 8
		case 'b', 'B':
			base = 2
		}
		if base != 0 {
			return parseBasedInt(text, base)
		}
	}
	if strings.ContainsAny(text, ".eE") {
		f, err := parsePyFloat(text)
		return ConstValue{Kind: ConstFloat, F: f}, err
	}
	return parseDecimalInt(text)
}

// parseDecimalInt returns the decimal digits of text without underscores
// and leading zeros; text itself when it has neither.
func parseDecimalInt(text string) (ConstValue, *literalError) {
	s := text
	if strings.IndexByte(s, '_') >= 0 {
		s = strings.ReplaceAll(s, "_", "")
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return ConstValue{}, &literalError{Msg: "invalid decimal literal"}
		}
	}
	s = strings.TrimLeft(s, "0")
	if s == "" {
		s = "0"
	}
	if len(s) > maxIntDigits {
		return ConstValue{}, &literalError{Msg: fmt.Sprintf("Exceeds the limit (%d digits) for integer string conversion: value has %d digits; use sys.set_int_max_str_digits() to increase the limit - Consider hexadecimal for huge integer literals to avoid decimal conversion limits.", maxIntDigits, len(s))}
	}
	return ConstValue{Kind: ConstInt, S: s}, nil
}

// parseBasedInt converts a 0x/0o/0b literal to decimal digits.
func parseBasedInt(text string, base int) (ConstValue, *literalError) {
	digits := text[2:]
	if strings.IndexByte(digits, '_') >= 0 {
		digits = strings.ReplaceAll(digits, "_", "")
	}
	if len(digits) <= 15 { // fits in 60 bits for every base
		if v, err := strconv.ParseUint(digits, base, 64); err == nil {
			return ConstValue{Kind: ConstInt, S: strconv.FormatUint(v, 10)}, nil
		}
	} else if s, ok := basedToDecimal(digits, base); ok {
		return ConstValue{Kind: ConstInt, S: s}, nil
	}
	return ConstValue{}, &literalError{Msg: "invalid number literal"}
}

// maxBasedIntBits bounds the 0x/0o/0b literals converted to decimal: the
// conversion is quadratic, and CPython itself cannot print an int of more
// than 4300 decimal digits. 1<<18 bits is about 79,000 digits.
const maxBasedIntBits = 1 << 18

// basedToDecimal converts digits in base 2, 8 or 16 (no sign, no
// underscores) to its decimal digits without leading zeros. It reports false
// for an empty or invalid digit string and for one over maxBasedIntBits.
func basedToDecimal(digits string, base int) (string, bool) {
	shift := uint(bits.TrailingZeros(uint(base)))
	if digits == "" || uint(len(digits))*shift > maxBasedIntBits {
		return "", false
	}
	const limbBase = 1_000_000_000 // nine decimal digits per limb
	// Little-endian base-1e9 limbs; a chunk of digits is folded in at a
	// time: limbs = limbs<<(k*shift) + chunk, with k*shift <= 28 bits.
	limbs := make([]uint32, 1, len(digits)*int(shift)/29+2)
	per := int(28 / shift)
	for i := 0; i < len(digits); i += per {
		chunk := digits[i:min(i+per, len(digits))]
		var v uint64
		for _, c := range []byte(chunk) {
			var d byte
			switch {
			case c >= '0' && c <= '9':
				d = c - '0'
			case c >= 'a' && c <= 'f':
				d = c - 'a' + 10
			case c >= 'A' && c <= 'F':
				d = c - 'A' + 10
			default:
				return "", false
			}
			if int(d) >= base {
				return "", false
			}
			v = v<<shift | uint64(d)
		}
		sh := uint(len(chunk)) * shift
		for j := range limbs {
			x := uint64(limbs[j])<<sh + v
			limbs[j] = uint32(x % limbBase)
			v = x / limbBase
		}
		for v > 0 {
			limbs = append(limbs, uint32(v%limbBase))
			v /= limbBase
		}
	}
	out := strconv.AppendUint(nil, uint64(limbs[len(limbs)-1]), 10)
	for j := len(limbs) - 2; j >= 0; j-- {
		s := strconv.FormatUint(uint64(limbs[j]), 10)
		out = append(out, "000000000"[len(s):]...)
		out = append(out, s...)
	}
	return string(out), true
}

// parsePyFloat converts a decimal float literal (underscores allowed) to the
// nearest float64, ±Inf on overflow, as CPython's float parsing does.
func parsePyFloat(text string) (float64, *literalError) {
	s := text
	if strings.IndexByte(s, '_') >= 0 {
		s = strings.ReplaceAll(s, "_", "")
	}
	for _, c := range []byte(s) {
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return 0, &literalError{Msg: "invalid number literal"}
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && err.(*strconv.NumError).Err != strconv.ErrRange {
		return 0, &literalError{Msg: "invalid number literal"}
	}
	return f, nil
}
