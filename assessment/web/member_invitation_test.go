package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/email"
	"github.com/loyalty-cx/loyalty/assessment/email/smtptest"
)

// mailbox is a real SMTP server with a worker that sends the test server's outbox to it on
// demand, on the test server's clock.
type mailbox struct {
	e      *env
	srv    *smtptest.Server
	worker *email.Worker
}

func (e *env) mailbox() *mailbox {
	e.t.Helper()
	srv := smtptest.Start(e.t, "", "")
	sender, err := email.NewSMTP(email.Config{URL: "smtp://" + srv.Addr, From: "LOYALTY <noreply@loyalty.example>"})
	if err != nil {
		e.t.Fatal(err)
	}
	return &mailbox{e: e, srv: srv, worker: &email.Worker{Outbox: e.db, Sender: sender, Log: slog.New(slog.NewTextHandler(e.logs, nil)), Now: e.clock}}
}

// deliver sends what is due and returns every message the server has accepted so far.
func (m *mailbox) deliver() []smtptest.Message {
	m.e.t.Helper()
	if _, _, err := m.worker.RunOnce(context.Background()); err != nil {
		m.e.t.Fatal(err)
	}
	return m.srv.Messages()
}

var inviteLinkRe = regexp.MustCompile(`https://loyalty\.example/invite/([A-Za-z0-9_-]+)`)

// linkIn returns the token of the invitation link in msg's text, checking that the HTML
// carries the same link.
func linkIn(t *testing.T, msg smtptest.Message, re *regexp.Regexp) string {
	t.Helper()
	m := re.FindStringSubmatch(msg.Text)
	if m == nil || !strings.Contains(msg.HTML, m[0]) {
		t.Fatalf("no link %s in both bodies:\n%s\n%s", re, msg.Text, msg.HTML)
	}
	return m[1]
}

