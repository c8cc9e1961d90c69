package pyoracle

import "testing"

func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		name         string
		ours, theirs string
		minor        int
		want         string
	}{
		{"equal", `{"_t":"Module","body":[]}`, `{"_t":"Module","body":[]}`, 12, ""},
		{"type",
			`{"_t":"Module","body":[{"_p":[1,0,1,1],"_t":"Pass"}]}`,
			`{"_t":"Module","body":[{"_p":[1,0,1,5],"_t":"Break"}]}`, 12,
			`Module.body[0]: Pass[1,0,1,1] vs Break[1,0,1,5]`},
		{"len",
			`{"_t":"Module","body":[{"_t":"Pass"}]}`,
			`{"_t":"Module","body":[{"_t":"Pass"},{"_t":"Break"}]}`, 12,
			`Module.body len 1 vs 2 (extra Break)`},
		{"leaf",
			`{"_t":"Module","body":[{"_t":"Expr","value":{"_t":"Name","ctx":"Load","id":"x"}}]}`,
			`{"_t":"Module","body":[{"_t":"Expr","value":{"_t":"Name","ctx":"Store","id":"x"}}]}`, 12,
			`Module.body[0]/Expr.value/Name.ctx "Load" vs "Store"`},
		{"structure before positions",
			`{"_t":"Module","body":[{"_p":[1,0,1,1],"_t":"Expr","value":{"_t":"Constant","value":{"int":"1"}}}]}`,
			`{"_t":"Module","body":[{"_p":[1,0,1,2],"_t":"Expr","value":{"_t":"Constant","value":{"int":"2"}}}]}`, 12,
			`Module.body[0]/Expr.value/Constant.value {"int":"1"} vs {"int":"2"}`},
		{"positions",
			`{"_t":"Module","body":[{"_p":[1,0,1,1],"_t":"Pass"}]}`,
			`{"_t":"Module","body":[{"_p":[1,0,1,2],"_t":"Pass"}]}`, 12,
			`Module.body[0]/Pass._p [1,0,1,1] vs [1,0,1,2]`},
		{"missing field",
			`{"_t":"Module","body":[{"_t":"TypeVar","name":"T"}]}`,
			`{"_t":"Module","body":[{"_t":"TypeVar","default_value":null,"name":"T"}]}`, 13,
			`Module.body[0]/TypeVar.default_value missing in ours (theirs null)`},
		{"fstring constants merged, empty dropped",
			`{"_t":"JoinedStr","values":[{"_p":[1,2,1,5],"_t":"Constant","value":{"str":"abc"}}]}`,
			`{"_t":"JoinedStr","values":[{"_p":[1,2,1,3],"_t":"Constant","value":{"str":"a"}},{"_p":[1,3,1,5],"_t":"Constant","value":{"str":"bc"}},{"_p":[1,5,1,5],"_t":"Constant","value":{"str":""}}]}`,
			12, ""},
		{"fstring strx merge",
			`{"_t":"JoinedStr","values":[{"_t":"Constant","value":{"strx":"61eda080"}}]}`,
			`{"_t":"JoinedStr","values":[{"_t":"Constant","value":{"str":"a"}},{"_t":"Constant","value":{"strx":"eda080"}}]}`,
			12, ""},
		{"3.11 masks positions below JoinedStr",
			`{"_p":[1,0,1,9],"_t":"JoinedStr","values":[{"_p":[1,2,1,3],"_t":"Constant","value":{"str":"a"}},{"_p":[1,3,1,6],"_t":"FormattedValue","conversion":-1,"format_spec":null,"value":{"_p":[1,4,1,5],"_t":"Name","ctx":"Load","id":"x"}}]}`,
			`{"_p":[1,0,1,9],"_t":"JoinedStr","values":[{"_p":[1,0,1,9],"_t":"Constant","value":{"str":"a"}},{"_p":[1,0,1,9],"_t":"FormattedValue","conversion":-1,"format_spec":null,"value":{"_p":[1,0,1,9],"_t":"Name","ctx":"Load","id":"x"}}]}`,
			11, ""},
		{"3.12 compares positions below JoinedStr",
			`{"_t":"JoinedStr","values":[{"_p":[1,2,1,3],"_t":"Constant","value":{"str":"a"}}]}`,
			`{"_t":"JoinedStr","values":[{"_p":[1,0,1,9],"_t":"Constant","value":{"str":"a"}}]}`,
			12, `JoinedStr.values[0]/Constant._p [1,2,1,3] vs [1,0,1,9]`},
	} {
		got, err := Compare([]byte(tc.ours), []byte(tc.theirs), tc.minor)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}
