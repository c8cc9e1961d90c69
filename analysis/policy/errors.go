package policy

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"

	toml "github.com/pelletier/go-toml/v2"
)

// Error is one mistake in a policy, at a line and column of the document.
type Error struct {
	Name   string // the document's name, e.g. "policy.toml"
	Line   int    // 1-based
	Column int    // 1-based
	Key    string // the setting, e.g. "gate.threshold" ("" for syntax errors)
	Msg    string // what is wrong, in words for people who do not program
}

// Error returns "NAME:LINE:COL: message".
func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.Name, e.Line, e.Column, e.Msg)
}

// Friendly returns "line 3, column 13: message", for the options page.
func (e *Error) Friendly() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// ErrorList is every mistake found in a policy, in document order.
type ErrorList []*Error

// Error returns the errors one per line.
func (l ErrorList) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// sort orders the list by position.
func (l ErrorList) sort() {
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].Line != l[j].Line {
			return l[i].Line < l[j].Line
		}
		return l[i].Column < l[j].Column
	})
}

// maxErrors caps how many errors one policy reports.
const maxErrors = 50

// decodeErrors turns go-toml's errors into Errors with readable messages.
func decodeErrors(name string, err error) ErrorList {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		var list ErrorList
		for i := range strict.Errors {
			de := &strict.Errors[i]
			line, col := de.Position()
			list = append(list, &Error{Name: name, Line: max(line, 1), Column: max(col, 1),
				Key: strings.Join(de.Key(), "."), Msg: unknownKeyMessage(de.Key())})
		}
		return list
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, col := de.Position()
		key := []string(de.Key())
		return ErrorList{{Name: name, Line: max(line, 1), Column: max(col, 1),
			Key: strings.Join(key, "."), Msg: decodeMessage(key, de.Error())}}
	}
	return ErrorList{{Name: name, Line: 1, Column: 1, Msg: err.Error()}}
}

// typeMismatch matches go-toml's "cannot decode TOML string into …".
var typeMismatch = regexp.MustCompile(`^cannot decode TOML ([a-z ]+?) into `)

// decodeMessage rewrites a go-toml message in plain words.
func decodeMessage(key []string, msg string) string {
	msg = strings.TrimPrefix(msg, "toml: ")
	name := "value"
	if len(key) > 0 {
		name = key[len(key)-1]
	}
	if m := typeMismatch.FindStringSubmatch(msg); m != nil {
		if t, ok := fieldType(key); ok {
			return fmt.Sprintf("%s must be %s — got %s", name, describeType(t), tomlKind(m[1]))
		}
		return fmt.Sprintf("%s cannot be %s here", name, tomlKind(m[1]))
	}
	switch {
	case strings.Contains(msg, "too large"), strings.Contains(msg, "out of range"), strings.Contains(msg, "overflow"):
		return fmt.Sprintf("%s: the number is too large", name)
	case strings.Contains(msg, "already exists"), strings.Contains(msg, "already defined"):
		return fmt.Sprintf("%s is given twice (%s)", strings.Join(key, "."), msg)
	}
	return "TOML syntax: " + msg
}

// tomlKind names a TOML value kind for people.
func tomlKind(k string) string {
	switch k {
	case "string":
		return "text"
	case "integer":
		return "a whole number"
	case "float":
		return "a decimal number"
	case "boolean", "bool":
		return "true/false"
	case "array":
		return "a list"
	case "table", "inline table", "inline-table":
		return "a section"
	}
	return "a " + k
}

// describeType says what a setting of Go type t must be written as.
func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return `text in quotes, like "high"`
	case reflect.Int, reflect.Int64:
		return "a whole number, like 2000"
	case reflect.Float64:
		return "a number, like 3.5"
	case reflect.Bool:
		return "true or false"
	case reflect.Pointer:
		return describeType(t.Elem())
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Struct {
			return "a list of sections ([[...]])"
		}
		return `a list in brackets, like ["a", "b"]`
	case reflect.Struct, reflect.Map:
		return "a section of settings"
	}
	return t.String()
}

// fieldType finds the Go type of the setting at key.
func fieldType(key []string) (reflect.Type, bool) {
	t := reflect.TypeOf(Policy{})
	for _, k := range key {
		for t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Struct:
			f, ok := fieldByTag(t, k)
			if !ok {
				return nil, false
			}
			t = f.Type
		case reflect.Map:
			t = t.Elem()
		default:
			return nil, false
		}
	}
	return t, true
}

// fieldByTag finds the struct field whose toml tag is name.
func fieldByTag(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if tomlName(f) == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func tomlName(f reflect.StructField) string {
	tag, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	return tag
}

// unknownKeyMessage says a key is unknown, where, and what was probably meant.
func unknownKeyMessage(key []string) string {
	if len(key) == 0 {
		return "unknown setting"
	}
	name := key[len(key)-1]
	parent := reflect.TypeOf(Policy{})
	where := ""
	if len(key) > 1 {
		where = " in [" + strings.Join(key[:len(key)-1], ".") + "]"
		t, ok := fieldType(key[:len(key)-1])
		if !ok {
			return fmt.Sprintf("unknown setting %q%s", name, where)
		}
		for t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		parent = t
	}
	if parent.Kind() != reflect.Struct {
		return fmt.Sprintf("unknown setting %q%s", name, where)
	}
	var known []string
	for i := 0; i < parent.NumField(); i++ {
		known = append(known, tomlName(parent.Field(i)))
	}
	msg := fmt.Sprintf("unknown setting %q%s", name, where)
	if s := closest(name, known); s != "" {
		return msg + fmt.Sprintf(" — did you mean %q?", s)
	}
	return msg + " — known settings: " + strings.Join(known, ", ")
}

// closest returns the candidate within edit distance 2 of s (case
// ignored), or "".
func closest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(s), c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of two short strings.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 30
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
