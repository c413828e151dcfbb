package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// This file is a round's report (the room's result, the Must Win Battles with their
// history, the notes, the benchmark) and the forms that record battles and notes, which the
// dashboard and the presentation show too.

// roundReport shows the round's result with its Must Win Battles and notes.
func (s *Server) roundReport(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	return s.renderReport(c, r, http.StatusOK, views.BattleRow{}, "")
}

func (s *Server) renderReport(c echo.Context, r *assessment.Round, status int, form views.BattleRow, formError string) error {
	ctx := c.Request().Context()
	ui := s.documentLang(c, r.Lang)
	l := loc(c)
	cl, err := s.db.clients.Client(ctx, r.WorkspaceID, r.ClientID)
	if err != nil {
		return err
	}
	ps, err := s.db.participants.RoundParticipants(ctx, r.WorkspaceID, r.ID)
	if err != nil {
		return err
	}
	shown, pending, err := s.shownRatings(ctx, r, ps)
	if err != nil {
		return err
	}
	agg := s.q.Aggregate(shown)
	p := views.ReportPage{WSPage: s.wsPage(c, "ws.report"), RoundID: r.ID, ClientID: cl.ID, Client: cl.Profile.Name, Title: r.Title,
		Opened: formatDate(l, r.OpenedAt), Participants: agg.Participants, Status: r.Status(), StatusLabel: l.T("ws.round.status." + r.Status())}
	p.Page.Title = r.Title
	p.UILang = ui
	p.Section = "clients"
	if !r.Open() {
		p.Closed = formatDate(l, r.ClosedAt)
	}
	p.PrintFooter = printFooter(cl.Profile.Name+" · "+r.Title, p.Opened)
	p.Downloads, p.DownloadNote = s.roundDownloads(l, r, agg.Participants)
	if p.Battles, err = s.battlesView(c, r, "report", form, formError); err != nil {
		return err
	}
	if p.Notes, err = s.notesView(c, r, "report"); err != nil {
		return err
	}
	if agg.Participants > 0 {
		p.PendingNote = s.pendingNote(l, r, pending)
	}
	if agg.Participants == 0 {
		if finished := assessment.ProgressOf(ps).Finished; finished > 0 {
			p.WaitNote = s.waitNote(l, finished)
		}
		return render(c, status, views.Report(p))
	}
	res := agg.Result
	// The client against the other participating companies; its own pooled round is left
	// out.
	bench, err := s.pageBenchmark(c, self{key: cl.PoolKey()}, cl.BenchmarkProfile(), r.QuestionnaireVersion, &res)
	if err != nil {
		return err
	}
	if p.ScoredView, err = s.scoredView(c, &res, cl.BenchmarkProfile(), bench, nil, "bench.group.missing.client", "bench.pending.client"); err != nil {
		return err
	}
	p.HasScores, p.Charts = true, true
	if bench.Synthetic {
		p.Notice = l.T("bench.demo.notice")
	}
	if p.Live, err = s.liveView(ctx, l, r, ps, viewConsultant, true); err != nil {
		return err
	}
	// Per-person heatmaps stay out of the report unless the consultant includes them
	// (?detail=1), and exist only once enough have finished.
	p.CanDetail = p.Live.Individual
	p.Detail = p.CanDetail && c.QueryParam("detail") == "1"
	p.DetailURL = roundURL(r.ID, "/report")
	if !p.Detail {
		p.DetailURL += "?detail=1"
	}
	return render(c, status, views.Report(p))
}

// battlesView builds the Must Win Battles of a round with their forms; back says which page
// the forms return to.
func (s *Server) battlesView(c echo.Context, r *assessment.Round, back string, form views.BattleRow, formError string) (views.BattlesView, error) {
	l := loc(c)
	battles, err := s.db.battles.Battles(c.Request().Context(), r.WorkspaceID, r.ID)
	if err != nil {
		return views.BattlesView{}, err
	}
	v := views.BattlesView{Loc: l, RoundID: r.ID, CSRF: csrfToken(c), Back: back, CanAdd: len(battles) < assessment.MaxBattles,
		Form: form, FormError: formError}
	if v.Form.Status == "" {
		v.Form.Status = assessment.BattleNotStarted
	}
	for i, name := range s.competencyTitles(l) {
		v.Competencies = append(v.Competencies, views.Choice{Value: strconv.Itoa(i + 1), Label: name})
	}
	for _, st := range assessment.BattleStatuses {
		v.Statuses = append(v.Statuses, views.Choice{Value: st, Label: l.T("ws.mwb.status." + st)})
	}
	for _, b := range battles {
		row := views.BattleRow{ID: b.ID, Competency: b.Competency, CompName: s.competencyTitle(l, b.Competency), Title: b.Title,
			Owner: b.Owner, Due: b.Due, Status: b.Status, StatusLabel: l.T("ws.mwb.status." + b.Status), Carried: b.Lineage != b.ID}
		if b.Due != "" {
			if t, err := parseDate(b.Due); err == nil {
				row.DueText = formatDate(l, t)
			}
		}
		for _, ev := range b.History {
			row.History = append(row.History, views.BattleEvent{Status: l.T("ws.mwb.status." + ev.Status), Date: formatDate(l, ev.At)})
		}
		v.Battles = append(v.Battles, row)
	}
	return v, nil
}

