package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/chart"
	"github.com/loyalty-cx/loyalty/views"
)

// This file is the consultant's dashboard of a round: blind until the results are revealed
// or explicitly shown on this screen (a laptop is often mirrored to the projector), with the
// room's progress, the participants, and the controls of the round's life.

// topGaps is how many of the largest gaps the dashboard lists.
const topGaps = 5

// liveMode says who looks at a live view.
type liveMode int

const (
	// viewConsultant is the consultant's own screen: per-person views (heatmaps, lowest and
	// highest score) appear once enough participants have finished.
	viewConsultant liveMode = iota
	// viewRoom is what the room sees, on the projector or a phone: the aggregate only.
	viewRoom
	// viewTeam is what a team round shows, on the executive's team page or a phone: the
	// room's view, and nothing at all of the result until enough have finished
	// (assessment.Questionnaire.TeamShowsResult).
	viewTeam
)

// dashboard is the consultant's live view of a round.
func (s *Server) dashboard(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cl, err := s.db.clients.Client(ctx, r.WorkspaceID, r.ClientID)
	if err != nil {
		return err
	}
	l := loc(c)
	show := showResults(c, r)
	live, err := s.dashboardLiveView(c, r, show)
	if err != nil {
		return err
	}
	p := views.DashboardPage{WSPage: s.wsPage(c, "ws.dash"), RoundID: r.ID, ClientID: cl.ID, Client: cl.Profile.Name, Title: r.Title,
		Open: r.Open(), Revealed: r.Revealed, Status: r.Status(), StatusLabel: l.T("ws.round.status." + r.Status()),
		JoinURL: s.joinURL(c, r.Code), JoinHost: s.joinHost(c), ShortCode: r.ShortCode,
		QRURL: roundURL(r.ID, "/qr.svg"), LiveURL: liveURL(r.ID, assessment.ParticipantFilter{Query: live.List.Query, Status: live.List.Status, Page: live.List.Page}, show), LivePollMS: s.livePoll.Milliseconds(), Live: live,
		Show: show, ShowURL: roundURL(r.ID, "?show=1"), HideURL: roundURL(r.ID, ""), PresentURL: roundURL(r.ID, "/present"),
		ServerNowMS: s.now().UnixMilli(), CountdownMinutes: []int{3, 5, 10, 15}}
	p.Page.Title = r.Title
	p.Section = "clients"
	p.Charts = true
	if finished := live.Progress.Finished; max(finished, r.Published.Size()) < s.q.MinParticipantsForDetail {
		p.RevealWait = l.F("ws.dash.reveal.wait", views.Args{"Count": s.q.MinParticipantsForDetail, "Finished": finished})
	}
	p.Downloads, p.DownloadNote = s.roundDownloads(l, r, max(live.Progress.Finished, r.Published.Size()))
	if p.Battles, err = s.battlesView(c, r, "dashboard", views.BattleRow{}, ""); err != nil {
		return err
	}
	if p.Notes, err = s.notesView(c, r, "dashboard"); err != nil {
		return err
	}
	if _, p.LiveETag, err = renderFragment(c, views.DashboardLive(live)); err != nil {
		return err
	}
	return render(c, http.StatusOK, views.Dashboard(p))
}

// showResults reports whether the dashboard shows the room's result: once it is revealed to
// the room, or when the consultant asked for it on this screen (?show=1).
func showResults(c echo.Context, r *assessment.Round) bool {
	return r.Revealed || c.QueryParam("show") == "1"
}

// liveURL is the dashboard's polling URL (and, through workshop.js, its stream's): it
// carries the participant list's page, search and filter, so that a live update keeps them.
func liveURL(id int64, f assessment.ParticipantFilter, show bool) string {
	return roundURL(id, "/live"+listQuery(f, show))
}

// dashKind is the key of a dashboard fragment in the live cache: blind or shown, and the
// participant list's page, search and filter.
func dashKind(c echo.Context, r *assessment.Round) (string, bool) {
	show := showResults(c, r)
	kind := "dash"
	if show {
		kind = "dash+results"
	}
	return kind + listQuery(peopleFilter(c), false), show
}

// peopleFilter is the participant list's filter in the request's query: q (a search by
// name), status and page. Anything it cannot use is read as none (ParticipantFilter.Clean):
// the list is a view, and a stale link should still show one.
func peopleFilter(c echo.Context) assessment.ParticipantFilter {
	page, _ := strconv.Atoi(c.QueryParam("page"))
	return assessment.ParticipantFilter{Query: c.QueryParam("q"), Status: c.QueryParam("status"), Page: page}.Clean()
}

