package cdf

import (
	"strings"
	"testing"
)

func mustAccess(t *testing.T, project, token string) *Access {
	t.Helper()
	ti, err := ParseTokenInspect([]byte(token))
	if err != nil {
		t.Fatal(err)
	}
	return ti.ForProject(project)
}

// TestHas: CDF's evaluation semantics over real token shapes.
func TestHas(t *testing.T) {
	a := mustAccess(t, "p", `{"capabilities":[
	  {"assetsAcl":{"actions":["READ"],"scope":{"all":{}}},"projectScope":{"allProjects":{}}},
	  {"assetsAcl":{"actions":["WRITE"],"scope":{"datasetScope":{"ids":[11,12]}}},"projectScope":{"projects":["p"]}},
	  {"assetsAcl":{"actions":["WRITE"],"scope":{"datasetScope":{"ids":[13]}}},"projectScope":{"projects":["p"]}},
	  {"assetsAcl":{"actions":["WRITE"],"scope":{"all":{}}},"projectScope":{"projects":["other"]}},
	  {"rawAcl":{"actions":["READ","WRITE"],"scope":{"tableScope":{"dbsToTables":{"sales":{"tables":[]},"ops":{"tables":["alarms"]}}}}},"projectScope":{"allProjects":{}}},
	  {"dataModelInstancesAcl":{"actions":["WRITE"],"scope":{"spaceIdScope":{"spaceIds":["sp1"]}}},"projectScope":{"allProjects":{}}},
	  {"timeSeriesAcl":{"actions":["READ"],"scope":{"idscope":{"ids":[5]}}},"projectScope":{"allProjects":{}}},
	  {"timeSeriesAcl":{"actions":["READ"],"scope":{"datasetScope":{"ids":[11]}}},"projectScope":{"allProjects":{}}},
	  {"functionsAcl":{"actions":["WRITE"],"scope":{"all":{}}},"projectScope":{"allProjects":{}}}
	]}`)
	ds := func(ids ...int64) Scope { return Scope{Kind: ScopeDataSet, IDs: ids} }
	tables := func(db string, ts ...string) Scope {
		return Scope{Kind: ScopeTable, Tables: map[string][]string{db: ts}}
	}
	for _, tc := range []struct {
		cap  string
		in   Scope
		want bool
	}{
		{"assetsAcl:READ", All, true},                                      // all
		{"assetsAcl:READ", ds(99), true},                                   // all covers every narrower scope
		{"ASSETSACL:read", ds(99), true},                                   // names and actions in any case
		{"assetsAcl:WRITE", ds(11), true},                                  // listed
		{"assetsAcl:WRITE", ds(11, 13), true},                              // union of two grants
		{"assetsAcl:WRITE", ds(14), false},                                 // not listed (no data-set hierarchy)
		{"assetsAcl:WRITE", All, false},                                    // all only in another project
		{"assetsAcl:WRITE", Scope{Kind: ScopeID, IDs: []int64{11}}, false}, // other kind
		{"rawAcl:WRITE", tables("sales", "orders"), true},                  // db without tables = every table
		{"rawAcl:WRITE", tables("sales"), true},                            // the whole db
		{"rawAcl:WRITE", tables("ops", "alarms"), true},
		{"rawAcl:WRITE", tables("ops", "other"), false},
		{"rawAcl:WRITE", tables("ops"), false}, // some tables do not cover the whole db
		{"rawAcl:WRITE", tables("hr", "x"), false},
		{"dataModelInstancesAcl:WRITE_PROPERTIES", Scope{Kind: ScopeSpaceID, Names: []string{"sp1"}}, true}, // covered by WRITE
		{"dataModelInstancesAcl:WRITE_PROPERTIES", Scope{Kind: ScopeSpaceID, Names: []string{"sp2"}}, false},
		{"timeSeriesAcl:READ", Scope{Kind: ScopeID, IDs: []int64{5}}, true}, // idscope == idScope
		{"timeSeriesAcl:READ", ds(11), true},
		{"timeSeriesAcl:READ", All, false},
		{"functionsAcl:RUN", All, true}, // the older WRITE lets one call
		{"eventsAcl:READ", All, false},
	} {
		acl, action, _ := strings.Cut(tc.cap, ":")
		if got := a.Has(Capability{ACL: acl, Action: action}, tc.in); got != tc.want {
			t.Errorf("Has(%s, %+v) = %v, want %v", tc.cap, tc.in, got, tc.want)
		}
	}
}

func TestHoldingWhere(t *testing.T) {
	a := mustAccess(t, "p", `{"capabilities":[
	  {"assetsAcl":{"actions":["WRITE"],"scope":{"datasetScope":{"ids":[12,11]}}}},
	  {"assetsAcl":{"actions":["WRITE"],"scope":{"datasetScope":{"ids":[11]}}}},
	  {"timeSeriesAcl":{"actions":["WRITE"],"scope":{"datasetScope":{"ids":[1]}}}},
	  {"timeSeriesAcl":{"actions":["WRITE"],"scope":{"assetRootIdScope":{"rootIds":[42]}}}},
	  {"eventsAcl":{"actions":["WRITE"],"scope":{"datasetScope":{"ids":[1]}}}},
	  {"eventsAcl":{"actions":["WRITE"],"scope":{"all":{}}}},
	  {"dataModelInstancesAcl":{"actions":["WRITE"],"scope":{"spaceIdScope":{"spaceIds":["a","b"]}}}}
	]}`)
	for _, tc := range []struct{ cap, want string }{
		{"assetsAcl:WRITE", "only in data sets 11, 12"},
		{"timeSeriesAcl:WRITE", "only under root asset 42 and only in data set 1"},
		{"eventsAcl:WRITE", "on all"},
		{"dataModelInstancesAcl:WRITE_PROPERTIES", "only in spaces a, b"},
		{"filesAcl:READ", "nowhere"},
	} {
		acl, action, _ := strings.Cut(tc.cap, ":")
		if got := a.Holding(Capability{ACL: acl, Action: action}).Where(); got != tc.want {
			t.Errorf("%s held %q, want %q", tc.cap, got, tc.want)
		}
	}
}

func TestScopeDescribe(t *testing.T) {
	for _, tc := range []struct {
		acl  string
		s    Scope
		want string
	}{
		{"assetsAcl", All, "on all"},
		{"groupsAcl", Scope{Kind: ScopeCurrentUser}, "only for your own groups"},
		{"datasetsAcl", Scope{Kind: ScopeID, IDs: []int64{3}}, "only for data set 3"},
		{"securityCategoriesAcl", Scope{Kind: ScopeID, IDs: []int64{3, 4}}, "only for security categories 3, 4"},
		{"experimentAcl", Scope{Kind: ScopeExperiment, Names: []string{"x"}}, "only for experiment x"},
		{"assetsAcl", Scope{Kind: ScopeDataSet, IDs: []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}, "only in data sets 1, 2, 3, 4, 5, 6, 7, 8 and 2 more"},
		{"rawAcl", Scope{Kind: ScopeTable, Tables: map[string][]string{"a": {"t"}, "b": {}}}, "only in RAW table a.t; database b (all tables)"},
		{"newAcl", Scope{Kind: "galaxyScope", IDs: []int64{1}}, "only in scope galaxyScope 1"},
		{"newAcl", Scope{Kind: "x\x1b[31m"}, "only in scope x[31m"}, // control characters never reach a terminal
	} {
		if got := tc.s.Describe(tc.acl); got != tc.want {
			t.Errorf("Describe(%s, %+v) = %q, want %q", tc.acl, tc.s, got, tc.want)
		}
	}
}
