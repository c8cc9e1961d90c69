package pyast

import (
	"fmt"
	"sort"
)

// ErrorKind is the Python exception type CPython would raise for an error.
type ErrorKind uint8

// Error kinds.
const (
	SyntaxError ErrorKind = iota
	IndentationError
	TabError
	ValueError // e.g. "source code string cannot contain null bytes" in some versions
	LimitError // a Preflight limit (size, depth, error count) was hit; not a CPython error
)

func (k ErrorKind) String() string {
	switch k {
	case IndentationError:
		return "IndentationError"
	case TabError:
		return "TabError"
	case ValueError:
		return "ValueError"
	case LimitError:
		return "LimitError"
	}
	return "SyntaxError"
}

// Error is one syntax error with its position.
type Error struct {
	Kind ErrorKind
	Pos  Pos    // byte offset in the decoded source
	Line int    // 1-based
	Col  int    // 0-based UTF-8 byte column
	Msg  string // CPython-like message, e.g. "invalid syntax"
}

func (e *Error) Error() string {
	return fmt.Sprintf("line %d, column %d: %s: %s", e.Line, e.Col+1, e.Kind, e.Msg)
}

// ErrorList is the list of errors of one parse, in source order.
type ErrorList []*Error

// Add appends an error.
func (l *ErrorList) Add(e *Error) { *l = append(*l, e) }

// Sort orders the errors by position.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool { return l[i].Pos < l[j].Pos })
}

// Err returns the list as an error, or nil if it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], len(l)-1)
}