// TestInvitationByEmail replays the whole flow through HTTP and SMTP: an admin invites a
// colleague on the members page; the invitation (in the admin's language) reaches a real SMTP
// server; its link lets the colleague choose a name and password and signs them in; the link
// then no longer works; a short password is refused with nothing stored; the database holds
// only the token's hash, and the delivered message's body is erased.
func TestInvitationByEmail(t *testing.T) {
	e := newWSEnv(t, withBaseURL("https://loyalty.example"))
	box := e.mailbox()
	ann := e.login("ann@alpha.example")

	res := ann.postCSRF("/w/invitations?lang=da", url.Values{"email": {"  Dora@Alpha.example "}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Redirect, "/w/members?done=invited&invitation=") {
		t.Fatalf("POST /w/invitations = %d %q, want 303 to the members page", res.StatusCode, res.Redirect)
	}
	page := ann.get(res.Redirect)
	if n := doc(t, page.Body).Find(`[data-testid="members-notice"]`).Text(); !strings.Contains(n, "dora@alpha.example") || !strings.Contains(n, "serverens log") {
		t.Errorf("notice = %q, want it to say the link went to the server log (no relay configured)", n)
	}
	if rows := doc(t, page.Body).Find(`[data-testid="invitations"] tbody tr`); rows.Length() != 1 || !strings.Contains(rows.Text(), "dora@alpha.example") {
		t.Errorf("pending invitations = %q, want dora's", rows.Text())
	}

	msgs := box.deliver()
	if len(msgs) != 1 || msgs[0].To[0] != "dora@alpha.example" || msgs[0].Subject != "Ann inviterer dig til Alpha Consulting på LOYALTY" {
		t.Fatalf("delivered %+v, want one Danish invitation to dora", msgs)
	}
	tok := linkIn(t, msgs[0], inviteLinkRe)
	if n := e.countRows("SELECT count(*) FROM member_invitations WHERE token_hash = '" + tok + "'"); n != 0 {
		t.Error("the invitation's token is stored in clear")
	}
	if n := e.countRows("SELECT count(*) FROM mail_outbox WHERE body_text <> '' OR body_html <> ''"); n != 0 {
		t.Errorf("%d delivered messages keep their bodies (and link), want 0", n)
	}

	dora := e.browser()
	form := dora.get("/invite/" + tok)
	if form.StatusCode != http.StatusOK || !strings.Contains(form.Text, "Alpha Consulting") || !strings.Contains(form.Text, `value="dora@alpha.example"`) {
		t.Fatalf("GET /invite = %d, want the form naming the workspace and the address", form.StatusCode)
	}
	res = dora.post("/invite/"+tok, url.Values{"name": {"Dora"}, "password": {"short"}})
	if res.StatusCode != http.StatusUnprocessableEntity || doc(t, res.Body).Find(`[data-testid="invite-error"]`).Length() != 1 {
		t.Fatalf("a short password = %d, want 422 with the reason", res.StatusCode)
	}
	if _, _, err := e.db.UserByEmail(context.Background(), "dora@alpha.example"); err == nil {
		t.Fatal("a refused form stored the account")
	}
	res = dora.post("/invite/"+tok, url.Values{"name": {"Dora <b>D</b>"}, "password": {"a long enough passphrase"}})
	if res.StatusCode != http.StatusSeeOther || res.Redirect != "/w" {
		t.Fatalf("accepting = %d %q, want 303 to /w", res.StatusCode, res.Redirect)
	}
	members := dora.get("/w/members")
	if members.StatusCode != http.StatusOK || !strings.Contains(members.Text, "Dora &lt;b&gt;D&lt;/b&gt;") {
		t.Fatalf("the new member's members page = %d, want it signed in and the name escaped", members.StatusCode)
	}
	if u, _, err := e.db.UserByEmail(context.Background(), "dora@alpha.example"); err != nil || u.Role != assessment.RoleConsultant || u.WorkspaceID != e.a.ID {
		t.Errorf("dora = %+v, %v; want a consultant of Alpha", u, err)
	}

	again := e.browser().post("/invite/"+tok, url.Values{"name": {"Mallory"}, "password": {"a long enough passphrase"}}, "Accept-Language", "sv")
	if again.StatusCode != http.StatusGone || !strings.Contains(doc(t, again.Body).Find(`[data-testid="invite-problem"]`).Text(), "redan använts") {
		t.Errorf("a used link = %d, want 410 saying (in Swedish) it was used", again.StatusCode)
	}
	if unknown := e.browser().get("/invite/not-a-real-token"); unknown.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown link = %d, want 404", unknown.StatusCode)
	}
	if got := strings.Join(e.auditActions(e.a.ID), " "); !strings.Contains(got, assessment.AuditInvitationSent) || !strings.Contains(got, assessment.AuditInvitationAccepted) {
		t.Errorf("Alpha's audit log = %q, want the invitation sent and accepted", got)
	}
}

