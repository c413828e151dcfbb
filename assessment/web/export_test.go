package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/spreadsheet"
	"github.com/loyalty-cx/loyalty/views"
)

// This file tests the exports end to end: the files are downloaded from the running server
// and read back with excelize and encoding/csv, and every cell is compared with numbers worked
// out by hand in the comments.

// day is a date cell's expected value.
type day time.Time

// excelSerial is the number Excel stores for a day: days since 30 December 1899.
func excelSerial(d time.Time) string {
	return strconv.Itoa(int(d.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24))
}

// openXLSX reads an XLSX response, after checking that it is one.
func openXLSX(t *testing.T, res *response, filename string) *excelize.File {
	t.Helper()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s = %d: %.300s", res.Request.URL.Path, res.StatusCode, res.Text)
	}
	checkDownload(t, res, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename)
	f, err := excelize.OpenReader(bytes.NewReader(res.Body))
	if err != nil {
		t.Fatalf("%s: not an XLSX file: %v", res.Request.URL.Path, err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// checkDownload checks the headers of a file download: its type, an ASCII file name as an
// attachment, and that no cache keeps it.
func checkDownload(t *testing.T, res *response, contentType, filename string) {
	t.Helper()
	if got := res.Header.Get("Content-Type"); got != contentType {
		t.Errorf("%s Content-Type = %q, want %q", res.Request.URL.Path, got, contentType)
	}
	if got, want := res.Header.Get("Content-Disposition"), `attachment; filename="`+filename+`"`; got != want {
		t.Errorf("%s Content-Disposition = %q, want %q", res.Request.URL.Path, got, want)
	}
	if got := res.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("%s Cache-Control = %q, want no-store", res.Request.URL.Path, got)
	}
}

// checkSheet compares every cell of a sheet with want, row by row (checkCell). The sheet may
// have nothing beyond want.
func checkSheet(t *testing.T, f *excelize.File, sheet string, want [][]any) {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("sheet %q: %v", sheet, err)
	}
	if len(rows) != len(want) {
		t.Errorf("sheet %q has %d rows, want %d", sheet, len(rows), len(want))
	}
	for y := range min(len(rows), len(want)) {
		for x := range max(len(rows[y]), len(want[y])) {
			var w any
			if x < len(want[y]) {
				w = want[y][x]
			}
			checkCell(t, f, sheet, x+1, y+1, w)
		}
	}
}

// checkRow compares row y (from 1) of a sheet with want, cell by cell (checkCell).
func checkRow(t *testing.T, f *excelize.File, sheet string, y int, want []any) {
	t.Helper()
	for x, w := range want {
		checkCell(t, f, sheet, x+1, y, w)
	}
}

