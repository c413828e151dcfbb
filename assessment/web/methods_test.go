package web

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/loyalty-cx/loyalty/static"
)

// TestHead checks that every kind of GET route answers HEAD (RFC 9110 §9.3.2) with the
// status and headers of its GET and no body: pages, the probes, static files and the API.
func TestHead(t *testing.T) {
	a := newEnv(t)
	token := a.submitAPI(map[string]any{"answers": uniform(2, 4).answers()})
	paths := []string{"/", "/healthz", "/readyz", "/benchmark", "/privacy", "/login", "/r/" + token, "/r/" + token + "/delete",
		static.Path("css/app.css"), "/api/v1/benchmark", "/api/v1/assessments/" + token, "/nothing-here", "/api/v1/nothing"}
	for _, path := range paths {
		h := []string{"Accept-Encoding", "identity"}
		if path == "/api/v1/nothing" {
			h = append(h, uncheckedRequest, "an unknown path on purpose")
		}
		get := a.get(path, h...)
		head := a.do(a.request(http.MethodHead, path, nil, h...))
		if head.StatusCode != get.StatusCode || head.StatusCode == http.StatusMethodNotAllowed {
			t.Errorf("HEAD %s = %d, want %d like GET", path, head.StatusCode, get.StatusCode)
		}
		if len(head.Body) != 0 {
			t.Errorf("HEAD %s sent a body of %d bytes, want none", path, len(head.Body))
		}
		for _, h := range []string{"Content-Type", "Cache-Control", "ETag", "Vary", "Content-Security-Policy", "X-Content-Type-Options"} {
			if g, hd := get.Header.Values(h), head.Header.Values(h); strings.Join(g, ", ") != strings.Join(hd, ", ") {
				t.Errorf("HEAD %s %s = %q, want %q like GET", path, h, hd, g)
			}
		}
	}
}

// TestMethodNotAllowed checks that a known path asked with a method it does not take answers
// 405 with Allow (RFC 9110 §15.5.6), in the API as a problem and on pages as a page, where an
// unknown path answers 404.
func TestMethodNotAllowed(t *testing.T) {
	a := newEnv(t)
	tests := []struct {
		method, path, allow string
	}{
		{http.MethodDelete, "/api/v1/benchmark", "OPTIONS, GET, HEAD"},
		{http.MethodPut, "/api/v1/assessments/AAAAAAAAAAAAAAAAAAAAAA", "OPTIONS, DELETE, GET, HEAD"},
		{http.MethodGet, "/api/v1/clients/1/rounds", "OPTIONS, POST"},
		{http.MethodPost, "/benchmark", "OPTIONS, GET, HEAD"},
		{http.MethodPost, "/healthz", "OPTIONS, GET, HEAD"},
		{http.MethodDelete, "/w/clients", "OPTIONS, GET, HEAD, POST"},
		{http.MethodPut, "/test", "OPTIONS, GET, HEAD, POST"},
	}
	for _, tt := range tests {
		res := a.do(a.request(tt.method, tt.path, nil, uncheckedRequest, "a method the path does not take, on purpose"))
		if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != tt.allow {
			t.Errorf("%s %s = %d, Allow %q; want 405, %q", tt.method, tt.path, res.StatusCode, res.Header.Get("Allow"), tt.allow)
		}
		if strings.HasPrefix(tt.path, "/api/") {
			if p := problemOf(t, res); p.Code != "method_not_allowed" {
				t.Errorf("%s %s code = %q, want method_not_allowed", tt.method, tt.path, p.Code)
			}
		} else if !strings.Contains(res.Text, "This address does not accept that kind of request.") {
			t.Errorf("%s %s page does not say the method is refused: %.300s", tt.method, tt.path, res.Text)
		}
	}
	for _, path := range []string{"/api/v1/nothing", "/w/nothing", "/nothing"} {
		if res := a.do(a.request(http.MethodPut, path, nil, uncheckedRequest, "an unknown path on purpose")); res.StatusCode != http.StatusNotFound {
			t.Errorf("PUT %s = %d, want 404", path, res.StatusCode)
		}
	}
}

