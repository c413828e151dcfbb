package export_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/export"
)

// built is one export built from one set of data: the tables of its file.
type built struct {
	name   string
	tables []export.Table
}

// allExports builds every export of the package from data that takes every branch: a round
// nobody finished, one below the detail threshold and one above it with battles and notes; a
// history with no closed round and one with a closed round of answers and one without; a
// portfolio with clients that have rounds and one that has none; a result with and without a
// benchmark. The keys of exporters are the package's exported functions that return a
// Workbook or a Table (TestEveryExportIsChecked proves none is missing).
func allExports(t *testing.T) []built {
	t.Helper()
	q := questionnaire(t)
	tr := keys{}
	day := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	client := assessment.Client{Profile: assessment.Company{Name: "=Acme", Industry: "retail", Size: "250-999", Country: "DK", NPSYears: "1-5"}}

	rounds := map[string]export.RoundData{
		"nobody": {Client: client, Round: assessment.Round{Title: "New", OpenedAt: day}},
		"two": {Client: client, Round: assessment.Round{Title: "Two", OpenedAt: day}, Participants: []assessment.Participant{
			participant("P1", "Ann", uniform(1, 2, 4)), participant("P2", "Bo", uniform(3, 2, 4)), participant("P3", "Cy", nil)}},
		"three": {Client: client, Round: assessment.Round{Title: "Three", OpenedAt: day, ClosedAt: day.Add(time.Hour)},
			Participants: []assessment.Participant{
				participant("P1", "Ann", uniform(1, 2, 4)), participant("P2", "Bo", uniform(3, 2, 4)), participant("P3", "Cy", uniform(5, 3, 3))},
			Battles: []assessment.Battle{
				{Competency: 7, Title: "Close the loop", Owner: "+45 Dana", Due: "2026-06-30", Status: assessment.BattleInProgress},
				{Competency: 13, Title: "-Estimate", Status: assessment.BattleNotStarted}},
			Notes: []assessment.Note{{Competency: 1, Text: "@We disagree"}}},
	}

	closed := assessment.Round{Title: "Kick-off", OpenedAt: day, ClosedAt: day.Add(time.Hour)}
	empty := assessment.Round{Title: "Nobody came", OpenedAt: day, ClosedAt: day.Add(2 * time.Hour)}
	open := assessment.Round{Title: "Open", OpenedAt: day}
	histories := map[string]export.HistoryData{
		"none": {Client: client, Exported: day},
		"some": {Client: client, Exported: day, Rounds: []assessment.RoundAnswers{
			{Round: closed, Participants: []assessment.Ratings{uniform(1, 2, 4), uniform(3, 2, 4)}},
			{Round: empty},
			{Round: open, Participants: []assessment.Ratings{uniform(1, 2, 4)}}}},
	}

	ratings := uniform(1, 2, 4)
	scored := assessment.PortfolioRow{PortfolioEntry: assessment.PortfolioEntry{Client: client, Round: &closed},
		HasData: true, Result: q.Score(ratings), Assessed: day}
	portfolios := map[string]export.PortfolioData{
		"empty":   {Workspace: "Alpha", Exported: day},
		"clients": {Workspace: "Alpha", Industry: "retail", Exported: day, Rows: []assessment.PortfolioRow{scored, {PortfolioEntry: assessment.PortfolioEntry{Client: client}}}},
	}

	a := &assessment.Assessment{Role: "-CFO", Company: client.Profile, CreatedAt: day, Ratings: ratings}
	res := q.Score(ratings)
	metric := func() assessment.MetricBenchmark {
		return assessment.MetricBenchmark{AsIs: assessment.PeerStats{Median: 3, P25: 2, P75: 4, Percentile: 50},
			ToBe: assessment.PeerStats{Median: 4, P25: 3, P75: 5, Percentile: 25}, Standing: "in_line"}
	}
	bench := assessment.Benchmark{Available: true, Peers: 5, Synthetic: true, Overall: metric()}
	for range q.Categories {
		bench.Categories = append(bench.Categories, metric())
	}
	for range q.Competencies {
		bench.Competencies = append(bench.Competencies, metric())
	}
	results := map[string]export.ResultData{
		"alone": {Assessment: a, Result: res, Group: "All"},
		"peers": {Assessment: a, Result: res, Group: "All", Benchmark: bench, Summary: []string{"One", "Two"}, Release: []string{"As of"}},
	}

	exporters := map[string]func(add func(variant string, tables ...export.Table)){
		"RoundWorkbook": func(add func(string, ...export.Table)) {
			for _, v := range slices.Sorted(maps.Keys(rounds)) {
				d := rounds[v]
				add(v, export.RoundWorkbook(q, tr, d).Sheets...)
			}
		},
		"RoundAnswers": func(add func(string, ...export.Table)) {
			for _, v := range slices.Sorted(maps.Keys(rounds)) {
				d := rounds[v]
				if tb, err := export.RoundAnswers(q, tr, d); err == nil {
					add(v, tb)
				} else if v == "three" {
					t.Errorf("RoundAnswers(three) = %v", err)
				}
			}
		},
		"ClientHistory": func(add func(string, ...export.Table)) {
			for _, v := range slices.Sorted(maps.Keys(histories)) {
				d := histories[v]
				add(v, export.ClientHistory(q, tr, d).Sheets...)
			}
		},
		"Portfolio": func(add func(string, ...export.Table)) {
			for _, v := range slices.Sorted(maps.Keys(portfolios)) {
				d := portfolios[v]
				add(v, export.Portfolio(q, tr, d).Sheets...)
			}
		},
		"PortfolioTable": func(add func(string, ...export.Table)) {
			for _, v := range slices.Sorted(maps.Keys(portfolios)) {
				d := portfolios[v]
				add(v, export.PortfolioTable(q, tr, d))
			}
		},
		"Result": func(add func(string, ...export.Table)) {
			for _, v := range slices.Sorted(maps.Keys(results)) {
				d := results[v]
				add(v, export.Result(q, tr, d).Sheets...)
			}
		},
		"ResultTable": func(add func(string, ...export.Table)) {
			for _, v := range slices.Sorted(maps.Keys(results)) {
				d := results[v]
				add(v, export.ResultTable(q, tr, d))
			}
		},
	}
	var out []built
	for _, name := range slices.Sorted(maps.Keys(exporters)) {
		exporters[name](func(variant string, tables ...export.Table) {
			out = append(out, built{name: name + "(" + variant + ")", tables: tables})
		})
	}
	return out
}

