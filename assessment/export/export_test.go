package export_test

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	loyalty "github.com/loyalty-cx/loyalty"
	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/export"
)

func questionnaire(t *testing.T) *assessment.Questionnaire {
	t.Helper()
	q, err := assessment.ParseQuestionnaire(loyalty.QuestionsFile, loyalty.QuestionsYAML)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// keys is a Translator that writes message keys as they are, with their arguments, so a test
// sees which message a cell holds; questionnaire texts are English.
type keys struct{}

func (keys) T(key string) string { return key }
func (keys) F(key string, args map[string]any) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(args)) {
		parts = append(parts, fmt.Sprintf("%s=%v", k, args[k]))
	}
	return key + "{" + strings.Join(parts, ",") + "}"
}
func (keys) Text(t assessment.Text) string { return t.In("en") }

func TestNeutralise(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`=HYPERLINK("http://x")`, `'=HYPERLINK("http://x")`},
		{"+cmd", "'+cmd"},
		{"-1+1", "'-1+1"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tKick-off", "'\tKick-off"},
		{"\r=1", "'\r=1"},
		{"\n=1", "'\n=1"},
		{"\x00=1", "'\x00=1"},
		{"", ""},
		{"Acme A/S", "Acme A/S"},
		{"a=b", "a=b"},            // only the first character counts
		{"'=1", "'=1"},            // already quoted: a quote is not a formula
		{"–1", "–1"},              // an en dash is not a minus to a spreadsheet
		{"Ærø =1", "Ærø =1"},      // nor is anything after the first character
		{"P17", "P17"},            // participant labels pass as they are
		{"=", "'="},               // one character is enough
		{"-", "'-"},               //
		{"+45 1234", "'+45 1234"}, // a phone number reads as a formula too
	} {
		if got := export.Neutralise(tc.in); got != tc.want {
			t.Errorf("Neutralise(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCells(t *testing.T) {
	if c := export.Text("=1+1"); c.Kind() != export.KindText || c.Str() != "'=1+1" {
		t.Errorf("Text(=1+1) = %v %q, want a neutralised text cell", c.Kind(), c.Str())
	}
	if c := export.Text(""); c.Kind() != export.KindEmpty {
		t.Errorf("Text(\"\") kind = %v, want empty", c.Kind())
	}
	// A negative number stays a number: it is not text and not neutralised.
	if c := export.Number(-1, 2); c.Kind() != export.KindNumber || c.Value() != -1 || c.Decimals() != 2 || c.Str() != "" {
		t.Errorf("Number(-1, 2) = %v %v %d %q", c.Kind(), c.Value(), c.Decimals(), c.Str())
	}
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if c := export.Number(v, 0); c.Kind() != export.KindEmpty {
			t.Errorf("Number(%v) kind = %v, want empty", v, c.Kind())
		}
	}
	if c := export.Int(7); c.Kind() != export.KindNumber || c.Value() != 7 || c.Decimals() != 0 {
		t.Errorf("Int(7) = %v %v %d", c.Kind(), c.Value(), c.Decimals())
	}
	if c := export.Day(time.Time{}); c.Kind() != export.KindEmpty {
		t.Errorf("Day(zero) kind = %v, want empty", c.Kind())
	}
	// 00:30 on 30 November in Copenhagen is still 29 November in UTC, the day pages show.
	cph := time.FixedZone("CET", 3600)
	if c := export.Day(time.Date(2026, 11, 30, 0, 30, 0, 0, cph)); c.Kind() != export.KindDate || !c.Time().Equal(time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Day = %v %v, want 2026-11-29", c.Kind(), c.Time())
	}
}

func TestFileName(t *testing.T) {
	day := time.Date(2026, 11, 29, 23, 59, 0, 0, time.UTC)
	for _, tc := range []struct{ name, kind, ext, want string }{
		{"Acme A/S", export.FileRound, "xlsx", "loyalty-acme-as-round-2026-11-29.xlsx"},
		{"Søstrene Grene", export.FileHistory, "xlsx", "loyalty-soestrene-grene-history-2026-11-29.xlsx"},
		{"ÆRØ Å/S", export.FileRound, "csv", "loyalty-aeroe-aas-round-2026-11-29.csv"},
		{"O'Brien & Co.", export.FileRound, "csv", "loyalty-obrien-co-round-2026-11-29.csv"},
		{"Müller & Söhne", export.FileResult, "csv", "loyalty-mueller-soehne-result-2026-11-29.csv"},
		{"Hälsa Straße", export.FileResult, "xlsx", "loyalty-haelsa-strasse-result-2026-11-29.xlsx"},
		{"Café Noir", export.FileResult, "xlsx", "loyalty-caf-noir-result-2026-11-29.xlsx"},
		{`=HYPERLINK("http://x")`, export.FileRound, "xlsx", "loyalty-hyperlink-http-x-round-2026-11-29.xlsx"},
		{"\"; filename=evil.exe\r\n", export.FileRound, "xlsx", "loyalty-filename-evilexe-round-2026-11-29.xlsx"},
		{"", export.FileResult, "csv", "loyalty-result-2026-11-29.csv"},
		{"東京", export.FileResult, "csv", "loyalty-result-2026-11-29.csv"},
		{"Nordic CX", export.FilePortfolio, "csv", "loyalty-nordic-cx-portfolio-2026-11-29.csv"},
		{strings.Repeat("ab ", 40), export.FileRound, "xlsx", "loyalty-" + strings.TrimSuffix(strings.Repeat("ab-", 20), "-") + "-round-2026-11-29.xlsx"},
	} {
		got := export.FileName(tc.name, tc.kind, day, tc.ext)
		if got != tc.want {
			t.Errorf("FileName(%q, %q) = %q, want %q", tc.name, tc.kind, got, tc.want)
		}
		for _, r := range got {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
				t.Errorf("FileName(%q) = %q has %q", tc.name, got, r)
			}
		}
	}
}

