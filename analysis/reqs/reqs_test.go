package reqs

import (
	"fmt"
	"strings"
	"testing"
)

// reqCase is one requirements text and what a user relies on from it.
type reqCase struct {
	text string
	env  map[string]string
	// want: one string per parsed item, in line order:
	//   R line name canon [extras] spec pinned kind url editable marker hashes
	//   O line name value
	//   I line path constraint
	//   P line message-substring
	want []string
	// pipDiffers, when set, explains why pip 23.2.1 parses it differently.
	pipDiffers string
}

func describe(f *File) []string {
	type item struct {
		line int
		s    string
	}
	var items []item
	kinds := []string{"name", "url", "vcs", "path"}
	for _, r := range f.Requirements {
		s := fmt.Sprintf("R %d %s %s %v %q pinned=%v %s %q", r.Line, r.Name, r.Canonical, r.Extras, r.Specifier, r.Pinned, kinds[r.Kind], r.URL)
		if r.Editable {
			s += " editable"
		}
		if r.Marker != "" {
			s += " marker=" + r.Marker
		}
		if len(r.Hashes) > 0 {
			s += fmt.Sprintf(" hashes=%v", r.Hashes)
		}
		if len(r.ConfigSettings) > 0 {
			s += fmt.Sprintf(" config=%v", r.ConfigSettings)
		}
		items = append(items, item{r.Line, s})
	}
	for _, o := range f.Options {
		items = append(items, item{o.Line, fmt.Sprintf("O %d %s %s", o.Line, o.Name, o.Value)})
	}
	for _, i := range f.Includes {
		items = append(items, item{i.Line, fmt.Sprintf("I %d %s constraint=%v", i.Line, i.Path, i.Constraint)})
	}
	for _, p := range f.Problems {
		items = append(items, item{p.Line, fmt.Sprintf("P %d %s", p.Line, p.Msg)})
	}
	// stable order by line, then kind
	for i := 1; i < len(items); i++ {
		for j := i; j > 0 && items[j].line < items[j-1].line; j-- {
			items[j], items[j-1] = items[j-1], items[j]
		}
	}
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.s
	}
	return out
}

