package web

import (
	"strconv"
	"time"

	"github.com/loyalty-cx/loyalty/views"
)

var monthNames = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"da": {"januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"},
	"sv": {"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"},
	"nb": {"januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"},
}

// formatDate writes a date the way the language does: "23 November 2026", "23. november 2026".
func formatDate(l views.Loc, t time.Time) string {
	names, ok := monthNames[l.Lang]
	if !ok {
		names = monthNames["en"]
	}
	day := t.Format("2")
	switch l.Lang {
	case "da", "nb":
		day += "."
	}
	return day + " " + names[t.Month()-1] + " " + t.Format("2006")
}

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
