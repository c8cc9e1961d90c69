package secrets

import (
	"math"
	"regexp"
	"strings"
	"unicode"
)

// genericRuleID is the id of the name-and-entropy rule.
const genericRuleID = "generic-secret"

// genericRule reports a value bound to a secret-like name when the value
// looks random enough to be a credential: at least MinLen bytes, entropy
// above a bar that grows with the length up to MaxEntropy (a short value
// cannot reach 3.5 bits: 8 bytes carry at most 3), a digit or symbol, and
// none of the shapes of a non-secret (placeholder, template, URL without
// credentials, file path, UUID under a non-secret name, number, sentence).
type genericRule struct {
	MinLen     int
	MaxEntropy float64
}

var defaultGeneric = genericRule{MinLen: 8, MaxEntropy: 3.5}

// entropyBar is the entropy a value of n bytes must exceed: 3.5 bits from 16
// bytes on; below, 80% of the most n bytes can carry (log2 n), so that an
// 8-byte password of 8 distinct characters passes and "aaaa1111" does not.
func (g genericRule) entropyBar(n int) float64 {
	return math.Min(g.MaxEntropy, 0.8*math.Log2(float64(n)))
}

func (g genericRule) judge(d *Detector, name, value string) (Match, bool) {
	if !IsSecretName(name) || len(value) < g.MinLen || len(value) > 1000 {
		return Match{}, false
	}
	if !hasDigitOrSymbol(value) || isNonSecretShape(value) || d.allowed(value) || genericStopword(value) {
		return Match{}, false
	}
	e := Entropy(value)
	if e <= g.entropyBar(len(value)) {
		return Match{}, false
	}
	return Match{RuleID: genericRuleID, Description: "Secret-looking value under the name " + quoteName(name),
		Secret: value, Start: 0, End: len(value), Entropy: e}, true
}

// quoteName quotes a (untrusted) name for a description, trimmed.
func quoteName(name string) string {
	if len(name) > 60 {
		name = name[:60] + "…"
	}
	return "\"" + strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name) + "\""
}

// hasDigitOrSymbol reports whether s has a character other than a letter,
// "_", "." or "-" (identifiers and words are not secrets).
func hasDigitOrSymbol(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && r != '_' && r != '.' && r != '-' {
			return true
		}
	}
	return false
}

// genericStopwords are words of test and sample values; they apply to the
// generic rule only (a real token format may contain "test": sk_test_…).
var genericStopwords = []string{"test", "sample", "fake", "secret", "password", "passwd", "token"}

