package web

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// portfolioRows loads the workspace's portfolio, filtered by ?industry= and sorted by ?sort=
// (assessment.Questionnaire.PortfolioRows), for the page and its export alike.
func (s *Server) portfolioRows(c echo.Context) (rows []assessment.PortfolioRow, industry, sortKey string, err error) {
	entries, err := s.store.Portfolio(c.Request().Context(), currentUser(c).WorkspaceID)
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
	return render(c, http.StatusOK, views.Portfolio(p))
}
