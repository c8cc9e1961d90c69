package pyast

import (
	"fmt"
	"math/big"
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
	} else if v, ok := new(big.Int).SetString(digits, base); ok {
		return ConstValue{Kind: ConstInt, S: v.String()}, nil
	}
	return ConstValue{}, &literalError{Msg: "invalid number literal"}
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
