package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestParseBaseURL: the public address is an http(s) origin, nothing more; it is written
// without a trailing slash and in lower case so that links are built by appending a path.
func TestParseBaseURL(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"", "", ""},
		{"https://loyalty.example", "https://loyalty.example", ""},
		{"https://Loyalty.Example/", "https://loyalty.example", ""},
		{"HTTP://localhost:8080", "http://localhost:8080", ""},
		{"https://[2001:db8::1]:8443", "https://[2001:db8::1]:8443", ""},
		{"loyalty.example", "", "http:// or https://"},
		{"ftp://loyalty.example", "", "http:// or https://"},
		{"https://", "", "no host"},
		{"https://loyalty.example/app", "", "path"},
		{"https://loyalty.example/?x=1", "", "query"},
		{"https://loyalty.example/#top", "", "fragment"},
		{"https://user:pw@loyalty.example", "", "user"},
		{"https://loyalty.example:port", "", "invalid"},
	}
	for _, tt := range tests {
		got, err := ParseBaseURL(tt.in)
		if tt.err == "" {
			if err != nil || got != tt.want {
				t.Errorf("ParseBaseURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("ParseBaseURL(%q) = %q, %v; want an error about %q", tt.in, got, err, tt.err)
		}
	}
}

// hostLinks collects the links a visitor's Host header could reach: the result page's share
// link, a round's link on the dashboard, in the API (create and read) and in its QR code.
type hostLinks struct {
	share, mail, dashboard, apiCreate, apiRound string
	qr                                          []byte
}

func (e *env) linksWithHost(host string) hostLinks {
	e.t.Helper()
	t := e.t
	var out hostLinks
	withHost := func(method, path, body string, c *browser, header ...string) *response {
		req := e.request(method, path, strings.NewReader(body), header...)
		req.Host = host
		if c != nil {
			// The cookie jar picks cookies by req.Host: hand over the session's explicitly,
			// as a browser would that reached the server under that name.
			for _, ck := range c.http.Jar.Cookies(req.URL) {
				req.AddCookie(ck)
			}
			return c.do(req)
		}
		return e.do(req)
	}
	res := withHost("POST", "/test", uniform(2, 4).form().Encode(), nil, "Content-Type", "application/x-www-form-urlencoded")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /test = %d", res.StatusCode)
	}
	page := withHost("GET", res.Redirect, "", nil)
	out.share = doc(t, page.Body).Find(`[data-testid="share-link"]`).AttrOr("value", "")
	out.mail = doc(t, page.Body).Find(`[data-testid="mail-link"]`).AttrOr("href", "")

	w := e.world("Acme " + host)
	ann := e.login("ann@alpha.example")
	tok := e.token("ann@alpha.example")
	auth := []string{"Authorization", "Bearer " + tok, "Content-Type", "application/json"}
	var created, read struct {
		JoinURL string `json:"join_url"`
		ID      int64  `json:"id"`
	}
	res = withHost("POST", fmt.Sprintf("/api/v1/clients/%d/rounds", w.client.ID), `{"title":"Q","lang":"en"}`, nil, auth...)
	if err := json.Unmarshal(res.Body, &created); err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("create round = %d %s", res.StatusCode, res.Body)
	}
	out.apiCreate = created.JoinURL
	res = withHost("GET", fmt.Sprintf("/api/v1/rounds/%d", created.ID), "", nil, auth...)
	if err := json.Unmarshal(res.Body, &read); err != nil {
		t.Fatalf("read round = %d %s", res.StatusCode, res.Body)
	}
	out.apiRound = read.JoinURL
	dash := withHost("GET", fmt.Sprintf("/w/rounds/%d", created.ID), "", ann)
	out.dashboard = strings.TrimSpace(doc(t, dash.Body).Find(`[data-testid="join-url"]`).Text())
	out.qr = withHost("GET", fmt.Sprintf("/w/rounds/%d/qr.svg", created.ID), "", ann).Body
	return out
}

// TestBaseURLNotHost: `curl -H 'Host: evil.example' …/r/TOKEN` used to put
// http://evil.example/r/TOKEN in the share link, and a round's join_url and QR code carried
// any Host too. With a base URL, every absolute link and QR code is built on it whatever the
// request's Host says.
func TestBaseURLNotHost(t *testing.T) {
	e := newWSEnv(t, withBaseURL("https://loyalty.example"))
	got := e.linksWithHost("evil.example")
	if !strings.HasPrefix(got.share, "https://loyalty.example/r/") {
		t.Errorf("share link = %q, want it on https://loyalty.example", got.share)
	}
	// "Email it to myself" carries the same link, escaped for a mailto: body.
	if !strings.Contains(got.mail, url.QueryEscape(got.share)) || strings.Contains(got.mail, "evil") {
		t.Errorf("mail link = %q, want the share link %q in its body", got.mail, got.share)
	}
	want := "https://loyalty.example/j/"
	for name, link := range map[string]string{"dashboard": got.dashboard, "API create": got.apiCreate, "API read": got.apiRound} {
		if !strings.HasPrefix(link, want) || strings.Contains(link, "evil") {
			t.Errorf("%s join link = %q, want it on %s", name, link, want)
		}
	}
	wantQR, err := qrSVG(got.dashboard)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.qr) != string(wantQR) {
		t.Errorf("QR code does not encode the dashboard's link %q", got.dashboard)
	}
	if strings.Contains(e.logs.String(), "base URL") {
		t.Errorf("a warning about the base URL was logged although one is set:\n%s", e.logs)
	}
}

// TestNoBaseURL: without a base URL the share link is relative (the page turns it into an
// absolute one in the browser, from the address the browser itself used), so a forged Host
// changes nothing on a result page, cached or not. The QR code and the API's join_url need an
// absolute link and take the request's Host; the server says so in a warning at start-up,
// and the documentation tells operators to set -base-url.
func TestNoBaseURL(t *testing.T) {
	e := newWSEnv(t)
	if !strings.Contains(e.logs.String(), "no base URL") {
		t.Errorf("no start-up warning about the missing base URL; logs:\n%s", e.logs)
	}
	got := e.linksWithHost("evil.example")
	if !strings.HasPrefix(got.share, "/r/") {
		t.Errorf("share link = %q, want a relative /r/… link", got.share)
	}
	if want := "http://evil.example/j/"; !strings.HasPrefix(got.apiCreate, want) || !strings.HasPrefix(got.dashboard, want) {
		t.Errorf("join links = %q, %q; want them on the request's host %s", got.apiCreate, got.dashboard, want)
	}
}