// participant returns a participant with a label, finished with ratings r unless r is nil.
func participant(label, name string, r assessment.Ratings) assessment.Participant {
	p := assessment.Participant{Label: label, Name: name, Role: "CFO"}
	if r != nil {
		p.Ratings = r
		p.FinishedAt = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	}
	return p
}

// uniform returns ratings of asIs and toBe everywhere, with competency 1 at c1AsIs.
func uniform(c1AsIs, asIs, toBe float64) assessment.Ratings {
	r := make(assessment.Ratings, 21)
	for i := range r {
		r[i] = assessment.Rating{AsIs: asIs, ToBe: toBe}
	}
	r[0].AsIs = c1AsIs
	return r
}

// cellText is what a test compares a cell with: its text, number or date, "" when empty.
func cellText(c export.Cell) string {
	switch c.Kind() {
	case export.KindText:
		return c.Str()
	case export.KindNumber:
		return fmt.Sprint(c.Value())
	case export.KindDate:
		return c.Time().Format(time.DateOnly)
	}
	return ""
}

func sheet(t *testing.T, wb export.Workbook, name string) export.Table {
	t.Helper()
	for _, s := range wb.Sheets {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no sheet %q", name)
	return export.Table{}
}

// TestRoundDetailThreshold proves the anonymity rule of the round's export: per-person rows
// (the Answers sheet, the CSV) and lowest and highest scores only from
// min_participants_for_detail (3) finished participants on, counting only those who finished,
// never a name, rows by the number of their label.
func TestRoundDetailThreshold(t *testing.T) {
	q := questionnaire(t)
	d := export.RoundData{
		Client: assessment.Client{Profile: assessment.Company{Name: "Acme"}},
		Round:  assessment.Round{Title: "Kick-off", OpenedAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)},
		Participants: []assessment.Participant{
			participant("P42", "Ann", uniform(1, 2, 4)),
			participant("P7", "Bo", uniform(3, 2, 4)),
			participant("P9", "Cy", nil), // joined, never finished: never counted
		},
		Finished: 2,
	}
	wb := export.RoundWorkbook(q, keys{}, d)
	answers := sheet(t, wb, "export.sheet.answers")
	if len(answers.Rows) != 1 || cellText(answers.Rows[0][0]) != "error.export.detail{Finished=2,Min=3}" {
		t.Errorf("Answers with 2 finished = %v, want only the sentence why", answers.Rows)
	}
	// Counts only: a mean of 2 and an SD of 1 would give both answers (1 and 3) away.
	for _, name := range []string{"export.sheet.competencies", "export.sheet.categories"} {
		if rows := sheet(t, wb, name).Rows; len(rows) != 1 || len(rows[0]) != 1 || cellText(rows[0][0]) != "error.export.detail{Finished=2,Min=3}" {
			t.Errorf("%s with 2 finished = %v, want only the sentence why", name, rows)
		}
	}
	if _, err := export.RoundAnswers(q, keys{}, d); assessment.ErrorCode(err) != assessment.ECONFLICT {
		t.Errorf("RoundAnswers with 2 finished: err = %v, want ECONFLICT", err)
	}

	// A third finishes: P3 sorts before P7 and P42 by number (as text it would not).
	d.Participants = append(d.Participants, participant("P3", "Dee", uniform(5, 2, 4)))
	tb, err := export.RoundAnswers(q, keys{}, d)
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.Rows) != 3*21 {
		t.Fatalf("answers rows = %d, want 63", len(tb.Rows))
	}
	for i, want := range []string{"P3", "P7", "P42"} {
		for j := range 21 {
			if got := cellText(tb.Rows[i*21+j][0]); got != want {
				t.Fatalf("row %d label = %q, want %q", i*21+j, got, want)
			}
			if got := cellText(tb.Rows[i*21+j][1]); got != fmt.Sprint(j+1) {
				t.Fatalf("row %d number = %q, want %d", i*21+j, got, j+1)
			}
		}
	}
	if got := tb.Rows[0]; cellText(got[2]) != "conceptual-alignment" || cellText(got[5]) != "5" || cellText(got[6]) != "4" {
		t.Errorf("P3's competency 1 = %v, want conceptual-alignment 5 → 4", got)
	}
	for _, r := range tb.Rows {
		for _, c := range r {
			if s := c.Str(); s == "Ann" || s == "Bo" || s == "Cy" || s == "Dee" || s == "CFO" {
				t.Fatalf("the answers name a participant: %v", r)
			}
		}
	}
	wb = export.RoundWorkbook(q, keys{}, d)
	// Competency 1 AS-IS 1, 3, 5: min 1, max 5, now shown.
	if r := sheet(t, wb, "export.sheet.competencies").Rows[0]; cellText(r[5]) != "1" || cellText(r[6]) != "5" || cellText(r[13]) != "ws.yes" || cellText(r[14]) != "ws.no" {
		t.Errorf("competency 1 with 3 finished = %v", r)
	}
	if n := len(sheet(t, wb, "export.sheet.answers").Rows); n != 63 {
		t.Errorf("Answers sheet rows = %d, want 63", n)
	}
}

// TestRoundWorkbookEmpty: a round nobody finished still exports, saying so on each sheet.
func TestRoundWorkbookEmpty(t *testing.T) {
	q := questionnaire(t)
	wb := export.RoundWorkbook(q, keys{}, export.RoundData{Round: assessment.Round{Title: "New"}})
	var names []string
	for _, s := range wb.Sheets {
		names = append(names, s.Name)
	}
	want := []string{"export.sheet.about", "export.sheet.answers", "export.sheet.competencies", "export.sheet.categories", "ws.mwb.title", "export.sheet.notes"}
	if !slices.Equal(names, want) {
		t.Fatalf("sheets = %v, want %v", names, want)
	}
	for _, s := range wb.Sheets[2:] {
		if len(s.Rows) != 1 || len(s.Rows[0]) != 1 || !strings.HasPrefix(cellText(s.Rows[0][0]), "export.none.") {
			t.Errorf("%s = %v, want one sentence", s.Name, s.Rows)
		}
	}
}
