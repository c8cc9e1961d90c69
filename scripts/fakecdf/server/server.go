// Package server is the sandbox CDF: an HTTPS server that answers the CDF
// API calls Preflight makes (token/inspect, functions list/byids/get/call,
// sessions, files/byids, files/downloadlink) and serves the function zips
// from a separate storage origin, with data from testdata/functions and
// testdata/tokens, personas chosen by the bearer token, injectable faults,
// and a log of every request received (never the token itself).
//
// Personas — the bearer token value selects one:
//
//	persona-admin     testdata/tokens/admin-groups-all.json
//	persona-standard  testdata/tokens/standard-datasets.json
//	persona-readonly  testdata/tokens/read-only-every-scope.json
//
// Every persona can list and read functions and download their code (the
// sandbox grants files:read to all); creating a session needs
// sessionsAcl:CREATE and calling a function functionsAcl:RUN (or WRITE) in
// the persona's token, so the read-only persona cannot call. AddToken maps
// more token values to a persona; AddClient registers an OAuth client whose
// client-credentials tokens (POST /oauth2/token) act as a persona.
//
// The same port also plays Cognite Data Fusion (fusion.go): a Functions app
// on every *.fusion.cognite.com host that signs in as a persona
// (POST /_sandbox/signin mints a fresh JWT-shaped token) and calls the API
// with it; the API answers CORS for Fusion origins only. Curated projects
// (testdata/fusion/projects.toml, e.g. acme-demo) list chosen bundles,
// including sandbox-only ones from testdata/fusion/functions; other projects
// list every bundle of testdata/functions. Browsers reach it under the real
// host names through HostResolverRules and SPKIHash (Chromium) or
// StartProxy (Firefox).
package server

import (
	"archive/zip"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"time"
)

// Persona names.
const (
	Admin    = "admin"
	Standard = "standard"
	ReadOnly = "readonly"
)

// personaFiles are the token-inspect samples of each persona.
var personaFiles = map[string]string{
	Admin:    "admin-groups-all.json",
	Standard: "standard-datasets.json",
	ReadOnly: "read-only-every-scope.json",
}

// TokenFor is the bearer token value that selects a persona.
func TokenFor(persona string) string { return "persona-" + persona }

// Options configure a server.
type Options struct {
	Testdata string // the repository's testdata folder (functions/ and tokens/)
	PageSize int    // functions per page of POST /functions/list; 0 = no paging below the request's limit
}

// Request is one request the server received.
type Request struct {
	Method   string `json:"method"`
	Host     string `json:"host"`
	Path     string `json:"path"`
	Origin   string `json:"origin"`   // "api", "storage", "canary", "fusion" or "proxy-refused": which host it reached
	HasAuth  bool   `json:"hasAuth"`  // an Authorization header was present
	ValidTok bool   `json:"validTok"` // it carried a token the server knows
	Persona  string `json:"persona,omitempty"`
	Status   int    `json:"status"`
}

// Fault makes matching requests fail or slow down.
type Fault struct {
	Path       string        `json:"path"`       // substring of the URL path; "" matches every API request
	Status     int           `json:"status"`     // answer with this HTTP status (0: answer normally)
	RetryAfter string        `json:"retryAfter"` // Retry-After header with the status
	Count      int           `json:"count"`      // apply to this many requests, then stop (0: always)
	Latency    time.Duration `json:"latency"`    // wait this long before answering
}

// Downloads change how the storage host serves zips.
type Downloads struct {
	ForbiddenFiles []int64       `json:"forbiddenFiles"` // downloadlink answers 403 for these file ids
	ForbidAll      bool          `json:"forbidAll"`      // downloadlink answers 403 for every file
	SlowChunk      time.Duration `json:"slowChunk"`      // pause between 1 KiB chunks of a zip
	OversizeBytes  int64         `json:"oversizeBytes"`  // serve this many bytes instead of the zip
}

// Function is one function the server serves.
type Function struct {
	ID     int64
	FileID int64
	Name   string
	Dir    string          // bundle folder name
	Object json.RawMessage // the function object
	Zip    []byte

	Level   string // the expected risk level from testdata/fusion/projects.toml; "" when not curated
	Storage string // "canary": its downloadlink points at CanaryHost; "" = the storage host
}

