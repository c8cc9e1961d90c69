package cdf

import (
	"strings"
	"testing"
)

// TestDefaultLevelsLoad: the embedded catalogue loads and names only ACLs
// of the ACL catalogue, with actions they take.
func TestDefaultLevelsLoad(t *testing.T) {
	l := DefaultLevels()
	if len(l.Rules) == 0 || len(l.calls) != 2 {
		t.Fatalf("%d rules, %d call capabilities", len(l.Rules), len(l.calls))
	}
	for _, r := range l.Rules {
		for _, name := range r.ACLs {
			acl, ok := LookupACL(name)
			if !ok {
				t.Errorf("levels.toml names %s, which acl.toml does not know", name)
				continue
			}
			n := 0
			for _, act := range r.Actions {
				if acl.HasAction(act) {
					n++
				}
			}
			if n == 0 {
				t.Errorf("levels.toml: %s takes none of %v", name, r.Actions)
			}
		}
	}
}

func TestParseLevelsErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`[[rule]]
level = "boss"
acls = ["groupsAcl"]
actions = ["CREATE"]
scope = "all"
why = "x"`, `level must be admin or elevated, got "boss"`},
		{`[[rule]]
level = "admin"
acls = ["groupsAcl"]
actions = ["CREATE"]
scope = "some"
why = "x"`, `scope must be "all" or "any"`},
		{`[[rule]]
level = "admin"
scope = "all"`, "acls, actions and why are required"},
		{`call_capabilities = ["functions:RUN"]`, "is not a capability"},
		{`colour = "red"`, "unknown key"},
	} {
		if _, err := ParseLevels([]byte(tc.in)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseLevels(%q) = %v; want %q", tc.in, err, tc.want)
		}
	}
}

// TestLevelOverrides: a policy can add admin/elevated capabilities and
// stop built-in ones from counting.
func TestLevelOverrides(t *testing.T) {
	token := `{"capabilities":[
	  {"functionsAcl":{"actions":["WRITE","RUN"],"scope":{"all":{}}}},
	  {"sessionsAcl":{"actions":["CREATE"],"scope":{"all":{}}}},
	  {"filesAcl":{"actions":["WRITE"],"scope":{"datasetScope":{"ids":[4]}}}},
	  {"annotationsAcl":{"actions":["REVIEW"],"scope":{"all":{}}}}
	]}`
	a := mustAccess(t, "p", token)
	for _, tc := range []struct {
		name                    string
		admin, elevated, ignore []string
		want                    Level
		reason                  string
	}{
		{"default", nil, nil, nil, LevelElevated, "elevated: functionsAcl:WRITE on all — "},
		{"ignore functions write", nil, nil, []string{"functionsAcl:WRITE"}, LevelStandard, "standard: annotationsAcl:REVIEW on all"},
		{"annotations review is admin here", []string{"annotationsacl:review"}, nil, nil, LevelAdmin,
			"admin: annotationsAcl:REVIEW on all — your organisation's policy counts this permission as admin"},
		{"only on all: scoped files write does not count", nil, []string{"filesAcl:WRITE:all"}, []string{"functionsAcl:WRITE"}, LevelStandard, "standard: annotationsAcl:REVIEW"},
		{"any scope counts", nil, []string{"filesAcl:WRITE"}, []string{"functionsAcl:WRITE"}, LevelElevated, "elevated: filesAcl:WRITE only in data set 4 — "},
	} {
		l, err := DefaultLevels().WithOverrides(tc.admin, tc.elevated, tc.ignore)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got := Assess(a, l)
		if got.Level != tc.want || len(got.Reasons) == 0 || !strings.HasPrefix(got.Reasons[0], tc.reason) {
			t.Errorf("%s: %s %q; want %s starting %q", tc.name, got.Level, got.Reasons, tc.want, tc.reason)
		}
	}
	if got := Assess(a, DefaultLevels()); got.Level != LevelElevated {
		t.Errorf("overrides changed the default catalogue: %s", got.Level)
	}
	if _, err := DefaultLevels().WithOverrides([]string{"groups:CREATE"}, nil, nil); err == nil || !strings.Contains(err.Error(), "permissions.admin") {
		t.Errorf("bad spec: %v", err)
	}
}

func TestParseCapabilitySpec(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Capability
		onlyAll bool
		ok      bool
	}{
		{"assetsAcl:WRITE", Capability{"assetsAcl", "WRITE"}, false, true},
		{" extractionpipelinesacl:write:all ", Capability{"extractionPipelinesAcl", "WRITE"}, true, true},
		{"newThingAcl:WRITE_PROPERTIES", Capability{"newThingAcl", "WRITE_PROPERTIES"}, false, true},
		{"assets:WRITE", Capability{}, false, false},
		{"assetsAcl", Capability{}, false, false},
		{"assetsAcl:WRITE:some", Capability{}, false, false},
	} {
		c, onlyAll, err := ParseCapabilitySpec(tc.in)
		if (err == nil) != tc.ok || c != tc.want || onlyAll != tc.onlyAll {
			t.Errorf("ParseCapabilitySpec(%q) = %v %v %v", tc.in, c, onlyAll, err)
		}
	}
}

func TestLevelRankAndExplain(t *testing.T) {
	prev := -1
	for _, l := range []Level{LevelNone, LevelReadOnly, LevelStandard, LevelElevated, LevelAdmin} {
		if l.Rank() <= prev {
			t.Errorf("%s ranks %d, not above the level before", l, l.Rank())
		}
		prev = l.Rank()
		if strings.HasPrefix(l.Explain(), "Unknown") {
			t.Errorf("%s has no explanation", l)
		}
	}
	if Level("boss").Rank() != -1 {
		t.Error("unknown level ranked")
	}
}
