// Package spreadsheet writes the tables of assessment/export as files: XLSX with excelize
// (real number and date cells, a styled and frozen header row, columns wide enough for their
// contents) and CSV with encoding/csv in one of two dialects (RFC 4180, or semicolons and
// decimal commas for Excel where the decimal separator is a comma), UTF-8 with a byte-order
// mark.
//
// It decides only how a file looks and how a text stays text. What is in it is decided by
// assessment/export. Formula injection: a CSV cell is parsed by the spreadsheet that opens
// it, so CSV writes every text neutralised (export.Cell.Str); an XLSX text cell is a shared
// string, which no spreadsheet runs as a formula, so XLSX writes it as typed
// (export.Cell.Typed) and never writes a formula.
package spreadsheet

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/loyalty-cx/loyalty/assessment/export"
)

// Content types of the two formats.
const (
	ContentTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	ContentTypeCSV  = "text/csv; charset=utf-8"
)

// BOM is the UTF-8 byte-order mark a CSV file starts with: without it Excel reads the file
// in the machine's legacy code page and shows "Ã¦" for "æ".
const BOM = "\uFEFF"

// Dialect is how a CSV file separates its fields and writes its numbers. A spreadsheet that
// opens a CSV file by double-click splits it at its locale's list separator and reads
// numbers with its locale's decimal separator; where the decimal separator is a comma
// (Danish, Swedish, Norwegian, most of Europe), the list separator is a semicolon, and a
// comma-separated file opens as one column.
type Dialect struct {
	// Name is the dialect's name in an export's address (?dialect=).
	Name string
	// Comma separates the fields of a line.
	Comma rune
	// Decimal separates a number's whole part from its fraction.
	Decimal string
}

// The CSV dialects.
var (
	// RFC4180 is commas and decimal points: RFC 4180, what programs read, and what Excel
	// set up for English opens.
	RFC4180 = Dialect{Name: "rfc4180", Comma: ',', Decimal: "."}
	// ExcelEU is semicolons and decimal commas: what Excel set up for Danish, Swedish or
	// Norwegian opens.
	ExcelEU = Dialect{Name: "excel-eu", Comma: ';', Decimal: ","}
)

// Dialects lists the CSV dialects.
var Dialects = []Dialect{RFC4180, ExcelEU}

// DialectNamed returns the dialect called name, and false when there is none.
func DialectNamed(name string) (Dialect, bool) {
	for _, d := range Dialects {
		if d.Name == name {
			return d, true
		}
	}
	return Dialect{}, false
}

// DialectFor returns the dialect of a language whose decimal separator is decimal: ExcelEU
// for a comma, RFC4180 for anything else.
func DialectFor(decimal string) Dialect {
	if decimal == ExcelEU.Decimal {
		return ExcelEU
	}
	return RFC4180
}

// CSV writes t as CSV in the dialect d (fields separated by d.Comma and quoted where needed,
// as RFC 4180 says, CRLF line ends), UTF-8 with a byte-order mark: the header row, then
// every row, each as long as the longest. Numbers are written at full precision with
// d.Decimal and without digit grouping, dates as YYYY-MM-DD (which every locale reads as a
// date), texts neutralised against formula injection (export.Cell.Str).
func CSV(w io.Writer, t export.Table, d Dialect) error {
	if _, err := io.WriteString(w, BOM); err != nil {
		return err
	}
	width := len(t.Header)
	for _, r := range t.Rows {
		width = max(width, len(r))
	}
	cw := csv.NewWriter(w)
	cw.Comma = d.Comma
	cw.UseCRLF = true
	if t.Header != nil {
		head := pad(t.Header, width)
		for i, h := range head {
			head[i] = export.Neutralise(h)
		}
		if err := cw.Write(head); err != nil {
			return err
		}
	}
	rec := make([]string, width)
	for _, r := range t.Rows {
		for i := range rec {
			rec[i] = ""
			if i < len(r) {
				rec[i] = csvValue(r[i], d)
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func pad(s []string, n int) []string {
	out := make([]string, n)
	copy(out, s)
	return out
}

func csvValue(c export.Cell, d Dialect) string {
	switch c.Kind() {
	case export.KindText:
		return c.Str()
	case export.KindNumber:
		v := c.Value()
		if v == 0 {
			v = 0 // no "-0"
		}
		return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", d.Decimal, 1)
	case export.KindDate:
		return c.Time().Format(time.DateOnly)
	}
	return ""
}

// Column widths, in characters of the default font.
const (
	minWidth = 6
	maxWidth = 60
)

// styles are the cell styles of a workbook, made once.
type styles struct {
	f       *excelize.File
	header  int
	label   int
	date    int
	wrap    int
	numbers map[int]int // by decimals
}

func newStyles(f *excelize.File) (*styles, error) {
	st := &styles{f: f, numbers: map[int]int{}}
	var err error
	if st.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Color: "1F2A36"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E6EBF0"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "9AA6B2", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
	}); err != nil {
		return nil, err
	}
	if st.label, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}}); err != nil {
		return nil, err
	}
	dateFmt := "yyyy-mm-dd"
	if st.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top"}}); err != nil {
		return nil, err
	}
	if st.wrap, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
		return nil, err
	}
	return st, nil
}

