package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

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
	"/ops/approvals/domains/acme-bank.dk/approve", "/ops/approvals/domains/acme-bank.dk/reject",
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
	if !strings.Contains(log.Text, "Operator audit log</h1>") || !strings.Contains(log.Text, "Approved a test into the benchmark") || !strings.Contains(log.Text, "Took a test out of the benchmark") {
		t.Error("/ops/audit does not show the approvals")
	}
	// A workspace's own log never shows an operator's actions.
	if n := e.countRows("SELECT count(*) FROM audit_events WHERE scope = 'operator' AND workspace_id IS NOT NULL"); n != 0 {
		t.Errorf("%d operator events in a workspace's log, want 0", n)
	}
}

// confirmFor confirms the result token for email through the API, a real SMTP server and
// the link's button, as a respondent does.
func confirmFor(e *env, box *mailbox, token, email string) {
	e.t.Helper()
	link := e.verifiedBy(box, token, email)
	if res := e.postForm("/verify/"+link, nil); res.StatusCode != http.StatusOK {
		e.t.Fatalf("confirming %s for %s = %d", token, email, res.StatusCode)
	}
}

// TestOpsDomains replays approval by company domain through HTTP: two tests of acme-bank.dk
// and one of rival.example are confirmed by work email (real SMTP); the console leads with
// the two domains, each with when it was first seen and its tests' profiles, and never an
// answer, a result's token or an address; the tests wait with their domain, not in the list
// of tests by name. One approval puts acme-bank.dk's latest test in the pool under
// domain:acme-bank.dk; rejecting rival.example keeps it out, and rejecting acme-bank.dk
// later takes it out again. An unknown domain is 404 and changes nothing; every decision
// lands in the operator audit log with the domain.
func TestOpsDomains(t *testing.T) {
	e := newWSEnv(t, withBaseURL("https://loyalty.example"), sendsMail)
	box := e.mailbox()
	first := e.submitAPI(company("Acme Bank", "finance", uniform(2, 4), true))
	latest := e.submitAPI(company("Acme Bank A/S", "finance", uniform(3, 5), true))
	rival := e.submitAPI(company("Rival Ltd", "retail", uniform(1, 2), true))
	confirmFor(e, box, first, "anna@acme-bank.dk")
	confirmFor(e, box, latest, "bo@acme-bank.dk")
	confirmFor(e, box, rival, "sybil@rival.example")
	plain := seedTest(t, e, "Plain Co", "CEO")
	olga := readyOperator(t, e)
	ctx := context.Background()
	idOf := func(token string) int64 {
		t.Helper()
		a, err := e.db.Assessment(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		return a.ID
	}

	page := olga.get("/ops/approvals?lang=en")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("GET /ops/approvals = %d", page.StatusCode)
	}
	d := doc(t, page.Body)
	if h := squash(d.Find(`[data-testid="domains-section"] h2`).Text()); h != "2 company domains wait" {
		t.Errorf("domains heading = %q, want 2 company domains wait", h)
	}
	var order []string
	d.Find(`[data-testid="domains-section"] article[data-domain]`).Each(func(_ int, s *goquery.Selection) {
		order = append(order, s.AttrOr("data-domain", ""))
	})
	if strings.Join(order, " ") != "acme-bank.dk rival.example" {
		t.Errorf("domains = %v, want acme-bank.dk then rival.example (first seen first)", order)
	}
	acme := d.Find(`article[data-domain="acme-bank.dk"]`)
	text := squash(acme.Text())
	for _, want := range []string{"First seen", "2 confirmed tests", "Acme Bank A/S", "Finance", "DK"} {
		if !strings.Contains(text, want) {
			t.Errorf("acme-bank.dk's card %q lacks %q", text, want)
		}
	}
	if n := acme.Find(`tbody tr`).Length(); n != 2 {
		t.Errorf("acme-bank.dk's tests = %d, want 2", n)
	}
	for _, leak := range []string{"anna", "bo@", "sybil", first, latest, rival, "as_is", "to_be"} {
		if strings.Contains(page.Text, leak) {
			t.Errorf("approvals page contains %q", leak)
		}
	}
	// The tests by name list only the one without a domain.
	var byName []string
	d.Find(`[data-testid="pending"] tbody tr`).Each(func(_ int, s *goquery.Selection) { byName = append(byName, s.AttrOr("data-test", "")) })
	if want := strconv.FormatInt(plain.ID, 10); strings.Join(byName, " ") != want {
		t.Errorf("tests waiting by name = %v, want only %s", byName, want)
	}

	entry := func() (assessment.PoolEntry, bool) {
		t.Helper()
		p, ok, err := e.db.PoolEntry(ctx, assessment.CompanyDomainKey("acme-bank.dk"))
		if err != nil {
			t.Fatal(err)
		}
		return p, ok
	}
	if _, ok := entry(); ok {
		t.Fatal("acme-bank.dk is in the pool before approval")
	}
	if res := olga.postCSRF("/ops/approvals/domains/nobody.example/approve", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("approve an unknown domain = %d, want 404", res.StatusCode)
	}
	if res := olga.postCSRF("/ops/approvals/domains/acme-bank.dk/approve", nil); res.StatusCode != http.StatusSeeOther || res.Redirect != "/ops/approvals?done=domain-approved" {
		t.Fatalf("approve acme-bank.dk = %d %q", res.StatusCode, res.Redirect)
	}
	if p, ok := entry(); !ok || p.Source != idOf(latest) {
		t.Errorf("after approval: domain:acme-bank.dk from test %d (in %v), want the latest, %d", p.Source, ok, idOf(latest))
	}
	if res := olga.postCSRF("/ops/approvals/domains/rival.example/reject", nil); res.StatusCode != http.StatusSeeOther || res.Redirect != "/ops/approvals?done=domain-rejected" {
		t.Fatalf("reject rival.example = %d %q", res.StatusCode, res.Redirect)
	}
	if n := e.countRows("SELECT count(*) FROM pool_companies WHERE key = '" + assessment.CompanyDomainKey("rival.example") + "' OR source_id = " + strconv.FormatInt(idOf(rival), 10)); n != 0 {
		t.Errorf("rejected rival.example has %d pool entries, want 0", n)
	}
	after := olga.get("/ops/approvals?lang=en&done=domain-approved")
	ad := doc(t, after.Body)
	if ad.Find(`[data-testid="domains-none"]`).Length() != 1 || !strings.Contains(after.Text, "the company&#39;s latest test enters the next release") {
		t.Errorf("after the decisions: want no domain waiting and the notice")
	}
	// The approved company is listed to take out again; the rejected one is not.
	approved := ad.Find(`[data-testid="approved-domains"] tbody tr`)
	if row := squash(approved.Text()); approved.Length() != 1 || approved.AttrOr("data-domain", "") != "acme-bank.dk" || squash(approved.Find("td").Eq(1).Text()) != "2" ||
		approved.Find(`form[action="/ops/approvals/domains/acme-bank.dk/reject"]`).Length() != 1 {
		t.Errorf("approved companies = %d rows (%q), want acme-bank.dk with its 2 tests and a take-out form", approved.Length(), row)
	}
	if h := squash(ad.Find(`[data-testid="approved-domains-section"] h2`).Text()); h != "1 approved company" {
		t.Errorf("approved heading = %q, want 1 approved company", h)
	}
	// Taken out (rejected) after approval, the company leaves the pool.
	if res := olga.postCSRF("/ops/approvals/domains/acme-bank.dk/reject", nil); res.StatusCode != http.StatusSeeOther || res.Redirect != "/ops/approvals?done=domain-removed" {
		t.Fatalf("reject acme-bank.dk = %d %q", res.StatusCode, res.Redirect)
	}
	if _, ok := entry(); ok {
		t.Error("after reject acme-bank.dk is still in the pool")
	}
	if doc(t, olga.get("/ops/approvals?lang=en").Body).Find(`[data-testid="approved-domains-none"]`).Length() != 1 {
		t.Error("after taking acme-bank.dk out: want no approved company listed")
	}

	var got []string
	for _, ev := range opsEvents(t, e) {
		if strings.HasPrefix(ev.Action, "pool.") {
			got = append(got, ev.Action+" "+ev.Target+" "+ev.ActorName+" "+ev.Address)
		}
	}
	want := []string{
		"pool.domain_rejected domain:acme-bank.dk olga 127.0.0.1",
		"pool.domain_rejected domain:rival.example olga 127.0.0.1",
		"pool.domain_approved domain:acme-bank.dk olga 127.0.0.1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("operator audit log =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	log := olga.get("/ops/audit?lang=en")
	if !strings.Contains(log.Text, "Approved a company domain for the benchmark") || !strings.Contains(log.Text, "Domain acme-bank.dk") {
		t.Error("/ops/audit does not show the domain decisions")
	}
}

// TestOpsApprovalsMore: a waiting list shows the oldest opsPageSize and says how many more
// wait, so an operator of hundreds of companies knows.
func TestOpsApprovalsMore(t *testing.T) {
	e := newWSEnv(t)
	olga := readyOperator(t, e)
	for i := range opsPageSize + 2 {
		seedTest(t, e, "Company "+strconv.Itoa(i), "CEO")
	}
	d := doc(t, olga.get("/ops/approvals?lang=en").Body)
	if n := d.Find(`[data-testid="pending"] tbody tr`).Length(); n != opsPageSize {
		t.Errorf("tests listed = %d, want %d", n, opsPageSize)
	}
	if h := squash(d.Find(`[data-testid="pending-section"] h2`).Text()); h != "102 tests wait" {
		t.Errorf("heading = %q, want 102 tests wait", h)
	}
	if more := squash(d.Find(`[data-testid="pending-more"]`).Text()); !strings.HasPrefix(more, "2 more wait:") {
		t.Errorf("more = %q, want 2 more wait", more)
	}
	if d.Find(`[data-testid="domains-more"]`).Length() != 0 {
		t.Error("domains-more shown with no domain waiting")
	}
}

// TestOpsWorkspaces: creating a workspace invites its first admin through the outbox; the
// list and a workspace's page show members and counts but no client, participant or battle;
// suspending signs its members out, refuses their sign-in (telling the right password why,
// and the wrong one nothing) and their API tokens, and leaves other workspaces alone;
// resuming lets them back. Every action is in the operator audit log.
func TestOpsWorkspaces(t *testing.T) {
	e := newWSEnv(t, withBaseURL("https://loyalty.example"))
	w := e.world("Nordic Secret Client")
	olga := readyOperator(t, e)
	ann := e.login("ann@alpha.example")
	bob := e.login("bob@beta.example")
	annToken := e.token("ann@alpha.example")

	// Bad input: named, 422/409, nothing stored.
	for _, tt := range []struct {
		name, email string
		status      int
		want        string
	}{
		{"", "new@gamma.example", http.StatusUnprocessableEntity, "a name of 1-100 characters is required"},
		{"Gamma", "not-an-address", http.StatusUnprocessableEntity, "email"},
		{"Gamma", "carl@alpha.example", http.StatusConflict, "already"},
	} {
		res := olga.postCSRF("/ops/workspaces?lang=en", url.Values{"name": {tt.name}, "admin_email": {tt.email}, "lang": {"da"}})
		if res.StatusCode != tt.status || !strings.Contains(res.Text, tt.want) {
			t.Errorf("create %q %q = %d, want %d with %q", tt.name, tt.email, res.StatusCode, tt.status, tt.want)
		}
	}
	if n := e.countRows("SELECT count(*) FROM workspaces"); n != 2 {
		t.Errorf("%d workspaces after refused creations, want 2", n)
	}
	res := olga.postCSRF("/ops/workspaces", url.Values{"name": {"Gamma Partners"}, "admin_email": {"Greta@Gamma.example"}, "lang": {"da"}})
	if res.StatusCode != http.StatusSeeOther || res.Redirect != "/ops/workspaces?done=created" {
		t.Fatalf("create workspace = %d %q", res.StatusCode, res.Redirect)
	}
	var to, body string
	if err := e.rawQuery("SELECT recipient, body_text FROM mail_outbox WHERE kind = 'invitation' ORDER BY id DESC LIMIT 1", &to, &body); err != nil {
		t.Fatal(err)
	}
	if to != "greta@gamma.example" || !strings.Contains(body, "https://loyalty.example/invite/") || !strings.Contains(body, "Gamma Partners") {
		t.Errorf("invitation to %q: %q, want greta's Danish invitation to Gamma Partners with its link", to, body)
	}

	list := olga.get("/ops/workspaces?lang=en")
	d := doc(t, list.Body)
	alpha := strings.Join(texts(d.Find(`tr[data-workspace="`+strconv.FormatInt(e.a.ID, 10)+`"]`).Find("th, td")), " ")
	// Alpha: Ann and Carl; one client, one round, one participant.
	if !strings.Contains(alpha, "Alpha Consulting 2 1 1 1") {
		t.Errorf("Alpha's row = %q, want 2 members, 1 client, 1 round, 1 participant", alpha)
	}
	page := olga.get("/ops/workspaces/" + strconv.FormatInt(e.a.ID, 10) + "?lang=en")
	members := strings.Join(texts(doc(t, page.Body).Find(`[data-testid="ops-members"] tbody`).Find("th, td")), " ")
	if !strings.Contains(members, "Ann ann@alpha.example Admin No 2 March 2026 09:00:00") || !strings.Contains(members, "Carl carl@alpha.example") {
		t.Errorf("Alpha's members = %q, want Ann (admin, no second factor, signed in 2 March 2026) and Carl", members)
	}
	for _, leak := range []string{"Nordic Secret Client", "Secret Sam", w.battle.Title, w.round.Code} {
		if strings.Contains(list.Text+page.Text, leak) {
			t.Errorf("workspace pages contain %q", leak)
		}
	}

	if res := olga.postCSRF("/ops/workspaces/"+strconv.FormatInt(e.a.ID, 10)+"/suspend", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("suspend = %d", res.StatusCode)
	}
	if res := ann.get("/w/clients"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Redirect, "/login") {
		t.Errorf("suspended member's session GET /w/clients = %d %q, want 303 to sign in", res.StatusCode, res.Redirect)
	}
	if res := ann.api(http.MethodGet, "/api/v1/clients", annToken, ""); res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Text, "suspended") {
		t.Errorf("suspended member's token = %d %s, want 401 naming the suspension", res.StatusCode, res.Text)
	}
	fresh := e.browser()
	if res := fresh.signIn(url.Values{"email": {"ann@alpha.example"}, "password": {wsPassword}}); res.StatusCode != http.StatusForbidden ||
		!strings.Contains(res.Text, "suspended by the operator") {
		t.Errorf("suspended member's sign-in = %d, want 403 saying why", res.StatusCode)
	}
	if res := fresh.signIn(url.Values{"email": {"ann@alpha.example"}, "password": {"wrong password!"}}); res.StatusCode != http.StatusUnauthorized ||
		strings.Contains(res.Text, "suspended") {
		t.Errorf("wrong password at a suspended workspace = %d, want 401 that tells nothing of the suspension", res.StatusCode)
	}
	if res := bob.get("/w/clients"); res.StatusCode != http.StatusOK {
		t.Errorf("another workspace's member = %d, want 200", res.StatusCode)
	}
	if res := olga.postCSRF("/ops/workspaces/"+strconv.FormatInt(e.a.ID, 10)+"/resume", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("resume = %d", res.StatusCode)
	}
	if res := ann.api(http.MethodGet, "/api/v1/clients", annToken, ""); res.StatusCode != http.StatusOK {
		t.Errorf("resumed member's token = %d, want 200", res.StatusCode)
	}
	if res := olga.postCSRF("/ops/workspaces/999999/suspend", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("suspend an unknown workspace = %d, want 404", res.StatusCode)
	}
	var got []string
	for _, ev := range opsEvents(t, e) {
		if strings.HasPrefix(ev.Action, "workspace.") {
			got = append(got, ev.Action+" "+ev.Target+" "+ev.ActorName)
		}
	}
	var gamma int64
	if err := e.rawQuery("SELECT id FROM workspaces WHERE name = 'Gamma Partners'", &gamma); err != nil {
		t.Fatal(err)
	}
	a := strconv.FormatInt(e.a.ID, 10)
	want := []string{"workspace.resumed workspace:" + a + " olga", "workspace.suspended workspace:" + a + " olga", "workspace.created workspace:" + strconv.FormatInt(gamma, 10) + " olga"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("operator audit log = %v, want %v", got, want)
	}
}

