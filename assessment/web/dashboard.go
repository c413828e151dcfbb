package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/chart"
	"github.com/loyalty-cx/loyalty/views"
)

// topGaps is how many of the largest gaps the dashboard lists.
const topGaps = 5

// dashboard is the consultant's live view of a round.
func (s *Server) dashboard(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cl, err := s.store.Client(ctx, r.WorkspaceID, r.ClientID)
	if err != nil {
		return err
	}
	live, err := s.roundLive(c, r, true)
	if err != nil {
		return err
	}
	p := views.DashboardPage{WSPage: s.wsPage(c, "ws.dash"), RoundID: r.ID, ClientID: cl.ID, Client: cl.Profile.Name, Title: r.Title,
		Open: r.Open(), Revealed: r.Revealed, JoinURL: s.joinURL(c, r.Code), ShortCode: r.ShortCode,
		QRURL: roundURL(r.ID, "/qr.svg"), LiveURL: roundURL(r.ID, "/live"), LivePollMS: s.livePoll.Milliseconds(), Live: live}
	p.Page.Title = r.Title
	p.Section = "clients"
	p.Charts = true
	if _, p.LiveETag, err = renderLive(c, live); err != nil {
		return err
	}
	return render(c, http.StatusOK, views.Dashboard(p))
}

