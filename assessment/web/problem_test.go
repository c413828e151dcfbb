package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
)

// problemBody is an RFC 9457 problem as the API sends it, with its extension members.
type problemBody struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Code   string `json:"code"`
	Error  string `json:"error"`
	Errors []struct {
		Competency int    `json:"competency"`
		Field      string `json:"field"`
		Message    string `json:"message"`
	} `json:"errors"`
}

// problemOf checks that res is an RFC 9457 problem of its own status, as every API error must
// be (application/problem+json; type, title, status and detail; the message again as "error";
// never stored by a cache), and returns it. It knows every member, so a new one fails here.
func problemOf(t testing.TB, res *response) problemBody {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("%s %s: Content-Type = %q, want application/problem+json", res.Request.Method, res.Request.URL.Path, ct)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("%s %s: Cache-Control = %q, want no-store", res.Request.Method, res.Request.URL.Path, cc)
	}
	var p problemBody
	dec := json.NewDecoder(bytes.NewReader(res.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("%s %s: problem body %s: %v", res.Request.Method, res.Request.URL.Path, res.Body, err)
	}
	if p.Type != "about:blank" || p.Status != res.StatusCode || p.Title != http.StatusText(res.StatusCode) ||
		p.Detail == "" || p.Error != p.Detail || p.Code == "" {
		t.Errorf("%s %s = %d, problem %+v; want type about:blank, status %d, title %q, a detail repeated as error, a code",
			res.Request.Method, res.Request.URL.Path, res.StatusCode, p, res.StatusCode, http.StatusText(res.StatusCode))
	}
	return p
}
