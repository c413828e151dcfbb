package web

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/chart"
	"github.com/loyalty-cx/loyalty/views"
)

// This file is the presentation of a round: the projector's full screen, in the round's
// language, legible from the back of the room. Until the consultant reveals the result, every
// step shows the lobby (how to join, how many have joined and finished, nothing about any
// answer); after the reveal the consultant steps through the result, each step its own URL,
// and each step follows the room live.

// Presentation steps after the lobby; the categories' steps ("cat-<key>") come between gaps
// and battles. The Must Win Battles take a step per battlesPerStep ("battles", "battles-2").
const (
	stepLobby    = "lobby"
	stepRadar    = "radar"
	stepToday    = "today"
	stepAmbition = "ambition"
	stepGaps     = "gaps"
	stepBattles  = "battles"
	catPrefix    = "cat-"
)

// battlesPerStep is how many Must Win Battles one projector screen shows: five with long
// titles do not fit 1280×720, so the fourth and fifth get a step of their own.
const battlesPerStep = 3

var stepName = regexp.MustCompile(`^(lobby|radar|today|ambition|gaps|battles(-[2-9])?|cat-[a-z0-9-]{1,40})$`)

// validStep reports whether step is shaped like a presentation step (the handler checks that
// a category step names a category).
func validStep(step string) bool { return stepName.MatchString(step) }

// presentSteps lists the steps of a revealed round in order, for a round with the given
// number of Must Win Battles.
func (s *Server) presentSteps(battles int) []string {
	steps := []string{stepRadar, stepToday, stepAmbition, stepGaps}
	for _, cat := range s.q.Categories {
		steps = append(steps, catPrefix+cat.Key)
	}
	steps = append(steps, stepBattles)
	for page := 2; (page-1)*battlesPerStep < battles; page++ {
		steps = append(steps, battlesStep(page))
	}
	return steps
}

// battlesStep names the step that shows page (from 1) of the Must Win Battles.
func battlesStep(page int) string {
	if page <= 1 {
		return stepBattles
	}
	return stepBattles + "-" + strconv.Itoa(page)
}

// battlesPage returns which page of the Must Win Battles a step shows, or 0 for another step.
func battlesPage(step string) int {
	if step == stepBattles {
		return 1
	}
	if rest, ok := cutPrefix(step, stepBattles+"-"); ok {
		if n, err := strconv.Atoi(rest); err == nil && n > 1 {
			return n
		}
	}
	return 0
}

// roundSteps lists the steps of round r's presentation.
func (s *Server) roundSteps(c echo.Context, r *assessment.Round) ([]string, error) {
	battles, err := s.db.battles.Battles(c.Request().Context(), r.WorkspaceID, r.ID)
	if err != nil {
		return nil, err
	}
	return s.presentSteps(len(battles)), nil
}

// present shows one step of the presentation (the first one at /present).
func (s *Server) present(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	step := c.Param("step")
	steps, err := s.roundSteps(c, r)
	if err != nil {
		return err
	}
	if step == "" {
		step = steps[0]
	}
	if step != stepLobby && !slices.Contains(steps, step) {
		return assessment.NewError(assessment.ENOTFOUND, assessment.MsgNotFound, nil)
	}
	// The presentation speaks the round's language, whatever the consultant's pages do.
	c.Set(langKey, r.Lang)
	l := loc(c)
	cl, err := s.db.clients.Client(c.Request().Context(), r.WorkspaceID, r.ClientID)
	if err != nil {
		return err
	}
	content, err := s.presentContent(c, r, step)
	if err != nil {
		return err
	}
	p := views.PresentPage{Page: s.page(c, "ws.present.title"), RoundID: r.ID, Round: r.Title, Client: cl.Profile.Name, Step: step,
		LiveURL: roundURL(r.ID, "/present/"+step+"/live"), LivePollMS: s.livePoll.Milliseconds(), CSRF: csrfToken(c),
		Content: content, Revealed: r.Revealed, Open: r.Open(), ExitURL: roundURL(r.ID, ""), ServerNowMS: s.now().UnixMilli()}
	p.Page.Title = r.Title
	p.Charts = true
	i := slices.Index(steps, step)
	for j, st := range steps {
		p.Steps = append(p.Steps, views.StepLink{URL: roundURL(r.ID, "/present/"+st), Label: s.stepLabel(l, st), Current: j == i})
	}
	if i > 0 {
		p.PrevURL = roundURL(r.ID, "/present/"+steps[i-1])
	}
	if i >= 0 && i+1 < len(steps) {
		p.NextURL = roundURL(r.ID, "/present/"+steps[i+1])
	}
	if _, p.LiveETag, err = renderFragment(c, views.PresentLive(content)); err != nil {
		return err
	}
	return render(c, http.StatusOK, views.Present(p))
}

