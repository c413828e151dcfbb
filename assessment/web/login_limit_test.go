package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// TestWSLoginLockoutIsNotAWeapon: five wrong passwords with a victim's email used to lock
// the victim out for 15 minutes from every address. Now they block that address at that
// account only: the victim signs in from elsewhere, and the attacker's address can still
// sign in to other accounts.
func TestWSLoginLockoutIsNotAWeapon(t *testing.T) {
	t.Parallel() // mostly password hashing
	e := newWSEnv(t, behindProxy)
	attacker := e.browserFrom("203.0.113.66")
	wrong := url.Values{"email": {"ann@alpha.example"}, "password": {"wrong password!"}}
	for i := range maxFailsPair {
		if res := attacker.signIn(wrong); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attacker's failure %d = %d, want 401", i+1, res.StatusCode)
		}
	}
	right := url.Values{"email": {"ann@alpha.example"}, "password": {wsPassword}}
	if res := attacker.signIn(right); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the attacker's address after %d failures = %d, want 429 even with the right password", maxFailsPair, res.StatusCode)
	}
	victim := e.browserFrom("198.51.100.7")
	if res := victim.signIn(right); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the victim from another address = %d, want 303 (signed in)", res.StatusCode)
	}
	if res := attacker.signIn(url.Values{"email": {"carl@alpha.example"}, "password": {wsPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("another account from the attacker's address = %d, want 303", res.StatusCode)
	}
}

// TestWSLoginAccountCap replays issue 16's lockout behind a proxy: 20 addresses fail 5 times
// each at one account, address i at 09:00 + i minutes (the last at 09:19): the 100 failures
// an hour of ASVS 2.2.1. They used to lock the owner out from everywhere for an hour. Now:
//
//   - the owner's laptop, which signed in before (it holds the account's device cookie),
//     signs in at once;
//   - a browser that never signed in is throttled, not locked: one try a minute after the
//     last failure, so at 09:19 Retry-After is 60 s (sent as 61) and at 09:20 it signs in;
//   - the attacker stays throttled: after a new failure at 09:20 the next unknown device
//     waits a minute again, and each of the 20 addresses is blocked at the account anyway;
//   - the failures of a known device count on the device alone: 5 wrong passwords block that
//     browser, not the account.
func TestWSLoginAccountCap(t *testing.T) {
	t.Parallel() // mostly password hashing
	e := newWSEnv(t, behindProxy)
	wrong := url.Values{"email": {"ann@alpha.example"}, "password": {"wrong password!"}}
	right := url.Values{"email": {"ann@alpha.example"}, "password": {wsPassword}}
	laptop := e.browserFrom("198.51.100.7")
	if res := laptop.signIn(right); res.StatusCode != http.StatusSeeOther || !hasCookie(res, deviceCookie) {
		t.Fatalf("the owner's first sign-in = %d, want 303 with a device cookie", res.StatusCode)
	}
	if n := e.countRows("SELECT count(*) FROM devices"); n != 1 {
		t.Fatalf("devices = %d, want 1", n)
	}
	addresses := maxFailsAccount / maxFailsPair
	var attackers []*browser
	for i := range addresses {
		if i > 0 {
			e.advance(time.Minute)
		}
		c := e.browserFrom(fmt.Sprintf("203.0.113.%d", i+1))
		attackers = append(attackers, c)
		for j := range maxFailsPair {
			if res := c.signIn(wrong); res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("address %d, failure %d = %d, want 401", i+1, j+1, res.StatusCode)
			}
		}
	}
	// 09:19, 100 failures: the known laptop signs in at once.
	if res := laptop.signIn(right); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the owner's known laptop after 100 failures = %d, want 303 at once", res.StatusCode)
	}
	// A new phone is throttled for a minute, not locked for an hour.
	phone := e.browserFrom("192.0.2.200")
	res := phone.signIn(right)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "61" ||
		!strings.Contains(res.Text, "Too many failed sign-ins. Try again in 2 minutes.") {
		t.Errorf("an unknown device after 100 failures = %d, Retry-After %q; want 429 and 61", res.StatusCode, res.Header.Get("Retry-After"))
	}
	e.advance(accountGap) // 09:20
	if res := phone.signIn(right); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the unknown device a minute later = %d, want 303", res.StatusCode)
	}
	// The attacker stays throttled: one guess a minute, from any address.
	if res := e.browserFrom("203.0.113.200").signIn(wrong); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("a guess at 09:20 = %d, want 401 (checked: the minute has passed)", res.StatusCode)
	}
	if res := e.browserFrom("203.0.113.201").signIn(wrong); res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "61" {
		t.Errorf("the next guess at once = %d, Retry-After %q; want 429 and 61", res.StatusCode, res.Header.Get("Retry-After"))
	}
	for i, c := range attackers {
		if res := c.signIn(right); res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("attacking address %d with the right password = %d, want 429 (its own 5 failures)", i+1, res.StatusCode)
		}
	}
	// A known device's own failures block that device only. It moves between networks, so
	// that neither an address nor an address at the account reaches its limit: only the
	// device's count can block it.
	for i := range maxFailsDevice {
		laptop.from = fmt.Sprintf("198.51.100.%d", 100+i)
		if res := laptop.signIn(wrong); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("the laptop's failure %d = %d, want 401 (a known device is not throttled by the account)", i+1, res.StatusCode)
		}
	}
	laptop.from = "198.51.100.150"
	if res := laptop.signIn(right); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the laptop after %d failures of its own = %d, want 429", maxFailsDevice, res.StatusCode)
	}
	e.advance(accountGap)
	if res := e.browserFrom("192.0.2.201").signIn(right); res.StatusCode != http.StatusSeeOther {
		t.Errorf("another device after the laptop's failures = %d, want 303 (they count on the laptop only)", res.StatusCode)
	}
}

