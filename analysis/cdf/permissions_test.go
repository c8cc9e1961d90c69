package cdf

import (
	"slices"
	"testing"
)

func capStrings(cs []Capability) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ACL + ":" + c.Action
	}
	return out
}

func groupStrings(gs []NeedGroup) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.String()
	}
	return out
}

func TestCompare(t *testing.T) {
	a := mustAccess(t, "p", `{"capabilities":[
	  {"functionsAcl":{"actions":["RUN","READ"],"scope":{"all":{}}}},
	  {"sessionsAcl":{"actions":["CREATE"],"scope":{"all":{}}}},
	  {"assetsAcl":{"actions":["READ"],"scope":{"all":{}}}},
	  {"assetsAcl":{"actions":["WRITE"],"scope":{"datasetScope":{"ids":[11,12]}}}},
	  {"dataModelInstancesAcl":{"actions":["WRITE"],"scope":{"all":{}}}},
	  {"groupsAcl":{"actions":["CREATE","LIST"],"scope":{"all":{}}}}
	]}`)
	needs := []Need{
		{Capability{"assetsAcl", "WRITE"}, "client.assets.delete", "handler.py", 14},
		{Capability{"assetsacl", "write"}, "client.assets.create", "lib/util.py", 3},
		{Capability{"assetsAcl", "READ"}, "client.assets.list", "handler.py", 9},
		{Capability{"timeSeriesAcl", "WRITE"}, "client.time_series.data.insert", "handler.py", 20},
		{Capability{"dataModelInstancesAcl", "WRITE_PROPERTIES"}, "client.data_modeling.instances.apply", "handler.py", 30},
	}
	cmp := Compare(a, needs, nil)
	if got, want := groupStrings(cmp.Missing), []string{"timeSeriesAcl:WRITE — client.time_series.data.insert at handler.py:20"}; !slices.Equal(got, want) {
		t.Errorf("missing = %q, want %q", got, want)
	}
	if got, want := groupStrings(cmp.Limited), []string{
		"assetsAcl:WRITE (you hold it only in data sets 11, 12; elsewhere it fails) — client.assets.delete at handler.py:14, client.assets.create at lib/util.py:3",
	}; !slices.Equal(got, want) {
		t.Errorf("limited = %q, want %q", got, want)
	}
	// functionsAcl:RUN and sessionsAcl:CREATE serve the call; WRITE serves WRITE_PROPERTIES.
	if got, want := capStrings(cmp.Excess), []string{"functionsAcl:READ", "groupsAcl:CREATE", "groupsAcl:LIST"}; !slices.Equal(got, want) {
		t.Errorf("excess = %q, want %q", got, want)
	}
	if cmp.Needed != LevelStandard {
		t.Errorf("needed level %s %q, want standard", cmp.Needed, cmp.NeededReasons)
	}
}

func TestNeededLevel(t *testing.T) {
	for _, tc := range []struct {
		name  string
		needs []Need
		want  Level
	}{
		{"nothing", nil, LevelNone},
		{"reads", []Need{{Capability: Capability{"timeSeriesAcl", "READ"}}, {Capability: Capability{"rawAcl", "LIST"}}}, LevelReadOnly},
		{"writes data (a data set would do)", []Need{{Capability: Capability{"assetsAcl", "WRITE"}}}, LevelStandard},
		{"data models write (a space would do)", []Need{{Capability: Capability{"dataModelsAcl", "WRITE"}}}, LevelStandard},
		{"deploys functions", []Need{{Capability: Capability{"functionsAcl", "WRITE"}}}, LevelElevated},
		{"creates groups", []Need{{Capability: Capability{"groupsAcl", "CREATE"}}, {Capability: Capability{"assetsAcl", "READ"}}}, LevelAdmin},
		{"calls another function", []Need{{Capability: Capability{"functionsAcl", "RUN"}}, {Capability: Capability{"sessionsAcl", "CREATE"}}}, LevelReadOnly},
	} {
		cmp := Compare(&Access{Project: "p"}, tc.needs, nil)
		if cmp.Needed != tc.want {
			t.Errorf("%s: needs %s %q, want %s", tc.name, cmp.Needed, cmp.NeededReasons, tc.want)
		}
	}
}
