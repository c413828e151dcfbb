package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/views"
)

// auditActions returns the actions of workspace ws's audit log, newest first, read from the
// database directly.
func (e *env) auditActions(ws int64) []string {
	e.t.Helper()
	rows, err := e.raw.Query(fmt.Sprintf("SELECT action FROM audit_events WHERE workspace_id = %d ORDER BY id DESC", ws))
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

// TestAccountPage: every member reaches their account from the navigation, and it shows
// who they are.
func TestAccountPage(t *testing.T) {
	e := newWSEnv(t)
	carl := e.login("carl@alpha.example")
	if nav := carl.get("/w/clients?lang=en").Text; !strings.Contains(nav, `href="/w/account"`) || strings.Contains(nav, `href="/w/audit"`) {
		t.Error("a consultant's navigation lacks /w/account or shows /w/audit")
	}
	res := carl.get("/w/account?lang=da")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /w/account = %d", res.StatusCode)
	}
	for _, want := range []string{`data-testid="account-name">Carl<`, `data-testid="account-email">carl@alpha.example<`, `data-testid="account-role">Konsulent<`, `data-testid="totp-off"`} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("account page lacks %s", want)
		}
	}
	if ann := e.login("ann@alpha.example").get("/w/clients").Text; !strings.Contains(ann, `href="/w/audit"`) {
		t.Error("an admin's navigation lacks /w/audit")
	}
}

