package server

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxBody bounds request bodies.
const maxBody = 1 << 20

// recorder captures the status written.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// handler serves one listener: "api" (every host name, dispatched by the
// Host header) or "storage".
func (s *Server) handler(origin string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w}
		req := Request{Method: r.Method, Host: r.Host, Path: r.URL.Path, Origin: origin}
		if origin == "api" {
			req.Origin = hostKind(r.Host)
		}
		auth := r.Header.Get("Authorization")
		req.HasAuth = auth != ""
		persona := ""
		if tok, ok := strings.CutPrefix(auth, "Bearer "); ok {
			s.mu.Lock()
			persona = s.tokens[tok]
			s.mu.Unlock()
		}
		req.ValidTok, req.Persona = persona != "", persona
		s.serve(rec, r, req.Origin, persona)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		req.Status = rec.status
		if req.Origin != "api" || !strings.HasPrefix(r.URL.Path, "/_fake/") {
			s.record(req)
		}
	})
}

// writeJSON answers v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// apiError answers CDF's error shape.
func apiError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": status, "message": msg}})
}

// fault returns the first fault matching path, counting it down.
func (s *Server) fault(path string, api bool) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if (f.Path == "" && api) || (f.Path != "" && strings.Contains(path, f.Path)) {
			c := *f
			if f.Count > 0 {
				f.Count--
				if f.Count == 0 {
					s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
				}
			}
			return &c
		}
	}
	return nil
}

func (s *Server) serve(w *recorder, r *http.Request, origin, persona string) {
	path := r.URL.Path
	if origin == "fusion" {
		s.serveFusion(w, r)
		return
	}
	if origin == "api" && strings.HasPrefix(path, "/_fake/") {
		s.control(w, r)
		return
	}
	if origin == "api" && cors(w, r) {
		return
	}
	isAPI := strings.HasPrefix(path, "/api/v1/")
	if f := s.fault(path, isAPI); f != nil {
		if f.Latency > 0 {
			select {
			case <-time.After(f.Latency):
			case <-r.Context().Done():
				return
			}
		}
		if f.Status != 0 {
			if f.RetryAfter != "" {
				w.Header().Set("Retry-After", f.RetryAfter)
			}
			apiError(w, f.Status, fmt.Sprintf("injected fault %d", f.Status))
			return
		}
	}
	if origin == "storage" || origin == "canary" {
		s.serveZip(w, r)
		return
	}
	if path == "/oauth2/token" {
		s.oauthToken(w, r)
		return
	}
	if !isAPI {
		apiError(w, http.StatusNotFound, "not found")
		return
	}
	if persona == "" {
		apiError(w, http.StatusUnauthorized, "Unauthorized")
		return
	}
	if path == "/api/v1/token/inspect" && r.Method == http.MethodGet {
		w.Header().Set("Content-Type", "application/json")
		w.Write(s.personas[persona])
		return
	}
	rest, ok := strings.CutPrefix(path, "/api/v1/projects/")
	if !ok {
		apiError(w, http.StatusNotFound, "not found")
		return
	}
	project, sub, _ := strings.Cut(rest, "/")
	s.project(w, r, project, "/"+sub, persona)
}

// project serves /api/v1/projects/{project}{sub}.
func (s *Server) project(w http.ResponseWriter, r *http.Request, project, sub, persona string) {
	post := r.Method == http.MethodPost
	switch {
	case sub == "/functions/list" && post:
		s.listFunctions(w, r, s.ProjectFunctions(project))
	case sub == "/functions" && r.Method == http.MethodGet:
		s.listFunctions(w, r, s.ProjectFunctions(project))
	case sub == "/functions/byids" && post:
		var body struct {
			Items []struct {
				ID         int64  `json:"id"`
				ExternalID string `json:"externalId"`
			} `json:"items"`
			IgnoreUnknownIDs bool `json:"ignoreUnknownIds"`
		}
		if !readJSON(w, r, &body) {
			return
		}
		items := []json.RawMessage{}
		for _, it := range body.Items {
			f := s.byID[it.ID]
			if f == nil && it.ExternalID != "" {
				for _, g := range s.ProjectFunctions(project) {
					if g.Dir == it.ExternalID {
						f = g
					}
				}
			}
			if f == nil {
				if body.IgnoreUnknownIDs {
					continue
				}
				apiError(w, http.StatusBadRequest, fmt.Sprintf("function not found: %d", it.ID))
				return
			}
			items = append(items, f.Object)
		}
		writeJSON(w, http.StatusOK, map[string]any{"items": items})
	case sub == "/sessions" && post:
		if !hasAction(s.personas[persona], "sessionsAcl", "CREATE") {
			apiError(w, http.StatusForbidden, "Resource not found. This may also be due to insufficient access rights.")
			return
		}
		nonce := randomHex(16)
		s.mu.Lock()
		s.nonces[nonce] = persona
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"items": []any{map[string]any{"id": 123, "type": "TOKEN_EXCHANGE", "status": "READY", "nonce": nonce}}})
	case sub == "/files/byids" && post:
		var body struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		if !readJSON(w, r, &body) {
			return
		}
		items := []any{}
		for _, it := range body.Items {
			if f := s.byFile[it.ID]; f != nil {
				items = append(items, map[string]any{"id": f.FileID, "externalId": f.Dir, "name": f.Dir + ".zip", "mimeType": "application/zip", "uploaded": true})
			}
		}
		writeJSON(w, http.StatusOK, map[string]any{"items": items})
	case sub == "/files/downloadlink" && post:
		s.downloadLink(w, r)
	case strings.HasPrefix(sub, "/functions/"):
		idStr, action, _ := strings.Cut(strings.TrimPrefix(sub, "/functions/"), "/")
		id, err := strconv.ParseInt(idStr, 10, 64)
		f := s.byID[id]
		if err != nil || f == nil {
			apiError(w, http.StatusNotFound, "function not found")
			return
		}
		switch {
		case action == "" && r.Method == http.MethodGet:
			w.Header().Set("Content-Type", "application/json")
			w.Write(f.Object)
		case action == "call" && post:
			s.call(w, r, f, persona)
		case strings.HasPrefix(action, "calls/") && r.Method == http.MethodGet:
			s.callStatus(w, f, strings.TrimPrefix(action, "calls/"))
		default:
			apiError(w, http.StatusNotFound, "not found")
		}
	default:
		apiError(w, http.StatusNotFound, "not found")
	}
}

