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