// dashboardLive is the refreshed part of the dashboard, polled by workshop.js. Its ETag is
// the hash of the fragment, so an unchanged room costs a 304 and no repaint. The rendered
// fragment is kept per round, language and revision: while nobody answers, a poll costs
// the session and round look-ups only.
func (s *Server) dashboardLive(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	key := liveKey{round: r.ID, lang: loc(c).Lang}
	body, etag, ok := s.ws.live.get(key, r.Revision)
	if !ok {
		live, err := s.roundLive(c, r, true)
		if err != nil {
			return err
		}
		if body, etag, err = renderLive(c, live); err != nil {
			return err
		}
		s.ws.live.put(key, r.Revision, body, etag)
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-cache, private")
	h.Set("ETag", etag)
	if c.Request().Header.Get("If-None-Match") == etag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.HTMLBlob(http.StatusOK, body)
}

// renderLive renders the live fragment and its ETag, the hash of its bytes.
func renderLive(c echo.Context, live views.LiveView) ([]byte, string, error) {
	var buf bytes.Buffer
	if err := views.DashboardLive(live).Render(c.Request().Context(), &buf); err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(buf.Bytes())
	return buf.Bytes(), `"` + hex.EncodeToString(sum[:12]) + `"`, nil
}

// roundLive aggregates a round's participants for display.
func (s *Server) roundLive(c echo.Context, r *assessment.Round, individual bool) (views.LiveView, error) {
	ps, err := s.store.RoundParticipants(c.Request().Context(), r.WorkspaceID, r.ID)
	if err != nil {
		return views.LiveView{}, err
	}
	return s.liveView(loc(c), s.q.Aggregate(assessment.FinishedRatings(ps)), ps, individual)
}

// liveView builds the live part of a dashboard. individual adds the consultant-only parts
// (min, max and the heatmaps of anonymous participants); the room never gets them.
func (s *Server) liveView(l views.Loc, agg assessment.Aggregate, ps []assessment.Participant, individual bool) (views.LiveView, error) {
	q := s.q
	v := views.LiveView{Loc: l, Participants: agg.Participants, HasData: agg.Participants > 0, Threshold: q.DisagreementRange, Individual: individual}
	if !v.HasData {
		return v, nil
	}
	res := agg.Result
	var axes []chart.Axis
	var asIs, toBe []float64
	for i, cs := range res.Categories {
		cat := q.Categories[i]
		axes = append(axes, chart.Axis{Name: chart.WrapName(cat.Letter + " · " + l.Text(cat.Name)), Min: float64(q.Scale.Min), Max: float64(q.Scale.Max)})
		asIs = append(asIs, cs.AsIs)
		toBe = append(toBe, cs.ToBe)
	}
	var err error
	if v.Chart, err = chart.Radar(axes, []chart.Series{
		{Name: l.T("chart.asis"), Values: asIs, Kind: chart.KindAsIs},
		{Name: l.T("chart.tobe"), Values: toBe, Kind: chart.KindToBe},
	}); err != nil {
		return v, fmt.Errorf("live radar: %w", err)
	}
	for _, ca := range agg.Competencies {
		comp, _ := q.Competency(ca.Number)
		name := l.Text(comp.Name)
		v.Competencies = append(v.Competencies, views.CompStatRow{
			Number: ca.Number, Name: name,
			AsIsMean: l.Num(ca.AsIs.Mean, 1), AsIsMin: l.Num(ca.AsIs.Min, 0), AsIsMax: l.Num(ca.AsIs.Max, 0), AsIsSD: l.Num(ca.AsIs.SD, 2),
			ToBeMean: l.Num(ca.ToBe.Mean, 1), ToBeMin: l.Num(ca.ToBe.Min, 0), ToBeMax: l.Num(ca.ToBe.Max, 0), ToBeSD: l.Num(ca.ToBe.SD, 2),
			Gap: l.Signed(ca.Gap, 1), DisagreeAsIs: ca.DisagreeAsIs, DisagreeToBe: ca.DisagreeToBe,
		})
		label := strconv.Itoa(ca.Number) + " " + name
		if ca.DisagreeAsIs {
			v.DisagreeAsIs = append(v.DisagreeAsIs, label+" ("+l.F("ws.dash.range", views.Args{"Min": l.Num(ca.AsIs.Min, 0), "Max": l.Num(ca.AsIs.Max, 0)})+")")
		}
		if ca.DisagreeToBe {
			v.DisagreeToBe = append(v.DisagreeToBe, label+" ("+l.F("ws.dash.range", views.Args{"Min": l.Num(ca.ToBe.Min, 0), "Max": l.Num(ca.ToBe.Max, 0)})+")")
		}
	}
	for rank, n := range res.Priorities[:min(topGaps, len(res.Priorities))] {
		cs := res.Competency(n)
		comp, _ := q.Competency(n)
		v.TopGaps = append(v.TopGaps, views.GapRow{Rank: rank + 1, Number: n, Name: l.Text(comp.Name),
			AsIs: l.Num(cs.AsIs, 1), ToBe: l.Num(cs.ToBe, 1), Gap: l.Signed(cs.Gap, 1)})
	}
	if individual {
		for _, c := range q.Competencies {
			v.HeatHead = append(v.HeatHead, c.Number)
		}
		// Participants are labelled by join order only: the projector shows no names.
		for i, p := range ps {
			label := "P" + strconv.Itoa(i+1)
			ra, rb := views.HeatRow{Label: label}, views.HeatRow{Label: label}
			for j, x := range p.Ratings {
				ra.Cells = append(ra.Cells, s.heatCell(l, x.AsIs, fmt.Sprintf("%s · %d", label, j+1)))
				rb.Cells = append(rb.Cells, s.heatCell(l, x.ToBe, fmt.Sprintf("%s · %d", label, j+1)))
			}
			v.HeatAsIs = append(v.HeatAsIs, ra)
			v.HeatToBe = append(v.HeatToBe, rb)
		}
	}
	return v, nil
}

// heatCell colours a score by its place on the scale: heat-1 (lowest fifth) to heat-5.
func (s *Server) heatCell(l views.Loc, v float64, title string) views.HeatCell {
	pos := (v - float64(s.q.Scale.Min)) / float64(s.q.Scale.Max-s.q.Scale.Min)
	n := int(math.Round(pos*4)) + 1
	n = max(1, min(5, n))
	return views.HeatCell{Text: l.Num(v, decimals(v)), Class: "heat-" + strconv.Itoa(n), Title: title}
}

// liveCache keeps the last rendered live fragment of each round and language.
type liveCache struct {
	mu sync.Mutex
	m  map[liveKey]liveEntry
}

type liveKey struct {
	round int64
	lang  string
}

type liveEntry struct {
	revision int64
	body     []byte
	etag     string
}

// maxLiveEntries bounds the cache; a workspace runs a handful of live rounds at a time.
const maxLiveEntries = 256

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