// checkCell compares the cell at column x, row y with w: a string is a text cell with exactly
// that text, a float64 or int a number cell with that value (to 1e-12), a day a date cell
// shown as a date, nil an empty cell. No cell may be a formula.
func checkCell(t *testing.T, f *excelize.File, sheet string, x, y int, w any) {
	t.Helper()
	cell, _ := excelize.CoordinatesToCellName(x, y)
	got, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	typ, err := f.GetCellType(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
		t.Errorf("%s!%s is a formula: %q", sheet, cell, formula)
	}
	numeric := typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber
	switch w := w.(type) {
	case nil:
		if got != "" {
			t.Errorf("%s!%s = %q, want empty", sheet, cell, got)
		}
	case string:
		if got != w || typ != excelize.CellTypeSharedString {
			t.Errorf("%s!%s = %q (type %v), want text %q", sheet, cell, got, typ, w)
		}
	case int, float64:
		if !numeric || !sameNumber(got, w) {
			t.Errorf("%s!%s = %q (type %v), want the number %v", sheet, cell, got, typ, w)
		}
	case day:
		d := time.Time(w)
		if got != excelSerial(d) || !numeric {
			t.Errorf("%s!%s = %q (type %v), want the date %s (%s)", sheet, cell, got, typ, d.Format(time.DateOnly), excelSerial(d))
			return
		}
		// yyyy-mm-dd, as this app writes it or as LibreOffice saves it (yyyy\-mm\-dd).
		id, _ := f.GetCellStyle(sheet, cell)
		if st, _ := f.GetStyle(id); st == nil || st.CustomNumFmt == nil || !strings.EqualFold(strings.ReplaceAll(*st.CustomNumFmt, `\`, ""), "yyyy-mm-dd") {
			t.Errorf("%s!%s is not shown as a date", sheet, cell)
		}
	default:
		t.Fatalf("bad expectation %T", w)
	}
}

// sameNumber reports whether the text got is the number w (an int or float64) to 1e-12 of
// its size: a spreadsheet keeps 15 significant digits.
func sameNumber(got string, w any) bool {
	wf, _ := strconv.ParseFloat(fmt.Sprint(w), 64)
	gf, err := strconv.ParseFloat(got, 64)
	return err == nil && math.Abs(gf-wf) <= 1e-12*math.Max(1, math.Abs(wf))
}

// readCSV checks an RFC 4180 CSV download's headers and byte-order mark and returns its
// records.
func readCSV(t *testing.T, res *response, filename string) [][]string {
	t.Helper()
	return readCSVIn(t, res, filename, spreadsheet.RFC4180)
}

// readCSVIn is readCSV for a file in the dialect d: its fields separated by d.Comma.
func readCSVIn(t *testing.T, res *response, filename string, d spreadsheet.Dialect) [][]string {
	t.Helper()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s = %d: %.300s", res.Request.URL.Path, res.StatusCode, res.Text)
	}
	checkDownload(t, res, "text/csv; charset=utf-8", filename)
	body, ok := bytes.CutPrefix(res.Body, []byte{0xEF, 0xBB, 0xBF})
	if !ok {
		t.Fatalf("%s: no UTF-8 byte-order mark: % x", res.Request.URL.Path, res.Body[:min(8, len(res.Body))])
	}
	if !bytes.Contains(body, []byte("\r\n")) {
		t.Errorf("%s: lines do not end in CRLF (RFC 4180)", res.Request.URL.Path)
	}
	r := csv.NewReader(bytes.NewReader(body))
	r.Comma = d.Comma
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", res.Request.URL.Path, err)
	}
	return recs
}

// checkCSV compares every field of an RFC 4180 file with want: a string exactly, a number
// to 1e-12.
func checkCSV(t *testing.T, name string, recs [][]string, want [][]any) {
	t.Helper()
	checkCSVIn(t, name, recs, want, spreadsheet.RFC4180)
}

// checkCSVIn is checkCSV for a file in the dialect d: a number has d.Decimal and no other
// decimal separator.
func checkCSVIn(t *testing.T, name string, recs [][]string, want [][]any, d spreadsheet.Dialect) {
	t.Helper()
	if len(recs) != len(want) {
		t.Errorf("%s has %d records, want %d", name, len(recs), len(want))
	}
	for y := range min(len(recs), len(want)) {
		if len(recs[y]) != len(want[y]) {
			t.Errorf("%s record %d has %d fields, want %d: %q", name, y+1, len(recs[y]), len(want[y]), recs[y])
			continue
		}
		for x, w := range want[y] {
			got := recs[y][x]
			switch w := w.(type) {
			case nil:
				if got != "" {
					t.Errorf("%s [%d][%d] = %q, want empty", name, y+1, x+1, got)
				}
			case string:
				if got != w {
					t.Errorf("%s [%d][%d] = %q, want %q", name, y+1, x+1, got, w)
				}
			case int, float64:
				other := strings.Trim(".,", d.Decimal)
				if strings.Contains(got, other) || !sameNumber(strings.Replace(got, d.Decimal, ".", 1), w) {
					t.Errorf("%s [%d][%d] = %q, want the number %v with the decimal separator %q", name, y+1, x+1, got, w, d.Decimal)
				}
			case day:
				if got != time.Time(w).Format(time.DateOnly) {
					t.Errorf("%s [%d][%d] = %q, want %s", name, y+1, x+1, got, time.Time(w).Format(time.DateOnly))
				}
			default:
				t.Fatalf("bad expectation %T", w)
			}
		}
	}
}

// header turns a header row into expectations.
func header(cols ...string) []any {
	out := make([]any, len(cols))
	for i, c := range cols {
		out[i] = c
	}
	return out
}

// exportRoom is a round of "Acme A/S" in Danish with three participants who finished and one
// who has only started, two Must Win Battles and a note, closed two hours after it opened.
type exportRoom struct {
	client *assessment.Client
	round  *assessment.Round
	// labels maps the participants' names to the labels the room gave them.
	labels map[string]string
}

// exportScores are the answers of the room: everyone 2 → 4, except
//
//	competency  1: Ann 1 → 5, Bo 3 → 4, Cy 2 → 3
//	competency 13: Cy 4 → 2 (a negative gap)
var exportScores = map[string]scores{
	"Ann": uniform(2, 4).with(1, 1, 5),
	"Bo":  uniform(2, 4).with(1, 3, 4),
	"Cy":  uniform(2, 4).with(1, 2, 3).with(13, 4, 2),
}

func (e *env) exportRoom(name string, finished ...string) exportRoom {
	e.t.Helper()
	ctx := context.Background()
	c, err := e.q.NewClient(assessment.Company{Name: name, Industry: "retail", Country: "DK"}, false)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.db.CreateClient(ctx, e.a.ID, &c); err != nil {
		e.t.Fatal(err)
	}
	r, _ := e.q.NewRound("Kick-off", "da")
	if err := e.db.CreateRound(ctx, e.a.ID, c.ID, &r); err != nil {
		e.t.Fatal(err)
	}
	for _, who := range finished {
		p, err := e.q.NewParticipant(who, "CFO", exportScores[who].domain())
		if err != nil {
			e.t.Fatal(err)
		}
		if err := e.db.SaveParticipant(ctx, r.Code, "tok-"+who, false, &p); err != nil {
			e.t.Fatal(err)
		}
	}
	// Dee has started and answered competency 1 only: she is not counted anywhere.
	dee := assessment.Participant{Name: "Dee"}
	if err := e.db.JoinRound(ctx, r.Code, "tok-Dee", &dee); err != nil {
		e.t.Fatal(err)
	}
	if err := e.db.SaveDraftAnswer(ctx, r.Code, "tok-Dee", 1, "as_is", 5); err != nil {
		e.t.Fatal(err)
	}
	room := exportRoom{client: &c, round: &r, labels: map[string]string{}}
	ps, err := e.db.RoundParticipants(ctx, e.a.ID, r.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, p := range ps {
		room.labels[p.Name] = p.Label
	}
	return room
}

// publishedLabels reads the labels the round's publication gave its participants, by name:
// labels are drawn anew at every publication, so only the database ties a row to a person.
func (e *env) publishedLabels(room *exportRoom) {
	e.t.Helper()
	ctx := context.Background()
	r, err := e.db.Round(ctx, e.a.ID, room.round.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	ps, err := e.db.RoundParticipants(ctx, e.a.ID, room.round.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, row := range r.Published.Rows {
		for _, p := range ps {
			if p.ID == row.Participant {
				room.labels[p.Name] = row.Label
			}
		}
	}
}

// byLabel returns the names of the room's finished participants in the order of their
// labels' numbers (P7 before P42).
func (r exportRoom) byLabel(names ...string) []string {
	num := func(n string) int { v, _ := strconv.Atoi(strings.TrimPrefix(r.labels[n], "P")); return v }
	out := slices.Clone(names)
	slices.SortFunc(out, func(a, b string) int { return num(a) - num(b) })
	return out
}

// TestExportRound downloads a closed round of three participants as XLSX and CSV, from the
// report's buttons and from the API, and checks every value.
func TestExportRound(t *testing.T) {
	e := newWSEnv(t)
	ctx := context.Background()
	room := e.exportRoom("Acme A/S", "Ann", "Bo", "Cy")
	id := room.round.ID
	b1, _ := e.q.NewBattle(7, "Close the loop", "Dana", "2026-06-30", assessment.BattleInProgress)
	b2, _ := e.q.NewBattle(13, "Estimate the effect", "", "", "")
	for _, b := range []*assessment.Battle{&b1, &b2} {
		if err := e.db.AddBattle(ctx, e.a.ID, id, b); err != nil {
			t.Fatal(err)
		}
	}
	note, _ := e.q.NewNote(1, "We do not agree on what 100% means.")
	if err := e.db.SaveNote(ctx, e.a.ID, id, &note); err != nil {
		t.Fatal(err)
	}
	e.advance(2 * time.Hour)
	if _, err := e.db.CloseRound(ctx, e.q, e.a.ID, id); err != nil {
		t.Fatal(err)
	}
	e.publishedLabels(&room)
	e.advance(24 * time.Hour) // exported the day after
	ann := e.login("ann@alpha.example")
	ann.get("/w?lang=en") // the consultant reads English; the file is in the round's Danish

	f := openXLSX(t, ann.get(fmt.Sprintf("/w/rounds/%d/export.xlsx", id)), "loyalty-acme-as-round-2026-03-02.xlsx")
	if got, want := f.GetSheetList(), []string{"Om", "Svar", "Kompetencer", "Kategorier", "Must Win Battles", "Noter"}; !slices.Equal(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	// Overall: AS-IS is 2 everywhere except competency 13, mean 8/3: (20 × 2 + 8/3)/21 = 128/63;
	// TO-BE 4 except competency 13, 10/3: (20 × 4 + 10/3)/21 = 250/63.
	// Indexes: (128/63 − 1)/4 × 100 = 6500/252 and (250/63 − 1)/4 × 100 = 18700/252.
	opened, closed, exported := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)
	checkSheet(t, f, "Om", [][]any{
		{"Kunde", "Acme A/S"},
		{"Runde", "Kick-off"},
		{"Status", "Lukket"},
		{"Åbnet", day(opened)},
		{"Lukket", day(closed)},
		{"Sprog", "Dansk"},
		{"Spørgeskemaets version", "2026.1"},
		{"Deltagere, der er færdige", 3},
		{"AS-IS-indeks", 6500.0 / 252},
		{"TO-BE-indeks", 18700.0 / 252},
		{"Eksporteret", day(exported)},
	})

	// Answers: 21 rows per finished participant, by the number of their label, never a name.
	head := header("Deltager", "Nr.", "Nøgle", "Kompetence", "Kategori", "AS-IS", "TO-BE")
	answers := [][]any{head}
	da := views.Loc{Lang: "da"}
	for _, who := range room.byLabel("Ann", "Bo", "Cy") {
		for i, c := range e.q.Competencies {
			cat, _ := e.q.Category(c.Category)
			s := exportScores[who].pairs()[i]
			answers = append(answers, []any{room.labels[who], c.Number, c.Key, da.Text(c.Name), da.Text(cat.Name), s[0], s[1]})
		}
	}
	checkSheet(t, f, "Svar", answers)

	// Competencies: everyone 2 → 4 (SD 0, gap 2) but for
	//   1: AS-IS 1, 3, 2: mean 2, min 1, max 3, SD √(2/3); TO-BE 5, 4, 3: mean 4, 3, 5, √(2/3);
	//      gap 2; both spreads 2 = disagreement_range: "Ja", "Ja".
	//  13: AS-IS 2, 2, 4: mean 8/3, SD √(8/9); TO-BE 4, 4, 2: mean 10/3, SD √(8/9); gap 2/3.
	comps := [][]any{header("Nr.", "Nøgle", "Kompetence", "Kategori",
		"AS-IS: Gns.", "AS-IS: Min", "AS-IS: Maks", "AS-IS: Spredning",
		"TO-BE: Gns.", "TO-BE: Min", "TO-BE: Maks", "TO-BE: Spredning",
		"Gap", "Uenige om i dag", "Uenige om ambitionen")}
	for _, c := range e.q.Competencies {
		cat, _ := e.q.Category(c.Category)
		r := []any{c.Number, c.Key, da.Text(c.Name), da.Text(cat.Name), 2, 2, 2, 0, 4, 4, 4, 0, 2, "Nej", "Nej"}
		switch c.Number {
		case 1:
			copy(r[4:], []any{2, 1, 3, math.Sqrt(2.0 / 3), 4, 3, 5, math.Sqrt(2.0 / 3), 2, "Ja", "Ja"})
		case 13:
			copy(r[4:], []any{8.0 / 3, 2, 4, math.Sqrt(8.0 / 9), 10.0 / 3, 2, 4, math.Sqrt(8.0 / 9), 2.0 / 3, "Ja", "Ja"})
		}
		comps = append(comps, r)
	}
	checkSheet(t, f, "Kompetencer", comps)

	// Categories: 2 → 4 (gap 2) except Loyalty Strategy (13-15): (8/3 + 2 + 2)/3 = 20/9 and
	// (10/3 + 4 + 4)/3 = 34/9, gap 14/9; overall 128/63 → 250/63, gap 122/63.
	cats := [][]any{header("Bogstav", "Nøgle", "Kategori", "Tema", "AS-IS", "TO-BE", "Gap")}
	for _, c := range e.q.Categories {
		th, _ := e.q.Theme(c.Theme)
		r := []any{c.Letter, c.Key, da.Text(c.Name), da.Text(th.Name), 2, 4, 2}
		if c.Key == "strategy" {
			r[4], r[5], r[6] = 20.0/9, 34.0/9, 14.0/9
		}
		cats = append(cats, r)
	}
	cats = append(cats, []any{nil, "overall", "Samlet", nil, 128.0 / 63, 250.0 / 63, 122.0 / 63})
	checkSheet(t, f, "Kategorier", cats)

	c7, _ := e.q.Competency(7)
	c13, _ := e.q.Competency(13)
	checkSheet(t, f, "Must Win Battles", [][]any{
		header("Nr.", "Kompetence", "Initiativ", "Ansvarlig", "Deadline", "Status"),
		{7, da.Text(c7.Name), "Close the loop", "Dana", day(time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)), "I gang"},
		{13, da.Text(c13.Name), "Estimate the effect", nil, nil, "Ikke startet"},
	})
	c1, _ := e.q.Competency(1)
	checkSheet(t, f, "Noter", [][]any{header("Nr.", "Kompetence", "Note"), {1, da.Text(c1.Name), "We do not agree on what 100% means."}})

	// The CSV is the Answers sheet, the same values.
	recs := readCSV(t, ann.get(fmt.Sprintf("/w/rounds/%d/export.csv", id)), "loyalty-acme-as-round-2026-03-02.csv")
	checkCSV(t, "round CSV", recs, answers)

	// The API gives the same files to a Bearer token, never to be cached.
	tok := e.token("carl@alpha.example")
	api := e.browser()
	res := api.api("GET", fmt.Sprintf("/api/v1/rounds/%d/export?format=csv", id), tok, "")
	checkCSV(t, "API round CSV", readCSV(t, res, "loyalty-acme-as-round-2026-03-02.csv"), answers)
	fa := openXLSX(t, api.api("GET", fmt.Sprintf("/api/v1/rounds/%d/export?format=xlsx", id), tok, ""), "loyalty-acme-as-round-2026-03-02.xlsx")
	checkSheet(t, fa, "Kategorier", cats)

	// A format that is not offered, or none, is 422 naming the field format.
	for _, q := range []string{"", "?format=", "?format=pdf", "?format=XLSX"} {
		res := api.api("GET", fmt.Sprintf("/api/v1/rounds/%d/export%s", id, q), tok, "", uncheckedRequest, "a format that is not offered, on purpose")
		var body struct {
			Errors []struct{ Field string } `json:"errors"`
		}
		if err := json.Unmarshal(res.Body, &body); res.StatusCode != http.StatusUnprocessableEntity || err != nil || len(body.Errors) != 1 || body.Errors[0].Field != "format" {
			t.Errorf("export%s = %d %s, want 422 naming format", q, res.StatusCode, res.Text)
		}
	}
	if res := ann.get(fmt.Sprintf("/w/rounds/%d/export.pdf", id)); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Text, "xlsx, csv") {
		t.Errorf("export.pdf = %d, want 422 naming the formats", res.StatusCode)
	}
	// The report offers the workbook and the CSV in both dialects.
	page := ann.get(fmt.Sprintf("/w/rounds/%d/report", id)).Text
	for _, href := range []string{fmt.Sprintf(`href="/w/rounds/%d/export.xlsx"`, id),
		fmt.Sprintf(`href="/w/rounds/%d/export.csv?dialect=rfc4180"`, id), fmt.Sprintf(`href="/w/rounds/%d/export.csv?dialect=excel-eu"`, id)} {
		if !strings.Contains(page, href) {
			t.Errorf("report has no link %s", href)
		}
	}
}

// TestExportRoundDetailThreshold: with 2 of 3 needed participants finished, the workbook has
// no per-person rows and no lowest or highest scores, the CSV is refused with 409 on the page
// and in the API, and the pages offer only the workbook, saying when the CSV comes.
func TestExportRoundDetailThreshold(t *testing.T) {
	e := newWSEnv(t)
	room := e.exportRoom("Acme", "Ann", "Bo")
	id := room.round.ID
	ann := e.login("ann@alpha.example")
	ann.get("/w?lang=sv")
	da := views.Loc{Lang: "da"}

	f := openXLSX(t, ann.get(fmt.Sprintf("/w/rounds/%d/export.xlsx", id)), "loyalty-acme-round-2026-03-02.xlsx")
	why := da.F(assessment.MsgExportDetail, views.Args{"Min": 3, "Finished": 2})
	if !strings.Contains(why, "3") || !strings.Contains(why, "2") {
		t.Fatalf("the sentence does not say how many: %q", why)
	}
	checkSheet(t, f, "Svar", [][]any{header("Deltager", "Nr.", "Nøgle", "Kompetence", "Kategori", "AS-IS", "TO-BE"), {why}})
	// No figure either: competency 1's AS-IS mean 2 and SD 1 would give both answers (1 and
	// 3) away. The statistics sheets hold the sentence alone.
	for _, sheet := range []string{"Kompetencer", "Kategorier"} {
		if rows, _ := f.GetRows(sheet); len(rows) != 2 || len(rows[1]) != 1 || rows[1][0] != why {
			t.Errorf("%s with 2 finished = %q, want only the sentence why", sheet, rows)
		}
	}

	// The CSV would be nothing but per-person rows: 409, in the page's language.
	sv := views.Loc{Lang: "sv"}
	res := ann.get(fmt.Sprintf("/w/rounds/%d/export.csv", id))
	if res.StatusCode != http.StatusConflict || !strings.Contains(mainText(t, res.Text), sv.F(assessment.MsgExportDetail, views.Args{"Min": 3, "Finished": 2})) {
		t.Errorf("CSV with 2 finished = %d %q, want 409 with the Swedish reason", res.StatusCode, mainText(t, res.Text))
	}
	tok := e.token("ann@alpha.example")
	res = e.browser().api("GET", fmt.Sprintf("/api/v1/rounds/%d/export?format=csv", id), tok, "")
	en := views.Loc{Lang: "en"}
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Text, en.F(assessment.MsgExportDetail, views.Args{"Min": 3, "Finished": 2})) {
		t.Errorf("API CSV with 2 finished = %d %s, want 409", res.StatusCode, res.Text)
	}
	// The dashboard and the report offer the workbook, and say when the CSV comes: the
	// dashboard in the consultant's language, the report (a hand-out) in the round's.
	for _, c := range []struct {
		path string
		l    views.Loc
	}{{fmt.Sprintf("/w/rounds/%d", id), sv}, {fmt.Sprintf("/w/rounds/%d/report", id), da}} {
		path := c.path
		page := ann.get(path).Text
		if !strings.Contains(page, fmt.Sprintf(`href="/w/rounds/%d/export.xlsx"`, id)) || strings.Contains(page, "export.csv") ||
			!strings.Contains(page, c.l.F("export.csv.later", views.Args{"Min": 3})) {
			t.Errorf("%s: want the Excel link and the note instead of the CSV link", path)
		}
	}

	// The third finishes: the CSV and its button are there.
	p, _ := e.q.NewParticipant("Cy", "", exportScores["Cy"].domain())
	if err := e.db.SaveParticipant(context.Background(), room.round.Code, "tok-Cy", false, &p); err != nil {
		t.Fatal(err)
	}
	// The page reads Swedish: the CSV is the one Swedish Excel opens, with semicolons.
	if recs := readCSVIn(t, ann.get(fmt.Sprintf("/w/rounds/%d/export.csv", id)), "loyalty-acme-round-2026-03-02.csv", spreadsheet.ExcelEU); len(recs) != 1+3*21 || len(recs[0]) != 7 {
		t.Errorf("CSV with 3 finished has %d records of %d fields, want 64 of 7", len(recs), len(recs[0]))
	}
	if page := ann.get(fmt.Sprintf("/w/rounds/%d", id)).Text; !strings.Contains(page, fmt.Sprintf(`href="/w/rounds/%d/export.csv?dialect=excel-eu"`, id)) {
		t.Error("the dashboard offers no CSV with 3 finished")
	}
}

// TestExportFormulaInjection: text from users that a spreadsheet would run as a formula if it
// were typed in is, in XLSX, a text cell (a shared string, which no spreadsheet runs) holding
// exactly what was typed, without a visible quote; in CSV, whose cells a spreadsheet parses,
// it is written with a quote in front. Numbers are not touched.
func TestExportFormulaInjection(t *testing.T) {
	e := newWSEnv(t)
	ctx := context.Background()
	room := e.exportRoom(`=HYPERLINK("http://x")`, "Ann", "Bo", "Cy")
	// A round title that starts with a tab cannot be typed into the form (control characters
	// are refused), but the export must not depend on that: stored directly.
	r := assessment.Round{Title: "\t=1+2", Lang: "en", QuestionnaireVersion: e.q.Version}
	if err := e.db.CreateRound(ctx, e.a.ID, room.client.ID, &r); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{"tok-x", "tok-y", "tok-z"} { // three alike, so the round has a result
		p, _ := e.q.NewParticipant("", "", uniform(3, 2).domain()) // gap −1 everywhere
		if err := e.db.SaveParticipant(ctx, r.Code, tok, false, &p); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := e.q.NewBattle(13, "-2+3", "+45 Lars Ærø", "", "")
	if err := e.db.AddBattle(ctx, e.a.ID, r.ID, &b); err != nil {
		t.Fatal(err)
	}
	n, _ := e.q.NewNote(1, "@SUM(A1)")
	if err := e.db.SaveNote(ctx, e.a.ID, r.ID, &n); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.CloseRound(ctx, e.q, e.a.ID, r.ID); err != nil {
		t.Fatal(err)
	}
	ann := e.login("ann@alpha.example")
	ann.get("/w?lang=en")

	f := openXLSX(t, ann.get(fmt.Sprintf("/w/rounds/%d/export.xlsx", r.ID)), "loyalty-hyperlink-http-x-round-2026-03-02.xlsx")
	// checkCell: a string is a shared-string cell (t="s") with exactly that text, no formula.
	checkRow(t, f, "About", 1, []any{"Client", `=HYPERLINK("http://x")`})
	checkRow(t, f, "About", 2, []any{"Round", "\t=1+2"})
	c13, _ := e.q.Competency(13)
	checkRow(t, f, "Must Win Battles", 2, []any{13, c13.Name.In("en"), "-2+3", "+45 Lars Ærø"})
	c1, _ := e.q.Competency(1)
	checkRow(t, f, "Notes", 2, []any{1, c1.Name.In("en"), "@SUM(A1)"})
	// The gap of −1 is the number −1.
	checkRow(t, f, "Categories", 2, []any{"L", "leadership", "Leadership Commitment", "Culture & Processes", 3, 2, -1})
	noFormula(t, f)

	// The portfolio shows the client and its round: as CSV too.
	recs := readCSV(t, ann.get("/w/portfolio/export.csv"), "loyalty-alpha-consulting-portfolio-2026-03-02.csv")
	if len(recs) != 2 || recs[1][0] != `'=HYPERLINK("http://x")` || recs[1][2] != "'\t=1+2" {
		t.Errorf("portfolio CSV = %q, want the client and the round quoted", recs)
	}
	if recs[1][12] != "-1" {
		t.Errorf("portfolio CSV gap = %q, want the number -1", recs[1][12])
	}
	noFormula(t, openXLSX(t, ann.get("/w/portfolio/export.xlsx"), "loyalty-alpha-consulting-portfolio-2026-03-02.xlsx"))
	noFormula(t, openXLSX(t, ann.get(fmt.Sprintf("/w/clients/%d/export.xlsx", room.client.ID)), "loyalty-hyperlink-http-x-history-2026-03-02.xlsx"))

	// A five-minute test with such a company name and role.
	a, err := e.q.NewAssessment(assessment.Submission{Lang: "en", Role: "+45 CFO", Company: assessment.Company{Name: "@Ærø Bryghus A/S"},
		Answers: uniform(3, 2).domain()})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateAssessment(ctx, a); err != nil {
		t.Fatal(err)
	}
	f = openXLSX(t, e.get("/r/"+a.Token+"/export.xlsx"), "loyalty-aeroe-bryghus-as-result-2026-03-02.xlsx")
	checkRow(t, f, "About", 1, []any{"Company", "@Ærø Bryghus A/S"})
	checkRow(t, f, "About", 6, []any{"Role", "+45 CFO"})
	noFormula(t, f)
	recs = readCSV(t, e.get("/r/"+a.Token+"/export.csv"), "loyalty-aeroe-bryghus-as-result-2026-03-02.csv")
	for _, r := range recs {
		for _, v := range r {
			if v != "" && strings.ContainsRune("=+@\t\r", rune(v[0])) {
				t.Errorf("result CSV field %q starts a formula", v)
			}
		}
	}
}

// noFormula fails when any cell of any sheet is a formula, or is a text that would start one
// in a cell of another type than shared string (t="s": text to every spreadsheet).
func noFormula(t *testing.T, f *excelize.File) {
	t.Helper()
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		for y, r := range rows {
			for x, v := range r {
				cell, _ := excelize.CoordinatesToCellName(x+1, y+1)
				if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
					t.Errorf("%s!%s is the formula %q", sheet, cell, formula)
				}
				typ, _ := f.GetCellType(sheet, cell)
				if typ != excelize.CellTypeSharedString && typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
					t.Errorf("%s!%s = %q is a cell of type %v, want a shared string or a number", sheet, cell, v, typ)
				}
			}
		}
	}
}

