package web

// A participant's phone after sending (issue 18): it reloaded the whole questionnaire with a
// green banner. Now it shows that the answers are in, what happens next and a way to change
// them while the round is open — a link, so it works without JavaScript — and once the round
// closes, their own answers with no way to change them. The footers say what is true for
// whoever reads the page.

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestParticipantDoneState(t *testing.T) {
	e := newWSEnv(t)
	ctx := context.Background()
	w := e.world("Fjord Logistik A/S")
	code := w.round.Code
	kim := e.browser()
	if res := kim.post("/j/"+code+"/start", map[string][]string{"name": {"Kim"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("start = %d", res.StatusCode)
	}
	if d := doc(t, kim.get("/j/"+code+"?lang=en").Body); d.Find(`[data-testid="done"]`).Length() != 0 || d.Find(`[data-testid="submit"]`).Length() != 1 {
		t.Fatal("before sending, the phone shows the done state or no form")
	}
	res := kim.post("/j/"+code, uniform(3, 4).with(5, 2, 5).form())
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sending = %d", res.StatusCode)
	}
	edit := "/j/" + code + "?edit=1"
	for _, c := range []struct{ lang, title, next, change string }{
		{"en", "Thank you — your answers are in", "the facilitator reveals the room's combined result", "Change my answers"},
		{"da", "Tak – dine svar er modtaget", "facilitatoren viser rummets samlede resultat", "Ret mine svar"},
		{"sv", "Tack – dina svar är inskickade", "facilitatorn visar rummets samlade resultat", "Ändra mina svar"},
		{"nb", "Takk – svarene dine er mottatt", "fasilitatoren viser rommets samlede resultat", "Endre svarene mine"},
	} {
		d := doc(t, kim.get(res.Redirect+"&lang="+c.lang).Body)
		if got := squash(d.Find(`[data-testid="done-title"]`).Text()); got != c.title {
			t.Errorf("%s: done title = %q, want %q", c.lang, got, c.title)
		}
		if got := squash(d.Find(`[data-testid="done-next"]`).Text()); !strings.Contains(got, c.next) {
			t.Errorf("%s: what happens next = %q, want %q in it", c.lang, got, c.next)
		}
		change := d.Find(`a[data-testid="change-answers"]`)
		if got := squash(change.Text()); got != c.change || change.AttrOr("href", "") != edit {
			t.Errorf("%s: change link = %q to %q, want %q to %q", c.lang, got, change.AttrOr("href", ""), c.change, edit)
		}
		if n := d.Find(`form input[type="radio"], [data-testid="submit"]`).Length(); n != 0 {
			t.Errorf("%s: the done state shows %d inputs of the questionnaire, want none", c.lang, n)
		}
	}
	// Change my answers: the form again with the answers sent, saying that sending replaces them.
	d := doc(t, kim.get(edit+"&lang=en").Body)
	if d.Find(`[data-testid="sent-notice"]`).Length() != 1 || d.Find(`[data-testid="done"]`).Length() != 0 {
		t.Error("?edit=1 does not show the form with the sent notice")
	}
	if got := d.Find(`input[name="c5_as_is"][checked]`).AttrOr("value", ""); got != "2" {
		t.Errorf("the form to change shows competency 5 today = %q, want the 2 sent", got)
	}
	if res := kim.post("/j/"+code, uniform(4, 4).form()); res.StatusCode != http.StatusSeeOther || res.Redirect != "/j/"+code+"?saved=1" {
		t.Errorf("sending changed answers = %d %q", res.StatusCode, res.Redirect)
	}
	if n := e.countRows("SELECT count(*) FROM participants WHERE round_id = " + strconv.FormatInt(w.round.ID, 10)); n != 2 {
		t.Errorf("the round has %d participants after Kim changed his answers, want 2 (Sam and Kim, once)", n)
	}

	// Revealed: the done state leads to the room's result.
	if err := e.db.SetRoundRevealed(ctx, e.a.ID, w.round.ID, true); err != nil {
		t.Fatal(err)
	}
	d = doc(t, kim.get("/j/"+code+"?lang=en").Body)
	if d.Find(`[data-testid="done"] a[data-testid="room-link"]`).AttrOr("href", "") != "/j/"+code+"/room" || d.Find(`[data-testid="change-answers"]`).Length() != 1 {
		t.Error("revealed: the done state lacks the room link or the change link")
	}

	// Closed: own answers, read-only, and no way to change them.
	if _, err := e.db.CloseRound(ctx, e.q, e.a.ID, w.round.ID); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/j/" + code + "?lang=en", edit + "&lang=en"} {
		d = doc(t, kim.get(path).Body)
		if d.Find(`[data-testid="change-answers"]`).Length() != 0 || d.Find(`[data-testid="submit"]`).Length() != 0 {
			t.Errorf("closed, %s offers to change the answers", path)
		}
		if d.Find(`[data-testid="own-answers"]`).Length() != 1 || d.Find(`[data-testid="closed"]`).Length() != 1 {
			t.Errorf("closed, %s lacks the closed notice or the own answers", path)
		}
	}
}

// TestFooterSaysWhatIsTrue: the five-minute test's footer ("anyone with the result link can
// read it", "Consultants: sign in…") stays on the public pages; a workshop participant reads
// that they take part anonymously; a signed-in consultant is not asked to sign in.
func TestFooterSaysWhatIsTrue(t *testing.T) {
	e := newWSEnv(t)
	w := e.world("Fjord Logistik A/S")
	kim := e.browser()
	kim.post("/j/"+w.round.Code+"/start", nil)
	ann := e.login("ann@alpha.example")
	const (
		public      = "Anyone with the result link can read it."
		signIn      = "Consultants: sign in"
		participant = "You take part anonymously"
		workspace   = "Participants take part anonymously"
	)
	for _, c := range []struct {
		name      string
		b         *browser
		path      string
		want      string
		forbidden []string
	}{
		{"home", e.browser(), "/?lang=en", public, nil},
		{"join form", e.browser(), "/j?lang=en", participant, []string{public, signIn}},
		{"welcome", e.browser(), "/j/" + w.round.Code + "?lang=en", participant, []string{public, signIn}},
		{"participant's form", kim, "/j/" + w.round.Code + "?lang=en", participant, []string{public, signIn}},
		{"room", kim, "/j/" + w.round.Code + "/room?lang=en", participant, []string{public, signIn}},
		{"dashboard", ann, "/w/rounds/" + strconv.FormatInt(w.round.ID, 10) + "?lang=en", workspace, []string{public, signIn}},
		{"clients", ann, "/w/clients?lang=en", workspace, []string{public, signIn}},
	} {
		res := c.b.get(c.path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: GET %s = %d", c.name, c.path, res.StatusCode)
			continue
		}
		footer := squash(doc(t, res.Body).Find("footer.site-footer").Text())
		if !strings.Contains(footer, c.want) {
			t.Errorf("%s: footer = %q, want %q in it", c.name, footer, c.want)
		}
		for _, s := range c.forbidden {
			if strings.Contains(footer, s) {
				t.Errorf("%s: footer says %q", c.name, s)
			}
		}
	}
}
