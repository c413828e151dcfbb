package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// idParam parses a numeric path parameter; anything else is a 404, like an unknown id.
func idParam(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, assessment.NewError(assessment.ENOTFOUND, assessment.MsgNotFound, nil)
	}
	return id, nil
}

// client loads the client named by the :id parameter from the signed-in member's workspace.
func (s *Server) client(c echo.Context) (*assessment.Client, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	return s.db.clients.Client(c.Request().Context(), currentUser(c).WorkspaceID, id)
}

func (s *Server) clientsPage(c echo.Context) error {
	return s.renderClients(c, http.StatusOK, c.QueryParam("archived") == "1", "", "")
}

// renderClients shows the active or archived clients, with the form that imports a team
// round re-shown with link and importError after a problem.
func (s *Server) renderClients(c echo.Context, status int, archived bool, link, importError string) error {
	u := currentUser(c)
	cs, err := s.db.clients.Clients(c.Request().Context(), u.WorkspaceID, archived)
	if err != nil {
		return err
	}
	l := loc(c)
	p := views.ClientsPage{WSPage: s.wsPage(c, "ws.clients.title"), Archived: archived, ImportLink: link, ImportError: importError}
	p.Section = "clients"
	for _, cl := range cs {
		p.Clients = append(p.Clients, views.ClientRow{ID: cl.ID, Name: cl.Profile.Name, Industry: s.industryName(l, cl.Profile.Industry),
			Country: cl.Profile.Country, Consent: cl.BenchmarkConsent})
	}
	return render(c, status, views.Clients(p))
}

func (s *Server) industryName(l views.Loc, key string) string {
	if o, ok := s.q.Industry(key); ok {
		return l.Text(o.Name)
	}
	return ""
}

// clientForm builds the client form's model from a profile, with problems by field.
func (s *Server) clientForm(c echo.Context, id int64, profile assessment.Company, consent bool, problems []assessment.FieldError) views.ClientFormPage {
	l := loc(c)
	title := "ws.client.new"
	if id != 0 {
		title = "ws.client.edit"
	}
	p := views.ClientFormPage{WSPage: s.wsPage(c, title), ID: id, Name: profile.Name, Industry: profile.Industry, Size: profile.Size,
		Country: profile.Country, NPSYears: profile.NPSYears, Consent: consent, Errors: map[string]string{}}
	p.Section = "clients"
	for _, o := range s.q.Industries {
		p.Industries = append(p.Industries, views.Choice{Value: o.Key, Label: l.Text(o.Name)})
	}
	for _, o := range s.q.SizeBands {
		p.Sizes = append(p.Sizes, views.Choice{Value: o.Key, Label: l.Text(o.Name)})
	}
	for _, sg := range s.q.Segments {
		p.Segments = append(p.Segments, views.Choice{Value: sg.Key, Label: l.Text(sg.Name)})
	}
	for _, fe := range problems {
		field := fe.Field
		if len(field) > len("company.") && field[:len("company.")] == "company." {
			field = field[len("company."):]
		}
		p.Errors[field] = l.Hint(fe)
	}
	return p
}

func (s *Server) newClientForm(c echo.Context) error {
	return render(c, http.StatusOK, views.ClientForm(s.clientForm(c, 0, assessment.Company{}, false, nil)))
}

func clientInput(c echo.Context) (assessment.Company, bool) {
	return assessment.Company{
		Name: c.FormValue("name"), Industry: c.FormValue("industry"), Size: c.FormValue("size"),
		Country: c.FormValue("country"), NPSYears: c.FormValue("nps_years"),
	}, c.FormValue("benchmark_consent") == "1"
}

func (s *Server) createClient(c echo.Context) error {
	profile, consent := clientInput(c)
	cl, err := s.q.NewClient(profile, consent)
	if err != nil {
		if assessment.ErrorCode(err) != assessment.EINVALID {
			return err
		}
		return render(c, http.StatusUnprocessableEntity, views.ClientForm(s.clientForm(c, 0, profile, consent, assessment.FieldErrors(err))))
	}
	if err := s.db.clients.CreateClient(c.Request().Context(), currentUser(c).WorkspaceID, &cl); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/w/clients/"+strconv.FormatInt(cl.ID, 10))
}

func (s *Server) editClientForm(c echo.Context) error {
	cl, err := s.client(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.ClientForm(s.clientForm(c, cl.ID, cl.Profile, cl.BenchmarkConsent, nil)))
}

func (s *Server) updateClient(c echo.Context) error {
	old, err := s.client(c)
	if err != nil {
		return err
	}
	profile, consent := clientInput(c)
	cl, err := s.q.NewClient(profile, consent)
	if err != nil {
		if assessment.ErrorCode(err) != assessment.EINVALID {
			return err
		}
		return render(c, http.StatusUnprocessableEntity, views.ClientForm(s.clientForm(c, old.ID, profile, consent, assessment.FieldErrors(err))))
	}
	cl.ID = old.ID
	if err := s.db.clients.UpdateClient(c.Request().Context(), s.q, currentUser(c).WorkspaceID, &cl); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/w/clients/"+strconv.FormatInt(cl.ID, 10))
}

