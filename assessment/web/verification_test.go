package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

var verifyLinkRe = regexp.MustCompile(`https://loyalty\.example/verify/([A-Za-z0-9_-]+)\?lang=[a-z]+`)

// requestVerify posts a verification of result token for email through the API.
func (e *env) requestVerify(token, email string, header ...string) *response {
	e.t.Helper()
	return e.postJSON("/api/v1/assessments/"+token+"/verification", mustJSON(e.t, map[string]any{"email": email}), header...)
}

// verifiedBy sends a verification of token to email, delivers it and returns the link's token.
func (e *env) verifiedBy(box *mailbox, token, email string) string {
	e.t.Helper()
	before := len(box.srv.Messages())
	if res := e.requestVerify(token, email); res.StatusCode != http.StatusAccepted {
		e.t.Fatalf("verification of %s by %s = %d %s, want 202", token, email, res.StatusCode, res.Body)
	}
	msgs := box.deliver()
	if len(msgs) != before+1 {
		e.t.Fatalf("%d messages delivered, want %d", len(msgs), before+1)
	}
	return linkIn(e.t.(*testing.T), msgs[before], verifyLinkRe)
}

// TestVerificationByWorkEmail replays the flow through HTTP and SMTP: the result page offers
// the form; the API answers 202 with the domain; the link reaches a real SMTP server in the
// result's language; opening it confirms nothing; its button confirms once; the result page
// says which domain it counts for, that it waits for approval, and that deleting takes it
// out; the address is nowhere in the database once the message is sent; a second
// verification of the result is 409.
func TestVerificationByWorkEmail(t *testing.T) {
	e := newEnv(t, withBaseURL("https://loyalty.example"), sendsMail)
	box := e.mailbox()
	body := company("Acme Bank", "finance", uniform(2, 4), true)
	body["lang"] = "da"
	token := e.submitAPI(body)
	if d := doc(t, e.get("/r/"+token+"?lang=da").Body); d.Find(`[data-testid="verify-card"] form[action="/r/`+token+`/verification"]`).Length() != 1 {
		t.Fatalf("the result page has no verification form")
	}

	res := e.requestVerify(token, "  Anna@ACME-Bank.dk ")
	var sent struct{ Status, Domain string }
	if res.StatusCode != http.StatusAccepted || json.Unmarshal(res.Body, &sent) != nil || sent.Status != "sent" || sent.Domain != "acme-bank.dk" {
		t.Fatalf("POST verification = %d %s, want 202 sent acme-bank.dk", res.StatusCode, res.Body)
	}
	msgs := box.deliver()
	if len(msgs) != 1 || msgs[0].To[0] != "anna@acme-bank.dk" || msgs[0].Subject != "Bekræft din virksomhed til LOYALTY-benchmarket" {
		t.Fatalf("delivered %+v, want one Danish message to anna@acme-bank.dk", msgs)
	}
	link := linkIn(t, msgs[0], verifyLinkRe)
	if n := e.countRows("SELECT count(*) FROM mail_outbox WHERE recipient <> '' OR body_text <> '' OR body_html <> ''"); n != 0 {
		t.Errorf("%d sent verification messages keep the address or the link, want 0", n)
	}
	if n := e.countRows("SELECT count(*) FROM verification_requests WHERE token_hash = '" + link + "'"); n != 0 {
		t.Errorf("the link's token is stored as it is, want only its hash")
	}

	// Opening the link (as a mail scanner would) changes nothing.
	for range 2 {
		page := e.get("/verify/" + link + "?lang=da")
		if page.StatusCode != http.StatusOK || !strings.Contains(doc(t, page.Body).Find(`[data-testid="verify-confirm"]`).Text(), "acme-bank.dk") {
			t.Fatalf("GET /verify = %d, want 200 with the confirm button naming acme-bank.dk", page.StatusCode)
		}
	}
	if n := e.countRows("SELECT count(*) FROM assessments WHERE verified_domain <> ''") + e.countRows("SELECT count(*) FROM email_domains"); n != 0 {
		t.Fatalf("opening the link confirmed something (%d rows), want nothing before the button", n)
	}

	done := e.postForm("/verify/"+link+"?lang=da", nil)
	if done.StatusCode != http.StatusOK || !strings.Contains(doc(t, done.Body).Find(`[data-testid="verify-done"]`).Text(), "acme-bank.dk") {
		t.Fatalf("POST /verify = %d %s, want 200 saying acme-bank.dk", done.StatusCode, done.Body)
	}
	card := doc(t, e.get("/r/"+token+"?lang=en").Body).Find(`[data-testid="verify-status"]`)
	if text := squash(card.Text()); !strings.Contains(text, "Counted for acme-bank.dk") || !strings.Contains(text, "once the operator has approved the domain") ||
		!strings.Contains(text, "Deleting the result takes it out") {
		t.Errorf("result page after confirming: %q, want the domain, the wait for approval and deletion", text)
	}
	if n := e.countRows("SELECT count(*) FROM verification_requests WHERE domain <> 'acme-bank.dk'") + e.countRows("SELECT count(*) FROM mail_outbox WHERE recipient LIKE '%anna%'"); n != 0 {
		t.Errorf("the address is kept (%d rows), want only the domain", n)
	}

	again := e.postForm("/verify/"+link, nil)
	if again.StatusCode != http.StatusGone || !strings.Contains(doc(t, again.Body).Find(`[data-testid="verify-failed"]`).Text(), "used already") {
		t.Errorf("the used link = %d, want 410 saying it was used", again.StatusCode)
	}
	if res := e.requestVerify(token, "bo@acme-bank.dk"); res.StatusCode != http.StatusConflict {
		t.Errorf("a second verification of a confirmed result = %d, want 409", res.StatusCode)
	}

	// Approved, the result counts from the next release; the page says so.
	if ok, err := e.db.ApproveDomain(context.Background(), e.q, "acme-bank.dk"); err != nil || !ok {
		t.Fatalf("ApproveDomain = %v, %v", ok, err)
	}
	if text := squash(doc(t, e.get("/r/"+token+"?lang=en").Body).Find(`[data-testid="verify-status"]`).Text()); !strings.Contains(text, "from its next release") {
		t.Errorf("result page after approval: %q, want it to count from the next release", text)
	}
	// Deleting the result takes it out of the pool.
	if res := e.do(e.request(http.MethodDelete, "/api/v1/assessments/"+token, nil)); res.StatusCode >= 400 {
		t.Fatalf("delete = %d", res.StatusCode)
	}
	if n := e.countRows("SELECT count(*) FROM pool_companies"); n != 0 {
		t.Errorf("after deleting the result, %d pool entries, want 0", n)
	}
}

