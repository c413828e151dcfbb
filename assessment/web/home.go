package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/views"
)

func (s *Server) home(c echo.Context) error {
	l := loc(c)
	p := views.HomePage{Page: s.page(c, "home.title")}
	for _, th := range s.q.Themes {
		ht := views.HomeTheme{Name: l.Text(th.Name)}
		for _, cat := range s.q.Categories {
			if cat.Theme != th.Key {
				continue
			}
			hc := views.HomeCategory{Letter: cat.Letter, Name: l.Text(cat.Name), First: s.q.CategoryCompetencies(cat.Key)[0].Number}
			for _, comp := range s.q.CategoryCompetencies(cat.Key) {
				hc.Competencies = append(hc.Competencies, s.competencyTitle(l, comp.Number))
			}
			ht.Categories = append(ht.Categories, hc)
		}
		p.Themes = append(p.Themes, ht)
	}
	return render(c, http.StatusOK, views.Home(p))
}
