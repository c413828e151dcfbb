package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"rsc.io/qr"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/chart"
	"github.com/loyalty-cx/loyalty/views"
)

// round loads the round named by the :id parameter from the member's workspace.
func (s *Server) round(c echo.Context) (*assessment.Round, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	return s.ws.store.Round(c.Request().Context(), currentUser(c).WorkspaceID, id)
}

func roundURL(id int64, suffix string) string {
	return "/w/rounds/" + strconv.FormatInt(id, 10) + suffix
}

// openRound opens a workshop round for a client and goes to its dashboard.
func (s *Server) openRound(c echo.Context) error {
	cl, err := s.client(c)
	if err != nil {
		return err
	}
	title := c.FormValue("title")
	r, err := s.q.NewRound(title, c.FormValue("lang"))
	if err != nil {
		if assessment.ErrorCode(err) != assessment.EINVALID {
			return err
		}
		msg := ""
		for _, fe := range assessment.FieldErrors(err) {
			msg = loc(c).Hint(fe)
		}
		return s.renderClient(c, cl, http.StatusUnprocessableEntity, title, msg)
	}
	if err := s.ws.store.CreateRound(c.Request().Context(), currentUser(c).WorkspaceID, cl.ID, &r); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, roundURL(r.ID, ""))
}

// revealRound shows the aggregate to the participants, or hides it again.
func (s *Server) revealRound(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	if err := s.ws.store.SetRoundRevealed(c.Request().Context(), r.WorkspaceID, r.ID, c.FormValue("revealed") == "1"); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, roundURL(r.ID, ""))
}

// closeRound freezes a round; a closed round cannot be closed again.
func (s *Server) closeRound(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	if _, err := s.ws.store.CloseRound(c.Request().Context(), s.q, r.WorkspaceID, r.ID); err != nil && assessment.ErrorCode(err) != assessment.ECONFLICT {
		return err
	}
	return c.Redirect(http.StatusSeeOther, roundURL(r.ID, ""))
}

// joinURL is the absolute participant link of a round, on the host the consultant uses.
func (s *Server) joinURL(c echo.Context, code string) string {
	scheme := "http"
	if s.secure(c) {
		scheme = "https"
	}
	return scheme + "://" + c.Request().Host + "/j/" + code
}

// roundQR draws the participant link as a QR code in SVG: one path of unit squares, no
// style attribute or element, so it passes the CSP.
func (s *Server) roundQR(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	svg, err := qrSVG(s.joinURL(c, r.Code))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "image/svg+xml", svg)
}