// TestVerificationRefused: a free-mail, throw-away, malformed or non-ASCII address is 422
// naming what is wrong (the page in its language); a result without consent is 409; nothing
// is stored or sent.
func TestVerificationRefused(t *testing.T) {
	e := newEnv(t, withBaseURL("https://loyalty.example"), sendsMail)
	token := e.submitAPI(company("Acme", "finance", uniform(2, 4), true))
	for _, tt := range []struct{ email, want string }{
		{"anna@gmail.com", "gmail.com is a free email service"},
		{"anna@hotmail.dk", "hotmail.dk is a free email service"},
		{"anna@abyssemail.com", "abyssemail.com is a throw-away mailbox service"},
		{"anna@bänk.dk", "bänk.dk is not in ASCII"},
		{"not an address", "is not an email address"},
		{"anna@localhost", "is not an email address"},
	} {
		res := e.requestVerify(token, tt.email)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), tt.want) {
			t.Errorf("verification by %q = %d %s, want 422 saying %q", tt.email, res.StatusCode, res.Body, tt.want)
		}
	}
	form := e.postForm("/r/"+token+"/verification?lang=da", url.Values{"email": {"anna@gmail.com"}})
	if msg := doc(t, form.Body).Find(`[data-testid="verify-error"]`).Text(); form.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(msg, "gmail.com er en gratis mailtjeneste") {
		t.Errorf("the Danish form with gmail.com = %d %q, want 422 with the reason in Danish", form.StatusCode, msg)
	}
	private := e.submitAPI(company("Acme", "finance", uniform(2, 4), false))
	if res := e.requestVerify(private, "anna@acme.dk"); res.StatusCode != http.StatusConflict {
		t.Errorf("verifying a result without consent = %d, want 409", res.StatusCode)
	}
	if d := doc(t, e.get("/r/"+private).Body); d.Find(`[data-testid="verify-card"]`).Length() != 0 {
		t.Errorf("a result without consent offers verification")
	}
	if n := e.countRows("SELECT count(*) FROM verification_requests") + e.countRows("SELECT count(*) FROM mail_outbox"); n != 0 {
		t.Errorf("%d rows stored after refusals, want 0", n)
	}
	if res := e.get("/verify/nonexistent-token-aaaaaaaaaaaaaaaa"); res.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown link = %d, want 404", res.StatusCode)
	}

	off := newEnv(t)
	tok := off.submitAPI(company("Acme", "finance", uniform(2, 4), true))
	if res := off.requestVerify(tok, "anna@acme.dk"); res.StatusCode != http.StatusNotFound {
		t.Errorf("without a relay, verification = %d, want 404", res.StatusCode)
	}
}