// hasCookie reports whether res sets the cookie name.
func hasCookie(res *response, name string) bool {
	for _, ck := range res.Cookies() {
		if ck.Name == name && ck.Value != "" {
			return true
		}
	}
	return false
}

// TestWSDeviceCookieIsTheAccounts: a device cookie makes a browser known to the account it
// signed in to only; its hash is what the database keeps; a forged cookie is unknown.
func TestWSDeviceCookieIsTheAccounts(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t, behindProxy)
	c := e.browserFrom("198.51.100.9")
	res := c.signIn(url.Values{"email": {"carl@alpha.example"}, "password": {wsPassword}})
	var token string
	for _, ck := range res.Cookies() {
		if ck.Name == deviceCookie {
			token = ck.Value
			if ck.Path != "/login" || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode {
				t.Errorf("device cookie = %+v, want Path /login, HttpOnly, SameSite Strict", ck)
			}
		}
	}
	if token == "" {
		t.Fatal("no device cookie after signing in")
	}
	if n := e.countRows("SELECT count(*) FROM devices WHERE token_hash = '" + token + "'"); n != 0 {
		t.Errorf("the device token is stored in clear")
	}
	ctx := t.Context()
	carl, _, _ := e.db.UserByEmail(ctx, "carl@alpha.example")
	ann, _, _ := e.db.UserByEmail(ctx, "ann@alpha.example")
	for _, tc := range []struct {
		name   string
		cookie string
		user   *assessment.User
		known  bool
	}{
		{"its account", token, carl, true},
		{"another account", token, ann, false},
		{"a forged cookie", "forged-device-token", carl, false},
	} {
		req := httptest.NewRequest(http.MethodPost, "/login", nil)
		req.AddCookie(&http.Cookie{Name: deviceCookie, Value: tc.cookie})
		got, err := e.srv.knownDevice(e.srv.echo.NewContext(req, httptest.NewRecorder()), tc.user)
		if err != nil || (got != "") != tc.known {
			t.Errorf("knownDevice(%s) = %q, %v; want known %v", tc.name, got, err, tc.known)
		}
	}
}

// TestWSLimitsSurviveRestart: the limits are kept in the database, so a restarted server
// (a new Server on the same file) still blocks what the old one blocked, and the table of
// failures holds neither the address nor the email in clear.
func TestWSLimitsSurviveRestart(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t, behindProxy)
	w := e.world("Acme")
	attacker := e.browserFrom("203.0.113.66")
	for range maxFailsPair {
		attacker.signIn(url.Values{"email": {"ann@alpha.example"}, "password": {"wrong password!"}})
	}
	for i := range maxJoinMisses {
		attacker.get(fmt.Sprintf("/j/unknown-code-%d", i))
	}
	e.restart()
	if res := attacker.signIn(url.Values{"email": {"ann@alpha.example"}, "password": {wsPassword}}); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("sign-in after a restart = %d, want 429 (the failures are remembered)", res.StatusCode)
	}
	if res := attacker.get("/j/unknown-code-x"); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("an unknown workshop code after a restart = %d, want 429 (the unknown codes are remembered)", res.StatusCode)
	}
	if res := attacker.get("/j/" + w.round.Code); res.StatusCode != http.StatusOK {
		t.Errorf("the valid workshop link after a restart = %d, want 200 (only wrong codes are limited)", res.StatusCode)
	}
	if n := e.countRows("SELECT count(*) FROM limit_failures"); n != 3*maxFailsPair+maxJoinMisses {
		t.Errorf("limit_failures has %d rows, want %d", n, 3*maxFailsPair+maxJoinMisses)
	}
	if n := e.countRows("SELECT count(*) FROM limit_failures WHERE key LIKE '%ann%' OR key LIKE '%203.0.113%'"); n != 0 {
		t.Errorf("%d failures name the account or the address in clear", n)
	}
	// Failures older than their window are deleted when the next is recorded.
	e.advance(accountWindow)
	attacker.signIn(url.Values{"email": {"nobody@alpha.example"}, "password": {"wrong password!"}})
	if n := e.countRows("SELECT count(*) FROM limit_failures WHERE scope LIKE 'login-%'"); n != 3 {
		t.Errorf("sign-in failures kept an hour later = %d, want the 3 of the last failure", n)
	}
}