func genericStopword(v string) bool {
	l := strings.ToLower(v)
	for _, w := range genericStopwords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

var (
	uuidRE    = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	numberRE  = regexp.MustCompile(`^[0-9][0-9_.,:/ -]*$`)
	urlRE     = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*://`)
	pathRE    = regexp.MustCompile(`^(?:\.{0,2}/|~/|[A-Za-z]:\\|\\\\)|\.(?:py|json|ya?ml|toml|txt|csv|ini|cfg|pem|crt|cer|key|p12|pfx|log|env|zip|tar|gz|sql|parquet)$`)
	envRefRE  = regexp.MustCompile(`^(?:\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|%[A-Za-z_][A-Za-z0-9_]*%|env:[A-Za-z_]\w*)$`)
	fmtHoleRE = regexp.MustCompile(`\{[A-Za-z_0-9]*\}|%[sdr]|\{\}`)
)

// isNonSecretShape reports values that are not credentials whatever their
// name: UUIDs are judged by the caller of IsUUID; numbers, URLs without
// credentials, file paths, environment references, format strings,
// sentences (whitespace) and repeated patterns.
func isNonSecretShape(v string) bool {
	switch {
	case numberRE.MatchString(v):
		return true
	case urlRE.MatchString(v):
		return true // a URL with a password is the url-with-password rule's
	case pathRE.MatchString(v):
		return true
	case envRefRE.MatchString(v):
		return true
	case fmtHoleRE.MatchString(v):
		return true
	case strings.ContainsAny(v, " \t\r\n"):
		return true
	case isRepeated(v):
		return true
	}
	return false
}

// isRepeated reports whether v is a unit of 1 to 4 bytes repeated
// ("aaaaaaaa", "abababab", "12341234").
func isRepeated(v string) bool {
	for p := 1; p <= 4 && 2*p <= len(v); p++ {
		ok := true
		for i := p; i < len(v); i++ {
			if v[i] != v[i-p] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// IsUUID reports whether v is a UUID (8-4-4-4-12 hex). A UUID under a
// secret-like name is reported by the generic rule (some services' API
// keys are UUIDs); under any other name (client_id, tenant_id) it is not.
func IsUUID(v string) bool { return uuidRE.MatchString(v) }

// IsSecretName reports whether a name looks like it holds a secret
// ("API_KEY", "client-secret", "db_password"), for env vars and dict keys.
// Names of things about a secret are not secret: token_url, key_id,
// public_key, password_hash, api_version, secret_name, max_tokens.
func IsSecretName(name string) bool {
	words := splitWords(name)
	if len(words) == 0 || len(words) > 20 {
		return false
	}
	secret := false
	for i, w := range words {
		if nonSecretWords[w] {
			return false
		}
		if secretWords[w] {
			secret = true
			continue
		}
		if w == "key" || w == "keys" {
			if len(words) == 1 || i > 0 && keyQualifiers[words[i-1]] {
				secret = true
			}
			continue
		}
		for _, suf := range secretSuffixes {
			if strings.HasSuffix(w, suf) || strings.HasPrefix(w, suf) && (suf == "password" || suf == "passwd" || suf == "secret") {
				secret = true
			}
		}
	}
	return secret
}

// namesSomethingElse reports whether a name is about a secret rather than
// the secret (it has a word like id, url, enabled, hash).
func namesSomethingElse(name string) bool {
	for _, w := range splitWords(name) {
		if nonSecretWords[w] {
			return true
		}
	}
	return false
}

// splitWords splits an identifier into lower-case words at separators and
// camel-case boundaries: "clientSecret" → client, secret; "APIKey" → api,
// key; "DB_PASSWORD" → db, password.
func splitWords(name string) []string {
	if len(name) > 200 {
		name = name[:200]
	}
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if unicode.IsUpper(r) && len(cur) > 0 {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || unicode.IsUpper(prev) && nextLower {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

var secretWords = map[string]bool{
	"password": true, "passwd": true, "pwd": true, "pass": true, "passphrase": true, "passcode": true,
	"secret": true, "secrets": true, "token": true, "apikey": true, "accesskey": true, "secretkey": true,
	"privatekey": true, "auth": true, "credential": true, "credentials": true, "creds": true,
	"clientsecret": true, "authtoken": true, "accesstoken": true, "refreshtoken": true, "bearer": true,
	"apitoken": true, "pat": true, "sas": true, "signature": true, "contraseña": true, "connstr": true,
	"dsn": true, "webhook": true, "authorization": true,
}

// keyQualifiers make "key" a secret: api_key, access_key, private_key, …
var keyQualifiers = map[string]bool{
	"api": true, "access": true, "secret": true, "private": true, "account": true, "app": true,
	"auth": true, "client": true, "master": true, "signing": true, "encryption": true,
	"subscription": true, "service": true, "shared": true, "storage": true, "sas": true,
	"license": true, "db": true, "database": true, "aes": true, "hmac": true, "jwt": true,
	"crypto": true, "cipher": true, "session": true, "write": true, "admin": true, "ingest": true,
	"integration": true, "rest": true, "dev": true, "prod": true, "user": true, "x": true,
}

var secretSuffixes = []string{"password", "passwd", "secret", "token", "apikey", "accesskey", "secretkey", "privatekey"}

// nonSecretWords name something about a secret, not the secret.
var nonSecretWords = map[string]bool{
	"id": true, "ids": true, "url": true, "uri": true, "urls": true, "endpoint": true, "host": true,
	"path": true, "file": true, "filename": true, "dir": true, "name": true, "names": true,
	"type": true, "types": true, "length": true, "len": true, "size": true, "ttl": true,
	"expiry": true, "expires": true, "expiration": true, "timeout": true, "version": true,
	"prefix": true, "scope": true, "scopes": true, "field": true, "fields": true, "env": true,
	"var": true, "count": true, "public": true, "pub": true, "hash": true, "hashed": true,
	"digest": true, "checksum": true, "sha": true, "sha1": true, "sha256": true, "sha512": true,
	"md5": true, "fingerprint": true, "format": true, "regex": true, "pattern": true,
	"label": true, "description": true, "desc": true, "placeholder": true, "hint": true,
	"policy": true, "mode": true, "algorithm": true, "algo": true, "issuer": true,
	"audience": true, "provider": true, "location": true, "cache": true, "kind": true,
	"tokens": true, "tokenizer": true, "author": true, "primary": true, "foreign": true,
	"sort": true, "partition": true, "header": true, "param": true, "parameter": true,
	"key_id": true, "enabled": true, "required": true, "mask": true, "masked": true,
	"min": true, "max": true, "limit": true, "index": true, "idx": true, "column": true,
	"col": true, "table": true, "method": true, "class": true, "schema": true,
	"csrf": true, "xsrf": true, "nonce": true, "lookup": true, "vault": true, "ref": true,
	"reference": true, "arn": true, "usage": true, "example": true, "sample": true,
}
