package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// This file lets the holder of a result link delete the result (GDPR: a result may name a
// company and a role, and so a person): a confirmation page at /r/{token}/delete, the form
// it sends, and DELETE /api/v1/assessments/{token}. The store takes the result out of the
// benchmark pool and the release snapshots in the same transaction and changes the result
// generation, and this server's cache of the page is emptied of it, so the page and the API
// answer 404 at once. Published figures keep it, as statistics of at least 5 companies with
// noise, until its group's next release: changing them at once would publish the difference.
//
// The form carries no CSRF token, on purpose: the result's token in the path is the only
// credential, not a cookie, so a forged request would have to know it, and whoever knows it
// can delete the result directly. The global cross-origin refusal (server.go) still turns
// away a form sent from another site.

// deleteResultForm asks for confirmation. An unknown token is the usual 404.
func (s *Server) deleteResultForm(c echo.Context) error {
	return s.renderDeleteResult(c, http.StatusOK, "")
}

func (s *Server) renderDeleteResult(c echo.Context, status int, msg string) error {
	a, err := s.db.assessments.Assessment(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	p := views.ResultDeletePage{Page: s.page(c, "result.delete.title"), Token: a.Token, Company: a.Company.Name,
		Taken: formatDate(loc(c), a.CreatedAt), Error: msg}
	// The team round opened from the result goes with it, unless a consultant took it over.
	switch team, err := s.db.teams.TeamOfAssessment(c.Request().Context(), a.ID); assessment.ErrorCode(err) {
	case "":
		p.Team = !team.Moved()
	case assessment.ENOTFOUND:
	default:
		return err
	}
	return render(c, status, views.ResultDelete(p))
}

// deleteResult deletes the result once the box is ticked and sends the browser to say so
// (303 to /deleted, so a reload sends nothing again and the language switch works).
func (s *Server) deleteResult(c echo.Context) error {
	if c.FormValue("confirm") != "yes" {
		return s.renderDeleteResult(c, http.StatusUnprocessableEntity, loc(c).T("ws.delete.unconfirmed"))
	}
	if err := s.removeResult(c, c.Param("token")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/deleted?lang="+loc(c).Lang)
}

// resultDeleted says that a result was deleted. It names no result, so it can be shown to
// anyone.
func (s *Server) resultDeleted(c echo.Context) error {
	l := loc(c)
	p := views.ErrorPage{Page: s.page(c, "result.deleted.title"), Heading: l.T("result.deleted.title"), Text: l.T("result.deleted.text")}
	return render(c, http.StatusOK, views.ResultDeleted(p))
}

// apiDeleteAssessment is DELETE /api/v1/assessments/{token}: 204, or 404 for an unknown
// token.
func (s *Server) apiDeleteAssessment(c echo.Context) error {
	if err := s.removeResult(c, c.Param("token")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// removeResult deletes the result and forgets its rendered pages.
func (s *Server) removeResult(c echo.Context, token string) error {
	if err := s.db.assessments.DeleteAssessment(c.Request().Context(), token); err != nil {
		return err
	}
	s.pages.evict(func(key string) bool { return strings.HasPrefix(key, token+"|") })
	return nil
}
