package reqs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The differential test runs pip's own requirements parser (pip 23.2.1 in
// the pyenv CPython 3.11.7; testdata/pip_oracle.py) over the line-form
// table and extra inputs, and compares per line: requirement or not, error
// or not, name, specifier, editable, index URL, extra index URLs, trusted
// hosts and hashes. Skipped when that pip is absent, unless
// PREFLIGHT_REQUIRE_PYTHON=1.

type pipLine struct {
	Line           int      `json:"line"`
	IsRequirement  bool     `json:"is_requirement"`
	IndexURL       *string  `json:"index_url"`
	ExtraIndexURLs []string `json:"extra_index_urls"`
	TrustedHosts   []string `json:"trusted_hosts"`
	Hashes         []string `json:"hashes"`
	Requirements   []string `json:"requirements"`
	Constraints    []string `json:"constraints"`
	Editable       bool     `json:"editable"`
	Name           string   `json:"name"`
	Specifier      string   `json:"specifier"`
	Error          string   `json:"error"`
}

// runPip returns pip's records per case, or skips the test.
func runPip(t *testing.T, cases []reqCase) [][]pipLine {
	t.Helper()
	type in struct {
		Text string            `json:"text"`
		Env  map[string]string `json:"env"`
	}
	var ins []in
	for _, c := range cases {
		ins = append(ins, in{c.text, c.env})
	}
	data, _ := json.Marshal(ins)
	cmd := exec.Command("python3", "testdata/pip_oracle.py")
	cmd.Env = append(os.Environ(), "PYENV_VERSION=3.11.7")
	cmd.Stdin = bytes.NewReader(data)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if os.Getenv("PREFLIGHT_REQUIRE_PYTHON") == "1" {
			t.Fatalf("pip oracle: %v\n%s", err, stderr.String())
		}
		t.Skipf("pip 23.2.1 oracle not available: %v", err)
	}
	var res [][]pipLine
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	return res
}

// oracleExtra: more inputs for the differential test only.
var oracleExtra = []string{
	"Requests>=2.0.0,<3.0.0",
	"a-b_c.d==1",
	"x[a,b,c]>=1; python_version>'3'",
	"name@https://example.com/n.zip",
	"name @ https://example.com/n.zip; os_name=='posix'",
	"name @ https://example.com/n.zip ;os_name=='posix'",
	"pkg==1.0.0rc1",
	"pkg>=1.0.post1,<2.0.dev3",
	"pkg==1!2.0",
	"pkg==1.0+local.1",
	"pkg~=1.4.5a4",
	"pkg ~= 2.2.post3",
	"pkg<=2 , >=1",
	"_bad",
	"bad_",
	"pkg[",
	"pkg[a",
	"pkg[]",
	"pkg)",
	"pkg(==1",
	"pkg ==1.0 ==2.0",
	"pkg=1.0,>2",
	"-e git+ssh://git@github.com/o/r.git#egg=r&subdirectory=sub",
	"-e hg+https://hg.example.com/r#egg=r",
	"-e svn+https://svn.example.com/r#egg=r",
	"-e bzr+https://bzr.example.com/r#egg=r",
	"-e git:https://nope#egg=r",
	"--index-url https://a.example.com/simple\n--index-url https://b.example.com/simple",
	"--extra-index-url https://a.example.com/ --extra-index-url=https://b.example.com/",
	"--trusted-host=a.example.com:8080",
	"pkg --hash=sha256:aa --hash=sha384:bb --hash=sha512:cc",
	"pkg --hash sha1:aa",
	"pkg --hash",
	"pkg --global-option=--no-user-cfg",
	"pkg\t--hash=sha256:aa",
	"pkg  --hash=sha256:aa",
	"pkg -- --hash=sha256:aa",
	"--requirement other.txt --index-url https://x.example.com/",
	"-c c.txt",
	"#comment only\n  # another",
	"pkg # comment --hash=sha256:aa",
	"pkg \\\n  --hash=sha256:aa \\\n  # comment\n",
	"pkg\\\\\n==1.0",
	"\\\npkg",
	"pkg==1.0;python_version<'3.8'",
	"pkg==1.0 ; python_version<'3.8' and sys_platform!='win32'",
	"pkg ; (python_version < '3.8' or (os_name == 'nt'))",
	"pkg ; python_version not in '3.6 3.7'",
	"pkg ; 'linux' in sys_platform",
	"pkg; extra == 'test'",
	"pkg;",
	"pkg; ",
	"pkg; python_version",
	"pkg; (python_version < '3.8'",
	"pkg; python_version <> '3.8'",
	"https://example.com/x.whl",
	"https://example.com/pkg-1.0-py3-none-any.whl; python_version>'3'",
	"https://example.com/pkg-1.0-py3-none-any.whl ; python_version>'3'",
	"http://example.com/pkg-1.0.tar.gz#egg=pkg",
	"ftp://example.com/pkg-1.0.tar.gz#egg=pkg",
	"pkg @ ftp://example.com/pkg.tar.gz",
	"pkg @ file:///tmp/pkg",
	"pkg @ example.com/pkg.zip",
	"pkg @ https:///pkg.zip",
	"pkg @",
	"git+https://github.com/o/r.git",
	"git+https://github.com/o/r.git#egg=r[extra]",
	"git+https://github.com/o/r.git#egg=bad name",
	"-e .[dev]",
	"--use-feature fast-deps",
	"--only-binary :none:",
	"--no-binary=:all: --prefer-binary",
	"-r",
	"-i https://x.example.com/simple extra-positional",
	"--index=https://x.example.com/simple",
	"--find https://x.example.com/",
	"-Ckey=v",
	"pkg -Ckey=v",
	"pkg==${VERSION}",
	"pkg==${MISSING}",
	"${NAME}==1.0",
	"-i ${INDEX}",
	"  pkg  ==  1.0  ",
	"PKG-Name_x.Y==1",
	"pkg==1.0.*.*",
	"pkg==1.*,<2",
	"pkg===anything-goes",
	"pkg>=1.0a",
	"pkg!=1.0.*",
	"1pkg",
	"pkg-",
	"pkg.",
	"p",
	"pkg [a] == 1",
	"pkg[a b]",
	"é",
	"pkg == 1.0 # comment",
	"pkg==1.0#comment",
	"pkg; python_version < '3.8' # comment",
}