// TestChangePassword: the current password is required, the new one must pass the policy;
// a refusal says why in the page's language and changes nothing; success ends the member's
// other sessions, keeps this one, and is in the audit log.
func TestChangePassword(t *testing.T) {
	e := newWSEnv(t)
	here := e.login("ann@alpha.example")
	phone := e.login("ann@alpha.example")
	const newPW = "lantern orchard velvet 42"
	refusals := []struct {
		name, current, password, lang, want string
	}{
		{"wrong current password", "not my password", newPW, "en", "The current password is not right."},
		{"too short", wsPassword, "short pw", "en", "The password needs at least 12 characters."},
		{"breached, in Danish", wsPassword, "qwerty123456", "da", "Denne adgangskode står på listen over kendte lækkede adgangskoder"},
		{"same as the current one", wsPassword, wsPassword, "nb", "Det nye passordet må være et annet enn det nåværende."},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			res := here.postCSRF("/w/account/password?lang="+tt.lang, url.Values{"current": {tt.current}, "password": {tt.password}})
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Text, html.EscapeString(tt.want)) {
				t.Errorf("change password = %d, body lacks %q", res.StatusCode, tt.want)
			}
			if res := phone.get("/w/clients"); res.StatusCode != http.StatusOK {
				t.Errorf("other session after a refused change = %d, want 200 (nothing changed)", res.StatusCode)
			}
		})
	}
	res := here.postCSRF("/w/account/password", url.Values{"current": {wsPassword}, "password": {newPW}})
	if res.StatusCode != http.StatusSeeOther || res.Redirect != "/w/account?done=password" {
		t.Fatalf("change password = %d %q, want 303 to /w/account?done=password", res.StatusCode, res.Redirect)
	}
	if res := here.get("/w/account?done=password&lang=en"); res.StatusCode != http.StatusOK || !strings.Contains(res.Text, "Every other session of yours has been signed out") {
		t.Errorf("this session after the change = %d, or no confirmation", res.StatusCode)
	}
	if res := phone.get("/w/clients"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Redirect, "/login") {
		t.Errorf("other session after the change = %d %q, want 303 to /login", res.StatusCode, res.Redirect)
	}
	if res := e.browser().signIn(url.Values{"email": {"ann@alpha.example"}, "password": {wsPassword}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("sign-in with the old password = %d, want 401", res.StatusCode)
	}
	if res := e.browser().signIn(url.Values{"email": {"ann@alpha.example"}, "password": {newPW}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-in with the new password = %d, want 303", res.StatusCode)
	}
	if got := e.auditActions(e.a.ID); len(got) < 3 || got[2] != assessment.AuditPasswordChanged {
		t.Errorf("audit log = %v, want password.changed before the failed and the good sign-in", got)
	}
}

// TestAuditLog: sign-ins, failures and changes are recorded with who, when and from where;
// admins read their own workspace's log on the page and through the API, newest first and
// paged; consultants are refused; a failed sign-in with an address that has no account is in
// no workspace's log.
func TestAuditLog(t *testing.T) {
	e := newWSEnv(t, behindProxy)
	ann := e.login("ann@alpha.example")
	e.advance(time.Minute)
	e.browserFrom("198.51.100.7").signIn(url.Values{"email": {"carl@alpha.example"}, "password": {"wrong password!"}})
	e.browserFrom("198.51.100.8").signIn(url.Values{"email": {"nobody@alpha.example"}, "password": {"wrong password!"}})
	ann.postCSRF("/w/tokens", url.Values{"name": {"CI"}, "expires": {"90"}})

	want := []string{assessment.AuditTokenCreated, assessment.AuditSignInFailed, assessment.AuditSignIn}
	if got := e.auditActions(e.a.ID); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("workspace A's log = %v, want %v", got, want)
	}
	if n := e.countRows("SELECT count(*) FROM audit_events WHERE workspace_id IS NULL AND address = '198.51.100.8'"); n != 1 {
		t.Errorf("failed sign-ins of an unknown address in no workspace = %d, want 1", n)
	}
	if got := e.auditActions(e.b.ID); len(got) != 0 {
		t.Errorf("workspace B's log = %v, want nothing of A's", got)
	}

	page := ann.get("/w/audit?lang=en")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("GET /w/audit = %d", page.StatusCode)
	}
	for _, s := range []string{"Created an API token", "Failed sign-in", "Signed in", "198.51.100.7", "Carl", "Member #"} {
		if !strings.Contains(page.Text, s) {
			t.Errorf("audit page lacks %q", s)
		}
	}
	if strings.Contains(page.Text, "198.51.100.8") {
		t.Error("audit page shows the unknown address's failed sign-in")
	}
	if sv := ann.get("/w/audit?lang=sv").Text; !strings.Contains(sv, "Misslyckad inloggning") {
		t.Error("audit page in Swedish lacks the translated action")
	}

	// Consultants: 403 on the page and in the API, before anything is read.
	carl := e.login("carl@alpha.example")
	if res := carl.get("/w/audit"); res.StatusCode != http.StatusForbidden {
		t.Errorf("consultant GET /w/audit = %d, want 403", res.StatusCode)
	}
	c := e.browser()
	if res := c.api(http.MethodGet, "/api/v1/audit", e.token("carl@alpha.example"), ""); res.StatusCode != http.StatusForbidden {
		t.Errorf("consultant GET /api/v1/audit = %d, want 403", res.StatusCode)
	}

	// The API: newest first, two a page, the cursor leads to the rest.
	tok := e.token("ann@alpha.example")
	type page1 struct {
		Events []struct {
			ID        int64  `json:"id"`
			Action    string `json:"action"`
			ActorName string `json:"actor_name"`
			Address   string `json:"address"`
		} `json:"events"`
		NextBefore *int64 `json:"next_before"`
	}
	var all []string
	path := "/api/v1/audit?limit=2"
	for range 5 {
		res := c.api(http.MethodGet, path, tok, "")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d %s", path, res.StatusCode, res.Text)
		}
		var p page1
		if err := json.Unmarshal(res.Body, &p); err != nil {
			t.Fatal(err)
		}
		if len(p.Events) > 2 {
			t.Errorf("GET %s gave %d events, want at most 2", path, len(p.Events))
		}
		for _, ev := range p.Events {
			all = append(all, ev.Action)
		}
		if p.NextBefore == nil {
			break
		}
		path = fmt.Sprintf("/api/v1/audit?limit=2&before=%d", *p.NextBefore)
	}
	// Carl signed in since: the log is that, then the three above.
	want = append([]string{assessment.AuditSignIn}, want...)
	if strings.Join(all, " ") != strings.Join(want, " ") {
		t.Errorf("API pages = %v, want %v", all, want)
	}
	for _, q := range []string{"limit=0", "limit=201", "limit=ten", "before=-3"} {
		if res := c.api(http.MethodGet, "/api/v1/audit?"+q, tok, ""); res.StatusCode != http.StatusUnprocessableEntity && res.StatusCode != http.StatusBadRequest {
			t.Errorf("GET /api/v1/audit?%s = %d, want 400 or 422", q, res.StatusCode)
		}
	}
	if res := c.api(http.MethodGet, "/api/v1/audit", e.token("bob@beta.example"), ""); !strings.Contains(res.Text, `"events":[]`) {
		t.Errorf("workspace B's admin reads %s, want no events", res.Text)
	}
}

