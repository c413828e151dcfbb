package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// roundReport shows the round's result with its Must Win Battles.
func (s *Server) roundReport(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	return s.renderReport(c, r, http.StatusOK, views.BattleRow{}, "")
}

func (s *Server) renderReport(c echo.Context, r *assessment.Round, status int, form views.BattleRow, formError string) error {
	ctx := c.Request().Context()
	l := loc(c)
	cl, err := s.store.Client(ctx, r.WorkspaceID, r.ClientID)
	if err != nil {
		return err
	}
	ps, err := s.store.RoundParticipants(ctx, r.WorkspaceID, r.ID)
	if err != nil {
		return err
	}
	battles, err := s.store.Battles(ctx, r.WorkspaceID, r.ID)
	if err != nil {
		return err
	}
	agg := s.q.Aggregate(assessment.FinishedRatings(ps))
	p := views.ReportPage{WSPage: s.wsPage(c, "ws.report"), RoundID: r.ID, ClientID: cl.ID, Client: cl.Profile.Name, Title: r.Title,
		Opened: formatDate(l, r.OpenedAt), Participants: agg.Participants, CanAdd: len(battles) < assessment.MaxBattles,
		Form: form, FormError: formError, AsIsIndex: "–", ToBeIndex: "–"}
	p.Page.Title = r.Title
	p.Section = "clients"
	if !r.Open() {
		p.Closed = formatDate(l, r.ClosedAt)
	}
	if p.Form.Status == "" {
		p.Form.Status = assessment.BattleNotStarted
	}
	for _, comp := range s.q.Competencies {
		p.Competencies = append(p.Competencies, views.Choice{Value: strconv.Itoa(comp.Number), Label: strconv.Itoa(comp.Number) + " " + l.Text(comp.Name)})
	}
	for _, st := range assessment.BattleStatuses {
		p.Statuses = append(p.Statuses, views.Choice{Value: st, Label: l.T("ws.mwb.status." + st)})
	}
	for _, b := range battles {
		comp, _ := s.q.Competency(b.Competency)
		p.Battles = append(p.Battles, views.BattleRow{ID: b.ID, Competency: b.Competency, CompName: l.Text(comp.Name), Title: b.Title,
			Owner: b.Owner, Due: b.Due, Status: b.Status, StatusLabel: l.T("ws.mwb.status." + b.Status)})
	}
	if agg.Participants > 0 {
		res := agg.Result
		p.AsIsIndex, p.ToBeIndex = l.Num(res.AsIsIndex, 0), l.Num(res.ToBeIndex, 0)
		for rank, n := range res.Priorities {
			cs := res.Competency(n)
			comp, _ := s.q.Competency(n)
			p.Gaps = append(p.Gaps, views.GapRow{Rank: rank + 1, Number: n, Name: l.Text(comp.Name),
				AsIs: l.Num(cs.AsIs, 1), ToBe: l.Num(cs.ToBe, 1), Gap: l.Signed(cs.Gap, 1)})
		}
		if p.Live, err = s.liveView(l, agg, ps, true); err != nil {
			return err
		}
		p.Charts = true
		// The client against the other participating companies; its own pooled round is
		// left out.
		bench, err := s.pageBenchmark(c, cl.PoolKey(), cl.Profile, r.QuestionnaireVersion, &res)
		if err != nil {
			return err
		}
		p.Benchmark = s.benchmarkView(l, cl.Profile, bench, c.Request().URL.Path, "bench.group.missing.client")
		p.HasBenchmark = true
		if bench.Synthetic {
			p.Notice = l.T("bench.demo.notice")
		}
	}
	return render(c, status, views.Report(p))
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

func (s *Server) addBattle(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	b, row, err := s.battleInput(c)
	if err == nil {
		err = s.store.AddBattle(c.Request().Context(), r.WorkspaceID, r.ID, &b)
	}
	switch assessment.ErrorCode(err) {
	case "":
		return c.Redirect(http.StatusSeeOther, roundURL(r.ID, "/report"))
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
	if err := s.store.UpdateBattle(c.Request().Context(), r.WorkspaceID, &b); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, roundURL(r.ID, "/report"))
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
	if err := s.store.DeleteBattle(c.Request().Context(), r.WorkspaceID, r.ID, id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, roundURL(r.ID, "/report"))
}