// qrSVG encodes text as a QR code (error correction M) with the standard 4-module quiet zone.
func qrSVG(text string) ([]byte, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	n := code.Size + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y := range code.Size {
		for x := range code.Size {
			if code.Black(x, y) {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x+4, y+4)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return []byte(b.String()), nil
}

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
	cl, err := s.ws.store.Client(ctx, r.WorkspaceID, r.ClientID)
	if err != nil {
		return err
	}
	ps, err := s.ws.store.RoundParticipants(ctx, r.WorkspaceID, r.ID)
	if err != nil {
		return err
	}
	battles, err := s.ws.store.Battles(ctx, r.WorkspaceID, r.ID)
	if err != nil {
		return err
	}
	agg := s.q.Aggregate(ratingsOf(ps))
	p := views.ReportPage{WSPage: s.wsPage(c, "ws.report"), RoundID: r.ID, ClientID: cl.ID, Client: cl.Profile.Name, Title: r.Title,
		Opened: formatDate(l, r.OpenedAt), Participants: agg.Participants, CanAdd: len(battles) < assessment.MaxBattles,
		Form: form, FormError: formError, AsIsIndex: "–", ToBeIndex: "–"}
	p.Page.Title = r.Title
	p.Section = "clients"
	if !r.Open() {
		p.Closed = formatDate(l, r.ClosedAt)
	}
	if p.Form.Status == "" {
		p.Form.Status = assessment.BattlePlanned
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

func ratingsOf(ps []assessment.Participant) []assessment.Ratings {
	out := make([]assessment.Ratings, len(ps))
	for i, p := range ps {
		out[i] = p.Ratings
	}
	return out
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
		err = s.ws.store.AddBattle(c.Request().Context(), r.WorkspaceID, r.ID, &b)
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
	if err := s.ws.store.UpdateBattle(c.Request().Context(), r.WorkspaceID, &b); err != nil {
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
	if err := s.ws.store.DeleteBattle(c.Request().Context(), r.WorkspaceID, r.ID, id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, roundURL(r.ID, "/report"))
}

// compareRounds shows two rounds of a client on one radar with their deltas. Rounds are
// given as ?a= (before) and ?b= (after) and must both belong to the client.
func (s *Server) compareRounds(c echo.Context) error {
	ctx := c.Request().Context()
	cl, err := s.client(c)
	if err != nil {
		return err
	}
	if c.QueryParam("a") == "" && c.QueryParam("b") == "" {
		// No rounds chosen yet: the choice is made on the client's page.
		return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/w/clients/%d", cl.ID))
	}
	l := loc(c)
	ws := currentUser(c).WorkspaceID
	load := func(param string) (*assessment.Round, assessment.Aggregate, error) {
		id, err := strconv.ParseInt(c.QueryParam(param), 10, 64)
		if err != nil {
			return nil, assessment.Aggregate{}, assessment.NewError(assessment.ENOTFOUND, assessment.MsgRoundNotFound, nil)
		}
		r, err := s.ws.store.Round(ctx, ws, id)
		if err != nil {
			return nil, assessment.Aggregate{}, err
		}
		if r.ClientID != cl.ID {
			return nil, assessment.Aggregate{}, assessment.NewError(assessment.ENOTFOUND, assessment.MsgRoundNotFound, nil)
		}
		ps, err := s.ws.store.RoundParticipants(ctx, ws, id)
		if err != nil {
			return nil, assessment.Aggregate{}, err
		}
		if len(ps) == 0 {
			return nil, assessment.Aggregate{}, assessment.NewError(assessment.EINVALID, assessment.MsgCompareEmpty, assessment.Args{"Title": r.Title})
		}
		return r, s.q.Aggregate(ratingsOf(ps)), nil
	}
	ra, aggA, err := load("a")
	if err != nil {
		return err
	}
	rb, aggB, err := load("b")
	if err != nil {
		return err
	}
	cmp := assessment.Compare(aggA.Result, aggB.Result)
	before := ra.Title + " (" + formatDate(l, ra.OpenedAt) + ")"
	after := rb.Title + " (" + formatDate(l, rb.OpenedAt) + ")"
	p := views.ComparePage{WSPage: s.wsPage(c, "ws.compare.title"), ClientID: cl.ID, Client: cl.Profile.Name, Before: before, After: after}
	p.Section = "clients"
	p.Charts = true
	row := func(label string, d assessment.Delta) views.DeltaRow {
		return views.DeltaRow{Label: label, BeforeAsIs: l.Num(d.Before.AsIs, 1), AfterAsIs: l.Num(d.After.AsIs, 1), DeltaAsIs: l.Signed(d.AsIs, 1),
			BeforeToBe: l.Num(d.Before.ToBe, 1), AfterToBe: l.Num(d.After.ToBe, 1), DeltaToBe: l.Signed(d.ToBe, 1),
			Up: d.AsIs > 1e-9, Down: d.AsIs < -1e-9}
	}
	var axes []chart.Axis
	var va, vb []float64
	for i, gd := range cmp.Categories {
		cat := s.q.Categories[i]
		label := cat.Letter + " · " + l.Text(cat.Name)
		p.Categories = append(p.Categories, row(label, gd.Delta))
		axes = append(axes, chart.Axis{Name: chart.WrapName(label), Min: float64(s.q.Scale.Min), Max: float64(s.q.Scale.Max)})
		va = append(va, gd.Before.AsIs)
		vb = append(vb, gd.After.AsIs)
	}
	for _, cd := range cmp.Competencies {
		comp, _ := s.q.Competency(cd.Number)
		p.Rows = append(p.Rows, row(strconv.Itoa(cd.Number)+" "+l.Text(comp.Name), cd.Delta))
	}
	name := func(n int) string {
		comp, _ := s.q.Competency(n)
		d := cmp.Competencies[n-1]
		return fmt.Sprintf("%d %s: %s → %s (%s)", n, l.Text(comp.Name), l.Num(d.Before.AsIs, decimals(d.Before.AsIs)),
			l.Num(d.After.AsIs, decimals(d.After.AsIs)), l.Signed(d.AsIs, decimals(d.AsIs)))
	}
	for _, n := range cmp.Improved {
		p.Improved = append(p.Improved, name(n))
	}
	for _, n := range cmp.Slipped {
		p.Slipped = append(p.Slipped, name(n))
	}
	if p.Chart, err = chart.Radar(axes, []chart.Series{
		{Name: l.T("test.asis.short") + " · " + ra.Title, Values: va, Kind: chart.KindBenchmark},
		{Name: l.T("test.asis.short") + " · " + rb.Title, Values: vb, Kind: chart.KindAsIs},
	}); err != nil {
		return fmt.Errorf("compare radar: %w", err)
	}
	return render(c, http.StatusOK, views.Compare(p))
}
