package cdfapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// TokenSource hands out the bearer token for CDF calls.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// StaticToken is a token given as is (CDF_TOKEN).
type StaticToken string

// Token returns the token.
func (t StaticToken) Token(context.Context) (string, error) {
	if t == "" {
		return "", errors.New("empty token")
	}
	return string(t), nil
}

// ClientCredentials gets tokens with the OAuth 2.0 client-credentials grant
// and caches each until shortly before it expires.
type ClientCredentials struct {
	TokenURL     string
	ClientID     string
	ClientSecret string
	Scopes       []string
	HTTP         *http.Client

	mu     sync.Mutex
	token  string
	expiry time.Time
}

// maxTokenAnswer bounds the token endpoint's answer.
const maxTokenAnswer = 1 << 20

// Token returns a cached token, or fetches a new one.
func (cc *ClientCredentials) Token(ctx context.Context) (string, error) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.token != "" && time.Now().Before(cc.expiry) {
		return cc.token, nil
	}
	u, err := url.Parse(cc.TokenURL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return "", errors.New("CDF_TOKEN_URL: want an https:// URL of the identity provider's token endpoint")
	}
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {cc.ClientID},
		"client_secret": {cc.ClientSecret},
	}
	if len(cc.Scopes) > 0 {
		form.Set("scope", strings.Join(cc.Scopes, " "))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cc.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", errors.New("client credentials: bad token URL")
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	hc := cc.HTTP
	if hc == nil {
		hc = NewHTTPClient(nil, DefaultTimeout)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("client credentials: POST %s: %s", safeURL(u), netReason(err))
	}
	data, status, err := readBody(resp, maxTokenAnswer)
	if err != nil {
		return "", fmt.Errorf("client credentials: reading the answer of %s: %s", safeURL(u), netReason(err))
	}
	var ans struct {
		AccessToken string          `json:"access_token"`
		TokenType   string          `json:"token_type"`
		ExpiresIn   json.Number     `json:"expires_in"`
		Error       string          `json:"error"`
		Description json.RawMessage `json:"error_description"`
	}
	_ = json.Unmarshal(data, &ans)
	if status != http.StatusOK {
		msg := ""
		if ans.Error != "" {
			msg = ": " + cleanMessage(ans.Error)
		}
		return "", fmt.Errorf("client credentials: %s answered HTTP %d%s (check CDF_CLIENT_ID, CDF_CLIENT_SECRET and CDF_SCOPES)", safeURL(u), status, msg)
	}
	if ans.AccessToken == "" {
		return "", fmt.Errorf("client credentials: %s gave no access_token", safeURL(u))
	}
	if tt := strings.ToLower(ans.TokenType); tt != "" && tt != "bearer" {
		return "", fmt.Errorf("client credentials: token type %q, want Bearer", cleanMessage(ans.TokenType))
	}
	life := time.Hour
	if n, err := ans.ExpiresIn.Int64(); err == nil && n > 0 {
		life = time.Duration(n) * time.Second
	}
	// Renew a minute early (or halfway through a short life).
	margin := time.Minute
	if life < 2*margin {
		margin = life / 2
	}
	cc.token, cc.expiry = ans.AccessToken, time.Now().Add(life-margin)
	return cc.token, nil
}

// TokenFromEnv returns the token source the environment configures:
// CDF_TOKEN, else the client-credentials flow from CDF_CLIENT_ID,
// CDF_CLIENT_SECRET, CDF_TOKEN_URL and CDF_SCOPES (space or comma separated).
func TokenFromEnv(getenv func(string) string, hc *http.Client) (TokenSource, error) {
	if t := strings.TrimSpace(getenv("CDF_TOKEN")); t != "" {
		return StaticToken(t), nil
	}
	id, secret, tokenURL := getenv("CDF_CLIENT_ID"), getenv("CDF_CLIENT_SECRET"), getenv("CDF_TOKEN_URL")
	if id == "" && secret == "" && tokenURL == "" {
		return nil, errors.New("no credentials: set CDF_TOKEN, or CDF_CLIENT_ID, CDF_CLIENT_SECRET, CDF_TOKEN_URL (and CDF_SCOPES) for client credentials")
	}
	var missing []string
	for _, kv := range [][2]string{{"CDF_CLIENT_ID", id}, {"CDF_CLIENT_SECRET", secret}, {"CDF_TOKEN_URL", tokenURL}} {
		if kv[1] == "" {
			missing = append(missing, kv[0])
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("client credentials: %s not set", strings.Join(missing, ", "))
	}
	scopes := strings.FieldsFunc(getenv("CDF_SCOPES"), func(r rune) bool { return r == ' ' || r == ',' })
	return &ClientCredentials{TokenURL: tokenURL, ClientID: id, ClientSecret: secret, Scopes: scopes, HTTP: hc}, nil
}
