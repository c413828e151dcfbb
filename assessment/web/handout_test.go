package web

// The hand-outs speak the round's language (issue 18): a consultant whose pages are in
// English prints a Danish round's report and comparison in Danish, the language its
// participants, projector and Excel file speak; the frame around them (navigation, footer)
// stays in the consultant's.

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestHandoutsInRoundLanguage(t *testing.T) {
	e := newWSEnv(t)
	ctx := context.Background()
	w := e.world("Fjord Logistik A/S") // an English round: Secret Sam
	e.twins(w)
	dansk, _ := e.q.NewRound("Opfølgning", "da")
	if err := e.db.CreateRound(ctx, e.a.ID, w.client.ID, &dansk); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		p, _ := e.q.NewParticipant("", "", uniform(3, 4).domain())
		if err := e.db.SaveParticipant(ctx, dansk.Code, fmt.Sprint("da-", i), false, &p); err != nil {
			t.Fatal(err)
		}
	}
	report := fmt.Sprintf("/w/rounds/%d/report", dansk.ID)
	compare := fmt.Sprintf("/w/clients/%d/compare?a=%d&b=%d", w.client.ID, w.round.ID, dansk.ID)
	ann := e.login("ann@alpha.example")
	cookie := e.login("ann@alpha.example")
	if res := cookie.get("/w/clients?lang=en"); res.StatusCode != http.StatusOK {
		t.Fatalf("choosing English = %d", res.StatusCode)
	}
	for _, c := range []struct {
		name   string
		b      *browser
		path   string
		header []string
		// doc is a line of the document in Danish; en the same line in English.
		doc, en string
	}{
		{"report, Accept-Language", ann, report, []string{"Accept-Language", "en-GB,en;q=0.9"}, "Sæt ind her først", "Act first here"},
		{"report, cookie", cookie, report, []string{"Accept-Language", "en"}, "Sæt ind her først", "Act first here"},
		{"comparison, Accept-Language", ann, compare, []string{"Accept-Language", "en"}, "Sammenlign to runder", "Compare two rounds"},
		{"comparison, cookie", cookie, compare, nil, "Sammenlign to runder", "Compare two rounds"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := c.b.get(c.path, c.header...)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d", c.path, res.StatusCode)
			}
			d := doc(t, res.Body)
			if got := d.Find("html").AttrOr("lang", ""); got != "en" {
				t.Errorf("html lang = %q, want en: the frame speaks the consultant's language", got)
			}
			if got := d.Find("main").AttrOr("lang", ""); got != "da" {
				t.Errorf("main lang = %q, want da: the document speaks the round's", got)
			}
			main := squash(d.Find("main").Text())
			if !strings.Contains(main, c.doc) || strings.Contains(main, c.en) {
				t.Errorf("the document has %q: %v, %q: %v; want Danish only", c.doc, strings.Contains(main, c.doc), c.en, strings.Contains(main, c.en))
			}
			if got := squash(d.Find(".ws-nav a").First().Text()); got != "Clients" {
				t.Errorf("navigation = %q, want Clients", got)
			}
			if got := d.Find("html").AttrOr("data-print-page", ""); got != "Side" {
				t.Errorf("printed page number word = %q, want Side", got)
			}
			if got := squash(d.Find(`.ws-nav [data-testid="logout"]`).Text()); got != "Sign out" {
				t.Errorf("sign-out button = %q, want Sign out", got)
			}
		})
	}
	// A problem with a battle form re-shows the report with the problem in its language.
	res := cookie.postCSRF(fmt.Sprintf("/w/rounds/%d/battles", dansk.ID), map[string][]string{"competency": {"99"}, "title": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a battle without title = %d, want 422", res.StatusCode)
	}
	if got := squash(doc(t, res.Body).Find(`[data-testid="battle-error"]`).Text()); !strings.Contains(got, "Initiativ") {
		t.Errorf("the battle's problem = %q, want it in Danish (Initiativ)", got)
	}
}