// TestInvitationAPI: an admin's token invites (201 with Location), lists and withdraws; a
// member's address is 409, bad input 422 naming both fields with nothing stored, a
// consultant 403, another workspace 404; an expired link says so in the invitee's language.
func TestInvitationAPI(t *testing.T) {
	e := newWSEnv(t, withBaseURL("https://loyalty.example"))
	box := e.mailbox()
	c := e.browser()
	ann, carl, bob := e.token("ann@alpha.example"), e.token("carl@alpha.example"), e.token("bob@beta.example")

	res := c.api(http.MethodPost, "/api/v1/invitations", ann, `{"email":"eve@elsewhere.example","role":"admin"}`)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/v1/invitations = %d %s", res.StatusCode, res.Text)
	}
	var inv apiInvitationOut
	if err := json.Unmarshal(res.Body, &inv); err != nil {
		t.Fatal(err)
	}
	want := apiInvitationOut{ID: inv.ID, Email: "eve@elsewhere.example", Role: "admin", ExpiresAt: "2026-03-09T09:00:00Z"}
	if inv != want || res.Header.Get("Location") != "/api/v1/invitations/"+strconv.FormatInt(inv.ID, 10) {
		t.Errorf("created = %+v (Location %q), want %+v", inv, res.Header.Get("Location"), want)
	}
	if got := c.api(http.MethodGet, "/api/v1/invitations/"+strconv.FormatInt(inv.ID, 10), ann, ""); got.StatusCode != http.StatusOK {
		t.Errorf("GET its Location = %d, want 200", got.StatusCode)
	}

	for _, tt := range []struct {
		name, token, body string
		status            int
		want              string
	}{
		{"a member's address", ann, `{"email":"carl@alpha.example","role":"member"}`, http.StatusConflict, "carl@alpha.example"},
		{"bad address and role", ann, `{"email":"not an address","role":"owner"}`, http.StatusUnprocessableEntity, `"role"`},
		{"role left out", ann, `{"email":"x@y.example"}`, http.StatusUnprocessableEntity, `"role"`},
		{"a consultant", carl, `{"email":"x@y.example","role":"member"}`, http.StatusForbidden, ""},
	} {
		h := []string{}
		if tt.status == http.StatusUnprocessableEntity {
			h = []string{uncheckedRequest, "invalid on purpose"}
		}
		got := c.api(http.MethodPost, "/api/v1/invitations", tt.token, tt.body, h...)
		if got.StatusCode != tt.status || !strings.Contains(got.Text, tt.want) {
			t.Errorf("%s: POST = %d %s, want %d naming %s", tt.name, got.StatusCode, got.Text, tt.status, tt.want)
		}
	}
	if n := e.countRows("SELECT count(*) FROM member_invitations"); n != 1 {
		t.Errorf("%d invitations stored, want 1: refused requests store nothing", n)
	}
	if n := e.countRows("SELECT count(*) FROM mail_outbox"); n != 1 {
		t.Errorf("%d messages in the outbox, want 1", n)
	}

	if got := c.api(http.MethodDelete, "/api/v1/invitations/"+strconv.FormatInt(inv.ID, 10), bob, ""); got.StatusCode != http.StatusNotFound {
		t.Errorf("another workspace's DELETE = %d, want 404", got.StatusCode)
	}
	list := c.api(http.MethodGet, "/api/v1/invitations", ann, "")
	if list.StatusCode != http.StatusOK || !strings.Contains(list.Text, "eve@elsewhere.example") {
		t.Errorf("GET list = %d %s", list.StatusCode, list.Text)
	}
	if got := c.api(http.MethodDelete, "/api/v1/invitations/"+strconv.FormatInt(inv.ID, 10), ann, ""); got.StatusCode != http.StatusNoContent {
		t.Errorf("DELETE = %d, want 204", got.StatusCode)
	}
	if got := c.api(http.MethodGet, "/api/v1/invitations", ann, ""); !strings.Contains(got.Text, `"invitations":[]`) {
		t.Errorf("after withdrawing, list = %s, want empty", got.Text)
	}
	tok := linkIn(t, box.deliver()[0], inviteLinkRe)
	if got := e.browser().get("/invite/" + tok); got.StatusCode != http.StatusGone {
		t.Errorf("a withdrawn link = %d, want 410", got.StatusCode)
	}

	// An invitation that is 7 days old no longer works, and says so in Norwegian.
	if res := c.api(http.MethodPost, "/api/v1/invitations", ann, `{"email":"fay@elsewhere.example","role":"member"}`, "Accept-Language", "nb"); res.StatusCode != http.StatusCreated {
		t.Fatalf("POST = %d", res.StatusCode)
	}
	msgs := box.deliver()
	if len(msgs) != 2 || !strings.Contains(msgs[1].Subject, "inviterer deg") {
		t.Fatalf("delivered %d messages, the last %q; want a Norwegian invitation", len(msgs), msgs[len(msgs)-1].Subject)
	}
	tok = linkIn(t, msgs[1], inviteLinkRe)
	e.advance(assessment.InvitationTTL)
	got := e.browser().get("/invite/"+tok, "Accept-Language", "nb")
	if got.StatusCode != http.StatusGone || !strings.Contains(got.Text, "har utløpt") {
		t.Errorf("an expired link = %d, want 410 saying it expired", got.StatusCode)
	}
}
