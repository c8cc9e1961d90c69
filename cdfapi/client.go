// Package cdfapi is a small client for the Cognite Data Fusion REST API: the
// calls `preflight audit` needs to list a project's functions, download their
// code and read the caller's token-inspect response. It retries transient
// failures (429 with Retry-After, 5xx, network errors) with exponential
// backoff and jitter, returns 401 and 403 as typed errors naming the call,
// sends the bearer token only to the cluster host, and never puts the token
// (or a pre-signed URL's query) into an error.
package cdfapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Defaults of a Client.
const (
	DefaultMaxAttempts   = 4
	DefaultBaseDelay     = 250 * time.Millisecond
	DefaultMaxDelay      = 8 * time.Second
	DefaultMaxRetryAfter = 30 * time.Second
	DefaultTimeout       = 60 * time.Second
	DefaultPageSize      = 100
	maxResponseBytes     = 32 << 20 // an API answer (JSON) larger than this is refused
	maxPages             = 10000    // a cursor loop never runs longer than this
)

// ErrUnauthorized is returned (wrapped in an *APIError) for HTTP 401: the
// token is missing, expired or not for this cluster.
var ErrUnauthorized = errors.New("unauthorized (401): the token is missing, expired or not valid for this cluster")

// ErrForbidden is returned (wrapped in an *APIError) for HTTP 403: the
// caller lacks the capability the call needs.
var ErrForbidden = errors.New("forbidden (403): your token lacks the capability this call needs")

// ErrNoToken is returned (wrapped) when no token could be had: the
// client-credentials flow failed.
var ErrNoToken = errors.New("no token")