// TestExportPortfolio: the portfolio as on the page, filter and sort included, in the
// member's language.
func TestExportPortfolio(t *testing.T) {
	e := newWSEnv(t)
	ctx := context.Background()
	acme := e.exportRoom("Acme", "Ann", "Bo", "Cy")
	if _, err := e.db.CloseRound(ctx, e.q, e.a.ID, acme.round.ID); err != nil {
		t.Fatal(err)
	}
	e.advance(48 * time.Hour)
	// Bank (finance) has an open round with three participants at 3 → 5; Cafe (retail) none.
	bank, _ := e.q.NewClient(assessment.Company{Name: "Bank", Industry: "finance"}, false)
	cafe, _ := e.q.NewClient(assessment.Company{Name: "Cafe", Industry: "retail"}, false)
	for _, c := range []*assessment.Client{&bank, &cafe} {
		if err := e.db.CreateClient(ctx, e.a.ID, c); err != nil {
			t.Fatal(err)
		}
	}
	r, _ := e.q.NewRound("Q2", "en")
	if err := e.db.CreateRound(ctx, e.a.ID, bank.ID, &r); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{"tok-b", "tok-c", "tok-d"} {
		p, _ := e.q.NewParticipant("", "", uniform(3, 5).domain())
		if err := e.db.SaveParticipant(ctx, r.Code, tok, false, &p); err != nil {
			t.Fatal(err)
		}
	}
	ann := e.login("ann@alpha.example")
	ann.get("/w?lang=nb") // the member reads Norwegian: so do the files
	nb := views.Loc{Lang: "nb"}

	head := []any{"Kunde", "Bransje", "Runde", nb.T("ws.portfolio.date")}
	for _, c := range e.q.Categories {
		head = append(head, c.Letter+" · "+nb.Text(c.Name))
	}
	head = append(head, "AS-IS", "Gap")
	retail, _ := e.q.Industry("retail")
	finance, _ := e.q.Industry("finance")
	// Acme (closed 2 March): categories 2, except Loyalty Strategy 20/9; overall 128/63, gap
	// 122/63 (see TestExportRound). Bank (opened 4 March): 3 everywhere, gap 2.
	acmeRow := []any{"Acme", nb.Text(retail.Name), "Kick-off", day(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)), 2, 2, 2, 2, 20.0 / 9, 2, 2, 128.0 / 63, 122.0 / 63}
	bankRow := []any{"Bank", nb.Text(finance.Name), "Q2", day(time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)), 3, 3, 3, 3, 3, 3, 3, 3, 2}
	cafeRow := []any{"Cafe", nb.Text(retail.Name)}

	f := openXLSX(t, ann.get("/w/portfolio/export.xlsx?sort=asis"), "loyalty-alpha-consulting-portfolio-2026-03-04.xlsx")
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Om", "Portefølje"}) {
		t.Fatalf("sheets = %q", got)
	}
	checkSheet(t, f, "Om", [][]any{
		{"Arbeidsområde", "Alpha Consulting"},
		{"Bransje", nb.T("ws.portfolio.all")},
		{"Kunder", 3},
		{"Eksportert", day(time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC))},
	})
	// Weakest AS-IS first, clients without a round last.
	checkSheet(t, f, "Portefølje", [][]any{head, acmeRow, bankRow, cafeRow})

	// The CSV: the same table; by gap Bank (2) comes before Acme (122/63 < 2). The page reads
	// Norwegian, so the CSV is the one Norwegian Excel opens: semicolons, decimal commas.
	recs := readCSVIn(t, ann.get("/w/portfolio/export.csv?sort=gap"), "loyalty-alpha-consulting-portfolio-2026-03-04.csv", spreadsheet.ExcelEU)
	checkCSVIn(t, "portfolio CSV", recs, [][]any{head, bankRow, acmeRow, padTo(cafeRow, len(head))}, spreadsheet.ExcelEU)
	// Filtered to retail, as the page's filter; with commas when asked for.
	recs = readCSV(t, ann.get("/w/portfolio/export.csv?industry=retail&dialect=rfc4180"), "loyalty-alpha-consulting-portfolio-2026-03-04.csv")
	checkCSV(t, "retail CSV", recs, [][]any{head, acmeRow, padTo(cafeRow, len(head))})

	// The page's buttons carry its filter and sort, and each CSV its dialect.
	page := ann.get("/w/portfolio?industry=retail&sort=date").Text
	if !strings.Contains(page, `href="/w/portfolio/export.xlsx?industry=retail&amp;sort=date"`) ||
		!strings.Contains(page, `href="/w/portfolio/export.csv?industry=retail&amp;sort=date&amp;dialect=excel-eu"`) ||
		!strings.Contains(page, `href="/w/portfolio/export.csv?industry=retail&amp;sort=date&amp;dialect=rfc4180"`) {
		t.Error("the portfolio's download links do not carry its filter and sort")
	}

	// The API: a Bearer token, Accept-Language for the headers; its CSV is RFC 4180 whatever
	// the language, unless ?dialect= says otherwise.
	res := e.browser().api("GET", "/api/v1/portfolio/export?format=csv&sort=asis", e.token("carl@alpha.example"), "", "Accept-Language", "nb")
	checkCSV(t, "API portfolio CSV", readCSV(t, res, "loyalty-alpha-consulting-portfolio-2026-03-04.csv"), [][]any{head, acmeRow, bankRow, padTo(cafeRow, len(head))})

	// Workspace B's portfolio export does not hold A's clients; anonymous gets nothing.
	bob := e.login("bob@beta.example")
	if recs := readCSV(t, bob.get("/w/portfolio/export.csv"), "loyalty-beta-advisory-portfolio-2026-03-04.csv"); len(recs) != 1 {
		t.Errorf("B's portfolio CSV = %q, want the header only", recs)
	}
	if res := e.browser().get("/w/portfolio/export.csv"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous portfolio export = %d, want 303 to sign in", res.StatusCode)
	}
	if res := e.browser().api("GET", "/api/v1/portfolio/export?format=csv", "", "", uncheckedRequest, "no token on purpose"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("API portfolio export without a token = %d, want 401", res.StatusCode)
	}
}

