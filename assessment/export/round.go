package export

import (
	"slices"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// RoundData is what a workshop round's export is made of, as the caller loaded it.
type RoundData struct {
	Client assessment.Client
	Round  assessment.Round
	// Participants are those the round's result counts: its publication
	// (assessment.Questionnaire.Shown), under the publication's labels.
	Participants []assessment.Participant
	// Finished counts the round's finished participants, published or not, for the message
	// that says why a sheet is empty.
	Finished int
	Battles  []assessment.Battle
	Notes    []assessment.Note
	// Language names the round's language in the export's language ("Dansk").
	Language string
	// Exported is when the export was made.
	Exported time.Time
}

// finished returns the participants who finished, by the number of their label: the order
// of the dashboard's heatmap, which follows neither joining nor finishing.
func (d *RoundData) finished() []assessment.Participant {
	var done []assessment.Participant
	for _, p := range d.Participants {
		if p.Finished() {
			done = append(done, p)
		}
	}
	slices.SortStableFunc(done, func(a, b assessment.Participant) int {
		return assessment.LabelNumber(a.Label) - assessment.LabelNumber(b.Label)
	})
	return done
}

// ErrDetail returns the ECONFLICT error of a round whose result counts shown participants,
// too few for single participants to be shown (assessment.Questionnaire.ShowsDetail), and
// nil when they may. finished, the round's finished participants, goes into the message.
func ErrDetail(q *assessment.Questionnaire, shown, finished int) error {
	if q.ShowsDetail(shown) {
		return nil
	}
	return assessment.NewError(assessment.ECONFLICT, assessment.MsgExportDetail,
		assessment.Args{"Min": q.MinParticipantsForDetail, "Finished": finished})
}

// RoundWorkbook is a round's workbook: About, Answers (one row per participant and
// competency, under anonymous labels, never names), Competencies (the room's statistics),
// Categories, Must Win Battles and Notes. Below the detail threshold the Answers sheet holds
// a sentence saying why it has no rows, and the Competencies sheet no lowest and highest
// scores: the same rule as the dashboard and the API.
func RoundWorkbook(q *assessment.Questionnaire, t Translator, d RoundData) Workbook {
	agg := q.Aggregate(assessment.FinishedRatings(d.Participants))
	answers := answersTable(q, t, &d)
	competencies, categories := roundCompetencies(q, t, agg), roundCategories(q, t, agg)
	if err := ErrDetail(q, agg.Participants, d.Finished); err != nil {
		// Counts only: no figure of fewer than the threshold, not even a mean.
		e, _ := assessment.AsError(err)
		answers.Rows = [][]Cell{row(Text(t.F(e.Key, e.Args)))}
		if d.Finished > 0 {
			competencies.Rows, categories.Rows = answers.Rows, answers.Rows
		}
	}
	return Workbook{Sheets: []Table{
		roundAbout(q, t, &d, agg),
		answers,
		competencies,
		categories,
		battlesTable(q, t, d.Battles),
		notesTable(q, t, d.Notes),
	}}
}

// RoundAnswers is the Answers table alone, the round's CSV. Below the detail threshold there
// is nothing it could hold, and it is an ECONFLICT error (ErrDetail) rather than a file with
// a header and no rows, which would look like a round without answers.
func RoundAnswers(q *assessment.Questionnaire, t Translator, d RoundData) (Table, error) {
	if err := ErrDetail(q, len(assessment.FinishedRatings(d.Participants)), d.Finished); err != nil {
		return Table{}, err
	}
	return answersTable(q, t, &d), nil
}

func roundAbout(q *assessment.Questionnaire, t Translator, d *RoundData, agg assessment.Aggregate) Table {
	r := &d.Round
	rows := [][]Cell{
		field(t.T("export.about.client"), Text(d.Client.Profile.Name)),
		field(t.T("export.about.round"), Text(r.Title)),
		field(t.T("export.about.status"), Text(t.T("ws.round.status."+r.Status()))),
		field(t.T("export.about.opened"), Day(r.OpenedAt)),
		field(t.T("export.about.closed"), Day(r.ClosedAt)),
		field(t.T("export.about.language"), Text(d.Language)),
		field(t.T("export.about.version"), Text(r.QuestionnaireVersion)),
		field(t.T("export.about.participants"), Int(agg.Participants)),
	}
	if agg.Participants > 0 {
		rows = append(rows,
			field(t.T("result.asis.index"), Number(agg.Result.AsIsIndex, wholeDecimals)),
			field(t.T("result.tobe.index"), Number(agg.Result.ToBeIndex, wholeDecimals)))
	}
	rows = append(rows, field(t.T("export.about.exported"), Day(d.Exported)))
	return Table{Name: t.T("export.sheet.about"), Rows: rows}
}

// answersTable has one row per finished participant and competency: label, number, key,
// names and the two scores. It never holds a name or a role.
func answersTable(q *assessment.Questionnaire, t Translator, d *RoundData) Table {
	tb := Table{Name: t.T("export.sheet.answers"), Header: []string{
		t.T("export.col.participant"), t.T("result.col.number"), t.T("export.col.key"), t.T("result.col.name"),
		t.T("result.col.cat"), t.T("field.as_is"), t.T("field.to_be"),
	}}
	for _, p := range d.finished() {
		for i, c := range q.Competencies {
			cat, _ := q.Category(c.Category)
			x := p.Ratings[i]
			tb.Rows = append(tb.Rows, row(Text(p.Label), Int(c.Number), Text(c.Key), Text(t.Text(c.Name)),
				Text(t.Text(cat.Name)), Number(x.AsIs, wholeDecimals), Number(x.ToBe, wholeDecimals)))
		}
	}
	return tb
}

// side names a column of one side's statistic: "AS-IS: Mean".
func side(t Translator, sideKey, statKey string) string {
	return t.F("export.col.stat", map[string]any{"Side": t.T(sideKey), "Stat": t.T(statKey)})
}

// roundCompetencies is the room's view of each competency: mean, lowest, highest and
// standard deviation of both sides, the gap and the disagreement flags. Lowest and highest
// describe single participants and are empty below the detail threshold.
func roundCompetencies(q *assessment.Questionnaire, t Translator, agg assessment.Aggregate) Table {
	tb := Table{Name: t.T("export.sheet.competencies"), Header: []string{
		t.T("result.col.number"), t.T("export.col.key"), t.T("result.col.name"), t.T("result.col.cat"),
		side(t, "field.as_is", "ws.mean"), side(t, "field.as_is", "ws.min"), side(t, "field.as_is", "ws.max"), side(t, "field.as_is", "ws.sd"),
		side(t, "field.to_be", "ws.mean"), side(t, "field.to_be", "ws.min"), side(t, "field.to_be", "ws.max"), side(t, "field.to_be", "ws.sd"),
		t.T("result.col.gap"), t.T("ws.dash.disagree.asis"), t.T("ws.dash.disagree.tobe"),
	}}
	if agg.Participants == 0 {
		tb.Rows = [][]Cell{row(Text(t.T("export.none.answers")))}
		return tb
	}
	detail := q.ShowsDetail(agg.Participants)
	stat := func(s assessment.Stat) []Cell {
		lo, hi := Cell{}, Cell{}
		if detail {
			lo, hi = Number(s.Min, wholeDecimals), Number(s.Max, wholeDecimals)
		}
		return row(Number(s.Mean, meanDecimals), lo, hi, Number(s.SD, meanDecimals))
	}
	yes := func(b bool) Cell {
		if b {
			return Text(t.T("ws.yes"))
		}
		return Text(t.T("ws.no"))
	}
	for _, ca := range agg.Competencies {
		c, _ := q.Competency(ca.Number)
		cat, _ := q.Category(c.Category)
		r := row(Int(c.Number), Text(c.Key), Text(t.Text(c.Name)), Text(t.Text(cat.Name)))
		r = append(r, stat(ca.AsIs)...)
		r = append(r, stat(ca.ToBe)...)
		r = append(r, Number(ca.Gap, meanDecimals), yes(ca.DisagreeAsIs), yes(ca.DisagreeToBe))
		tb.Rows = append(tb.Rows, r)
	}
	return tb
}

// roundCategories is the room's mean per category, then overall.
func roundCategories(q *assessment.Questionnaire, t Translator, agg assessment.Aggregate) Table {
	tb := Table{Name: t.T("export.sheet.categories"), Header: categoryHeader(t)}
	if agg.Participants == 0 {
		tb.Rows = [][]Cell{row(Text(t.T("export.none.answers")))}
		return tb
	}
	tb.Rows = categoryRows(q, t, agg.Result)
	return tb
}

// categoryHeader and categoryRows are the category scores of a result, for a round and for
// a client's history alike.
func categoryHeader(t Translator) []string {
	return []string{t.T("export.col.letter"), t.T("export.col.key"), t.T("result.col.cat"), t.T("export.col.theme"),
		t.T("field.as_is"), t.T("field.to_be"), t.T("result.col.gap")}
}

func categoryRows(q *assessment.Questionnaire, t Translator, res assessment.Result) [][]Cell {
	var rows [][]Cell
	for i, cs := range res.Categories {
		cat := q.Categories[i]
		theme, _ := q.Theme(cat.Theme)
		rows = append(rows, row(Text(cat.Letter), Text(cat.Key), Text(t.Text(cat.Name)), Text(t.Text(theme.Name)),
			Number(cs.AsIs, meanDecimals), Number(cs.ToBe, meanDecimals), Number(cs.Gap, meanDecimals)))
	}
	o := res.Overall
	return append(rows, row(Cell{}, Text(assessment.MetricOverall), Text(t.T("bench.overall")), Cell{},
		Number(o.AsIs, meanDecimals), Number(o.ToBe, meanDecimals), Number(o.Gap, meanDecimals)))
}

// battlesTable lists the round's Must Win Battles in the order they were recorded.
func battlesTable(q *assessment.Questionnaire, t Translator, bs []assessment.Battle) Table {
	tb := Table{Name: t.T("ws.mwb.title"), Header: []string{t.T("result.col.number"), t.T("result.col.name"),
		t.T("ws.mwb.title.field"), t.T("ws.mwb.owner"), t.T("ws.mwb.due"), t.T("ws.mwb.status")}}
	for _, b := range bs {
		c, _ := q.Competency(b.Competency)
		due := Cell{}
		if d, err := time.Parse(time.DateOnly, b.Due); err == nil {
			due = Day(d)
		}
		tb.Rows = append(tb.Rows, row(Int(b.Competency), Text(t.Text(c.Name)), Text(b.Title), Text(b.Owner), due,
			Text(t.T("ws.mwb.status."+b.Status))))
	}
	if len(bs) == 0 {
		tb.Rows = [][]Cell{row(Text(t.T("export.none.battles")))}
	}
	return tb
}

// notesTable lists what the room said, by competency.
func notesTable(q *assessment.Questionnaire, t Translator, ns []assessment.Note) Table {
	tb := Table{Name: t.T("export.sheet.notes"), Header: []string{t.T("result.col.number"), t.T("result.col.name"), t.T("export.col.note")}}
	for _, n := range ns {
		c, _ := q.Competency(n.Competency)
		tb.Rows = append(tb.Rows, row(Int(n.Competency), Text(t.Text(c.Name)), Text(n.Text)))
	}
	if len(ns) == 0 {
		tb.Rows = [][]Cell{row(Text(t.T("export.none.notes")))}
	}
	return tb
}
