package web

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

// TestOpsInBrowser looks at every section (the approvals with company domains and tests by
// name waiting) of the operator console in all four languages, on a
// phone (390 px) and a desktop (1440 px): no page scrolls sideways, none breaks an
// accessibility rule, none logs an error. With LOYALTY_SCREENSHOT_DIR set, each is kept as a
// picture (ops-<section>-<lang>-<width>.png).
func TestOpsInBrowser(t *testing.T) {
	t.Parallel()
	tb := browsertest.NewTab(t) // first: skips or fails before anything else without a browser
	e := newWSEnv(t, withBaseURL("https://loyalty.example"), sendsMail)
	// Company domains confirmed by work email: two wait (one with two tests, one long), one is approved.
	box := e.mailbox()
	for _, c := range []struct{ name, email string }{{"Acme Bank", "anna@acme-bank.dk"}, {"Acme Bank A/S", "bo@acme-bank.dk"},
		{"Nordisk Forsikring og Pension", "kim@nordisk-forsikring-og-pension-gruppen.example"}, {"Fjordbank", "lars@fjordbank.no"}} {
		confirmFor(e, box, e.submitAPI(company(c.name, "finance", uniform(2, 4), true)), c.email)
	}
	// One company is approved already: it is listed to take out again.
	if in, err := e.db.ApproveDomain(context.Background(), e.q, "fjordbank.no"); err != nil || !in {
		t.Fatalf("ApproveDomain = %v, %v", in, err)
	}
	e.world("Fjord Logistik A/S")
	// Six approved companies fill the groups of retail, 50-249, DK; two wait.
	for i := range 6 {
		a := seedTest(t, e, "Approved "+strconv.Itoa(i), "CEO")
		if in, err := e.db.VerifyAssessment(context.Background(), e.q, a.ID); err != nil || !in {
			t.Fatalf("VerifyAssessment = %v, %v", in, err)
		}
	}
	seedTest(t, e, "Nordlys Retail A/S", "CEO")
	seedTest(t, e, "Havbrug & Søn ApS — a rather long company name to wrap", "CFO")
	ctx := context.Background()
	m := &assessment.Mail{Kind: assessment.MailInvitation, To: "someone@client.example", Subject: "s", Text: "t", HTML: "h"}
	if err := e.db.EnqueueMail(ctx, m); err != nil {
		t.Fatal(err)
	}
	if err := e.db.MailFailed(ctx, m.ID, e.clock(), e.clock().Add(assessment.MailLease), false, "dial tcp 192.0.2.25:587: connect: connection refused"); err != nil {
		t.Fatal(err)
	}
	olga := readyOperator(t, e)
	if res := olga.postCSRF("/ops/workspaces/"+strconv.FormatInt(e.b.ID, 10)+"/suspend", nil); res.StatusCode != 303 {
		t.Fatalf("suspend = %d", res.StatusCode)
	}
	base, _ := url.Parse(e.http.URL)
	for _, ck := range olga.http.Jar.Cookies(base) {
		if ck.Name == sessionCookie {
			tb.Do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{Name: ck.Name, Value: ck.Value, URL: e.http.URL + "/"})
				return err
			}))
		}
	}
	pages := map[string]string{"approvals": "/ops/approvals", "pool": "/ops/pool", "workspaces": "/ops/workspaces",
		"workspace": "/ops/workspaces/" + strconv.FormatInt(e.a.ID, 10), "suspended": "/ops/workspaces/" + strconv.FormatInt(e.b.ID, 10), "outbox": "/ops/outbox", "audit": "/ops/audit"}
	// Each page is loaded once per language, at 1440 px, and then looked at on a phone by
	// resizing the tab: a load costs the browser more than a resize.
	for _, lang := range []string{"en", "da", "sv", "nb"} {
		for name, path := range pages {
			tb.Do(browsertest.Desktop, chromedp.Navigate(e.http.URL+path+"?lang="+lang), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
			for _, size := range []struct {
				width int
				view  chromedp.Action[chromedp.Void]
			}{{1440, nil}, {390, browsertest.Phone}} {
				if size.view != nil {
					tb.Resize(size.view)
				}
				where := name + " " + lang + " " + strconv.Itoa(size.width)
				if over, culprits := tb.Overflow(size.width); over > 0 {
					t.Errorf("%s: %d px too wide: %v", where, over, culprits)
				}
				if lang == "en" {
					tb.Accessible(where)
				}
				tb.Shot("ops-" + name + "-" + lang + "-" + strconv.Itoa(size.width))
			}
		}
	}
	tb.CheckClean("operator console", true)
}
