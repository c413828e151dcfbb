package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// importTeam takes a team round into the consultant's workspace as the round of a new client
// (assessment.ImportTeamRound): the clients page's form sends the team link the executive
// handed over; the page that answers says what the import does, with the new client's name
// and benchmark consent to confirm; the confirmation imports, and the consultant lands on
// the round's dashboard, blind like any other. A link that is none, names no round or names
// one that moved already is explained on the clients page.
func (s *Server) importTeam(c echo.Context) error {
	ctx := c.Request().Context()
	l := loc(c)
	link := c.FormValue("link")
	token, ok := assessment.ParseTeamLink(link)
	if !ok {
		return s.renderClients(c, http.StatusUnprocessableEntity, false, link, l.T("ws.team.import.bad"))
	}
	team, err := s.db.teams.Team(ctx, token)
	if err == nil {
		err = team.CheckImport()
	}
	if code := assessment.ErrorCode(err); code == assessment.ENOTFOUND || code == assessment.ECONFLICT {
		return s.renderClients(c, statusOf[code], false, link, l.Error(err))
	}
	if err != nil {
		return err
	}
	name, consent := team.Company.Name, false
	if c.FormValue("confirm") != "yes" {
		return s.renderTeamImport(c, http.StatusOK, link, team, name, consent, nil)
	}
	name, consent = c.FormValue("name"), c.FormValue("benchmark_consent") != ""
	profile := team.Company
	profile.Name = name
	cl, err := s.q.NewClient(profile, consent)
	if assessment.ErrorCode(err) == assessment.EINVALID {
		return s.renderTeamImport(c, http.StatusUnprocessableEntity, link, team, name, consent, assessment.FieldErrors(err))
	}
	if err != nil {
		return err
	}
	r, err := s.db.teams.ImportTeamRound(ctx, currentUser(c).WorkspaceID, token, &cl, l.T("ws.team.import.round_title"))
	if assessment.ErrorCode(err) == assessment.ECONFLICT {
		// Taken over by someone else since the confirmation was shown.
		return s.renderClients(c, http.StatusConflict, false, link, l.Error(err))
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, roundURL(r.ID, ""))
}

// renderTeamImport asks to confirm the import of team, saying what it does, with the new
// client's name and consent (and their problems).
func (s *Server) renderTeamImport(c echo.Context, status int, link string, team *assessment.Team, name string, consent bool, problems []assessment.FieldError) error {
	l := loc(c)
	ps, err := s.db.teams.TeamParticipants(c.Request().Context(), team.Round.ID)
	if err != nil {
		return err
	}
	pr := assessment.ProgressOf(ps)
	p := views.TeamImportPage{WSPage: s.wsPage(c, "ws.team.import.title"), Link: link, Name: name, Consent: consent,
		Heading: l.T("ws.team.import.confirm"),
		Facts:   l.F("ws.team.import.facts", views.Args{"Date": formatDate(l, team.CreatedAt), "Count": pr.Finished, "Joined": pr.Joined}),
		Points: []string{l.T("ws.team.import.what.client"), l.T("ws.team.import.what.round"), l.T("ws.team.import.what.link"),
			l.T("ws.team.import.what.pool")}}
	if team.Company.Name != "" {
		p.Heading = l.F("ws.team.import.confirm.company", views.Args{"Company": team.Company.Name})
	}
	p.Section = "clients"
	for _, fe := range problems {
		if fe.Field == "company.name" {
			p.NameErr = l.Hint(fe)
		}
	}
	return render(c, status, views.TeamImport(p))
}