// APIError is an HTTP error answer from CDF (or the storage host).
type APIError struct {
	Call    string // what was attempted, e.g. "list functions"
	Status  int    // HTTP status code
	Message string // CDF's error message, cleaned of control characters and shortened
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("%s: HTTP %d", e.Call, e.Status)
	switch e.Status {
	case http.StatusUnauthorized:
		s = e.Call + ": " + ErrUnauthorized.Error()
	case http.StatusForbidden:
		s = e.Call + ": " + ErrForbidden.Error()
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Unwrap lets errors.Is match ErrUnauthorized and ErrForbidden.
func (e *APIError) Unwrap() error {
	switch e.Status {
	case http.StatusUnauthorized:
		return ErrUnauthorized
	case http.StatusForbidden:
		return ErrForbidden
	}
	return nil
}

// Client talks to one CDF project. Set the fields before the first call.
type Client struct {
	BaseURL string      // "https://{cluster}.cognitedata.com": the only host that gets the token
	Project string      // the project's URL name
	Token   TokenSource // the bearer token
	HTTP    *http.Client

	MaxAttempts   int           // attempts per call, retries included (default 4)
	BaseDelay     time.Duration // first backoff (default 250ms), doubled each retry, with jitter
	MaxDelay      time.Duration // longest backoff (default 8s)
	MaxRetryAfter time.Duration // longest Retry-After honoured (default 30s)
	PageSize      int           // functions per list page (default 100)
}

// New returns a client for project on cluster. cluster is a cluster name
// ("westeurope-1", made "westeurope-1.cognitedata.com"), a host name, or a
// host:port; an https:// prefix is accepted. hc nil means an HTTP client with
// DefaultTimeout.
func New(cluster, project string, ts TokenSource, hc *http.Client) (*Client, error) {
	base, err := BaseURL(cluster)
	if err != nil {
		return nil, err
	}
	if project == "" || strings.ContainsAny(project, "/?#% \t\r\n") {
		return nil, fmt.Errorf("project %q: want the project's URL name", project)
	}
	if ts == nil {
		return nil, errors.New("no token source")
	}
	if hc == nil {
		hc = NewHTTPClient(nil, DefaultTimeout)
	}
	return &Client{BaseURL: base, Project: project, Token: ts, HTTP: hc}, nil
}

// BaseURL turns a --cluster value into the API's base URL.
func BaseURL(cluster string) (string, error) {
	c := strings.TrimSpace(cluster)
	c = strings.TrimSuffix(strings.TrimPrefix(c, "https://"), "/")
	if c == "" {
		return "", errors.New("cluster: empty")
	}
	if strings.ContainsAny(c, "/?#@ \t\r\n\\") || strings.HasPrefix(c, "http:") {
		return "", fmt.Errorf("cluster %q: want a cluster name (westeurope-1), a host or host:port, reached over https", cluster)
	}
	if !strings.ContainsAny(c, ".:") && c != "localhost" {
		c += ".cognitedata.com"
	}
	u, err := url.Parse("https://" + c)
	if err != nil || u.Host != c || u.Hostname() == "" {
		return "", fmt.Errorf("cluster %q: not a valid host", cluster)
	}
	return "https://" + c, nil
}

// NewHTTPClient returns an HTTP client with the given overall timeout and
// connection-level timeouts, trusting roots (nil: the system's).
func NewHTTPClient(roots *Roots, timeout time.Duration) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSHandshakeTimeout = 15 * time.Second
	tr.ResponseHeaderTimeout = 60 * time.Second
	tr.DialContext = (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	tr.Proxy = http.ProxyFromEnvironment
	if roots != nil {
		tr.TLSClientConfig = roots.config()
	}
	return &http.Client{Transport: tr, Timeout: timeout}
}

func (c *Client) attempts() int {
	if c.MaxAttempts > 0 {
		return c.MaxAttempts
	}
	return DefaultMaxAttempts
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// projectURL is the URL of path under the project.
func (c *Client) projectURL(path string) string {
	return c.BaseURL + "/api/v1/projects/" + url.PathEscape(c.Project) + path
}

// apiCall sends one request to the cluster (with the token), retrying, and
// decodes a 2xx JSON answer into out.
func (c *Client) apiCall(ctx context.Context, call, method, rawURL string, body any, out any) error {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return fmt.Errorf("%s: encode request: %w", call, err)
		}
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("%s: bad URL", call)
	}
	base, _ := url.Parse(c.BaseURL)
	if base == nil || u.Scheme != "https" || u.Host != base.Host {
		// The token goes to the cluster and nowhere else.
		return fmt.Errorf("%s: refusing to send the token to %s (only %s gets it)", call, hostOf(rawURL), base.Host)
	}
	var tok string
	data, err := c.do(ctx, call, func() (*http.Request, error) {
		var rd io.Reader
		if payload != nil {
			rd = bytes.NewReader(payload)
		}
		req, err := http.NewRequestWithContext(ctx, method, rawURL, rd)
		if err != nil {
			return nil, err
		}
		if tok, err = c.Token.Token(ctx); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrNoToken, err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("cdf-version", "20230101")
		if payload != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		return req, nil
	}, maxResponseBytes)
	if err != nil {
		return scrubToken(err, tok)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s: the answer is not the expected JSON: %s", call, cleanMessage(err.Error()))
		}
	}
	return nil
}

// errTooLarge marks an answer over the byte limit.
type errTooLarge struct{ limit int64 }

func (e errTooLarge) Error() string {
	return fmt.Sprintf("larger than %s", mib(e.limit))
}

