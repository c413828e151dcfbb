package web

// The exports opened by a spreadsheet nobody here wrote: LibreOffice Calc, headless, reads
// the downloaded XLSX and both CSV dialects with the import settings a Danish and an English
// user get, and saves what it read as XLSX, which excelize reads back. It skips when
// LibreOffice is missing, except under CI=true, where that is a failure (.ci/run installs
// the Debian package libreoffice-calc-nogui).

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore/sqltest"
)

// sofficePath returns LibreOffice's program, skipping the test (failing it under CI=true)
// when there is none.
func sofficePath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but LibreOffice is not installed (no soffice in PATH): .ci/run installs the Debian package libreoffice-calc-nogui")
	}
	t.Skip("LibreOffice not found (no soffice in PATH); install libreoffice-calc-nogui to run this test")
	return ""
}

// conversion is a file to open in LibreOffice: its name, its bytes, and the import filter
// with its options ("" lets LibreOffice choose, as for an XLSX file).
type conversion struct {
	name     string
	data     []byte
	infilter string
}

// calc converts the files with LibreOffice into XLSX files and opens them, in their order.
// Each runs in a LibreOffice of its own (a process and a profile), all at once: a conversion
// is one core's work for seconds, mostly LibreOffice starting.
func calc(t *testing.T, soffice string, files ...conversion) []*excelize.File {
	t.Helper()
	converted := make([]string, len(files))
	problems := make([]string, len(files))
	var wg sync.WaitGroup
	for i, c := range files {
		dir := t.TempDir()
		wg.Go(func() {
			in := filepath.Join(dir, c.name)
			if err := os.WriteFile(in, c.data, 0o600); err != nil {
				problems[i] = err.Error()
				return
			}
			out := filepath.Join(dir, "out")
			args := []string{"--headless", "--norestore", "--nologo", "-env:UserInstallation=file://" + filepath.Join(dir, "profile")}
			if c.infilter != "" {
				args = append(args, "--infilter="+c.infilter)
			}
			args = append(args, "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", out, in)
			cmd := exec.Command(soffice, args...)
			cmd.Env = append(os.Environ(), "HOME="+dir) // nothing of the machine's own profile
			msg, err := cmd.CombinedOutput()
			converted[i] = filepath.Join(out, strings.TrimSuffix(c.name, filepath.Ext(c.name))+".xlsx")
			if _, statErr := os.Stat(converted[i]); err != nil || statErr != nil {
				problems[i] = fmt.Sprintf("soffice %s: %v %v\n%s", strings.Join(args, " "), err, statErr, msg)
			}
		})
	}
	wg.Wait()
	var opened []*excelize.File
	for i := range files {
		if problems[i] != "" {
			t.Fatal(problems[i])
		}
		f, err := excelize.OpenFile(converted[i])
		if err != nil {
			t.Fatalf("LibreOffice's %s: %v", converted[i], err)
		}
		t.Cleanup(func() { f.Close() })
		opened = append(opened, f)
	}
	return opened
}

