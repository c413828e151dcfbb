package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// privacy is the privacy statement, with this server's own retention period.
func (s *Server) privacy(c echo.Context) error {
	l := loc(c)
	p := views.PrivacyPage{Page: s.page(c, "privacy.link"), Keep: l.T("privacy.keep.off")}
	if !s.retention.IsZero() {
		p.Keep = l.F("privacy.keep.on", views.Args{"Period": periodText(l, s.retention)})
	}
	return render(c, http.StatusOK, views.Privacy(p))
}

// periodText writes a period in words: "24 months", "2 years", "90 days".
func periodText(l views.Loc, p assessment.Period) string {
	var parts []string
	for _, u := range []struct {
		n   int
		key string
	}{{p.Years, "period.years"}, {p.Months, "period.months"}, {p.Days, "period.days"}} {
		if u.n != 0 {
			parts = append(parts, l.N(u.key, u.n))
		}
	}
	if len(parts) == 0 {
		return l.N("period.days", 0)
	}
	return strings.Join(parts, " ")
}
