package cdfapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cdf-preflight/preflight/cdfapi"
	"github.com/cdf-preflight/preflight/scripts/fakecdf/server"
)

// startFake starts the sandbox CDF on 127.0.0.1 with the given page size.
func startFake(t *testing.T, pageSize int) *server.Server {
	t.Helper()
	s, err := server.New(server.Options{Testdata: "../testdata", PageSize: pageSize})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// client returns a fast-retrying client of s with token tok.
func client(t *testing.T, s *server.Server, ts cdfapi.TokenSource) *cdfapi.Client {
	t.Helper()
	roots, err := cdfapi.TrustPEM(s.CertPEM())
	if err != nil {
		t.Fatal(err)
	}
	c, err := cdfapi.New(s.Addr(), "acme-prod", ts, cdfapi.NewHTTPClient(roots, 5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	c.BaseDelay, c.MaxDelay, c.MaxRetryAfter = time.Millisecond, 5*time.Millisecond, 50*time.Millisecond
	return c
}

func TestBaseURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"westeurope-1", "https://westeurope-1.cognitedata.com"},
		{"api.cognitedata.com", "https://api.cognitedata.com"},
		{"https://az-eastus-1.cognitedata.com/", "https://az-eastus-1.cognitedata.com"},
		{"127.0.0.1:8443", "https://127.0.0.1:8443"},
		{"", ""},
		{"http://x.com", ""},
		{"evil.com/path", ""},
		{"user@host.com", ""},
	} {
		got, err := cdfapi.BaseURL(tc.in)
		if got != tc.want || (tc.want == "") != (err != nil) {
			t.Errorf("BaseURL(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestListPaginatesAndDownloads(t *testing.T) {
	s := startFake(t, 7)
	c := client(t, s, cdfapi.StaticToken(server.TokenFor(server.Standard)))
	ctx := context.Background()
	fns, err := c.ListFunctions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := len(s.Functions()); len(fns) != want || want < 50 {
		t.Fatalf("listed %d functions, want all %d", len(fns), want)
	}
	pages := 0
	for _, r := range s.Requests() {
		if strings.HasSuffix(r.Path, "/functions/list") {
			pages++
		}
	}
	if want := (len(fns) + 6) / 7; pages != want {
		t.Errorf("%d list requests, want %d pages of 7", pages, want)
	}
	got, err := c.ListFunctionsGET(ctx)
	if err != nil || len(got) != len(fns) {
		t.Fatalf("GET /functions: %d functions, %v", len(got), err)
	}
	one, err := c.GetFunction(ctx, fns[3].ID)
	if err != nil || one.ID != fns[3].ID || one.Name == "" {
		t.Fatalf("GetFunction = %+v, %v", one, err)
	}
	byIDs, err := c.FunctionsByIDs(ctx, fns[0].ID, fns[1].ID)
	if err != nil || len(byIDs) != 2 || byIDs[1].ID != fns[1].ID || len(byIDs[0].Raw) == 0 {
		t.Fatalf("FunctionsByIDs = %v, %v", byIDs, err)
	}
	files, err := c.FilesByIDs(ctx, fns[0].FileID)
	if err != nil || len(files) != 1 || files[0].ID != fns[0].FileID {
		t.Fatalf("FilesByIDs = %v, %v", files, err)
	}
	link, err := c.DownloadLink(ctx, fns[0].FileID)
	if err != nil {
		t.Fatal(err)
	}
	zip, err := c.Download(ctx, link, 50<<20)
	if err != nil || !strings.HasPrefix(string(zip), "PK") {
		t.Fatalf("Download: %d bytes, %v", len(zip), err)
	}
	tok, err := c.TokenInspect(ctx)
	if err != nil || !strings.Contains(string(tok), "acme-prod") {
		t.Fatalf("TokenInspect: %s, %v", tok, err)
	}
	// The token went to the API origin only; the storage host never saw an
	// Authorization header.
	storage := 0
	for _, r := range s.Requests() {
		switch r.Origin {
		case "api":
			if !r.HasAuth || !r.ValidTok {
				t.Errorf("API request %s %s without the token", r.Method, r.Path)
			}
		case "storage":
			storage++
			if r.HasAuth {
				t.Errorf("storage request %s %s carried an Authorization header", r.Method, r.Path)
			}
		}
	}
	if storage != 1 {
		t.Errorf("%d storage requests, want 1", storage)
	}
}

func TestRetries(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault server.Fault
		ok    bool
		calls int
	}{
		{"429 with Retry-After then success", server.Fault{Path: "/functions/list", Status: 429, RetryAfter: "0", Count: 2}, true, 3},
		{"500 then success", server.Fault{Path: "/functions/list", Status: 500, Count: 1}, true, 2},
		{"503 always gives up", server.Fault{Path: "/functions/list", Status: 503}, false, 4},
		{"401 not retried", server.Fault{Path: "/functions/list", Status: 401}, false, 1},
		{"403 not retried", server.Fault{Path: "/functions/list", Status: 403}, false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startFake(t, 0)
			s.AddFault(tc.fault)
			c := client(t, s, cdfapi.StaticToken(server.TokenFor(server.Admin)))
			_, err := c.ListFunctions(context.Background())
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
			if n := len(s.Requests()); n != tc.calls {
				t.Errorf("%d requests, want %d", n, tc.calls)
			}
			switch tc.fault.Status {
			case 401:
				if !errors.Is(err, cdfapi.ErrUnauthorized) || !strings.Contains(err.Error(), "list functions") {
					t.Errorf("err = %v, want ErrUnauthorized naming the call", err)
				}
			case 403:
				if !errors.Is(err, cdfapi.ErrForbidden) {
					t.Errorf("err = %v, want ErrForbidden", err)
				}
			}
		})
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	s := startFake(t, 0)
	s.AddFault(server.Fault{Path: "/token/inspect", Status: 429, RetryAfter: "1", Count: 1})
	c := client(t, s, cdfapi.StaticToken(server.TokenFor(server.Admin)))
	c.MaxRetryAfter = time.Minute
	start := time.Now()
	if _, err := c.TokenInspect(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The backoff alone is ≤5ms here; only Retry-After explains a wait of a second.
	if d := time.Since(start); d < time.Second {
		t.Errorf("retried after %v, want at least the Retry-After of 1s", d)
	}
}

func TestDownloadLimits(t *testing.T) {
	s := startFake(t, 0)
	c := client(t, s, cdfapi.StaticToken(server.TokenFor(server.Admin)))
	ctx := context.Background()
	f := s.Functions()[0]
	link, err := c.DownloadLink(ctx, f.FileID)
	if err != nil {
		t.Fatal(err)
	}
	s.SetDownloads(server.Downloads{OversizeBytes: 3 << 20})
	_, err = c.Download(ctx, link, 1<<20)
	if err == nil || !strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Errorf("oversized download: err = %v, want 'larger than 1 MiB'", err)
	}
	if strings.Contains(err.Error(), "sig=") {
		t.Errorf("error shows the pre-signed query: %v", err)
	}
	s.SetDownloads(server.Downloads{SlowChunk: 300 * time.Millisecond})
	roots, _ := cdfapi.TrustPEM(s.CertPEM())
	c.HTTP = cdfapi.NewHTTPClient(roots, 200*time.Millisecond)
	c.MaxAttempts = 1
	if _, err = c.Download(ctx, link, 1<<20); err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Errorf("slow download: err = %v, want a timeout", err)
	}
	s.SetDownloads(server.Downloads{ForbiddenFiles: []int64{f.FileID}})
	c.HTTP = cdfapi.NewHTTPClient(roots, 5*time.Second)
	if _, err = c.DownloadLink(ctx, f.FileID); !errors.Is(err, cdfapi.ErrForbidden) {
		t.Errorf("forbidden zip: err = %v, want ErrForbidden", err)
	}
}

func TestClientCredentials(t *testing.T) {
	s := startFake(t, 0)
	s.AddClient("my-client", "s3cret-value", server.ReadOnly)
	roots, _ := cdfapi.TrustPEM(s.CertPEM())
	hc := cdfapi.NewHTTPClient(roots, 5*time.Second)
	env := map[string]string{"CDF_CLIENT_ID": "my-client", "CDF_CLIENT_SECRET": "s3cret-value",
		"CDF_TOKEN_URL": s.URL() + "/oauth2/token", "CDF_SCOPES": "https://x.cognitedata.com/.default"}
	ts, err := cdfapi.TokenFromEnv(func(k string) string { return env[k] }, hc)
	if err != nil {
		t.Fatal(err)
	}
	c := client(t, s, ts)
	for range 2 {
		tok, err := c.TokenInspect(context.Background())
		if err != nil || !strings.Contains(string(tok), "sapWritebackAcl") {
			t.Fatalf("TokenInspect with client credentials: %v", err)
		}
	}
	tokenCalls := 0
	for _, r := range s.Requests() {
		if r.Path == "/oauth2/token" {
			tokenCalls++
		}
	}
	if tokenCalls != 1 {
		t.Errorf("%d token requests, want 1 (cached until expiry)", tokenCalls)
	}
	env["CDF_CLIENT_SECRET"] = "wrong"
	ts, _ = cdfapi.TokenFromEnv(func(k string) string { return env[k] }, hc)
	_, err = client(t, s, ts).TokenInspect(context.Background())
	if err == nil || !strings.Contains(err.Error(), "HTTP 401") || strings.Contains(err.Error(), "wrong") {
		t.Errorf("bad secret: err = %v", err)
	}
	if _, err := cdfapi.TokenFromEnv(func(k string) string { return map[string]string{"CDF_CLIENT_ID": "x"}[k] }, hc); err == nil || !strings.Contains(err.Error(), "CDF_CLIENT_SECRET, CDF_TOKEN_URL not set") {
		t.Errorf("partial env: err = %v", err)
	}
}
