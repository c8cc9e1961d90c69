package reqs

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// optKind says what an option does on a requirements line.
type optKind uint8

const (
	optGlobal     optKind = iota // a global option line (index, find-links, …)
	optRequire                   // -r: include a requirements file
	optConstraint                // -c: include a constraints file
	optEditable                  // -e: an editable requirement
	optHash                      // --hash: per requirement
	optConfig                    // --config-settings: per requirement
	optIgnored                   // --global-option: accepted, not kept
)

// optSpec is one option pip accepts in a requirements file
// (SUPPORTED_OPTIONS and SUPPORTED_OPTIONS_REQ).
type optSpec struct {
	long  []string // long spellings; the first is the canonical name
	short string   // "-i", or ""
	value bool     // takes an argument
	kind  optKind
}

var optSpecs = []optSpec{
	{long: []string{"--index-url", "--pypi-url"}, short: "-i", value: true},
	{long: []string{"--extra-index-url"}, value: true},
	{long: []string{"--no-index"}},
	{long: []string{"--constraint"}, short: "-c", value: true, kind: optConstraint},
	{long: []string{"--requirement"}, short: "-r", value: true, kind: optRequire},
	{long: []string{"--editable"}, short: "-e", value: true, kind: optEditable},
	{long: []string{"--find-links"}, short: "-f", value: true},
	{long: []string{"--no-binary"}, value: true},
	{long: []string{"--only-binary"}, value: true},
	{long: []string{"--prefer-binary"}},
	{long: []string{"--require-hashes"}},
	{long: []string{"--no-require-hashes"}}, // pip 26.2+
	{long: []string{"--pre"}},
	{long: []string{"--all-releases"}, value: true}, // pip 26+
	{long: []string{"--only-final"}, value: true},   // pip 26+
	{long: []string{"--trusted-host"}, value: true},
	{long: []string{"--use-feature"}, value: true},
	{long: []string{"--global-option"}, value: true, kind: optIgnored},
	{long: []string{"--hash"}, value: true, kind: optHash},
	{long: []string{"--config-settings"}, short: "-C", value: true, kind: optConfig},
}

// strongHashes are the algorithms pip accepts in --hash.
var strongHashes = []string{"sha256", "sha384", "sha512"}

// parsedOpt is one option occurrence on a line.
type parsedOpt struct {
	spec  *optSpec
	value string
}

// lookupLong finds a long option like optparse: an exact spelling, or an
// unambiguous prefix of one ("--extra" is "--extra-index-url").
func lookupLong(name string) (*optSpec, error) {
	var matches []string
	var found *optSpec
	for i := range optSpecs {
		for _, l := range optSpecs[i].long {
			if l == name {
				return &optSpecs[i], nil
			}
			if strings.HasPrefix(l, name) {
				matches = append(matches, l)
				found = &optSpecs[i]
			}
		}
	}
	switch len(matches) {
	case 0:
		return nil, fmt.Errorf("no such option: %s", name)
	case 1:
		return found, nil
	}
	sort.Strings(matches)
	return nil, fmt.Errorf("ambiguous option: %s (%s?)", name, strings.Join(matches, ", "))
}

func lookupShort(c byte) *optSpec {
	for i := range optSpecs {
		if s := optSpecs[i].short; len(s) == 2 && s[1] == c {
			return &optSpecs[i]
		}
	}
	return nil
}

// parseOptions parses shell-split option words the way optparse does:
// "--name=value", "--name value", "-xvalue", "-x value"; "--" ends the
// options; other words are positional and ignored (as pip ignores them).
func parseOptions(args []string) ([]parsedOpt, error) {
	var out []parsedOpt
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return out, nil
		case strings.HasPrefix(a, "--"):
			name, val, hasVal := strings.Cut(a, "=")
			spec, err := lookupLong(name)
			if err != nil {
				return nil, err
			}
			canon := spec.long[0]
			if !spec.value {
				if hasVal {
					return nil, fmt.Errorf("%s option does not take a value", canon)
				}
				out = append(out, parsedOpt{spec: spec})
				continue
			}
			if !hasVal {
				if i+1 >= len(args) {
					return nil, fmt.Errorf("%s option requires 1 argument", canon)
				}
				i++
				val = args[i]
			}
			out = append(out, parsedOpt{spec: spec, value: val})
		case len(a) > 1 && a[0] == '-':
			// A cluster of short options; every short option pip takes
			// in a requirements file has a value.
			spec := lookupShort(a[1])
			if spec == nil {
				return nil, fmt.Errorf("no such option: %s", a[:2])
			}
			val := a[2:]
			if val == "" {
				if i+1 >= len(args) {
					return nil, fmt.Errorf("%s option requires 1 argument", a[:2])
				}
				i++
				val = args[i]
			}
			out = append(out, parsedOpt{spec: spec, value: val})
		}
	}
	return out, nil
}

var (
	errNoClosingQuote = errors.New("No closing quotation")
	errNoEscaped      = errors.New("No escaped character")
)

// shlexSplit splits like Python's shlex.split (POSIX mode, no comments):
// whitespace separates words; '…' is literal; "…" allows \" and \\ escapes;
// outside quotes a backslash escapes the next character.
func shlexSplit(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\\':
			if i+1 >= len(s) {
				return nil, errNoEscaped
			}
			i++
			cur.WriteByte(s[i])
			inWord = true
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, errNoClosingQuote
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			inWord = true
			closed := false
			for i++; i < len(s); i++ {
				if s[i] == '"' {
					closed = true
					break
				}
				if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
					i++
				} else if s[i] == '\\' && i+1 >= len(s) {
					return nil, errNoEscaped
				}
				cur.WriteByte(s[i])
			}
			if !closed {
				return nil, errNoClosingQuote
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// breakArgsOptions splits a line at its first word starting with "-"
// (pip's break_args_options): words are split on single spaces, so the
// requirement keeps its markers as written.
func breakArgsOptions(line string) (args, opts string) {
	tokens := strings.Split(line, " ")
	for i, t := range tokens {
		if strings.HasPrefix(t, "-") {
			return strings.Join(tokens[:i], " "), strings.Join(tokens[i:], " ")
		}
	}
	return line, ""
}
