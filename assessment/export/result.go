package export

import (
	"slices"

	"github.com/loyalty-cx/loyalty/assessment"
)

// ResultData is what a five-minute test's export is made of.
type ResultData struct {
	Assessment *assessment.Assessment
	// Result is the assessment scored.
	Result assessment.Result
	// Benchmark compares it with the peer group the result page shows; when it is not
	// Available (fewer than assessment.MinPeers companies) the export holds no statistic of
	// the group at all, as the page.
	Benchmark assessment.Benchmark
	// Group names the peer group in the export's language ("Industry: Retail").
	Group string
	// Summary is the benchmark in words, as the page says it.
	Summary []string
	// Release says, as the page does, of when the benchmark's figures are and that they carry
	// noise, and whether the company's own answers are among them.
	Release []string
	// Language names the test's language in the export's language ("Dansk").
	Language string
}

// Levels of the rows of a result's table.
const (
	levelOverall    = iota // the mean of all competencies
	levelCategory          // one of the 7 categories
	levelCompetency        // one of the 21 competencies
)

// scoreRow is one row of a result's scores: overall, a category or a competency, with its
// peer statistics when the benchmark is available.
type scoreRow struct {
	level    int
	number   int
	key      string
	name     string
	category string
	score    assessment.Score
	priority int
	bench    *assessment.MetricBenchmark
}

// scoreColumn is a column of a result's tables, and the levels of row at which it means
// something: a competency's number means nothing for a category.
type scoreColumn struct {
	column[scoreRow]
	levels []int
}

func (c scoreColumn) at(level int) bool { return slices.Contains(c.levels, level) }

// scoreCol is a column headed head whose cells are cell at levels, and empty elsewhere.
func scoreCol(head string, cell func(r scoreRow) Cell, levels []int) scoreColumn {
	return scoreColumn{column[scoreRow]{head, cell}, levels}
}

// scoreTable is the table name of the rows at levels, in the columns that mean something
// at one of them; a column that means nothing at a row's level is an empty cell there.
func scoreTable(name string, cols []scoreColumn, rows []scoreRow, levels ...int) Table {
	var use []column[scoreRow]
	for _, c := range cols {
		if slices.ContainsFunc(levels, c.at) {
			use = append(use, column[scoreRow]{c.head, func(r scoreRow) Cell {
				if !c.at(r.level) {
					return Cell{}
				}
				return c.cell(r)
			}})
		}
	}
	var in []scoreRow
	for _, r := range rows {
		if slices.Contains(levels, r.level) {
			in = append(in, r)
		}
	}
	return tableOf(name, use, in)
}

// Result is a five-minute test's workbook: About (company, date, indexes, stage, peer group,
// the benchmark in words), Competencies (the 21 answers with gap, priority and peer
// statistics) and Categories (with the overall score).
func Result(q *assessment.Questionnaire, t Translator, d ResultData) Workbook {
	rows, cols := resultRows(q, t, &d)
	return Workbook{Sheets: []Table{
		resultAbout(q, t, &d),
		scoreTable(t.T("export.sheet.competencies"), cols, rows, levelCompetency),
		scoreTable(t.T("export.sheet.categories"), cols, rows, levelCategory, levelOverall),
	}}
}

// ResultTable is every score of a result in one table, the result's CSV: the overall score,
// the 7 categories and the 21 competencies, one row each, with a first column that says
// which.
func ResultTable(q *assessment.Questionnaire, t Translator, d ResultData) Table {
	rows, cols := resultRows(q, t, &d)
	levels := []string{t.T("bench.overall"), t.T("result.col.cat"), t.T("result.col.name")}
	all := []int{levelOverall, levelCategory, levelCompetency}
	level := scoreCol(t.T("export.col.level"), func(r scoreRow) Cell { return Text(levels[r.level]) }, all)
	return scoreTable(t.T("export.sheet.scores"), append([]scoreColumn{level}, cols...), rows, all...)
}

