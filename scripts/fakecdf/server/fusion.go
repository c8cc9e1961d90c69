package server

import (
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// The sandbox Fusion: a single-page app that plays Cognite Data Fusion's
// Functions app on every *.fusion.cognite.com host, signs in as a persona and
// calls the API with a bearer token the way Fusion does.

// Host names the sandbox is reached under.
const (
	FusionHost = "acme.fusion.cognite.com"      // the Fusion origin of FusionURL
	Cluster    = "westeurope-1.cognitedata.com" // the API cluster of FusionURL
	CanaryHost = "canary.cognitedata.com"       // the download host of storage = "canary" functions
)

//go:embed fusion
var fusionFiles embed.FS

// projectsFile is the curated projects' file.
type projectsFile struct {
	Projects []struct {
		Name      string `toml:"name"`
		Functions []struct {
			Bundle  string `toml:"bundle"`
			Level   string `toml:"level"`
			Storage string `toml:"storage"`
		} `toml:"functions"`
	} `toml:"projects"`
}

// loadFusion loads testdata/fusion: the sandbox-only bundles and the curated
// projects. A missing testdata/fusion folder means no curated projects.
func (s *Server) loadFusion(dir string) error {
	extra, err := s.loadBundles(filepath.Join(dir, "functions"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	s.extra = append(s.extra, extra...)
	data, err := os.ReadFile(filepath.Join(dir, "projects.toml"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("fakecdf: %w", err)
	}
	var pf projectsFile
	if err := toml.Unmarshal(data, &pf); err != nil {
		return fmt.Errorf("fakecdf: projects.toml: %w", err)
	}
	byDir := map[string]*Function{}
	for _, f := range append(s.Functions(), s.extra...) {
		byDir[f.Dir] = f
	}
	for _, p := range pf.Projects {
		var list []*Function
		for _, pfn := range p.Functions {
			f := byDir[pfn.Bundle]
			if f == nil {
				return fmt.Errorf("fakecdf: projects.toml: project %s: no bundle %q", p.Name, pfn.Bundle)
			}
			switch pfn.Storage {
			case "", "canary":
			default:
				return fmt.Errorf("fakecdf: projects.toml: %s: unknown storage %q", pfn.Bundle, pfn.Storage)
			}
			f.Level, f.Storage = pfn.Level, pfn.Storage
			list = append(list, f)
		}
		s.projects[p.Name] = list
	}
	return nil
}

// ProjectFunctions lists the functions a project serves: a curated project's
// (testdata/fusion/projects.toml) in its order, else every bundle of
// testdata/functions (Functions).
func (s *Server) ProjectFunctions(project string) []*Function {
	if list, ok := s.projects[project]; ok {
		return append([]*Function(nil), list...)
	}
	return s.Functions()
}

// FunctionByDir finds a served function (testdata/functions or
// testdata/fusion/functions) by its bundle folder name; nil if none.
func (s *Server) FunctionByDir(dir string) *Function {
	for _, f := range append(s.Functions(), s.extra...) {
		if f.Dir == dir {
			return f
		}
	}
	return nil
}

// FusionURL is the sandbox Fusion's Functions page of a project on
// FusionHost, calling the API on Cluster, e.g.
// https://acme.fusion.cognite.com/acme-demo/functions?cluster=westeurope-1.cognitedata.com.
// Add &persona=admin|standard|readonly and &variant=classic|modern|compact.
func FusionURL(project string) string {
	return "https://" + FusionHost + "/" + url.PathEscape(project) + "/functions?cluster=" + Cluster
}

// SPKIHash is the base64 SHA-256 of the certificate's SubjectPublicKeyInfo,
// the value of Chromium's --ignore-certificate-errors-spki-list.
func (s *Server) SPKIHash() string {
	sum := sha256.Sum256(s.tlsCert.Leaf.RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// HostResolverRules is the value of Chromium's --host-resolver-rules that
// sends the Fusion and CDF host names to the server's one port.
func (s *Server) HostResolverRules() string {
	host, port, _ := net.SplitHostPort(s.Addr())
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	to := net.JoinHostPort(host, port)
	return "MAP *.fusion.cognite.com " + to + ", MAP fusion.cognite.com " + to + ", MAP *.cognitedata.com " + to
}

// Tokens lists the tokens minted by the sandbox Fusion's sign-in, token →
// persona.
func (s *Server) Tokens() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := make(map[string]string, len(s.minted))
	for t, p := range s.minted {
		m[t] = p
	}
	return m
}

// hostKind says which part of the sandbox a Host header reaches: "fusion",
// "storage", "canary" or "api".
func hostKind(host string) string {
	name := strings.ToLower(host)
	if h, _, err := net.SplitHostPort(name); err == nil {
		name = h
	}
	name = strings.TrimSuffix(name, ".")
	switch {
	case isFusionName(name):
		return "fusion"
	case strings.HasPrefix(name, "storage."):
		return "storage"
	case name == CanaryHost:
		return "canary"
	}
	return "api"
}

func isFusionName(name string) bool {
	return name == "fusion.cognite.com" || (strings.HasSuffix(name, ".fusion.cognite.com") && len(name) > len(".fusion.cognite.com"))
}

// fusionOrigin reports whether an Origin header is a Fusion origin
// (https://fusion.cognite.com or https://<x>.fusion.cognite.com).
func fusionOrigin(origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Scheme != "https" || u.Path != "" || u.User != nil {
		return false
	}
	return isFusionName(strings.ToLower(u.Hostname()))
}

// cors adds the CORS headers for a Fusion origin and answers preflights; it
// reports whether the request was answered. Other origins get no CORS
// headers, so browsers keep their pages from reading the API.
func cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	allowed := origin != "" && fusionOrigin(origin)
	if allowed {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Add("Vary", "Origin")
	}
	if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" {
		return false
	}
	if !allowed {
		http.Error(w, "origin not allowed", http.StatusForbidden)
		return true
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
	return true
}

// serveFusion is every Fusion host: POST /_sandbox/signin, the SPA's static
// files under /_sandbox/static/, and index.html for every other path (the
// SPA routes on the client).
func (s *Server) serveFusion(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if path == "/_sandbox/signin" {
		s.signin(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := "index.html"
	if rest, ok := strings.CutPrefix(path, "/_sandbox/static/"); ok {
		name = rest
	} else if path == "/favicon.ico" {
		http.NotFound(w, r)
		return
	}
	data, err := fusionFiles.ReadFile("fusion/" + name)
	if err != nil || strings.Contains(name, "/") {
		http.NotFound(w, r)
		return
	}
	types := map[string]string{".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
	w.Header().Set("Content-Type", types[filepath.Ext(name)])
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(data)
}

// signin mints a fresh JWT-shaped token for a persona: POST {"persona"} →
// {"token"}.
func (s *Server) signin(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		apiError(w, http.StatusMethodNotAllowed, "POST only")
		return
	}
	var body struct {
		Persona string `json:"persona"`
	}
	if !readJSON(w, r, &body) {
		return
	}
	if body.Persona == "" {
		body.Persona = Admin
	}
	if _, ok := s.personas[body.Persona]; !ok {
		apiError(w, http.StatusBadRequest, "unknown persona")
		return
	}
	tok := mintJWT(body.Persona)
	s.mu.Lock()
	s.tokens[tok] = body.Persona
	s.minted[tok] = body.Persona
	s.mu.Unlock()
	// Like a real token endpoint: the answer holds a credential, so no
	// cache may keep it (RFC 6749 §5.1).
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, map[string]any{"token": tok})
}

// mintJWT is a random token shaped like an Entra ID access token: three
// base64url parts, a payload with iss, aud, exp; the signature is random.
func mintJWT(persona string) string {
	enc := base64.RawURLEncoding
	now := time.Now()
	header, _ := json.Marshal(map[string]any{"alg": "RS256", "typ": "JWT", "kid": "sandbox"})
	payload, _ := json.Marshal(map[string]any{
		"iss": "https://sts.sandbox.example/acme/", "aud": "https://" + Cluster,
		"sub": "sandbox-" + persona, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "jti": randomHex(12),
	})
	sig := make([]byte, 64)
	rand.Read(sig)
	return enc.EncodeToString(header) + "." + enc.EncodeToString(payload) + "." + enc.EncodeToString(sig)
}
