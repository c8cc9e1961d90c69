package cdfapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// Function is a function object as CDF returns it: the fields the audit
// uses, and the object's raw JSON (handed to the engine as function.json).
type Function struct {
	ID         int64
	ExternalID string
	Name       string
	Owner      string
	Status     string
	FileID     int64
	Raw        json.RawMessage
}

// UnmarshalJSON keeps the raw object beside the decoded fields.
func (f *Function) UnmarshalJSON(b []byte) error {
	var v struct {
		ID         int64  `json:"id"`
		ExternalID string `json:"externalId"`
		Name       string `json:"name"`
		Owner      string `json:"owner"`
		Status     string `json:"status"`
		FileID     int64  `json:"fileId"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = Function{ID: v.ID, ExternalID: v.ExternalID, Name: v.Name, Owner: v.Owner, Status: v.Status, FileID: v.FileID,
		Raw: append(json.RawMessage(nil), b...)}
	return nil
}

// File is a file's metadata (files/byids).
type File struct {
	ID         int64  `json:"id"`
	ExternalID string `json:"externalId,omitempty"`
	Name       string `json:"name"`
	MimeType   string `json:"mimeType,omitempty"`
	DataSetID  int64  `json:"dataSetId,omitempty"`
	Uploaded   bool   `json:"uploaded"`
}

type itemsPage[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"nextCursor"`
}

type idRef struct {
	ID int64 `json:"id"`
}

// ListFunctions returns every function of the project: POST /functions/list,
// following nextCursor when the API returns one.
func (c *Client) ListFunctions(ctx context.Context) ([]Function, error) {
	limit := c.PageSize
	if limit <= 0 {
		limit = DefaultPageSize
	}
	var all []Function
	seen := map[string]bool{}
	cursor := ""
	for page := 0; page < maxPages; page++ {
		body := map[string]any{"limit": limit}
		if cursor != "" {
			body["cursor"] = cursor
		}
		var p itemsPage[Function]
		if err := c.apiCall(ctx, "list functions", http.MethodPost, c.projectURL("/functions/list"), body, &p); err != nil {
			return nil, err
		}
		all = append(all, p.Items...)
		if p.NextCursor == "" {
			return all, nil
		}
		if seen[p.NextCursor] {
			return nil, fmt.Errorf("list functions: the API repeated a cursor (page %d)", page+2)
		}
		seen[p.NextCursor] = true
		cursor = p.NextCursor
	}
	return nil, fmt.Errorf("list functions: more than %d pages", maxPages)
}

// ListFunctionsGET returns the functions from GET /functions (following
// nextCursor when present).
func (c *Client) ListFunctionsGET(ctx context.Context) ([]Function, error) {
	var all []Function
	seen := map[string]bool{}
	cursor := ""
	for page := 0; page < maxPages; page++ {
		u := c.projectURL("/functions")
		if cursor != "" {
			u += "?cursor=" + url.QueryEscape(cursor)
		}
		var p itemsPage[Function]
		if err := c.apiCall(ctx, "list functions", http.MethodGet, u, nil, &p); err != nil {
			return nil, err
		}
		all = append(all, p.Items...)
		if p.NextCursor == "" || seen[p.NextCursor] {
			return all, nil
		}
		seen[p.NextCursor] = true
		cursor = p.NextCursor
	}
	return nil, fmt.Errorf("list functions: more than %d pages", maxPages)
}

// GetFunction returns one function (GET /functions/{id}).
func (c *Client) GetFunction(ctx context.Context, id int64) (Function, error) {
	var f Function
	err := c.apiCall(ctx, fmt.Sprintf("get function %d", id), http.MethodGet, c.projectURL("/functions/"+strconv.FormatInt(id, 10)), nil, &f)
	return f, err
}

// FunctionsByIDs returns the functions with these ids (POST /functions/byids,
// in chunks of 10 as the SDK does).
func (c *Client) FunctionsByIDs(ctx context.Context, ids ...int64) ([]Function, error) {
	var out []Function
	for start := 0; start < len(ids); start += 10 {
		end := min(start+10, len(ids))
		items := make([]idRef, 0, end-start)
		for _, id := range ids[start:end] {
			items = append(items, idRef{id})
		}
		var p itemsPage[Function]
		body := map[string]any{"items": items, "ignoreUnknownIds": false}
		if err := c.apiCall(ctx, "functions by id", http.MethodPost, c.projectURL("/functions/byids"), body, &p); err != nil {
			return nil, err
		}
		out = append(out, p.Items...)
	}
	return out, nil
}

// FilesByIDs returns files' metadata (POST /files/byids).
func (c *Client) FilesByIDs(ctx context.Context, ids ...int64) ([]File, error) {
	items := make([]idRef, 0, len(ids))
	for _, id := range ids {
		items = append(items, idRef{id})
	}
	var p itemsPage[File]
	body := map[string]any{"items": items, "ignoreUnknownIds": true}
	if err := c.apiCall(ctx, "files by id", http.MethodPost, c.projectURL("/files/byids"), body, &p); err != nil {
		return nil, err
	}
	return p.Items, nil
}

// DownloadLink returns the pre-signed download URL of a file
// (POST /files/downloadlink).
func (c *Client) DownloadLink(ctx context.Context, fileID int64) (string, error) {
	call := fmt.Sprintf("download link of file %d", fileID)
	var p struct {
		Items []struct {
			ID          int64  `json:"id"`
			DownloadURL string `json:"downloadUrl"`
		} `json:"items"`
	}
	body := map[string]any{"items": []idRef{{fileID}}}
	if err := c.apiCall(ctx, call, http.MethodPost, c.projectURL("/files/downloadlink"), body, &p); err != nil {
		return "", err
	}
	for _, it := range p.Items {
		if it.DownloadURL != "" {
			u, err := url.Parse(it.DownloadURL)
			if err != nil || u.Scheme != "https" || u.Host == "" {
				return "", fmt.Errorf("%s: the download URL is not an https URL", call)
			}
			return it.DownloadURL, nil
		}
	}
	return "", fmt.Errorf("%s: the answer holds no download URL", call)
}

// Download fetches a pre-signed URL with a plain GET — no Authorization
// header: the storage host is not CDF — reading at most maxBytes.
func (c *Client) Download(ctx context.Context, rawURL string, maxBytes int64) ([]byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("download: not an https URL")
	}
	if maxBytes <= 0 {
		maxBytes = 50 << 20
	}
	call := "download " + safeURL(u)
	data, err := c.do(ctx, call, func() (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "*/*")
		return req, nil
	}, maxBytes)
	if err != nil {
		return nil, err
	}
	return data, nil
}

// TokenInspect returns the raw GET /api/v1/token/inspect answer.
func (c *Client) TokenInspect(ctx context.Context) ([]byte, error) {
	var raw json.RawMessage
	if err := c.apiCall(ctx, "token inspect", http.MethodGet, c.BaseURL+"/api/v1/token/inspect", nil, &raw); err != nil {
		return nil, err
	}
	return raw, nil
}
