package cdf

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pelletier/go-toml/v2"
)

//go:embed acl.toml
var aclTOML []byte

// ACL is one entry of the ACL catalogue (acl.toml): the actions it takes
// and the scope kinds it accepts.
type ACL struct {
	Name    string   `toml:"name"`
	Actions []string `toml:"actions"`
	Scopes  []string `toml:"scopes"`
	Source  string   `toml:"source"` // "" (Python SDK), "toolkit", "legacy", "openapi"
}

// HasAction reports whether the ACL takes action (case-insensitive).
func (a ACL) HasAction(action string) bool {
	for _, x := range a.Actions {
		if strings.EqualFold(x, action) {
			return true
		}
	}
	return false
}

var (
	aclOnce  sync.Once
	aclList  []ACL
	aclIndex map[string]int
	aclErr   error
)

func loadACLs() {
	aclOnce.Do(func() {
		aclList, aclErr = parseACLs(aclTOML)
		aclIndex = map[string]int{}
		for i, a := range aclList {
			aclIndex[strings.ToLower(a.Name)] = i
		}
	})
	if aclErr != nil {
		panic("cdf: embedded acl.toml: " + aclErr.Error())
	}
}

func parseACLs(data []byte) ([]ACL, error) {
	var f struct {
		ACL []ACL `toml:"acl"`
	}
	dec := toml.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, tomlError(err)
	}
	seen := map[string]bool{}
	for i, a := range f.ACL {
		if a.Name == "" || len(a.Actions) == 0 || len(a.Scopes) == 0 {
			return nil, fmt.Errorf("acl %d (%q): name, actions and scopes are required", i+1, a.Name)
		}
		k := strings.ToLower(a.Name)
		if seen[k] {
			return nil, fmt.Errorf("acl %q listed twice", a.Name)
		}
		seen[k] = true
	}
	return f.ACL, nil
}

// LookupACL finds an ACL by name, case-insensitively ("extractionpipelinesAcl"
// as the OpenAPI spec spells it finds extractionPipelinesAcl).
func LookupACL(name string) (ACL, bool) {
	loadACLs()
	i, ok := aclIndex[strings.ToLower(name)]
	if !ok {
		return ACL{}, false
	}
	return aclList[i], true
}

// ACLs returns the catalogue sorted by name.
func ACLs() []ACL {
	loadACLs()
	out := append([]ACL(nil), aclList...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