// padTo fills a CSV record's expectation with empty fields.
func padTo(r []any, n int) []any {
	out := make([]any, n)
	copy(out, r)
	for i := len(r); i < n; i++ {
		out[i] = ""
	}
	return out
}

// TestExportHistory: every closed round of a client over time, oldest first, with its
// category and overall scores; open rounds are not history yet.
func TestExportHistory(t *testing.T) {
	e := newWSEnv(t)
	ctx := context.Background()
	room := e.exportRoom("Acme A/S", "Ann", "Bo", "Cy")
	if _, err := e.db.CloseRound(ctx, e.q, e.a.ID, room.round.ID); err != nil {
		t.Fatal(err)
	}
	ann := e.login("ann@alpha.example")
	ann.get("/w?lang=en")
	client := fmt.Sprintf("/w/clients/%d", room.client.ID)
	if page := ann.get(client).Text; !strings.Contains(page, `href="`+client+`/export.xlsx"`) {
		t.Error("the client page offers no history with a closed round")
	}

	// 90 days later a second round: three participants at 4 → 5 everywhere, closed; a
	// third, still open, with answers.
	e.advance(90 * 24 * time.Hour)
	for i, title := range []string{"Follow-up", "Next"} {
		r, _ := e.q.NewRound(title, "en")
		if err := e.db.CreateRound(ctx, e.a.ID, room.client.ID, &r); err != nil {
			t.Fatal(err)
		}
		for j := range 3 {
			p, _ := e.q.NewParticipant("", "", uniform(4, 5).domain())
			if err := e.db.SaveParticipant(ctx, r.Code, fmt.Sprint("h", i, j), false, &p); err != nil {
				t.Fatal(err)
			}
		}
		if i == 0 {
			e.advance(time.Hour)
			if _, err := e.db.CloseRound(ctx, e.q, e.a.ID, r.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	ann = e.login("ann@alpha.example")
	ann.get("/w?lang=en")
	f := openXLSX(t, ann.get(client+"/export.xlsx"), "loyalty-acme-as-history-2026-05-31.xlsx")
	if got := f.GetSheetList(); !slices.Equal(got, []string{"About", "Rounds", "AS-IS", "TO-BE"}) {
		t.Fatalf("sheets = %q", got)
	}
	march2, may31 := day(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)), day(time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC))
	retail, _ := e.q.Industry("retail")
	checkSheet(t, f, "About", [][]any{
		{"Client", "Acme A/S"}, {"Industry", retail.Name.In("en")}, {"Size"}, {"Country", "DK"}, {"Years working with NPS"},
		{"Closed rounds", 2}, {"Exported", may31},
	})
	// Kick-off: 128/63 → 250/63 (TestExportRound); Follow-up: 4 → 5, gap 1, indexes 75 and 100.
	checkSheet(t, f, "Rounds", [][]any{
		header("Round", "Opened", "Closed", "Participants who finished", "AS-IS", "TO-BE", "Gap", "AS-IS index", "TO-BE index"),
		{"Kick-off", march2, march2, 3, 128.0 / 63, 250.0 / 63, 122.0 / 63, 6500.0 / 252, 18700.0 / 252},
		{"Follow-up", may31, may31, 3, 4, 5, 1, 75, 100},
	})
	head := []any{"Round", "Closed"}
	for _, c := range e.q.Categories {
		head = append(head, c.Letter+" · "+c.Name.In("en"))
	}
	head = append(head, "Overall")
	checkSheet(t, f, "AS-IS", [][]any{head,
		{"Kick-off", march2, 2, 2, 2, 2, 20.0 / 9, 2, 2, 128.0 / 63},
		{"Follow-up", may31, 4, 4, 4, 4, 4, 4, 4, 4}})
	checkSheet(t, f, "TO-BE", [][]any{head,
		{"Kick-off", march2, 4, 4, 4, 4, 34.0 / 9, 4, 4, 250.0 / 63},
		{"Follow-up", may31, 5, 5, 5, 5, 5, 5, 5, 5}})

	// The API; a history has no CSV; another workspace's client is 404.
	tok := e.token("carl@alpha.example")
	api := e.browser()
	fa := openXLSX(t, api.api("GET", fmt.Sprintf("/api/v1/clients/%d/export?format=xlsx", room.client.ID), tok, "", "Accept-Language", "en"), "loyalty-acme-as-history-2026-05-31.xlsx")
	checkSheet(t, fa, "TO-BE", [][]any{head,
		{"Kick-off", march2, 4, 4, 4, 4, 34.0 / 9, 4, 4, 250.0 / 63},
		{"Follow-up", may31, 5, 5, 5, 5, 5, 5, 5, 5}})
	if res := api.api("GET", fmt.Sprintf("/api/v1/clients/%d/export?format=csv", room.client.ID), tok, "", uncheckedRequest, "a history has no CSV"); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Text, `"field":"format"`) {
		t.Errorf("history as CSV = %d %s, want 422 naming format", res.StatusCode, res.Text)
	}
	if res := api.api("GET", fmt.Sprintf("/api/v1/clients/%d/export?format=xlsx", room.client.ID), e.token("bob@beta.example"), ""); res.StatusCode != http.StatusNotFound {
		t.Errorf("B's token on A's client history = %d, want 404", res.StatusCode)
	}
}

