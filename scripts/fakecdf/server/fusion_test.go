package server

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// start runs a server on a random local port.
func start(t *testing.T) *Server {
	t.Helper()
	s, err := New(Options{Testdata: "../../../testdata"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// client reaches every host name at the server's one port, like Chromium
// with HostResolverRules, trusting the server's certificate.
func client(s *Server) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: s.CertPool()},
			DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return d.DialContext(ctx, network, s.Addr())
			},
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func do(t *testing.T, c *http.Client, method, u string, hdr map[string]string, body string) resp {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return resp{res.StatusCode, res.Header, data}
}

const api = "https://" + Cluster + "/api/v1/projects/acme-demo"

func signin(t *testing.T, c *http.Client, persona string) string {
	t.Helper()
	r := do(t, c, "POST", "https://"+FusionHost+"/_sandbox/signin", map[string]string{"Content-Type": "application/json"}, `{"persona":"`+persona+`"}`)
	var ans struct{ Token string }
	if r.status != 200 || json.Unmarshal(r.body, &ans) != nil || ans.Token == "" {
		t.Fatalf("signin %s: %d %s", persona, r.status, r.body)
	}
	return ans.Token
}

func TestHostDispatch(t *testing.T) {
	s := start(t)
	c := client(s)
	for _, u := range []string{
		"https://" + FusionHost + "/acme-demo/functions?cluster=" + Cluster,
		"https://fusion.cognite.com/acme-demo/functions/123",
		"https://other.fusion.cognite.com/",
	} {
		r := do(t, c, "GET", u, nil, "")
		if r.status != 200 || !strings.Contains(string(r.body), "/_sandbox/static/app.js") || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			t.Errorf("GET %s: %d %q, want the SPA's index.html", u, r.status, r.header.Get("Content-Type"))
		}
	}
	if r := do(t, c, "GET", "https://"+FusionHost+"/_sandbox/static/app.js", nil, ""); r.status != 200 || !strings.Contains(string(r.body), "window.sandbox") {
		t.Errorf("app.js: %d", r.status)
	}
	// A Fusion host is not the API, and the API host is not Fusion.
	if r := do(t, c, "GET", "https://"+FusionHost+"/api/v1/token/inspect", map[string]string{"Authorization": "Bearer " + TokenFor(Admin)}, ""); bytes.Contains(r.body, []byte("capabilities")) {
		t.Errorf("the Fusion host answered the API")
	}
	if r := do(t, c, "GET", "https://"+Cluster+"/acme-demo/functions", nil, ""); r.status != 404 || bytes.Contains(r.body, []byte("app.js")) {
		t.Errorf("the API host served the SPA: %d", r.status)
	}
	if r := do(t, c, "GET", "https://"+Cluster+"/api/v1/token/inspect", map[string]string{"Authorization": "Bearer " + TokenFor(Admin)}, ""); r.status != 200 {
		t.Errorf("API on the cluster host: %d", r.status)
	}
	kinds := map[string]string{}
	for _, r := range s.Requests() {
		kinds[strings.SplitN(r.Host, ":", 2)[0]] = r.Origin
	}
	if kinds[FusionHost] != "fusion" || kinds["fusion.cognite.com"] != "fusion" || kinds[Cluster] != "api" {
		t.Errorf("request log origins: %v", kinds)
	}
}

func TestCanaryDownloadWithoutAuth(t *testing.T) {
	s := start(t)
	c := client(s)
	f := s.FunctionByDir("other-storage-host")
	if f == nil || f.Storage != "canary" {
		t.Fatalf("other-storage-host: %+v", f)
	}
	auth := map[string]string{"Authorization": "Bearer " + TokenFor(Admin)}
	r := do(t, c, "POST", api+"/files/downloadlink", auth, `{"items":[{"id":`+itoa(f.FileID)+`}]}`)
	var dl struct {
		Items []struct{ DownloadURL string }
	}
	json.Unmarshal(r.body, &dl)
	if r.status != 200 || len(dl.Items) != 1 || !strings.HasPrefix(dl.Items[0].DownloadURL, "https://"+CanaryHost+"/zips/") {
		t.Fatalf("downloadlink: %d %s", r.status, r.body)
	}
	z := do(t, c, "GET", dl.Items[0].DownloadURL, nil, "")
	if z.status != 200 || !bytes.Equal(z.body, f.Zip) {
		t.Fatalf("canary zip: %d, %d bytes", z.status, len(z.body))
	}
	// Other functions still download from storage.<cluster>.
	g := s.FunctionByDir("benign-timeseries-rollup")
	r = do(t, c, "POST", api+"/files/downloadlink", auth, `{"items":[{"id":`+itoa(g.FileID)+`}]}`)
	if !strings.Contains(string(r.body), "https://storage."+Cluster+"/zips/") {
		t.Errorf("storage link: %s", r.body)
	}
	var canary []Request
	for _, q := range s.Requests() {
		if q.Origin == "canary" {
			canary = append(canary, q)
		}
	}
	if len(canary) != 1 || canary[0].HasAuth || canary[0].Status != 200 {
		t.Errorf("canary log: %+v", canary)
	}
}

