package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/chart"
	"github.com/loyalty-cx/loyalty/views"
)

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
	ws := currentUser(c).WorkspaceID
	load := func(param string) (*assessment.Round, assessment.Aggregate, error) {
		id, err := strconv.ParseInt(c.QueryParam(param), 10, 64)
		if err != nil {
			return nil, assessment.Aggregate{}, assessment.NewError(assessment.ENOTFOUND, assessment.MsgRoundNotFound, nil)
		}
		r, err := s.db.rounds.Round(ctx, ws, id)
		if err != nil {
			return nil, assessment.Aggregate{}, err
		}
		if r.ClientID != cl.ID {
			return nil, assessment.Aggregate{}, assessment.NewError(assessment.ENOTFOUND, assessment.MsgRoundNotFound, nil)
		}
		ps, err := s.db.participants.RoundParticipants(ctx, ws, id)
		if err != nil {
			return nil, assessment.Aggregate{}, err
		}
		if len(ps) == 0 {
			return nil, assessment.Aggregate{}, assessment.NewError(assessment.EINVALID, assessment.MsgCompareEmpty, assessment.Args{"Title": r.Title})
		}
		shown, _, err := s.shownRatings(ctx, r, ps)
		if err != nil {
			return nil, assessment.Aggregate{}, err
		}
		if len(shown) == 0 {
			return nil, assessment.Aggregate{}, s.tooFew(ps)
		}
		return r, s.q.Aggregate(shown), nil
	}
	ra, aggA, err := load("a")
	if err != nil {
		return err
	}
	rb, aggB, err := load("b")
	if err != nil {
		return err
	}
	// A hand-out: in the language of the later round, whatever the consultant's pages speak.
	ui := s.documentLang(c, rb.Lang)
	l := loc(c)
	cmp := assessment.Compare(aggA.Result, aggB.Result)
	before := ra.Title + " (" + formatDate(l, ra.OpenedAt) + ")"
	after := rb.Title + " (" + formatDate(l, rb.OpenedAt) + ")"
	p := views.ComparePage{WSPage: s.wsPage(c, "ws.compare.title"), ClientID: cl.ID, Client: cl.Profile.Name, Before: before, After: after}
	p.Section = "clients"
	p.UILang = ui
	p.Charts = true
	p.PrintFooter = printFooter(cl.Profile.Name+" · "+l.T("ws.compare.title"), formatDate(l, s.now()))
	var axes []chart.Axis
	var va, vb []float64
	p.Categories = s.categoryDeltas(l, cmp)
	for i, gd := range cmp.Categories {
		axes = append(axes, chart.Axis{Name: chart.WrapName(p.Categories[i].Label), Min: float64(s.q.Scale.Min), Max: float64(s.q.Scale.Max)})
		va = append(va, gd.Before.AsIs)
		vb = append(vb, gd.After.AsIs)
	}
	for _, cd := range cmp.Competencies {
		p.Rows = append(p.Rows, deltaRow(l, strconv.Itoa(cd.Number)+" "+s.competencyTitle(l, cd.Number), cd.Delta))
	}
	for _, n := range cmp.Improved {
		p.Improved = append(p.Improved, s.movedAsIs(l, cmp, n))
	}
	for _, n := range cmp.Slipped {
		p.Slipped = append(p.Slipped, s.movedAsIs(l, cmp, n))
	}
	if p.Chart, err = chart.Radar(axes, []chart.Series{
		{Name: l.T("field.as_is") + " · " + ra.Title, Values: va, Kind: chart.KindBenchmark},
		{Name: l.T("field.as_is") + " · " + rb.Title, Values: vb, Kind: chart.KindAsIs},
	}); err != nil {
		return fmt.Errorf("compare radar: %w", err)
	}
	path := fmt.Sprintf("/w/clients/%d/compare?a=%d&b=%d", cl.ID, ra.ID, rb.ID)
	if p.Benchmark, err = s.roundBenchmarkView(c, cl, rb, &aggB.Result, path); err != nil {
		return err
	}
	return render(c, http.StatusOK, views.Compare(p))
}