// TestExportResult: a five-minute test in Danish with 5 peer companies in its industry, all at
// 3 → 4: the benchmark the page shows, the answers, gaps, priorities and categories.
func TestExportResult(t *testing.T) {
	// Exact statistics: the peers' figures below are worked out by hand, without noise.
	e := newWSEnv(t, exactStats)
	ctx := context.Background()
	for i := range 5 {
		a, err := e.q.NewAssessment(assessment.Submission{Lang: "en", BenchmarkConsent: true,
			Company: assessment.Company{Name: fmt.Sprint("Peer ", i), Industry: "retail"}, Answers: uniform(3, 4).domain()})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.db.CreateAssessment(ctx, a); err != nil {
			t.Fatal(err)
		}
		e.verify(a.Token)
	}
	// The company itself consents too: its own entry must not count among its peers.
	a, err := e.q.NewAssessment(assessment.Submission{Lang: "da", Role: "CFO", BenchmarkConsent: true,
		Company: assessment.Company{Name: "Ærø Bryghus A/S", Industry: "retail", Size: "250-999", Country: "DK", NPSYears: "1-5"},
		Answers: workedScores().domain()})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateAssessment(ctx, a); err != nil {
		t.Fatal(err)
	}
	e.verify(a.Token)
	da := views.Loc{Lang: "da"}
	retail, _ := e.q.Industry("retail")
	size, _ := e.q.SizeBand("250-999")
	seg, _ := e.q.Segment("1-5")
	// Read in English; the file is in the test's language, Danish.
	res := e.get("/r/"+a.Token+"/export.xlsx?group=industry", "Accept-Language", "en")
	if got := res.Header.Get("X-Robots-Tag"); got != "noindex" {
		t.Errorf("X-Robots-Tag = %q, want noindex: the link is a credential", got)
	}
	f := openXLSX(t, res, "loyalty-aeroe-bryghus-as-result-2026-03-02.xlsx")
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Om", "Kompetencer", "Kategorier"}) {
		t.Fatalf("sheets = %q", got)
	}
	// AS-IS 45/21, TO-BE 88/21: indexes 600/21 and 1675/21, stage "starting" (docs/api.md).
	// Below the peers' median of 3 on 13 competencies (AS-IS 1 or 2: 3-8, 10-13, 15, 19, 20).
	starting := e.q.Stages[0]
	about := [][]any{
		{"Virksomhed", "Ærø Bryghus A/S"}, {"Branche", da.Text(retail.Name)}, {"Størrelse", da.Text(size.Name)}, {"Land", "DK"},
		{"År med NPS", da.Text(seg.Name)}, {"Rolle", "CFO"}, {"Besvaret", day(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC))},
		{"Sprog", "Dansk"}, {"Spørgeskemaets version", "2026.1"},
		{"AS-IS-indeks", 600.0 / 21}, {"TO-BE-indeks", 1675.0 / 21}, {da.T("result.stage"), da.Text(starting.Name)},
		{"Sammenligningsgruppe", da.F("bench.group.industry", views.Args{"Value": da.Text(retail.Name)})},
		{"Virksomheder i gruppen", 5},
		// The release's date (the first read at wsStart made it); the company is verified, so
		// no line says its answers are missing.
		{nil, "Tal pr. 2. marts 2026, med lidt tilfældig støj, så ingen virksomhed kan udpeges."},
	}
	sentences := e.srv.benchmarkSentences(da, mustBenchmark(t, e, a, "industry"))
	if sentences[0] != da.F("bench.s.below", views.Args{"Count": 13, "Total": 21}) {
		t.Fatalf("first benchmark sentence = %q, want 13 of 21 below the median", sentences[0])
	}
	for i, s := range sentences {
		label := any(nil)
		if i == 0 {
			label = "Benchmark"
		}
		about = append(about, []any{label, s})
	}
	checkSheet(t, f, "Om", about)

	// Competencies: answer, gap, priority; peers all at 3 → 4: median, P25, P75 3 and 4; the
	// company's percentile 0 below, 50 equal, 100 above.
	pct := func(v, peers float64) int {
		switch {
		case v < peers:
			return 0
		case v == peers:
			return 50
		}
		return 100
	}
	head := header("Nr.", "Nøgle", "Navn", "Kategori", "AS-IS", "TO-BE", "Gap", "Prioritet",
		"Andre AS-IS: median", "Andre AS-IS: P25", "Andre AS-IS: P75", "AS-IS: percentil blandt andre",
		"Andre TO-BE: median", "Andre TO-BE: P25", "Andre TO-BE: P75", "TO-BE: percentil blandt andre")
	comps := [][]any{head}
	csvRows := [][]any{}
	for i, c := range e.q.Competencies {
		cat, _ := e.q.Category(c.Category)
		s := workedScores().pairs()[i]
		catName := cat.Letter + " · " + da.Text(cat.Name)
		r := []any{c.Number, c.Key, da.Text(c.Name), catName, s[0], s[1], s[1] - s[0], workedPriority[i],
			3, 3, 3, pct(float64(s[0]), 3), 4, 4, 4, pct(float64(s[1]), 4)}
		comps = append(comps, r)
		csvRows = append(csvRows, append([]any{"Kompetence"}, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], "", r[12], r[13], r[14], r[15]))
	}
	checkSheet(t, f, "Kompetencer", comps)

	// Categories (sums in docs/api.md: AS-IS 9 6 6 3 6 9 6, TO-BE 14 12 13 12 14 11 12, each
	// over 3): AS-IS above the peers' P75 of 3 is ahead, below P25 behind, else in line.
	catAsIs := []float64{9, 6, 6, 3, 6, 9, 6}
	catToBe := []float64{14, 12, 13, 12, 14, 11, 12}
	standing := func(v float64) string {
		switch {
		case v > 3:
			return da.T("bench.standing.ahead")
		case v < 3:
			return da.T("bench.standing.behind")
		}
		return da.T("bench.standing.in_line")
	}
	cats := [][]any{header("Nøgle", "Navn", "AS-IS", "TO-BE", "Gap",
		"Andre AS-IS: median", "Andre AS-IS: P25", "Andre AS-IS: P75", "AS-IS: percentil blandt andre", "Standing",
		"Andre TO-BE: median", "Andre TO-BE: P25", "Andre TO-BE: P75", "TO-BE: percentil blandt andre")}
	cats[0][9] = da.T("bench.col.standing")
	// Overall first: 45/21 → 88/21, gap 43/21, behind, TO-BE above 4.
	overall := []any{"overall", "Samlet", 45.0 / 21, 88.0 / 21, 43.0 / 21, 3, 3, 3, 0, standing(45.0 / 21), 4, 4, 4, 100}
	catRows := [][]any{}
	for i, c := range e.q.Categories {
		a, b := catAsIs[i]/3, catToBe[i]/3
		catRows = append(catRows, []any{c.Key, c.Letter + " · " + da.Text(c.Name), a, b, (catToBe[i] - catAsIs[i]) / 3,
			3, 3, 3, pct(a, 3), standing(a), 4, 4, 4, pct(b, 4)})
	}
	checkSheet(t, f, "Kategorier", append(append(cats, overall), catRows...))

	// The CSV: overall, the categories and the competencies, one row each, with their level.
	recs := readCSV(t, e.get("/r/"+a.Token+"/export.csv?group=industry"), "loyalty-aeroe-bryghus-as-result-2026-03-02.csv")
	want := [][]any{header("Niveau", "Nr.", "Nøgle", "Navn", "Kategori", "AS-IS", "TO-BE", "Gap", "Prioritet",
		"Andre AS-IS: median", "Andre AS-IS: P25", "Andre AS-IS: P75", "AS-IS: percentil blandt andre", da.T("bench.col.standing"),
		"Andre TO-BE: median", "Andre TO-BE: P25", "Andre TO-BE: P75", "TO-BE: percentil blandt andre")}
	level := func(l string, r []any) []any {
		return []any{l, "", r[0], r[1], "", r[2], r[3], r[4], "", r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13]}
	}
	want = append(want, level("Samlet", overall))
	for _, r := range catRows {
		want = append(want, level("Kategori", r))
	}
	want = append(want, csvRows...)
	checkCSV(t, "result CSV", recs, want)

	// The API compares in the group asked for, like its benchmark endpoint: a group the
	// profile cannot select is 422 there, where the page falls back to all companies.
	apiRes := e.get("/api/v1/assessments/" + a.Token + "/export?format=csv&group=industry")
	checkCSV(t, "API result CSV", readCSV(t, apiRes, "loyalty-aeroe-bryghus-as-result-2026-03-02.csv"), want)
	if res := e.get("/api/v1/assessments/"+a.Token+"/export?format=xlsx&group=region", uncheckedRequest, "an unknown group on purpose"); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Text, `"field":"group"`) {
		t.Errorf("API export with an unknown group = %d %s, want 422", res.StatusCode, res.Text)
	}
	if res := e.get("/api/v1/assessments/"+a.Token+"/export?format=ods", uncheckedRequest, "an unknown format on purpose"); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Text, `"field":"format"`) {
		t.Errorf("API export as ods = %d %s, want 422", res.StatusCode, res.Text)
	}
	f = openXLSX(t, e.get("/r/"+a.Token+"/export.xlsx?group=region"), "loyalty-aeroe-bryghus-as-result-2026-03-02.xlsx")
	checkRow(t, f, "Om", 13, []any{"Sammenligningsgruppe", da.T("bench.group.all")})

	// The result page offers the files for the group it shows.
	page := e.get("/r/" + a.Token + "?group=industry").Text
	if !strings.Contains(page, `href="/r/`+a.Token+`/export.xlsx?group=industry"`) || !strings.Contains(page, `href="/r/`+a.Token+`/export.csv?group=industry&amp;dialect=rfc4180"`) {
		t.Error("the result page does not offer its files for its group")
	}

	// A test nobody verified is compared with all 6 companies of the release, and its file
	// says, as its page does, that its own answers are not among the figures.
	other, err := e.q.NewAssessment(assessment.Submission{Lang: "da", BenchmarkConsent: true,
		Company: a.Company, Answers: workedScores().domain()})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateAssessment(ctx, other); err != nil {
		t.Fatal(err)
	}
	f = openXLSX(t, e.get("/r/"+other.Token+"/export.xlsx?group=industry"), "loyalty-aeroe-bryghus-as-result-2026-03-02.xlsx")
	checkRow(t, f, "Om", 14, []any{"Virksomheder i gruppen", 6})
	checkRow(t, f, "Om", 15, []any{nil, "Tal pr. 2. marts 2026, med lidt tilfældig støj, så ingen virksomhed kan udpeges."})
	checkRow(t, f, "Om", 16, []any{nil, da.T("bench.pending")})

	// Unknown and deleted results are 404, like the page.
	if res := e.get("/r/nope/export.xlsx"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown token = %d, want 404", res.StatusCode)
	}
	if err := e.db.DeleteAssessment(ctx, a.Token); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/r/" + a.Token + "/export.csv", "/api/v1/assessments/" + a.Token + "/export?format=xlsx"} {
		if res := e.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s after deleting = %d, want 404", path, res.StatusCode)
		}
	}
}

