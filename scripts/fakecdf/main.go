// Command fakecdf serves the sandbox CDF (see package server) for manual use:
//
//	go run ./scripts/fakecdf -addr 127.0.0.1:8443 -cert /tmp/fakecdf.pem -proxy 127.0.0.1:8888
//
// It prints how to reach it: the API URL, the storage origin, the persona
// tokens, the certificate file to trust (preflight audit --ca-cert), the
// sandbox Fusion's URL, the Chromium flags that reach it, and the CONNECT
// proxy for Firefox.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/cdf-preflight/preflight/scripts/fakecdf/server"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8443", "API listen address (the storage origin gets a second port)")
	testdata := flag.String("testdata", "testdata", "the repository's testdata folder")
	cert := flag.String("cert", filepath.Join(os.TempDir(), "fakecdf-cert.pem"), "where to write the certificate (PEM) clients should trust")
	page := flag.Int("page-size", 10, "functions per page of POST /functions/list")
	proxy := flag.String("proxy", "", "also serve a CONNECT proxy for Firefox on this address (e.g. 127.0.0.1:8888)")
	flag.Parse()

	s, err := server.New(server.Options{Testdata: *testdata, PageSize: *page})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := s.WriteCertPEM(*cert); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := s.Start(*addr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer s.Close()
	proxyAddr := ""
	if *proxy != "" {
		if proxyAddr, err = s.StartProxy(*proxy); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	fmt.Printf("sandbox CDF API:   %s  (%d functions)\n", s.URL(), len(s.Functions()))
	fmt.Printf("storage origin:    https://%s\n", s.StorageAddr())
	fmt.Printf("certificate:       %s\n", *cert)
	fmt.Printf("persona tokens:    %s, %s, %s\n", server.TokenFor(server.Admin), server.TokenFor(server.Standard), server.TokenFor(server.ReadOnly))
	fmt.Printf("request log:       curl --cacert %s %s/_fake/requests\n", *cert, s.URL())
	fmt.Printf("try:               CDF_TOKEN=%s preflight audit --cluster %s --project acme-prod --ca-cert %s\n", server.TokenFor(server.Admin), s.Addr(), *cert)
	fmt.Printf("sandbox Fusion:    %s&variant=classic|modern|compact&persona=admin|standard|readonly\n", server.FusionURL("acme-demo"))
	fmt.Printf("chromium flags:    --host-resolver-rules=%q --ignore-certificate-errors-spki-list=%s\n", s.HostResolverRules(), s.SPKIHash())
	if proxyAddr != "" {
		fmt.Printf("firefox proxy:     HTTPS (SSL) proxy %s (network.proxy.type=1, network.proxy.ssl, network.proxy.ssl_port), accept the certificate\n", proxyAddr)
	} else {
		fmt.Printf("firefox proxy:     run with -proxy 127.0.0.1:8888\n")
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
}
