package export

import (
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// PortfolioData is what the portfolio export is made of.
type PortfolioData struct {
	Workspace string
	// Industry is the key of the industry filter, "" for all industries.
	Industry string
	// Rows are the clients as the page shows them: filtered and sorted
	// (assessment.Questionnaire.PortfolioRows).
	Rows     []assessment.PortfolioRow
	Exported time.Time
}

// Portfolio is the portfolio's workbook: About (workspace, filter) and the clients × the
// categories.
func Portfolio(q *assessment.Questionnaire, t Translator, d PortfolioData) Workbook {
	industry := t.T("ws.portfolio.all")
	if o, ok := q.Industry(d.Industry); ok {
		industry = t.Text(o.Name)
	}
	about := Table{Name: t.T("export.sheet.about"), Rows: [][]Cell{
		field(t.T("export.about.workspace"), Text(d.Workspace)),
		field(t.T("export.about.industry"), Text(industry)),
		field(t.T("export.about.clients"), Int(len(d.Rows))),
		field(t.T("export.about.exported"), Day(d.Exported)),
	}}
	return Workbook{Sheets: []Table{about, PortfolioTable(q, t, d)}}
}

// PortfolioTable is the clients × the categories, as on the portfolio page: each active
// client's latest answered round, its title and date, the mean AS-IS of every category, the
// overall AS-IS and gap. A client without an answered round has its name and industry only.
// It is the portfolio's CSV.
func PortfolioTable(q *assessment.Questionnaire, t Translator, d PortfolioData) Table {
	tb := Table{Name: t.T("export.sheet.portfolio"), Header: []string{t.T("export.about.client"), t.T("export.about.industry"),
		t.T("export.about.round"), t.T("ws.portfolio.date")}}
	for _, c := range q.Categories {
		tb.Header = append(tb.Header, c.Letter+" · "+t.Text(c.Name))
	}
	tb.Header = append(tb.Header, t.T("field.as_is"), t.T("result.col.gap"))
	for _, r := range d.Rows {
		industry := ""
		if o, ok := q.Industry(r.Client.Profile.Industry); ok {
			industry = t.Text(o.Name)
		}
		cells := row(Text(r.Client.Profile.Name), Text(industry))
		if r.HasData {
			cells = append(cells, Text(r.Round.Title), Day(r.Assessed))
			for _, cs := range r.Result.Categories {
				cells = append(cells, Number(cs.AsIs, meanDecimals))
			}
			cells = append(cells, Number(r.Result.Overall.AsIs, meanDecimals), Number(r.Result.Overall.Gap, meanDecimals))
		}
		tb.Rows = append(tb.Rows, cells)
	}
	return tb
}