func (s *Server) archiveClient(c echo.Context) error {
	cl, err := s.client(c)
	if err != nil {
		return err
	}
	if err := s.db.clients.SetClientArchived(c.Request().Context(), currentUser(c).WorkspaceID, cl.ID, c.FormValue("archived") == "1"); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/w/clients/"+strconv.FormatInt(cl.ID, 10))
}

func (s *Server) deleteClientPage(c echo.Context, cl *assessment.Client, status int, msg string) error {
	rounds, err := s.db.rounds.Rounds(c.Request().Context(), currentUser(c).WorkspaceID, cl.ID)
	if err != nil {
		return err
	}
	p := views.ClientDeletePage{WSPage: s.wsPage(c, "ws.delete"), ID: cl.ID, Name: cl.Profile.Name, Rounds: len(rounds), Error: msg}
	p.Section = "clients"
	return render(c, status, views.ClientDelete(p))
}

func (s *Server) deleteClientForm(c echo.Context) error {
	cl, err := s.client(c)
	if err != nil {
		return err
	}
	return s.deleteClientPage(c, cl, http.StatusOK, "")
}

// deleteClient deletes a client with every answer of it, once the confirmation box is ticked.
func (s *Server) deleteClient(c echo.Context) error {
	cl, err := s.client(c)
	if err != nil {
		return err
	}
	if c.FormValue("confirm") != "yes" {
		return s.deleteClientPage(c, cl, http.StatusUnprocessableEntity, loc(c).T("ws.delete.unconfirmed"))
	}
	if err := s.db.clients.DeleteClient(c.Request().Context(), currentUser(c).WorkspaceID, cl.ID); err != nil {
		return err
	}
	s.audit(c, assessment.AuditEvent{Action: assessment.AuditClientDeleted, Target: assessment.AuditTarget(assessment.TargetClient, cl.ID)})
	return c.Redirect(http.StatusSeeOther, "/w/clients")
}

// clientPage shows a client's profile and rounds.
func (s *Server) clientPage(c echo.Context) error {
	cl, err := s.client(c)
	if err != nil {
		return err
	}
	return s.renderClient(c, cl, http.StatusOK, "", "")
}

func (s *Server) renderClient(c echo.Context, cl *assessment.Client, status int, roundTitle, roundError string) error {
	l := loc(c)
	rounds, err := s.db.rounds.Rounds(c.Request().Context(), currentUser(c).WorkspaceID, cl.ID)
	if err != nil {
		return err
	}
	p := views.ClientPage{WSPage: s.wsPage(c, "ws.client"), ID: cl.ID, Name: cl.Profile.Name, Consent: cl.BenchmarkConsent,
		Archived: cl.Archived, Lang: l.Lang, RoundTitle: roundTitle, RoundError: roundError}
	p.Title = cl.Profile.Name
	p.Section = "clients"
	pr := cl.Profile
	dash := func(v string) string {
		if v == "" {
			return "–"
		}
		return v
	}
	size, seg := "", ""
	if o, ok := s.q.SizeBand(pr.Size); ok {
		size = l.Text(o.Name)
	}
	if o, ok := s.q.Segment(pr.NPSYears); ok {
		seg = l.Text(o.Name)
	}
	consent := l.T("ws.no")
	if cl.BenchmarkConsent {
		consent = l.T("ws.yes")
	}
	p.Profile = []views.Choice{
		{Label: l.T("ws.client.industry"), Value: dash(s.industryName(l, pr.Industry))},
		{Label: l.T("ws.client.size"), Value: dash(size)},
		{Label: l.T("ws.client.country"), Value: dash(pr.Country)},
		{Label: l.T("ws.client.nps_years"), Value: dash(seg)},
		{Label: l.T("ws.client.consent.short"), Value: consent},
	}
	for _, code := range s.langs {
		for _, v := range views.Languages {
			if v.Code == code {
				p.Langs = append(p.Langs, views.Choice{Value: code, Label: v.Name})
			}
		}
	}
	for _, r := range rounds {
		row := views.RoundRow{ID: r.ID, Title: r.Title, Lang: r.Lang, Opened: formatDate(l, r.OpenedAt), Open: r.Open(),
			Status: r.Status(), StatusLabel: l.T("ws.round.status." + r.Status())}
		if !r.Open() {
			row.Closed = formatDate(l, r.ClosedAt)
			p.Closed = append(p.Closed, views.Choice{Value: strconv.FormatInt(r.ID, 10), Label: r.Title + " (" + row.Closed + ")"})
		}
		p.Rounds = append(p.Rounds, row)
	}
	if len(p.Closed) > 0 {
		p.Downloads = []views.Download{{URL: "/w/clients/" + strconv.FormatInt(cl.ID, 10) + "/export.xlsx",
			Label: l.T("export.button.history"), TestID: "download-history"}}
	}
	if p.Benchmark, p.HasBenchmark, err = s.clientBenchmarkView(c, cl, c.Request().URL.Path); err != nil {
		return err
	}
	return render(c, status, views.ClientDetail(p))
}