// mustBenchmark is the benchmark the result page shows for group.
func mustBenchmark(t *testing.T, e *env, a *assessment.Assessment, group string) assessment.Benchmark {
	t.Helper()
	res := e.q.Score(a.Ratings)
	b, err := e.srv.benchmark(context.Background(), a, &res, group)
	if err != nil || !b.Available || b.Peers != 5 {
		t.Fatalf("benchmark = %+v, %v; want 5 peers", b.Peers, err)
	}
	return b.Benchmark
}

// TestExportResultWithoutPeers: below 5 peer companies the export holds no statistic of the
// group, only that it is not available.
func TestExportResultWithoutPeers(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for i := range 4 {
		a, _ := e.q.NewAssessment(assessment.Submission{Lang: "en", BenchmarkConsent: true,
			Company: assessment.Company{Name: fmt.Sprint("Peer ", i)}, Answers: uniform(3, 4).domain()})
		if err := e.db.CreateAssessment(ctx, a); err != nil {
			t.Fatal(err)
		}
		e.verify(a.Token) // verified, so that what is missing is a fifth company
	}
	a, _ := e.q.NewAssessment(assessment.Submission{Lang: "sv", Answers: workedScores().domain()})
	if err := e.db.CreateAssessment(ctx, a); err != nil {
		t.Fatal(err)
	}
	sv := views.Loc{Lang: "sv"}
	f := openXLSX(t, e.get("/r/"+a.Token+"/export.xlsx"), "loyalty-result-2026-11-23.xlsx")
	rows, _ := f.GetRows("Om")
	last := rows[len(rows)-1]
	if len(last) != 2 || last[0] != "Företag i gruppen" || last[1] != sv.F("bench.unavailable", views.Args{"Min": assessment.MinPeers}) {
		t.Errorf("last About row = %q, want that the group is not available", last)
	}
	checkRow(t, f, "Kompetenser", 1, []any{"Nr", "Nyckel", "Namn", "Kategori", "AS-IS", "TO-BE", "Gap", "Prioritet"})
	if rows, _ := f.GetRows("Kompetenser"); len(rows[0]) != 8 || len(rows[1]) != 8 {
		t.Errorf("Kompetenser has %d columns, want 8 without peers", len(rows[0]))
	}
	recs := readCSV(t, e.get("/r/"+a.Token+"/export.csv"), "loyalty-result-2026-11-23.csv")
	if len(recs) != 1+1+7+21 || len(recs[0]) != 9 {
		t.Errorf("CSV without peers: %d records of %d fields, want 30 of 9", len(recs), len(recs[0]))
	}
}