// TestAPINoStoreOnEveryStatus checks that no API response may be stored by a cache, whatever
// refused it: a cross-origin 403, a 404, a 405, a 413 and a 422 as much as a 200 or a 201.
func TestAPINoStoreOnEveryStatus(t *testing.T) {
	a := newEnv(t)
	valid := mustJSON(t, map[string]any{"answers": uniform(2, 4).answers()})
	tests := []struct {
		name   string
		req    *http.Request
		status int
	}{
		{"created", a.request(http.MethodPost, "/api/v1/assessments", bytes.NewReader(valid), "Content-Type", "application/json"), http.StatusCreated},
		{"read", a.request(http.MethodGet, "/api/v1/benchmark", nil), http.StatusOK},
		{"cross-origin", a.request(http.MethodPost, "/api/v1/assessments", bytes.NewReader(valid), "Content-Type", "application/json", "Sec-Fetch-Site", "cross-site"), http.StatusForbidden},
		{"too large", a.request(http.MethodPost, "/api/v1/assessments", bytes.NewReader(make([]byte, MaxBodyBytes+1)), "Content-Type", "application/json", uncheckedRequest, "a body too large on purpose"), http.StatusRequestEntityTooLarge},
		{"invalid", a.request(http.MethodPost, "/api/v1/assessments", strings.NewReader(`{"answers":[]}`), "Content-Type", "application/json", uncheckedRequest, "no answers on purpose"), http.StatusUnprocessableEntity},
		{"no such path", a.request(http.MethodGet, "/api/v1/nothing", nil, uncheckedRequest, "an unknown path on purpose"), http.StatusNotFound},
		{"wrong method", a.request(http.MethodPut, "/api/v1/benchmark", nil, uncheckedRequest, "a method the path does not take, on purpose"), http.StatusMethodNotAllowed},
		{"no token", a.request(http.MethodGet, "/api/v1/clients", nil, uncheckedRequest, "no token on purpose"), http.StatusUnauthorized},
	}
	for _, tt := range tests {
		res := a.do(tt.req)
		if res.StatusCode != tt.status || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %s %s = %d, Cache-Control %q; want %d, no-store", tt.name, tt.req.Method, tt.req.URL.Path, res.StatusCode, res.Header.Get("Cache-Control"), tt.status)
		}
		if res.StatusCode >= 400 {
			problemOf(t, res)
		}
	}
}

// TestStaticNotVaried checks that a static file, the same in every language, does not vary by
// cookie or language (which would split shared caches), while pages do.
func TestStaticNotVaried(t *testing.T) {
	a := newEnv(t)
	for _, tt := range []struct {
		path   string
		varies bool
	}{
		{static.Path("css/app.css"), false},
		{static.Path("js/app.js"), false},
		{"/", true},
	} {
		res := a.get(tt.path)
		vary := strings.Join(res.Header.Values("Vary"), ", ")
		if got := strings.Contains(vary, "Cookie") || strings.Contains(vary, "Accept-Language"); got != tt.varies {
			t.Errorf("GET %s Vary = %q; varies by language = %v, want %v", tt.path, vary, got, tt.varies)
		}
		if strings.Count(vary, "Accept-Language") > 1 {
			t.Errorf("GET %s Vary = %q names Accept-Language twice", tt.path, vary)
		}
	}
}

// TestHeadWorkspace checks HEAD behind the session middleware: a signed-in member's page
// answers like its GET, and an anonymous HEAD is sent to sign in like an anonymous GET.
func TestHeadWorkspace(t *testing.T) {
	e := newWSEnv(t)
	ann := e.login("ann@alpha.example")
	for _, path := range []string{"/w", "/w/clients", "/w/members", "/w/tokens", "/w/portfolio"} {
		get := ann.get(path)
		head := ann.do(e.request(http.MethodHead, path, nil))
		if head.StatusCode != http.StatusOK || get.StatusCode != http.StatusOK || len(head.Body) != 0 ||
			head.Header.Get("Content-Type") != get.Header.Get("Content-Type") {
			t.Errorf("HEAD %s = %d (%d bytes, %q), want 200 with no body like GET's %d %q", path, head.StatusCode, len(head.Body),
				head.Header.Get("Content-Type"), get.StatusCode, get.Header.Get("Content-Type"))
		}
		anon := e.do(e.request(http.MethodHead, path, nil))
		if anonGet := e.get(path); anon.StatusCode != anonGet.StatusCode || anon.Header.Get("Location") != anonGet.Header.Get("Location") {
			t.Errorf("anonymous HEAD %s = %d %q, want %d %q like GET", path, anon.StatusCode, anon.Header.Get("Location"), anonGet.StatusCode, anonGet.Header.Get("Location"))
		}
	}
}
