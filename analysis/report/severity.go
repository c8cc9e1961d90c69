package report

import (
	"fmt"
	"strings"
)

// severityNames are the JSON and TOML spellings of the severities, by value.
var severityNames = [...]string{Info: "info", Low: "low", Medium: "medium", High: "high", Critical: "critical"}

// String returns "info", "low", "medium", "high" or "critical" (and
// "severity(N)" for a value outside the scale).
func (s Severity) String() string {
	if s >= Info && s <= Critical {
		return severityNames[s]
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// Valid reports whether s is one of the five severities.
func (s Severity) Valid() bool { return s >= Info && s <= Critical }

// ParseSeverity reads "info", "low", "medium", "high" or "critical"
// (case-insensitive, surrounding spaces ignored).
func ParseSeverity(s string) (Severity, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	for i, name := range severityNames {
		if t == name {
			return Severity(i), nil
		}
	}
	return Info, fmt.Errorf("severity must be one of info, low, medium, high, critical — got %q", s)
}

// MarshalText writes the severity's name, so JSON holds "high", not 3.
func (s Severity) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, fmt.Errorf("invalid severity %d", int(s))
	}
	return []byte(severityNames[s]), nil
}

// UnmarshalText reads a severity's name (see ParseSeverity).
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}