var lineForms = []reqCase{
	// names and version specifiers
	{text: "requests", want: []string{`R 1 requests requests [] "" pinned=false name ""`}},
	{text: "requests==2.31.0", want: []string{`R 1 requests requests [] "==2.31.0" pinned=true name ""`}},
	{text: "Flask_Login >= 0.6 , < 1.0", want: []string{`R 1 Flask_Login flask-login [] ">=0.6,<1.0" pinned=false name ""`}},
	{text: "numpy==1.26.*", want: []string{`R 1 numpy numpy [] "==1.26.*" pinned=false name ""`}},
	{text: "pandas===2.0.0-custom", want: []string{`R 1 pandas pandas [] "===2.0.0-custom" pinned=true name ""`}},
	{text: "Django~=4.2.1", want: []string{`R 1 Django django [] "~=4.2.1" pinned=false name ""`}},
	{text: "pkg!=1.0,!=1.1", want: []string{`R 1 pkg pkg [] "!=1.0,!=1.1" pinned=false name ""`}},
	{text: "pkg (>=1.0,<2)", want: []string{`R 1 pkg pkg [] ">=1.0,<2" pinned=false name ""`}},
	{text: "pkg>1,<2", want: []string{`R 1 pkg pkg [] ">1,<2" pinned=false name ""`}},
	{text: "pkg==1.0,==1.0", want: []string{`R 1 pkg pkg [] "==1.0,==1.0" pinned=true name ""`}}, // one clause, as in pip's SpecifierSet
	{text: "zope.interface==6.0", want: []string{`R 1 zope.interface zope-interface [] "==6.0" pinned=true name ""`}},
	{text: "requests[security,socks]==2.31.0", want: []string{`R 1 requests requests [security socks] "==2.31.0" pinned=true name ""`}},
	{text: "requests [ security ]", want: []string{`R 1 requests requests [security] "" pinned=false name ""`}},
	// markers
	{text: `pywin32>=300; sys_platform == "win32"`, want: []string{`R 1 pywin32 pywin32 [] ">=300" pinned=false name "" marker=sys_platform == "win32"`}},
	{text: `dataclasses;python_version<"3.7" and (os_name=='posix' or extra == "x")`, want: []string{`R 1 dataclasses dataclasses [] "" pinned=false name "" marker=python_version<"3.7" and (os_name=='posix' or extra == "x")`}},
	{text: `pkg; python_version < 3.8`, want: []string{`P 1 Invalid marker: 'python_version < 3.8', parse error at`}},
	{text: `pkg; bogus_var == "1"`, want: []string{`P 1 Invalid marker`}},
	// invalid specifiers
	{text: "foo=1.0", want: []string{`P 1 Invalid requirement: 'foo=1.0': = is not a valid operator. Did you mean == ?`}},
	{text: "foo 1.0", want: []string{`P 1 Invalid requirement: 'foo 1.0'`}},
	{text: "foo==1.0[bar]", want: []string{`P 1 Extras after version '==1.0[bar]'.`}},
	{text: "foo~=1", want: []string{`P 1 Invalid requirement: 'foo~=1'`}},
	{text: "foo==", want: []string{`P 1 Invalid requirement: 'foo=='`}, pipDiffers: "pip 23 (packaging 21.3 legacy specifiers) accepts an empty version; pip ≥ 24.1 refuses it"},
	{text: "pkg >", want: []string{`P 1 Invalid requirement: 'pkg >'`}, pipDiffers: "pip 23 accepts an empty version; pip ≥ 24.1 refuses it"},
	{text: "-foo", want: []string{"O 1 --find-links oo"}}, // optparse reads -f with the value "oo"
	// direct URL, archives, VCS
	{text: `pkg @ https://example.com/pkg-1.0.tar.gz ; python_version >= "3.8"`, want: []string{`R 1 pkg pkg [] "" pinned=false url "https://example.com/pkg-1.0.tar.gz" marker=python_version >= "3.8"`}},
	{text: `pkg[extra] @ git+https://github.com/org/pkg.git@v1.2.3`, want: []string{`R 1 pkg pkg [extra] "" pinned=false vcs "git+https://github.com/org/pkg.git@v1.2.3"`}},
	{text: `https://example.com/dist/thing-1.0-py3-none-any.whl`, want: []string{`R 1 thing thing [] "==1.0" pinned=true url "https://example.com/dist/thing-1.0-py3-none-any.whl"`}},
	{text: `https://example.com/dist/thing-1.0.tar.gz#egg=thing`, want: []string{`R 1 thing thing [] "" pinned=false url "https://example.com/dist/thing-1.0.tar.gz#egg=thing"`}},
	{text: `https://example.com/dist/thing-1.0.tar.gz`, want: []string{`R 1   [] "" pinned=false url "https://example.com/dist/thing-1.0.tar.gz"`}},
	{text: `git+https://github.com/org/repo.git@abc123#egg=repo`, want: []string{`R 1 repo repo [] "" pinned=false vcs "git+https://github.com/org/repo.git@abc123#egg=repo"`}},
	{text: `git+ssh://git@github.com/org/repo.git#egg=repo`, want: []string{`R 1 repo repo [] "" pinned=false vcs "git+ssh://git@github.com/org/repo.git#egg=repo"`}},
	{text: `git+file:///srv/repo#egg=repo`, want: []string{`R 1 repo repo [] "" pinned=false vcs "git+file:///srv/repo#egg=repo"`}},
	{text: `git+http://example.com/repo#egg=repo`, want: []string{`R 1 repo repo [] "" pinned=false vcs "git+http://example.com/repo#egg=repo"`}},
	{text: `git+git://example.com/repo#egg=repo`, want: []string{`R 1 repo repo [] "" pinned=false vcs "git+git://example.com/repo#egg=repo"`}},
	{text: `git://example.com/repo#egg=repo`, want: []string{`R 1 repo repo [] "" pinned=false vcs "git://example.com/repo#egg=repo"`}, pipDiffers: "pip accepts git:// only after -e; we read it as the VCS URL it is"},
	{text: `hg+https://hg.example.com/repo#egg=repo`, want: []string{`R 1 repo repo [] "" pinned=false vcs "hg+https://hg.example.com/repo#egg=repo"`}},
	{text: `svn+svn://svn.example.com/repo#egg=repo`, want: []string{`R 1 repo repo [] "" pinned=false vcs "svn+svn://svn.example.com/repo#egg=repo"`}},
	{text: `bzr+lp:repo#egg=repo`, want: []string{`R 1 repo repo [] "" pinned=false vcs "bzr+lp:repo#egg=repo"`}},
	{text: `file:///tmp/pkg.tar.gz#egg=pkg`, want: []string{`R 1 pkg pkg [] "" pinned=false path "file:///tmp/pkg.tar.gz#egg=pkg"`}},
	{text: `./vendor/mypkg`, want: []string{`R 1   [] "" pinned=false path "./vendor/mypkg"`}, pipDiffers: "pip checks the folder on disk"},
	{text: `./vendor/mypkg[extra]`, want: []string{`R 1   [extra] "" pinned=false path "./vendor/mypkg"`}, pipDiffers: "pip checks the folder on disk"},
	{text: `dist/mypkg-1.0-py3-none-any.whl`, want: []string{`R 1 mypkg mypkg [] "==1.0" pinned=true path "dist/mypkg-1.0-py3-none-any.whl"`}, pipDiffers: "pip checks the file on disk"},
	// editable
	{text: `-e git+https://github.com/org/repo.git@v1.0#egg=mypkg`, want: []string{`R 1 mypkg mypkg [] "" pinned=false vcs "git+https://github.com/org/repo.git@v1.0#egg=mypkg" editable`}},
	{text: `--editable=git://example.com/repo#egg=repo`, want: []string{`R 1 repo repo [] "" pinned=false vcs "git+git://example.com/repo#egg=repo" editable`}},
	{text: `-e git+https://github.com/org/repo.git`, want: []string{`P 1 Could not detect requirement name for 'git+https://github.com/org/repo.git', please specify one with #egg=your_package_name`}},
	{text: `-e https://example.com/pkg.zip`, want: []string{`P 1 https://example.com/pkg.zip is not a valid editable requirement. It should either be a path to a local project or a VCS URL (beginning with bzr+http,`}},
	{text: `-e .`, want: []string{`R 1   [] "" pinned=false path "." editable`}},
	{text: `-e ./src/pkg[dev]`, want: []string{`R 1   [dev] "" pinned=false path "./src/pkg" editable`}, pipDiffers: "pip checks the folder on disk"},
	// per-requirement options
	{text: "hashed==1.0 --hash=sha256:aaaa --hash sha512:bbbb", want: []string{`R 1 hashed hashed [] "==1.0" pinned=true name "" hashes=[sha256:aaaa sha512:bbbb]`}},
	{text: "hashed==1.0 \\\n    --hash=sha256:aaaa \\\n    --hash=sha256:bbbb\nnext", want: []string{`R 1 hashed hashed [] "==1.0" pinned=true name "" hashes=[sha256:aaaa sha256:bbbb]`, `R 4 next next [] "" pinned=false name ""`}},
	{text: "hashed==1.0 --hash=md5:aaaa", want: []string{`P 1 Allowed hash algorithms for --hash are sha256, sha384, sha512.`}},
	{text: "hashed==1.0 --hash=aaaa", want: []string{`P 1 Arguments to --hash must be a hash name followed by a value`}},
	{text: "pkg --config-settings=editable_mode=compat -C key=v", want: []string{`R 1 pkg pkg [] "" pinned=false name "" config=[editable_mode=compat key=v]`}},
	{text: "pkg --config-settings=novalue", want: []string{`P 1 Arguments to --config-settings must be of the form KEY=VAL`}},
	{text: `pkg; python_version >= "3.8" --hash=sha256:abcd`, want: []string{`R 1 pkg pkg [] "" pinned=false name "" marker=python_version >= "3.8" hashes=[sha256:abcd]`}},
	{text: "pkg -i https://evil.example.com/simple", want: []string{`R 1 pkg pkg [] "" pinned=false name ""`}},
	// global options
	{text: "-i https://pypi.example.com/simple", want: []string{"O 1 --index-url https://pypi.example.com/simple"}},
	{text: "--index-url=https://pypi.example.com/simple", want: []string{"O 1 --index-url https://pypi.example.com/simple"}},
	{text: "-ihttps://pypi.example.com/simple", want: []string{"O 1 --index-url https://pypi.example.com/simple"}},
	{text: "--pypi-url https://pypi.example.com/simple", want: []string{"O 1 --index-url https://pypi.example.com/simple"}},
	{text: "--extra-index-url https://a.example.com/simple", want: []string{"O 1 --extra-index-url https://a.example.com/simple"}},
	{text: "--extra https://a.example.com/simple", want: []string{"O 1 --extra-index-url https://a.example.com/simple"}},
	{text: "--trusted-host a.example.com --trusted-host b.example.com", want: []string{"O 1 --trusted-host a.example.com", "O 1 --trusted-host b.example.com"}},
	{text: "--no-index\n-f ./wheels\n--find-links=https://example.com/links", want: []string{"O 1 --no-index ", "O 2 --find-links ./wheels", "O 3 --find-links https://example.com/links"}},
	{text: "--pre\n--prefer-binary\n--require-hashes\n--no-binary :all:\n--only-binary=numpy,scipy\n--use-feature=truststore", want: []string{"O 1 --pre ", "O 2 --prefer-binary ", "O 3 --require-hashes ", "O 4 --no-binary :all:", "O 5 --only-binary numpy,scipy", "O 6 --use-feature truststore"}},
	{text: "--no-require-hashes", want: []string{"O 1 --no-require-hashes "}, pipDiffers: "pip 26.2 option"},
	{text: "--pre=yes", want: []string{"P 1 --pre option does not take a value"}},
	{text: "-i", want: []string{"P 1 -i option requires 1 argument"}},
	{text: "--index-url", want: []string{"P 1 --index-url option requires 1 argument"}},
	{text: "--no-such-option", want: []string{"P 1 no such option: --no-such-option"}},
	{text: "--no", want: []string{"P 1 ambiguous option: --no"}},
	{text: "--hash=sha256:abcd", want: []string{"P 1 has --hash but no requirement, and will be ignored."}},
	{text: `-i "https://pypi.example.com/simple`, want: []string{"P 1 Could not split options"}},
	{text: `--index-url 'https://pypi.example.com/my simple'`, want: []string{"O 1 --index-url https://pypi.example.com/my simple"}},
	// includes
	{text: "-r other.txt\n--requirement=sub/more.txt\n-c constraints.txt\n--constraint https://example.com/c.txt", want: []string{"I 1 other.txt constraint=false", "I 2 sub/more.txt constraint=false", "I 3 constraints.txt constraint=true", "I 4 https://example.com/c.txt constraint=true"}},
	{text: "-r a.txt -c b.txt", want: []string{"I 1 a.txt constraint=false"}},
	// comments, continuations, blank lines
	{text: "# a comment\n\n   \nrequests  # trailing comment\n\t# indented comment", want: []string{`R 4 requests requests [] "" pinned=false name ""`}},
	{text: "pkg @ https://example.com/pkg.zip#sha256=abc", want: []string{`R 1 pkg pkg [] "" pinned=false url "https://example.com/pkg.zip#sha256=abc"`}},
	{text: "requests#not-a-comment", want: []string{`P 1 Invalid requirement: 'requests#not-a-comment'`}},
	{text: "req\\\nuests==1.0", want: []string{`R 1 requests requests [] "==1.0" pinned=true name ""`}},
	{text: "requests \\\n# comment ends the continuation\nflask", want: []string{`R 1 requests requests [] "" pinned=false name ""`, `R 3 flask flask [] "" pinned=false name ""`}},
	{text: "requests==1.0 \\", want: []string{`R 1 requests requests [] "==1.0" pinned=true name ""`}},
	{text: "a\r\nb\rc\x0cd", want: []string{`R 1 a a [] "" pinned=false name ""`, `R 2 b b [] "" pinned=false name ""`, `R 3 c c [] "" pinned=false name ""`, `R 4 d d [] "" pinned=false name ""`}},
	// environment variables
	{text: "-i https://${PYPI_USER}:${PYPI_TOKEN}@pypi.example.com/simple", env: map[string]string{"PYPI_USER": "me", "PYPI_TOKEN": "tok-123456"}, want: []string{"O 1 --index-url https://me:tok-123456@pypi.example.com/simple"}},
	{text: "-i https://${PYPI_TOKEN}@pypi.example.com/simple", want: []string{"O 1 --index-url https://${PYPI_TOKEN}@pypi.example.com/simple"}},
	{text: "-i https://$PYPI_TOKEN@x.example.com/${lower}/%VAR%", env: map[string]string{"PYPI_TOKEN": "t", "lower": "l", "VAR": "v"}, want: []string{"O 1 --index-url https://$PYPI_TOKEN@x.example.com/${lower}/%VAR%"}},
}