// notesView builds the notes of a round with the form that writes them.
func (s *Server) notesView(c echo.Context, r *assessment.Round, back string) (views.NotesView, error) {
	l := loc(c)
	notes, err := s.db.battles.Notes(c.Request().Context(), r.WorkspaceID, r.ID)
	if err != nil {
		return views.NotesView{}, err
	}
	v := views.NotesView{Loc: l, RoundID: r.ID, CSRF: csrfToken(c), Back: back}
	names := s.competencyTitles(l)
	for i, name := range names {
		v.Competencies = append(v.Competencies, views.Choice{Value: strconv.Itoa(i + 1), Label: name})
	}
	for _, n := range notes {
		v.Notes = append(v.Notes, views.NoteRow{Number: n.Competency, Name: names[n.Competency-1], Text: n.Text})
	}
	return v, nil
}

// battleInput reads and validates a Must Win Battle form.
func (s *Server) battleInput(c echo.Context) (assessment.Battle, views.BattleRow, error) {
	n, _ := strconv.Atoi(c.FormValue("competency"))
	row := views.BattleRow{Competency: n, Title: c.FormValue("title"), Owner: c.FormValue("owner"), Due: c.FormValue("due"), Status: c.FormValue("status")}
	b, err := s.q.NewBattle(n, row.Title, row.Owner, row.Due, row.Status)
	return b, row, err
}

// battleFields names the Must Win Battle form's fields for its error line.
var battleFields = map[string]string{"competency": "result.col.name", "title": "ws.mwb.title.field", "owner": "ws.mwb.owner", "due": "ws.mwb.due", "status": "ws.mwb.status"}

// battleProblem says what is wrong with a Must Win Battle form, field by field.
func (s *Server) battleProblem(c echo.Context, err error) string {
	l := loc(c)
	var msgs []string
	for _, fe := range assessment.FieldErrors(err) {
		msgs = append(msgs, l.T(battleFields[fe.Field])+": "+l.Hint(fe))
	}
	if len(msgs) == 0 {
		return l.Error(err)
	}
	return strings.Join(msgs, " ")
}

// addBattle records a Must Win Battle from the report, the dashboard or the presentation. A
// problem re-shows the report's form with its values and what is wrong.
func (s *Server) addBattle(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	s.documentLang(c, r.Lang) // a problem re-shows the report, in its language
	b, row, err := s.battleInput(c)
	if err == nil {
		err = s.db.battles.AddBattle(c.Request().Context(), r.WorkspaceID, r.ID, &b)
	}
	switch assessment.ErrorCode(err) {
	case "":
		return c.Redirect(http.StatusSeeOther, backTo(c, r)+"#battles")
	case assessment.EINVALID:
		return s.renderReport(c, r, http.StatusUnprocessableEntity, row, s.battleProblem(c, err))
	case assessment.ECONFLICT:
		return s.renderReport(c, r, http.StatusConflict, row, loc(c).Error(err))
	}
	return err
}

func (s *Server) updateBattle(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	s.documentLang(c, r.Lang)
	id, err := idParam(c, "bid")
	if err != nil {
		return err
	}
	b, _, err := s.battleInput(c)
	if assessment.ErrorCode(err) == assessment.EINVALID {
		return s.renderReport(c, r, http.StatusUnprocessableEntity, views.BattleRow{}, s.battleProblem(c, err))
	}
	if err != nil {
		return err
	}
	b.ID, b.RoundID = id, r.ID
	if err := s.db.battles.UpdateBattle(c.Request().Context(), r.WorkspaceID, &b); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, backTo(c, r)+"#battles")
}

func (s *Server) deleteBattle(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	id, err := idParam(c, "bid")
	if err != nil {
		return err
	}
	if err := s.db.battles.DeleteBattle(c.Request().Context(), r.WorkspaceID, r.ID, id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, backTo(c, r)+"#battles")
}

// saveNote writes the consultant's note on a competency (an empty text deletes it).
func (s *Server) saveNote(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	n, _ := strconv.Atoi(c.FormValue("competency"))
	note, err := s.q.NewNote(n, c.FormValue("text"))
	if err != nil {
		return err
	}
	if err := s.db.battles.SaveNote(c.Request().Context(), r.WorkspaceID, r.ID, &note); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, backTo(c, r)+"#notes")
}
