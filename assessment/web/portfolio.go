package web

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// portfolio shows every active client of the workspace as a heatmap of the 7 categories
// (latest answered round, AS-IS) with gap and last assessed date, sortable and filterable by
// industry, all on the server so it works without JavaScript.
func (s *Server) portfolio(c echo.Context) error {
	l := loc(c)
	entries, err := s.store.Portfolio(c.Request().Context(), currentUser(c).WorkspaceID)
	if err != nil {
		return err
	}
	industry := c.QueryParam("industry")
	sortKey := c.QueryParam("sort")
	switch sortKey {
	case "name", "asis", "gap", "date":
	default:
		sortKey = "name"
	}
	p := views.PortfolioPage{WSPage: s.wsPage(c, "ws.portfolio.title"), Industry: industry, Sort: sortKey, SortLinks: map[string]string{}}
	p.Section = "portfolio"
	for _, k := range []string{"name", "asis", "gap", "date"} {
		v := url.Values{"sort": {k}}
		if industry != "" {
			v.Set("industry", industry)
		}
		p.SortLinks[k] = "/w/portfolio?" + v.Encode()
	}
	for _, cat := range s.q.Categories {
		p.Categories = append(p.Categories, views.Choice{Value: cat.Letter, Label: l.Text(cat.Name)})
	}
	for _, o := range s.q.Industries {
		p.Industries = append(p.Industries, views.Choice{Value: o.Key, Label: l.Text(o.Name)})
	}
	type row struct {
		views.PortfolioRow
		asIs, gap float64
		date      time.Time
	}
	var rows []row
	for _, e := range entries {
		if industry != "" && e.Client.Profile.Industry != industry {
			continue
		}
		r := row{PortfolioRow: views.PortfolioRow{ClientID: e.Client.ID, Name: e.Client.Profile.Name, Industry: s.industryName(l, e.Client.Profile.Industry)}}
		if e.Round != nil && len(e.Participants) > 0 {
			res := s.q.Aggregate(assessment.FinishedRatings(e.Participants)).Result
			r.HasData = true
			for i, cs := range res.Categories {
				cell := s.heatCell(l, cs.AsIs, l.Text(s.q.Categories[i].Name))
				cell.Text = l.Num(cs.AsIs, 1)
				r.Cells = append(r.Cells, cell)
			}
			r.asIs, r.gap = res.Overall.AsIs, res.Overall.Gap
			r.AsIs, r.Gap = l.Num(r.asIs, 1), l.Signed(r.gap, 1)
			r.date = e.Round.OpenedAt
			if !e.Round.Open() {
				r.date = e.Round.ClosedAt
			}
			r.Date = formatDate(l, r.date)
			r.Round = e.Round.Title
		}
		rows = append(rows, r)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.HasData != b.HasData && sortKey != "name" {
			return a.HasData // clients without a round last
		}
		switch sortKey {
		case "asis":
			return a.asIs < b.asIs // weakest first: where help is needed
		case "gap":
			return a.gap > b.gap
		case "date":
			return a.date.After(b.date)
		}
		return strings.ToLower(a.Name) < strings.ToLower(b.Name)
	})
	for _, r := range rows {
		p.Rows = append(p.Rows, r.PortfolioRow)
	}
	return render(c, http.StatusOK, views.Portfolio(p))
}
