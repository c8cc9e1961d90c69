package report

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// TestPermissionsLimited: limited-scope entries are sorted, redacted and
// shown to people, and absent from JSON when there are none.
func TestPermissionsLimited(t *testing.T) {
	secret := "AKIAZZZZZZZZZZZZZZZZ"
	r := Report{Permissions: &Permissions{Project: "p", Level: "standard", CanCall: true,
		Limited: []string{"rawAcl:WRITE (you hold it only in RAW table " + secret + ".t; elsewhere it fails)", "assetsAcl:WRITE (you hold it only in data set 1; elsewhere it fails)"}}}
	r.RedactValues([]string{secret})
	r.Normalize()
	if !strings.HasPrefix(r.Permissions.Limited[0], "assetsAcl") || strings.Contains(r.Permissions.Limited[1], secret) {
		t.Errorf("limited not sorted and redacted: %q", r.Permissions.Limited)
	}
	var buf bytes.Buffer
	if err := WriteText(&buf, &r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "only in some places: assetsAcl:WRITE (you hold it only in data set 1; elsewhere it fails)") {
		t.Errorf("text lacks the limited entry:\n%s", buf.String())
	}
	r.Permissions.Limited = nil
	r.Normalize()
	data, err := MarshalJSON(&r)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(`"limited"`)) || !slices.Equal(r.Permissions.Limited, []string{}) {
		t.Errorf("empty limited list shown in JSON: %s", data)
	}
}
