package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment"
)

// addOperator makes the operator olga@ops.example with wsPassword (as if she had set it
// through her link) and returns her account.
func addOperator(t *testing.T, e *env) *assessment.User {
	t.Helper()
	ctx := context.Background()
	op, err := assessment.NewOperator("olga@ops.example")
	if err != nil {
		t.Fatal(err)
	}
	m := &assessment.Mail{Kind: assessment.MailPasswordReset, To: op.Email, Subject: "s", Text: "t", HTML: "h"}
	if err := e.db.CreateOperator(ctx, &op, "set-pw-olga", e.clock().Add(assessment.OperatorSetPasswordTTL), m); err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetPassword(ctx, op.ID, cheapHash(wsPassword), ""); err != nil {
		t.Fatal(err)
	}
	return &op
}

// operatorLogin signs the operator in with her password only (no second factor yet).
func operatorLogin(t *testing.T, e *env) *browser {
	t.Helper()
	c := e.browser()
	res := c.signIn(url.Values{"email": {"olga@ops.example"}, "password": {wsPassword}})
	if res.StatusCode != http.StatusSeeOther || res.Redirect != "/w" {
		t.Fatalf("operator login = %d %q, want 303 to /w", res.StatusCode, res.Redirect)
	}
	page := c.get("/w/account?lang=en")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("operator GET /w/account = %d", page.StatusCode)
	}
	c.csrf = csrfOf(t, page.Text)
	return c
}

// readyOperator is an operator signed in with an authenticator set up.
func readyOperator(t *testing.T, e *env) *browser {
	t.Helper()
	addOperator(t, e)
	c := operatorLogin(t, e)
	setUpTOTP(t, e, c)
	return c
}

var opsPages = []string{"/ops/approvals", "/ops/pool", "/ops/workspaces", "/ops/outbox", "/ops/audit"}

var opsPosts = []string{"/ops/approvals/1/approve", "/ops/approvals/1/reject", "/ops/approvals/1/unverify",
	"/ops/workspaces", "/ops/workspaces/1/suspend", "/ops/workspaces/1/resume"}