// Server is the sandbox CDF.
type Server struct {
	opts      Options
	functions []*Function // testdata/functions, by id order
	extra     []*Function // testdata/fusion/functions (served only in curated projects)
	projects  map[string][]*Function
	byID      map[int64]*Function
	byFile    map[int64]*Function
	personas  map[string][]byte // persona → token-inspect JSON

	certPEM []byte
	tlsCert tls.Certificate

	api, storage *http.Server
	apiLn, stLn  net.Listener

	mu       sync.Mutex
	tokens   map[string]string    // token → persona
	clients  map[string][2]string // client id → secret, persona
	faults   []*Fault
	dl       Downloads
	nonces   map[string]string // nonce → persona
	requests []Request
	nextCall int64
	calls    map[int64]int64   // call id → function id
	minted   map[string]string // sign-in tokens → persona

	proxyLns   []net.Listener
	proxyConns map[net.Conn]struct{}
	closed     bool
}

// New loads the bundles and tokens and generates the certificate.
func New(opts Options) (*Server, error) {
	if opts.Testdata == "" {
		return nil, errors.New("fakecdf: Options.Testdata is required")
	}
	s := &Server{
		opts: opts, byID: map[int64]*Function{}, byFile: map[int64]*Function{},
		personas: map[string][]byte{}, tokens: map[string]string{}, clients: map[string][2]string{},
		nonces: map[string]string{}, nextCall: 9000,
		projects: map[string][]*Function{}, calls: map[int64]int64{}, minted: map[string]string{},
		proxyConns: map[net.Conn]struct{}{},
	}
	for p, f := range personaFiles {
		data, err := os.ReadFile(filepath.Join(opts.Testdata, "tokens", f))
		if err != nil {
			return nil, fmt.Errorf("fakecdf: persona %s: %w", p, err)
		}
		s.personas[p] = data
		s.tokens[TokenFor(p)] = p
	}
	if err := s.loadFunctions(filepath.Join(opts.Testdata, "functions")); err != nil {
		return nil, err
	}
	if err := s.loadFusion(filepath.Join(opts.Testdata, "fusion")); err != nil {
		return nil, err
	}
	if err := s.makeCert(); err != nil {
		return nil, err
	}
	return s, nil
}

// stableID is a positive id below 2^52 from a name (so JavaScript numbers
// hold it exactly).
func stableID(seed, name string) int64 {
	h := fnv.New64a()
	h.Write([]byte(seed + "/" + name))
	return int64(h.Sum64()&(1<<52-1)) | 1<<40
}

// loadFunctions zips every bundle folder; function.json (when present) gives
// the function object, else one is made with stable ids.
func (s *Server) loadFunctions(dir string) error {
	fns, err := s.loadBundles(dir)
	if err != nil {
		return err
	}
	s.functions = append(s.functions, fns...)
	sort.Slice(s.functions, func(i, j int) bool { return s.functions[i].ID < s.functions[j].ID })
	return nil
}

// loadBundles loads every bundle folder of dir and registers each by id and
// file id.
func (s *Server) loadBundles(dir string) ([]*Function, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("fakecdf: %w", err)
	}
	var fns []*Function
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		f, err := loadFunction(filepath.Join(dir, e.Name()), e.Name(), func(id, file int64) (bool, bool) {
			return s.byID[id] != nil, s.byFile[file] != nil
		})
		if err != nil {
			return nil, err
		}
		fns = append(fns, f)
		s.byID[f.ID] = f
		s.byFile[f.FileID] = f
	}
	return fns, nil
}

// loadFunction reads one bundle; taken says whether an id or file id is
// already used (some samples share a file id: each gets its own here).
func loadFunction(path, name string, taken func(id, file int64) (bool, bool)) (*Function, error) {
	obj := map[string]any{}
	if data, err := os.ReadFile(filepath.Join(path, "function.json")); err == nil {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&obj); err != nil {
			return nil, fmt.Errorf("fakecdf: %s/function.json: %w", name, err)
		}
	}
	f := &Function{Dir: name}
	num := func(k string) int64 {
		if n, ok := obj[k].(json.Number); ok {
			v, _ := n.Int64()
			return v
		}
		return 0
	}
	if idTaken, _ := taken(num("id"), 0); idTaken {
		delete(obj, "id")
	}
	if _, fileTaken := taken(0, num("fileId")); fileTaken {
		delete(obj, "fileId")
	}
	if f.ID = num("id"); f.ID == 0 {
		f.ID = stableID("id", name)
		obj["id"] = f.ID
	}
	if f.FileID = num("fileId"); f.FileID == 0 {
		f.FileID = stableID("file", name)
		obj["fileId"] = f.FileID
	}
	defaults := map[string]any{"name": name, "externalId": name, "owner": "sandbox@example.com", "status": "Ready", "functionPath": "handler.py", "createdTime": 1730204346000}
	for k, v := range defaults {
		if _, ok := obj[k]; !ok {
			obj[k] = v
		}
	}
	f.Name, _ = obj["name"].(string)
	var err error
	if f.Object, err = json.Marshal(obj); err != nil {
		return nil, err
	}
	if f.Zip, err = zipFolder(path); err != nil {
		return nil, fmt.Errorf("fakecdf: zip %s: %w", name, err)
	}
	return f, nil
}

