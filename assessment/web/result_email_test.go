package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func sendsMail(c *Config) { c.Mail.Delivers = true }

// TestEmailMeMyLink: with a relay, the result page's "email it to myself" leads to a form
// that sends the private link from the server (to a real SMTP server here); the address is
// gone from the database once sent; a malformed address is refused with nothing stored;
// three links an hour per result; without a relay the page offers mailto: and the form is
// not found.
func TestEmailMeMyLink(t *testing.T) {
	e := newEnv(t, withBaseURL("https://loyalty.example"), sendsMail)
	box := e.mailbox()
	result := e.submitForm(uniform(2, 4), url.Values{"company": {"Acme A/S"}})
	token := strings.TrimPrefix(result, "/r/")
	if href, _ := doc(t, e.get(result).Body).Find(`[data-testid="mail-link"]`).Attr("href"); href != result+"/email" {
		t.Errorf("mail link = %q, want %s/email", href, result)
	}
	if res := e.postForm(result+"/email", url.Values{"email": {"not an address"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		doc(t, res.Body).Find(`[data-testid="result-email-error"]`).Length() != 1 {
		t.Errorf("a malformed address = %d, want 422 with the reason", res.StatusCode)
	}
	if n := e.countRows("SELECT count(*) FROM mail_outbox"); n != 0 {
		t.Errorf("%d messages stored after a refusal, want 0", n)
	}
	res := e.postForm(result+"/email?lang=da", url.Values{"email": {"Me@Acme.example"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(doc(t, res.Body).Find(`[data-testid="result-email-sent"]`).Text(), "me@acme.example") {
		t.Fatalf("sending = %d, want 200 saying where it went", res.StatusCode)
	}
	msgs := box.deliver()
	if len(msgs) != 1 || msgs[0].To[0] != "me@acme.example" || msgs[0].Subject != "Mit LOYALTY-resultat" {
		t.Fatalf("delivered %+v, want one Danish message to me@acme.example", msgs)
	}
	linkIn(t, msgs[0], regexp.MustCompile(`https://loyalty\.example/r/(`+regexp.QuoteMeta(token)+`)`))
	if n := e.countRows("SELECT count(*) FROM mail_outbox WHERE recipient <> '' OR body_text <> ''"); n != 0 {
		t.Errorf("%d sent result-link messages keep the address or the link, want 0", n)
	}
	var last *response
	for range 3 { // the 2nd and 3rd are allowed, the 4th of the hour is not
		last = e.postForm(result+"/email", url.Values{"email": {"me@acme.example"}})
	}
	if last.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the fourth link in an hour = %d, want 429", last.StatusCode)
	}

	off := newEnv(t)
	result = off.submitForm(uniform(2, 4), nil)
	if href, _ := doc(t, off.get(result).Body).Find(`[data-testid="mail-link"]`).Attr("href"); !strings.HasPrefix(href, "mailto:") {
		t.Errorf("without a relay, mail link = %q, want mailto:", href)
	}
	if res := off.get(result + "/email"); res.StatusCode != http.StatusNotFound {
		t.Errorf("without a relay, GET the form = %d, want 404", res.StatusCode)
	}
}
