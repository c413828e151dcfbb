package web

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-webauthn/webauthn/protocol/webauthncbor"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"

	"github.com/loyalty-cx/loyalty/assessment"
)

// passkeyOriginURL is the public address of the passkey tests' server.
const passkeyOriginURL = "https://loyalty.example"

var b64u = base64.RawURLEncoding

// softKey is a passkey authenticator in software: a P-256 key, its credential id, the user
// handle it was created for and a sign counter. It answers the server's options as a browser
// with an authenticator would, with "none" attestation, so that the HTTP tests can replay
// what an attacker can send: another origin, an old answer, someone else's credential.
type softKey struct {
	t      *testing.T
	key    *ecdsa.PrivateKey
	id     []byte
	handle []byte
	count  uint32
	// origin is what the browser would write into the client data (passkeyOriginURL).
	origin string
}

func newSoftKey(t *testing.T) *softKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 16)
	rand.Read(id)
	return &softKey{t: t, key: k, id: id, origin: passkeyOriginURL}
}

// options reads the challenge, RP ID and user handle of the server's options.
func (k *softKey) options(body string) (challenge, rpID string, user []byte) {
	k.t.Helper()
	var o struct {
		PublicKey struct {
			Challenge string `json:"challenge"`
			RP        struct {
				ID string `json:"id"`
			} `json:"rp"`
			RPID string `json:"rpId"`
			User struct {
				ID string `json:"id"`
			} `json:"user"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal([]byte(body), &o); err != nil {
		k.t.Fatalf("options %q: %v", body, err)
	}
	rpID = o.PublicKey.RP.ID + o.PublicKey.RPID
	if o.PublicKey.User.ID != "" {
		var err error
		if user, err = b64u.DecodeString(o.PublicKey.User.ID); err != nil {
			k.t.Fatal(err)
		}
	}
	return o.PublicKey.Challenge, rpID, user
}

func (k *softKey) clientData(typ, challenge string) []byte {
	b, _ := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": k.origin, "crossOrigin": false})
	return b
}

// authData is rpIdHash | flags (user present, user verified, plus extra) | sign count.
func (k *softKey) authData(rpID string, flags byte) []byte {
	h := sha256.Sum256([]byte(rpID))
	out := append(h[:], flags|0x01|0x04)
	return binary.BigEndian.AppendUint32(out, k.count)
}

// create answers the options of a registration (navigator.credentials.create).
func (k *softKey) create(options string) string {
	k.t.Helper()
	challenge, rpID, user := k.options(options)
	k.handle = user
	cose, err := webauthncbor.Marshal(webauthncose.EC2PublicKeyData{
		PublicKeyData: webauthncose.PublicKeyData{KeyType: int64(webauthncose.EllipticKey), Algorithm: int64(webauthncose.AlgES256)},
		Curve:         1, XCoord: k.key.X.FillBytes(make([]byte, 32)), YCoord: k.key.Y.FillBytes(make([]byte, 32)),
	})
	if err != nil {
		k.t.Fatal(err)
	}
	ad := k.authData(rpID, 0x40) // attested credential data follows
	ad = append(ad, make([]byte, 16)...)
	ad = binary.BigEndian.AppendUint16(ad, uint16(len(k.id)))
	ad = append(append(ad, k.id...), cose...)
	att, err := webauthncbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": ad})
	if err != nil {
		k.t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"id": b64u.EncodeToString(k.id), "rawId": b64u.EncodeToString(k.id), "type": "public-key",
		"response": map[string]string{"clientDataJSON": b64u.EncodeToString(k.clientData("webauthn.create", challenge)),
			"attestationObject": b64u.EncodeToString(att)}})
	return string(b)
}

// get answers the options of a sign-in (navigator.credentials.get) as the user handle
// handle, counting one more signature.
func (k *softKey) get(options string, handle []byte) string {
	k.t.Helper()
	challenge, rpID, _ := k.options(options)
	if rpID == "" {
		k.t.Fatalf("sign-in options without rpId: %s", options)
	}
	k.count++
	cd := k.clientData("webauthn.get", challenge)
	ad := k.authData(rpID, 0)
	sum := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, ad...), sum[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, k.key, digest[:])
	if err != nil {
		k.t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"id": b64u.EncodeToString(k.id), "rawId": b64u.EncodeToString(k.id), "type": "public-key",
		"response": map[string]string{"clientDataJSON": b64u.EncodeToString(cd), "authenticatorData": b64u.EncodeToString(ad),
			"signature": b64u.EncodeToString(sig), "userHandle": b64u.EncodeToString(handle)}})
	return string(b)
}

// registerPasskey adds key to the signed-in browser's member as name, through HTTP.
func registerPasskey(t *testing.T, b *browser, key *softKey, name string) {
	t.Helper()
	begin := b.postCSRF("/w/account/passkeys/begin", url.Values{"name": {name}})
	if begin.StatusCode != http.StatusOK {
		t.Fatalf("begin registration = %d %s", begin.StatusCode, begin.Text)
	}
	res := b.postCSRF("/w/account/passkeys", url.Values{"credential": {key.create(begin.Text)}})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Text, `"redirect":"/w/account/passkeys?done=added"`) {
		t.Fatalf("finish registration = %d %s", res.StatusCode, res.Text)
	}
}

// passkeyAttempt is one sign-in with a passkey: the sign-in page's token, the options the
// server gave, and the form that answers them.
type passkeyAttempt struct {
	c       *browser
	csrf    string
	options string
}

// beginPasskeySignIn opens the sign-in page in c and asks for sign-in options.
func beginPasskeySignIn(t *testing.T, c *browser) *passkeyAttempt {
	t.Helper()
	page := c.get("/login")
	a := &passkeyAttempt{c: c, csrf: csrfOf(t, page.Text)}
	res := c.post("/login/passkey/begin", url.Values{"_csrf": {a.csrf}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("begin passkey sign-in = %d %s", res.StatusCode, res.Text)
	}
	a.options = res.Text
	return a
}

func (a *passkeyAttempt) finish(credential string) *response {
	return a.c.post("/login/passkey", url.Values{"_csrf": {a.csrf}, "next": {"/w/clients"}, "credential": {credential}})
}

// signedInAs reports who c's session belongs to: the user line of the workspace, or "".
func signedInAs(c *browser) string {
	res := c.get("/w/clients")
	if res.StatusCode != http.StatusOK {
		return ""
	}
	return squash(doc(c.e.t, res.Body).Find(`[data-testid="ws-user"]`).Text())
}

// TestPasskeyRegisterAndSignIn: Ann adds a passkey named MacBook over HTTP; the page lists it
// as never used; a browser with no session signs in with it and no password, lands on the
// page it asked for, and the passkey's last use and sign counter move on. Adding and signing
// in are audited.
func TestPasskeyRegisterAndSignIn(t *testing.T) {
	e := newWSEnv(t, withBaseURL(passkeyOriginURL))
	ann := e.login("ann@alpha.example")
	key := newSoftKey(t)
	registerPasskey(t, ann, key, "  MacBook ")

	page := doc(t, ann.get("/w/account/passkeys?done=added").Body)
	rows := page.Find(`[data-testid="passkeys"] tbody tr`)
	if rows.Length() != 1 || squash(rows.Find("th").Text()) != "MacBook" || squash(rows.Find("td").Eq(1).Text()) != "Never" {
		t.Fatalf("passkeys table = %q, want one row MacBook, never used", squash(rows.Text()))
	}
	if got := squash(page.Find(`[data-testid="passkeys-notice"]`).Text()); !strings.Contains(got, "The passkey was added") {
		t.Errorf("notice = %q", got)
	}

	e.advance(time.Hour)
	fresh := e.browser()
	a := beginPasskeySignIn(t, fresh)
	res := a.finish(key.get(a.options, key.handle))
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Text, `"redirect":"/w/clients"`) {
		t.Fatalf("passkey sign-in = %d %s, want 200 with redirect /w/clients", res.StatusCode, res.Text)
	}
	if who := signedInAs(fresh); who != "Ann · Alpha Consulting" {
		t.Fatalf("signed in as %q, want Ann · Alpha Consulting", who)
	}
	ctx := context.Background()
	u, _, _ := e.db.UserByEmail(ctx, "ann@alpha.example")
	ps, err := e.db.Passkeys(ctx, u.ID)
	if err != nil || len(ps) != 1 || !ps[0].LastUsedAt.Equal(e.clock()) || !strings.Contains(string(ps[0].Record), `"signCount":1`) {
		t.Fatalf("Ann's passkeys after sign-in = %+v, %v; want last used now, sign count 1", ps, err)
	}
	if has, err := e.db.HasPasskey(ctx, u.ID); err != nil || !has {
		t.Errorf("HasPasskey(Ann) = %v, %v; want true", has, err)
	}
	// The audit log, newest first: the passkey's sign-in, and before it the passkey added.
	if got := e.auditActions(u.WorkspaceID); len(got) == 0 || got[0] != assessment.AuditSignIn || !strings.Contains(strings.Join(got, " "), assessment.AuditSecondFactorAdded) {
		t.Errorf("audit log = %v, want the sign-in last and the passkey added before it", got)
	}
}

// TestPasskeySignInRefusals replays the attacks on a passkey sign-in through HTTP. Each is
// refused with its status, signs nobody in and counts as a failed sign-in of the address.
func TestPasskeySignInRefusals(t *testing.T) {
	e := newWSEnv(t, withBaseURL(passkeyOriginURL))
	ctx := context.Background()
	annKey, bobKey := newSoftKey(t), newSoftKey(t)
	ann := e.login("ann@alpha.example")
	registerPasskey(t, ann, annKey, "MacBook")
	registerPasskey(t, e.login("bob@beta.example"), bobKey, "Bob's phone")
	failures := func() int { return e.countRows("SELECT count(*) FROM limit_failures WHERE scope = 'login-ip'") }

	for _, tt := range []struct {
		name string
		// answer makes the form's credential for attempt a (and may change the world first).
		answer func(a *passkeyAttempt) string
		status int
		want   string
		// reason is in the log of the refusal: it was refused for what the case tries.
		reason string
	}{
		{"replayed answer", func(a *passkeyAttempt) string {
			cred := annKey.get(a.options, annKey.handle)
			if res := a.finish(cred); res.StatusCode != http.StatusOK {
				t.Fatalf("first use = %d %s", res.StatusCode, res.Text)
			}
			a.c = e.browser() // the attacker, with a sign-in page of their own
			a.csrf = csrfOf(t, a.c.get("/login").Text)
			return cred
		}, http.StatusForbidden, "expired or was used already", "error.passkey.challenge"},
		{"expired challenge", func(a *passkeyAttempt) string {
			e.advance(assessment.PasskeyChallengeTTL)
			return annKey.get(a.options, annKey.handle)
		}, http.StatusForbidden, "expired or was used already", "error.passkey.challenge"},
		{"wrong origin", func(a *passkeyAttempt) string {
			evil := *annKey
			evil.origin = "https://loyalty.example.evil.test"
			return evil.get(a.options, annKey.handle)
		}, http.StatusUnauthorized, "was not accepted", "Error validating origin"},
		{"another member's credential as Ann", func(a *passkeyAttempt) string {
			return bobKey.get(a.options, annKey.handle)
		}, http.StatusUnauthorized, "was not accepted", "Failed to lookup Client-side Discoverable Credential"},
		{"unknown user handle", func(a *passkeyAttempt) string {
			return annKey.get(a.options, []byte("nobody-at-all"))
		}, http.StatusUnauthorized, "was not accepted", "Failed to lookup Client-side Discoverable Credential"},
		{"unregistered key", func(a *passkeyAttempt) string {
			stranger := newSoftKey(t)
			return stranger.get(a.options, annKey.handle)
		}, http.StatusUnauthorized, "was not accepted", "Failed to lookup Client-side Discoverable Credential"},
		{"garbage", func(a *passkeyAttempt) string { return `{"id":"x"}` }, http.StatusUnauthorized, "was not accepted", "not base64url"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := beginPasskeySignIn(t, e.browser())
			cred := tt.answer(a)
			before, mark := failures(), len(e.logs.String())
			res := a.finish(cred)
			if res.StatusCode != tt.status || res.Header.Get("Content-Type") != mimeProblem || !strings.Contains(res.Text, tt.want) {
				t.Fatalf("finish = %d %s %s, want %d problem saying %q", res.StatusCode, res.Header.Get("Content-Type"), res.Text, tt.status, tt.want)
			}
			if who := signedInAs(a.c); who != "" {
				t.Errorf("refused sign-in left a session of %q", who)
			}
			if logged := e.logs.String()[mark:]; !strings.Contains(logged, "passkey sign-in refused") || !strings.Contains(logged, tt.reason) {
				t.Errorf("refusal logged %q, want the reason %q", logged, tt.reason)
			}
			if got := failures(); got != before+1 {
				t.Errorf("failed sign-ins of the address = %d, want %d", got, before+1)
			}
		})
	}

	// A sign counter that does not move forward (a copy of the key) is refused, and blocks
	// the passkey: it no longer signs in even with a good counter.
	a := beginPasskeySignIn(t, e.browser())
	annKey.count = 0 // get adds one: 1, the count of the last sign-in that was accepted
	if res := a.finish(annKey.get(a.options, annKey.handle)); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("cloned counter = %d %s, want 401", res.StatusCode, res.Text)
	}
	u, _, _ := e.db.UserByEmail(ctx, "ann@alpha.example")
	if ps, _ := e.db.Passkeys(ctx, u.ID); len(ps) != 1 || !ps[0].CloneWarning {
		t.Fatalf("Ann's passkey after a cloned counter = %+v, want CloneWarning", ps)
	}
	annKey.count += 5
	a = beginPasskeySignIn(t, e.browser())
	if res := a.finish(annKey.get(a.options, annKey.handle)); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("blocked passkey = %d %s, want 401", res.StatusCode, res.Text)
	}
	// (Ann's own session: the refusals that named her used up her address's sign-in tries.)
	if page := doc(t, ann.get("/w/account/passkeys").Body); page.Find(`[data-testid="passkey-blocked"]`).Length() != 1 {
		t.Error("the passkeys page does not mark the blocked passkey")
	}
}

// TestPasskeySignInThrottled: failed passkey sign-ins count with failed passwords; at the
// address's limit (20 in 15 minutes) even asking for options answers 429 with Retry-After.
func TestPasskeySignInThrottled(t *testing.T) {
	e := newWSEnv(t, withBaseURL(passkeyOriginURL))
	key := newSoftKey(t)
	registerPasskey(t, e.login("ann@alpha.example"), key, "MacBook")
	evil := *key
	evil.origin = "https://phish.example"
	c := e.browser()
	for i := range maxFailsIP {
		a := beginPasskeySignIn(t, c)
		if res := a.finish(evil.get(a.options, key.handle)); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d = %d, want 401", i+1, res.StatusCode)
		}
	}
	page := c.get("/login")
	res := c.post("/login/passkey/begin", url.Values{"_csrf": {csrfOf(t, page.Text)}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("begin after %d failures = %d (Retry-After %q), want 429 with Retry-After", maxFailsIP, res.StatusCode, res.Header.Get("Retry-After"))
	}
	// The right passkey does not get past the limit either.
	res = c.post("/login/passkey", url.Values{"_csrf": {csrfOf(t, page.Text)}, "credential": {"{}"}})
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("finish at the limit = %d, want 429", res.StatusCode)
	}
}

// TestPasskeyRegistrationRefusals: a registration answer is used once, by the member who
// began it, from this origin; a bad name is refused before the browser asks anything, in
// the page's language; nothing is stored by any refusal.
func TestPasskeyRegistrationRefusals(t *testing.T) {
	e := newWSEnv(t, withBaseURL(passkeyOriginURL))
	ann, bob := e.login("ann@alpha.example"), e.login("bob@beta.example")
	stored := func() int { return e.countRows("SELECT count(*) FROM passkeys") }

	res := ann.postCSRF("/w/account/passkeys/begin", url.Values{"name": {"   "}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Text, "Give the passkey a name.") {
		t.Fatalf("begin without a name = %d %s, want 422 naming the problem", res.StatusCode, res.Text)
	}
	res = ann.do(e.request(http.MethodPost, "/w/account/passkeys/begin", strings.NewReader(url.Values{"name": {""}, "_csrf": {ann.csrf}}.Encode()),
		"Content-Type", "application/x-www-form-urlencoded", "Accept-Language", "da"))
	if !strings.Contains(res.Text, "Giv adgangsnøglen et navn.") {
		t.Errorf("begin without a name, in Danish = %s", res.Text)
	}
	res = ann.post("/w/account/passkeys/begin", url.Values{"name": {"MacBook"}, "_csrf": {"forged"}})
	if res.StatusCode != http.StatusForbidden || res.Header.Get("Content-Type") != mimeProblem {
		t.Errorf("begin with a forged CSRF token = %d %s, want a 403 problem", res.StatusCode, res.Header.Get("Content-Type"))
	}

	key := newSoftKey(t)
	begin := ann.postCSRF("/w/account/passkeys/begin", url.Values{"name": {"MacBook"}})
	cred := key.create(begin.Text)
	// Bob cannot finish Ann's registration (and so cannot plant his key in her account).
	if res := bob.postCSRF("/w/account/passkeys", url.Values{"credential": {cred}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("Bob finishing Ann's registration = %d %s, want 403", res.StatusCode, res.Text)
	}
	// Bob's attempt used the challenge up: Ann starts again.
	if res := ann.postCSRF("/w/account/passkeys", url.Values{"credential": {cred}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("Ann finishing a challenge Bob spent = %d %s, want 403", res.StatusCode, res.Text)
	}
	evil := newSoftKey(t)
	evil.origin = "https://phish.example"
	begin = ann.postCSRF("/w/account/passkeys/begin", url.Values{"name": {"MacBook"}})
	if res := ann.postCSRF("/w/account/passkeys", url.Values{"credential": {evil.create(begin.Text)}}); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("registration from another origin = %d %s, want 401", res.StatusCode, res.Text)
	}
	begin = ann.postCSRF("/w/account/passkeys/begin", url.Values{"name": {"MacBook"}})
	e.advance(assessment.PasskeyChallengeTTL)
	if res := ann.postCSRF("/w/account/passkeys", url.Values{"credential": {key.create(begin.Text)}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("registration after the challenge expired = %d %s, want 403", res.StatusCode, res.Text)
	}
	if n := stored(); n != 0 {
		t.Fatalf("%d passkeys stored after refusals, want 0", n)
	}
	begin = ann.postCSRF("/w/account/passkeys/begin", url.Values{"name": {"MacBook"}})
	cred = key.create(begin.Text)
	if res := ann.postCSRF("/w/account/passkeys", url.Values{"credential": {cred}}); res.StatusCode != http.StatusOK {
		t.Fatalf("registration = %d %s", res.StatusCode, res.Text)
	}
	if res := ann.postCSRF("/w/account/passkeys", url.Values{"credential": {cred}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("the same registration again = %d %s, want 403", res.StatusCode, res.Text)
	}
	// The same key again under a new challenge: registered already.
	begin = ann.postCSRF("/w/account/passkeys/begin", url.Values{"name": {"Again"}})
	if !strings.Contains(begin.Text, `"excludeCredentials":[{"type":"public-key","id":"`+b64u.EncodeToString(key.id)+`"`) {
		t.Errorf("options do not exclude the registered key: %s", begin.Text)
	}
	if res := ann.postCSRF("/w/account/passkeys", url.Values{"credential": {key.create(begin.Text)}}); res.StatusCode != http.StatusConflict {
		t.Fatalf("registering the same key twice = %d %s, want 409", res.StatusCode, res.Text)
	}
	if n := stored(); n != 1 {
		t.Fatalf("%d passkeys stored, want 1", n)
	}
	// Without a session: a JSON 401, nothing else.
	if res := e.browser().post("/w/account/passkeys/begin", url.Values{"name": {"X"}}); res.StatusCode != http.StatusUnauthorized || res.Header.Get("Content-Type") != mimeProblem {
		t.Errorf("begin without a session = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

// TestPasskeyRenameAndRemove: only the owner renames and removes; a bad name re-shows the page
// with its message; removal asks for the password once the sign-in is 10 minutes old, a wrong
// password removes nothing, and a removed passkey no longer signs in.
func TestPasskeyRenameAndRemove(t *testing.T) {
	e := newWSEnv(t, withBaseURL(passkeyOriginURL))
	ann := e.login("ann@alpha.example")
	key := newSoftKey(t)
	registerPasskey(t, ann, key, "MacBook")
	ctx := context.Background()
	u, _, _ := e.db.UserByEmail(ctx, "ann@alpha.example")
	ps, _ := e.db.Passkeys(ctx, u.ID)
	id := ps[0].ID
	path := func(p string) string { return "/w/account/passkeys/" + strconv.FormatInt(id, 10) + p }

	bob := e.login("bob@beta.example")
	for _, res := range []*response{bob.postCSRF(path("/name"), url.Values{"name": {"Mine"}}), bob.get(path("/remove")), bob.postCSRF(path("/remove"), nil)} {
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("Bob on Ann's passkey = %d, want 404", res.StatusCode)
		}
	}
	res := ann.postCSRF(path("/name"), url.Values{"name": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Text, "Give the passkey a name.") {
		t.Fatalf("rename to nothing = %d, want 422 with the message", res.StatusCode)
	}
	if res := ann.postCSRF(path("/name"), url.Values{"name": {"Work <b>laptop</b>"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("rename = %d", res.StatusCode)
	}
	page := ann.get("/w/account/passkeys")
	if !strings.Contains(page.Text, "Work &lt;b&gt;laptop&lt;/b&gt;") {
		t.Error("the renamed passkey's name is not shown escaped")
	}

	// 10 minutes after signing in, the password is needed.
	e.advance(assessment.RecentSignIn)
	form := doc(t, ann.get(path("/remove")).Body)
	if form.Find(`input[name="password"]`).Length() != 1 {
		t.Fatal("the removal form asks for no password 10 minutes after signing in")
	}
	res = ann.postCSRF(path("/remove"), url.Values{"password": {"wrong password!"}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Text, "The password is not right") {
		t.Fatalf("remove with a wrong password = %d, want 403 saying so", res.StatusCode)
	}
	if n := e.countRows("SELECT count(*) FROM passkeys"); n != 1 {
		t.Fatalf("a wrong password removed the passkey (%d left)", n)
	}
	if res := ann.postCSRF(path("/remove"), url.Values{"password": {wsPassword}}); res.StatusCode != http.StatusSeeOther || res.Redirect != "/w/account/passkeys?done=removed" {
		t.Fatalf("remove with the password = %d %q", res.StatusCode, res.Redirect)
	}
	a := beginPasskeySignIn(t, e.browser())
	if res := a.finish(key.get(a.options, key.handle)); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("sign-in with a removed passkey = %d %s, want 401", res.StatusCode, res.Text)
	}

	// Right after signing in, no password is asked.
	registerPasskey(t, ann, key, "Again")
	fresh := e.login("ann@alpha.example")
	ps, _ = e.db.Passkeys(ctx, u.ID)
	id = ps[0].ID
	if doc(t, fresh.get(path("/remove")).Body).Find(`input[name="password"]`).Length() != 0 {
		t.Error("the removal form asks for the password right after signing in")
	}
	if res := fresh.postCSRF(path("/remove"), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove right after signing in = %d", res.StatusCode)
	}
	if got := e.auditActions(e.a.ID); len(got) == 0 || got[0] != assessment.AuditSecondFactorRemoved {
		t.Errorf("audit log = %v, want the removal last", got)
	}
}

// TestPasskeysNeedSecureOrigin: on a plain-http public address the page says why there are
// no passkeys, the sign-in page offers none, and the ceremonies answer 409.
func TestPasskeysNeedSecureOrigin(t *testing.T) {
	e := newWSEnv(t, withBaseURL("http://loyalty.example"))
	ann := e.login("ann@alpha.example")
	page := doc(t, ann.get("/w/account/passkeys").Body)
	if got := squash(page.Find(`[data-testid="passkeys-unavailable"]`).Text()); !strings.Contains(got, "need its public address on HTTPS") {
		t.Errorf("passkeys page says %q, want why passkeys are off", got)
	}
	if page.Find(`[data-passkey-register]`).Length() != 0 {
		t.Error("passkeys page offers to add a passkey on an insecure origin")
	}
	login := ann.get("/login")
	if strings.Contains(login.Text, "data-passkey-login") || strings.Contains(login.Text, "passkeys.") {
		t.Error("sign-in page offers passkeys on an insecure origin")
	}
	if res := ann.postCSRF("/w/account/passkeys/begin", url.Values{"name": {"MacBook"}}); res.StatusCode != http.StatusConflict || !strings.Contains(res.Text, "HTTPS") {
		t.Errorf("begin on an insecure origin = %d %s, want 409", res.StatusCode, res.Text)
	}
}

func TestPasskeyOrigin(t *testing.T) {
	for _, tt := range []struct {
		base, addr   string
		origin, rpID string
		err          string
	}{
		{"https://loyalty.example", ":8080", "https://loyalty.example", "loyalty.example", ""},
		{"https://loyalty.example:8443", "", "https://loyalty.example:8443", "loyalty.example", ""},
		{"http://localhost:8080", "", "http://localhost:8080", "localhost", ""},
		{"http://app.localhost", "", "http://app.localhost", "app.localhost", ""},
		{"http://loyalty.example", "", "", "", "not https"},
		{"https://10.0.0.5", "", "", "", "not an IP address"},
		{"", ":8080", "http://localhost:8080", "localhost", ""},
		{"", "127.0.0.1:9000", "http://localhost:9000", "localhost", ""},
		{"", "[::1]:80", "http://localhost", "localhost", ""},
		{"", "0.0.0.0:8080", "http://localhost:8080", "localhost", ""},
		{"", "10.0.0.5:8080", "", "", "not local"},
		{"", "", "", "", "listen address"},
	} {
		origin, rpID, err := passkeyOrigin(tt.base, tt.addr)
		if origin != tt.origin || rpID != tt.rpID || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("passkeyOrigin(%q, %q) = %q, %q, %v; want %q, %q, error containing %q", tt.base, tt.addr, origin, rpID, err, tt.origin, tt.rpID, tt.err)
		}
	}
}

// TestPasskeyBeginsLimited: every passkey sign-in begun stores a challenge before anyone is
// known, so an address may begin maxPasskeyBegins in 15 minutes; then 429 and nothing
// stored, and 15 minutes later it may begin again.
func TestPasskeyBeginsLimited(t *testing.T) {
	e := newWSEnv(t, withBaseURL(passkeyOriginURL))
	c := e.browser()
	csrf := csrfOf(t, c.get("/login").Text)
	for i := range maxPasskeyBegins {
		if res := c.post("/login/passkey/begin", url.Values{"_csrf": {csrf}}); res.StatusCode != http.StatusOK {
			t.Fatalf("begin %d = %d, want 200", i+1, res.StatusCode)
		}
	}
	stored := e.countRows("SELECT count(*) FROM passkey_challenges")
	res := c.post("/login/passkey/begin", url.Values{"_csrf": {csrf}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("begin %d = %d (Retry-After %q), want 429 with Retry-After", maxPasskeyBegins+1, res.StatusCode, res.Header.Get("Retry-After"))
	}
	if n := e.countRows("SELECT count(*) FROM passkey_challenges"); n != stored || stored != maxPasskeyBegins {
		t.Errorf("challenges stored = %d, then %d; want %d, unchanged by the refusal", stored, n, maxPasskeyBegins)
	}
	e.advance(loginWindow)
	if res := c.post("/login/passkey/begin", url.Values{"_csrf": {csrf}}); res.StatusCode != http.StatusOK {
		t.Fatalf("begin 15 minutes later = %d, want 200", res.StatusCode)
	}
	// The expired challenges went when the new one was stored.
	if n := e.countRows("SELECT count(*) FROM passkey_challenges"); n != 1 {
		t.Errorf("challenges stored after 15 minutes = %d, want 1 (the expired ones deleted)", n)
	}
}
