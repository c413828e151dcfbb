package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
)

// tourPage is one page of the tour: a name for messages, its path, and a selector that is
// on the page once it is ready.
type tourPage struct{ name, path, ready string }

// pageTour is every kind of page a person reaches, on one seeded world: the public pages an
// executive sees (a result, a retake's comparison, a team), the workspace's pages as its admin
// sees them (a round revealed with three finished, one still blind), and every step of the
// presentation. The accessibility sweep and the HTML check both walk it, so a new page added
// here is checked by both.
type pageTour struct {
	public       []tourPage
	workspace    []tourPage // as Ann, the admin of workspace A
	presentation []tourPage // as Ann
}

func newPageTour(t *testing.T, e *env) pageTour {
	t.Helper()
	ctx := context.Background()
	result := e.submitForm(uniform(2, 4), url.Values{"company": {"Acme A/S"}, "industry": {"retail"}, "benchmark_consent": {"yes"}})
	e.advance(90 * 24 * time.Hour)
	retake := e.submitForm(uniform(3, 4).with(13, 1, 5), url.Values{"company": {"Acme A/S"}, "industry": {"retail"},
		"previous": {strings.TrimPrefix(result, "/r/")}})
	team := e.browser().post(retake+"/team", nil)
	if team.StatusCode != http.StatusSeeOther {
		t.Fatalf("opening a team = %d", team.StatusCode)
	}
	room := e.exportRoom("Nordlys A/S", "Ann", "Bo", "Cy") // three finished: the detail shows
	lobby := e.world("Fjord A/S")                          // not revealed: the presentation's lobby
	if err := e.db.SetRoundRevealed(ctx, e.a.ID, room.round.ID, true); err != nil {
		t.Fatal(err)
	}
	// A second round of the same client, three months later, for the comparison.
	e.advance(90 * 24 * time.Hour)
	later, err := e.q.NewRound("Follow-up", "da")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateRound(ctx, e.a.ID, room.client.ID, &later); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"Ann", "Bo", "Cy"} {
		p, err := e.q.NewParticipant(who, "CFO", exportScores[who].domain())
		if err != nil {
			t.Fatal(err)
		}
		if err := e.db.SaveParticipant(ctx, later.Code, "later-"+who, false, &p); err != nil {
			t.Fatal(err)
		}
	}
	// Ann has a passkey, so that her passkeys page shows its table (the ceremonies need a
	// secure origin, which the tour's server does not have: the page says so).
	ann, _, err := e.db.UserByEmail(ctx, "ann@alpha.example")
	if err != nil {
		t.Fatal(err)
	}
	passkey := assessment.Passkey{CredentialID: []byte("tour-passkey"), Name: "MacBook", Record: []byte(`{}`)}
	if err := e.db.AddPasskey(ctx, ann.ID, &passkey); err != nil {
		t.Fatal(err)
	}
	round := fmt.Sprintf("/w/rounds/%d", room.round.ID)
	client := fmt.Sprintf("/w/clients/%d", room.client.ID)
	// A pending invitation (listed on the members page, its link's page) and a reset link.
	inviteTok, inviteHash := auth.NewToken()
	inv, err := assessment.NewMemberInvitation("dora@alpha.example", "member", "da", e.clock())
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateMemberInvitation(ctx, e.a.ID, &inv, inviteHash, &assessment.Mail{Kind: assessment.MailInvitation, To: inv.Email, Subject: "-", Text: "-"}); err != nil {
		t.Fatal(err)
	}
	carl, _, err := e.db.UserByEmail(ctx, "carl@alpha.example")
	if err != nil {
		t.Fatal(err)
	}
	resetTok, resetHash := auth.NewToken()
	if err := e.db.CreatePasswordReset(ctx, carl.ID, resetHash, e.clock().Add(assessment.ResetTTL), &assessment.Mail{Kind: assessment.MailPasswordReset, To: carl.Email, Subject: "-", Text: "-"}); err != nil {
		t.Fatal(err)
	}
	present := round + "/present"

	tour := pageTour{
		public: []tourPage{
			{"home", "/?lang=da", "main"},
			{"test", "/test?lang=sv", `[data-testid="submit"]`},
			{"result", result + "?lang=nb", `[data-testid="gap-table"]`},
			{"retake", retake + "?lang=da", `[data-testid="retake"]`},
			{"team", team.Redirect + "?lang=en", "main"},
			{"delete result", result + "/delete?lang=en", `[data-testid="delete-confirm"]`},
			{"benchmark", "/benchmark?lang=da", "main"},
			{"privacy", "/privacy?lang=sv", "main"},
			{"not found", "/r/nope?lang=nb", "main"},
			{"login", "/login?lang=en", "main form"},
			{"invitation", "/invite/" + inviteTok + "?lang=da", `[data-testid="accept-invite"]`},
			{"invitation gone", "/invite/nope?lang=sv", `[data-testid="invite-problem"]`},
			{"forgotten password", "/password/forgot?lang=nb", `[data-testid="send-reset"]`},
			{"new password", "/password/reset/" + resetTok + "?lang=en", `[data-testid="set-password"]`},
			{"reset link gone", "/password/reset/nope?lang=da", `[data-testid="reset-problem"]`},
			{"join", "/j?lang=da", "main"},
			{"welcome", "/j/" + room.round.Code, `[data-testid="welcome"]`},
		},
		workspace: []tourPage{
			{"clients", "/w/clients", `[data-testid="new-client"]`},
			{"new client", "/w/clients/new", "main form"},
			{"client", client, `[data-testid="rounds"]`},
			{"client, our clients", client + "?group=workspace", `[data-testid="rounds"]`},
			{"edit client", client + "/edit", "main form"},
			{"compare", fmt.Sprintf("%s/compare?a=%d&b=%d", client, room.round.ID, later.ID), `[data-testid="radar-compare"]`},
			{"dashboard, blind", fmt.Sprintf("/w/rounds/%d", lobby.round.ID), `[data-testid="blind"]`},
			{"dashboard, revealed", round, `[data-testid="competency-stats"]`},
			{"report", round + "/report", `[data-testid="gap-table"]`},
			{"close round", round + "/close", "main form"},
			{"portfolio", "/w/portfolio", `[data-testid="portfolio"]`},
			{"members", "/w/members", `[data-testid="invitations"]`},
			{"tokens", "/w/tokens", "main"},
			{"account", "/w/account", `[data-testid="account-facts"]`},
			{"authenticator set-up", "/w/account/totp", `[data-testid="totp-qr"]`},
			{"audit log", "/w/audit", `[data-testid="audit"]`},
			{"passkeys", "/w/account/passkeys", `[data-testid="passkeys"]`},
			{"remove passkey", fmt.Sprintf("/w/account/passkeys/%d/remove", passkey.ID), `[data-testid="confirm-remove"]`},
		},
		presentation: []tourPage{{"lobby", fmt.Sprintf("/w/rounds/%d/present", lobby.round.ID), `[data-testid="lobby-code"]`}},
	}
	// The seven category steps are one page with another category's statements: the first
	// stands for them here (TestPresentationFitsEveryProjectorInBrowser loads all seven).
	categories := 0
	for _, step := range e.srv.presentSteps(0) {
		if strings.HasPrefix(step, catPrefix) {
			if categories++; categories > 1 {
				continue
			}
		}
		tour.presentation = append(tour.presentation, tourPage{step, present + "/" + step, "main"})
	}
	return tour
}
