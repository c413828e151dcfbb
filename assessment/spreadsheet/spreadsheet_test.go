package spreadsheet_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"io/fs"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/loyalty-cx/loyalty/assessment/export"
	"github.com/loyalty-cx/loyalty/assessment/spreadsheet"
)

var day = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

func sample() export.Workbook {
	return export.Workbook{Sheets: []export.Table{
		{Name: "About", Rows: [][]export.Cell{
			{export.Text("Client"), export.Text("=HYPERLINK(\"http://x\")")},
			{export.Text("Opened"), export.Day(day)},
		}},
		{Name: "Answers", Header: []string{"Participant", "No.", "Gap", "Due", "Note"}, Rows: [][]export.Cell{
			{export.Text("P3"), export.Int(1), export.Number(-1, 2), export.Day(day), export.Text("Ærø, \"quoted\"\nline two")},
			{export.Text("P7"), export.Int(2), export.Number(7.0/3, 2)},
			{export.Text("P9"), export.Cell{}, export.Number(0, 2), export.Cell{}, export.Text(strings.Repeat("long ", 30))},
		}},
	}}
}

func TestXLSX(t *testing.T) {
	var buf bytes.Buffer
	if err := spreadsheet.XLSX(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"About", "Answers"}) {
		t.Fatalf("sheets = %v", got)
	}
	value := func(sheet, cell string) string {
		t.Helper()
		v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	kind := func(sheet, cell string) excelize.CellType {
		t.Helper()
		k, err := f.GetCellType(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	style := func(sheet, cell string) *excelize.Style {
		t.Helper()
		id, err := f.GetCellStyle(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		s, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// Texts are shared strings, as typed (TestXLSXTextAsTyped); numbers are number
	// cells (no t attribute: excelize reports them unset) with their value in full; a date is
	// the Excel serial number of the day, shown as yyyy-mm-dd.
	for _, tc := range []struct {
		sheet, cell string
		typ         excelize.CellType
		raw         string
		format      string
	}{
		{"About", "A1", excelize.CellTypeSharedString, "Client", ""},
		{"About", "B1", excelize.CellTypeSharedString, "=HYPERLINK(\"http://x\")", ""},
		{"About", "B2", excelize.CellTypeUnset, "46355", "yyyy-mm-dd"},
		{"Answers", "A1", excelize.CellTypeSharedString, "Participant", ""},
		{"Answers", "E1", excelize.CellTypeSharedString, "Note", ""},
		{"Answers", "A2", excelize.CellTypeSharedString, "P3", ""},
		{"Answers", "B2", excelize.CellTypeUnset, "1", "0"},
		{"Answers", "C2", excelize.CellTypeUnset, "-1", "0.00"},
		{"Answers", "D2", excelize.CellTypeUnset, "46355", "yyyy-mm-dd"},
		{"Answers", "E2", excelize.CellTypeSharedString, "Ærø, \"quoted\"\nline two", ""},
		{"Answers", "C3", excelize.CellTypeUnset, "2.33333333333333", "0.00"},
		{"Answers", "B4", excelize.CellTypeUnset, "", ""},
		{"Answers", "C4", excelize.CellTypeUnset, "0", "0.00"},
	} {
		if got := kind(tc.sheet, tc.cell); got != tc.typ {
			t.Errorf("%s!%s type = %v, want %v", tc.sheet, tc.cell, got, tc.typ)
		}
		if got := value(tc.sheet, tc.cell); got != tc.raw {
			t.Errorf("%s!%s = %q, want %q", tc.sheet, tc.cell, got, tc.raw)
		}
		if tc.format != "" {
			if s := style(tc.sheet, tc.cell); s.CustomNumFmt == nil || *s.CustomNumFmt != tc.format {
				t.Errorf("%s!%s number format = %v, want %q", tc.sheet, tc.cell, s.CustomNumFmt, tc.format)
			}
		}
	}
	// The header row is bold and stays in view; the About sheet has no header row, and its
	// labels are bold instead.
	if !style("Answers", "C1").Font.Bold {
		t.Error("header not bold")
	}
	if p, err := f.GetPanes("Answers"); err != nil || !p.Freeze || p.YSplit != 1 || p.TopLeftCell != "A2" {
		t.Errorf("Answers panes = %+v, %v; want the first row frozen", p, err)
	}
	if p, _ := f.GetPanes("About"); p.Freeze {
		t.Error("About has a frozen pane")
	}
	if s := style("About", "A1"); s.Font == nil || !s.Font.Bold {
		t.Error("About's label column is not bold")
	}
	// Widths follow the contents: "Participant" (11) + 2; the long text caps at 60 and wraps.
	for _, tc := range []struct {
		col  string
		want float64
	}{{"A", 13}, {"B", 6}, {"E", 60}} {
		if w, _ := f.GetColWidth("Answers", tc.col); w != tc.want {
			t.Errorf("Answers column %s width = %v, want %v", tc.col, w, tc.want)
		}
	}
	if s := style("Answers", "E4"); s.Alignment == nil || !s.Alignment.WrapText {
		t.Error("a text longer than its column does not wrap")
	}
}

// xmlCell is a cell of a worksheet as its XML says: its type attribute, whether it holds a
// formula, and its text (the shared string it points at, for t="s").
type xmlCell struct {
	Ref     string    `xml:"r,attr"`
	Type    string    `xml:"t,attr"`
	Formula *struct{} `xml:"f"`
	V       string    `xml:"v"`
	Text    string    `xml:"-"`
}

// worksheetCells reads the cells of every worksheet of an XLSX file from its XML, by
// worksheet file ("sheet1.xml") and reference ("B1"), with the shared strings resolved.
func worksheetCells(t *testing.T, data []byte) map[string]xmlCell {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string, v any) {
		t.Helper()
		f, err := z.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := xml.NewDecoder(f).Decode(v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	var sst struct {
		SI []struct {
			T string `xml:"t"`
		} `xml:"si"`
	}
	read("xl/sharedStrings.xml", &sst)
	cells := map[string]xmlCell{}
	sheets, _ := fs.Glob(z, "xl/worksheets/sheet*.xml")
	for _, name := range sheets {
		var ws struct {
			Rows []struct {
				Cells []xmlCell `xml:"c"`
			} `xml:"sheetData>row"`
		}
		read(name, &ws)
		for _, r := range ws.Rows {
			for _, c := range r.Cells {
				if c.Type == "s" {
					i, err := strconv.Atoi(c.V)
					if err != nil || i >= len(sst.SI) {
						t.Fatalf("%s!%s points at shared string %q of %d", name, c.Ref, c.V, len(sst.SI))
					}
					c.Text = sst.SI[i].T
				}
				cells[path.Base(name)+"!"+c.Ref] = c
			}
		}
	}
	return cells
}

// TestXLSXTextAsTyped: a text that a spreadsheet would read as a formula if it were typed in
// (= + - @, a tab or a carriage return first) is written as it was typed, in a cell of type
// shared string (t="s"), which no spreadsheet runs: never a formula, never a visible quote.
func TestXLSXTextAsTyped(t *testing.T) {
	texts := []string{`=HYPERLINK("http://x")`, "+45 Lars Ærø", "-2+3", "@Ærø Bryghus A/S", "\t=1+2", "\r=1+2", "'quoted", "Plain"}
	tb := export.Table{Name: "Texts", Header: []string{"Text"}}
	for _, s := range texts {
		tb.Rows = append(tb.Rows, []export.Cell{export.Text(s)})
	}
	var buf bytes.Buffer
	if err := spreadsheet.XLSX(&buf, export.Workbook{Sheets: []export.Table{tb}}); err != nil {
		t.Fatal(err)
	}
	cells := worksheetCells(t, buf.Bytes())
	for i, want := range texts {
		ref := "sheet1.xml!A" + strconv.Itoa(i+2)
		c, ok := cells[ref]
		if !ok {
			t.Errorf("%s: no cell for %q", ref, want)
			continue
		}
		if c.Type != "s" || c.Formula != nil || c.Text != want {
			t.Errorf("%s = t=%q formula=%v text %q, want t=\"s\", no formula, text %q", ref, c.Type, c.Formula != nil, c.Text, want)
		}
	}
	for ref, c := range cells {
		if c.Formula != nil {
			t.Errorf("%s is a formula", ref)
		}
	}
}

func TestCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := spreadsheet.CSV(&buf, sample().Sheets[1], spreadsheet.RFC4180); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	if !strings.HasPrefix(raw, "\xEF\xBB\xBF") {
		t.Fatalf("no byte-order mark: %q", raw[:min(10, len(raw))])
	}
	want := "\uFEFFParticipant,No.,Gap,Due,Note\r\n" +
		"P3,1,-1,2026-11-29,\"Ærø, \"\"quoted\"\"\r\nline two\"\r\n" + // CRLF inside the quotes too
		"P7,2,2.3333333333333335,,\r\n" + // a short row is filled up
		"P9,,0,," + strings.Repeat("long ", 30) + "\r\n"
	if raw != want {
		t.Errorf("CSV =\n%q\nwant\n%q", raw, want)
	}
	// encoding/csv reads it back: 5 fields on every line.
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(raw, spreadsheet.BOM))).ReadAll()
	if err != nil || len(recs) != 4 || recs[1][4] != "Ærø, \"quoted\"\nline two" {
		t.Errorf("read back = %q, %v", recs, err)
	}
	// A table without a header (never exported as CSV today) writes its rows only; a negative
	// zero (a gap of −0.0 from a subtraction) is written 0.
	buf.Reset()
	if err := spreadsheet.CSV(&buf, export.Table{Rows: [][]export.Cell{{export.Text("@x"), export.Number(math.Copysign(0, -1), 0)}}}, spreadsheet.RFC4180); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "\uFEFF'@x,0\r\n" {
		t.Errorf("CSV without header = %q", got)
	}
}

// TestCSVDialects: the same table in both dialects. excel-eu separates with semicolons, so a
// text with a semicolon is quoted and one with a comma is not, and writes decimal commas;
// both write whole numbers without grouping, dates as YYYY-MM-DD, a byte-order mark, and
// neutralise texts (and headers) that a spreadsheet would run.
func TestCSVDialects(t *testing.T) {
	tb := export.Table{Header: []string{"Name", "Mean", "Gap", "Day"}, Rows: [][]export.Cell{
		{export.Text("Ærø; Bryghus"), export.Number(7.0/3, 2), export.Number(-1.5, 2), export.Day(day)},
		{export.Text("A, B"), export.Int(1200), export.Number(0.25, 2)},
		{export.Text("=1+2"), export.Cell{}, export.Number(-1, 0), export.Text("+45 Lars Ærø")},
	}}
	for _, tc := range []struct {
		d    spreadsheet.Dialect
		want string
	}{
		{spreadsheet.ExcelEU, "\uFEFFName;Mean;Gap;Day\r\n" +
			"\"Ærø; Bryghus\";2,3333333333333335;-1,5;2026-11-29\r\n" +
			"A, B;1200;0,25;\r\n" +
			"'=1+2;;-1;'+45 Lars Ærø\r\n"},
		{spreadsheet.RFC4180, "\uFEFFName,Mean,Gap,Day\r\n" +
			"Ærø; Bryghus,2.3333333333333335,-1.5,2026-11-29\r\n" +
			"\"A, B\",1200,0.25,\r\n" +
			"'=1+2,,-1,'+45 Lars Ærø\r\n"},
	} {
		var buf bytes.Buffer
		if err := spreadsheet.CSV(&buf, tb, tc.d); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != tc.want {
			t.Errorf("CSV in %s =\n%q\nwant\n%q", tc.d.Name, got, tc.want)
		}
	}
	buf := bytes.Buffer{}
	if err := spreadsheet.CSV(&buf, export.Table{Header: []string{"-Gap"}}, spreadsheet.ExcelEU); err != nil || buf.String() != "\uFEFF'-Gap\r\n" {
		t.Errorf("a header that starts a formula = %q, %v", buf.String(), err)
	}
	// Names and the language rule.
	for _, tc := range []struct {
		name string
		ok   bool
	}{{"excel-eu", true}, {"rfc4180", true}, {"", false}, {"EXCEL-EU", false}, {"excel", false}} {
		if d, ok := spreadsheet.DialectNamed(tc.name); ok != tc.ok || ok && d.Name != tc.name {
			t.Errorf("DialectNamed(%q) = %v, %v", tc.name, d, ok)
		}
	}
	if d := spreadsheet.DialectFor(","); d != spreadsheet.ExcelEU {
		t.Errorf("DialectFor(\",\") = %s, want excel-eu", d.Name)
	}
	if d := spreadsheet.DialectFor("."); d != spreadsheet.RFC4180 {
		t.Errorf("DialectFor(\".\") = %s, want rfc4180", d.Name)
	}
}

func TestSheetNames(t *testing.T) {
	wb := export.Workbook{}
	for _, n := range []string{"About", "a/b:c?d*e[f]g\\h", "'Quoted'", strings.Repeat("x", 40), strings.Repeat("x", 40), "about", "", "Must Win Battles"} {
		wb.Sheets = append(wb.Sheets, export.Table{Name: n})
	}
	want := []string{"About", "a-b-c-d-e-f-g-h", "Quoted", strings.Repeat("x", 31), strings.Repeat("x", 27) + " (2)", "about (2)", "Sheet 7", "Must Win Battles"}
	if got := spreadsheet.SheetNames(wb); !slices.Equal(got, want) {
		t.Errorf("SheetNames =\n%q\nwant\n%q", got, want)
	}
	// And excelize takes them all.
	var buf bytes.Buffer
	if err := spreadsheet.XLSX(&buf, wb); err != nil {
		t.Fatal(err)
	}
}