// listQuery is the query ("?…", or "" when there is nothing to say) that keeps the
// participant list's filter f, and the result shown on this screen, across a link.
func listQuery(f assessment.ParticipantFilter, show bool) string {
	v := url.Values{}
	if show {
		v.Set("show", "1")
	}
	if f.Query != "" {
		v.Set("q", f.Query)
	}
	if f.Status != "" {
		v.Set("status", f.Status)
	}
	if f.Page > 1 {
		v.Set("page", strconv.Itoa(f.Page))
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// peopleList is the view of one page of the participant list, with the links to the others.
func (s *Server) peopleList(l views.Loc, id int64, pg assessment.ParticipantPage, show bool) views.PeopleList {
	f := pg.Filter
	link := func(f assessment.ParticipantFilter) string { return roundURL(id, listQuery(f, show)) + "#people" }
	v := views.PeopleList{Action: roundURL(id, "") + "#people", Show: show, Query: f.Query, Status: f.Status,
		Total: pg.Total, Matched: pg.Matched, First: pg.First, Last: pg.First + max(0, len(pg.Rows)-1), Page: f.Page, Pages: pg.Pages,
		ClearURL: link(assessment.ParticipantFilter{})}
	for _, st := range []struct {
		status string
		count  int
	}{{"", pg.ByStatus.Joined}, {assessment.ParticipantJoined, pg.ByStatus.Joined - pg.ByStatus.Answering - pg.ByStatus.Finished},
		{assessment.ParticipantAnswering, pg.ByStatus.Answering}, {assessment.ParticipantFinished, pg.ByStatus.Finished}} {
		key := "ws.people.all"
		if st.status != "" {
			key = "ws.people.status." + st.status
		}
		v.Filters = append(v.Filters, views.PeopleFilter{Label: l.T(key), Count: st.count, Status: st.status,
			URL: link(assessment.ParticipantFilter{Query: f.Query, Status: st.status}), Current: st.status == f.Status})
	}
	if f.Page > 1 {
		v.PrevURL = link(assessment.ParticipantFilter{Query: f.Query, Status: f.Status, Page: f.Page - 1})
	}
	if f.Page < pg.Pages {
		v.NextURL = link(assessment.ParticipantFilter{Query: f.Query, Status: f.Status, Page: f.Page + 1})
	}
	return v
}

// dashboardLive is the refreshed part of the dashboard, polled by workshop.js. Its ETag is
// the hash of the fragment, so an unchanged room costs a 304 and no repaint. Fragments are
// kept per round, kind, language and revision: while nothing changes, a poll costs the
// session and round look-ups only.
func (s *Server) dashboardLive(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	kind, show := dashKind(c, r)
	return s.serveFragment(c, r, kind, func() (templ.Component, error) {
		live, err := s.dashboardLiveView(c, r, show)
		return views.DashboardLive(live), err
	})
}

// serveFragment answers a live view's poll with the fragment build makes, cached by round,
// kind, language and revision, with an ETag of its bytes.
func (s *Server) serveFragment(c echo.Context, r *assessment.Round, kind string, build func() (templ.Component, error)) error {
	key := liveKey{round: r.ID, kind: kind, lang: loc(c).Lang}
	body, etag, ok := s.ws.live.get(key, r.Revision)
	if !ok {
		comp, err := build()
		if err != nil {
			return err
		}
		if body, etag, err = renderFragment(c, comp); err != nil {
			return err
		}
		s.ws.live.put(key, r.Revision, body, etag)
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-cache, private")
	h.Set("ETag", etag)
	if inm := c.Request().Header.Get("If-None-Match"); inm != "" && etagMatches(inm, etag, true) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.HTMLBlob(http.StatusOK, body)
}

// renderFragment renders a live fragment and its ETag, the hash of its bytes.
func renderFragment(c echo.Context, comp templ.Component) ([]byte, string, error) {
	var buf bytes.Buffer
	if err := comp.Render(c.Request().Context(), &buf); err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(buf.Bytes())
	return buf.Bytes(), `"` + hex.EncodeToString(sum[:12]) + `"`, nil
}

// dashboardLiveView is the dashboard's live part: progress and a page of the participants
// always (the page, search and status filter of the request's query: peopleFilter), the
// room's result only when shown.
func (s *Server) dashboardLiveView(c echo.Context, r *assessment.Round, show bool) (views.LiveView, error) {
	ps, err := s.roundParticipants(c.Request().Context(), r)
	if err != nil {
		return views.LiveView{}, err
	}
	l := loc(c)
	live, err := s.liveView(c.Request().Context(), l, r, ps, viewConsultant, show)
	if err != nil {
		return live, err
	}
	live.Blind = !show
	live.ShowURL = roundURL(r.ID, "?show=1")
	list := peopleFilter(c).Apply(ps, 0)
	live.List = s.peopleList(l, r.ID, list, show)
	back := listQuery(list.Filter, show)
	for _, p := range list.Rows {
		row := views.ParticipantRow{ID: p.ID, Name: p.Name, Joined: p.CreatedAt.Format("15:04"), Status: p.Status()}
		// A closed round is frozen: taking someone out needs re-opening it first.
		if r.Open() {
			row.RemoveURL = roundURL(r.ID, fmt.Sprintf("/participants/%d/remove", p.ID)) + back
		}
		switch p.Status() {
		case assessment.ParticipantAnswering:
			row.StatusLabel = l.F("ws.part.status.answering", views.Args{"N": p.Answered(), "Total": len(s.q.Competencies)})
		default:
			row.StatusLabel = l.T("ws.part.status." + p.Status())
		}
		live.People = append(live.People, row)
	}
	return live, nil
}

// liveView builds a round's live view from all its participants: the progress always, and
// when show the room's result from the round's publication (publication.go), which counts no
// one below the detail threshold and changes by no one alone. For the consultant it adds the
// views of single participants, under the publication's labels; the room never gets them.
func (s *Server) liveView(ctx context.Context, l views.Loc, r *assessment.Round, ps []assessment.Participant, mode liveMode, show bool) (views.LiveView, error) {
	q := s.q
	pr := assessment.ProgressOf(ps)
	v := views.LiveView{Loc: l, RoundID: r.ID, Threshold: q.DisagreementRange, MinDetail: q.MinParticipantsForDetail,
		Progress: views.ProgressView{Joined: pr.Joined, Answering: pr.Answering, Finished: pr.Finished}}
	if !r.Deadline.IsZero() && r.Open() {
		v.DeadlineMS = r.Deadline.UnixMilli()
	}
	if !show {
		return v, nil
	}
	shown, pending, err := s.shown(ctx, r, ps)
	if err != nil {
		return v, err
	}
	agg := q.Aggregate(assessment.FinishedRatings(shown))
	v.Participants, v.HasData = agg.Participants, agg.Participants > 0
	v.Detail = q.ShowsDetail(agg.Participants)
	v.Individual = mode == viewConsultant && v.Detail
	if mode == viewConsultant {
		if !v.HasData && pr.Finished > 0 {
			v.WaitNote = s.waitNote(l, pr.Finished)
		} else {
			v.PendingNote = s.pendingNote(l, r, pending)
		}
	}
	if mode == viewTeam && !q.TeamShowsResult(agg.Participants) {
		v.HasData = false
	}
	if !v.HasData || !v.Detail {
		// A publication is empty or counts at least the threshold; this guards the rule.
		v.HasData = false
		return v, nil
	}
	res := agg.Result
	var asIs, toBe []float64
	var axes []chart.Axis
	for i, cs := range res.Categories {
		axes = append(axes, chart.Axis{Name: chart.WrapName(s.categoryLabels(l)[i]), Min: float64(q.Scale.Min), Max: float64(q.Scale.Max)})
		asIs = append(asIs, cs.AsIs)
		toBe = append(toBe, cs.ToBe)
	}
	if v.Chart, err = chart.Radar(axes, []chart.Series{
		{Name: l.T("chart.asis"), Values: asIs, Kind: chart.KindAsIs},
		{Name: l.T("chart.tobe"), Values: toBe, Kind: chart.KindToBe},
	}); err != nil {
		return v, fmt.Errorf("live radar: %w", err)
	}
	names := s.competencyTitles(l)
	for _, ca := range agg.Competencies {
		row := views.CompStatRow{
			Number: ca.Number, Name: l.Text(q.Competencies[ca.Number-1].Name), Label: s.competencyLabel(l, ca.Number),
			AsIsMean: l.Num(ca.AsIs.Mean, 1), AsIsSD: l.Num(ca.AsIs.SD, 2),
			ToBeMean: l.Num(ca.ToBe.Mean, 1), ToBeSD: l.Num(ca.ToBe.SD, 2),
			Gap: l.Gap(ca.AsIs.Mean, ca.ToBe.Mean, 1), DisagreeAsIs: ca.DisagreeAsIs, DisagreeToBe: ca.DisagreeToBe,
		}
		if v.Individual {
			row.AsIsMin, row.AsIsMax = l.Num(ca.AsIs.Min, 0), l.Num(ca.AsIs.Max, 0)
			row.ToBeMin, row.ToBeMax = l.Num(ca.ToBe.Min, 0), l.Num(ca.ToBe.Max, 0)
		}
		v.Competencies = append(v.Competencies, row)
		label := names[ca.Number-1]
		if ca.DisagreeAsIs {
			v.DisagreeAsIs = append(v.DisagreeAsIs, s.disagreement(l, label, ca.AsIs, v.Individual))
		}
		if ca.DisagreeToBe {
			v.DisagreeToBe = append(v.DisagreeToBe, s.disagreement(l, label, ca.ToBe, v.Individual))
		}
	}
	for rank, n := range res.Priorities[:min(topGaps, len(res.Priorities))] {
		cs := res.Competency(n)
		v.TopGaps = append(v.TopGaps, views.GapRow{Rank: rank + 1, Number: n, Name: s.competencyTitle(l, n),
			AsIs: l.Num(cs.AsIs, 1), ToBe: l.Num(cs.ToBe, 1), Gap: l.Gap(cs.AsIs, cs.ToBe, 1)})
	}
	if v.Individual {
		s.addHeatmaps(l, &v, shown)
	}
	return v, nil
}

// disagreement names a competency the room disagrees on, with the spread when single
// participants may be shown ("5 Commitment (1–4)").
func (s *Server) disagreement(l views.Loc, label string, st assessment.Stat, detail bool) string {
	if !detail {
		return label
	}
	return label + " · " + l.F("ws.dash.range", views.Args{"Min": l.Num(st.Min, 0), "Max": l.Num(st.Max, 0)})
}

// addHeatmaps adds every published participant's answers as a row of each heatmap, under the
// label drawn at the publication, sorted by label so the rows follow neither joining nor
// finishing nor an earlier publication.
func (s *Server) addHeatmaps(l views.Loc, v *views.LiveView, ps []assessment.Participant) {
	for _, c := range s.q.Competencies {
		v.HeatHead = append(v.HeatHead, c.Number)
	}
	var done []assessment.Participant
	for _, p := range ps {
		if p.Finished() {
			done = append(done, p)
		}
	}
	slices.SortFunc(done, func(a, b assessment.Participant) int {
		return assessment.LabelNumber(a.Label) - assessment.LabelNumber(b.Label)
	})
	for _, p := range done {
		ra, rb := views.HeatRow{Label: p.Label}, views.HeatRow{Label: p.Label}
		for j, x := range p.Ratings {
			ra.Cells = append(ra.Cells, s.heatCell(l, x.AsIs, fmt.Sprintf("%s · %d", p.Label, j+1)))
			rb.Cells = append(rb.Cells, s.heatCell(l, x.ToBe, fmt.Sprintf("%s · %d", p.Label, j+1)))
		}
		v.HeatAsIs = append(v.HeatAsIs, ra)
		v.HeatToBe = append(v.HeatToBe, rb)
	}
}

// heatCell colours a score by its place on the scale: heat-1 (lowest fifth) to heat-5.
func (s *Server) heatCell(l views.Loc, v float64, title string) views.HeatCell {
	pos := (v - float64(s.q.Scale.Min)) / float64(s.q.Scale.Max-s.q.Scale.Min)
	n := int(math.Round(pos*4)) + 1
	n = max(1, min(5, n))
	return views.HeatCell{Text: l.Num(v, decimals(v)), Class: "heat-" + strconv.Itoa(n), Title: title}
}

// liveCache keeps the last rendered live fragment of each round, kind and language.
type liveCache struct {
	mu sync.Mutex
	m  map[liveKey]liveEntry
}

type liveKey struct {
	round int64
	kind  string
	lang  string
}

type liveEntry struct {
	revision int64
	body     []byte
	etag     string
}

// maxLiveEntries bounds the cache; a workspace runs a handful of live rounds at a time, each
// with a dashboard and a dozen presentation steps.
const maxLiveEntries = 1024

func (lc *liveCache) get(k liveKey, revision int64) ([]byte, string, bool) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	e, ok := lc.m[k]
	if !ok || e.revision != revision {
		return nil, "", false
	}
	return e.body, e.etag, true
}

func (lc *liveCache) put(k liveKey, revision int64, body []byte, etag string) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if lc.m == nil || len(lc.m) >= maxLiveEntries {
		lc.m = map[liveKey]liveEntry{}
	}
	lc.m[k] = liveEntry{revision: revision, body: body, etag: etag}
}
