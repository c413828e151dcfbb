package web

// The holder's list of colleagues and a colleague's personal link, in a real browser, on a
// phone and a desktop, in Danish and English: nothing sideways, nothing an accessibility
// check objects to, and the refusal a second device gets. Set LOYALTY_SCREENSHOT_DIR to keep
// screenshots.

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

func TestTeamColleaguesInBrowser(t *testing.T) {
	t.Parallel()
	tb := browsertest.NewTab(t) // first: skips or fails before anything else without a browser
	e := newEnv(t)
	token := e.submitAPI(map[string]any{"answers": uniform(2, 4).answers(), "company": map[string]any{"name": "Nordlys A/S"}})
	var links teamLinks
	if err := json.Unmarshal(e.postJSON("/api/v1/assessments/"+token+"/team", nil).Body, &links); err != nil {
		t.Fatal(err)
	}
	tokens := inviteColleagues(t, e, links.TeamToken, "Ida Hansen (CFO)", "Ole Berg", "Kim Larsen-Østergaard, salgsdirektør")
	finishInvitation(t, e, tokens["Ida Hansen (CFO)"], "Ida", uniform(3, 4))
	takeInvitation(t, e, tokens["Ole Berg"], "Ole")

	// Each language's page loads once, on a phone, and is widened to a desktop; axe-core's
	// rules read the markup, not the words, so it checks one language.
	for _, lang := range []string{"da", "en"} {
		tb.Do(
			browsertest.Phone,
			chromedp.Navigate(e.http.URL+"/t/"+links.TeamToken+"?lang="+lang),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="colleague-list"]`)),
		)
		for _, width := range []int{390, 1440} {
			if width == 1440 {
				tb.Resize(browsertest.Desktop)
			}
			if got := browsertest.Eval[[]string](tb, `Array.from(document.querySelectorAll('[data-testid="colleague"]')).map(r => r.dataset.status)`); strings.Join(got, " ") != "finished joined unused" {
				t.Errorf("%s: statuses %v", lang, got)
			}
			// The unused link is completed to an absolute address, for copying and mailing.
			if got := browsertest.Eval[string](tb, `document.querySelector('[data-testid="colleague-link"]').value`); got != e.http.URL+"/i/"+tokens["Kim Larsen-Østergaard, salgsdirektør"] {
				t.Errorf("%s: Kim's link = %q", lang, got)
			}
			if over, culprits := tb.Overflow(width); over > 0 {
				t.Errorf("%s: the team page is %d px too wide at %d px: %v", lang, over, width, culprits)
			}
			tb.Shot(fmt.Sprintf("team-colleagues-%d-%s", width, lang))
			if width == 390 && lang == "da" {
				tb.Accessible("team page with colleagues, " + lang)
			}
		}
	}

}

// TestInvitationRefusedInBrowser: a second device on a used personal link is refused with a
// page that says why; an unused one shows for whom it is, then the round's form.
func TestInvitationRefusedInBrowser(t *testing.T) {
	t.Parallel()
	tb := browsertest.NewTab(t)
	e := newEnv(t)
	token := e.submitAPI(map[string]any{"answers": uniform(2, 4).answers(), "company": map[string]any{"name": "Nordlys A/S"}})
	var links teamLinks
	if err := json.Unmarshal(e.postJSON("/api/v1/assessments/"+token+"/team", nil).Body, &links); err != nil {
		t.Fatal(err)
	}
	tokens := inviteColleagues(t, e, links.TeamToken, "Ida Hansen (CFO)", "Kim Larsen-Østergaard, salgsdirektør")
	takeInvitation(t, e, tokens["Ida Hansen (CFO)"], "Ida")

	// Kim's link on Kim's phone: for whom it is, the rules, Start; then the form.
	tb.Do(
		browsertest.Phone,
		chromedp.Navigate(e.http.URL+"/i/"+url.PathEscape(tokens["Kim Larsen-Østergaard, salgsdirektør"])+"?lang=da"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="invitation-for"]`)),
	)
	if got := tb.Text(`[data-testid="invitation-for"]`); !strings.Contains(got, "Kim Larsen-Østergaard") {
		t.Errorf("the welcome of Kim's link says %q", got)
	}
	tb.Shot("invitation-welcome-390-da")
	tb.Accessible("personal link welcome")
	tb.Do(
		browsertest.ClickClear(`[data-testid="start"]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="submit"]`)),
	)
	tb.CheckClean("personal link", true)

	// A second device on Ida's link: refused, saying why.
	for _, lang := range []string{"da", "en"} {
		tb.Do(
			browsertest.Phone,
			chromedp.Navigate(e.http.URL+"/i/"+tokens["Ida Hansen (CFO)"]+"?lang="+lang),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="invitation-refused"]`)),
		)
		tb.Shot("invitation-refused-390-" + lang)
		if lang == "da" {
			tb.Accessible("refused link, " + lang)
		}
	}
	tb.Do(browsertest.Desktop, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`[data-testid="invitation-refused"]`)))
	tb.Shot("invitation-refused-1440-en")
}

// TestTeamEmailFormInBrowser: with a relay, each unused personal link has a form that sends it
// by email; after a malformed address the reason shows beside that link. The page fits a
// phone and a desktop and passes the accessibility checks, the form included.
func TestTeamEmailFormInBrowser(t *testing.T) {
	t.Parallel()
	tb := browsertest.NewTab(t) // first: skips or fails before anything else without a browser
	e := newEnv(t, sendsMail)
	token := e.submitAPI(map[string]any{"answers": uniform(2, 4).answers(), "lang": "da", "company": map[string]any{"name": "Nordlys A/S"}})
	var links teamLinks
	if err := json.Unmarshal(e.postJSON("/api/v1/assessments/"+token+"/team", nil).Body, &links); err != nil {
		t.Fatal(err)
	}
	tokens := inviteColleagues(t, e, links.TeamToken, "Ida Hansen (CFO)", "Ole Berg", "Kim Larsen-Østergaard, salgsdirektør")
	takeInvitation(t, e, tokens["Ida Hansen (CFO)"], "Ida")
	for _, vp := range []struct {
		name  string
		width int
		set   chromedp.Action[chromedp.Void]
	}{{"390", 390, browsertest.Phone}, {"1440", 1440, browsertest.Desktop}} {
		tb.Do(
			vp.set,
			chromedp.Navigate(e.http.URL+"/t/"+links.TeamToken+"?lang=en"),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="colleague-email-form"]`)),
		)
		if n := browsertest.Eval[int](tb, `document.querySelectorAll('[data-testid="colleague-email-form"]').length`); n != 2 {
			t.Errorf("%s px: %d email forms, want 2 (Ole's and Kim's unused links)", vp.name, n)
		}
		// The browser would refuse "ole@" itself; the server must too, for one that does not.
		browsertest.Eval[bool](tb, `document.querySelectorAll('[data-testid="colleague-email-form"]').forEach(f => f.noValidate = true); true`)
		tb.Do(
			chromedp.SendKeys(chromedp.CSS(`#colleagues [data-testid="colleague-email"]`), "ole@"),
			chromedp.Click(chromedp.CSS(`#colleagues [data-testid="colleague-email-send"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="colleague-email-error"]`)),
		)
		if over, culprits := tb.Overflow(vp.width); over > 0 {
			t.Errorf("the team page with email forms is %d px too wide at %d px: %v", over, vp.width, culprits)
		}
		tb.Shot("team-email-" + vp.name)
		if vp.width == 390 {
			tb.Accessible("team page with email forms")
		}
	}
}
