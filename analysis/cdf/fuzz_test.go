package cdf

import (
	"strings"
	"testing"
)

// FuzzParseFunction: any bytes give a function or an error, never a panic.
func FuzzParseFunction(f *testing.F) {
	for _, s := range []string{
		`{"id":1,"name":"x","secrets":{"a":"***"},"envVars":{"K":"v"},"metadata":{"m":1}}`,
		`{"items":[{"externalId":"x","cpu":0.25,"createdTime":1.7e12}]}`,
		`{"name":"x","id":"12"}`, `[]`, `null`, `{"items":[[]]}`, `{"name":"\ud800"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fn, err := ParseFunction(data)
		if (fn == nil) == (err == nil) {
			t.Fatalf("ParseFunction(%q) = %v, %v: want exactly one of function and error", data, fn, err)
		}
	})
}

// FuzzLookupRawRequest: any method and URL resolve or not, never panic,
// and a resolved request names an SDK call of the table.
func FuzzLookupRawRequest(f *testing.F) {
	for _, s := range [][2]string{
		{"POST", "https://api.cognitedata.com/api/v1/projects/p/assets/delete"},
		{"GET", "{…}/functions/{…}/calls/{…}/logs"}, {"", "/raw/dbs/a/tables/b/rows"},
		{"POST", "//x/y?z#w"}, {"get", "api/v1/projects"}, {"POST", "https://"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, method, url string) {
		c, ok := LookupRawRequest(method, url)
		if !ok {
			return
		}
		if _, known := LookupSDKCall(c.Path); !known || strings.TrimSpace(c.Path) == "" {
			t.Fatalf("LookupRawRequest(%q, %q) = %q, not an SDK call", method, url, c.Path)
		}
	})
}

// FuzzLookupSDKCall: resolved paths are canonical entries of the table.
func FuzzLookupSDKCall(f *testing.F) {
	for _, s := range []string{"assets.delete", "datapoints.insert", "assets", "_config.credentials.x", "a..b", "."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		c, ok := LookupSDKCall(path)
		if ok && c.Note == "" {
			t.Fatalf("LookupSDKCall(%q) = %+v without a note", path, c)
		}
	})
}
