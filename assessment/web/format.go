package web

import (
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