func TestParseLineForms(t *testing.T) {
	for _, tc := range lineForms {
		t.Run(tc.text, func(t *testing.T) {
			got := describe(Parse("requirements.txt", []byte(tc.text), tc.env))
			if len(got) != len(tc.want) {
				t.Fatalf("got %d items, want %d:\n%s", len(got), len(tc.want), strings.Join(got, "\n"))
			}
			for i := range got {
				ok := got[i] == tc.want[i]
				if strings.HasPrefix(tc.want[i], "P ") {
					ok = strings.HasPrefix(got[i], "P ") && strings.Contains(got[i], tc.want[i][2:])
					if !ok { // line number then substring
						line, msg, _ := strings.Cut(tc.want[i][2:], " ")
						ok = strings.HasPrefix(got[i], "P "+line+" ") && strings.Contains(got[i], msg)
					}
				}
				if !ok {
					t.Errorf("item %d:\n got  %s\n want %s", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestParseEncodings(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"UTF-8 BOM", []byte("\xef\xbb\xbfrequests==1.0\n"), []string{`R 1 requests requests [] "==1.0" pinned=true name ""`}},
		{"UTF-16LE BOM", []byte("\xff\xfer\x00e\x00q\x00\n\x00"), []string{`R 1 req req [] "" pinned=false name ""`}},
		{"UTF-16BE BOM", []byte("\xfe\xff\x00r\x00e\x00q\x00\n"), []string{`R 1 req req [] "" pinned=false name ""`}},
		{"latin-1 coding comment", []byte("# -*- coding: latin-1 -*-\npkg; platform_release == '\xe9'\n"), []string{"R 2 pkg pkg [] \"\" pinned=false name \"\" marker=platform_release == '\u00e9'"}},
		{"cp1252 on line 2", []byte("#!shebang-like\n# vim: set fileencoding=cp1252 :\npkg; platform_release == '\x80'\n"), []string{"R 3 pkg pkg [] \"\" pinned=false name \"\" marker=platform_release == '\u20ac'"}},
		{"unknown coding", []byte("# coding: klingon\npkg\n"), []string{`P 1 unsupported encoding "klingon": read as UTF-8`, `R 2 pkg pkg [] "" pinned=false name ""`}},
		{"invalid UTF-8", []byte("ok\npkg; platform_release == '\xff'\n"), []string{`R 1 ok ok [] "" pinned=false name ""`, "R 2 pkg pkg [] \"\" pinned=false name \"\" marker=platform_release == '\ufffd'", "P 2 invalid UTF-8 (byte 0xff)"}},
		{"coding comment on line 3 is ignored", []byte("a\nb\n# coding: latin-1\nc; platform_release == '\xe9'\n"), []string{`R 1 a a [] "" pinned=false name ""`, `R 2 b b [] "" pinned=false name ""`, "R 4 c c [] \"\" pinned=false name \"\" marker=platform_release == '\ufffd'", "P 4 invalid UTF-8"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := describe(Parse("r.txt", tc.data, nil))
			if len(got) != len(tc.want) {
				t.Fatalf("got:\n%s", strings.Join(got, "\n"))
			}
			for i := range got {
				if got[i] != tc.want[i] && !(strings.HasPrefix(tc.want[i], "P ") && strings.HasPrefix(got[i], tc.want[i])) {
					t.Errorf("got  %s\nwant %s", got[i], tc.want[i])
				}
			}
		})
	}
}

func TestParseLimits(t *testing.T) {
	big := Parse("r.txt", make([]byte, MaxFileBytes+1), nil)
	if len(big.Problems) != 1 || !strings.Contains(big.Problems[0].Msg, "over the limit") {
		t.Errorf("over-size file: %v", big.Problems)
	}
	long := Parse("r.txt", []byte("a\n"+strings.Repeat("x\\\n", MaxLineBytes+1)+"\nb\n"), nil)
	if got := describe(long); len(got) != 3 || !strings.Contains(got[1], "line longer than") || !strings.HasPrefix(got[2], "R ") {
		t.Errorf("overlong line: %d items", len(got))
	}
	// ${A} expanding to a large value many times must stay bounded.
	env := map[string]string{"A": strings.Repeat("v", 1<<16)}
	exp := Parse("r.txt", []byte(strings.Repeat("${A}", 1000)), env)
	if len(exp.Problems) != 1 || !strings.Contains(exp.Problems[0].Msg, "after expanding variables") {
		t.Errorf("expansion bomb: %v", exp.Problems)
	}
}

func TestProblemsRedactCredentials(t *testing.T) {
	f := Parse("r.txt", []byte("-i https://user:supersecretpassword@pypi.example.com/simple \"unclosed\n"+
		"pkg=1 @ git+https://ghp_0123456789abcdefghij@github.com/o/r\n"+
		"bad=1 ${TOKEN}\n"), map[string]string{"TOKEN": "tok_verysecretvalue"})
	for _, p := range f.Problems {
		for _, secret := range []string{"supersecretpassword", "ghp_0123456789abcdefghij", "tok_verysecretvalue"} {
			if strings.Contains(p.Msg, secret) {
				t.Errorf("line %d leaks %s: %s", p.Line, secret, p.Msg)
			}
		}
	}
	if len(f.Problems) != 3 {
		t.Errorf("problems: %v", f.Problems)
	}
}

func TestParseAll(t *testing.T) {
	files := map[string][]byte{
		"requirements.txt":  []byte("-r base.txt\n-c constraints.txt\n-r https://example.com/r.txt\n-r ../outside.txt\n-r /etc/x.txt\n-r missing.txt\nflask\n"),
		"base.txt":          []byte("requests\n-r sub/more.txt\n"),
		"sub/more.txt":      []byte("numpy\n-r ../base.txt\n-r ../requirements.txt\n"),
		"constraints.txt":   []byte("requests==2.31.0\n"),
		"unrelated/req.txt": []byte("evil\n"),
	}
	got, probs := ParseAll(files, "requirements.txt", nil)
	var paths []string
	for _, f := range got {
		paths = append(paths, fmt.Sprintf("%s:%v:%d", f.Path, f.Constraint, len(f.Requirements)))
	}
	if want := "[requirements.txt:false:1 base.txt:false:1 sub/more.txt:false:1 constraints.txt:true:1]"; fmt.Sprint(paths) != want {
		t.Errorf("files = %v, want %s", paths, want)
	}
	var msgs []string
	for _, p := range probs {
		msgs = append(msgs, p.Msg)
	}
	want := []string{
		"sub/more.txt:2: -r ../base.txt: include cycle (requirements.txt -> base.txt -> sub/more.txt -> base.txt): not followed",
		"sub/more.txt:3: -r ../requirements.txt: include cycle (requirements.txt -> base.txt -> sub/more.txt -> requirements.txt): not followed",
		"requirements.txt:3: -r https://example.com/r.txt: a URL (pip downloads it at install time): not followed",
		"requirements.txt:4: -r ../outside.txt: leaves the bundle: not followed",
		"requirements.txt:5: -r /etc/x.txt: an absolute path, outside the bundle: not followed",
		"requirements.txt:6: -r missing.txt: missing.txt not found in the bundle",
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	if _, probs := ParseAll(files, "nope.txt", nil); len(probs) != 1 {
		t.Errorf("missing root: %v", probs)
	}
}

func TestParseAllDepth(t *testing.T) {
	files := map[string][]byte{}
	for i := range 30 {
		files[fmt.Sprintf("r%d.txt", i)] = []byte(fmt.Sprintf("pkg%d\n-r r%d.txt\n", i, i+1))
	}
	got, probs := ParseAll(files, "r0.txt", nil)
	if len(got) != MaxIncludeDepth || len(probs) != 1 || !strings.Contains(probs[0].Msg, "nested deeper than 10") {
		t.Errorf("%d files, problems %v", len(got), probs)
	}
}

func TestCanonical(t *testing.T) {
	for in, want := range map[string]string{"Flask_Login": "flask-login", "zope.interface": "zope-interface", "A-_.B": "a-b", "requests": "requests"} {
		if got := Canonical(in); got != want {
			t.Errorf("Canonical(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, tc := range lineForms {
		f.Add([]byte(tc.text))
	}
	f.Add([]byte("\xff\xfe-\x00r\x00"))
	f.Add([]byte("# coding: cp1252\n\x80\n"))
	f.Add([]byte("pkg; ((((python_version < '3'))))"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file := Parse("r.txt", data, map[string]string{"A": "x"})
		for _, r := range file.Requirements {
			if r.Line < 1 || r.Canonical != Canonical(r.Name) {
				t.Fatalf("bad requirement %+v", r)
			}
			if r.Pinned && !strings.HasPrefix(r.Specifier, "==") {
				t.Fatalf("pinned without ==: %+v", r)
			}
		}
		for _, p := range file.Problems {
			if p.Msg == "" {
				t.Fatalf("empty problem")
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	var sb strings.Builder
	for i := range 500 {
		fmt.Fprintf(&sb, "package-%d[extra]>=1.%d,<2 ; python_version >= \"3.8\" \\\n    --hash=sha256:%064x\n", i, i, i)
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		Parse("r.txt", data, nil)
	}
}