// TestExportHeadersTranslated: every sheet name and header of every export is a text of the
// catalogue in each language, never a message key.
func TestExportHeadersTranslated(t *testing.T) {
	e := newWSEnv(t)
	ctx := context.Background()
	room := e.exportRoom("Acme", "Ann", "Bo", "Cy")
	if _, err := e.db.CloseRound(ctx, e.q, e.a.ID, room.round.ID); err != nil {
		t.Fatal(err)
	}
	a, _ := e.q.NewAssessment(assessment.Submission{Lang: "en", Answers: workedScores().domain()})
	if err := e.db.CreateAssessment(ctx, a); err != nil {
		t.Fatal(err)
	}
	ann := e.login("ann@alpha.example")
	for _, lang := range []string{"da", "sv", "nb", "en"} {
		ann.get("/w?lang=" + lang)
		for _, path := range []string{fmt.Sprintf("/w/rounds/%d/export.xlsx", room.round.ID), "/w/portfolio/export.xlsx",
			fmt.Sprintf("/w/clients/%d/export.xlsx", room.client.ID), "/r/" + a.Token + "/export.xlsx"} {
			res := ann.get(path)
			f, err := excelize.OpenReader(bytes.NewReader(res.Body))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			for _, sheet := range f.GetSheetList() {
				rows, _ := f.GetRows(sheet)
				for _, r := range rows {
					for _, v := range r {
						if strings.HasPrefix(v, "export.") || strings.HasPrefix(v, "ws.") || strings.HasPrefix(v, "bench.") ||
							strings.HasPrefix(v, "result.") || strings.HasPrefix(v, "error.") || strings.Contains(v, "{{") {
							t.Errorf("%s (%s) %s: %q is not translated", path, lang, sheet, v)
						}
					}
				}
			}
			f.Close()
		}
	}
}

