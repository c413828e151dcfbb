package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
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

// TestWSLoginAccountCap: however many addresses guess, an account takes at most
// maxFailsAccount (100) failures an hour (ASVS 2.2.1); then it answers 429 to everyone until
// the oldest failure leaves the hour. Worked by hand: 20 addresses fail 5 times each, address
// i at 09:00 + i minutes (the last at 09:19). The 100th failure blocks; the 09:00 failures
// leave the window at 10:00, so at 09:19 Retry-After is 41 minutes = 2460 s, sent as 2461
// (rounded up), and the page says 42 minutes.
func TestWSLoginAccountCap(t *testing.T) {
	t.Parallel() // mostly password hashing
	e := newWSEnv(t, behindProxy)
	wrong := url.Values{"email": {"ann@alpha.example"}, "password": {"wrong password!"}}
	right := url.Values{"email": {"ann@alpha.example"}, "password": {wsPassword}}
	victim := e.browserFrom("198.51.100.7")
	addresses := maxFailsAccount / maxFailsPair
	for i := range addresses {
		if i > 0 {
			e.advance(time.Minute)
		}
		c := e.browserFrom(fmt.Sprintf("203.0.113.%d", i+1))
		for j := range maxFailsPair {
			if i == addresses-1 && j == maxFailsPair-1 {
				// 99 failures: the account is still open to its owner (whose success
				// forgives only their own address's failures).
				if res := victim.signIn(right); res.StatusCode != http.StatusSeeOther {
					t.Fatalf("the owner after 99 failures = %d, want 303", res.StatusCode)
				}
			}
			if res := c.signIn(wrong); res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("address %d, failure %d = %d, want 401", i+1, j+1, res.StatusCode)
			}
		}
	}
	for _, c := range []*browser{victim, e.browserFrom("192.0.2.200")} {
		res := c.signIn(right)
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "2461" ||
			!strings.Contains(res.Text, "Too many failed sign-ins. Try again in 42 minutes.") {
			t.Errorf("sign-in from %s after 100 failures = %d, Retry-After %q; want 429, 2461 and the message", c.from, res.StatusCode, res.Header.Get("Retry-After"))
		}
	}
	e.advance(41 * time.Minute) // 10:00: address 1's five failures leave the hour
	if res := victim.signIn(right); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the owner at 10:00 = %d, want 303", res.StatusCode)
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
