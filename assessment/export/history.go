package export

import (
	"cmp"
	"slices"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// HistoryData is what a client's history export is made of.
type HistoryData struct {
	Client assessment.Client
	// Rounds are the client's rounds with their finished participants' ratings; only closed
	// rounds are exported, oldest first.
	Rounds   []assessment.RoundAnswers
	Exported time.Time
}

// ClientHistory is a client's workbook over time: About (the client's profile), Rounds (one
// row per closed round: participants, overall scores and indexes), and the category means of
// every closed round, AS-IS and TO-BE on a sheet each, rounds as rows, so that a line chart
// of a sheet shows the client's way. A closed round without participants has a row with no
// scores.
func ClientHistory(q *assessment.Questionnaire, t Translator, d HistoryData) Workbook {
	var closed []assessment.RoundAnswers
	for _, r := range d.Rounds {
		if !r.Round.Open() {
			closed = append(closed, r)
		}
	}
	slices.SortStableFunc(closed, func(a, b assessment.RoundAnswers) int {
		return cmp.Or(a.Round.ClosedAt.Compare(b.Round.ClosedAt), cmp.Compare(a.Round.ID, b.Round.ID))
	})

	rounds := Table{Name: t.T("export.sheet.rounds"), Header: []string{
		t.T("export.about.round"), t.T("export.about.opened"), t.T("export.about.closed"), t.T("export.about.participants"),
		t.T("field.as_is"), t.T("field.to_be"), t.T("result.col.gap"), t.T("result.asis.index"), t.T("result.tobe.index"),
	}}
	head := []string{t.T("export.about.round"), t.T("export.about.closed")}
	for _, c := range q.Categories {
		head = append(head, c.Letter+" · "+t.Text(c.Name))
	}
	head = append(head, t.T("bench.overall"))
	asIs := Table{Name: t.T("field.as_is"), Header: head}
	toBe := Table{Name: t.T("field.to_be"), Header: head}
	for _, r := range closed {
		agg := q.Aggregate(r.Participants)
		base := row(Text(r.Round.Title), Day(r.Round.OpenedAt), Day(r.Round.ClosedAt), Int(agg.Participants))
		a, b := row(Text(r.Round.Title), Day(r.Round.ClosedAt)), row(Text(r.Round.Title), Day(r.Round.ClosedAt))
		if agg.Participants > 0 {
			res := agg.Result
			o := res.Overall
			base = append(base, Number(o.AsIs, meanDecimals), Number(o.ToBe, meanDecimals), Number(o.Gap, meanDecimals),
				Number(res.AsIsIndex, wholeDecimals), Number(res.ToBeIndex, wholeDecimals))
			for _, cs := range res.Categories {
				a = append(a, Number(cs.AsIs, meanDecimals))
				b = append(b, Number(cs.ToBe, meanDecimals))
			}
			a = append(a, Number(o.AsIs, meanDecimals))
			b = append(b, Number(o.ToBe, meanDecimals))
		}
		rounds.Rows = append(rounds.Rows, base)
		asIs.Rows = append(asIs.Rows, a)
		toBe.Rows = append(toBe.Rows, b)
	}
	if len(closed) == 0 {
		none := [][]Cell{row(Text(t.T("export.none.closed")))}
		rounds.Rows, asIs.Rows, toBe.Rows = none, none, none
	}
	about := Table{Name: t.T("export.sheet.about"), Rows: append(profileRows(q, t, "export.about.client", d.Client.Profile),
		field(t.T("export.about.closed_rounds"), Int(len(closed))),
		field(t.T("export.about.exported"), Day(d.Exported)))}
	return Workbook{Sheets: []Table{about, rounds, asIs, toBe}}
}

// profileRows describe a company's profile in About rows: name (labelled nameKey), industry,
// size, country and years with NPS, each in the export's language where the questionnaire
// names it.
func profileRows(q *assessment.Questionnaire, t Translator, nameKey string, p assessment.Company) [][]Cell {
	var industry, size, years string
	if o, ok := q.Industry(p.Industry); ok {
		industry = t.Text(o.Name)
	}
	if o, ok := q.SizeBand(p.Size); ok {
		size = t.Text(o.Name)
	}
	if s, ok := q.Segment(p.NPSYears); ok {
		years = t.Text(s.Name)
	}
	return [][]Cell{
		field(t.T(nameKey), Text(p.Name)),
		field(t.T("export.about.industry"), Text(industry)),
		field(t.T("export.about.size"), Text(size)),
		field(t.T("export.about.country"), Text(p.Country)),
		field(t.T("export.about.nps_years"), Text(years)),
	}
}