func TestParseMatchesPip(t *testing.T) {
	cases := slices.Clone(lineForms)
	env := map[string]string{"VERSION": "1.2.3", "NAME": "flask", "INDEX": "https://i.example.com/simple"}
	for _, text := range oracleExtra {
		cases = append(cases, reqCase{text: text, env: env})
	}
	pip := runPip(t, cases)
	if len(pip) != len(cases) {
		t.Fatalf("pip returned %d results for %d cases", len(pip), len(cases))
	}
	compared, same := 0, 0
	for i, tc := range cases {
		if tc.pipDiffers != "" {
			continue
		}
		compared++
		f := Parse("requirements.txt", []byte(tc.text), tc.env)
		if diff := compareWithPip(f, pip[i]); diff != "" {
			t.Errorf("%q: %s", tc.text, diff)
			continue
		}
		same++
	}
	t.Logf("%d of %d inputs parsed as pip 23.2.1 does (%d known differences skipped)", same, compared, len(cases)-compared)
}

// compareWithPip compares our file with pip's records line by line.
func compareWithPip(f *File, pip []pipLine) string {
	errLines := map[int]bool{}
	for _, p := range f.Problems {
		if !strings.Contains(p.Msg, "will be ignored") {
			errLines[p.Line] = true
		}
	}
	reqs := map[int]Requirement{}
	for _, r := range f.Requirements {
		reqs[r.Line] = r
	}
	opts := map[int][]Option{}
	for _, o := range f.Options {
		opts[o.Line] = append(opts[o.Line], o)
	}
	var diffs []string
	seen := map[int]bool{}
	for _, p := range pip {
		if p.Line == -1 { // the whole parse stopped at an option error
			if len(errLines) == 0 {
				diffs = append(diffs, "pip: "+firstLine(p.Error)+"; we report no problem")
			}
			continue
		}
		seen[p.Line] = true
		if p.Error != "" {
			if !errLines[p.Line] {
				diffs = append(diffs, fmt.Sprintf("line %d: pip: %s; we accept it", p.Line, firstLine(p.Error)))
			}
			continue
		}
		if errLines[p.Line] {
			diffs = append(diffs, fmt.Sprintf("line %d: pip accepts it; we report a problem", p.Line))
			continue
		}
		r, isReq := reqs[p.Line]
		if isReq != p.IsRequirement {
			diffs = append(diffs, fmt.Sprintf("line %d: requirement: pip %v, ours %v", p.Line, p.IsRequirement, isReq))
			continue
		}
		if isReq {
			if r.Name != p.Name {
				diffs = append(diffs, fmt.Sprintf("line %d: name: pip %q, ours %q", p.Line, p.Name, r.Name))
			}
			if got := sortedSpec(r.Specifier); got != p.Specifier {
				diffs = append(diffs, fmt.Sprintf("line %d: specifier: pip %q, ours %q", p.Line, p.Specifier, got))
			}
			if r.Editable != p.Editable {
				diffs = append(diffs, fmt.Sprintf("line %d: editable: pip %v, ours %v", p.Line, p.Editable, r.Editable))
			}
			if got := sortedCopy(r.Hashes); fmt.Sprint(got) != fmt.Sprint(sortedCopy(p.Hashes)) {
				diffs = append(diffs, fmt.Sprintf("line %d: hashes: pip %v, ours %v", p.Line, p.Hashes, r.Hashes))
			}
			continue
		}
		var index string
		var extra, trusted []string
		for _, o := range opts[p.Line] {
			switch o.Name {
			case "--index-url":
				index = o.Value
			case "--extra-index-url":
				extra = append(extra, o.Value)
			case "--trusted-host":
				trusted = append(trusted, o.Value)
			}
		}
		pipIndex := ""
		if p.IndexURL != nil {
			pipIndex = *p.IndexURL
		}
		if index != pipIndex || fmt.Sprint(extra) != fmt.Sprint(nilIfEmpty(p.ExtraIndexURLs)) || fmt.Sprint(trusted) != fmt.Sprint(nilIfEmpty(p.TrustedHosts)) {
			diffs = append(diffs, fmt.Sprintf("line %d: options: pip %q %v %v, ours %q %v %v", p.Line, pipIndex, p.ExtraIndexURLs, p.TrustedHosts, index, extra, trusted))
		}
	}
	for _, r := range f.Requirements {
		if !seen[r.Line] && len(pip) > 0 && pip[len(pip)-1].Line != -1 {
			diffs = append(diffs, fmt.Sprintf("line %d: pip has no such line", r.Line))
		}
	}
	return strings.Join(diffs, "; ")
}

func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }

func sortedSpec(spec string) string {
	if spec == "" {
		return ""
	}
	parts := strings.Split(spec, ",")
	sort.Strings(parts)
	parts = slices.Compact(parts) // a SpecifierSet holds each clause once
	return strings.Join(parts, ",")
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	sort.Strings(c)
	return nilIfEmpty(c)
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}