// listFunctions pages the functions: limit from the request (or query),
// capped by Options.PageSize; the cursor is the index of the next item.
func (s *Server) listFunctions(w http.ResponseWriter, r *http.Request, functions []*Function) {
	var body struct {
		Limit  int    `json:"limit"`
		Cursor string `json:"cursor"`
	}
	if r.Method == http.MethodPost {
		if !readJSON(w, r, &body) {
			return
		}
	} else {
		body.Limit, _ = strconv.Atoi(r.URL.Query().Get("limit"))
		body.Cursor = r.URL.Query().Get("cursor")
	}
	limit := body.Limit
	if limit <= 0 {
		limit = 100
	}
	if s.opts.PageSize > 0 && limit > s.opts.PageSize {
		limit = s.opts.PageSize
	}
	start := 0
	if body.Cursor != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(body.Cursor, "c"))
		if err != nil || n < 0 || n > len(functions) || !strings.HasPrefix(body.Cursor, "c") {
			apiError(w, http.StatusBadRequest, "invalid cursor")
			return
		}
		start = n
	}
	end := min(start+limit, len(functions))
	items := make([]json.RawMessage, 0, end-start)
	for _, f := range functions[start:end] {
		items = append(items, f.Object)
	}
	ans := map[string]any{"items": items}
	if end < len(functions) {
		ans["nextCursor"] = "c" + strconv.Itoa(end)
	}
	writeJSON(w, http.StatusOK, ans)
}

