package server

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// StartProxy listens on addr (e.g. "127.0.0.1:0") as an HTTP CONNECT proxy
// for Firefox, which has no --host-resolver-rules: CONNECT to
// *.fusion.cognite.com:443, fusion.cognite.com:443 or *.cognitedata.com:443
// is tunnelled to the server's port; anything else is refused with 403 and
// recorded in the request log (Origin "proxy-refused", Host = the target).
// It returns the proxy's host:port; Close stops it. Call after Start.
func (s *Server) StartProxy(addr string) (string, error) {
	if s.apiLn == nil {
		return "", errors.New("fakecdf: StartProxy before Start")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	s.proxyLns = append(s.proxyLns, ln)
	s.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.proxyConn(c)
		}
	}()
	return ln.Addr().String(), nil
}

// proxyAllowed reports whether a CONNECT target goes to the sandbox.
func proxyAllowed(target string) bool {
	host, port, err := net.SplitHostPort(target)
	if err != nil || port != "443" {
		return false
	}
	host = strings.ToLower(host)
	return isFusionName(host) || (strings.HasSuffix(host, ".cognitedata.com") && len(host) > len(".cognitedata.com"))
}

// proxyConn serves one client connection of the proxy.
func (s *Server) proxyConn(c net.Conn) {
	if !s.track(c) {
		return
	}
	defer s.untrack(c)
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(c)
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	c.SetReadDeadline(time.Time{})
	target := req.Host
	if req.Method != http.MethodConnect {
		if req.URL != nil && req.URL.Host != "" {
			target = req.URL.Host
		}
		target = req.Method + " " + target
	}
	if req.Method != http.MethodConnect || !proxyAllowed(target) {
		s.record(Request{Method: req.Method, Host: target, Path: "", Origin: "proxy-refused", Status: http.StatusForbidden})
		io.WriteString(c, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		return
	}
	up, err := net.DialTimeout("tcp", s.apiLn.Addr().String(), 5*time.Second)
	if err != nil {
		io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		return
	}
	if !s.track(up) {
		up.Close()
		return
	}
	defer s.untrack(up)
	defer up.Close()
	if _, err := io.WriteString(c, "HTTP/1.1 200 Connection Established\r\n\r\n"); err != nil {
		return
	}
	done := make(chan struct{}, 2)
	go func() {
		// Bytes the client sent after the CONNECT request are in br.
		io.Copy(up, br)
		if tc, ok := up.(*net.TCPConn); ok {
			tc.CloseWrite()
		}
		done <- struct{}{}
	}()
	go func() {
		io.Copy(c, up)
		if tc, ok := c.(*net.TCPConn); ok {
			tc.CloseWrite()
		}
		done <- struct{}{}
	}()
	<-done
	<-done
}

// track remembers a proxy connection so Close can end it; false once closed.
func (s *Server) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		c.Close()
		return false
	}
	s.proxyConns[c] = struct{}{}
	return true
}

func (s *Server) untrack(c net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.proxyConns, c)
}

// closeProxies stops the proxy listeners and their connections.
func (s *Server) closeProxies() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for _, ln := range s.proxyLns {
		ln.Close()
	}
	for c := range s.proxyConns {
		c.Close()
	}
	s.proxyLns = nil
}