func TestCORSOnlyForFusionOrigins(t *testing.T) {
	s := start(t)
	c := client(s)
	preflight := func(origin string) resp {
		return do(t, c, "OPTIONS", api+"/functions/list", map[string]string{
			"Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type",
		}, "")
	}
	for _, o := range []string{"https://acme.fusion.cognite.com", "https://fusion.cognite.com", "https://a.b.fusion.cognite.com"} {
		r := preflight(o)
		if r.status != 204 || r.header.Get("Access-Control-Allow-Origin") != o ||
			!strings.Contains(r.header.Get("Access-Control-Allow-Headers"), "Authorization") || !strings.Contains(r.header.Get("Access-Control-Allow-Methods"), "POST") {
			t.Errorf("preflight from %s: %d %v", o, r.status, r.header)
		}
		g := do(t, c, "GET", "https://"+Cluster+"/api/v1/token/inspect", map[string]string{"Origin": o, "Authorization": "Bearer " + TokenFor(Admin)}, "")
		if g.header.Get("Access-Control-Allow-Origin") != o {
			t.Errorf("GET from %s: no Access-Control-Allow-Origin", o)
		}
	}
	for _, o := range []string{"https://evil.example", "http://acme.fusion.cognite.com", "https://fusion.cognite.com.evil.example",
		"https://evilfusion.cognite.com", "chrome-extension://abcdef", "null"} {
		r := preflight(o)
		g := do(t, c, "GET", "https://"+Cluster+"/api/v1/token/inspect", map[string]string{"Origin": o, "Authorization": "Bearer " + TokenFor(Admin)}, "")
		for _, h := range []http.Header{r.header, g.header} {
			for k := range h {
				if strings.HasPrefix(k, "Access-Control-") {
					t.Errorf("origin %s got %s: %s", o, k, h.Get(k))
				}
			}
		}
		if r.status == 204 || g.status != 200 {
			t.Errorf("origin %s: preflight %d, GET %d", o, r.status, g.status)
		}
	}
}

func TestSigninTokenActsAsPersona(t *testing.T) {
	s := start(t)
	c := client(s)
	seen := map[string]bool{}
	for _, p := range []string{Admin, Standard, ReadOnly} {
		tok := signin(t, c, p)
		parts := strings.Split(tok, ".")
		if len(parts) != 3 {
			t.Fatalf("token %q is not JWT-shaped", tok)
		}
		payload, err := base64.RawURLEncoding.DecodeString(parts[1])
		var claims struct{ Exp int64 }
		if err != nil || json.Unmarshal(payload, &claims) != nil || claims.Exp < time.Now().Unix() {
			t.Errorf("payload %s: exp %d", payload, claims.Exp)
		}
		if seen[tok] {
			t.Errorf("token reused")
		}
		seen[tok] = true
		if s.Tokens()[tok] != p {
			t.Errorf("Tokens()[tok] = %q, want %s", s.Tokens()[tok], p)
		}
		r := do(t, c, "GET", "https://"+Cluster+"/api/v1/token/inspect", map[string]string{"Authorization": "Bearer " + tok}, "")
		if r.status != 200 || !bytes.Equal(r.body, s.Persona(p)) {
			t.Errorf("inspect with %s's token: %d", p, r.status)
		}
	}
	if again := signin(t, c, Admin); seen[again] {
		t.Errorf("a second sign-in gave the same token")
	}
	r := do(t, c, "GET", s.URL()+"/_fake/tokens", nil, "")
	var list struct {
		Items []struct{ Token, Persona string }
	}
	if json.Unmarshal(r.body, &list) != nil || len(list.Items) != 4 {
		t.Errorf("/_fake/tokens: %s", r.body)
	}
	if r := do(t, c, "POST", "https://"+FusionHost+"/_sandbox/signin", nil, `{"persona":"root"}`); r.status != 400 {
		t.Errorf("unknown persona: %d", r.status)
	}
	for _, q := range s.Requests() {
		for tok := range seen {
			if strings.Contains(q.Path, tok) || strings.Contains(q.Host, tok) {
				t.Errorf("token in the request log")
			}
		}
	}
}

