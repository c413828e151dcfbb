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

// answer is a row of the Answers table: one finished participant's ratings of one
// competency.
type answer struct {
	label  string
	comp   assessment.Competency
	cat    assessment.Category
	rating assessment.Rating
}

// answersTable has one row per finished participant and competency: label, number, key,
// names and the two scores. It never holds a name or a role.
func answersTable(q *assessment.Questionnaire, t Translator, d *RoundData) Table {
	cols := []column[answer]{
		{t.T("export.col.participant"), func(a answer) Cell { return Text(a.label) }},
		{t.T("result.col.number"), func(a answer) Cell { return Int(a.comp.Number) }},
		{t.T("export.col.key"), func(a answer) Cell { return Text(a.comp.Key) }},
		{t.T("result.col.name"), func(a answer) Cell { return Text(t.Text(a.comp.Name)) }},
		{t.T("result.col.cat"), func(a answer) Cell { return Text(t.Text(a.cat.Name)) }},
		{t.T("field.as_is"), func(a answer) Cell { return Number(a.rating.AsIs, wholeDecimals) }},
		{t.T("field.to_be"), func(a answer) Cell { return Number(a.rating.ToBe, wholeDecimals) }},
	}
	var rows []answer
	for _, p := range d.finished() {
		for i, c := range q.Competencies {
			cat, _ := q.Category(c.Category)
			rows = append(rows, answer{label: p.Label, comp: c, cat: cat, rating: p.Ratings[i]})
		}
	}
	return tableOf(t.T("export.sheet.answers"), cols, rows)
}

// side names a column of one side's statistic: "AS-IS: Mean".
func side(t Translator, sideKey, statKey string) string {
	return t.F("export.col.stat", map[string]any{"Side": t.T(sideKey), "Stat": t.T(statKey)})
}

// roomCompetency is a row of the Competencies table: the room's statistics of one
// competency.
type roomCompetency struct {
	assessment.CompetencyAggregate
	comp assessment.Competency
	cat  assessment.Category
}

// roundCompetencies is the room's view of each competency: mean, lowest, highest and
// standard deviation of both sides, the gap and the disagreement flags. Lowest and highest
// describe single participants and are empty below the detail threshold.
func roundCompetencies(q *assessment.Questionnaire, t Translator, agg assessment.Aggregate) Table {
	detail := q.ShowsDetail(agg.Participants)
	stats := func(sideKey string, pick func(roomCompetency) assessment.Stat) []column[roomCompetency] {
		single := func(v func(assessment.Stat) float64) func(roomCompetency) Cell {
			return func(r roomCompetency) Cell {
				if !detail {
					return Cell{}
				}
				return Number(v(pick(r)), wholeDecimals)
			}
		}
		return []column[roomCompetency]{
			{side(t, sideKey, "ws.mean"), func(r roomCompetency) Cell { return Number(pick(r).Mean, meanDecimals) }},
			{side(t, sideKey, "ws.min"), single(func(s assessment.Stat) float64 { return s.Min })},
			{side(t, sideKey, "ws.max"), single(func(s assessment.Stat) float64 { return s.Max })},
			{side(t, sideKey, "ws.sd"), func(r roomCompetency) Cell { return Number(pick(r).SD, meanDecimals) }},
		}
	}
	yes := func(b bool) Cell {
		if b {
			return Text(t.T("ws.yes"))
		}
		return Text(t.T("ws.no"))
	}
	cols := slices.Concat(
		[]column[roomCompetency]{
			{t.T("result.col.number"), func(r roomCompetency) Cell { return Int(r.comp.Number) }},
			{t.T("export.col.key"), func(r roomCompetency) Cell { return Text(r.comp.Key) }},
			{t.T("result.col.name"), func(r roomCompetency) Cell { return Text(t.Text(r.comp.Name)) }},
			{t.T("result.col.cat"), func(r roomCompetency) Cell { return Text(t.Text(r.cat.Name)) }},
		},
		stats("field.as_is", func(r roomCompetency) assessment.Stat { return r.AsIs }),
		stats("field.to_be", func(r roomCompetency) assessment.Stat { return r.ToBe }),
		[]column[roomCompetency]{
			{t.T("result.col.gap"), func(r roomCompetency) Cell { return Number(r.Gap, meanDecimals) }},
			{t.T("ws.dash.disagree.asis"), func(r roomCompetency) Cell { return yes(r.DisagreeAsIs) }},
			{t.T("ws.dash.disagree.tobe"), func(r roomCompetency) Cell { return yes(r.DisagreeToBe) }},
		},
	)
	var rows []roomCompetency
	for _, ca := range agg.Competencies {
		c, _ := q.Competency(ca.Number)
		cat, _ := q.Category(c.Category)
		rows = append(rows, roomCompetency{CompetencyAggregate: ca, comp: c, cat: cat})
	}
	tb := tableOf(t.T("export.sheet.competencies"), cols, rows)
	if agg.Participants == 0 {
		return none(t, tb, "export.none.answers")
	}
	return tb
}

