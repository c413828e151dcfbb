// Package export builds the tables of the app's spreadsheet exports: a workshop round, a
// client's history, the portfolio and a five-minute test's result. It decides what goes into
// a file (which rows, which columns, what stays out below the anonymity threshold) and gives
// every text cell in two forms: as typed, for a format whose text cells can never run as a
// formula (XLSX), and neutralised, for one whose cells a spreadsheet parses (CSV);
// assessment/spreadsheet writes the tables as XLSX or CSV.
//
// Like the domain it belongs to, it imports only the standard library and assessment: texts
// come translated through a Translator (views.Loc is one), so the package knows message keys,
// never sentences.
package export

import (
	"math"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// Kind is what a cell holds.
type Kind int

// Kinds of cell.
const (
	KindEmpty  Kind = iota // nothing: a value that does not exist (no answer yet, below the threshold)
	KindText               // text: as typed (Typed), or neutralised (Str)
	KindNumber             // a number, kept at full precision
	KindDate               // a calendar day
)

// Cell is one value of a table. Its fields are unexported so that a text cell can only be
// made by Text and read by Str, which neutralises it, or by Typed, whose name says that the
// caller writes a cell that cannot run: no path leads user text into a file by accident.
type Cell struct {
	kind     Kind
	text     string
	num      float64
	decimals int
	day      time.Time
}

// Text returns a text cell holding s. An empty s is an empty cell.
func Text(s string) Cell {
	if s == "" {
		return Cell{}
	}
	return Cell{kind: KindText, text: s}
}

// Number returns a number cell. decimals is how many decimals a spreadsheet shows; the value
// keeps its full precision. NaN and infinities, which no spreadsheet reads, are empty cells.
func Number(v float64, decimals int) Cell {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Cell{}
	}
	return Cell{kind: KindNumber, num: v, decimals: decimals}
}

// Int returns a number cell holding a whole number.
func Int(n int) Cell { return Number(float64(n), 0) }

// Day returns a date cell of t's calendar day in UTC, the zone every stored time is in and
// pages show dates in. The zero time is an empty cell.
func Day(t time.Time) Cell {
	if t.IsZero() {
		return Cell{}
	}
	t = t.UTC()
	return Cell{kind: KindDate, day: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)}
}

// Kind returns what c holds.
func (c Cell) Kind() Kind { return c.kind }

// Str returns the text of a KindText cell neutralised against formula injection
// (Neutralise), and "" for any other: what a format whose cells a spreadsheet parses (CSV)
// writes.
func (c Cell) Str() string { return Neutralise(c.text) }

// Typed returns the text of a KindText cell exactly as typed, and "" for any other: only for
// a format that stores it as a text cell, which a spreadsheet never runs as a formula (an
// XLSX shared string, t="s"), so that "@Ærø Bryghus A/S" shows without a quote in front.
func (c Cell) Typed() string { return c.text }

// Value returns the number of a KindNumber cell.
func (c Cell) Value() float64 { return c.num }

// Decimals returns how many decimals a spreadsheet shows for a KindNumber cell.
func (c Cell) Decimals() int { return c.decimals }

// Time returns the day of a KindDate cell, at midnight UTC.
func (c Cell) Time() time.Time { return c.day }

// Table is one sheet of a workbook, or the whole of a CSV file.
type Table struct {
	// Name is the sheet's name, in the export's language.
	Name string
	// Header names the columns, in the export's language; nil for a sheet of label and value
	// rows (About), which has no header row.
	Header []string
	// Rows hold the cells, row by row: as many as the header has columns (tableOf), or one
	// sentence that says why the table has no rows (none). A table without a header has
	// rows of a label and a value (field).
	Rows [][]Cell
}

// Workbook is the sheets of one XLSX file, in order.
type Workbook struct {
	Sheets []Table
}

// Translator writes the export's texts in one language: message keys of the catalogue
// (views/locales) and the questionnaire's texts. views.Loc is one.
type Translator interface {
	// T returns the message key.
	T(key string) string
	// F returns the message key with its placeholders filled from args.
	F(key string, args map[string]any) string
	// Text returns a questionnaire text.
	Text(t assessment.Text) string
}

// Decimals shown in a spreadsheet: scores as answered are whole numbers, means and
// statistics get two decimals, indexes (0-100) and percentiles none.
const (
	wholeDecimals = 0
	meanDecimals  = 2
)

// column is one column of a table whose rows are Rs: its header, in the export's language
// (a message key through Translator.T, or a questionnaire text), and the cell that a row
// gives it. Every table with a header is built from one list of columns (tableOf), so a
// column is one entry of that list: its header and its cells cannot drift apart.
type column[R any] struct {
	head string
	cell func(R) Cell
}

// tableOf returns the table name with the heads of cols as its header and, for each of rows,
// a row of exactly len(cols) cells.
func tableOf[R any](name string, cols []column[R], rows []R) Table {
	tb := Table{Name: name, Header: make([]string, len(cols))}
	for i, c := range cols {
		tb.Header[i] = c.head
	}
	for _, r := range rows {
		cells := make([]Cell, len(cols))
		for i, c := range cols {
			cells[i] = c.cell(r)
		}
		tb.Rows = append(tb.Rows, cells)
	}
	return tb
}

// none returns tb with its rows replaced by one sentence that says why it has none (a
// message key).
func none(t Translator, tb Table, key string) Table {
	tb.Rows = [][]Cell{row(Text(t.T(key)))}
	return tb
}

// row is a shorthand for a row of cells.
func row(cells ...Cell) []Cell { return cells }

// field is a row of an About sheet: a label and a value.
func field(label string, value Cell) []Cell { return row(Text(label), value) }
