package cdf

import (
	_ "embed"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pelletier/go-toml/v2"
)

//go:embed sdk.toml
var sdkTOML []byte

// sdkFile is the shape of sdk.toml.
type sdkFile struct {
	Call []struct {
		API           string   `toml:"api"`
		Methods       []string `toml:"methods"`
		Caps          []string `toml:"caps"`
		Effects       []string `toml:"effects"`
		Note          string   `toml:"note"`
		OverwriteWhen []string `toml:"overwrite_when"`
	} `toml:"call"`
	Alias []struct {
		From string `toml:"from"`
		To   string `toml:"to"`
	} `toml:"alias"`
	Resource []struct {
		HTTP string `toml:"http"`
		API  string `toml:"api"`
	} `toml:"resource"`
	REST map[string]string `toml:"rest"`
}

// effectNames are the effect words of sdk.toml.
var effectNames = map[string]Effect{
	"read":       EffectRead,
	"write":      EffectWrite,
	"delete":     EffectDelete,
	"overwrite":  EffectOverwrite,
	"privilege":  EffectPrivilege,
	"runs-code":  EffectRunsCode,
	"credential": EffectCredential,
	"raw":        EffectRaw,
}

// String names the effects, "delete|privilege".
func (e Effect) String() string {
	var names []string
	for name, bit := range effectNames {
		if e&bit != 0 {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return strings.Join(names, "|")
}

// Has reports whether e has any effect of m.
func (e Effect) Has(m Effect) bool { return e&m != 0 }

// sdkTables is sdk.toml compiled for lookups.
type sdkTables struct {
	exact    map[string]*SDKCall // "assets.delete"
	prefixes []prefixCall        // "assets.aggregate_" for "assets.aggregate_*"
	apis     map[string]bool     // every API path with methods: "assets", "iam.groups", ""
	aliases  []aliasRule         // longest From first
	routes   []route             // REST requests
}

type prefixCall struct {
	prefix string
	call   *SDKCall
}

type aliasRule struct{ from, to string }

var (
	sdkOnce sync.Once
	sdkData *sdkTables
	sdkErr  error
)

// sdkTable returns the compiled embedded table; a broken table is a build
// defect, caught by the package tests, so it panics here.
func sdkTable() *sdkTables {
	sdkOnce.Do(func() { sdkData, sdkErr = compileSDK(sdkTOML) })
	if sdkErr != nil {
		panic("cdf: embedded sdk.toml: " + sdkErr.Error())
	}
	return sdkData
}

// compileSDK checks and indexes an sdk.toml.
func compileSDK(data []byte) (*sdkTables, error) {
	var f sdkFile
	dec := toml.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, tomlError(err)
	}
	t := &sdkTables{exact: map[string]*SDKCall{}, apis: map[string]bool{}}
	for i, c := range f.Call {
		where := fmt.Sprintf("call %d (api %q)", i+1, c.API)
		if len(c.Methods) == 0 || c.Note == "" || len(c.Effects) == 0 {
			return nil, fmt.Errorf("%s: methods, effects and note are required", where)
		}
		var eff Effect
		for _, e := range c.Effects {
			bit, ok := effectNames[e]
			if !ok {
				return nil, fmt.Errorf("%s: unknown effect %q", where, e)
			}
			eff |= bit
		}
		caps := make([]Capability, 0, len(c.Caps))
		for _, s := range c.Caps {
			acl, action, ok := strings.Cut(s, ":")
			if !ok || acl == "" || action == "" {
				return nil, fmt.Errorf("%s: capability %q is not ACL:ACTION", where, s)
			}
			caps = append(caps, Capability{ACL: acl, Action: action})
		}
		t.apis[c.API] = true
		for _, m := range c.Methods {
			path := joinPath(c.API, strings.TrimSuffix(m, "*"))
			call := &SDKCall{Path: path, Capabilities: caps, Effects: eff, Note: c.Note, OverwriteWhen: c.OverwriteWhen}
			if strings.HasSuffix(m, "*") {
				t.prefixes = append(t.prefixes, prefixCall{prefix: path, call: call})
				continue
			}
			if _, dup := t.exact[path]; dup {
				return nil, fmt.Errorf("%s: method %q listed twice", where, path)
			}
			t.exact[path] = call
		}
	}
	// Longer prefixes win: "config.credentials.authorization_" before "config.credentials.".
	sort.SliceStable(t.prefixes, func(i, j int) bool { return len(t.prefixes[i].prefix) > len(t.prefixes[j].prefix) })
	for _, a := range f.Alias {
		if a.From == "" || a.To == "" {
			return nil, fmt.Errorf("alias %q → %q: both ends are required", a.From, a.To)
		}
		t.aliases = append(t.aliases, aliasRule{a.From, a.To})
	}
	sort.SliceStable(t.aliases, func(i, j int) bool { return len(t.aliases[i].from) > len(t.aliases[j].from) })
	if err := t.compileREST(&f); err != nil {
		return nil, err
	}
	return t, nil
}

func joinPath(api, method string) string {
	if api == "" {
		return method
	}
	if method == "" {
		return api + "."
	}
	return api + "." + method
}

// lookup resolves an SDK path: exact, then a legacy alias rewrite, then
// iteration over an API (`client.assets(...)` lists).
func (t *sdkTables) lookup(path string) (SDKCall, bool) {
	if c, ok := t.find(path); ok {
		return c, true
	}
	if rewritten, ok := t.rewrite(path); ok {
		if c, ok := t.find(rewritten); ok {
			return c, true
		}
		path = rewritten
	}
	// Calling an API object iterates it: client.assets(chunk_size=…) is list.
	if path != "" && t.apis[path] {
		if c, ok := t.find(path + ".list"); ok {
			return c, true
		}
	}
	return SDKCall{}, false
}

func (t *sdkTables) find(path string) (SDKCall, bool) {
	if c, ok := t.exact[path]; ok {
		return *c, true
	}
	for _, p := range t.prefixes {
		if len(path) > len(p.prefix) && strings.HasPrefix(path, p.prefix) {
			// The wildcard covers one method name, not deeper paths.
			if strings.Contains(path[len(p.prefix):], ".") {
				continue
			}
			c := *p.call
			c.Path = path
			return c, true
		}
	}
	return SDKCall{}, false
}

// rewrite applies the first (longest) alias whose From is the path or a
// dotted prefix of it.
func (t *sdkTables) rewrite(path string) (string, bool) {
	for _, a := range t.aliases {
		if path == a.from {
			return a.to, true
		}
		if strings.HasPrefix(path, a.from+".") {
			return a.to + path[len(a.from):], true
		}
	}
	return "", false
}

// SDKCalls returns every exact entry of the table, sorted by path (for
// documentation and tests).
func SDKCalls() []SDKCall {
	t := sdkTable()
	out := make([]SDKCall, 0, len(t.exact))
	for _, c := range t.exact {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// tomlError makes go-toml's errors name the line and the key.
func tomlError(err error) error {
	var de *toml.DecodeError
	var se *toml.StrictMissingError
	switch {
	case errors.As(err, &se):
		var keys []string
		for _, e := range se.Errors {
			row, col := e.Position()
			keys = append(keys, fmt.Sprintf("%d:%d: unknown key %q", row, col, strings.Join(e.Key(), ".")))
		}
		return errors.New(strings.Join(keys, "; "))
	case errors.As(err, &de):
		row, col := de.Position()
		return fmt.Errorf("%d:%d: %v", row, col, de)
	}
	return err
}