func TestProxy(t *testing.T) {
	s := start(t)
	addr, err := s.StartProxy("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	pu, _ := url.Parse("http://" + addr)
	c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: http.ProxyURL(pu), TLSClientConfig: &tls.Config{RootCAs: s.CertPool()}}}
	if r := do(t, c, "GET", "https://"+FusionHost+"/acme-demo/functions", nil, ""); r.status != 200 || !bytes.Contains(r.body, []byte("app.js")) {
		t.Errorf("Fusion through the proxy: %d", r.status)
	}
	if r := do(t, c, "GET", "https://"+Cluster+"/api/v1/token/inspect", map[string]string{"Authorization": "Bearer " + TokenFor(Admin)}, ""); r.status != 200 {
		t.Errorf("API through the proxy: %d", r.status)
	}
	// Anything else is refused and logged.
	for _, target := range []string{"example.com:443", "acme.fusion.cognite.com:80", "cognitedata.com.evil.example:443"} {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(conn, "CONNECT "+target+" HTTP/1.1\r\nHost: "+target+"\r\n\r\n")
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		conn.Close()
		if err != nil || res.StatusCode != 403 {
			t.Errorf("CONNECT %s: %v %v", target, res, err)
		}
	}
	refused := map[string]bool{}
	for _, q := range s.Requests() {
		if q.Origin == "proxy-refused" {
			refused[q.Host] = true
		}
	}
	if !refused["example.com:443"] || !refused["acme.fusion.cognite.com:80"] || !refused["cognitedata.com.evil.example:443"] {
		t.Errorf("refused targets logged: %v", refused)
	}
	s.Close()
	if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		conn.Close()
		t.Errorf("proxy still listening after Close")
	}
}

func TestCuratedProject(t *testing.T) {
	s := start(t)
	c := client(s)
	tok := signin(t, c, Standard)
	auth := map[string]string{"Authorization": "Bearer " + tok}
	r := do(t, c, "POST", api+"/functions/list", auth, `{"limit":100}`)
	var list struct {
		Items []struct {
			ID     int64
			Name   string
			Status string
		}
	}
	if err := json.Unmarshal(r.body, &list); err != nil || r.status != 200 {
		t.Fatalf("list: %d %s", r.status, r.body)
	}
	want := s.ProjectFunctions("acme-demo")
	if len(want) < 8 || len(list.Items) != len(want) {
		t.Fatalf("acme-demo lists %d functions, curated %d", len(list.Items), len(want))
	}
	levels := map[string]bool{}
	for i, f := range want {
		if list.Items[i].ID != f.ID || f.Level == "" {
			t.Errorf("item %d: id %d, want %s (%d) with a level", i, list.Items[i].ID, f.Dir, f.ID)
		}
		levels[f.Level] = true
	}
	for _, l := range []string{"critical", "high", "medium", "none", "unknown"} {
		if !levels[l] {
			t.Errorf("acme-demo has no %s function", l)
		}
	}
	failed := false
	for _, it := range list.Items {
		failed = failed || it.Status == "Failed"
	}
	if !failed {
		t.Errorf("acme-demo has no Failed function")
	}
	// The payload function's strings are served intact (JSON escapes them, nothing strips them).
	p := s.FunctionByDir("payload-html")
	var pname string
	for _, it := range list.Items {
		if it.ID == p.ID {
			pname = it.Name
		}
	}
	if !strings.Contains(pname, `<img src=x onerror="window.__pwned=1">`) || !strings.Contains(pname, `<script>window.__pwned=2</script>`) {
		t.Errorf("payload name served as %q", pname)
	}
	// Uncurated projects list every testdata/functions bundle, and no sandbox-only one.
	r = do(t, c, "POST", "https://"+Cluster+"/api/v1/projects/acme-prod/functions/list", auth, `{"limit":1000}`)
	json.Unmarshal(r.body, &list)
	if len(list.Items) != len(s.Functions()) || len(s.Functions()) < 50 {
		t.Errorf("acme-prod lists %d, want %d", len(list.Items), len(s.Functions()))
	}
	for _, it := range list.Items {
		if it.ID == p.ID {
			t.Errorf("acme-prod lists the sandbox-only payload function")
		}
	}
}

