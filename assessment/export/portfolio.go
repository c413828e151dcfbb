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
	return tableOf(t.T("export.sheet.portfolio"), portfolioColumns(q, t), d.Rows)
}

// portfolioColumns are the portfolio table's: a client, its industry, and the scores of its
// latest answered round, empty for a client without one.
func portfolioColumns(q *assessment.Questionnaire, t Translator) []column[assessment.PortfolioRow] {
	type row = assessment.PortfolioRow
	scored := func(cell func(r row) Cell) func(r row) Cell {
		return func(r row) Cell {
			if !r.HasData {
				return Cell{}
			}
			return cell(r)
		}
	}
	cols := []column[row]{
		{t.T("export.about.client"), func(r row) Cell { return Text(r.Client.Profile.Name) }},
		{t.T("export.about.industry"), func(r row) Cell {
			if o, ok := q.Industry(r.Client.Profile.Industry); ok {
				return Text(t.Text(o.Name))
			}
			return Cell{}
		}},
		{t.T("export.about.round"), scored(func(r row) Cell { return Text(r.Round.Title) })},
		{t.T("ws.portfolio.date"), scored(func(r row) Cell { return Day(r.Assessed) })},
	}
	for i, c := range q.Categories {
		cols = append(cols, column[row]{c.Letter + " · " + t.Text(c.Name),
			scored(func(r row) Cell { return Number(r.Result.Categories[i].AsIs, meanDecimals) })})
	}
	return append(cols,
		column[row]{t.T("field.as_is"), scored(func(r row) Cell { return Number(r.Result.Overall.AsIs, meanDecimals) })},
		column[row]{t.T("result.col.gap"), scored(func(r row) Cell { return Number(r.Result.Overall.Gap, meanDecimals) })},
	)
}