// TestOpsOutbox: counts by state, and a failed message's domain and error with the address's
// local part hidden; never the subject or body.
func TestOpsOutbox(t *testing.T) {
	e := newWSEnv(t)
	olga := readyOperator(t, e)
	ctx := context.Background()
	m := &assessment.Mail{Kind: assessment.MailInvitation, To: "victim.name@client.example", Subject: "Your private subject", Text: "https://x/r/secret-token", HTML: "<p>x</p>"}
	if err := e.db.EnqueueMail(ctx, m); err != nil {
		t.Fatal(err)
	}
	if err := e.db.MailFailed(ctx, m.ID, e.clock(), e.clock(), true, "550 5.1.1 <victim.name@client.example>: no such user"); err != nil {
		t.Fatal(err)
	}
	page := olga.get("/ops/outbox?lang=en")
	d := doc(t, page.Body)
	if got := strings.Join(texts(d.Find(`[data-state="failed"]`).Find("dt, dd")), " "); got != "Failed 1" {
		t.Errorf("failed count = %q, want Failed 1", got)
	}
	row := strings.Join(texts(d.Find(`[data-testid="outbox"] tbody tr`).Find("th, td")), " ")
	if row != "invitation Failed client.example 1 550 5.1.1 <…@client.example>: no such user –" {
		t.Errorf("failed message row = %q", row)
	}
	for _, leak := range []string{"victim.name", "Your private subject", "secret-token"} {
		if strings.Contains(page.Text, leak) {
			t.Errorf("outbox page contains %q", leak)
		}
	}
}

// TestOperatorSignInAudited: an operator's sign-ins and failed sign-ins are in the operator
// audit log, not a workspace's.
func TestOperatorSignInAudited(t *testing.T) {
	e := newWSEnv(t)
	addOperator(t, e)
	c := e.browser()
	if res := c.signIn(url.Values{"email": {"olga@ops.example"}, "password": {"not her password"}}); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password = %d", res.StatusCode)
	}
	operatorLogin(t, e)
	var got []string
	for _, ev := range opsEvents(t, e) {
		got = append(got, ev.Action+" "+ev.ActorName)
	}
	if strings.Join(got, "; ") != "signin.success olga; signin.failure olga" {
		t.Errorf("operator audit log = %v, want the sign-in and the failure", got)
	}
	if n := e.countRows("SELECT count(*) FROM audit_events WHERE scope = '' AND actor_name = 'olga'"); n != 0 {
		t.Errorf("%d of the operator's events outside the operator log", n)
	}
}