func TestCallStatus(t *testing.T) {
	s := start(t)
	c := client(s)
	tok := signin(t, c, Admin)
	auth := map[string]string{"Authorization": "Bearer " + tok, "Content-Type": "application/json"}
	f := s.ProjectFunctions("acme-demo")[0]
	fn := api + "/functions/" + itoa(f.ID)
	r := do(t, c, "POST", api+"/sessions", auth, `{"items":[{"tokenExchange":true}]}`)
	var sess struct{ Items []struct{ Nonce string } }
	json.Unmarshal(r.body, &sess)
	if len(sess.Items) != 1 {
		t.Fatalf("sessions: %d %s", r.status, r.body)
	}
	r = do(t, c, "POST", fn+"/call", auth, `{"data":{},"nonce":"`+sess.Items[0].Nonce+`"}`)
	var call struct {
		ID     int64
		Status string
	}
	if json.Unmarshal(r.body, &call) != nil || r.status != 201 || call.ID == 0 {
		t.Fatalf("call: %d %s", r.status, r.body)
	}
	r = do(t, c, "GET", fn+"/calls/"+itoa(call.ID), auth, "")
	var got struct {
		ID, FunctionID int64
		Status         string
	}
	if json.Unmarshal(r.body, &got) != nil || r.status != 200 || got.Status != "Completed" || got.ID != call.ID || got.FunctionID != f.ID {
		t.Errorf("call status: %d %s", r.status, r.body)
	}
	other := api + "/functions/" + itoa(s.ProjectFunctions("acme-demo")[1].ID)
	for _, u := range []string{fn + "/calls/" + itoa(call.ID+1), other + "/calls/" + itoa(call.ID), fn + "/calls/x"} {
		if r := do(t, c, "GET", u, auth, ""); r.status != 404 {
			t.Errorf("GET %s: %d, want 404", u, r.status)
		}
	}
	if r := do(t, c, "GET", fn+"/calls/"+itoa(call.ID), nil, ""); r.status != 401 {
		t.Errorf("without a token: %d", r.status)
	}
}

func TestChromiumFlags(t *testing.T) {
	s := start(t)
	_, port, _ := net.SplitHostPort(s.Addr())
	want := "MAP *.fusion.cognite.com 127.0.0.1:" + port + ", MAP fusion.cognite.com 127.0.0.1:" + port + ", MAP *.cognitedata.com 127.0.0.1:" + port
	if got := s.HostResolverRules(); got != want {
		t.Errorf("HostResolverRules() = %q, want %q", got, want)
	}
	h := s.SPKIHash()
	if b, err := base64.StdEncoding.DecodeString(h); err != nil || len(b) != 32 {
		t.Errorf("SPKIHash() = %q", h)
	}
}

// The SPA renders every CDF string as text: it never hands a string to an
// HTML parser. (The browser tests prove the payload function does not run;
// this guard keeps the obvious sinks out of app.js.)
func TestSPANeverParsesHTML(t *testing.T) {
	data, err := os.ReadFile("fusion/app.js")
	if err != nil {
		t.Fatal(err)
	}
	sinks := regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser|setHTML|\beval\(|new Function|srcdoc`)
	if m := sinks.FindAllString(string(data), -1); len(m) != 0 {
		t.Errorf("app.js uses HTML sinks: %v", m)
	}
	html, _ := os.ReadFile("fusion/index.html")
	if regexp.MustCompile(`(?i)(src|href)="(https?:)?//`).Match(append(html, data...)) {
		t.Errorf("the SPA loads an external resource")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
