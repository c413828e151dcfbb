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

	var rows []closedRound
	for _, r := range closed {
		rows = append(rows, closedRound{round: r.Round, agg: q.Aggregate(r.Participants)})
	}
	rounds := tableOf(t.T("export.sheet.rounds"), roundsColumns(t), rows)
	asIs := tableOf(t.T("field.as_is"), sideColumns(q, t, func(s assessment.Score) float64 { return s.AsIs }), rows)
	toBe := tableOf(t.T("field.to_be"), sideColumns(q, t, func(s assessment.Score) float64 { return s.ToBe }), rows)
	if len(closed) == 0 {
		rounds, asIs, toBe = none(t, rounds, "export.none.closed"), none(t, asIs, "export.none.closed"), none(t, toBe, "export.none.closed")
	}
	about := Table{Name: t.T("export.sheet.about"), Rows: append(profileRows(q, t, "export.about.client", d.Client.Profile),
		field(t.T("export.about.closed_rounds"), Int(len(closed))),
		field(t.T("export.about.exported"), Day(d.Exported)))}
	return Workbook{Sheets: []Table{about, rounds, asIs, toBe}}
}

// closedRound is a row of a history's tables: a closed round and its room's result.
type closedRound struct {
	round assessment.Round
	agg   assessment.Aggregate
}

// score returns a cell of the round's result, empty when nobody finished the round.
func (r closedRound) score(v func(assessment.Result) float64, decimals int) Cell {
	if r.agg.Participants == 0 {
		return Cell{}
	}
	return Number(v(r.agg.Result), decimals)
}

// roundsColumns are the Rounds sheet's: each closed round's dates, participants, overall
// scores and indexes.
func roundsColumns(t Translator) []column[closedRound] {
	overall := func(v func(assessment.Score) float64) func(closedRound) Cell {
		return func(r closedRound) Cell {
			return r.score(func(res assessment.Result) float64 { return v(res.Overall) }, meanDecimals)
		}
	}
	return []column[closedRound]{
		{t.T("export.about.round"), func(r closedRound) Cell { return Text(r.round.Title) }},
		{t.T("export.about.opened"), func(r closedRound) Cell { return Day(r.round.OpenedAt) }},
		{t.T("export.about.closed"), func(r closedRound) Cell { return Day(r.round.ClosedAt) }},
		{t.T("export.about.participants"), func(r closedRound) Cell { return Int(r.agg.Participants) }},
		{t.T("field.as_is"), overall(func(s assessment.Score) float64 { return s.AsIs })},
		{t.T("field.to_be"), overall(func(s assessment.Score) float64 { return s.ToBe })},
		{t.T("result.col.gap"), overall(func(s assessment.Score) float64 { return s.Gap })},
		{t.T("result.asis.index"), func(r closedRound) Cell {
			return r.score(func(res assessment.Result) float64 { return res.AsIsIndex }, wholeDecimals)
		}},
		{t.T("result.tobe.index"), func(r closedRound) Cell {
			return r.score(func(res assessment.Result) float64 { return res.ToBeIndex }, wholeDecimals)
		}},
	}
}

// sideColumns are the columns of the AS-IS or the TO-BE sheet (side picks which): each
// closed round's category means and overall score, so that a line chart shows the way.
func sideColumns(q *assessment.Questionnaire, t Translator, side func(assessment.Score) float64) []column[closedRound] {
	cols := []column[closedRound]{
		{t.T("export.about.round"), func(r closedRound) Cell { return Text(r.round.Title) }},
		{t.T("export.about.closed"), func(r closedRound) Cell { return Day(r.round.ClosedAt) }},
	}
	for i, c := range q.Categories {
		cols = append(cols, column[closedRound]{c.Letter + " · " + t.Text(c.Name), func(r closedRound) Cell {
			return r.score(func(res assessment.Result) float64 { return side(res.Categories[i].Score) }, meanDecimals)
		}})
	}
	return append(cols, column[closedRound]{t.T("bench.overall"), func(r closedRound) Cell {
		return r.score(func(res assessment.Result) float64 { return side(res.Overall) }, meanDecimals)
	}})
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
