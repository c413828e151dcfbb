package export

// Neutralise makes a text safe to put in a spreadsheet cell. Spreadsheets read a cell that
// starts with =, +, - or @ as a formula, and tab, carriage return, line feed or NUL before one
// hide it, so a client named `=HYPERLINK("http://evil.example")` would become a live link,
// or worse, on the consultant's machine (OWASP "CSV injection"; ASVS 1.2.10). Such a text
// gets a single quote in front, as OWASP recommends: the spreadsheet shows it as text.
//
// It applies to every text cell of a CSV file, user text or not (Cell.Str calls it): a rule
// applied everywhere cannot be forgotten for one field. An XLSX file needs none of it: its
// text cells are shared strings (t="s"), which a spreadsheet shows as text and never runs,
// so it writes the text as typed (Cell.Typed). Numbers are not text and are never touched:
// a gap of −1 is the number −1.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r', '\n', 0:
		return "'" + s
	}
	return s
}