func (s *Server) downloadLink(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if !readJSON(w, r, &body) {
		return
	}
	s.mu.Lock()
	dl := s.dl
	s.mu.Unlock()
	items := []any{}
	for _, it := range body.Items {
		f := s.byFile[it.ID]
		if f == nil {
			apiError(w, http.StatusBadRequest, fmt.Sprintf("file not found: %d", it.ID))
			return
		}
		forbidden := dl.ForbidAll
		for _, id := range dl.ForbiddenFiles {
			forbidden = forbidden || id == it.ID
		}
		if forbidden {
			apiError(w, http.StatusForbidden, "Resource not found. This may also be due to insufficient access rights.")
			return
		}
		base := s.storageBase(r.Host)
		if f.Storage == "canary" {
			base = "https://" + CanaryHost
			if _, port, err := net.SplitHostPort(r.Host); err == nil {
				base += ":" + port
			}
		}
		items = append(items, map[string]any{"id": f.FileID, "downloadUrl": base + "/zips/" + strconv.FormatInt(f.FileID, 10) + "?sig=" + sig(f.FileID)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// storageBase is the storage origin for a request that reached host: a
// separate listener for IP addresses and localhost, else storage.<host>.
func (s *Server) storageBase(host string) string {
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	if net.ParseIP(name) != nil || name == "localhost" {
		return "https://" + s.StorageAddr()
	}
	return "https://storage." + host
}

// serveZip is the storage host: GET /zips/{fileId}?sig=…
func (s *Server) serveZip(w *recorder, r *http.Request) {
	idStr, ok := strings.CutPrefix(r.URL.Path, "/zips/")
	id, err := strconv.ParseInt(idStr, 10, 64)
	f := s.byFile[id]
	if !ok || err != nil || f == nil || r.Method != http.MethodGet {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	if r.URL.Query().Get("sig") != sig(id) {
		http.Error(w, "signature does not match", http.StatusForbidden)
		return
	}
	s.mu.Lock()
	dl := s.dl
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/zip")
	if dl.OversizeBytes > 0 {
		// No Content-Length: the client must stop reading by itself.
		chunk := make([]byte, 32<<10)
		copy(chunk, "PK\x03\x04")
		for sent := int64(0); sent < dl.OversizeBytes; sent += int64(len(chunk)) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		return
	}
	if dl.SlowChunk > 0 {
		for off := 0; off < len(f.Zip); off += 1024 {
			if _, err := w.Write(f.Zip[off:min(off+1024, len(f.Zip))]); err != nil {
				return
			}
			w.Flush()
			select {
			case <-time.After(dl.SlowChunk):
			case <-r.Context().Done():
				return
			}
		}
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(f.Zip)))
	w.Write(f.Zip)
}

func (s *Server) call(w http.ResponseWriter, r *http.Request, f *Function, persona string) {
	var body struct {
		Data  json.RawMessage `json:"data"`
		Nonce string          `json:"nonce"`
	}
	if !readJSON(w, r, &body) {
		return
	}
	tok := s.personas[persona]
	if !hasAction(tok, "functionsAcl", "RUN") && !hasAction(tok, "functionsAcl", "WRITE") {
		apiError(w, http.StatusForbidden, "Resource not found. This may also be due to insufficient access rights.")
		return
	}
	s.mu.Lock()
	owner, ok := s.nonces[body.Nonce]
	if ok {
		delete(s.nonces, body.Nonce)
	}
	s.nextCall++
	callID := s.nextCall
	valid := body.Nonce != "" && ok && owner == persona
	if valid {
		s.calls[callID] = f.ID
	}
	s.mu.Unlock()
	if !valid {
		apiError(w, http.StatusBadRequest, "a valid session nonce is required (POST /sessions)")
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": callID, "functionId": f.ID, "status": "Running", "startTime": time.Now().UnixMilli()})
}

// callStatus answers GET /functions/{id}/calls/{callId}: every call made
// through POST …/call has completed.
func (s *Server) callStatus(w http.ResponseWriter, f *Function, callStr string) {
	callID, err := strconv.ParseInt(callStr, 10, 64)
	s.mu.Lock()
	fnID, ok := s.calls[callID]
	s.mu.Unlock()
	if err != nil || !ok || fnID != f.ID {
		apiError(w, http.StatusNotFound, "call not found")
		return
	}
	now := time.Now().UnixMilli()
	writeJSON(w, http.StatusOK, map[string]any{"id": callID, "functionId": f.ID, "status": "Completed", "startTime": now - 1200, "endTime": now})
}

// oauthToken is a client-credentials token endpoint.
func (s *Server) oauthToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"error": "invalid_request"})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "unsupported_grant_type"})
		return
	}
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok {
		id, secret = u, p
	}
	s.mu.Lock()
	c, ok := s.clients[id]
	s.mu.Unlock()
	if !ok || c[0] != secret {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "invalid_client"})
		return
	}
	tok := "cc-" + randomHex(20)
	s.AddToken(tok, c[1])
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 3600})
}

// control is the test API under /_fake/.
func (s *Server) control(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/_fake/requests" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]any{"items": s.Requests()})
	case r.URL.Path == "/_fake/faults" && r.Method == http.MethodPost:
		var f Fault
		if readJSON(w, r, &f) {
			s.AddFault(f)
			writeJSON(w, http.StatusOK, map[string]any{"ok": true})
		}
	case r.URL.Path == "/_fake/downloads" && r.Method == http.MethodPost:
		var d Downloads
		if readJSON(w, r, &d) {
			s.SetDownloads(d)
			writeJSON(w, http.StatusOK, map[string]any{"ok": true})
		}
	case r.URL.Path == "/_fake/tokens" && r.Method == http.MethodGet:
		items := []any{}
		for tok, p := range s.Tokens() {
			items = append(items, map[string]string{"token": tok, "persona": p})
		}
		writeJSON(w, http.StatusOK, map[string]any{"items": items})
	case r.URL.Path == "/_fake/reset" && r.Method == http.MethodPost:
		s.Reset()
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})
	default:
		apiError(w, http.StatusNotFound, "not found")
	}
}

// readJSON decodes a bounded request body; false (answered 400) when bad.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(data) > maxBody {
		apiError(w, http.StatusBadRequest, "request body unreadable or too large")
		return false
	}
	if len(data) == 0 {
		return true
	}
	if err := json.Unmarshal(data, v); err != nil {
		apiError(w, http.StatusBadRequest, "invalid JSON: "+err.Error())
		return false
	}
	return true
}

// hasAction reports whether a token-inspect response grants acl:action in
// any scope.
func hasAction(tokenJSON []byte, acl, action string) bool {
	var t struct {
		Capabilities []map[string]json.RawMessage `json:"capabilities"`
	}
	if json.Unmarshal(tokenJSON, &t) != nil {
		return false
	}
	for _, c := range t.Capabilities {
		raw, ok := c[acl]
		if !ok {
			continue
		}
		var a struct {
			Actions []string `json:"actions"`
		}
		json.Unmarshal(raw, &a)
		for _, x := range a.Actions {
			if strings.EqualFold(x, action) {
				return true
			}
		}
	}
	return false
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
