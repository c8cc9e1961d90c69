package policy

import (
	"slices"
	"strings"
	"testing"
)

// TestPermissionsSection: the [permissions] lists extend the defaults and
// each entry must be a capability; mistakes name the line and column.
func TestPermissionsSection(t *testing.T) {
	p, err := Load("p.toml", []byte(`[permissions]
admin = ["annotationsAcl:REVIEW", " filesAcl:WRITE:all "]
elevated = ["rawAcl:WRITE"]
ignore = ["functionsAcl:WRITE"]
`))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Permissions.Admin, []string{"annotationsAcl:REVIEW", "filesAcl:WRITE:all"}) ||
		!slices.Equal(p.Permissions.Elevated, []string{"rawAcl:WRITE"}) ||
		!slices.Equal(p.Permissions.Ignore, []string{"functionsAcl:WRITE"}) {
		t.Errorf("merged permissions = %+v", p.Permissions)
	}
	again, err := Load("effective.toml", p.MarshalTOML())
	if err != nil || !slices.Equal(again.Permissions.Admin, p.Permissions.Admin) {
		t.Errorf("effective policy does not read back: %v %+v", err, again)
	}
	if len(Default().Permissions.Admin) != 0 {
		t.Error("Load changed the defaults")
	}
	for _, tc := range []struct{ in, want string }{
		{"[permissions]\nadmin = [\"groups:CREATE\"]\n", `p.toml:2:10: "groups:CREATE" is not a capability`},
		{"[permissions]\nignore = [\"assetsAcl:WRITE:some\"]\n", `p.toml:2:11: "assetsAcl:WRITE:some" is not a capability`},
		{"[permissions]\nowner = []\n", "p.toml:2"},
	} {
		_, err := Load("p.toml", []byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Load(%q) = %v; want %q", tc.in, err, tc.want)
		}
	}
}