// categoryScore is a row of the Categories table: one category's score, or the overall
// score (no letter, no theme).
type categoryScore struct {
	letter, key, name, theme string
	score                    assessment.Score
}

// roundCategories is the room's mean per category, then overall.
func roundCategories(q *assessment.Questionnaire, t Translator, agg assessment.Aggregate) Table {
	cols := []column[categoryScore]{
		{t.T("export.col.letter"), func(r categoryScore) Cell { return Text(r.letter) }},
		{t.T("export.col.key"), func(r categoryScore) Cell { return Text(r.key) }},
		{t.T("result.col.cat"), func(r categoryScore) Cell { return Text(r.name) }},
		{t.T("export.col.theme"), func(r categoryScore) Cell { return Text(r.theme) }},
		{t.T("field.as_is"), func(r categoryScore) Cell { return Number(r.score.AsIs, meanDecimals) }},
		{t.T("field.to_be"), func(r categoryScore) Cell { return Number(r.score.ToBe, meanDecimals) }},
		{t.T("result.col.gap"), func(r categoryScore) Cell { return Number(r.score.Gap, meanDecimals) }},
	}
	if agg.Participants == 0 {
		return none(t, tableOf(t.T("export.sheet.categories"), cols, nil), "export.none.answers")
	}
	var rows []categoryScore
	for i, cs := range agg.Result.Categories {
		cat := q.Categories[i]
		theme, _ := q.Theme(cat.Theme)
		rows = append(rows, categoryScore{letter: cat.Letter, key: cat.Key, name: t.Text(cat.Name), theme: t.Text(theme.Name), score: cs.Score})
	}
	rows = append(rows, categoryScore{key: assessment.MetricOverall, name: t.T("bench.overall"), score: agg.Result.Overall})
	return tableOf(t.T("export.sheet.categories"), cols, rows)
}

// battlesTable lists the round's Must Win Battles in the order they were recorded.
func battlesTable(q *assessment.Questionnaire, t Translator, bs []assessment.Battle) Table {
	cols := []column[assessment.Battle]{
		{t.T("result.col.number"), func(b assessment.Battle) Cell { return Int(b.Competency) }},
		{t.T("result.col.name"), func(b assessment.Battle) Cell { return Text(competencyName(q, t, b.Competency)) }},
		{t.T("ws.mwb.title.field"), func(b assessment.Battle) Cell { return Text(b.Title) }},
		{t.T("ws.mwb.owner"), func(b assessment.Battle) Cell { return Text(b.Owner) }},
		{t.T("ws.mwb.due"), func(b assessment.Battle) Cell {
			if d, err := time.Parse(time.DateOnly, b.Due); err == nil {
				return Day(d)
			}
			return Cell{}
		}},
		{t.T("ws.mwb.status"), func(b assessment.Battle) Cell { return Text(t.T("ws.mwb.status." + b.Status)) }},
	}
	tb := tableOf(t.T("ws.mwb.title"), cols, bs)
	if len(bs) == 0 {
		return none(t, tb, "export.none.battles")
	}
	return tb
}

// notesTable lists what the room said, by competency.
func notesTable(q *assessment.Questionnaire, t Translator, ns []assessment.Note) Table {
	cols := []column[assessment.Note]{
		{t.T("result.col.number"), func(n assessment.Note) Cell { return Int(n.Competency) }},
		{t.T("result.col.name"), func(n assessment.Note) Cell { return Text(competencyName(q, t, n.Competency)) }},
		{t.T("export.col.note"), func(n assessment.Note) Cell { return Text(n.Text) }},
	}
	tb := tableOf(t.T("export.sheet.notes"), cols, ns)
	if len(ns) == 0 {
		return none(t, tb, "export.none.notes")
	}
	return tb
}

// competencyName is the name of competency number n in the export's language.
func competencyName(q *assessment.Questionnaire, t Translator, n int) string {
	c, _ := q.Competency(n)
	return t.Text(c.Name)
}