// totpSecretRe finds the secret on the set-up page.
var totpSecretRe = regexpMust(`data-testid="totp-secret">([A-Z2-7 ]+)<`)

// setUpTOTP turns on TOTP for c's member at the env's clock and returns the secret and the
// recovery codes.
func setUpTOTP(t *testing.T, e *env, c *browser) (string, []string) {
	t.Helper()
	page := c.get("/w/account/totp?lang=en")
	m := totpSecretRe.FindStringSubmatch(page.Text)
	if page.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("GET /w/account/totp = %d, no secret", page.StatusCode)
	}
	if !strings.Contains(page.Text, `src="data:image/svg+xml;base64,`) {
		t.Error("set-up page has no QR code")
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	if res := c.postCSRF("/w/account/totp?lang=en", url.Values{"code": {"000000"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Text, "That code is not right") || !strings.Contains(res.Text, m[1]) {
		t.Errorf("wrong first code = %d, want 422 with the same secret again", res.StatusCode)
	}
	code, _ := auth.TOTPCode(secret, e.clock())
	res := c.postCSRF("/w/account/totp?lang=en", url.Values{"code": {code[:3] + " " + code[3:]}})
	codes := regexpMust(`<li><code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code></li>`).FindAllStringSubmatch(res.Text, -1)
	if res.StatusCode != http.StatusOK || len(codes) != assessment.RecoveryCodeCount {
		t.Fatalf("confirm TOTP = %d with %d recovery codes, want 200 with %d", res.StatusCode, len(codes), assessment.RecoveryCodeCount)
	}
	var out []string
	for _, c := range codes {
		out = append(out, c[1])
	}
	if again := c.get("/w/account").Text; strings.Contains(again, out[0]) || !strings.Contains(again, `data-testid="totp-on"`) {
		t.Error("account page shows a recovery code again, or TOTP is not on")
	}
	return secret, out
}

// promptCSRF fetches the code form as a browser does and returns its token.
func promptCSRF(t *testing.T, c *browser) string {
	t.Helper()
	page := c.get("/login/totp?lang=en")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("GET /login/totp = %d", page.StatusCode)
	}
	return csrfOf(t, page.Text)
}

// passwordStep signs in with the password and expects the code form.
func passwordStep(t *testing.T, e *env, email string) *browser {
	t.Helper()
	c := e.browser()
	res := c.signIn(url.Values{"email": {email}, "password": {wsPassword}})
	if res.StatusCode != http.StatusSeeOther || res.Redirect != "/login/totp" {
		t.Fatalf("password step = %d %q, want 303 to /login/totp", res.StatusCode, res.Redirect)
	}
	return c
}

// TestTOTPSignIn replays the attacks on the second factor over HTTP: the password alone
// grants nothing; a wrong code, a replayed code and a used recovery code are refused; five
// wrong codes end the half-signed-in state; a right code and an unused recovery code sign in.
func TestTOTPSignIn(t *testing.T) {
	e := newWSEnv(t)
	carl := e.login("carl@alpha.example")
	secret, recovery := setUpTOTP(t, e, carl)

	// The password alone: no session, and the half-signed-in cookie opens nothing.
	half := passwordStep(t, e, "carl@alpha.example")
	if res := half.get("/w/clients"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Redirect, "/login") {
		t.Errorf("half-signed-in GET /w/clients = %d %q, want 303 to /login", res.StatusCode, res.Redirect)
	}
	csrf := promptCSRF(t, half)
	if res := half.post("/login/totp?lang=en", url.Values{"_csrf": {csrf}, "code": {"123456"}}); res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Text, "That code is not right") {
		t.Errorf("wrong code = %d, want 401 with the reason", res.StatusCode)
	}
	// The code carl's app shows one step later (clock a little off) is fine.
	e.advance(30 * time.Second)
	code, _ := auth.TOTPCode(secret, e.clock())
	if res := half.post("/login/totp", url.Values{"_csrf": {csrf}, "code": {code}}); res.StatusCode != http.StatusSeeOther || res.Redirect != "/w" {
		t.Fatalf("right code = %d %q, want 303 to /w", res.StatusCode, res.Redirect)
	}
	if res := half.get("/w/clients"); res.StatusCode != http.StatusOK {
		t.Errorf("signed in after the code: GET /w/clients = %d", res.StatusCode)
	}

	// Replay: the same code, seen over a shoulder, on another browser within its window.
	thief := passwordStep(t, e, "carl@alpha.example")
	res := thief.post("/login/totp?lang=en", url.Values{"_csrf": {promptCSRF(t, thief)}, "code": {code}})
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Text, "That code was just used") {
		t.Errorf("replayed code = %d, want 401 'just used'", res.StatusCode)
	}

	// A recovery code works once.
	lost := passwordStep(t, e, "carl@alpha.example")
	if res := lost.post("/login/totp", url.Values{"_csrf": {promptCSRF(t, lost)}, "code": {strings.ToUpper(recovery[3])}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("recovery code = %d, want 303", res.StatusCode)
	}
	again := passwordStep(t, e, "carl@alpha.example")
	if res := again.post("/login/totp", url.Values{"_csrf": {promptCSRF(t, again)}, "code": {recovery[3]}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("used recovery code = %d, want 401", res.StatusCode)
	}

	// Five wrong codes: the half-signed-in state ends and the password is asked again.
	guess := passwordStep(t, e, "carl@alpha.example")
	gcsrf := promptCSRF(t, guess)
	var last *response
	for i := range assessment.MaxSecondFactorTries {
		last = guess.post("/login/totp?lang=en", url.Values{"_csrf": {gcsrf}, "code": {fmt.Sprintf("%06d", 100000+i)}})
	}
	if last.StatusCode != http.StatusUnauthorized || !strings.Contains(last.Text, "Sign in again with your password") {
		t.Errorf("fifth wrong code = %d, want 401 and the password form", last.StatusCode)
	}
	e.advance(30 * time.Second)
	next, _ := auth.TOTPCode(secret, e.clock())
	if res := guess.post("/login/totp", url.Values{"_csrf": {gcsrf}, "code": {next}}); res.StatusCode == http.StatusSeeOther {
		t.Error("a right code after five wrong ones signed in; want the password first")
	}

	// Without the pending cookie (a session of its own, or none) the form leads to /login.
	if res := e.browser().get("/login/totp"); res.StatusCode != http.StatusSeeOther || res.Redirect != "/login" {
		t.Errorf("GET /login/totp without a password step = %d %q, want 303 to /login", res.StatusCode, res.Redirect)
	}

	log := strings.Join(e.auditActions(e.a.ID), " ")
	for _, a := range []string{assessment.AuditSecondFactorAdded, assessment.AuditRecoveryCodeUsed} {
		if !strings.Contains(log, a) {
			t.Errorf("audit log lacks %s: %s", a, log)
		}
	}
}

// TestTOTPDisable: turning TOTP off needs the password or a current code; a wrong proof is
// refused and changes nothing.
func TestTOTPDisable(t *testing.T) {
	e := newWSEnv(t)
	carl := e.login("carl@alpha.example")
	setUpTOTP(t, e, carl)
	if res := carl.get("/w/account/totp"); res.StatusCode != http.StatusConflict {
		t.Errorf("second set-up while on = %d, want 409", res.StatusCode)
	}
	if res := carl.postCSRF("/w/account/totp/disable?lang=en", url.Values{"proof": {"not it at all"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Text, "neither your password nor a current code") {
		t.Errorf("disable with a wrong proof = %d, want 422", res.StatusCode)
	}
	f, err := e.db.SecondFactors(context.Background(), userID(t, e, "carl@alpha.example"))
	if err != nil || !f.TOTP || f.RecoveryCodes != assessment.RecoveryCodeCount {
		t.Fatalf("after a refused disable: %+v, %v, want TOTP on with 10 codes", f, err)
	}
	if res := carl.postCSRF("/w/account/totp/disable", url.Values{"proof": {wsPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("disable with the password = %d, want 303", res.StatusCode)
	}
	if f, _ := e.db.SecondFactors(context.Background(), userID(t, e, "carl@alpha.example")); f.TOTP || f.RecoveryCodes != 0 {
		t.Errorf("after disable: %+v, want nothing", f)
	}
	if res := e.browser().signIn(url.Values{"email": {"carl@alpha.example"}, "password": {wsPassword}}); res.Redirect != "/w" {
		t.Errorf("sign-in after disable goes to %q, want /w (no code asked)", res.Redirect)
	}
}

func userID(t *testing.T, e *env, email string) int64 {
	t.Helper()
	u, _, err := e.db.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// TestRequireSecondFactor: once an admin requires a second factor, a member without one
// reaches only their account pages until they set one up; API tokens keep working; the
// setting is the admin's alone.
func TestRequireSecondFactor(t *testing.T) {
	e := newWSEnv(t)
	ann := e.login("ann@alpha.example")
	carl := e.login("carl@alpha.example")
	if res := carl.postCSRF("/w/account/require", url.Values{"require": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("consultant sets the requirement = %d, want 403", res.StatusCode)
	}
	if res := ann.postCSRF("/w/account/require", url.Values{"require": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin sets the requirement = %d, want 303", res.StatusCode)
	}
	tests := []struct {
		method, path string
		status       int
		redirect     string
	}{
		{http.MethodGet, "/w/clients", http.StatusSeeOther, "/w/account"},
		{http.MethodGet, "/w/portfolio", http.StatusSeeOther, "/w/account"},
		{http.MethodPost, "/w/clients", http.StatusForbidden, ""},
		{http.MethodGet, "/w/account", http.StatusOK, ""},
		{http.MethodGet, "/w/account/totp", http.StatusOK, ""},
	}
	for _, tt := range tests {
		var res *response
		if tt.method == http.MethodGet {
			res = carl.get(tt.path)
		} else {
			res = carl.postCSRF(tt.path, url.Values{"name": {"Acme"}})
		}
		if res.StatusCode != tt.status || res.Redirect != tt.redirect {
			t.Errorf("%s %s = %d %q, want %d %q", tt.method, tt.path, res.StatusCode, res.Redirect, tt.status, tt.redirect)
		}
	}
	if n := e.countRows("SELECT count(*) FROM clients WHERE name = 'Acme'"); n != 0 {
		t.Errorf("%d clients Acme created while refused, want 0", n)
	}
	if page := carl.get("/w/account?lang=en").Text; !strings.Contains(page, `data-testid="must-set-up"`) {
		t.Error("account page does not say a second factor is required")
	}
	if res := e.browser().api(http.MethodGet, "/api/v1/clients", e.token("carl@alpha.example"), ""); res.StatusCode != http.StatusOK {
		t.Errorf("API token while the requirement is unmet = %d, want 200 (tokens are unaffected)", res.StatusCode)
	}
	badge := func() string {
		t.Helper()
		m := regexpMust(fmt.Sprintf(`data-testid="2fa-%d"><span class="badge[^"]*">([^<]+)<`, userID(t, e, "carl@alpha.example"))).FindStringSubmatch(ann.get("/w/members?lang=en").Text)
		if m == nil {
			t.Fatal("members page has no two-factor badge for Carl")
		}
		return m[1]
	}
	if got := badge(); got != "Off" {
		t.Errorf("Carl's two-factor badge before set-up = %q, want Off", got)
	}
	setUpTOTP(t, e, carl)
	if got := badge(); got != "On" {
		t.Errorf("Carl's two-factor badge after set-up = %q, want On", got)
	}
	if res := carl.get("/w/clients"); res.StatusCode != http.StatusOK {
		t.Errorf("GET /w/clients with TOTP on = %d, want 200", res.StatusCode)
	}
	if got := e.auditActions(e.a.ID); !strings.Contains(strings.Join(got, " "), assessment.AuditRequireSecondFactor) {
		t.Errorf("audit log lacks the setting change: %v", got)
	}
}

// TestAuditActionsTranslated: the audit page names every action in every language, never
// by its code.
func TestAuditActionsTranslated(t *testing.T) {
	for _, lang := range []string{"da", "en", "nb", "sv"} {
		l := views.Loc{Lang: lang}
		for _, a := range assessment.AuditActions {
			if got := auditActionLabel(l, a); got == a || got == "" {
				t.Errorf("auditActionLabel(%s, %q) = %q, want a translation", lang, a, got)
			}
		}
	}
	if got := auditTargetLabel(views.Loc{Lang: "da"}, "client:3"); got != "Kunde #3" {
		t.Errorf(`auditTargetLabel(da, "client:3") = %q, want "Kunde #3"`, got)
	}
}

// TestTOTPSecretSealed: with the operator's key, the database holds the TOTP secret only
// encrypted, and sign-in with a code works; without a key it is stored marked plain.
func TestTOTPSecretSealed(t *testing.T) {
	sealer, err := auth.NewSealer(strings.Repeat("operator-key-", 3))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		opts   []option
		prefix string
	}{
		{"with a key", []option{func(c *Config) { c.Sealer = sealer }}, "v1:"},
		{"without a key", nil, "plain:"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newWSEnv(t, tt.opts...)
			secret, _ := setUpTOTP(t, e, e.login("carl@alpha.example"))
			var stored string
			if err := e.rawQuery("SELECT secret FROM totp_secrets", &stored); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(stored, tt.prefix) || (tt.prefix == "v1:" && strings.Contains(stored, secret)) {
				t.Errorf("stored secret = %q, want %s… (the secret %s not in clear with a key)", stored, tt.prefix, secret)
			}
			e.advance(30 * time.Second)
			c := passwordStep(t, e, "carl@alpha.example")
			code, _ := auth.TOTPCode(secret, e.clock())
			if res := c.post("/login/totp", url.Values{"_csrf": {promptCSRF(t, c)}, "code": {code}}); res.StatusCode != http.StatusSeeOther {
				t.Errorf("sign-in with a code = %d, want 303", res.StatusCode)
			}
			if tt.prefix != "v1:" {
				return
			}
			// The operator lost or changed the key: the secret does not open, and that is the
			// server's error (500, logged), not the member's wrong code.
			e.cfg.Sealer, _ = auth.NewSealer(strings.Repeat("another-key--", 3))
			e.restart()
			e.advance(30 * time.Second)
			c = passwordStep(t, e, "carl@alpha.example")
			code, _ = auth.TOTPCode(secret, e.clock())
			if res := c.post("/login/totp", url.Values{"_csrf": {promptCSRF(t, c)}, "code": {code}}); res.StatusCode != http.StatusInternalServerError {
				t.Errorf("sign-in under another key = %d, want 500", res.StatusCode)
			}
			if !strings.Contains(e.logs.String(), "was -secret-key changed?") {
				t.Error("the log does not say the secret key may have changed")
			}
		})
	}
}

// TestTOTPGuessesCountAsSignInFailures: someone who has the password cannot guess codes five
// at a time for ever: wrong codes count against the sign-in limits, so after five the
// password step itself is refused from that address.
func TestTOTPGuessesCountAsSignInFailures(t *testing.T) {
	e := newWSEnv(t)
	setUpTOTP(t, e, e.login("carl@alpha.example"))
	guess := passwordStep(t, e, "carl@alpha.example")
	csrf := promptCSRF(t, guess)
	for i := range assessment.MaxSecondFactorTries {
		guess.post("/login/totp", url.Values{"_csrf": {csrf}, "code": {fmt.Sprintf("%06d", 200000+i)}})
	}
	if res := e.browser().signIn(url.Values{"email": {"carl@alpha.example"}, "password": {wsPassword}}); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("password step after five wrong codes = %d, want 429", res.StatusCode)
	}
}