// TestEveryExportHasAsManyHeadersAsCells: in every table of every export, each row has as
// many cells as the header has columns; a table without a header (About) has label and value
// rows; the one exception is a table whose only row is one sentence saying why it has no rows.
func TestEveryExportHasAsManyHeadersAsCells(t *testing.T) {
	checked := 0
	for _, b := range allExports(t) {
		for _, tb := range b.tables {
			checked++
			if tb.Name == "" {
				t.Errorf("%s: a table without a name", b.name)
			}
			if tb.Header == nil {
				for i, r := range tb.Rows {
					if len(r) != 2 {
						t.Errorf("%s %s row %d has %d cells, want label and value", b.name, tb.Name, i+1, len(r))
					}
				}
				continue
			}
			if len(tb.Rows) == 1 && len(tb.Rows[0]) == 1 && tb.Rows[0][0].Kind() == export.KindText && len(tb.Header) > 1 {
				continue // the sentence why there are no rows
			}
			for i, h := range tb.Header {
				if h == "" {
					t.Errorf("%s %s column %d has no header", b.name, tb.Name, i+1)
				}
			}
			for i, r := range tb.Rows {
				if len(r) != len(tb.Header) {
					t.Errorf("%s %s row %d has %d cells, want %d (the header: %q)", b.name, tb.Name, i+1, len(r), len(tb.Header), tb.Header)
				}
			}
		}
	}
	// 3 rounds × 6 sheets + 1 CSV, 2 histories × 4, 2 portfolios × (2 + 1), 2 results × (3 + 1).
	if want := 3*6 + 1 + 2*4 + 2*3 + 2*4; checked != want {
		t.Errorf("checked %d tables, want %d", checked, want)
	}
}

// TestEveryExportIsChecked reads the package's source: every exported function that returns
// a Workbook or a Table is an export, and allExports must build it, so that a new export
// cannot escape TestEveryExportHasAsManyHeadersAsCells.
func TestEveryExportIsChecked(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !fn.Name.IsExported() || fn.Type.Results == nil {
				continue
			}
			for _, r := range fn.Type.Results.List {
				if id, ok := r.Type.(*ast.Ident); ok && (id.Name == "Workbook" || id.Name == "Table") {
					found = append(found, fn.Name.Name)
					break
				}
			}
		}
	}
	slices.Sort(found)
	var checked []string
	for _, b := range allExports(t) {
		name, _, _ := strings.Cut(b.name, "(")
		if !slices.Contains(checked, name) {
			checked = append(checked, name)
		}
	}
	if !slices.Equal(found, checked) {
		t.Errorf("exports in the source = %q, exports allExports builds = %q", found, checked)
	}
}