// presentLive is the refreshed part of a presentation step, polled by workshop.js.
func (s *Server) presentLive(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	step := c.Param("step")
	steps, err := s.roundSteps(c, r)
	if err != nil {
		return err
	}
	if step != stepLobby && !slices.Contains(steps, step) {
		return assessment.NewError(assessment.ENOTFOUND, assessment.MsgNotFound, nil)
	}
	c.Set(langKey, r.Lang)
	return s.serveFragment(c, r, "present/"+step, func() (templ.Component, error) {
		content, err := s.presentContent(c, r, step)
		return views.PresentLive(content), err
	})
}

// stepLabel names a step for the step links.
func (s *Server) stepLabel(l views.Loc, step string) string {
	if page := battlesPage(step); page > 1 {
		return l.F("ws.present.step.battles.page", views.Args{"Page": page})
	}
	if key, ok := cutPrefix(step, catPrefix); ok {
		if cat, ok := s.q.Category(key); ok {
			return cat.Letter
		}
	}
	return l.T("ws.present.step." + step)
}

func cutPrefix(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):], true
	}
	return "", false
}

// presentContent builds what one step shows. Before the reveal every step is the lobby.
func (s *Server) presentContent(c echo.Context, r *assessment.Round, step string) (views.PresentView, error) {
	ctx := c.Request().Context()
	l := loc(c)
	ps, err := s.roundParticipants(ctx, r)
	if err != nil {
		return views.PresentView{}, err
	}
	pr := assessment.ProgressOf(ps)
	v := views.PresentView{Loc: l, Step: step, Revealed: r.Revealed, Progress: views.ProgressView{Joined: pr.Joined, Answering: pr.Answering, Finished: pr.Finished}}
	if !r.Deadline.IsZero() && r.Open() {
		v.DeadlineMS = r.Deadline.UnixMilli()
	}
	if !r.Revealed || step == stepLobby {
		v.Step = stepLobby
		v.Lobby = views.LobbyView{Open: r.Open(), JoinURL: s.joinURL(c, r.Code), JoinHost: s.joinHost(c), ShortCode: r.ShortCode,
			QRURL: roundURL(r.ID, "/qr.svg")}
		return v, nil
	}
	shown, _, err := s.shownRatings(ctx, r, ps)
	if err != nil {
		return v, err
	}
	agg := s.q.Aggregate(shown)
	v.Participants = agg.Participants
	// A publication counts nobody or at least the threshold: no figure of fewer, not even a
	// mean, and changes only by several people at once.
	v.Detail = s.q.ShowsDetail(agg.Participants)
	if !v.Detail {
		v.Empty = true
		if pr.Finished > 0 {
			v.WaitNote = s.waitNote(l, pr.Finished)
		}
		return v, nil
	}
	switch {
	case step == stepRadar:
		return v, s.presentRadar(l, &v, agg)
	case step == stepToday || step == stepAmbition:
		s.presentDisagreement(l, &v, agg, step == stepToday)
	case step == stepGaps:
		res := agg.Result
		span := float64(s.q.Scale.Max - s.q.Scale.Min)
		for rank, n := range res.Priorities[:min(topGaps, len(res.Priorities))] {
			cs := res.Competency(n)
			v.Gaps = append(v.Gaps, views.GapRow{Rank: rank + 1, Number: n, Name: l.Text(s.q.Competencies[n-1].Name), Label: s.competencyLabel(l, n),
				AsIs: l.Num(cs.AsIs, 1), ToBe: l.Num(cs.ToBe, 1), Gap: l.Gap(cs.AsIs, cs.ToBe, 1), BarPct: clamp(cs.Gap / span * 100)})
		}
	case battlesPage(step) > 0:
		if err := s.presentBattles(c, r, &v, battlesPage(step)); err != nil {
			return v, err
		}
	default:
		key, _ := cutPrefix(step, catPrefix)
		s.presentCategory(l, &v, agg, key)
	}
	return v, nil
}

// presentBattles shows one page of the round's Must Win Battles, read-only: the projector
// has no edit controls (the dashboard and the report have them).
func (s *Server) presentBattles(c echo.Context, r *assessment.Round, v *views.PresentView, page int) error {
	bv, err := s.battlesView(c, r, "present/"+battlesStep(page), views.BattleRow{}, "")
	if err != nil {
		return err
	}
	all := bv.Battles
	from := min((page-1)*battlesPerStep, len(all))
	to := min(from+battlesPerStep, len(all))
	bv.Battles = all[from:to]
	v.Battles = bv
	v.BattlesFrom = from + 1
	if len(all) > battlesPerStep {
		v.BattlesPage = v.F("ws.present.battles.range", views.Args{"From": from + 1, "To": to, "Count": len(all)})
	}
	return nil
}