func mib(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// do runs a request built by newReq with retries and returns the body of a
// 2xx answer, read up to limit bytes (more is an error).
func (c *Client) do(ctx context.Context, call string, newReq func() (*http.Request, error), limit int64) ([]byte, error) {
	var lastErr error
	for attempt := 1; ; attempt++ {
		req, err := newReq()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", call, err)
		}
		resp, err := c.HTTP.Do(req)
		var retryAfter time.Duration
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("%s: %w", call, ctx.Err())
			}
			lastErr = fmt.Errorf("%s: %s %s: %s", call, req.Method, safeURL(req.URL), netReason(err))
			var certErr *tls.CertificateVerificationError
			if errors.As(err, &certErr) {
				// Retrying will not make the certificate trusted.
				return nil, fmt.Errorf("%w (for a sandbox, pass its certificate with --ca-cert)", lastErr)
			}
		} else {
			data, status, rerr := readBody(resp, limit)
			switch {
			case status >= 200 && status < 300 && rerr == nil:
				return data, nil
			case status >= 200 && status < 300:
				var tl errTooLarge
				if errors.As(rerr, &tl) {
					return nil, fmt.Errorf("%s: the answer is %s", call, tl.Error())
				}
				lastErr = fmt.Errorf("%s: reading the answer: %s", call, netReason(rerr))
			default:
				apiErr := &APIError{Call: call, Status: status, Message: errorMessage(data)}
				if status != http.StatusTooManyRequests && status < 500 {
					return nil, apiErr // 4xx other than 429: retrying will not help
				}
				lastErr = apiErr
				retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), orDefault(c.MaxRetryAfter, DefaultMaxRetryAfter))
			}
		}
		if attempt >= c.attempts() {
			if attempt > 1 {
				return nil, fmt.Errorf("%w (gave up after %d attempts)", lastErr, attempt)
			}
			return nil, lastErr
		}
		wait := c.backoff(attempt)
		if retryAfter > wait {
			wait = retryAfter
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("%s: %w", call, ctx.Err())
		case <-t.C:
		}
	}
}

// backoff is the wait before retry n (1-based): base·2^(n-1), capped, with
// full jitter over its upper half.
func (c *Client) backoff(n int) time.Duration {
	base, max := orDefault(c.BaseDelay, DefaultBaseDelay), orDefault(c.MaxDelay, DefaultMaxDelay)
	d := base
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(half)+1))
}

// parseRetryAfter reads a Retry-After header (seconds or an HTTP date),
// capped at max; 0 when absent or unreadable.
func parseRetryAfter(v string, max time.Duration) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0
		}
		if n > int64(max/time.Second) {
			return max
		}
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = time.Until(t)
	}
	if d < 0 {
		return 0
	}
	if d > max {
		return max
	}
	return d
}

// readBody reads and closes resp.Body, at most limit bytes (limit+1 read
// means too large).
func readBody(resp *http.Response, limit int64) ([]byte, int, error) {
	defer resp.Body.Close()
	if limit > 0 && resp.ContentLength > limit && resp.StatusCode/100 == 2 {
		return nil, resp.StatusCode, errTooLarge{limit}
	}
	readLimit := limit
	if resp.StatusCode/100 != 2 {
		readLimit = 64 << 10 // an error body: enough for the message
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, readLimit+1))
	if err != nil {
		return nil, resp.StatusCode, err
	}
	if int64(len(data)) > readLimit {
		if resp.StatusCode/100 == 2 {
			return nil, resp.StatusCode, errTooLarge{limit}
		}
		data = data[:readLimit]
	}
	return data, resp.StatusCode, nil
}

// errorMessage is CDF's {"error":{"message":…}} text, cleaned.
func errorMessage(body []byte) string {
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error.Message != "" {
		return cleanMessage(e.Error.Message)
	}
	return ""
}

// cleanMessage drops control characters and shortens text from the network.
func cleanMessage(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300]) + "…"
	}
	return s
}

// netReason is the reason of a transport error without the URL (which the
// caller prints itself, without its query).
func netReason(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timed out"
	}
	return cleanMessage(err.Error())
}

// safeURL prints u without its query, fragment or user info: pre-signed
// download URLs carry their signature in the query.
func safeURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	v := *u
	v.RawQuery, v.Fragment, v.User = "", "", nil
	return v.String()
}

// hostOf is the host of a URL, for messages.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "an unknown host"
	}
	return u.Host
}

// scrubbedError is an error whose text had the token removed.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// scrubToken makes sure the token never shows in an error's text, whatever
// a server echoed back.
func scrubToken(err error, tok string) error {
	if err == nil || len(tok) < 4 || !strings.Contains(err.Error(), tok) {
		return err
	}
	return &scrubbedError{msg: strings.ReplaceAll(err.Error(), tok, "[token]"), err: err}
}
