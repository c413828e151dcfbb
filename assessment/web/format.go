package web

import (
	"strconv"
	"time"

	"github.com/loyalty-cx/loyalty/views"
)

// formatDate writes a date the way the language does: "23 November 2026", "23. november 2026"
// (date.format and the month names are in the catalogue).
func formatDate(l views.Loc, t time.Time) string {
	return l.F("date.format", views.Args{"Day": strconv.Itoa(t.Day()), "Month": l.T("date.month." + strconv.Itoa(int(t.Month()))),
		"Year": strconv.Itoa(t.Year())})
}

// parseDate reads a date as YYYY-MM-DD.
func parseDate(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

// categoryLabels names the seven categories as charts and tables show them: "L · Leadership
// Commitment".
func (s *Server) categoryLabels(l views.Loc) []string {
	out := make([]string, len(s.q.Categories))
	for i, cat := range s.q.Categories {
		out[i] = cat.Letter + " · " + l.Text(cat.Name)
	}
	return out
}

// competencyLabels names the 21 competencies as charts and tables show them: "13 KPI's".
func (s *Server) competencyLabels(l views.Loc) []string {
	out := make([]string, len(s.q.Competencies))
	for i, comp := range s.q.Competencies {
		out[i] = strconv.Itoa(comp.Number) + " " + l.Text(comp.Name)
	}
	return out
}

// competencyTitle names competency n in a list or a sentence: its name from the instrument
// and what it measures, "AS-IS (monthly measurement)", so that a name such as AS-IS or GAP
// never reads like a column heading.
func (s *Server) competencyTitle(l views.Loc, n int) string {
	comp := s.q.Competencies[n-1]
	return l.F("competency.titled", views.Args{"Name": l.Text(comp.Name), "Label": l.Text(comp.Label)})
}

// competencyTitles numbers the 21 titles, "10 AS-IS (monthly measurement)", for choices and
// for the rows of tables that have no room for a second line.
func (s *Server) competencyTitles(l views.Loc) []string {
	out := make([]string, len(s.q.Competencies))
	for i, comp := range s.q.Competencies {
		out[i] = strconv.Itoa(comp.Number) + " " + s.competencyTitle(l, comp.Number)
	}
	return out
}

// competencyLabel is what competency n measures, in a few words: "monthly measurement".
func (s *Server) competencyLabel(l views.Loc, n int) string {
	return l.Text(s.q.Competencies[n-1].Label)
}