// TestVerificationLimits: three links an hour per result and per address, thirty per domain,
// then 429 with Retry-After; an hour later it works again.
func TestVerificationLimits(t *testing.T) {
	e := newEnv(t, withBaseURL("https://loyalty.example"), sendsMail, behindProxy)
	from := func(i int) (string, string) { return "X-Forwarded-For", fmt.Sprintf("192.0.2.%d", i) }
	one := e.submitAPI(company("Acme", "finance", uniform(2, 4), true))
	for i := range 3 {
		if res := e.requestVerify(one, fmt.Sprintf("p%d@acme.dk", i), pair(from(1))...); res.StatusCode != http.StatusAccepted {
			t.Fatalf("link %d for one result = %d, want 202", i+1, res.StatusCode)
		}
	}
	if res := e.requestVerify(one, "p9@acme.dk", pair(from(2))...); res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("the 4th link for one result = %d (Retry-After %q), want 429 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
	}
	for i := range 3 {
		r := e.submitAPI(company("Beta", "finance", uniform(2, 4), true))
		if res := e.requestVerify(r, "same@beta.dk", pair(from(10+i))...); res.StatusCode != http.StatusAccepted {
			t.Fatalf("link %d to one address = %d, want 202", i+1, res.StatusCode)
		}
	}
	r := e.submitAPI(company("Beta", "finance", uniform(2, 4), true))
	if res := e.requestVerify(r, "same@beta.dk", pair(from(20))...); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the 4th link to one address = %d, want 429", res.StatusCode)
	}
	for i := range maxVerifyDomain {
		r := e.submitAPI(company("Gamma", "finance", uniform(2, 4), true))
		if res := e.requestVerify(r, fmt.Sprintf("p%d@gamma.dk", i), pair(from(30+i%200))...); res.StatusCode != http.StatusAccepted {
			t.Fatalf("link %d to one domain = %d %s, want 202", i+1, res.StatusCode, res.Body)
		}
	}
	last := e.submitAPI(company("Gamma", "finance", uniform(2, 4), true))
	if res := e.requestVerify(last, "new@gamma.dk", pair(from(250))...); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("link %d to one domain in an hour = %d, want 429", maxVerifyDomain+1, res.StatusCode)
	}
	e.advance(time.Hour + time.Minute)
	if res := e.requestVerify(last, "new@gamma.dk", pair(from(250))...); res.StatusCode != http.StatusAccepted {
		t.Errorf("an hour later = %d, want 202", res.StatusCode)
	}
}

// TestVerificationExpiredLink: a link older than 24 hours shows why it does not work, and its
// button would confirm nothing.
func TestVerificationExpiredLink(t *testing.T) {
	e := newEnv(t, withBaseURL("https://loyalty.example"), sendsMail)
	box := e.mailbox()
	token := e.submitAPI(company("Acme", "finance", uniform(2, 4), true))
	link := e.verifiedBy(box, token, "anna@acme.dk")
	e.advance(assessment.VerificationTTL)
	for _, res := range []*response{e.get("/verify/" + link), e.postForm("/verify/"+link, nil)} {
		if res.StatusCode != http.StatusGone || !strings.Contains(doc(t, res.Body).Find(`[data-testid="verify-failed"]`).Text(), "expired") {
			t.Errorf("the expired link = %d, want 410 saying it expired", res.StatusCode)
		}
	}
	if n := e.countRows("SELECT count(*) FROM assessments WHERE verified_domain <> ''") + e.countRows("SELECT count(*) FROM email_domains"); n != 0 {
		t.Errorf("an expired link changed %d rows, want none", n)
	}
}

// TestVerificationSybil replays the attack the domain register stops: one person with one
// mailbox at a new domain confirms many results. Before the operator approves the domain,
// none counts: with four verified companies and the attacker's domain, nothing is published.
// Once approved, the domain is one company, its latest result: five companies, not nine.
func TestVerificationSybil(t *testing.T) {
	e := newEnv(t, withBaseURL("https://loyalty.example"), sendsMail)
	box := e.mailbox()
	for i := range 4 {
		e.verify(e.submitAPI(company(fmt.Sprintf("Peer %d", i), "finance", uniform(3, 3), true)))
	}
	var own []string
	for i, a := range []int{1, 5, 1, 5, 2} {
		tok := e.submitAPI(company(fmt.Sprintf("Sock puppet %d", i), "finance", uniform(a, a), true))
		link := e.verifiedBy(box, tok, "mallory@puppets.example")
		if res := e.postForm("/verify/"+link, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("confirming puppet %d = %d", i, res.StatusCode)
		}
		own = append(own, tok)
		e.advance(21 * time.Minute) // three links an hour per address
	}
	e.nextDay()
	if p := e.read("/api/v1/benchmark"); p.Available {
		t.Fatalf("with four companies and a pending domain's five results: %s, want nothing published", p.body)
	}
	if ok, err := e.db.ApproveDomain(context.Background(), e.q, "puppets.example"); err != nil || !ok {
		t.Fatalf("ApproveDomain = %v, %v", ok, err)
	}
	e.nextDay()
	p := e.read("/api/v1/benchmark")
	if !p.Available || p.n() != 5 {
		t.Fatalf("after the domain's approval: %d companies published, want 5 (four peers and one domain)", p.n())
	}
	a, err := e.db.Assessment(context.Background(), own[len(own)-1])
	if err != nil {
		t.Fatal(err)
	}
	if entry, ok, _ := e.db.PoolEntry(context.Background(), assessment.CompanyDomainKey("puppets.example")); !ok || entry.Source != a.ID {
		t.Errorf("the domain's pool entry comes from test %d, want the latest, %d", entry.Source, a.ID)
	}
}

// pair turns a header's name and value into the arguments env.request takes.
func pair(name, value string) []string { return []string{name, value} }
