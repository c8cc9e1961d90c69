package cdf

import (
	"strings"
	"testing"
)

func TestParseFunction(t *testing.T) {
	full := `{
  "id": 4503599627370497, "externalId": "fn_first_function", "name": "first:example:function",
  "description": "d", "owner": "user@example.com", "status": "Ready", "fileId": 1234567890,
  "functionPath": "src/handler.py", "createdTime": 1730204346000, "lastCalled": 1730204346000,
  "secrets": {"mysecret": "***"}, "envVars": {"CDF_ENV": "dev"}, "cpu": 1.0, "memory": 1.5,
  "runtime": "py311", "runtimeVersion": "Python 3.11.10",
  "metadata": {"cognite-toolkit-hash": "/=a6372056;handler.py=c2bdf618", "version": 1},
  "error": {"message": "Function deployment failed.", "trace": "ERROR"}, "functionType": "classic"}`
	fn, err := ParseFunction([]byte(full))
	if err != nil {
		t.Fatal(err)
	}
	if fn.ID != 4503599627370497 || fn.FileID != 1234567890 || fn.CreatedTime != 1730204346000 {
		t.Errorf("numbers: %d %d %d", fn.ID, fn.FileID, fn.CreatedTime)
	}
	if fn.ExternalID != "fn_first_function" || fn.Owner != "user@example.com" || fn.FunctionPath != "src/handler.py" ||
		fn.Runtime != "py311" || fn.CPU != 1.0 || fn.Memory != 1.5 || fn.Status != "Ready" {
		t.Errorf("fields: %+v", fn)
	}
	if fn.Secrets["mysecret"] != "***" || fn.EnvVars["CDF_ENV"] != "dev" || fn.Metadata["version"] != "1" {
		t.Errorf("maps: %v %v %v", fn.Secrets, fn.EnvVars, fn.Metadata)
	}

	wrapped, err := ParseFunction([]byte(`{"items":[` + full + `]}`))
	if err != nil || wrapped.ID != fn.ID {
		t.Errorf("items form: %v %v", wrapped, err)
	}
	ok := []string{
		`{"name":"x"}`,
		`  {"id": 1.7e12, "name": "x"}`, // integral float
		`{"id":"42","name":"x"}`,        // number as a string
		`{"name":"x","envVars":null,"metadata":{"a":null}}`,
	}
	for _, s := range ok {
		if _, err := ParseFunction([]byte(s)); err != nil {
			t.Errorf("ParseFunction(%s): %v", s, err)
		}
	}
}

func TestParseFunctionErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{``, "empty input"},
		{`null`, "null"},
		{`[1]`, "offset"},
		{`{"name": "x",}`, "offset 14"},
		{`{"name": "x"`, "offset"},
		{`{"name": 5}`, "name"},
		{`{"name":"x","id":1.5}`, "id: 1.5 is not an integer"},
		{`{"name":"x","cpu":"fast"}`, "cpu"},
		{`{"name":"x","secrets":[1]}`, "secrets"},
		{`{"items":[]}`, "items holds 0 functions"},
		{`{"items":[{"name":"a"},{"name":"b"}]}`, "items holds 2 functions"},
		{`{"items":5}`, "items"},
		{`{"foo":1}`, "not a function object"},
		{`{"name":"x"} {"name":"y"}`, "data after"},
		{strings.Repeat("[", 20000), "offset"},
	} {
		_, err := ParseFunction([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseFunction(%.40q): error %v, want one containing %q", tc.in, err, tc.want)
		}
	}
}