func (s *Server) presentRadar(l views.Loc, v *views.PresentView, agg assessment.Aggregate) error {
	res := agg.Result
	var axes []chart.Axis
	var asIs, toBe []float64
	labels := s.categoryLabels(l)
	for i, cs := range res.Categories {
		axes = append(axes, chart.Axis{Name: chart.WrapName(labels[i]), Min: float64(s.q.Scale.Min), Max: float64(s.q.Scale.Max)})
		asIs = append(asIs, cs.AsIs)
		toBe = append(toBe, cs.ToBe)
	}
	var err error
	v.Chart, err = chart.Radar(axes, []chart.Series{
		{Name: l.T("chart.asis"), Values: asIs, Kind: chart.KindAsIs},
		{Name: l.T("chart.tobe"), Values: toBe, Kind: chart.KindToBe},
	})
	v.AsIsIndex, v.ToBeIndex = l.Num(res.AsIsIndex, 0), l.Num(res.ToBeIndex, 0)
	v.GapIndex = gapIndex(l, res.AsIsIndex, res.ToBeIndex)
	if err != nil {
		return fmt.Errorf("presentation radar: %w", err)
	}
	return nil
}

// maxShownDisagreements is how many disagreements fit one screen; the rest are named below.
const maxShownDisagreements = 3

// presentDisagreement lists the competencies the room disagrees on about today (or about the
// ambition), widest spread first, with how many chose each point once that may be shown.
func (s *Server) presentDisagreement(l views.Loc, v *views.PresentView, agg assessment.Aggregate, today bool) {
	type flagged struct {
		ca assessment.CompetencyAggregate
		st assessment.Stat
	}
	var list []flagged
	for _, ca := range agg.Competencies {
		st, on := ca.ToBe, ca.DisagreeToBe
		if today {
			st, on = ca.AsIs, ca.DisagreeAsIs
		}
		if on {
			list = append(list, flagged{ca, st})
		}
	}
	slices.SortStableFunc(list, func(a, b flagged) int {
		switch {
		case a.st.SD > b.st.SD:
			return -1
		case a.st.SD < b.st.SD:
			return 1
		}
		return a.ca.Number - b.ca.Number
	})
	for i, f := range list {
		if i == maxShownDisagreements {
			var more []string
			for _, rest := range list[i:] {
				more = append(more, strconv.Itoa(rest.ca.Number))
			}
			v.More = l.F("ws.present.more", views.Args{"Count": len(more), "List": joinList(l, more)})
			break
		}
		counts := f.ca.ToBeCounts
		if today {
			counts = f.ca.AsIsCounts
		}
		v.Disagreements = append(v.Disagreements, s.presentItem(l, f.ca, counts, today, v.Detail))
	}
}

// presentCategory shows a category's three competencies with how the room answered them.
func (s *Server) presentCategory(l views.Loc, v *views.PresentView, agg assessment.Aggregate, key string) {
	cat, _ := s.q.Category(key)
	v.Category = cat.Letter + " · " + l.Text(cat.Name)
	for _, comp := range s.q.CategoryCompetencies(key) {
		ca := agg.Competencies[comp.Number-1]
		item := s.presentItem(l, ca, ca.AsIsCounts, true, v.Detail)
		item.ToBeBars = s.bars(l, ca.ToBeCounts, v.Detail)
		item.Statement = l.Text(comp.Statement)
		v.Items = append(v.Items, item)
	}
}

// presentItem describes one competency for the projector: means, gap, and the distribution of
// one side (bars) when single participants may be shown.
func (s *Server) presentItem(l views.Loc, ca assessment.CompetencyAggregate, counts []int, asIs, detail bool) views.PresentItem {
	comp := s.q.Competencies[ca.Number-1]
	it := views.PresentItem{Number: ca.Number, Name: l.Text(comp.Name), Label: l.Text(comp.Label), AsIs: l.Num(ca.AsIs.Mean, 1), ToBe: l.Num(ca.ToBe.Mean, 1),
		Gap: l.Gap(ca.AsIs.Mean, ca.ToBe.Mean, 1), DisagreeAsIs: ca.DisagreeAsIs, DisagreeToBe: ca.DisagreeToBe}
	bars := s.bars(l, counts, detail)
	if asIs {
		it.AsIsBars = bars
	} else {
		it.ToBeBars = bars
	}
	return it
}

// bars turns how many chose each point into bars; none below the detail threshold.
func (s *Server) bars(l views.Loc, counts []int, detail bool) []views.Bar {
	if !detail {
		return nil
	}
	most := 1
	for _, n := range counts {
		most = max(most, n)
	}
	out := make([]views.Bar, len(counts))
	for i, n := range counts {
		out[i] = views.Bar{Value: s.q.Scale.Min + i, Count: n, Pct: float64(n) / float64(most) * 100,
			Label: l.Text(s.q.Scale.Labels[i].Label)}
	}
	return out
}

// csrfToken returns the session's CSRF token for the forms of a page.
func csrfToken(c echo.Context) string {
	t, _ := c.Get(csrfKey).(string)
	return t
}
