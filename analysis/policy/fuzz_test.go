package policy

import (
	"errors"
	"reflect"
	"testing"
)

// FuzzLoad: Load never panics, every error names a place, and an accepted
// policy's effective form loads back to itself.
func FuzzLoad(f *testing.F) {
	f.Add(DefaultTOML())
	for _, s := range []string{
		"", "[gate]\nthreshold = \"hgih\"\n", "[[secrets.rules]]\nid='a'\nregex='(x'\n",
		"network.allowed_hosts = ['*.x.com', 'a b']\n", "rules = { \"PF-X-001\" = { enabled = false } }\n",
		"[limits]\nmax_files = -1\n", "a = [[[[[[1]]]]]]\n", "[rules.'']\n", "x = \"\\u0000\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		p, err := Load("f.toml", doc)
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %T %v is not a non-empty ErrorList", err, err)
			}
			for _, e := range list {
				if e.Name != "f.toml" || e.Line < 1 || e.Column < 1 || e.Msg == "" {
					t.Fatalf("error without a place: %+v", e)
				}
			}
			return
		}
		out := p.MarshalTOML()
		q, err := Load("effective.toml", out)
		if err != nil {
			t.Fatalf("effective policy does not load: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(p, q) {
			t.Fatalf("effective policy round trip differs:\n%s", out)
		}
	})
}