// resultRows returns the overall score, the categories and the competencies in number order,
// and the columns of the result's tables: the scores, and the peer statistics only when the
// benchmark is available.
func resultRows(q *assessment.Questionnaire, t Translator, d *ResultData) ([]scoreRow, []scoreColumn) {
	res, b := &d.Result, &d.Benchmark
	rows := []scoreRow{{level: levelOverall, key: assessment.MetricOverall, name: t.T("bench.overall"), score: res.Overall}}
	if b.Available {
		rows[0].bench = &b.Overall
	}
	for i, cs := range res.Categories {
		cat := q.Categories[i]
		r := scoreRow{level: levelCategory, key: cat.Key, name: cat.Letter + " · " + t.Text(cat.Name), score: cs.Score}
		if b.Available {
			r.bench = &b.Categories[i]
		}
		rows = append(rows, r)
	}
	for i, cs := range res.Competencies {
		comp := q.Competencies[i]
		cat, _ := q.Category(comp.Category)
		r := scoreRow{level: levelCompetency, number: comp.Number, key: comp.Key, name: t.Text(comp.Name),
			category: cat.Letter + " · " + t.Text(cat.Name), score: cs.Score, priority: cs.Priority}
		if b.Available {
			r.bench = &b.Competencies[i]
		}
		rows = append(rows, r)
	}

	all := []int{levelOverall, levelCategory, levelCompetency}
	comp := []int{levelCompetency}
	cols := []scoreColumn{
		scoreCol(t.T("result.col.number"), func(r scoreRow) Cell { return Int(r.number) }, comp),
		scoreCol(t.T("export.col.key"), func(r scoreRow) Cell { return Text(r.key) }, all),
		scoreCol(t.T("export.col.name"), func(r scoreRow) Cell { return Text(r.name) }, all),
		scoreCol(t.T("result.col.cat"), func(r scoreRow) Cell { return Text(r.category) }, comp),
		scoreCol(t.T("field.as_is"), func(r scoreRow) Cell { return Number(r.score.AsIs, meanDecimals) }, all),
		scoreCol(t.T("field.to_be"), func(r scoreRow) Cell { return Number(r.score.ToBe, meanDecimals) }, all),
		scoreCol(t.T("result.col.gap"), func(r scoreRow) Cell { return Number(r.score.Gap, meanDecimals) }, all),
		scoreCol(t.T("result.col.rank"), func(r scoreRow) Cell { return Int(r.priority) }, comp),
	}
	if !b.Available {
		return rows, cols
	}
	peer := func(head string, pick func(assessment.MetricBenchmark) assessment.PeerStats, stat func(assessment.PeerStats) float64, decimals int) scoreColumn {
		return scoreCol(head, func(r scoreRow) Cell { return Number(stat(pick(*r.bench)), decimals) }, all)
	}
	stat := func(sideKey, statKey string) string {
		return t.F("export.col.peers", map[string]any{"Side": t.T(sideKey), "Stat": t.T(statKey)})
	}
	percentile := func(sideKey string) string {
		return t.F("export.col.percentile", map[string]any{"Side": t.T(sideKey)})
	}
	asIs := func(m assessment.MetricBenchmark) assessment.PeerStats { return m.AsIs }
	toBe := func(m assessment.MetricBenchmark) assessment.PeerStats { return m.ToBe }
	median := func(p assessment.PeerStats) float64 { return p.Median }
	p25 := func(p assessment.PeerStats) float64 { return p.P25 }
	p75 := func(p assessment.PeerStats) float64 { return p.P75 }
	pct := func(p assessment.PeerStats) float64 { return p.Percentile }
	cols = append(cols,
		peer(stat("field.as_is", "export.stat.median"), asIs, median, meanDecimals),
		peer(stat("field.as_is", "export.stat.p25"), asIs, p25, meanDecimals),
		peer(stat("field.as_is", "export.stat.p75"), asIs, p75, meanDecimals),
		peer(percentile("field.as_is"), asIs, pct, wholeDecimals),
		scoreCol(t.T("bench.col.standing"), func(r scoreRow) Cell { return Text(t.T("bench.standing." + r.bench.Standing)) },
			[]int{levelOverall, levelCategory}),
		peer(stat("field.to_be", "export.stat.median"), toBe, median, meanDecimals),
		peer(stat("field.to_be", "export.stat.p25"), toBe, p25, meanDecimals),
		peer(stat("field.to_be", "export.stat.p75"), toBe, p75, meanDecimals),
		peer(percentile("field.to_be"), toBe, pct, wholeDecimals),
	)
	return rows, cols
}

func resultAbout(q *assessment.Questionnaire, t Translator, d *ResultData) Table {
	a, res, b := d.Assessment, &d.Result, &d.Benchmark
	rows := profileRows(q, t, "export.about.company", a.Company)
	rows = append(rows,
		field(t.T("export.about.role"), Text(a.Role)),
		field(t.T("export.about.taken"), Day(a.CreatedAt)),
		field(t.T("export.about.language"), Text(d.Language)),
		field(t.T("export.about.version"), Text(a.QuestionnaireVersion)),
		field(t.T("result.asis.index"), Number(res.AsIsIndex, wholeDecimals)),
		field(t.T("result.tobe.index"), Number(res.ToBeIndex, wholeDecimals)),
		field(t.T("result.stage"), Text(t.Text(res.Stage.Name))),
		field(t.T("export.about.group"), Text(d.Group)),
	)
	if !b.Available {
		return Table{Name: t.T("export.sheet.about"), Rows: append(rows,
			field(t.T("export.about.peers"), Text(t.F("bench.unavailable", map[string]any{"Min": assessment.MinPeers}))))}
	}
	rows = append(rows, field(t.T("export.about.peers"), Int(b.Peers)))
	for _, s := range d.Release {
		rows = append(rows, field("", Text(s)))
	}
	if b.Synthetic {
		rows = append(rows, field("", Text(t.T("bench.demo.notice"))))
	}
	for i, s := range d.Summary {
		label := ""
		if i == 0 {
			label = t.T("export.about.summary")
		}
		rows = append(rows, field(label, Text(s)))
	}
	return Table{Name: t.T("export.sheet.about"), Rows: rows}
}
