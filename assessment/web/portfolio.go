package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// portfolioRows loads the workspace's portfolio, filtered by ?industry= and sorted by ?sort=
// (assessment.Questionnaire.PortfolioRows), for the page and its export alike.
func (s *Server) portfolioRows(c echo.Context) (rows []assessment.PortfolioRow, industry, sortKey string, err error) {
	entries, err := s.db.clients.Portfolio(c.Request().Context(), currentUser(c).WorkspaceID)
	if err != nil {
		return nil, "", "", err
	}
	// An open round shows its publication, which a view of it brings up to date first.
	for i := range entries {
		if r := entries[i].Round; r != nil && r.Open() {
			if _, _, err := s.shown(c.Request().Context(), r, entries[i].Participants); err != nil {
				return nil, "", "", err
			}
		}
	}
	industry, sortKey = c.QueryParam("industry"), assessment.PortfolioSort(c.QueryParam("sort"))
	return s.q.PortfolioRows(entries, industry, sortKey), industry, sortKey, nil
}

// portfolioQuery is the query string of the portfolio's filter and sort, for its links.
func portfolioQuery(industry, sortKey string) string {
	v := url.Values{"sort": {sortKey}}
	if industry != "" {
		v.Set("industry", industry)
	}
	return v.Encode()
}

// portfolio shows every active client of the workspace as a heatmap of the 7 categories
// (latest answered round, AS-IS) with gap and last assessed date, sortable and filterable by
// industry, all on the server so it works without JavaScript.
func (s *Server) portfolio(c echo.Context) error {
	l := loc(c)
	rows, industry, sortKey, err := s.portfolioRows(c)
	if err != nil {
		return err
	}
	p := views.PortfolioPage{WSPage: s.wsPage(c, "ws.portfolio.title"), Industry: industry, Sort: sortKey, SortLinks: map[string]string{}}
	p.Section = "portfolio"
	for _, k := range assessment.PortfolioSorts {
		p.SortLinks[k] = "/w/portfolio?" + portfolioQuery(industry, k)
	}
	p.Downloads = exportLinks(l, "/w/portfolio/export", "?"+portfolioQuery(industry, sortKey), formatXLSX, formatCSV)
	for _, cat := range s.q.Categories {
		p.Categories = append(p.Categories, views.Choice{Value: cat.Letter, Label: l.Text(cat.Name)})
	}
	for _, o := range s.q.Industries {
		p.Industries = append(p.Industries, views.Choice{Value: o.Key, Label: l.Text(o.Name)})
	}
	for _, r := range rows {
		v := views.PortfolioRow{ClientID: r.Client.ID, Name: r.Client.Profile.Name, Industry: s.industryName(l, r.Client.Profile.Industry)}
		if r.HasData {
			m, err := s.movement(c.Request().Context(), &r.Client)
			if err != nil {
				return err
			}
			var steps []string
			for _, st := range m.Steps {
				steps = append(steps, l.Num(st.AsIs, 1))
			}
			v.Movement = strings.Join(steps, " → ")
			if len(m.Steps) >= 2 {
				v.Change = l.Signed(m.Change, 1)
				v.Up, v.Down = m.Change >= 0.05, m.Change <= -0.05
			}
			v.HasData = true
			for i, cs := range r.Result.Categories {
				cell := s.heatCell(l, cs.AsIs, l.Text(s.q.Categories[i].Name))
				cell.Text = l.Num(cs.AsIs, 1)
				v.Cells = append(v.Cells, cell)
			}
			v.AsIs, v.Gap = l.Num(r.Result.Overall.AsIs, 1), l.Signed(r.Result.Overall.Gap, 1)
			v.Date = formatDate(l, r.Assessed)
			v.Round = r.Round.Title
		}
		p.Rows = append(p.Rows, v)
	}
	p.Spread, p.SpreadTicks = s.spreadView(l, rows)
	return render(c, http.StatusOK, views.Portfolio(p))
}

// Strip geometry of the portfolio's spread, in its viewBox (400 wide).
const spreadLeft, spreadRight = 10.0, 390.0

// spreadView draws where each client stands per category (assessment.PortfolioSpread), with
// the scale's ticks; nothing when no client has data.
func (s *Server) spreadView(l views.Loc, rows []assessment.PortfolioRow) ([]views.SpreadRow, []views.TrendTick) {
	spread := s.q.PortfolioSpread(rows)
	if len(spread) == 0 || len(spread[0].Points) == 0 {
		return nil, nil
	}
	lo, hi := float64(s.q.Scale.Min), float64(s.q.Scale.Max)
	x := func(v float64) float64 { return spreadLeft + (spreadRight-spreadLeft)*(clampTo(v, lo, hi)-lo)/(hi-lo) }
	var ticks []views.TrendTick
	for m := s.q.Scale.Min; m <= s.q.Scale.Max; m++ {
		ticks = append(ticks, views.TrendTick{At: x(float64(m)), Label: strconv.Itoa(m)})
	}
	var out []views.SpreadRow
	for _, cs := range spread {
		name := l.Text(cs.Category.Name)
		r := views.SpreadRow{Letter: cs.Category.Letter, Name: name, P25X: x(cs.P25), MedianX: x(cs.Median), P75X: x(cs.P75),
			Summary: l.F("ws.portfolio.spread.aria", views.Args{"Category": cs.Category.Letter + " · " + name, "Median": l.Num(cs.Median, 1),
				"Range": l.Num(cs.P25, 1) + "–" + l.Num(cs.P75, 1), "Count": len(cs.Points)})}
		for i, p := range cs.Points {
			// Three lanes keep clients with close values apart.
			r.Dots = append(r.Dots, views.SpreadDot{X: x(p.AsIs), Y: 15 + float64(i%3-1)*6, Title: p.Client.Profile.Name + ": " + l.Num(p.AsIs, 1)})
		}
		out = append(out, r)
	}
	return out, ticks
}

// movement is how a client moved between its closed rounds, each by its published result.
func (s *Server) movement(ctx context.Context, cl *assessment.Client) (assessment.Movement, error) {
	rounds, err := s.db.rounds.Rounds(ctx, cl.WorkspaceID, cl.ID)
	if err != nil {
		return assessment.Movement{}, err
	}
	var steps []assessment.RoundStep
	for i := range rounds {
		r := &rounds[i]
		if r.Open() {
			continue
		}
		ps, err := s.db.participants.RoundParticipants(ctx, cl.WorkspaceID, r.ID)
		if err != nil {
			return assessment.Movement{}, err
		}
		shown, _, err := s.shownRatings(ctx, r, ps)
		if err != nil {
			return assessment.Movement{}, err
		}
		if len(shown) > 0 {
			steps = append(steps, assessment.RoundStep{Round: *r, AsIs: s.q.Aggregate(shown).Result.Overall.AsIs})
		}
	}
	return assessment.MovementOf(steps), nil
}