// TestExportsOpenInLibreOffice: what LibreOffice reads from the files is what was typed and
// what was computed. In the XLSX, user text that starts with = + - @ is text exactly as typed
// (no quote shown, never a formula) and numbers and dates are numbers; in each CSV dialect,
// opened with its separator and its language's decimal separator, every field is one cell,
// a number is the number (decimal commas read as such in Danish), a date a date, and a text
// that would start a formula is text with its quote, never a formula, although LibreOffice
// runs an unquoted "=1+2" in a CSV as one (checked too).
func TestExportsOpenInLibreOffice(t *testing.T) {
	soffice := sofficePath(t)
	if sqltest.Postgres() {
		t.Skip("what LibreOffice reads does not depend on the engine; TestExportFormulaInjection checks the same files on PostgreSQL")
	}
	t.Parallel()

	e := newWSEnv(t)
	ctx := context.Background()
	room := e.exportRoom("@Ærø Bryghus A/S", "Ann", "Bo", "Cy")
	id := room.round.ID
	b, err := e.q.NewBattle(7, "-2+3", "+45 Lars Ærø", "2026-06-30", assessment.BattleInProgress)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.AddBattle(ctx, e.a.ID, id, &b); err != nil {
		t.Fatal(err)
	}
	n, err := e.q.NewNote(1, "=1+2")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.SaveNote(ctx, e.a.ID, id, &n); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.CloseRound(ctx, e.q, e.a.ID, id); err != nil {
		t.Fatal(err)
	}
	// A second client, without a round, whose name holds both separators.
	other, _ := e.q.NewClient(assessment.Company{Name: "Søstre; Grene, Aarhus", Industry: "retail"}, false)
	if err := e.db.CreateClient(ctx, e.a.ID, &other); err != nil {
		t.Fatal(err)
	}
	ann := e.login("ann@alpha.example")
	ann.get("/w?lang=en")

	// The round's workbook (in the round's Danish) and the portfolio in both CSV dialects,
	// fetched first and then opened in LibreOffice all at once.
	res := ann.get(fmt.Sprintf("/w/rounds/%d/export.xlsx", id))
	if res.StatusCode != 200 {
		t.Fatalf("round XLSX = %d", res.StatusCode)
	}
	files := []conversion{{name: "round.xlsx", data: res.Body}}
	dialects := []struct {
		dialect, infilter string
		first             string
	}{
		// Field separator 59 (;), text delimiter 34 ("), UTF-8 (76), from line 1, Danish (1030):
		// what Danish Excel does with a double-clicked CSV.
		{"excel-eu", "CSV:59,34,76,1,,1030", "'@Ærø Bryghus A/S"},
		// 44 (,), English (USA) (1033).
		{"rfc4180", "CSV:44,34,76,1,,1033", "'@Ærø Bryghus A/S"},
	}
	for _, tc := range dialects {
		res := ann.get("/w/portfolio/export.csv?dialect=" + tc.dialect)
		if res.StatusCode != 200 {
			t.Fatalf("portfolio CSV %s = %d", tc.dialect, res.StatusCode)
		}
		// A line the app never writes: an unneutralised "=1+2", which LibreOffice runs. It
		// shows why a CSV's texts get their quote; it is taken out again before the checks.
		files = append(files, conversion{name: "portfolio-" + tc.dialect + ".csv", data: append(res.Body, "=1+2\r\n"...), infilter: tc.infilter})
	}
	opened := calc(t, soffice, files...)

	// The workbook. Overall 128/63 → 250/63 (TestExportRound).
	march2 := day(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC))
	f := opened[0]
	checkRow(t, f, "Om", 1, []any{"Kunde", "@Ærø Bryghus A/S"})
	checkRow(t, f, "Om", 8, []any{"Deltagere, der er færdige", 3})
	checkRow(t, f, "Om", 9, []any{"AS-IS-indeks", 6500.0 / 252})
	c7, _ := e.q.Competency(7)
	checkRow(t, f, "Must Win Battles", 2, []any{7, c7.Name.In("da"), "-2+3", "+45 Lars Ærø", day(time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)), "I gang"})
	c1, _ := e.q.Competency(1)
	checkRow(t, f, "Noter", 2, []any{1, c1.Name.In("da"), "=1+2"})
	checkRow(t, f, "Kategorier", 9, []any{nil, "overall", "Samlet", nil, 128.0 / 63, 250.0 / 63, 122.0 / 63})
	noFormula(t, f)

	// The portfolio. Acme's categories: 2, except Loyalty Strategy 20/9; overall 128/63, gap
	// 122/63, closed 2 March.
	retail, _ := e.q.Industry("retail")
	head := []any{"Client", "Industry", "Round", "Last assessed"}
	for _, c := range e.q.Categories {
		head = append(head, c.Letter+" · "+c.Name.In("en"))
	}
	head = append(head, "AS-IS", "Gap")
	for i, tc := range dialects {
		f := opened[1+i]
		sheet := f.GetSheetName(0)
		if formula, _ := f.GetCellFormula(sheet, "A4"); formula == "" {
			t.Errorf("%s: LibreOffice did not read =1+2 in a CSV as a formula; the test's premise is gone", tc.dialect)
		}
		if err := f.RemoveRow(sheet, 4); err != nil {
			t.Fatal(err)
		}
		checkSheet(t, f, sheet, [][]any{head,
			{tc.first, retail.Name.In("en"), "Kick-off", march2, 2, 2, 2, 2, 20.0 / 9, 2, 2, 128.0 / 63, 122.0 / 63},
			{"Søstre; Grene, Aarhus", retail.Name.In("en")},
		})
		noFormula(t, f)
	}
}