// number returns the style of a number shown with decimals decimals.
func (st *styles) number(decimals int) (int, error) {
	if id, ok := st.numbers[decimals]; ok {
		return id, nil
	}
	format := "0"
	if decimals > 0 {
		format += "." + strings.Repeat("0", decimals)
	}
	id, err := st.f.NewStyle(&excelize.Style{CustomNumFmt: &format, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return 0, err
	}
	st.numbers[decimals] = id
	return id, nil
}

// XLSX writes wb as an XLSX workbook, one sheet per table in order. A table with a header
// gets it bold on a tinted row that stays in view when scrolling (a frozen pane); a table
// without one (About) gets its first column bold. Numbers are number cells with as many
// decimals shown as the cell asks for, dates are date cells shown as YYYY-MM-DD, and every
// column is as wide as its longest value, up to 60 characters, beyond which text wraps.
func XLSX(w io.Writer, wb export.Workbook) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return fmt.Errorf("xlsx styles: %w", err)
	}
	first := f.GetSheetName(0)
	for i, name := range SheetNames(wb) {
		if i == 0 {
			err = f.SetSheetName(first, name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			return fmt.Errorf("xlsx sheet %q: %w", name, err)
		}
		if err := writeSheet(f, st, name, wb.Sheets[i]); err != nil {
			return fmt.Errorf("xlsx sheet %q: %w", name, err)
		}
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

func writeSheet(f *excelize.File, st *styles, sheet string, t export.Table) error {
	widths := map[int]int{}
	grow := func(col, w int) { widths[col] = max(widths[col], w) }
	y := 1
	if t.Header != nil {
		for x, h := range t.Header {
			if err := setCell(f, sheet, x+1, y, h, st.header); err != nil {
				return err
			}
			// Headers may wrap onto a second line rather than widen a column of numbers.
			grow(x+1, min(utf8.RuneCountInString(h), 24))
		}
		if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		y++
	}
	for _, r := range t.Rows {
		for x, c := range r {
			cell, err := excelize.CoordinatesToCellName(x+1, y)
			if err != nil {
				return err
			}
			switch c.Kind() {
			case export.KindText:
				style := 0
				if t.Header == nil && x == 0 {
					style = st.label
				}
				// As typed: a shared string is text to every spreadsheet, whatever it starts with.
				text := c.Typed()
				n := utf8.RuneCountInString(text)
				if n > maxWidth-2 || strings.Contains(text, "\n") {
					style = st.wrap
				}
				if err := setCell(f, sheet, x+1, y, text, style); err != nil {
					return err
				}
				grow(x+1, n)
			case export.KindNumber:
				style, err := st.number(c.Decimals())
				if err != nil {
					return err
				}
				if err := f.SetCellFloat(sheet, cell, c.Value(), -1, 64); err != nil {
					return err
				}
				if err := f.SetCellStyle(sheet, cell, cell, style); err != nil {
					return err
				}
				grow(x+1, len(strconv.FormatFloat(c.Value(), 'f', c.Decimals(), 64)))
			case export.KindDate:
				if err := f.SetCellValue(sheet, cell, c.Time()); err != nil {
					return err
				}
				if err := f.SetCellStyle(sheet, cell, cell, st.date); err != nil {
					return err
				}
				grow(x+1, len(time.DateOnly))
			}
		}
		y++
	}
	for x, w := range widths {
		name, err := excelize.ColumnNumberToName(x)
		if err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, name, name, float64(min(max(w+2, minWidth), maxWidth))); err != nil {
			return err
		}
	}
	return nil
}

// setCell writes a text cell (a shared string) at column x, row y with a style (0: none).
func setCell(f *excelize.File, sheet string, x, y int, s string, style int) error {
	cell, err := excelize.CoordinatesToCellName(x, y)
	if err != nil {
		return err
	}
	if err := f.SetCellStr(sheet, cell, s); err != nil {
		return err
	}
	if style == 0 {
		return nil
	}
	return f.SetCellStyle(sheet, cell, cell, style)
}

// maxSheetName is the longest sheet name Excel accepts.
const maxSheetName = 31

// SheetNames returns the names the sheets of wb get: each table's name with the characters
// Excel refuses in a sheet name ( : \ / ? * [ ] ) replaced by a dash, no apostrophe at either
// end, at most 31 characters, and a number added to a name already taken.
func SheetNames(wb export.Workbook) []string {
	out := make([]string, 0, len(wb.Sheets))
	taken := map[string]bool{}
	for i, t := range wb.Sheets {
		name := strings.Map(func(r rune) rune {
			if strings.ContainsRune(`:\/?*[]`, r) {
				return '-'
			}
			return r
		}, t.Name)
		name = truncate(strings.TrimSpace(strings.Trim(name, "'")), maxSheetName)
		if name == "" {
			name = "Sheet " + strconv.Itoa(i+1)
		}
		base := name
		for n := 2; taken[strings.ToLower(name)]; n++ {
			suffix := " (" + strconv.Itoa(n) + ")"
			name = truncate(base, maxSheetName-len(suffix)) + suffix
		}
		taken[strings.ToLower(name)] = true
		out = append(out, name)
	}
	return out
}

// truncate cuts s to at most n characters.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
