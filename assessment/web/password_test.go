package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment"
)

var resetLinkRe = regexp.MustCompile(`https://loyalty\.example/password/reset/([A-Za-z0-9_-]+)`)

// TestForgottenPassword replays the flow through HTTP and a real SMTP server: the page
// answers alike for an address with and without an account (only the known one gets mail);
// the link sets a password once, ends every session of the account and signs in; a short
// password, a malformed address, a used or expired link are refused with the reason and
// change nothing; requests are limited per email, account or not.
func TestForgottenPassword(t *testing.T) {
	e := newWSEnv(t, withBaseURL("https://loyalty.example"))
	box := e.mailbox()
	if !strings.Contains(e.browser().get("/login").Text, `href="/password/forgot"`) {
		t.Error("the sign-in page does not link to the forgotten password")
	}
	old1, old2 := e.login("ann@alpha.example"), e.login("ann@alpha.example")
	bob := e.login("bob@beta.example")

	anon := e.browser()
	known := anon.post("/password/forgot", url.Values{"email": {"Ann@Alpha.example"}})
	unknown := anon.post("/password/forgot", url.Values{"email": {"nobody@alpha.example"}})
	if known.StatusCode != http.StatusOK || unknown.StatusCode != http.StatusOK {
		t.Fatalf("POST /password/forgot = %d and %d, want 200 both", known.StatusCode, unknown.StatusCode)
	}
	if a, b := strings.ReplaceAll(known.Text, "ann@alpha.example", "X"), strings.ReplaceAll(unknown.Text, "nobody@alpha.example", "X"); a != b {
		t.Error("the page differs between an address with an account and one without")
	}
	msgs := box.deliver()
	if len(msgs) != 1 || msgs[0].To[0] != "ann@alpha.example" {
		t.Fatalf("delivered %+v, want one message, to ann", msgs)
	}
	tok := linkIn(t, msgs[0], resetLinkRe)

	if res := anon.post("/password/forgot", url.Values{"email": {"not-an-address"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		doc(t, res.Body).Find(`[data-testid="forgot-error"]`).Length() != 1 {
		t.Errorf("a malformed address = %d, want 422 with the reason", res.StatusCode)
	}

	if res := anon.get("/password/reset/" + tok); res.StatusCode != http.StatusOK {
		t.Fatalf("GET the link = %d", res.StatusCode)
	}
	if res := anon.post("/password/reset/"+tok, url.Values{"password": {"short"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a short password = %d, want 422", res.StatusCode)
	}
	const newPassword = "a brand new passphrase"
	if res := anon.post("/password/reset/"+tok, url.Values{"password": {newPassword}}); res.StatusCode != http.StatusSeeOther || res.Redirect != "/w" {
		t.Fatalf("setting the password = %d %q, want 303 to /w", res.StatusCode, res.Redirect)
	}
	if res := anon.get("/w/clients"); res.StatusCode != http.StatusOK {
		t.Errorf("the browser that reset = %d, want signed in", res.StatusCode)
	}
	for i, b := range []*browser{old1, old2} {
		if res := b.get("/w/clients"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("ann's old session %d = %d, want 303 to sign in (ended)", i+1, res.StatusCode)
		}
	}
	if res := bob.get("/w/clients"); res.StatusCode != http.StatusOK {
		t.Errorf("bob's session = %d, want untouched", res.StatusCode)
	}
	if res := e.browser().signIn(url.Values{"email": {"ann@alpha.example"}, "password": {newPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signing in with the new password = %d, want 303", res.StatusCode)
	}
	if res := e.browser().signIn(url.Values{"email": {"ann@alpha.example"}, "password": {wsPassword}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("signing in with the old password = %d, want 401", res.StatusCode)
	}
	used := anon.post("/password/reset/"+tok, url.Values{"password": {"yet another passphrase"}}, "Accept-Language", "da")
	if used.StatusCode != http.StatusGone || !strings.Contains(used.Text, "allerede brugt") {
		t.Errorf("a used link = %d, want 410 saying so in Danish", used.StatusCode)
	}

	// An hour later a fresh link has expired.
	anon2 := e.browserFrom("")
	anon2.post("/password/forgot", url.Values{"email": {"carl@alpha.example"}})
	tok = linkIn(t, box.deliver()[1], resetLinkRe)
	e.advance(assessment.ResetTTL)
	if res := anon2.get("/password/reset/" + tok); res.StatusCode != http.StatusGone {
		t.Errorf("an hour-old link = %d, want 410", res.StatusCode)
	}

	// Three requests an hour per email, account or not (the earlier ones are an hour old: out
	// of the window): the fourth is 429 for both alike.
	for _, addr := range []string{"carl@alpha.example", "nobody@alpha.example"} {
		var last *response
		for range 4 {
			last = e.browser().post("/password/forgot", url.Values{"email": {addr}})
		}
		if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
			t.Errorf("%s: the fourth request in an hour = %d, want 429 with Retry-After", addr, last.StatusCode)
		}
	}
}