// TestExportNotCompressedTwice: an XLSX file is a zip already; CSV is text and is gzipped
// like any page.
func TestExportNotCompressedTwice(t *testing.T) {
	e := newWSEnv(t)
	room := e.exportRoom("Acme", "Ann", "Bo", "Cy")
	ann := e.login("ann@alpha.example")
	req := e.request(http.MethodGet, fmt.Sprintf("/w/rounds/%d/export.xlsx", room.round.ID), nil, "Accept-Encoding", "gzip")
	if res := ann.do(req); res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "" {
		t.Errorf("XLSX = %d with Content-Encoding %q, want none", res.StatusCode, res.Header.Get("Content-Encoding"))
	}
	req = e.request(http.MethodGet, fmt.Sprintf("/w/rounds/%d/export.csv", room.round.ID), nil, "Accept-Encoding", "gzip")
	if res := ann.do(req); res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("CSV = %d with Content-Encoding %q, want gzip", res.StatusCode, res.Header.Get("Content-Encoding"))
	}
}

// TestExportCSVDialect: a CSV download is in the dialect asked for (?dialect=), by default
// on a page the one Excel in the page's language opens (Danish: semicolons and decimal
// commas; English: RFC 4180), in the API always RFC 4180; an unknown dialect is 422 naming
// it; the pages offer both, translated, the page's own first.
func TestExportCSVDialect(t *testing.T) {
	e := newWSEnv(t)
	ctx := context.Background()
	a, err := e.q.NewAssessment(assessment.Submission{Lang: "en", Company: assessment.Company{Name: "Acme"}, Answers: workedScores().domain()})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateAssessment(ctx, a); err != nil {
		t.Fatal(err)
	}
	const file = "loyalty-acme-result-2026-03-02.csv"
	// The overall row of docs/api.md's example: 45/21 → 88/21, gap 43/21 (no peers: 9 fields).
	overall := []any{"Overall", "", "overall", "Overall", "", 45.0 / 21, 88.0 / 21, 43.0 / 21, ""}
	head := header("Level", "No.", "Key", "Name", "Category", "AS-IS", "TO-BE", "Gap", "Priority")
	for _, tc := range []struct {
		name, path string
		header     []string
		d          spreadsheet.Dialect
	}{
		{"a Danish page", "/r/" + a.Token + "/export.csv", []string{"Accept-Language", "da"}, spreadsheet.ExcelEU},
		{"a Swedish page", "/r/" + a.Token + "/export.csv", []string{"Accept-Language", "sv"}, spreadsheet.ExcelEU},
		{"a Norwegian page", "/r/" + a.Token + "/export.csv", []string{"Accept-Language", "nb"}, spreadsheet.ExcelEU},
		{"an English page", "/r/" + a.Token + "/export.csv", []string{"Accept-Language", "en"}, spreadsheet.RFC4180},
		{"a Danish page asking for commas", "/r/" + a.Token + "/export.csv?dialect=rfc4180", []string{"Accept-Language", "da"}, spreadsheet.RFC4180},
		{"an English page asking for semicolons", "/r/" + a.Token + "/export.csv?dialect=excel-eu", []string{"Accept-Language", "en"}, spreadsheet.ExcelEU},
		{"the API in Danish", "/api/v1/assessments/" + a.Token + "/export?format=csv", []string{"Accept-Language", "da"}, spreadsheet.RFC4180},
		{"the API asking for semicolons", "/api/v1/assessments/" + a.Token + "/export?format=csv&dialect=excel-eu", nil, spreadsheet.ExcelEU},
	} {
		res := e.get(tc.path, tc.header...)
		recs := readCSVIn(t, res, file, tc.d)
		// The result's file is in the test's language (English) whatever the page's.
		if len(recs) != 30 || len(recs[0]) != 9 {
			t.Errorf("%s: %d records of %d fields, want 30 of 9", tc.name, len(recs), len(recs[0]))
			continue
		}
		checkCSVIn(t, tc.name, recs[:2], [][]any{head, overall}, tc.d)
		if want := "\uFEFFLevel" + string(tc.d.Comma) + "No." + string(tc.d.Comma); !strings.HasPrefix(res.Text, want) {
			t.Errorf("%s: file starts %.30q, want %q", tc.name, res.Text, want)
		}
	}

	// Unknown dialects, empty ones, and a wrong format beside one: 422 naming each field.
	for _, tc := range []struct {
		query  string
		fields []string
	}{
		{"?format=csv&dialect=excel", []string{"dialect"}},
		{"?format=csv&dialect=", []string{"dialect"}},
		{"?format=xlsx&dialect=semicolon", []string{"dialect"}},
		{"?format=ods&dialect=EXCEL-EU", []string{"format", "dialect"}},
	} {
		res := e.get("/api/v1/assessments/"+a.Token+"/export"+tc.query, uncheckedRequest, "an unknown format or dialect on purpose")
		var body struct {
			Errors []struct{ Field string } `json:"errors"`
		}
		var fields []string
		if err := json.Unmarshal(res.Body, &body); err == nil {
			for _, f := range body.Errors {
				fields = append(fields, f.Field)
			}
		}
		if res.StatusCode != http.StatusUnprocessableEntity || !slices.Equal(fields, tc.fields) {
			t.Errorf("export%s = %d %s, want 422 naming %v", tc.query, res.StatusCode, res.Text, tc.fields)
		}
	}
	if res := e.get("/r/"+a.Token+"/export.csv?dialect=tab", "Accept-Language", "da"); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(mainText(t, res.Text), "rfc4180, excel-eu") {
		t.Errorf("page export with an unknown dialect = %d %q, want 422 naming the dialects", res.StatusCode, mainText(t, res.Text))
	}

	// The result page offers both CSV files, the page's own first, with translated labels and
	// hints.
	for _, tc := range []struct {
		lang   string
		labels []string
		ids    []string
	}{
		{"da", []string{"Hent Excel", "Hent CSV (semikolon)", "Hent CSV (komma)"}, []string{"download-xlsx", "download-csv-excel-eu", "download-csv-rfc4180"}},
		{"en", []string{"Download Excel", "Download CSV (commas)", "Download CSV (semicolons)"}, []string{"download-xlsx", "download-csv-rfc4180", "download-csv-excel-eu"}},
	} {
		l := views.Loc{Lang: tc.lang}
		links := doc(t, e.get("/r/"+a.Token, "Accept-Language", tc.lang).Body).Find(`a[data-testid^="download-"]`)
		if got := texts(links); !slices.Equal(got, prefixed("↓ ", tc.labels)) {
			t.Errorf("%s download links = %q, want %q", tc.lang, got, tc.labels)
		}
		links.Each(func(i int, s *goquery.Selection) {
			id := s.AttrOr("data-testid", "")
			if i >= len(tc.ids) || id != tc.ids[i] {
				t.Errorf("%s link %d = %s", tc.lang, i, id)
				return
			}
			d, isCSV := strings.CutPrefix(id, "download-csv-")
			if !isCSV {
				return
			}
			if href := s.AttrOr("href", ""); !strings.HasSuffix(href, "/export.csv?group=all&dialect="+d) {
				t.Errorf("%s %s href = %q", tc.lang, id, href)
			}
			if title := s.AttrOr("title", ""); title != l.T("export.hint.csv."+d) || title == "" {
				t.Errorf("%s %s title = %q", tc.lang, id, title)
			}
		})
	}
}

// prefixed returns each of ss with p in front.
func prefixed(p string, ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = p + s
	}
	return out
}
