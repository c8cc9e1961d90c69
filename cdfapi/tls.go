package cdfapi

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
)

// Roots is a set of trusted certificates added to the system's.
type Roots struct{ pool *x509.CertPool }

// TrustPEM returns roots trusting the system's certificates plus the PEM
// certificates given (e.g. the sandbox CDF's).
func TrustPEM(pem []byte) (*Roots, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, errors.New("no PEM certificate found")
	}
	return &Roots{pool: pool}, nil
}

func (r *Roots) config() *tls.Config {
	return &tls.Config{RootCAs: r.pool, MinVersion: tls.VersionTLS12}
}
