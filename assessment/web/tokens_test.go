package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestWSAPITokens: API tokens could be neither listed nor revoked nor expire. A member now
// lists their own tokens at /w/tokens (name, created, last used, expires), makes one with a
// name and a lifetime and sees its secret once, and revokes one after a confirmation; a
// revoked token answers 401 at once, an expired one 401 from its expiry, and another member's
// token id is 404 on every way in.
func TestWSAPITokens(t *testing.T) {
	e := newWSEnv(t)
	ann := e.login("ann@alpha.example")

	page := ann.get("/w/tokens")
	d := doc(t, page.Body)
	if page.StatusCode != http.StatusOK || d.Find(`[data-testid="tokens-none"]`).Length() != 1 {
		t.Fatalf("GET /w/tokens = %d, want 200 with no tokens", page.StatusCode)
	}
	if nav := d.Find(`[data-testid="nav-tokens"]`); nav.AttrOr("href", "") != "/w/tokens" || !nav.HasClass("is-current") {
		t.Error("the workspace navigation has no current API tokens link")
	}

	// Problems re-show the form with 422 and a message beside each field.
	res := ann.postCSRF("/w/tokens", url.Values{"name": {" "}, "expires": {"7"}})
	d = doc(t, res.Body)
	if res.StatusCode != http.StatusUnprocessableEntity ||
		squash(d.Find(`#f-token-name-error`).Text()) != "Give the token a name." ||
		!strings.Contains(d.Find(".field-error").Last().Text(), "Choose one of the options.") {
		t.Errorf("invalid token form = %d; want 422 with both messages\n%s", res.StatusCode, squash(d.Find("form").Text()))
	}

	// Made at 2 March 09:00, for 90 days: expires 31 May (29 days of March, 30 of April, 31).
	res = ann.postCSRF("/w/tokens", url.Values{"name": {"CRM export"}, "expires": {"90"}})
	d = doc(t, res.Body)
	secret := d.Find(`[data-testid="new-token"]`).AttrOr("value", "")
	if res.StatusCode != http.StatusOK || len(secret) < 40 || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("create token = %d, secret %q, Cache-Control %q; want 200, the secret, no-store", res.StatusCode, secret, res.Header.Get("Cache-Control"))
	}
	if got := strings.Join(texts(d.Find(`[data-testid="tokens"] tbody tr`).Find("th, td")), " | "); got != "CRM export | 2 March 2026 | Never | 31 May 2026 | Revoke" {
		t.Errorf("token row = %q", got)
	}
	var id int64
	fmt.Sscan(d.Find(`[data-testid="tokens"] tbody tr`).AttrOr("data-token", ""), &id)

	// The secret is shown once: the list afterwards does not have it.
	if again := ann.get("/w/tokens"); strings.Contains(again.Text, secret) {
		t.Error("the token's secret is shown again")
	}

	// A use is recorded, to the minute: at 09:05 the list says it was used today.
	e.advance(5 * time.Minute)
	api := e.browser()
	if res := api.api("GET", "/api/v1/clients", secret, ""); res.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/clients with the new token = %d", res.StatusCode)
	}
	if got := squash(doc(t, ann.get("/w/tokens").Body).Find(`[data-token] td`).Eq(1).Text()); got != "2 March 2026" {
		t.Errorf("last used = %q, want 2 March 2026", got)
	}

	// Another member, of the same workspace or another, cannot see or revoke it: 404.
	carl, bob := e.login("carl@alpha.example"), e.login("bob@beta.example")
	for _, c := range []*browser{carl, bob} {
		if res := c.get(fmt.Sprintf("/w/tokens/%d/revoke", id)); res.StatusCode != http.StatusNotFound {
			t.Errorf("another member GET revoke = %d, want 404", res.StatusCode)
		}
		if res := c.postCSRF(fmt.Sprintf("/w/tokens/%d/revoke", id), nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("another member POST revoke = %d, want 404", res.StatusCode)
		}
		if n := doc(t, c.get("/w/tokens").Body).Find(`[data-token]`).Length(); n != 0 {
			t.Error("another member's list shows Ann's token")
		}
	}
	carlToken := e.token("carl@alpha.example")
	if res := api.api("DELETE", fmt.Sprintf("/api/v1/tokens/%d", id), carlToken, ""); res.StatusCode != http.StatusNotFound {
		t.Errorf("DELETE another member's token through the API = %d, want 404", res.StatusCode)
	}
	if res := ann.get("/w/tokens/abc/revoke"); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET revoke of a malformed id = %d, want 404", res.StatusCode)
	}
	if res := e.browser().get(fmt.Sprintf("/w/tokens/%d/revoke", id)); res.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous GET revoke = %d, want 303 to sign in", res.StatusCode)
	}
	if res := api.api("GET", "/api/v1/clients", secret, ""); res.StatusCode != http.StatusOK {
		t.Fatal("the token stopped working after refused revocations")
	}

	// Ann revokes it after the confirmation page; it is refused at once.
	conf := ann.get(fmt.Sprintf("/w/tokens/%d/revoke", id))
	if conf.StatusCode != http.StatusOK || !strings.Contains(conf.Text, "Revoke the token “CRM export”?") {
		t.Errorf("confirmation page = %d", conf.StatusCode)
	}
	if res := ann.post(fmt.Sprintf("/w/tokens/%d/revoke", id), nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("revoke without the CSRF token = %d, want 403", res.StatusCode)
	}
	res = ann.postCSRF(fmt.Sprintf("/w/tokens/%d/revoke", id), nil)
	if res.StatusCode != http.StatusSeeOther || res.Redirect != "/w/tokens?done=revoked" {
		t.Fatalf("revoke = %d %q", res.StatusCode, res.Redirect)
	}
	if res := api.api("GET", "/api/v1/clients", secret, ""); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the revoked token = %d, want 401", res.StatusCode)
	}
	if d := doc(t, ann.get("/w/tokens?done=revoked").Body); d.Find(`[data-token]`).Length() != 0 ||
		squash(d.Find(`[data-testid="tokens-notice"]`).Text()) != "The token was revoked. It no longer works." {
		t.Error("the list after revoking still shows the token or lacks the notice")
	}

	// Expiry: a 30-day token made now (09:05) works until 1 April 09:05, then 401.
	res = ann.postCSRF("/w/tokens", url.Values{"name": {"Laptop"}, "expires": {"30"}})
	month := doc(t, res.Body).Find(`[data-testid="new-token"]`).AttrOr("value", "")
	e.advance(30*24*time.Hour - time.Second)
	if res := api.api("GET", "/api/v1/clients", month, ""); res.StatusCode != http.StatusOK {
		t.Errorf("the 30-day token a second before expiry = %d, want 200", res.StatusCode)
	}
	e.advance(time.Second)
	if res := api.api("GET", "/api/v1/clients", month, ""); res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Text, "expired") {
		t.Errorf("the 30-day token at expiry = %d %s, want 401 saying it expired", res.StatusCode, res.Text)
	}
	// Last used a second before its expiry; the session of a month ago has ended.
	ann = e.login("ann@alpha.example")
	if got := strings.Join(texts(doc(t, ann.get("/w/tokens").Body).Find(`[data-token] td`)), " | "); got != "2 March 2026 | 1 April 2026 | Expired 1 April 2026 | Revoke" {
		t.Errorf("the expired token's row = %q, want it marked expired", got)
	}

	// DELETE /api/v1/tokens/{id}: a token can revoke itself; 204, then 401.
	self := e.token("ann@alpha.example")
	var selfID int64
	fmt.Sscan(doc(t, ann.get("/w/tokens").Body).Find(`[data-token]`).First().AttrOr("data-token", ""), &selfID)
	if res := api.api("DELETE", fmt.Sprintf("/api/v1/tokens/%d", selfID), self, ""); res.StatusCode != http.StatusNoContent {
		t.Errorf("DELETE own token = %d %s, want 204", res.StatusCode, res.Text)
	}
	if res := api.api("GET", "/api/v1/clients", self, ""); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the token after DELETE = %d, want 401", res.StatusCode)
	}
}
