package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestTeamInvitationByEmail: with a relay, the team page of a Danish team round, read in
// English, has an "email it" form beside each unused personal link; a malformed address is
// refused (422) beside that link with nothing stored; a good one sends the colleague exactly
// one message, in Danish, carrying their own link (to a real SMTP server here), and the
// address is gone from the outbox once delivered; the fourth message for one link in an
// hour is refused (429). Without a relay the link is a mailto: and the form is not found.
func TestTeamInvitationByEmail(t *testing.T) {
	e := newEnv(t, withBaseURL("https://loyalty.example"), sendsMail)
	box := e.mailbox()
	var hs scores
	for i := range hs.asIs {
		hs.asIs[i], hs.toBe[i] = 2, 4
	}
	resultToken := e.submitAPI(map[string]any{"answers": hs.answers(), "lang": "da", "company": map[string]any{"name": "Nordlys A/S"}})
	var links teamLinks
	if err := json.Unmarshal(e.postJSON("/api/v1/assessments/"+resultToken+"/team", nil).Body, &links); err != nil {
		t.Fatal(err)
	}
	team := "/t/" + links.TeamToken
	tokens := inviteColleagues(t, e, links.TeamToken, "Ida", "Ole")
	var idaID int64
	for _, i := range getInvitations(t, e, links.TeamToken).Invitations {
		if i.Label == "Ida" {
			idaID = i.ID
		}
	}
	send := team + "/colleagues/" + strconv.FormatInt(idaID, 10) + "/email"

	d := doc(t, e.get(team+"?lang=en").Body)
	if n := d.Find(`[data-testid="colleague-email-form"]`).Length(); n != 2 {
		t.Errorf("email forms on the team page = %d, want 2 (one per unused link)", n)
	}
	if n := d.Find(`[data-testid="colleague-mail"]`).Length(); n != 0 {
		t.Errorf("mailto: links beside the forms = %d, want 0", n)
	}
	if got, _ := d.Find(`#colleague-` + strconv.FormatInt(idaID, 10) + ` form.colleague__email`).Attr("action"); !strings.HasPrefix(got, send) {
		t.Errorf("Ida's email form posts to %q, want %s", got, send)
	}

	for _, bad := range []string{"not an address", "", "ida@"} {
		res := e.postForm(send, url.Values{"email": {bad}})
		d := doc(t, res.Body)
		if res.StatusCode != http.StatusUnprocessableEntity || d.Find(`#colleague-`+strconv.FormatInt(idaID, 10)+` [data-testid="colleague-email-error"]`).Length() != 1 {
			t.Errorf("address %q = %d, want 422 with the reason beside Ida's link", bad, res.StatusCode)
		}
	}
	if n := e.countRows("SELECT count(*) FROM mail_outbox"); n != 0 {
		t.Errorf("%d messages stored after refusals, want 0", n)
	}

	res := e.postForm(send+"?lang=en", url.Values{"email": {"Ida@Nordlys.example"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sending = %d, want 303", res.StatusCode)
	}
	if got := squash(doc(t, e.get(res.Redirect+"?lang=en").Body).Find(`[data-testid="colleagues-notice"]`).Text()); got != "Linket til Ida er på vej." {
		t.Errorf("notice after sending, read in English = %q, want the round's Danish %q", got, "Linket til Ida er på vej.")
	}
	if strings.Contains(res.Redirect, "ida") || strings.Contains(res.Redirect, "Ida") {
		t.Errorf("redirect %q carries the address or the name", res.Redirect)
	}
	msgs := box.deliver()
	if len(msgs) != 1 || msgs[0].To[0] != "ida@nordlys.example" || msgs[0].Subject != "Dit personlige link til vores ledergruppes LOYALTY-runde" {
		t.Fatalf("delivered %+v, want one Danish message to ida@nordlys.example", msgs)
	}
	if got := linkIn(t, msgs[0], regexp.MustCompile(`https://loyalty\.example/i/([A-Za-z0-9_-]+)`)); got != tokens["Ida"] {
		t.Errorf("link in the message = /i/%s, want Ida's /i/%s", got, tokens["Ida"])
	}
	if !strings.Contains(msgs[0].Text, "Hej Ida") || !strings.Contains(msgs[0].HTML, `lang="da"`) {
		t.Errorf("the message is not in Danish:\n%s", msgs[0].Text)
	}
	if n := e.countRows("SELECT count(*) FROM mail_outbox WHERE recipient <> '' OR body_text <> '' OR body_html <> ''"); n != 0 {
		t.Errorf("%d sent team invitations keep the address or the link, want 0", n)
	}

	var last *response
	for range 3 { // the 2nd and 3rd are allowed, the 4th for this link in the hour is not
		last = e.postForm(send, url.Values{"email": {"ida@nordlys.example"}})
	}
	if last.StatusCode != http.StatusTooManyRequests || doc(t, last.Body).Find(`[data-testid="colleague-email-error"]`).Length() != 1 {
		t.Errorf("the fourth message for one link in an hour = %d, want 429 with the reason", last.StatusCode)
	}

	// A used link is sent no more.
	takeInvitation(t, e, tokens["Ole"], "Ole")
	var oleID int64
	for _, i := range getInvitations(t, e, links.TeamToken).Invitations {
		if i.Label == "Ole" {
			oleID = i.ID
		}
	}
	if res := e.postForm(team+"/colleagues/"+strconv.FormatInt(oleID, 10)+"/email", url.Values{"email": {"ole@nordlys.example"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("emailing a used link = %d, want 409", res.StatusCode)
	}

	off := newEnv(t)
	resultToken = off.submitAPI(map[string]any{"answers": hs.answers()})
	if err := json.Unmarshal(off.postJSON("/api/v1/assessments/"+resultToken+"/team", nil).Body, &links); err != nil {
		t.Fatal(err)
	}
	inviteColleagues(t, off, links.TeamToken, "Ida")
	d = doc(t, off.get("/t/"+links.TeamToken).Body)
	if href, _ := d.Find(`[data-testid="colleague-mail"]`).Attr("href"); !strings.HasPrefix(href, "mailto:") || d.Find(`[data-testid="colleague-email-form"]`).Length() != 0 {
		t.Errorf("without a relay, mail link = %q and %d forms, want mailto: and none", href, d.Find(`[data-testid="colleague-email-form"]`).Length())
	}
	id := getInvitations(t, off, links.TeamToken).Invitations[0].ID
	if res := off.postForm("/t/"+links.TeamToken+"/colleagues/"+strconv.FormatInt(id, 10)+"/email", url.Values{"email": {"ida@nordlys.example"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("without a relay, emailing a link = %d, want 404", res.StatusCode)
	}
}