// zipFolder zips a bundle's files (not its function.json or expect.toml,
// which are metadata and test expectations) with a fixed timestamp, so the
// zip is the same every start.
func zipFolder(root string) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !d.Type().IsRegular() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if rel == "function.json" || rel == "expect.toml" {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: rel, Method: zip.Deflate, Modified: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// makeCert generates a self-signed certificate for the CDF and Fusion host
// names, localhost and 127.0.0.1.
func (s *Server) makeCert() error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "Preflight sandbox CDF", Organization: []string{"Preflight sandbox"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(30 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames: []string{"*.cognitedata.com", "*.fusion.cognite.com", "fusion.cognite.com", "localhost",
			"*.localhost", "storage.localhost"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	s.certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	s.tlsCert, err = tls.X509KeyPair(s.certPEM, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	return err
}

// CertPEM is the server's certificate, for clients to trust.
func (s *Server) CertPEM() []byte { return s.certPEM }

// WriteCertPEM writes the certificate to path.
func (s *Server) WriteCertPEM(path string) error { return os.WriteFile(path, s.certPEM, 0o644) }

// CertPool is a pool trusting the server's certificate.
func (s *Server) CertPool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AppendCertsFromPEM(s.certPEM)
	return p
}

// Start listens on addr and on a second port of the same IP, serving HTTPS.
// The first port serves every host name, by the Host header: Fusion
// (*.fusion.cognite.com, fusion.cognite.com), storage.*, CanaryHost, and
// the API for any other name, IP address or localhost. The second port is
// the storage origin for clients that reach the API by IP or localhost.
func (s *Server) Start(addr string) error {
	var err error
	if s.apiLn, err = net.Listen("tcp", addr); err != nil {
		return err
	}
	host, _, _ := net.SplitHostPort(s.apiLn.Addr().String())
	if s.stLn, err = net.Listen("tcp", net.JoinHostPort(host, "0")); err != nil {
		s.apiLn.Close()
		return err
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{s.tlsCert}, MinVersion: tls.VersionTLS12}
	s.api = &http.Server{Handler: s.handler("api"), TLSConfig: cfg, ReadHeaderTimeout: 10 * time.Second, ErrorLog: quiet}
	s.storage = &http.Server{Handler: s.handler("storage"), TLSConfig: cfg.Clone(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: quiet}
	go s.api.ServeTLS(s.apiLn, "", "")
	go s.storage.ServeTLS(s.stLn, "", "")
	return nil
}

// quiet drops the HTTP server's own log (TLS handshakes refused by clients
// that do not trust the certificate are expected in tests).
var quiet = log.New(io.Discard, "", 0)

// Close stops both listeners and the proxies.
func (s *Server) Close() {
	s.closeProxies()
	if s.api != nil {
		s.api.Close()
		s.storage.Close()
	}
}

// Addr is the API listener's host:port.
func (s *Server) Addr() string { return s.apiLn.Addr().String() }

// StorageAddr is the storage listener's host:port.
func (s *Server) StorageAddr() string { return s.stLn.Addr().String() }

// URL is the API's base URL, https://host:port.
func (s *Server) URL() string { return "https://" + s.Addr() }

// Functions lists the bundles of testdata/functions in id order (what an
// uncurated project such as acme-prod serves).
func (s *Server) Functions() []*Function { return append([]*Function(nil), s.functions...) }

// Persona returns a persona's token-inspect JSON.
func (s *Server) Persona(name string) []byte { return s.personas[name] }

// AddToken makes token act as persona.
func (s *Server) AddToken(token, persona string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = persona
}

// AddClient registers an OAuth client for POST /oauth2/token.
func (s *Server) AddClient(id, secret, persona string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clients[id] = [2]string{secret, persona}
}

// AddFault adds a fault; faults are checked in order, the first match applies.
func (s *Server) AddFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// SetDownloads sets how zips are served.
func (s *Server) SetDownloads(d Downloads) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dl = d
}

// Reset clears faults, download settings and the request log (sign-in
// tokens stay valid: pages still hold them).
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults, s.dl, s.requests = nil, Downloads{}, nil
}

// record appends to the request log.
func (s *Server) record(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// sig is the download URL's signature for a file (checked by the storage host).
func sig(fileID int64) string {
	h := sha256.Sum256([]byte("fakecdf-sig/" + strconv.FormatInt(fileID, 10)))
	return hex.EncodeToString(h[:12])
}
