package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes r as the JSON report contract (DESIGN.md): a normalized
// copy of r (r itself is not changed), 2-space indentation, a trailing
// newline, no HTML escaping. Equal reports give identical bytes.
func WriteJSON(w io.Writer, r *Report) error {
	b, err := MarshalJSON(r)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// MarshalJSON returns what WriteJSON writes.
func MarshalJSON(r *Report) ([]byte, error) {
	n := r.normalized()
	if n.SchemaVersion == 0 {
		n.SchemaVersion = SchemaVersion
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(n); err != nil {
		return nil, fmt.Errorf("encode report: %w", err)
	}
	return buf.Bytes(), nil
}

// Decode reads a JSON report written by WriteJSON (or by another producer
// of the same contract). It rejects a schemaVersion other than
// SchemaVersion, bad severities and trailing data; unknown fields are
// ignored, so newer optional fields do not break older readers.
func Decode(rd io.Reader) (Report, error) {
	var r Report
	dec := json.NewDecoder(rd)
	if err := dec.Decode(&r); err != nil {
		return Report{}, fmt.Errorf("decode report: %w", err)
	}
	if dec.More() {
		return Report{}, fmt.Errorf("decode report: unexpected data after the report")
	}
	if r.SchemaVersion != SchemaVersion {
		return Report{}, fmt.Errorf("decode report: schemaVersion %d is not supported (want %d)", r.SchemaVersion, SchemaVersion)
	}
	return r, nil
}