// TestOpsAccess: nobody but an operator with a second factor reaches the console. Signed out
// is sent to sign in; a member (an admin too) gets 404 for every page and action; an operator
// without a second factor is sent to set one up (403 for an action) and is kept out of the
// workspace pages; with one, every section answers.
func TestOpsAccess(t *testing.T) {
	e := newWSEnv(t)
	anon := e.browser()
	for _, path := range opsPages {
		if res := anon.get(path); res.StatusCode != http.StatusSeeOther || res.Redirect != "/login?next="+url.QueryEscape(path) {
			t.Errorf("signed out GET %s = %d %q, want 303 to sign in", path, res.StatusCode, res.Redirect)
		}
	}
	ann := e.login("ann@alpha.example")
	for _, path := range append([]string{"/ops"}, opsPages...) {
		if res := ann.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("admin GET %s = %d, want 404", path, res.StatusCode)
		}
	}
	for _, path := range opsPosts {
		if res := ann.postCSRF(path, url.Values{"name": {"X"}, "admin_email": {"x@x.example"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("admin POST %s = %d, want 404", path, res.StatusCode)
		}
	}

	addOperator(t, e)
	olga := operatorLogin(t, e)
	for _, path := range append([]string{"/ops"}, opsPages...) {
		if res := olga.get(path); res.StatusCode != http.StatusSeeOther || res.Redirect != "/w/account" {
			t.Errorf("operator without a second factor GET %s = %d %q, want 303 to /w/account", path, res.StatusCode, res.Redirect)
		}
	}
	for _, path := range opsPosts {
		if res := olga.postCSRF(path, nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("operator without a second factor POST %s = %d, want 403", path, res.StatusCode)
		}
	}
	if n := e.countRows("SELECT count(*) FROM workspaces WHERE suspended_at <> ''"); n != 0 {
		t.Errorf("%d workspaces suspended by refused requests, want 0", n)
	}
	// An operator is a member of no workspace: its pages lead to the console, its data is 404.
	for path, want := range map[string]int{"/w/clients": http.StatusSeeOther, "/w/members": http.StatusSeeOther, "/w/audit": http.StatusSeeOther} {
		if res := olga.get(path); res.StatusCode != want || res.Redirect != "/ops" {
			t.Errorf("operator GET %s = %d %q, want %d to /ops", path, res.StatusCode, res.Redirect, want)
		}
	}
	if res := olga.postCSRF("/w/clients", url.Values{"name": {"Sneaky"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("operator POST /w/clients = %d, want 404", res.StatusCode)
	}
	account := olga.get("/w/account?lang=en")
	if account.StatusCode != http.StatusOK || !strings.Contains(account.Text, `href="/ops/approvals"`) || strings.Contains(account.Text, `href="/w/clients"`) {
		t.Errorf("operator's account page = %d, want the console's navigation and no workspace's", account.StatusCode)
	}

	setUpTOTP(t, e, olga)
	for _, path := range opsPages {
		if res := olga.get(path + "?lang=en"); res.StatusCode != http.StatusOK {
			t.Errorf("operator GET %s = %d, want 200", path, res.StatusCode)
		}
	}
	if res := olga.get("/ops"); res.StatusCode != http.StatusSeeOther || res.Redirect != "/ops/approvals" {
		t.Errorf("GET /ops = %d %q, want 303 to /ops/approvals", res.StatusCode, res.Redirect)
	}
	// CSRF: every action without the session's token is refused and changes nothing.
	for _, path := range opsPosts {
		if res := olga.post(path, url.Values{"name": {"Gamma"}, "admin_email": {"g@gamma.example"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s without _csrf = %d, want 403", path, res.StatusCode)
		}
	}
	if n := e.countRows("SELECT count(*) FROM workspaces"); n != 2 {
		t.Errorf("%d workspaces after forged requests, want 2", n)
	}
}

// seedTest stores a consenting test with a profile and returns it.
func seedTest(t *testing.T, e *env, name, role string) *assessment.Assessment {
	t.Helper()
	r := make(assessment.Ratings, assessment.CompetencyCount)
	for i := range r {
		r[i] = assessment.Rating{AsIs: 2, ToBe: 5}
	}
	a := &assessment.Assessment{QuestionnaireVersion: e.q.Version, Lang: "en", Role: role, BenchmarkConsent: true, Ratings: r,
		Company: assessment.Company{Name: name, Industry: "retail", Size: "50-249", Country: "DK", NPSYears: "1-5"}}
	if err := e.db.CreateAssessment(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

// opsEvents returns the operator audit log's actions, newest first, with their actors and
// addresses.
func opsEvents(t *testing.T, e *env) []assessment.AuditEvent {
	t.Helper()
	es, err := e.db.OperatorAuditEvents(context.Background(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// TestOpsApprovals: the pending list shows a test's profile and nothing of its answers;
// approve, reject and take out do what the CLI does and each lands in the operator audit
// log with the operator and the address.
func TestOpsApprovals(t *testing.T) {
	e := newWSEnv(t)
	olga := readyOperator(t, e)
	a := seedTest(t, e, "Acme Bank A/S", "Chief Secret Officer")
	b := seedTest(t, e, "Fake & Co <b>", "Sybil")
	page := olga.get("/ops/approvals?lang=en")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("GET /ops/approvals = %d", page.StatusCode)
	}
	d := doc(t, page.Body)
	if n := d.Find(`[data-testid="pending"] tbody tr`).Length(); n != 2 {
		t.Errorf("pending rows = %d, want 2", n)
	}
	row := squash(d.Find(`tr[data-test="` + strconv.FormatInt(a.ID, 10) + `"]`).Text())
	for _, want := range []string{"Acme Bank A/S", "DK", "2 March 2026"} {
		if !strings.Contains(row, want) {
			t.Errorf("pending row %q lacks %q", row, want)
		}
	}
	// No answers: not the role, not the result's token (the key to its answers), no rating.
	for _, leak := range []string{"Chief Secret Officer", a.Token, b.Token, "<b>", "as_is", "to_be"} {
		if strings.Contains(page.Text, leak) {
			t.Errorf("approvals page contains %q", leak)
		}
	}
	if res := olga.postCSRF("/ops/approvals/"+strconv.FormatInt(a.ID, 10)+"/approve", nil); res.StatusCode != http.StatusSeeOther || res.Redirect != "/ops/approvals?done=approved" {
		t.Fatalf("approve = %d %q", res.StatusCode, res.Redirect)
	}
	if res := olga.postCSRF("/ops/approvals/"+strconv.FormatInt(b.ID, 10)+"/reject", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reject = %d", res.StatusCode)
	}
	if res := olga.postCSRF("/ops/approvals/"+strconv.FormatInt(a.ID, 10)+"/reject", nil); res.StatusCode != http.StatusConflict ||
		!strings.Contains(res.Text, "does not wait for approval") {
		t.Errorf("reject an approved test = %d, want 409 with the reason", res.StatusCode)
	}
	if res := olga.postCSRF("/ops/approvals/999999/approve", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("approve an unknown test = %d, want 404", res.StatusCode)
	}
	if n := e.countRows("SELECT count(*) FROM pool_companies WHERE source_id = " + strconv.FormatInt(a.ID, 10)); n != 1 {
		t.Errorf("approved test in the pool %d times, want 1", n)
	}
	after := doc(t, olga.get("/ops/approvals?lang=en").Body)
	if after.Find(`[data-testid="pending-none"]`).Length() != 1 || after.Find(`[data-testid="verified"] tbody tr`).Length() != 1 {
		t.Error("after approve and reject: want nothing pending and one approved test")
	}
	if res := olga.postCSRF("/ops/approvals/"+strconv.FormatInt(a.ID, 10)+"/unverify", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unverify = %d", res.StatusCode)
	}
	if n := e.countRows("SELECT count(*) FROM pool_companies WHERE source_id = " + strconv.FormatInt(a.ID, 10)); n != 0 {
		t.Errorf("test taken out still in the pool %d times", n)
	}
	if res := olga.postCSRF("/ops/approvals/"+strconv.FormatInt(a.ID, 10)+"/unverify", nil); res.StatusCode != http.StatusConflict {
		t.Errorf("unverify twice = %d, want 409", res.StatusCode)
	}
	es := opsEvents(t, e)
	op, _, err := e.db.UserByEmail(context.Background(), "olga@ops.example")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ev := range es {
		if ev.Action == assessment.AuditSignIn {
			continue
		}
		got = append(got, ev.Action+" "+ev.Target+" "+ev.ActorName+" "+ev.Address)
	}
	want := []string{
		"pool.test_unverified result:" + strconv.FormatInt(a.ID, 10) + " olga 127.0.0.1",
		"pool.test_rejected result:" + strconv.FormatInt(b.ID, 10) + " olga 127.0.0.1",
		"pool.test_approved result:" + strconv.FormatInt(a.ID, 10) + " olga 127.0.0.1",
		"second_factor.added member:" + strconv.FormatInt(op.ID, 10) + " olga 127.0.0.1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("operator audit log =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	log := olga.get("/ops/audit?lang=en")
	if !strings.Contains(log.Text, "Approved a test into the benchmark") || !strings.Contains(log.Text, "Took a test out of the benchmark") {
		t.Error("/ops/audit does not show the approvals")
	}
	// A workspace's own log never shows an operator's actions.
	if n := e.countRows("SELECT count(*) FROM audit_events WHERE scope = 'operator' AND workspace_id IS NOT NULL"); n != 0 {
		t.Errorf("%d operator events in a workspace's log, want 0", n)
	}
}
